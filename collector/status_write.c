/*
 * status_write.c — serialise the collector's state as JSON (jansson).
 *
 * Interface names and aliases come from agents and may be any bytes;
 * jansson refuses invalid UTF-8, so such strings are stored with the bad
 * bytes replaced by '?' rather than dropping the interface.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "collector/collector.h"
#include "collector/status_write.h"
#include "common/status_file.h"

static json_t *status_str(const char *s)
{
	if (s == NULL)
		return json_null();
	json_t *j = json_string(s);
	if (j != NULL)
		return j;
	char *copy = strdup(s);
	if (copy == NULL)
		return json_null();
	for (unsigned char *p = (unsigned char *)copy; *p; p++)
		if (*p >= 0x80 || *p < 0x20)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j ? j : json_null();
}

static json_t *status_num(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static const char *status_oper_name(int oper)
{
	static const char *names[] = { "unknown", "up", "down", "testing", "unknown",
				       "dormant", "notPresent", "lowerLayerDown" };
	return oper >= 0 && oper < (int)(sizeof(names) / sizeof(names[0])) ? names[oper] : "unknown";
}

static const char *status_reach_name(enum dev_reach r)
{
	return r == DEV_UP ? "up" : r == DEV_DOWN ? "down" : "unknown";
}

static json_t *status_interface(struct collector *c, struct dev_state *d,
				const struct if_state *st)
{
	char path[4096];
	json_t *o = json_object();
	json_object_set_new(o, "name", status_str(st->name));
	json_object_set_new(o, "alias", status_str(st->alias));
	json_object_set_new(o, "ifindex", json_integer(st->ifindex));
	json_object_set_new(o, "oper", json_string(status_oper_name(st->oper)));
	json_object_set_new(o, "admin", json_string(status_oper_name(st->admin)));
	json_object_set_new(o, "speed_mbps", json_real(st->speed_bps / 1e6));
	json_object_set_new(o, "in_bps", status_num(st->last[IF_DS_IN_BPS]));
	json_object_set_new(o, "out_bps", status_num(st->last[IF_DS_OUT_BPS]));
	json_object_set_new(o, "in_pps", status_num(st->last[IF_DS_IN_PPS]));
	json_object_set_new(o, "out_pps", status_num(st->last[IF_DS_OUT_PPS]));
	json_object_set_new(o, "in_errors_ps", status_num(st->last[IF_DS_IN_ERR]));
	json_object_set_new(o, "out_errors_ps", status_num(st->last[IF_DS_OUT_ERR]));
	json_object_set_new(o, "in_discards_ps", status_num(st->last[IF_DS_IN_DISC]));
	json_object_set_new(o, "out_discards_ps", status_num(st->last[IF_DS_OUT_DISC]));
	json_object_set_new(o, "util_pct", status_num(st->last[IF_DS_UTIL]));
	if (rrd_store_path(c->store, d->conf->name, st->name, path, sizeof(path)) == 0)
		json_object_set_new(o, "rrd", json_string(path));
	return o;
}

static json_t *status_device(struct collector *c, struct dev_state *d)
{
	char path[4096];
	const struct device_conf *dc = d->conf;
	const struct site_conf *site = &c->conf->sites[dc->site];
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(dc->name));
	json_object_set_new(o, "site", json_string(site->name));
	json_object_set_new(o, "kind", json_string(site_kind_name(site->kind)));
	json_object_set_new(o, "address", json_string(dc->host));
	json_object_set_new(o, "port", json_integer(dc->port));
	json_object_set_new(o, "parent", dc->parent ? json_string(dc->parent) : json_null());
	json_object_set_new(o, "state", json_string(status_reach_name(d->reach)));
	json_object_set_new(o, "since", d->since > 0 ? json_real(d->since) : json_null());
	json_object_set_new(o, "last_poll", d->last_poll > 0 ? json_real(d->last_poll) : json_null());
	json_object_set_new(o, "error", status_str(d->error));
	json_object_set_new(o, "rtt_ms", d->reach == DEV_UP ? json_real(d->rtt_s * 1000) : json_null());
	json_object_set_new(o, "uptime_s",
			    d->have_uptime ? json_real(d->uptime_ticks / 100.0) : json_null());
	json_object_set_new(o, "polls", json_integer(d->polls));
	json_object_set_new(o, "overruns", json_integer(d->overruns));
	json_object_set_new(o, "malformed", json_integer(d->malformed));
	if (rrd_store_path(c->store, dc->name, NULL, path, sizeof(path)) == 0)
		json_object_set_new(o, "rrd", json_string(path));
	json_t *ifs = json_array();
	for (size_t i = 0; i < d->n_ifs; i++)
		json_array_append_new(ifs, status_interface(c, d, &d->ifs[i]));
	json_object_set_new(o, "interfaces", ifs);
	return o;
}

int status_write(struct collector *c)
{
	char path[4096], tmp[4200];
	struct timespec ts;

	if (status_file_path(c->conf->data_dir, path, sizeof(path)) < 0)
		return -ENAMETOOLONG;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	clock_gettime(CLOCK_REALTIME, &ts);

	json_t *root = json_object();
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "generated", json_real((double)ts.tv_sec + ts.tv_nsec / 1e9));
	json_object_set_new(root, "pid", json_integer(getpid()));
	json_object_set_new(root, "config", json_string(c->conf->path));
	json_object_set_new(root, "interval_s", json_real(c->conf->interval_ms / 1000.0));
	json_t *devs = json_array();
	for (size_t i = 0; i < c->n_devs; i++)
		json_array_append_new(devs, status_device(c, &c->devs[i]));
	json_object_set_new(root, "devices", devs);

	/* Serialise to memory and write once: json_dump_file() makes an
	 * fwrite() per token, a third of the dump's CPU at 10,000 interfaces. */
	int rc = 0;
	char *text = json_dumps(root, JSON_COMPACT);
	FILE *f = NULL;
	if (text == NULL) {
		rc = -ENOMEM;
	} else if ((f = fopen(tmp, "w")) == NULL) {
		rc = -errno;
	} else {
		errno = 0;
		int bad = fputs(text, f) == EOF;
		if (fclose(f) != 0 || bad)
			rc = errno ? -errno : -EIO;
	}
	if (rc < 0) {
		log_err("cannot write %s: %s", tmp, strerror(-rc));
		unlink(tmp);
	} else if (rename(tmp, path) != 0) {
		rc = -errno;
		log_err("cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
	}
	free(text);
	json_decref(root);
	return rc;
}
