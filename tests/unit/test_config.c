/*
 * test_config.c — the config loader's logic that must be exactly right:
 * durations, SNMP override merging, interface globs, parent resolution,
 * RFC 4180 quoting, typed rules and maintenance windows, times in a zone,
 * the name index, and what both readers share (one SNMP field parser).  The messages themselves are covered by the golden
 * files in tests/config (tests/integration/config.sh).
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
#include <unistd.h>
#include <cmocka.h>

#include <sys/stat.h>

#include "common/config.h"
#include "common/config_build.h"
#include "common/config_csv.h"
#include "common/metric.h"
#include "common/tz.h"

/* ---- helpers --------------------------------------------------------- */

static char test_dir[64];

static int test_setup(void **state)
{
	snprintf(test_dir, sizeof(test_dir), "/tmp/serat-test-config.XXXXXX");
	return mkdtemp(test_dir) ? 0 : -1;
}

static int test_teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", test_dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Write TEXT to NAME in the test directory; the path goes into PATH. */
static void test_write(const char *name, const char *text, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", test_dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static struct serat_config *test_load(const char *yaml, char *err, size_t errlen)
{
	char path[256];

	test_write("t.yaml", yaml, path, sizeof(path));
	return config_load(path, err, errlen);
}

/* ---- parse_duration_ms ----------------------------------------------- */

static void test_duration_units(void **state)
{
	uint64_t ms = 1;

	assert_int_equal(parse_duration_ms("90s", &ms), 0);
	assert_true(ms == 90000);
	assert_int_equal(parse_duration_ms("5m", &ms), 0);
	assert_true(ms == 300000);
	assert_int_equal(parse_duration_ms("2h", &ms), 0);
	assert_true(ms == 7200000);
	assert_int_equal(parse_duration_ms("2d", &ms), 0);
	assert_true(ms == 2 * 86400000ULL);
	assert_int_equal(parse_duration_ms("2w", &ms), 0);
	assert_true(ms == 14 * 86400000ULL);
	assert_int_equal(parse_duration_ms("1M", &ms), 0);
	assert_true(ms == 30 * 86400000ULL);
	assert_int_equal(parse_duration_ms("1y", &ms), 0);
	assert_true(ms == 365 * 86400000ULL);
	assert_int_equal(parse_duration_ms("1500ms", &ms), 0);
	assert_true(ms == 1500);
	/* A bare number is seconds. */
	assert_int_equal(parse_duration_ms("60", &ms), 0);
	assert_true(ms == 60000);
	assert_int_equal(parse_duration_ms("0s", &ms), 0);
	assert_true(ms == 0);
	assert_int_equal(parse_duration_ms("007s", &ms), 0);
	assert_true(ms == 7000);
}

static void test_duration_invalid(void **state)
{
	static const char *const bad[] = {
		"", "s", "m5", "-1s", "+1s", " 1s", "1s ", "1.5s", "1x", "1S", "1H", "5 m",
		"1m30s", "ms", "1mss",
		"99999999999999999999s",          /* > UINT64_MAX before the unit */
		"18446744073709551615",           /* fits, but not once in ms */
		"18446744073709552y",             /* overflows in the multiplication */
	};
	uint64_t ms = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_duration_ms(bad[i], &ms) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(ms == 42);          /* untouched on error */
	}
	assert_int_equal(parse_duration_ms(NULL, &ms), -EINVAL);
	/* The largest value that fits. */
	assert_int_equal(parse_duration_ms("18446744073709551615ms", &ms), 0);
	assert_true(ms == UINT64_MAX);
}

/* ---- interface globs ------------------------------------------------- */

static void test_watches_interface(void **state)
{
	char *globs[] = { "ge-0/0/*", "ae[0-9]", "Gi1/0/1?", NULL };
	struct device_conf all = { .interfaces = NULL };
	struct device_conf some = { .interfaces = globs, .n_interfaces = 3 };

	assert_true(device_watches_interface(&all, "anything"));
	assert_true(device_watches_interface(&all, ""));
	assert_true(device_watches_interface(&some, "ge-0/0/1"));
	assert_true(device_watches_interface(&some, "ge-0/0/47"));
	assert_false(device_watches_interface(&some, "ge-0/1/1"));
	assert_true(device_watches_interface(&some, "ae3"));
	assert_false(device_watches_interface(&some, "ae10"));
	assert_false(device_watches_interface(&some, "AE3"));   /* case matters */
	assert_true(device_watches_interface(&some, "Gi1/0/12"));
	assert_false(device_watches_interface(&some, "Gi1/0/1"));
	assert_false(device_watches_interface(&some, "xe-0/0/0"));
}

