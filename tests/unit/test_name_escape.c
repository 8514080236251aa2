/*
 * test_name_escape.c — name_escape() is the only thing between an agent's
 * ifName and our filesystem, so it is tested exhaustively: every byte
 * value alone and after a letter, the names that break naive escaping
 * ("..", "/", ":", "", "%"), injectivity (by decoding every uncut result
 * back and over a set of tricky names), and the cut-with-hash path for long
 * names (bounded, unique, never a broken %XX).
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/name_escape.h"

static int test_escape_kept(unsigned char c, size_t pos)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-')
		return 1;
	return c == '.' && pos > 0;
}

/* The safety properties every result must have. */
static void test_escape_assert_safe(const char *out, int n)
{
	assert_true(n > 0);
	assert_true(n <= NAME_ESCAPE_MAX);
	assert_int_equal(strlen(out), (size_t)n);
	assert_null(strchr(out, '/'));
	assert_null(strchr(out, ':'));
	assert_true(out[0] != '.');
	assert_false(strcmp(out, ".") == 0 || strcmp(out, "..") == 0);
	/* Every '%' starts a full, uppercase escape (or is the empty name). */
	if (strcmp(out, "%") == 0)
		return;
	for (int i = 0; i < n; i++) {
		if (out[i] != '%')
			continue;
		assert_true(i + 2 < n);
		assert_non_null(strchr("0123456789ABCDEF", out[i + 1]));
		assert_non_null(strchr("0123456789ABCDEF", out[i + 2]));
	}
}

/* Inverse of name_escape for uncut results; returns the length or -1. */
static int test_escape_decode(const char *in, char *out, size_t outlen)
{
	size_t n = 0;

	if (strcmp(in, "%") == 0)
		return 0;
	for (const char *p = in; *p; p++) {
		if (n >= outlen)
			return -1;
		if (*p == '%') {
			unsigned v;
			if (sscanf(p + 1, "%2X", &v) != 1)
				return -1;
			out[n++] = (char)v;
			p += 2;
		} else {
			out[n++] = *p;
		}
	}
	return (int)n;
}

static void test_every_byte(void **state)
{
	char out[NAME_ESCAPE_MAX + 1], expect[8], in[2];
	(void)state;

	for (int b = 0; b < 256; b++) {
		/* Alone: position 0, so '.' is escaped too. */
		in[0] = (char)b;
		int n = name_escape(in, 1, out, sizeof(out));
		if (test_escape_kept((unsigned char)b, 0))
			snprintf(expect, sizeof(expect), "%c", b);
		else
			snprintf(expect, sizeof(expect), "%%%02X", b);
		assert_string_equal(out, expect);
		assert_int_equal(n, (int)strlen(expect));
		test_escape_assert_safe(out, n);

		/* After a letter: '.' is kept, nothing else changes. */
		in[0] = 'x';
		in[1] = (char)b;
		n = name_escape(in, 2, out, sizeof(out));
		if (test_escape_kept((unsigned char)b, 1))
			snprintf(expect, sizeof(expect), "x%c", b);
		else
			snprintf(expect, sizeof(expect), "x%%%02X", b);
		assert_string_equal(out, expect);
		test_escape_assert_safe(out, n);
	}
}

static void test_special_names(void **state)
{
	static const struct { const char *in; size_t len; const char *out; } cases[] = {
		{ "", 0, "%" },
		{ "%", 1, "%25" },
		{ ".", 1, "%2E" },
		{ "..", 2, "%2E." },
		{ "...", 3, "%2E.." },
		{ "/", 1, "%2F" },
		{ ":", 1, "%3A" },
		{ "../../etc", 9, "%2E.%2F..%2Fetc" },
		{ "Gi0/1", 5, "Gi0%2F1" },
		{ "ge-0/0/1.100", 12, "ge-0%2F0%2F1.100" },
		{ "a b", 3, "a%20b" },
		{ "a\0b", 3, "a%00b" },
		{ "~", 1, "%7E" },
		{ "eth0", 4, "eth0" },
		{ "\xff", 1, "%FF" },
	};
	char out[NAME_ESCAPE_MAX + 1];
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = name_escape(cases[i].in, cases[i].len, out, sizeof(out));
		assert_string_equal(out, cases[i].out);
		test_escape_assert_safe(out, n);
	}
	/* NULL with length 0 is the empty name. */
	assert_int_equal(name_escape(NULL, 0, out, sizeof(out)), 1);
	assert_string_equal(out, "%");
}

