/*
 * test_log.c — log_complain's back-off: first failure logged, repeats
 * held back and doubling, one recovery message, and a flapping target
 * kept quiet across recoveries until a whole day without failure.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/log.h"

static void test_backoff_doubles(void **state)
{
	struct log_complain c = { 0 };
	assert_int_equal(log_complain(&c, 1000, LOG_WARNING, "x"), 1);
	assert_int_equal(log_complain(&c, 1030, LOG_WARNING, "x"), 0);
	assert_int_equal(log_complain(&c, 1060, LOG_WARNING, "x"), 1);   /* after 60 s */
	assert_int_equal(log_complain(&c, 1170, LOG_WARNING, "x"), 0);   /* 120 s now */
	assert_int_equal(log_complain(&c, 1180, LOG_WARNING, "x"), 1);
}

static void test_recovery_once(void **state)
{
	struct log_complain c = { 0 };
	assert_int_equal(log_complain_clear(&c, "ok"), 0);   /* nothing to recover */
	log_complain(&c, 1000, LOG_WARNING, "x");
	assert_int_equal(log_complain_clear(&c, "ok"), 1);
	assert_int_equal(log_complain_clear(&c, "ok"), 0);
}

static void test_flapping_stays_quiet(void **state)
{
	struct log_complain c = { 0 };
	int logged = 0;
	/* Bad, good, bad, good ... every second for 50 s: one failure line
	 * and one recovery line, not 50 of each. */
	for (time_t t = 1000; t < 1050; t += 2) {
		logged += log_complain(&c, t, LOG_WARNING, "x");
		logged += log_complain_clear(&c, "ok");
	}
	assert_int_equal(logged, 2);
	/* The back-off still runs: a minute on, it may speak again. */
	assert_int_equal(log_complain(&c, 1061, LOG_WARNING, "x"), 1);
}

static void test_quiet_day_resets(void **state)
{
	struct log_complain c = { 0 };
	for (time_t t = 0; t < 10000; t += 10)
		log_complain(&c, t, LOG_WARNING, "x");   /* back-off grows */
	log_complain_clear(&c, "ok");
	/* Failing all along at the longest back-off: still held back. */
	assert_int_equal(log_complain(&c, 10000 + 3600, LOG_WARNING, "x"), 0);
	/* A whole day with no failure: the next one is news again. */
	assert_int_equal(log_complain(&c, 10000 + 3600 + 86400, LOG_WARNING, "x"), 1);
	assert_int_equal(log_complain(&c, 10000 + 3600 + 86400 + 30, LOG_WARNING, "x"), 0);
}

int main(void)
{
	log_open("test_log", 0, LOG_ERR);   /* the messages themselves: silent */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_doubles),
		cmocka_unit_test(test_recovery_once),
		cmocka_unit_test(test_flapping_stays_quiet),
		cmocka_unit_test(test_quiet_day_resets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