/* ---- SNMP merging ---------------------------------------------------- */

static void test_snmp_merge(void **state)
{
	char err[4096];
	struct serat_config *c = test_load(
		"snmp:\n"
		"  version: 2c\n"
		"  community: global-secret\n"
		"  timeout: 3s\n"
		"  retries: 2\n"
		"  port: 1161\n"
		"sites:\n"
		"  - name: s\n"
		"    kind: other\n"
		"    devices:\n"
		"      - {name: plain, address: 10.0.0.1}\n"
		"      - name: own-community\n"
		"        address: 10.0.0.2:2161\n"
		"        snmp: {community: other, retries: 0}\n"
		"      - name: v3\n"
		"        address: 10.0.0.3\n"
		"        snmp: {version: 3, user: u, auth_protocol: SHA, auth_password: 12345678,\n"
		"               context: ctx}\n",
		err, sizeof(err));
	const struct device_conf *d;

	if (c == NULL)
		fail_msg("%s", err);
	assert_int_equal(c->n_devices, 3);

	d = &c->devices[config_find_device(c, "plain")];
	assert_int_equal(d->snmp.version, 2);
	assert_string_equal(d->snmp.community, "global-secret");
	assert_int_equal(d->snmp.timeout_ms, 3000);
	assert_int_equal(d->snmp.retries, 2);
	assert_int_equal(d->port, 1161);             /* the global snmp port */

	d = &c->devices[config_find_device(c, "own-community")];
	assert_string_equal(d->snmp.community, "other");
	assert_int_equal(d->snmp.retries, 0);        /* 0 is a value, not "unset" */
	assert_int_equal(d->snmp.timeout_ms, 3000);  /* inherited */
	assert_int_equal(d->port, 2161);             /* the address wins */

	d = &c->devices[config_find_device(c, "v3")];
	assert_int_equal(d->snmp.version, 3);
	assert_string_equal(d->snmp.user, "u");
	assert_int_equal(d->snmp.auth_proto, SNMP_AUTH_SHA);
	assert_string_equal(d->snmp.auth_password, "12345678");
	assert_int_equal(d->snmp.priv_proto, SNMP_PRIV_NONE);
	assert_null(d->snmp.priv_password);
	assert_string_equal(d->snmp.context, "ctx");
	assert_string_equal(d->snmp.community, "global-secret");

	/* The global block is left as written. */
	assert_null(c->snmp.user);
	assert_int_equal(c->snmp.version, 2);
	config_free(c);
}

static void test_defaults(void **state)
{
	char err[4096];
	struct serat_config *c = test_load("snmp: {community: x}\n", err, sizeof(err));

	if (c == NULL)
		fail_msg("%s", err);
	assert_string_equal(c->data_dir, "/var/lib/serat");
	assert_int_equal(c->interval_ms, 60000);
	assert_string_equal(c->timezone, "Asia/Jakarta");
	assert_string_equal(c->http_listen, "127.0.0.1:8080");
	assert_int_equal(c->snmp.version, 2);
	assert_int_equal(c->snmp.timeout_ms, 2000);
	assert_int_equal(c->snmp.retries, 1);
	assert_int_equal(c->max_in_flight, 64);
	assert_int_equal(c->bulk_max_varbinds, 60);
	assert_null(c->rrdcached);
	assert_int_equal(c->n_rras, 4);
	assert_int_equal(c->rras[0].step_s, 60);
	assert_int_equal(c->rras[0].span_s, 2 * 86400);
	assert_int_equal(c->rras[3].step_s, 86400);
	assert_int_equal(c->rras[3].span_s, 730 * 86400);
	config_free(c);
	config_free(NULL);
}

/* ---- parents --------------------------------------------------------- */

