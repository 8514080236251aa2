/*
 * http_api.c — /api/v1/: sites, devices, interfaces, alerts, maintenance
 * as JSON (field names are stable: docs/api.md).  Written with json_out
 * into an in-memory stream, like status.json: no tree is built.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "collector/http_int.h"
#include "common/json_out.h"

#define IFV(id) ((id) - METRIC_IF_FIRST)

static void http_api_time(FILE *f, const char *key, double t)
{
	char buf[64];
	json_out_key(f, key);
	json_out_num(f, t > 0 ? t : NAN);
	if (t > 0) {
		/* The same moment for people, in the configured zone. */
		fputc(',', f);
		char k[48];
		snprintf(k, sizeof(k), "%s_local", key);
		json_out_key(f, k);
		http_fmt_time(buf, sizeof(buf), t);
		json_out_str(f, buf);
	}
}

static void http_api_site(struct http_server *h, FILE *f, const struct model_site *s)
{
	const struct model_device *ud = NULL;
	const struct model_if *up = http_site_uplink(s, &ud);
	double a24, a30;

	http_site_avail(h, s, &a24, &a30);
	fputs("{", f);
	json_out_key(f, "name");
	json_out_str(f, s->name);
	fputc(',', f);
	json_out_key(f, "kind");
	json_out_str(f, site_kind_name(s->conf->kind));
	fputc(',', f);
	json_out_key(f, "location");
	json_out_str(f, s->conf->location);
	fputc(',', f);
	json_out_key(f, "status");
	json_out_str(f, http_status_name(http_site_status(s)));
	fputc(',', f);
	json_out_key(f, "devices");
	fputc('[', f);
	for (size_t i = 0; i < s->n_devices; i++) {
		fputs(i ? "," : "", f);
		json_out_str(f, s->devices[i]->name);
	}
	fputs("],", f);
	json_out_key(f, "uplink");
	if (up) {
		fputc('{', f);
		json_out_key(f, "device");
		json_out_str(f, ud->name);
		fputc(',', f);
		json_out_key(f, "interface");
		json_out_str(f, up->name);
		fputc(',', f);
		json_out_key(f, "in_bps");
		json_out_num(f, up->last[IFV(METRIC_IF_IN_BPS)]);
		fputc(',', f);
		json_out_key(f, "out_bps");
		json_out_num(f, up->last[IFV(METRIC_IF_OUT_BPS)]);
		fputc('}', f);
	} else {
		fputs("null", f);
	}
	fputc(',', f);
	json_out_key(f, "availability_24h_pct");
	json_out_num(f, a24);
	fputc(',', f);
	json_out_key(f, "availability_30d_pct");
	json_out_num(f, a30);
	fputs("}", f);
}

static void http_api_device(struct http_server *h, FILE *f, const struct model_device *d)
{
	const struct http_avail *a = http_avail_find(h, d->name);
	fputs("{", f);
	json_out_key(f, "name");
	json_out_str(f, d->name);
	fputc(',', f);
	json_out_key(f, "site");
	json_out_str(f, d->site->name);
	fputc(',', f);
	json_out_key(f, "address");
	json_out_str(f, d->conf->host);
	fputc(',', f);
	json_out_key(f, "parent");
	json_out_str(f, d->parent ? d->parent->name : NULL);
	fputc(',', f);
	json_out_key(f, "state");
	json_out_str(f, dev_reach_name(d->reach));
	fputc(',', f);
	http_api_time(f, "since", d->since);
	fputc(',', f);
	http_api_time(f, "last_poll", d->last_poll);
	fputc(',', f);
	json_out_key(f, "rtt_ms");
	json_out_num(f, d->rtt_s * 1000);
	fputc(',', f);
	json_out_key(f, "uptime_s");
	json_out_num(f, d->have_uptime ? d->uptime_ticks / 100.0 : NAN);
	fputc(',', f);
	json_out_key(f, "error");
	json_out_str(f, d->error);
	fputc(',', f);
	json_out_key(f, "polls");
	fprintf(f, "%u,", d->polls);
	json_out_key(f, "interfaces");
	fprintf(f, "%zu,", d->n_ifs);
	json_out_key(f, "availability_24h_pct");
	json_out_num(f, a ? a->a24 : NAN);
	fputc(',', f);
	json_out_key(f, "availability_30d_pct");
	json_out_num(f, a ? a->a30 : NAN);
	fputs("}", f);
}

