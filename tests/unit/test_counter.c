/*
 * test_counter.c — the counter arithmetic, edge cases first.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "collector/counter.h"

static void test_plain_delta(void **state)
{
	double r = -1;
	assert_int_equal(counter_rate(1000, 3000, 64, 2.0, 0, &r), 0);
	assert_true(r == 1000.0);
	assert_int_equal(counter_rate(5, 5, 32, 1.0, 0, &r), 0);
	assert_true(r == 0.0);
}

static void test_wrap32(void **state)
{
	double r = -1;
	/* 2^32 - 100 -> 900 is 1000 counts. */
	assert_int_equal(counter_rate(UINT32_MAX - 99, 900, 32, 1.0, 0, &r), 0);
	assert_true(r == 1000.0);
	/* The same wrap is impossible on a link that does 500/s: a reset. */
	assert_int_equal(counter_rate(UINT32_MAX - 99, 900, 32, 1.0, 500, &r), -ERANGE);
	/* A reset to a low value after a high one: a "wrap" of ~4e9 in 60 s
	 * exceeds a 100 Mbit/s link (12.5e6 B/s), so it is a gap. */
	assert_int_equal(counter_rate(3000000000u, 10, 32, 60.0, 12.5e6, &r), -ERANGE);
}

static void test_wrap32_exact_boundary(void **state)
{
	double r = -1;
	assert_int_equal(counter_rate(UINT32_MAX, 0, 32, 1.0, 0, &r), 0);
	assert_true(r == 1.0);
	assert_int_equal(counter_rate(0, UINT32_MAX, 32, 1.0, 0, &r), 0);
	assert_true(r == (double)UINT32_MAX);
}

static void test_64bit_never_wraps(void **state)
{
	double r = -1;
	assert_int_equal(counter_rate(UINT64_MAX - 10, 5, 64, 1.0, 0, &r), -ERANGE);
	assert_int_equal(counter_rate(1ull << 40, 1ull << 39, 64, 1.0, 0, &r), -ERANGE);
	/* Large but valid 64-bit delta. */
	assert_int_equal(counter_rate(0, UINT64_MAX, 64, 1.0, 0, &r), 0);
	assert_true(r > 1.8e19);
}

static void test_32bit_value_beyond_width_is_gap(void **state)
{
	double r;
	/* A 32-bit column that suddenly reports > 2^32 is not a wrap. */
	assert_int_equal(counter_rate(1ull << 33, 5, 32, 1.0, 0, &r), -ERANGE);
}

static void test_bad_args(void **state)
{
	double r;
	assert_int_equal(counter_rate(0, 1, 32, 0.0, 0, &r), -EINVAL);
	assert_int_equal(counter_rate(0, 1, 32, -1.0, 0, &r), -EINVAL);
	assert_int_equal(counter_rate(0, 1, 32, NAN, 0, &r), -EINVAL);
	assert_int_equal(counter_rate(0, 1, 16, 1.0, 0, &r), -EINVAL);
}

static void test_rate_above_max_is_gap(void **state)
{
	double r;
	assert_int_equal(counter_rate(0, 2000, 64, 1.0, 1000, &r), -ERANGE);
	assert_int_equal(counter_rate(0, 1000, 64, 1.0, 1000, &r), 0);
}

static void test_elapsed_agent_clock(void **state)
{
	double dt;
	/* 60.00 s of agent time against 60.3 s locally: agent wins. */
	assert_int_equal(counter_elapsed(1000, 7000, 60.3, &dt), COUNTER_CLOCK_AGENT);
	assert_true(fabs(dt - 60.0) < 1e-9);
}

static void test_elapsed_static_uptime(void **state)
{
	double dt;
	/* A recording whose sysUpTime never moves: local time, no reboot. */
	assert_int_equal(counter_elapsed(5000, 5000, 2.0, &dt), COUNTER_CLOCK_LOCAL);
	assert_true(dt == 2.0);
}

static void test_elapsed_reboot(void **state)
{
	double dt;
	assert_int_equal(counter_elapsed(900000, 300, 60.0, &dt), COUNTER_CLOCK_REBOOT);
	assert_true(dt == 60.0);
}

static void test_elapsed_uptime_wrap(void **state)
{
	double dt;
	/* 497 days in: sysUpTime wraps, but 60 s passed on both clocks. */
	assert_int_equal(counter_elapsed(UINT32_MAX - 2999, 3000, 60.0, &dt),
			 COUNTER_CLOCK_AGENT);
	assert_true(fabs(dt - 60.0) < 1e-9);
}

static void test_elapsed_agent_disagrees(void **state)
{
	double dt;
	/* The agent claims 10 minutes passed in 60 s: a gap.  Our clock is
	 * only for agents whose sysUpTime does not move at all. */
	assert_int_equal(counter_elapsed(0, 60000, 60.0, &dt), COUNTER_CLOCK_SKEW);
	assert_true(dt == 60.0);
}

