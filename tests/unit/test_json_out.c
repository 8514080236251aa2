/*
 * test_json_out.c — the streaming JSON writer against jansson's parser:
 * every byte value in a string, broken and valid UTF-8, numbers.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "common/json_out.h"

/* Write with FN into memory and parse the result with jansson. */
static json_t *roundtrip_str(const char *s, char **text)
{
	size_t len;
	FILE *f = open_memstream(text, &len);
	fputc('[', f);
	json_out_str(f, s);
	fputc(']', f);
	fclose(f);
	json_error_t err;
	json_t *j = json_loads(*text, 0, &err);
	return j;
}

static void test_every_byte(void **state)
{
	for (int c = 1; c < 256; c++) {
		char s[4] = { 'a', (char)c, 'b', 0 }, *text;
		json_t *j = roundtrip_str(s, &text);
		assert_non_null(j);
		const char *back = json_string_value(json_array_get(j, 0));
		assert_non_null(back);
		if (c < 0x80)
			assert_string_equal(back, s);   /* ASCII survives exactly */
		else
			assert_string_equal(back, "a?b"); /* a lone high byte */
		json_decref(j);
		free(text);
	}
}

static void test_utf8(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "Gi0/1 \xe2\x80\x94 uplink", "Gi0/1 \xe2\x80\x94 uplink" }, /* em dash */
		{ "Kantor Wali Nagari \xf0\x9f\x8f\xa0", "Kantor Wali Nagari \xf0\x9f\x8f\xa0" },
		{ "\xc0\xaf", "??" },                 /* overlong '/' */
		{ "\xed\xa0\x80", "???" },            /* a surrogate */
		{ "\xf4\x90\x80\x80", "????" },       /* beyond U+10FFFF */
		{ "\xe2\x80", "??" },                 /* cut short at the end */
		{ "tab\there \"q\" back\\slash", "tab\there \"q\" back\\slash" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text;
		json_t *j = roundtrip_str(cases[i].in, &text);
		assert_non_null(j);
		assert_string_equal(json_string_value(json_array_get(j, 0)), cases[i].out);
		json_decref(j);
		free(text);
	}
	char *text;
	json_t *j = roundtrip_str(NULL, &text);
	assert_true(json_is_null(json_array_get(j, 0)));
	json_decref(j);
	free(text);
}

static void test_numbers(void **state)
{
	static const struct { double in; const char *out; } cases[] = {
		{ 0, "0" }, { 1, "1" }, { -1, "-1" }, { 0.5, "0.5" }, { 144000, "144000" },
		{ 1.2345, "1.235" }, { 0.0004, "0" }, { -0.0004, "0" }, { 999.9996, "1000" },
		{ 12345678901234.5, "12345678901234.5" }, { 1e16, "10000000000000000" },
		{ NAN, "null" }, { INFINITY, "null" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text;
		size_t len;
		FILE *f = open_memstream(&text, &len);
		json_out_num(f, cases[i].in);
		fclose(f);
		assert_string_equal(text, cases[i].out);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