static void http_api_if(FILE *f, const struct model_if *i)
{
	fputs("{", f);
	json_out_key(f, "name");
	json_out_str(f, i->name);
	fputc(',', f);
	json_out_key(f, "alias");
	json_out_str(f, i->alias);
	fputc(',', f);
	json_out_key(f, "ifindex");
	fprintf(f, "%u,", i->ifindex);
	json_out_key(f, "oper");
	json_out_str(f, i->oper == 1 ? "up" : i->oper == 0 ? NULL : "down");
	fputc(',', f);
	json_out_key(f, "speed_bps");
	json_out_num(f, i->speed_bps > 0 ? i->speed_bps : NAN);
	/* Last values under their registry names. */
	for (int m = METRIC_IF_FIRST; m < METRIC_IF_FIRST + METRIC_IF_N; m++) {
		fputc(',', f);
		json_out_key(f, metric_get((enum metric_id)m)->name);
		json_out_num(f, i->last[IFV(m)]);
	}
	fputs("}", f);
}

static const struct model_site *http_api_find_site(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->n_sites; i++)
		if (strcmp(m->sites[i].name, name) == 0)
			return &m->sites[i];
	return NULL;
}

/* Body of the answer; returns 0 or 404. */
/* JSON string or null. */
static void http_api_strn(FILE *f, const char *key, const char *v, int comma)
{
	if (comma)
		fputc(',', f);
	json_out_key(f, key);
	if (v)
		json_out_str(f, v);
	else
		fputs("null", f);
}

struct http_api_list {
	FILE *f;
	size_t n;
};

static void http_api_incident(FILE *f, const struct ev_incident *i, const char *quiet)
{
	fputc('{', f);
	http_api_strn(f, "id", i->id, 0);
	http_api_strn(f, "alertname", i->alertname, 1);
	http_api_strn(f, "device", i->device, 1);
	http_api_strn(f, "site", i->site, 1);
	http_api_strn(f, "interface", i->ifname, 1);
	http_api_strn(f, "severity", i->severity, 1);
	fputc(',', f);
	http_api_time(f, "start", i->start);
	fputc(',', f);
	http_api_time(f, "end", i->end);
	fputc(',', f);
	json_out_key(f, "duration_s");
	json_out_num(f, (i->end > 0 ? i->end : (double)time(NULL)) - i->start);
	http_api_strn(f, "cause", i->cause, 1);
	http_api_strn(f, "root_device", i->root_device, 1);
	http_api_strn(f, "notified", i->notified && i->notified[0] ? i->notified : NULL, 1);
	if (quiet)
		http_api_strn(f, "silenced", quiet[0] ? quiet : NULL, 1);
	fputc('}', f);
}

static void http_api_active_one(void *arg, const struct alert_view_item *it)
{
	struct http_api_list *l = arg;
	fputs(l->n++ ? ",\n" : "\n", l->f);
	http_api_incident(l->f, &it->inc, it->quiet);
}

static void http_api_history_one(void *arg, const struct ev_incident *i)
{
	struct http_api_list *l = arg;
	fputs(l->n++ ? ",\n" : "\n", l->f);
	http_api_incident(l->f, i, NULL);
}

/* Active alerts and one page of the history, from the engine's memory. */
static void http_api_alerts(struct http_server *h, const struct http_route *r, FILE *f)
{
	struct http_api_list l = { .f = f };
	size_t off = http_history_offset(r), total;

	fprintf(f, "{\"available\":%s,\"active\":[", h->alerts ? "true" : "false");
	alert_view_active(h->alerts, http_api_active_one, &l);
	fputs("],\"history\":[", f);
	l.n = 0;
	total = alert_view_history(h->alerts, off, HTTP_HISTORY_PAGE, http_api_history_one, &l);
	fprintf(f, "],\"history_total\":%zu,\"page\":%u,\"page_size\":%d,\"pages\":%zu",
		total, r->page > 1 ? r->page : 1, HTTP_HISTORY_PAGE,
		(total + HTTP_HISTORY_PAGE - 1) / HTTP_HISTORY_PAGE);
}