static void test_elapsed_stall_is_gap(void **state)
{
	double dt;
	/* Issue 6: a loop stalled by a blocking call reads a reply 12.5 s
	 * after the previous one, the agent says 10 s passed (2.25x and 2.7x
	 * were stored when our clock was used beyond 50 %): a gap. */
	assert_int_equal(counter_elapsed(500000, 501000, 22.5, &dt), COUNTER_CLOCK_SKEW);
	assert_int_equal(counter_elapsed(500000, 501000, 27.0, &dt), COUNTER_CLOCK_SKEW);
	assert_int_equal(counter_elapsed(500000, 501000, 12.5, &dt), COUNTER_CLOCK_SKEW);
	/* ... and a reply read early after a late one, the other way. */
	assert_int_equal(counter_elapsed(500000, 501000, 4.0, &dt), COUNTER_CLOCK_SKEW);
}

static void test_elapsed_two_restarts(void **state)
{
	double dt;
	/* Previous sample 5 s after a restart; the agent restarted twice
	 * since and has been up 8 s now, 10 s later: uptime grew by 3 s only
	 * and is below the 10 s that passed.  Today's rule saw no reboot. */
	assert_int_equal(counter_elapsed(500, 800, 10.0, &dt), COUNTER_CLOCK_REBOOT);
	assert_true(dt == 10.0);
	/* One restart that left uptime above its previous value too. */
	assert_int_equal(counter_elapsed(200, 900, 10.0, &dt), COUNTER_CLOCK_REBOOT);
	/* A young agent ticking normally is no reboot. */
	assert_int_equal(counter_elapsed(500, 1500, 10.0, &dt), COUNTER_CLOCK_AGENT);
}

static void test_rate_ceiling(void **state)
{
	double r;
	/* Twice line rate: a 1 Gbit/s port carries at most 250 MB/s. */
	assert_true(fabs(counter_rate_ceiling(1e9, COUNTER_OCTETS) - 250e6) < 1);
	assert_true(fabs(counter_rate_ceiling(1e9, COUNTER_PACKETS) - 250e6 / 64) < 1);
	/* No speed reported: the fastest link there is. */
	assert_true(fabs(counter_rate_ceiling(0, COUNTER_OCTETS) - 100e9) < 1);
	assert_true(fabs(counter_rate_ceiling(NAN, COUNTER_OCTETS) - 100e9) < 1);
	/* Issue 7: a Counter64 jump of 2^50 in 10 s on a 1 Gbit/s port. */
	double max = counter_rate_ceiling(1e9, COUNTER_OCTETS);
	assert_int_equal(counter_rate(1000, 1000 + (1ull << 50), 64, 10.0, max, &r), -ERANGE);
	/* A garbage value on a port without speed is a gap too. */
	assert_int_equal(counter_rate(1000, 4375000000000000000ull, 64, 10.0,
				      counter_rate_ceiling(0, COUNTER_OCTETS), &r), -ERANGE);
	/* 400 % of a 1 Gbit/s port (two ports mixed into one): a gap. */
	assert_int_equal(counter_rate(0, 500000000ull * 10, 64, 10.0, max, &r), -ERANGE);
	/* Line rate passes. */
	assert_int_equal(counter_rate(0, 125000000ull * 10, 64, 10.0, max, &r), 0);
	assert_true(fabs(r - 125e6) < 1);
	/* The same ceiling decides a 32-bit wrap from a reset. */
	assert_int_equal(counter_rate(3000000000u, 10, 32, 10.0,
				      counter_rate_ceiling(100e6, COUNTER_OCTETS), &r), -ERANGE);
}

static void test_elapsed_skew_is_gap(void **state)
{
	double dt;
	/* 2.26 s of agent time in 2.00 s: an agent that stalled between
	 * sysUpTime and the counters of a reply.  Neither clock can be
	 * trusted for this sample: a gap (13 % would be a spike). */
	assert_int_equal(counter_elapsed(1000, 1226, 2.0, &dt), COUNTER_CLOCK_SKEW);
	assert_int_equal(counter_elapsed(1000, 1107, 2.0, &dt), COUNTER_CLOCK_SKEW); /* 0.53x */
	/* Within 10 % + 30 ms (tick and jitter): the agent's clock. */
	assert_int_equal(counter_elapsed(1000, 1221, 2.0, &dt), COUNTER_CLOCK_AGENT);
	assert_true(fabs(dt - 2.21) < 1e-9);
	assert_int_equal(counter_elapsed(1000, 1102, 1.0, &dt), COUNTER_CLOCK_AGENT);
	/* 60 s intervals: a 1 s disagreement is still the agent's clock. */
	assert_int_equal(counter_elapsed(0, 6100, 60.0, &dt), COUNTER_CLOCK_AGENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_delta),
		cmocka_unit_test(test_wrap32),
		cmocka_unit_test(test_wrap32_exact_boundary),
		cmocka_unit_test(test_64bit_never_wraps),
		cmocka_unit_test(test_32bit_value_beyond_width_is_gap),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_rate_above_max_is_gap),
		cmocka_unit_test(test_elapsed_agent_clock),
		cmocka_unit_test(test_elapsed_static_uptime),
		cmocka_unit_test(test_elapsed_reboot),
		cmocka_unit_test(test_elapsed_uptime_wrap),
		cmocka_unit_test(test_elapsed_agent_disagrees),
		cmocka_unit_test(test_elapsed_skew_is_gap),
		cmocka_unit_test(test_elapsed_stall_is_gap),
		cmocka_unit_test(test_elapsed_two_restarts),
		cmocka_unit_test(test_rate_ceiling),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