static void test_parents(void **state)
{
	char err[4096];
	struct serat_config *c = test_load(
		"snmp: {community: x}\n"
		"sites:\n"
		"  - name: s\n"
		"    kind: core\n"
		"    devices:\n"
		"      - {name: leaf, address: 10.0.0.3, parent: agg}\n"
		"      - {name: core, address: 10.0.0.1}\n"
		"      - {name: agg, address: 10.0.0.2, parent: core}\n",
		err, sizeof(err));
	long leaf, core, agg;

	if (c == NULL)
		fail_msg("%s", err);
	leaf = config_find_device(c, "leaf");
	core = config_find_device(c, "core");
	agg = config_find_device(c, "agg");
	assert_true(leaf >= 0 && core >= 0 && agg >= 0);
	assert_int_equal(config_find_device(c, "nope"), -1);
	/* A parent defined after its child still resolves. */
	assert_int_equal(c->devices[leaf].parent_index, agg);
	assert_int_equal(c->devices[agg].parent_index, core);
	assert_int_equal(c->devices[core].parent_index, -1);
	assert_null(c->devices[core].parent);
	config_free(c);
}

static void test_parent_errors(void **state)
{
	char err[4096];
	struct serat_config *c = test_load(
		"snmp: {community: x}\n"
		"sites:\n"
		"  - name: s\n"
		"    kind: core\n"
		"    devices:\n"
		"      - {name: a, address: 10.0.0.1, parent: b}\n"
		"      - {name: b, address: 10.0.0.2, parent: a}\n"
		"      - {name: c, address: 10.0.0.3, parent: c}\n"
		"      - {name: d, address: 10.0.0.4, parent: zz}\n",
		err, sizeof(err));

	assert_null(c);
	assert_non_null(strstr(err, "t.yaml:6:46: device 'a': parent cycle a -> b -> a\n"));
	assert_non_null(strstr(err, "t.yaml:8:46: device 'c' is its own parent\n"));
	assert_non_null(strstr(err, "t.yaml:9:46: device 'd': parent 'zz' does not exist\n"));
}

static void test_error_buffer_truncates(void **state)
{
	char err[24];
	struct serat_config *c = test_load("bogus: 1\nmore: 2\n", err, sizeof(err));

	assert_null(c);
	assert_int_equal(strlen(err), sizeof(err) - 1);    /* cut, terminated */
}

/* ---- CSV ------------------------------------------------------------- */

static void test_csv_quoting(void **state)
{
	static const char data[] =
		"\xEF\xBB\xBF# comment\r\n"
		"a,\"b,c\",\"say \"\"hi\"\"\",  d  ,\r\n"
		"\r\n"
		"\"multi\nline\",x\n"
		"   \n"
		"last,\"\"";
	struct csv_reader *r = csv_reader_new(data, sizeof(data) - 1);
	unsigned line = 0;
	char **f;

	assert_non_null(r);
	assert_int_equal(csv_reader_next(r, &f, &line), 5);
	assert_int_equal(line, 2);
	assert_string_equal(f[0], "a");
	assert_string_equal(f[1], "b,c");
	assert_string_equal(f[2], "say \"hi\"");
	assert_string_equal(f[3], "d");            /* blanks trimmed */
	assert_string_equal(f[4], "");             /* trailing empty field */
	assert_null(f[5]);

	assert_int_equal(csv_reader_next(r, &f, &line), 2);
	assert_int_equal(line, 4);
	assert_string_equal(f[0], "multi\nline");
	assert_string_equal(f[1], "x");

	assert_int_equal(csv_reader_next(r, &f, &line), 2);
	assert_int_equal(line, 7);                 /* the newline inside quotes counted */
	assert_string_equal(f[0], "last");
	assert_string_equal(f[1], "");
	assert_int_equal(csv_reader_next(r, &f, &line), 0);
	csv_reader_free(r);
	csv_reader_free(NULL);
}

static void test_csv_malformed(void **state)
{
	static const char unterminated[] = "a,b\n\"open,c\n";
	static const char after_quote[] = "\"x\"y,z\n";
	struct csv_reader *r;
	unsigned line = 0;
	char **f;

	r = csv_reader_new(unterminated, sizeof(unterminated) - 1);
	assert_int_equal(csv_reader_next(r, &f, &line), 2);
	assert_int_equal(csv_reader_next(r, &f, &line), -EINVAL);
	assert_int_equal(line, 2);
	assert_string_equal(csv_reader_error(r), "unterminated quoted field");
	csv_reader_free(r);

	r = csv_reader_new(after_quote, sizeof(after_quote) - 1);
	assert_int_equal(csv_reader_next(r, &f, &line), -EINVAL);
	csv_reader_free(r);
}