static void http_api_maint_one(void *arg, const struct ev_maint *m)
{
	struct http_api_list *l = arg;
	FILE *f = l->f;

	fputs(l->n++ ? ",{" : "{", f);
	json_out_key(f, "id");
	fprintf(f, "%lld", (long long)m->id);
	http_api_strn(f, "source", "cli", 1);
	http_api_strn(f, "name", NULL, 1);
	fputc(',', f);
	http_api_time(f, "start", m->start);
	fputc(',', f);
	http_api_time(f, "end", m->end);
	fputs(",\"targets\":[{", f);
	http_api_strn(f, "name", m->target, 0);
	http_api_strn(f, "kind", NULL, 1);
	fputs("}]", f);
	http_api_strn(f, "reason", m->reason, 1);
	fputc('}', f);
}

/* The config's windows, then those of `serat maint add` not yet over. */
static void http_api_maint(struct http_server *h, FILE *f)
{
	const struct serat_config *c = h->conf;
	struct http_api_list l = { .f = f };

	fputs("{\"maintenance\":[", f);
	for (size_t i = 0; i < c->n_maintenance; i++, l.n++) {
		const struct maintenance_conf *mw = &c->maintenance[i];
		fputs(i ? ",{" : "{", f);
		fputs("\"id\":null", f);
		http_api_strn(f, "source", "config", 1);
		http_api_strn(f, "name", mw->name, 1);
		fputc(',', f);
		http_api_time(f, "start", (double)mw->start);
		fputc(',', f);
		http_api_time(f, "end", (double)mw->end);
		fputs(",\"targets\":[", f);
		for (size_t t = 0; t < mw->n_targets; t++) {
			fputc('{', f);
			http_api_strn(f, "name", mw->targets[t].name, 0);
			http_api_strn(f, "kind", mw->targets[t].kind == MAINT_TARGET_SITE ? "site"
											  : "device", 1);
			fputs(t + 1 < mw->n_targets ? "}," : "}", f);
		}
		fputs("]", f);
		http_api_strn(f, "reason", NULL, 1);
		fputc('}', f);
	}
	alert_view_maint(h->alerts, http_api_maint_one, &l);
	fputs("]", f);
}

static int http_api_body(struct http_server *h, const struct http_route *r, FILE *f)
{
	const struct model *m = h->model;

	switch (r->kind) {
	case HR_API_INDEX:
		fputs("{\"version\":1,\"endpoints\":[\"/api/v1/sites\",\"/api/v1/devices\","
		      "\"/api/v1/interfaces?device=NAME\",\"/api/v1/alerts\","
		      "\"/api/v1/maintenance\"]", f);
		break;
	case HR_API_SITES:
		fputs("{\"sites\":[", f);
		for (size_t i = 0; i < m->n_sites; i++) {
			fputs(i ? ",\n" : "\n", f);
			http_api_site(h, f, &m->sites[i]);
		}
		fputs("]", f);
		break;
	case HR_API_DEVICES: {
		const struct model_site *s = NULL;
		if (r->site[0] && (s = http_api_find_site(m, r->site)) == NULL)
			return 404;
		fputs("{\"devices\":[", f);
		int first = 1;
		for (size_t i = 0; i < m->n_devices; i++) {
			if (s && m->devices[i]->site != s)
				continue;
			fputs(first ? "\n" : ",\n", f);
			first = 0;
			http_api_device(h, f, m->devices[i]);
		}
		fputs("]", f);
		break;
	}
	case HR_API_INTERFACES: {
		const struct model_device *d = model_find_device(m, r->device);
		if (d == NULL)
			return 404;
		fputs("{\"device\":", f);
		json_out_str(f, d->name);
		fputs(",\"interfaces\":[", f);
		for (size_t i = 0; i < d->n_ifs; i++) {
			fputs(i ? ",\n" : "\n", f);
			http_api_if(f, &d->ifs[i]);
		}
		fputs("]", f);
		break;
	}
	case HR_API_ALERTS:
		http_api_alerts(h, r, f);
		break;
	case HR_API_MAINT:
		http_api_maint(h, f);
		break;
	default:
		return 404;
	}
	fputs(",", f);
	http_api_time(f, "generated", (double)time(NULL));
	fputs("}\n", f);
	return 0;
}

int http_api(struct http_server *h, const struct http_route *r, struct http_reply *out)
{
	char *buf;
	size_t len;
	FILE *f = http_reply_open(out, &buf, &len);
	if (f == NULL)
		return -ENOMEM;
	int st = http_api_body(h, r, f);
	out->no_store = 1;
	return http_reply_finish(f, out, &buf, &len, st ? st : 200, "application/json");
}
