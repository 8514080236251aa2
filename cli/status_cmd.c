/*
 * status_cmd.c — print the collector's snapshot.  See status_cmd.h.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli/status_cmd.h"
#include "common/config.h"
#include "common/status_file.h"
#include "common/text_safe.h"
#include "common/tz.h"

static void status_usage(FILE *out)
{
	fprintf(out, "usage: serat status --config FILE [--json]\n");
}

/* "1.23 Gb/s"-style; "-" for unknown. */
static void status_fmt_rate(json_t *v, char *buf, size_t len)
{
	if (!json_is_number(v)) {
		snprintf(buf, len, "-");
		return;
	}
	double r = json_number_value(v);
	static const char *units[] = { "b/s", "kb/s", "Mb/s", "Gb/s", "Tb/s" };
	int u = 0;
	while (r >= 1000 && u < 4) {
		r /= 1000;
		u++;
	}
	snprintf(buf, len, "%.3g %s", r, units[u]);
}

static void status_fmt_uptime(json_t *v, char *buf, size_t len)
{
	if (!json_is_number(v)) {
		snprintf(buf, len, "-");
		return;
	}
	long s = (long)json_number_value(v);
	snprintf(buf, len, "%ldd %02ld:%02ld", s / 86400, s / 3600 % 24, s / 60 % 60);
}

/*
 * The string KEY of O made safe for a terminal into BUF (agents choose
 * ifName and ifAlias, and error text quotes them): "-" when absent.
 */
static const char *status_s(json_t *o, const char *key, char *buf, size_t len)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? text_sanitize(buf, len, s, (size_t)-1) : "-";
}

/* A profile reading KEY ("rx_dbm") of O: "%.2f" with UNIT; for a
 * placeholder (state no_reading) "no light" (power) or "n/a"; "-" when
 * unknown or absent. */
static const char *status_fmt_reading(json_t *o, const char *key, const char *unit,
				      char *buf, size_t len)
{
	char state[48];
	json_t *v = json_object_get(o, key);
	snprintf(state, sizeof(state), "%.*s_state", (int)strcspn(key, "_"), key);
	const char *st = json_string_value(json_object_get(o, state));
	if (json_is_number(v))
		snprintf(buf, len, "%.2f%s", json_number_value(v), unit);
	else
		snprintf(buf, len, "%s", !st || strcmp(st, "no_reading") != 0 ? "-"
			 : strcmp(unit, " dBm") == 0 ? "no light" : "n/a");
	return buf;
}

/* The optics, ONU and sensor lines of device D (device profiles). */
static void status_print_profile(json_t *d)
{
	char a[512], b[64], c[64], e[64], g[64];
	size_t j;
	json_t *o, *s = json_object_get(d, "sensors");

	if (!json_is_string(json_object_get(d, "profile")))
		return;
	printf("  profile %s: cpu %s  mem %s  disk %s  temperature %s\n",
	       status_s(d, "profile", a, sizeof(a)),
	       status_fmt_reading(s, "cpu_pct", "%", b, sizeof(b)),
	       status_fmt_reading(s, "mem_pct", "%", c, sizeof(c)),
	       status_fmt_reading(s, "disk_pct", "%", g, sizeof(g)),
	       status_fmt_reading(s, "temperature_c", " C", e, sizeof(e)));
	json_t *optics = json_object_get(d, "optics");
	if (json_array_size(optics) > 0)
		printf("  %-26s %-6s %12s %12s %9s  %s\n", "OPTICS", "OPER", "RX", "TX", "TEMP",
		       "RX LOW ALARM");
	json_array_foreach(optics, j, o) {
		char rx[32], tx[32], temp[32], low[64], oper[64];
		json_t *thr = json_object_get(json_object_get(o, "rx_thresholds"), "low_alarm");
		if (json_is_number(json_object_get(thr, "dbm")))
			snprintf(low, sizeof(low), "%.2f dBm (%s)",
				 json_number_value(json_object_get(thr, "dbm")),
				 status_s(thr, "source", a, sizeof(a)));
		else
			snprintf(low, sizeof(low), "-");
		snprintf(oper, sizeof(oper), "%s", status_s(o, "oper", a, sizeof(a)));
		printf("  %-26s %-6s %12s %12s %9s  %s\n", status_s(o, "name", a, sizeof(a)), oper,
		       status_fmt_reading(o, "rx_dbm", " dBm", rx, sizeof(rx)),
		       status_fmt_reading(o, "tx_dbm", " dBm", tx, sizeof(tx)),
		       status_fmt_reading(o, "temperature_c", " C", temp, sizeof(temp)), low);
	}
	json_t *onus = json_object_get(d, "onus");
	if (json_array_size(onus) > 0)
		printf("  %-26s %12s\n", "ONU", "RX");
	json_array_foreach(onus, j, o) {
		char rx[32];
		printf("  %-26s %12s\n", status_s(o, "name", a, sizeof(a)),
		       status_fmt_reading(o, "rx_dbm", " dBm", rx, sizeof(rx)));
	}
}

