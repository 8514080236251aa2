/*
 * status_write.c — stream the collector's state to status.json.
 *
 * Written with json_out (no document tree: see json_out.h for the figures
 * behind that choice) through a 64 KiB stdio buffer into a temporary file
 * that is renamed over the old one, so readers never see half a file.
 * Keys and their meaning: docs/status.md.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collector/rrd_store.h"
#include "collector/status_write.h"
#include "common/json_out.h"
#include "common/optics.h"
#include "common/status_file.h"

/* One writer, one stream: skip stdio's locking (see json_out.c). */
#define putc putc_unlocked
#define fputs fputs_unlocked

static const char *status_oper_name(int oper)
{
	static const char *names[] = { "unknown", "up", "down", "testing", "unknown",
				       "dormant", "notPresent", "lowerLayerDown" };
	return oper >= 0 && oper < (int)(sizeof(names) / sizeof(names[0])) ? names[oper] : "unknown";
}

/* ,"key":value helpers; the first member of an object is written by hand. */
static void status_num(FILE *f, const char *key, double v)
{
	putc(',', f);
	json_out_key(f, key);
	json_out_num(f, v);
}

static void status_str(FILE *f, const char *key, const char *s)
{
	putc(',', f);
	json_out_key(f, key);
	json_out_str(f, s);
}

static void status_interface(FILE *f, const char *data_dir, const struct model_device *d,
			     const struct model_if *st, char *path, size_t pathlen)
{
	static const struct { const char *key; enum metric_id id; } rates[] = {
		{ "in_bps", METRIC_IF_IN_BPS }, { "out_bps", METRIC_IF_OUT_BPS },
		{ "in_pps", METRIC_IF_IN_PPS }, { "out_pps", METRIC_IF_OUT_PPS },
		{ "in_errors_ps", METRIC_IF_IN_ERRORS_PS }, { "out_errors_ps", METRIC_IF_OUT_ERRORS_PS },
		{ "in_discards_ps", METRIC_IF_IN_DISCARDS_PS },
		{ "out_discards_ps", METRIC_IF_OUT_DISCARDS_PS },
		{ "util_pct", METRIC_IF_UTIL_PCT },
	};
	putc('{', f);
	json_out_key(f, "name");
	json_out_str(f, st->name);
	status_str(f, "alias", st->alias);
	status_num(f, "ifindex", st->ifindex);
	status_str(f, "oper", status_oper_name(st->oper));
	status_str(f, "admin", status_oper_name(st->admin));
	status_num(f, "speed_mbps", st->speed_bps > 0 ? st->speed_bps / 1e6 : NAN);
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
		status_num(f, rates[i].key, st->last[rates[i].id - METRIC_IF_FIRST]);
	if (rrd_store_path_in(data_dir, d->name, st->name, path, pathlen) == 0)
		status_str(f, "rrd", path);
	putc('}', f);
}

/* The short key of a profile metric inside its object ("rx_dbm"). */
static const char *status_reading_key(enum metric_id id)
{
	switch (id) {
	case METRIC_IF_RX_POWER_DBM: case METRIC_ONU_RX_POWER_DBM: return "rx_dbm";
	case METRIC_IF_TX_POWER_DBM: return "tx_dbm";
	case METRIC_IF_MODULE_TEMP_C: case METRIC_DEVICE_TEMPERATURE_C: return "temperature_c";
	case METRIC_DEVICE_CPU_PCT: return "cpu_pct";
	case METRIC_DEVICE_MEM_PCT: return "mem_pct";
	case METRIC_DEVICE_DISK_PCT: return "disk_pct";
	default: return metric_get(id)->name;
	}
}

