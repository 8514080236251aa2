/*
 * test_text_safe.c — text_sanitize: what may reach a terminal.  Control
 * characters (C0, DEL, C1), broken UTF-8 and cut sequences become '?';
 * printable ASCII and well-formed UTF-8 pass; truncation never splits a
 * character and says so with "...".
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/text_safe.h"

static const char *san(const char *s)
{
	static char buf[256];
	return text_sanitize(buf, sizeof(buf), s, (size_t)-1);
}

static void test_controls(void **state)
{
	assert_string_equal(san("ge-0/0/1\033[31mRED"), "ge-0/0/1?[31mRED");
	assert_string_equal(san("a\rb\nc\td\001e\177f"), "a?b?c?d?e?f");
	assert_string_equal(san("\033]0;title\007"), "?]0;title?");
	/* C1 controls are two bytes in UTF-8; U+009B is a one-character CSI. */
	assert_string_equal(san("x\302\233" "2Jy"), "x?2Jy");
	assert_string_equal(san("x\302\200y\302\237z"), "x?y?z");
	assert_string_equal(san(""), "");
	assert_string_equal(san(NULL), "");
}

static void test_utf8(void **state)
{
	/* Well-formed text in any script passes unchanged. */
	assert_string_equal(san("Caf\303\251 \346\227\245\346\234\254 \360\237\232\200"),
			    "Caf\303\251 \346\227\245\346\234\254 \360\237\232\200");
	assert_string_equal(san("\302\240nbsp"), "\302\240nbsp");   /* U+00A0 is not C1 */
	/* Broken: a lone continuation, an invalid lead, an overlong '/', a
	 * UTF-16 surrogate, a cut sequence at the end. */
	assert_string_equal(san("a\200b"), "a?b");
	assert_string_equal(san("a\377b"), "a?b");
	assert_string_equal(san("\300\257"), "??");
	assert_string_equal(san("\355\240\200"), "???");
	assert_string_equal(san("end\342\202"), "end??");
	assert_string_equal(san("\351t\351"), "?t?");       /* Latin-1 */
}

static void test_truncation(void **state)
{
	char buf[16];

	/* MAX bytes of the source, then "...". */
	assert_string_equal(text_sanitize(buf, sizeof(buf), "abcdefghij", 4), "abcd...");
	assert_string_equal(text_sanitize(buf, sizeof(buf), "abcd", 4), "abcd");
	/* Never half a character: the 2-byte e-acute does not fit in 4. */
	assert_string_equal(text_sanitize(buf, sizeof(buf), "abc\303\251x", 4), "abc...");
	/* The destination is the limit: 15 characters + NUL, with "...". */
	assert_string_equal(text_sanitize(buf, sizeof(buf), "0123456789abcdefghij", (size_t)-1),
			    "0123456789ab...");
	assert_string_equal(text_sanitize(buf, 9, "\346\227\245\346\234\254\346\227\245", (size_t)-1),
			    "\346\227\245...");
	assert_string_equal(text_sanitize(buf, sizeof(buf), "exactly 15 char", (size_t)-1),
			    "exactly 15 char");
	/* Too small for "...": cut, still terminated. */
	assert_string_equal(text_sanitize(buf, 3, "abcdef", (size_t)-1), "ab");
	buf[0] = 'x';
	text_sanitize(buf, 0, "abc", (size_t)-1);
	assert_int_equal(buf[0], 'x');
}

static void test_inplace(void **state)
{
	char s[] = "a\033b\302\233c\303\251\377";

	assert_false(text_is_safe(s));
	text_sanitize_inplace(s);
	assert_string_equal(s, "a?b?c\303\251?");
	assert_true(text_is_safe(s));
	assert_true(text_is_safe(NULL));
	text_sanitize_inplace(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_inplace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
