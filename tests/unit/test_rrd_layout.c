/*
 * test_rrd_layout.c — the on-disk layout without a store: DS names and
 * order come from the metric registry (and keep the 0.1.0 names), paths are
 * escaped and stay inside data_dir, and the rrd_create arguments match
 * DESIGN.md's RRAs at any step.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "common/rrd_layout.h"

static void test_ds_from_registry(void **state)
{
	/* The 0.1.0 on-disk names, in file order: never change them. */
	static const char *const ifs[] = { "in", "out", "inpkt", "outpkt", "inerr", "outerr",
					   "indisc", "outdisc", "util", "oper" };
	static const char *const devs[] = { "reachable", "rtt", "uptime" };
	(void)state;
	assert_int_equal(rrd_layout_ds_count(METRIC_RRD_INTERFACE), 10);
	assert_int_equal(rrd_layout_ds_count(METRIC_RRD_DEVICE), 3);
	assert_int_equal(rrd_layout_ds_count(METRIC_RRD_NONE), 0);
	for (size_t i = 0; i < 10; i++) {
		const struct metric_def *m = rrd_layout_ds(METRIC_RRD_INTERFACE, i);
		assert_non_null(m);
		assert_string_equal(m->rrd_ds, ifs[i]);
		assert_int_equal(m->rrd_file, METRIC_RRD_INTERFACE);
		assert_int_equal(rrd_layout_ds_index(METRIC_RRD_INTERFACE, ifs[i]), (int)i);
	}
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(rrd_layout_ds(METRIC_RRD_DEVICE, i)->rrd_ds, devs[i]);
	assert_null(rrd_layout_ds(METRIC_RRD_INTERFACE, 10));
	assert_int_equal(rrd_layout_ds_index(METRIC_RRD_DEVICE, "in"), -1);
	/* Every stored metric fits the writer's bound. */
	assert_true(rrd_layout_ds_count(METRIC_RRD_INTERFACE) <= RRD_LAYOUT_MAX_DS);
}

static void test_paths(void **state)
{
	char buf[512];
	(void)state;
	assert_int_equal(rrd_layout_path("/d/", METRIC_RRD_INTERFACE, "sw1", "Gi0/1",
					 buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/d/rrd/sw1/if/Gi0%2F1.rrd");
	assert_int_equal(rrd_layout_path("/d", METRIC_RRD_DEVICE, "../x", NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/d/rrd/%2E.%2Fx/device.rrd");
	assert_int_equal(rrd_layout_path("/d", METRIC_RRD_INTERFACE, "sw1", NULL, buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(rrd_layout_path("/d", METRIC_RRD_NONE, "sw1", NULL, buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(rrd_layout_path("/d", METRIC_RRD_DEVICE, "sw1", NULL, buf, 8),
			 -ENAMETOOLONG);
}

static void test_create_args(void **state)
{
	struct rrd_layout_args a;
	size_t n;
	(void)state;
	const struct rra_conf *def = rrd_layout_default_rras(&n);
	assert_int_equal(n, 4);
	assert_int_equal(def[0].step_s, 60);
	assert_int_equal(def[3].span_s, 730 * 86400);

	assert_int_equal(rrd_layout_create_args(METRIC_RRD_DEVICE, 60, NULL, 0, &a), 0);
	assert_int_equal(a.argc, 3 + 8);
	/* Each DS has the registry's maximum: above it RRD stores unknown. */
	assert_string_equal(a.argv[0], "DS:reachable:GAUGE:120:0:1");
	assert_string_equal(a.argv[1], "DS:rtt:GAUGE:120:0:600");
	assert_string_equal(a.argv[3], "RRA:AVERAGE:0.5:1:2880");
	assert_string_equal(a.argv[4], "RRA:MAX:0.5:1:2880");
	assert_string_equal(a.argv[10], "RRA:MAX:0.5:1440:730");
	rrd_layout_args_cleanup(&a);

	/* A 7 s step: an RRA step not a multiple rounds pdp up. */
	struct rra_conf r[] = { { 60, 3600 }, { 0, 70 } };
	assert_int_equal(rrd_layout_create_args(METRIC_RRD_INTERFACE, 7, r, 2, &a), 0);
	assert_int_equal(a.argc, 10 + 4);
	assert_string_equal(a.argv[9], "DS:oper:GAUGE:14:0:1");
	assert_string_equal(a.argv[10], "RRA:AVERAGE:0.5:9:60");
	assert_string_equal(a.argv[12], "RRA:AVERAGE:0.5:1:10");
	rrd_layout_args_cleanup(&a);
	rrd_layout_args_cleanup(&a);   /* twice is harmless */

	assert_int_equal(rrd_layout_create_args(METRIC_RRD_NONE, 60, NULL, 0, &a), -EINVAL);
	assert_int_equal(rrd_layout_create_args(METRIC_RRD_DEVICE, 0, NULL, 0, &a), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ds_from_registry),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_create_args),
	};
	return cmocka_run_group_tests_name("rrd_layout", tests, NULL, NULL);
}