static void test_csv_inventory(void **state)
{
	char err[4096], path[256];
	struct serat_config *c;
	long d;

	test_write("inv.csv",
		   "community,snmp_version,parent,address,device,kind,site,interfaces,timeout\n"
		   "c1,,,10.0.0.1,core,core,\"Data Centre, Main\",\"xe-*; ae*\",\n"
		   ",1,core,[2001:db8::1]:1161,opd-a,opd,Dinas A,,500ms\n"
		   ",,opd-a,10.0.0.3,opd-b,opd,Dinas A,,\n",
		   path, sizeof(path));
	c = test_load("snmp: {community: dflt}\ninventory: inv.csv\n", err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	assert_int_equal(c->n_sites, 2);
	assert_string_equal(c->sites[0].name, "Data Centre, Main");
	assert_int_equal(c->n_devices, 3);
	d = config_find_device(c, "core");
	assert_string_equal(c->devices[d].snmp.community, "c1");
	assert_int_equal(c->devices[d].n_interfaces, 2);
	assert_string_equal(c->devices[d].interfaces[1], "ae*");
	d = config_find_device(c, "opd-a");
	assert_string_equal(c->devices[d].host, "2001:db8::1");
	assert_int_equal(c->devices[d].port, 1161);
	assert_int_equal(c->devices[d].snmp.version, 1);
	assert_string_equal(c->devices[d].snmp.community, "dflt");
	assert_int_equal(c->devices[d].snmp.timeout_ms, 500);
	assert_int_equal(c->devices[d].site, 1);
	assert_null(c->devices[d].interfaces);
	d = config_find_device(c, "opd-b");
	assert_int_equal(c->devices[d].site, 1);    /* same site, same kind */
	assert_int_equal(c->devices[d].parent_index, config_find_device(c, "opd-a"));
	assert_non_null(strstr(c->devices[d].origin, "inv.csv:4"));
	config_free(c);
}

/* ---- typed rules and windows ------------------------------------------ */

static const char test_inventory[] =
	"snmp: {community: x}\n"
	"sites:\n"
	"  - name: Kantor\n"
	"    kind: opd\n"
	"    devices:\n"
	"      - {name: r1, address: 10.0.0.1}\n"
	"      - {name: r2, address: 10.0.0.2}\n";

static void test_rules_typed(void **state)
{
	char err[4096], yaml[2048];
	struct serat_config *c;
	const struct rule_conf *r;

	snprintf(yaml, sizeof(yaml), "%s"
		 "rules:\n"
		 "  - {name: a, metric: if.util_pct, op: \">=\", threshold: 92.5, for: 5m}\n"
		 "  - {name: b, metric: device.reachable, op: \"==\", threshold: 0,\n"
		 "     severity: critical}\n"
		 "  - {name: c, metric: device.rtt_ms, op: \"!=\", threshold: -1e-3, severity: info}\n",
		 test_inventory);
	c = test_load(yaml, err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	assert_int_equal(c->n_rules, 3);
	r = &c->rules[0];
	assert_int_equal(r->metric, METRIC_IF_UTIL_PCT);
	assert_int_equal(metric_get(r->metric)->object, METRIC_OBJ_INTERFACE);
	assert_int_equal(r->op, RULE_OP_GE);
	assert_true(r->threshold == 92.5);
	assert_true(r->for_ms == 300000);
	assert_int_equal(r->severity, RULE_SEV_WARNING);   /* the default */
	assert_true(rule_op_holds(r->op, 92.5, r->threshold));
	assert_false(rule_op_holds(r->op, 92.4, r->threshold));
	r = &c->rules[1];
	assert_int_equal(r->metric, METRIC_DEVICE_REACHABLE);
	assert_int_equal(r->op, RULE_OP_EQ);
	assert_true(r->for_ms == 0);
	assert_int_equal(r->severity, RULE_SEV_CRITICAL);
	r = &c->rules[2];
	assert_int_equal(r->op, RULE_OP_NE);
	assert_true(r->threshold == -0.001);
	assert_int_equal(r->severity, RULE_SEV_INFO);
	assert_string_equal(rule_op_name(RULE_OP_LE), "<=");
	assert_string_equal(rule_severity_name(RULE_SEV_INFO), "info");
	assert_null(rule_op_name(RULE_OP_COUNT));
	config_free(c);
}

static void test_rule_unknown_metric(void **state)
{
	char err[4096], yaml[2048];

	snprintf(yaml, sizeof(yaml), "%s"
		 "rules:\n"
		 "  - {name: a, metric: if.out_bp, op: \">\", threshold: 1}\n",
		 test_inventory);
	assert_null(test_load(yaml, err, sizeof(err)));
	/* FILE:LINE:COL at the metric, the name, and the close one. */
	assert_non_null(strstr(err, "t.yaml:9:23: rule 'a': unknown metric 'if.out_bp' "
				    "(did you mean if.out_bps"));
}

static void test_maintenance_typed(void **state)
{
	char err[4096], yaml[2048];
	struct serat_config *c;
	const struct maintenance_conf *m;

	snprintf(yaml, sizeof(yaml), "%s"
		 "maintenance:\n"
		 "  - name: w\n"
		 "    targets: [r2, Kantor]\n"
		 "    start: 2026-12-01T22:00\n"          /* WIB: 15:00 UTC */
		 "    end: 2026-12-01T23:00:30+08:00\n",  /* 15:00:30 UTC */
		 test_inventory);
	c = test_load(yaml, err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	m = &c->maintenance[0];
	assert_true(m->start == 1796137200);
	assert_true(m->end == 1796137230);
	assert_int_equal(m->n_targets, 2);
	assert_int_equal(m->targets[0].kind, MAINT_TARGET_DEVICE);
	assert_int_equal(m->targets[0].index, 1);
	assert_string_equal(m->targets[0].name, "r2");
	assert_int_equal(m->targets[1].kind, MAINT_TARGET_SITE);
	assert_int_equal(m->targets[1].index, 0);
	config_free(c);

	/* The same local time in another configured zone. */
	snprintf(yaml, sizeof(yaml), "timezone: UTC\n%s"
		 "maintenance:\n"
		 "  - {name: w, targets: [r1], start: 2026-12-01T15:00, end: 2026-12-01T16:00}\n",
		 test_inventory);
	c = test_load(yaml, err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	assert_true(c->maintenance[0].start == 1796137200);
	config_free(c);

	/* A local time a clock change skips does not exist. */
	snprintf(yaml, sizeof(yaml), "timezone: Europe/Berlin\n%s"
		 "maintenance:\n"
		 "  - {name: w, targets: [r1], start: 2026-03-29T02:30, end: 2026-03-29T04:00}\n",
		 test_inventory);
	assert_null(test_load(yaml, err, sizeof(err)));
	assert_non_null(strstr(err, "start '2026-03-29T02:30' does not exist in timezone "
				    "Europe/Berlin"));
}

static void test_tz_parse(void **state)
{
	static const char *const bad[] = {
		"2026-12-01", "2026-12-01 22:00", "2026-12-01T22", "2026-12-01T24:00",
		"2026-13-01T00:00", "2026-02-29T00:00", "1969-12-31T23:59Z", "2026-12-01T22:00+07:",
		"2026-12-01T22:00+7", "2026-12-01T22:00+24:00", "2026-12-01T22:00:60",
		"2026-12-01T22:00Zx", "２０２６-12-01T22:00", "",
	};
	time_t t = 0;

	assert_int_equal(tz_parse_iso8601("2026-12-01T15:00Z", "Asia/Jakarta", &t), 0);
	assert_true(t == 1796137200);
	assert_int_equal(tz_parse_iso8601("2026-12-01T22:00+0700", "UTC", &t), 0);
	assert_true(t == 1796137200);
	assert_int_equal(tz_parse_iso8601("2026-12-01T12:30-02:30", "UTC", &t), 0);
	assert_true(t == 1796137200);
	assert_int_equal(tz_parse_iso8601("2028-02-29T00:00:00+00", "UTC", &t), 0);
	assert_int_equal(tz_parse_iso8601("2026-12-01T22:00", "WIB-7", &t), 0);
	assert_true(t == 1796137200);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (tz_parse_iso8601(bad[i], "UTC", &t) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
	/* The conversion leaves the process's own zone as it was. */
	assert_null(getenv("TZ"));
	char buf[40];
	tz_format_iso8601(buf, sizeof(buf), "Asia/Jakarta", 1796137200);
	assert_string_equal(buf, "2026-12-01T22:00:00+07:00");
	assert_null(getenv("TZ"));
}

/* ---- what the readers share ------------------------------------------ */

/* The same bad SNMP value written in YAML and in CSV gives the same
 * message, and neither quotes it (it may be a secret in the wrong place). */
static void test_snmp_field_shared(void **state)
{
	char err[4096], path[256];

	test_write("swap.csv",
		   "site,kind,device,address,parent,snmp_version,community,priv_protocol,"
		   "priv_password\n"
		   "S,opd,csv-dev,10.0.0.1,,3,,SECRETPRIV789,AES\n",
		   path, sizeof(path));
	assert_null(test_load("snmp: {community: x}\n"
			      "inventory: swap.csv\n"
			      "sites:\n"
			      "  - name: Y\n"
			      "    kind: opd\n"
			      "    devices:\n"
			      "      - name: yaml-dev\n"
			      "        address: 10.0.0.2\n"
			      "        snmp: {priv_protocol: SECRETPRIV789, priv_password: AES}\n",
			      err, sizeof(err)));
	assert_null(strstr(err, "SECRETPRIV789"));
	assert_non_null(strstr(err, "t.yaml:9:31: 'priv_protocol' in snmp of device 'yaml-dev' "
				    "must be AES\n"));
	assert_non_null(strstr(err, "t.yaml:9:61: 'priv_password' in snmp of device 'yaml-dev' "
				    "must be at least 8 characters"));
	assert_non_null(strstr(err, "swap.csv:2: column 'priv_protocol': must be AES\n"));
	assert_non_null(strstr(err, "swap.csv:2: column 'priv_password': must be at least 8 "
				    "characters"));
}

static void test_name_index(void **state)
{
	struct cfg_index ix = { NULL, NULL, 0, 0 };
	char (*names)[16] = calloc(5000, sizeof(*names));

	assert_non_null(names);
	assert_int_equal(cfg_index_get(&ix, "none"), -1);
	for (long i = 0; i < 5000; i++) {
		snprintf(names[i], sizeof(names[i]), "dev-%ld", i);
		assert_int_equal(cfg_index_put(&ix, names[i], i), -1);
	}
	for (long i = 0; i < 5000; i++)
		assert_int_equal(cfg_index_get(&ix, names[i]), i);
	/* A second put keeps the first value and says so. */
	assert_int_equal(cfg_index_put(&ix, "dev-42", 7), 42);
	assert_int_equal(cfg_index_get(&ix, "dev-42"), 42);
	assert_int_equal(cfg_index_get(&ix, "dev-5000"), -1);
	cfg_index_cleanup(&ix);
	free(names);
}

static void test_default_rras(void **state)
{
	size_t n = 0;
	const struct rra_conf *r = config_default_rras(&n);

	assert_int_equal(n, 4);
	assert_int_equal(r[0].step_s, 60);
	assert_int_equal(r[3].span_s, 730 * 86400);
}

/* A FIFO is refused at once: opening one for reading would wait forever. */
static void test_read_file_not_regular(void **state)
{
	char path[256], why[128], *data = NULL;
	size_t len;

	snprintf(path, sizeof(path), "%s/fifo", test_dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(cfg_read_file(path, 1024, &data, &len, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "a FIFO, not a regular file");
	assert_null(data);
	assert_int_equal(cfg_read_file(test_dir, 1024, &data, &len, why, sizeof(why)), -EISDIR);
	assert_string_equal(why, "a directory, not a regular file");
	test_write("big", "0123456789", path, sizeof(path));
	assert_int_equal(cfg_read_file(path, 9, &data, &len, why, sizeof(why)), -EFBIG);
	assert_int_equal(cfg_read_file(path, 10, &data, &len, why, sizeof(why)), 0);
	assert_int_equal(len, 10);
	assert_string_equal(data, "0123456789");
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration_units),
		cmocka_unit_test(test_duration_invalid),
		cmocka_unit_test(test_watches_interface),
		cmocka_unit_test(test_snmp_merge),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_parents),
		cmocka_unit_test(test_parent_errors),
		cmocka_unit_test(test_error_buffer_truncates),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_malformed),
		cmocka_unit_test(test_csv_inventory),
		cmocka_unit_test(test_rules_typed),
		cmocka_unit_test(test_rule_unknown_metric),
		cmocka_unit_test(test_maintenance_typed),
		cmocka_unit_test(test_tz_parse),
		cmocka_unit_test(test_snmp_field_shared),
		cmocka_unit_test(test_name_index),
		cmocka_unit_test(test_default_rras),
		cmocka_unit_test(test_read_file_not_regular),
	};

	return cmocka_run_group_tests(tests, test_setup, test_teardown);
}