/* "rx_dbm": value, "rx_state": "ok", and thresholds with their source. */
static void status_reading(FILE *f, const struct model_reading *r)
{
	char key[48];
	const char *k = status_reading_key(r->metric);
	size_t base = strcspn(k, "_");

	status_num(f, k, r->state == OPTICS_OK ? r->value : NAN);
	snprintf(key, sizeof(key), "%.*s_state", (int)base, k);
	status_str(f, key, optics_state_name((enum optics_state)r->state));
	int any = 0;
	for (int t = 0; t < MODEL_THR_N; t++)
		any |= r->thr_source[t] != MODEL_THR_NONE;
	if (!any)
		return;
	static const char *thr[MODEL_THR_N] = { "low_alarm", "low_warn", "high_warn", "high_alarm" };
	snprintf(key, sizeof(key), "%.*s_thresholds", (int)base, k);
	putc(',', f);
	json_out_key(f, key);
	putc('{', f);
	int first = 1;
	for (int t = 0; t < MODEL_THR_N; t++) {
		if (r->thr_source[t] == MODEL_THR_NONE)
			continue;
		if (!first)
			putc(',', f);
		first = 0;
		json_out_key(f, thr[t]);
		putc('{', f);
		json_out_key(f, "dbm");
		json_out_num(f, r->thr[t]);
		status_str(f, "source", model_thr_source_name(r->thr_source[t]));
		putc('}', f);
	}
	putc('}', f);
}

/*
 * The device's profile readings: "sensors" {..} for the device itself,
 * "optics" [..] per port, "onus" [..] per ONU.  Readings are sorted by
 * name, so one object's readings are adjacent.
 */
static void status_readings(FILE *f, const char *data_dir, const struct model_device *d,
			    char *path, size_t pathlen)
{
	status_str(f, "profile", d->profile);
	putc(',', f);
	json_out_key(f, "sensors");
	putc('{', f);
	json_out_key(f, "rrd");
	if (rrd_layout_path(data_dir, METRIC_RRD_SENSORS, d->name, NULL, path, pathlen) == 0)
		json_out_str(f, path);
	else
		json_out_str(f, NULL);
	size_t i = 0;
	for (; i < d->n_readings && d->readings[i].name == NULL; i++)
		status_reading(f, &d->readings[i]);
	putc('}', f);
	for (int onu = 0; onu < 2; onu++) {
		putc(',', f);
		json_out_key(f, onu ? "onus" : "optics");
		putc('[', f);
		int first = 1;
		for (size_t j = i; j < d->n_readings;) {
			const struct model_reading *r = &d->readings[j];
			int is_onu = metric_get(r->metric)->object == METRIC_OBJ_ONU;
			size_t e = j;
			while (e < d->n_readings && strcmp(d->readings[e].name, r->name) == 0)
				e++;
			if (is_onu == onu) {
				if (!first)
					putc(',', f);
				first = 0;
				putc('{', f);
				json_out_key(f, "name");
				json_out_str(f, r->name);
				if (!onu) {
					const struct model_if *mi = model_device_find_if(d, r->name);
					status_str(f, "oper", mi ? status_oper_name(mi->oper) : NULL);
				}
				for (size_t k = j; k < e; k++)
					status_reading(f, &d->readings[k]);
				if (rrd_layout_path(data_dir, onu ? METRIC_RRD_ONU : METRIC_RRD_OPTICS,
							d->name, r->name, path, pathlen) == 0)
					status_str(f, "rrd", path);
				putc('}', f);
			}
			j = e;
		}
		putc(']', f);
	}
}

static void status_device(FILE *f, const char *data_dir, const struct model_device *d,
			  char *path, size_t pathlen)
{
	const struct device_conf *dc = d->conf;
	const struct site_conf *site = d->site->conf;

	putc('{', f);
	json_out_key(f, "name");
	json_out_str(f, dc->name);
	status_str(f, "site", site->name);
	status_str(f, "kind", site_kind_name(site->kind));
	status_str(f, "address", dc->host);
	status_num(f, "port", dc->port);
	status_str(f, "parent", dc->parent);
	status_str(f, "state", dev_reach_name(d->reach));
	status_num(f, "since", d->since > 0 ? d->since : NAN);
	status_num(f, "last_poll", d->last_poll > 0 ? d->last_poll : NAN);
	status_str(f, "error", d->error);
	status_num(f, "rtt_ms", d->reach == DEV_UP ? d->rtt_s * 1000 : NAN);
	status_num(f, "uptime_s", d->have_uptime ? d->uptime_ticks / 100.0 : NAN);
	status_num(f, "polls", d->polls);
	status_num(f, "overruns", d->overruns);
	status_num(f, "malformed", d->malformed);
	if (rrd_store_path_in(data_dir, dc->name, NULL, path, pathlen) == 0)
		status_str(f, "rrd", path);
	putc(',', f);
	json_out_key(f, "interfaces");
	putc('[', f);
	for (size_t i = 0; i < d->n_ifs; i++) {
		if (i > 0)
			putc(',', f);
		status_interface(f, data_dir, d, &d->ifs[i], path, pathlen);
	}
	putc(']', f);
	status_readings(f, data_dir, d, path, pathlen);
	putc('}', f);
}