/* One sanitised string per column of a row (names are at most 255 bytes;
 * an error line a few hundred). */
struct status_strs {
	char a[512], b[512], c[512], d[1024];
};

static void status_print_table(json_t *root, const char *tz)
{
	json_t *devs = json_object_get(root, "devices");
	double generated = json_number_value(json_object_get(root, "generated"));
	time_t g = (time_t)generated;
	struct status_strs t;
	char when[64];
	if (tz_strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", tz, g) == 0)
		snprintf(when, sizeof(when), "@%lld", (long long)g);
	json_int_t pid = json_integer_value(json_object_get(root, "pid"));
	int running = pid > 0 && kill((pid_t)pid, 0) == 0;
	printf("snapshot of %s (seratd %s)\n\n", when, running ? "running" : "not running");

	size_t i, j;
	json_t *d, *ifc;
	json_array_foreach(devs, i, d) {
		char up[32], rtt[32];
		status_fmt_uptime(json_object_get(d, "uptime_s"), up, sizeof(up));
		json_t *r = json_object_get(d, "rtt_ms");
		snprintf(rtt, sizeof(rtt), json_is_number(r) ? "%.1f ms" : "-",
			 json_number_value(r));
		printf("%-24s %-10s %-8s rtt %-10s uptime %-12s %s\n",
		       status_s(d, "name", t.a, sizeof(t.a)), status_s(d, "kind", t.b, sizeof(t.b)),
		       status_s(d, "state", t.c, sizeof(t.c)), rtt, up,
		       status_s(d, "site", t.d, sizeof(t.d)));
		if (json_is_string(json_object_get(d, "error")))
			printf("  error: %s\n", status_s(d, "error", t.d, sizeof(t.d)));
		json_t *ifs = json_object_get(d, "interfaces");
		if (json_array_size(ifs) > 0)
			printf("  %-26s %-6s %12s %12s %7s  %s\n", "INTERFACE", "OPER", "IN", "OUT",
			       "UTIL", "RRD");
		json_array_foreach(ifs, j, ifc) {
			char in[32], out[32], util[16];
			status_fmt_rate(json_object_get(ifc, "in_bps"), in, sizeof(in));
			status_fmt_rate(json_object_get(ifc, "out_bps"), out, sizeof(out));
			json_t *u = json_object_get(ifc, "util_pct");
			snprintf(util, sizeof(util), json_is_number(u) ? "%.1f%%" : "-",
				 json_number_value(u));
			printf("  %-26s %-6s %12s %12s %7s  %s\n",
			       status_s(ifc, "name", t.a, sizeof(t.a)),
			       status_s(ifc, "oper", t.b, sizeof(t.b)), in, out, util,
			       status_s(ifc, "rrd", t.d, sizeof(t.d)));
		}
		status_print_profile(d);
	}
}

int status_cmd_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL;
	int as_json = 0, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "c:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': config_path = optarg; break;
		case 'j': as_json = 1; break;
		case 'h': status_usage(stdout); return 0;
		default: status_usage(stderr); return 2;
		}
	}
	if (config_path == NULL || optind != argc) {
		status_usage(stderr);
		return 2;
	}
	char err[8192];
	struct serat_config *conf = config_load(config_path, err, sizeof(err));
	if (conf == NULL) {
		fputs(err, stderr);
		return 1;
	}
	char path[4096];
	int rc = status_file_path(conf->data_dir, path, sizeof(path));
	char *tz = strdup(conf->timezone);
	config_free(conf);
	if (tz == NULL) {
		fprintf(stderr, "serat: out of memory\n");
		return 1;
	}
	if (rc < 0) {
		free(tz);
		fprintf(stderr, "serat: data_dir path too long\n");
		return 1;
	}
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr);
	if (root == NULL) {
		fprintf(stderr, "serat: no status snapshot in %s: %s (has seratd run?)\n", path,
			jerr.text);
		free(tz);
		return 1;
	}
	if (as_json) {
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else {
		status_print_table(root, tz);
	}
	free(tz);
	json_decref(root);
	return 0;
}
