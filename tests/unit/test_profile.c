/*
 * test_profile.c — the profile loader and matcher: every shipped profile
 * loads through config_load, sysObjectID prefixes and sysDescr globs pick
 * the right one (the longest prefix wins), a user profile replaces a
 * shipped one of the same name, and OIDs are parsed strictly.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/config.h"
#include "common/profile.h"

static char dir[64], shipped[4096];

static void write_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* config_load of a config naming PROFILES_DIR; NULL with ERR on failure. */
static struct serat_config *load(const char *profiles_dir, const char *device_extra,
				 char *err, size_t len)
{
	char conf[8192], path[256];
	snprintf(conf, sizeof(conf),
		 "data_dir: /tmp\nprofiles_dir: %s\nsnmp: {version: 2c, community: public}\n"
		 "sites:\n  - name: s\n    kind: other\n    devices:\n"
		 "      - {name: d, address: 127.0.0.1%s}\n", profiles_dir, device_extra);
	snprintf(path, sizeof(path), "%s/serat.yaml", dir);
	FILE *f = fopen(path, "w");
	fputs(conf, f);
	fclose(f);
	return config_load(path, err, len);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_profile.XXXXXX");
	assert_non_null(mkdtemp(dir));
	const char *top = getenv("top_srcdir");
	snprintf(shipped, sizeof(shipped), "%s/etc/profiles", top ? top : ".");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static const struct profile *match(const struct profile_set *s, const char *oidtext,
				   const char *descr)
{
	uint32_t sub[PROFILE_OID_MAX];
	size_t n = 0;
	if (oidtext != NULL)
		assert_int_equal(profile_oid_parse(oidtext, sub, PROFILE_OID_MAX, &n), 0);
	return profile_set_match(s, sub, n, descr);
}

static void test_shipped(void **state)
{
	(void)state;
	char err[4096] = "";
	struct serat_config *c = load(shipped, "", err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	const struct profile_set *s = c->profiles;
	assert_non_null(s);
	assert_true(s->n >= 10);
	const struct profile *cisco = profile_set_find(s, "cisco");
	assert_non_null(cisco);
	assert_int_equal(cisco->vendor, OPTICS_VENDOR_CISCO);
	/* rx and tx share entSensorValue and friends: walked once. */
	assert_int_equal(cisco->n_metrics, 4);
	assert_int_equal(cisco->metrics[0].value_col, cisco->metrics[1].value_col);
	/* type, scale, precision, value, status, name, contained-in, alias,
	 * 3 threshold-table columns, cpu */
	assert_int_equal(cisco->n_columns, 12);
	assert_int_equal(cisco->metrics[0].thr_val_col, cisco->metrics[1].thr_val_col);
	assert_int_equal(cisco->metrics[0].port, PROFILE_PORT_ENTITY);
	assert_int_equal(cisco->metrics[0].ent_name_col, cisco->metrics[0].name_col);
	assert_int_equal(cisco->metrics[0].dir, OPTICS_DIR_RX);
	assert_int_equal(cisco->metrics[1].dir, OPTICS_DIR_TX);
	const struct profile *jd = profile_set_find(s, "juniper-dom");
	assert_int_equal(jd->metrics[0].thr_col[PROFILE_THR_LOW_ALARM] >= 0, 1);
	assert_int_equal(jd->metrics[0].unit, OPTICS_UNIT_DBM);
	assert_int_equal(jd->metrics[0].precision, 2);
	const struct profile *hw = profile_set_find(s, "huawei-vrp");
	assert_int_equal(hw->metrics[0].unit, OPTICS_UNIT_UW);
	assert_null(profile_set_find(s, "nope"));

	assert_ptr_equal(match(s, "1.3.6.1.4.1.9.1.1208", NULL), cisco);
	assert_string_equal(match(s, "1.3.6.1.4.1.14988.1", NULL)->name, "mikrotik");
	assert_string_equal(match(s, "1.3.6.1.4.1.2011.2.23.294", NULL)->name, "huawei-vrp");
	assert_string_equal(match(s, "1.3.6.1.4.1.41112.1.5", NULL)->name, "ufiber-olt");
	assert_string_equal(match(s, "1.3.6.1.4.1.2636.1.1.1.4.82.28", NULL)->name, "juniper-dom");
	assert_string_equal(match(s, "1.3.6.1.4.1.30065.1.3011.7150.3282.24", NULL)->name,
			    "arista");
	/* a prefix must end at a sub-identifier: 1.3.6.1.4.1.99 is not .9 */
	assert_null(match(s, "1.3.6.1.4.1.99.1", NULL));
	assert_null(match(s, "1.3.6.1.4.1.9", NULL));
	assert_null(match(s, NULL, "Linux box"));
	config_free(c);
}

static void test_user_profiles(void **state)
{
	(void)state;
	char err[4096] = "", sub[128];
	snprintf(sub, sizeof(sub), "%s/mine", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	write_file("mine/a.yaml",
		   "name: c2960\nvendor: cisco\nmatch: {sysobjectid: [1.3.6.1.4.1.9.1.1208]}\n"
		   "metrics:\n  - {metric: if.rx_power_dbm, value: 1.3.6.1.4.1.9.9.91.1.1.1.1.4,"
		   " unit: dBm, precision: 1, port: index}\n");
	write_file("mine/b.yaml",
		   "name: boxes\nmatch: {sysdescr: [\"*RouterOS*\"]}\n"
		   "metrics:\n  - {metric: device.cpu_pct, value: 1.3.6.1.2.1.25.3.3.1.2,"
		   " unit: percent, port: device, aggregate: max}\n");
	/* Replaces the shipped mikrotik profile: the same name. */
	write_file("mine/c.yaml",
		   "name: mikrotik\nmatch: {sysobjectid: [1.3.6.1.4.1.14988]}\n"
		   "metrics:\n  - {metric: if.rx_power_dbm, value: 1.3.6.1.4.1.14988.1.1.19.1.1.10,"
		   " unit: 0.001 dBm, port: index, thresholds: {low_alarm: -20.5, high_alarm: 1}}\n");
	write_file("mine/notes.txt", "not a profile\n");
	struct serat_config *c = load(sub, ", profile: boxes", err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	const struct profile_set *s = c->profiles;
	assert_int_equal(s->n, 3);
	assert_string_equal(c->devices[0].profile, "boxes");
	assert_string_equal(match(s, "1.3.6.1.4.1.9.1.1208.5", NULL)->name, "c2960");
	assert_string_equal(match(s, NULL, "RouterOS 6.40 on RB952")->name, "boxes");
	/* sysObjectID wins over sysDescr */
	assert_string_equal(match(s, "1.3.6.1.4.1.14988.1", "RouterOS")->name, "mikrotik");
	const struct profile *mt = profile_set_find(s, "mikrotik");
	assert_true(mt->metrics[0].thr_value[PROFILE_THR_LOW_ALARM] == -20.5);
	assert_true(mt->metrics[0].thr_value[PROFILE_THR_HIGH_ALARM] == 1);
	assert_true(isnan(mt->metrics[0].thr_value[PROFILE_THR_LOW_WARN]));
	assert_int_equal(mt->metrics[0].precision, 3);
	config_free(c);

	/* The user's "mikrotik" (a shipped name) is the one in the set; the
	 * shipped directory is loaded first (profile_config_load), so a user
	 * profile replaces the shipped one of its name. */
	c = load(sub, "", err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(profile_set_find(c->profiles, "mikrotik")->n_metrics, 1);
	config_free(c);
}

static void test_errors(void **state)
{
	(void)state;
	char err[4096] = "", sub[128];
	snprintf(sub, sizeof(sub), "%s/bad", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	write_file("bad/x.yaml",
		   "name: x\nmetrics:\n"
		   "  - {metric: device.cpu_pct, value: 1.3.6.1.2.1.25.3.3.1.2, unit: percent}\n"
		   "  - {metric: if.rx_power_dbm, value: 1.3.6.1.2.1.2, unit: dBm, port: name}\n"
		   "  - {metric: if.rx_power_dbm, value: 1.3.6.1.2.1.2, unit: dBm, scale: 18}\n"
		   "  - {metric: if.rx_power_dbm, value: 1.3.6.1.2.1.2, unit: dBm,"
		   " name: 1.3.6.1.2.1.47.1.1.1.1.7, port_pattern: \"nogroup\", port: name}\n");
	struct serat_config *c = load(sub, "", err, sizeof(err));
	assert_null(c);
	assert_non_null(strstr(err, "x.yaml:3:5: device.cpu_pct needs 'port: device'"));
	assert_non_null(strstr(err, "x.yaml:4:5: 'port: name' needs 'name'"));
	assert_non_null(strstr(err, "x.yaml:5:71: 'scale' must be a number from 1 to 17"));
	assert_non_null(strstr(err, "'port_pattern' needs a group"));
	/* a missing profiles_dir is an error; the device names a missing profile */
	c = load("/nonexistent-serat-profiles", ", profile: zz", err, sizeof(err));
	assert_null(c);
	assert_non_null(strstr(err, "profiles_dir /nonexistent-serat-profiles: No such file"));
	assert_non_null(strstr(err, "device 'd': unknown profile 'zz'"));
}

static void test_oid_parse(void **state)
{
	(void)state;
	uint32_t sub[PROFILE_OID_MAX];
	size_t n;
	assert_int_equal(profile_oid_parse(".1.3.6.1.4.1.9", sub, PROFILE_OID_MAX, &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(sub[6], 9);
	assert_int_equal(profile_oid_parse("1.3.6.1.4294967295", sub, PROFILE_OID_MAX, &n), 0);
	assert_int_equal(sub[4], 4294967295u);
	const char *bad[] = { "", "1", "1.3.", "1..3", "1.3.6,1", "3.1", "1.3.6.1.4294967296",
			      "1.3.a", " 1.3", "1.3 ", "-1.3" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (profile_oid_parse(bad[i], sub, PROFILE_OID_MAX, &n) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	assert_int_equal(profile_oid_parse("1.3.6.1.2.1.2.2.1.2", sub, 5, &n), -EINVAL);
	assert_string_equal(profile_thr_name(PROFILE_THR_HIGH_WARN), "high_warn");
	assert_null(profile_thr_name(PROFILE_THR_COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_user_profiles),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_oid_parse),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