/* ,"sites":[...] — the passive probe's last interval per site, for the
 * sites it has seen (docs/status.md). */
static void status_sites(FILE *f, const struct model *m)
{
	putc(',', f);
	json_out_key(f, "sites");
	putc('[', f);
	int first = 1;
	for (size_t i = 0; i < m->n_sites; i++) {
		const struct model_site *site = &m->sites[i];
		if (site->probe_t == 0)
			continue;
		if (!first)
			putc(',', f);
		first = 0;
		putc('{', f);
		json_out_key(f, "name");
		json_out_str(f, site->name);
		status_str(f, "kind", site_kind_name(site->conf->kind));
		putc(',', f);
		json_out_key(f, "probe");
		putc('{', f);
		json_out_key(f, "t");
		json_out_num(f, site->probe_t);
		for (size_t k = 0; k < METRIC_SITE_N; k++) {
			/* "site.tcp_retrans_pct" → "tcp_retrans_pct" */
			const char *name = metric_get(METRIC_SITE_FIRST + k)->name;
			status_num(f, strchr(name, '.') + 1, site->probe_last[k]);
		}
		fputs("}}", f);
	}
	putc(']', f);
}

/* Write the file; on failure describe it in WHY and return -errno. */
static int status_write_file(const struct model *m, const struct serat_config *conf,
			     char *why, size_t whylen)
{
	char path[4096], tmp[4200], rrdpath[4096];
	struct timespec ts;
	static char iobuf[65536];

	if (status_file_path(conf->data_dir, path, sizeof(path)) < 0)
		return -ENAMETOOLONG;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (f == NULL) {
		int rc = -errno;
		snprintf(why, whylen, "cannot write %s: %s", tmp, strerror(errno));
		return rc;
	}
	setvbuf(f, iobuf, _IOFBF, sizeof(iobuf));
	clock_gettime(CLOCK_REALTIME, &ts);

	putc('{', f);
	json_out_key(f, "version");
	json_out_num(f, 1);
	status_num(f, "generated", (double)ts.tv_sec + ts.tv_nsec / 1e9);
	status_num(f, "pid", getpid());
	status_str(f, "config", conf->path);
	status_num(f, "interval_s", conf->interval_ms / 1000.0);
	putc(',', f);
	json_out_key(f, "devices");
	putc('[', f);
	for (size_t i = 0; i < m->n_devices; i++) {
		if (i > 0)
			putc(',', f);
		status_device(f, conf->data_dir, m->devices[i], rrdpath, sizeof(rrdpath));
	}
	putc(']', f);
	status_sites(f, m);
	fputs("}\n", f);

	int rc = 0;
	errno = 0;
	if (ferror(f) | (fclose(f) != 0))
		rc = errno ? -errno : -EIO;
	if (rc < 0) {
		snprintf(why, whylen, "cannot write %s: %s", tmp, strerror(-rc));
		unlink(tmp);
	} else if (rename(tmp, path) != 0) {
		rc = -errno;
		snprintf(why, whylen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
	}
	return rc;
}

int status_write(const struct model *m, const struct serat_config *conf,
		 struct log_complain *complain)
{
	char why[8400];
	int rc = status_write_file(m, conf, why, sizeof(why));
	if (rc < 0 && complain != NULL)
		log_complain(complain, time(NULL), LOG_ERR, "%s", why);
	else if (rc < 0)
		log_err("%s", why);
	else if (complain != NULL)
		log_complain_clear(complain, "status.json written again");
	return rc;
}