static void test_injective_tricky(void **state)
{
	static const struct { const char *s; size_t len; } names[] = {
		{ "", 0 }, { "%", 1 }, { "%25", 3 }, { "%2525", 5 }, { ".", 1 },
		{ "..", 2 }, { "%2E", 3 }, { "%2E.", 4 }, { "a.", 2 }, { ".a", 2 },
		{ "a", 1 }, { "a\0", 2 }, { "\0a", 2 }, { "a\0b", 3 }, { "a%00b", 5 },
		{ "Gi0/1", 5 }, { "Gi0%2F1", 7 }, { "Gi0:1", 5 }, { "Gi0%3A1", 7 },
		{ "~", 1 }, { "%7E", 3 }, { "x~00000000", 10 }, { "/", 1 }, { "//", 2 },
		{ "A", 1 }, { "%41", 3 }, { " ", 1 }, { "%20", 3 }, { "\xc3\xa9", 2 },
	};
	enum { N = sizeof(names) / sizeof(names[0]) };
	char out[N][NAME_ESCAPE_MAX + 1];
	(void)state;

	for (size_t i = 0; i < N; i++)
		test_escape_assert_safe(out[i], name_escape(names[i].s, names[i].len,
							    out[i], sizeof(out[i])));
	for (size_t i = 0; i < N; i++)
		for (size_t j = i + 1; j < N; j++)
			if (strcmp(out[i], out[j]) == 0)
				fail_msg("names %zu and %zu both escape to %s", i, j, out[i]);
}

/* Decoding every uncut result gives the input back: injective by proof. */
static void test_roundtrip_random(void **state)
{
	char in[64], out[NAME_ESCAPE_MAX + 1], back[NAME_ESCAPE_MAX];
	uint32_t seed = 12345;
	(void)state;

	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(round % 60);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			/* Half the bytes from a small nasty alphabet, half anything. */
			in[i] = (seed >> 24) & 1 ? "%./:~aZ0_-"[(seed >> 16) % 10]
						 : (char)(seed >> 16);
		}
		int n = name_escape(in, len, out, sizeof(out));
		test_escape_assert_safe(out, n);
		assert_null(strchr(out, '~'));   /* short: never cut */
		int m = test_escape_decode(out, back, sizeof(back));
		assert_int_equal(m, (int)len);
		assert_memory_equal(back, in, len);
	}
}

static void test_long_names(void **state)
{
	char in[400], out[NAME_ESCAPE_MAX + 1];
	static char seen[2000][NAME_ESCAPE_MAX + 1];
	(void)state;

	/* Exactly at the limit: kept whole. */
	memset(in, 'a', sizeof(in));
	assert_int_equal(name_escape(in, NAME_ESCAPE_MAX, out, sizeof(out)), NAME_ESCAPE_MAX);
	assert_null(strchr(out, '~'));
	/* One more: cut and hashed, and different from the uncut one. */
	int n = name_escape(in, NAME_ESCAPE_MAX + 1, out, sizeof(out));
	test_escape_assert_safe(out, n);
	assert_non_null(strchr(out, '~'));

	/* Escapes near the cut are never split. */
	memset(in, '/', sizeof(in));
	for (size_t len = 60; len < 90; len++) {
		n = name_escape(in, len, out, sizeof(out));
		test_escape_assert_safe(out, n);
	}

	/* Names that differ only in their tail stay unique. */
	size_t k = 0;
	for (size_t len = 250; len < 400 && k < 2000; len += 75) {
		for (int tail = 0; tail < 256 && k < 2000; tail++, k++) {
			memset(in, 'x', len);
			in[len - 1] = (char)tail;
			in[len - 2] = (char)(k & 0xff);
			n = name_escape(in, len, seen[k], sizeof(seen[k]));
			test_escape_assert_safe(seen[k], n);
			assert_true(strlen(seen[k]) <= NAME_ESCAPE_MAX);
		}
	}
	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++)
			if (strcmp(seen[i], seen[j]) == 0)
				fail_msg("long names %zu and %zu collide: %s", i, j, seen[i]);
}

static void test_small_buffer(void **state)
{
	char out[8];
	(void)state;

	assert_int_equal(name_escape("abc", 3, out, 4), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(name_escape("abc", 3, out, 3), -ENOBUFS);
	assert_int_equal(name_escape("", 0, out, 1), -ENOBUFS);
	assert_int_equal(name_escape("/", 1, out, 3), -ENOBUFS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_special_names),
		cmocka_unit_test(test_injective_tricky),
		cmocka_unit_test(test_roundtrip_random),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_small_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
