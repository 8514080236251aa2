/*
 * http_metrics.c — Prometheus text: /metrics (seratd's own health) and
 * /metrics/interfaces (the polled interface counters, named and labelled
 * as snmp_exporter's if_mib module names them, so dashboards made for
 * snmp_exporter work when Prometheus scrapes serat instead of the
 * switches).
 *
 * Interface counters are the raw values of the last poll (model_if.hist,
 * order: in/out octets, in/out unicast packets, in/out errors, in/out
 * discards).  SNMPv1 devices are read through the 32-bit ifTable
 * columns, so their octet and packet counters carry the ifTable names
 * (ifInOctets ...) as snmp_exporter would give them.  Interfaces of a
 * device that is not up, and counters the last poll did not return, are
 * left out rather than repeated stale.  serat keeps ifName or, without
 * one, ifDescr as the interface name: ifDescr carries that name.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/http_int.h"
#include "common/log.h"

static void http_prom_head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void http_prom_one(FILE *f, const char *name, const char *type, const char *help,
			  double v)
{
	http_prom_head(f, name, type, help);
	if (isnan(v))
		fprintf(f, "%s NaN\n", name);
	else
		fprintf(f, "%s %.17g\n", name, v);
}

static void http_metrics_count(void *arg, const struct alert_view_item *it)
{
	(void)arg;
	(void)it;
}

/* The notifier's spool and the fates of notifications (alert engine). */
static void http_metrics_alerts(struct http_server *h, FILE *f)
{
	struct alert_view_stats st;
	size_t active = alert_view_active(h->alerts, http_metrics_count, NULL);

	alert_view_stats(h->alerts, &st);
	http_prom_one(f, "serat_notify_spool_depth", "gauge",
		      "Notifications spooled and not yet delivered or given up.", (double)st.pending);
	http_prom_head(f, "serat_notifications_total", "counter",
		       "Notifications whose fate is final, by result.");
	fprintf(f, "serat_notifications_total{result=\"delivered\"} %llu\n"
		   "serat_notifications_total{result=\"dropped\"} %llu\n"
		   "serat_notifications_total{result=\"expired\"} %llu\n",
		(unsigned long long)st.delivered, (unsigned long long)st.dropped,
		(unsigned long long)st.expired);
	http_prom_one(f, "serat_notifications_failed_total", "counter",
		      "Notifications dropped or expired: never delivered.",
		      (double)(st.dropped + st.expired));
	http_prom_one(f, "serat_alerts_firing", "gauge", "Alerts firing now.", (double)active);
}

static void http_metrics_health(struct http_server *h, FILE *f)
{
	struct http_health hl = { .rrd_errors = -1, .rrd_queue = -1, .rrd_dropped = -1 };
	const struct model *m = h->model;
	unsigned long long malformed = 0;
	size_t n[3] = { 0, 0, 0 };

	if (h->health)
		h->health(h->health_arg, &hl);
	for (size_t i = 0; i < m->n_devices; i++) {
		malformed += m->devices[i]->malformed;
		n[m->devices[i]->reach == DEV_UP ? 0 : m->devices[i]->reach == DEV_DOWN ? 1 : 2]++;
	}
	http_prom_one(f, "serat_polls_total", "counter", "Device polls completed.", (double)hl.polls);
	http_prom_one(f, "serat_poll_failures_total", "counter", "Device polls that failed.",
		      (double)hl.failures);
	http_prom_one(f, "serat_poll_overruns_total", "counter",
		      "Turns skipped because the previous poll of the device was still running.",
		      (double)hl.overruns);
	http_prom_one(f, "serat_malformed_varbinds_total", "counter",
		      "Varbinds rejected as malformed, over the devices polled now.", (double)malformed);
	http_prom_one(f, "serat_cycle_duration_seconds", "gauge",
		      "Duration of the last complete poll cycle.", hl.last_cycle_s);
	http_prom_head(f, "serat_devices", "gauge", "Devices by reachability.");
	fprintf(f, "serat_devices{state=\"up\"} %zu\nserat_devices{state=\"down\"} %zu\n"
		   "serat_devices{state=\"unknown\"} %zu\n", n[0], n[1], n[2]);
	if (hl.rrd_errors >= 0)
		http_prom_one(f, "serat_rrd_write_errors_total", "counter",
			      "RRD creates and updates that failed.", (double)hl.rrd_errors);
	if (hl.rrd_queue >= 0)
		http_prom_one(f, "serat_rrd_queue_depth", "gauge",
			      "RRD updates waiting for the writer.", (double)hl.rrd_queue);
	if (hl.rrd_dropped >= 0)
		http_prom_one(f, "serat_rrd_dropped_total", "counter",
			      "RRD updates dropped because the queue was full.", (double)hl.rrd_dropped);
	if (h->alerts)
		http_metrics_alerts(h, f);
	http_prom_head(f, "serat_http_requests_total", "counter", "HTTP requests answered, by status class.");
	for (int c = 1; c <= 5; c++)
		fprintf(f, "serat_http_requests_total{code=\"%dxx\"} %llu\n", c,
			(unsigned long long)h->requests[c]);
	http_prom_one(f, "serat_graph_cache_hits_total", "counter", "Graphs answered from the cache.",
		      (double)h->cache_hits);
	http_prom_one(f, "serat_graph_cache_misses_total", "counter", "Graphs that had to be rendered.",
		      (double)h->cache_misses);
	http_prom_one(f, "serat_graph_render_errors_total", "counter", "Graph renders that failed.",
		      (double)h->render_errors);
	http_prom_one(f, "serat_graph_rejected_total", "counter",
		      "Graph requests refused because the render queue was full.", (double)h->busy);
	http_prom_one(f, "serat_worker_queue_depth", "gauge",
		      "Jobs waiting for or running on the graph worker.",
		      (double)graph_worker_depth(h->worker));
}

/* The eight counters of model_if.hist.prev, as if_mib names them. */
static const struct {
	const char *hc, *legacy, *help;
} http_if_counters[IF_COUNTERS] = {
	{ "ifHCInOctets", "ifInOctets", "The total number of octets received on the interface, including framing characters" },
	{ "ifHCOutOctets", "ifOutOctets", "The total number of octets transmitted out of the interface, including framing characters" },
	{ "ifHCInUcastPkts", "ifInUcastPkts", "The number of packets, delivered by this sub-layer to a higher (sub-)layer, which were not addressed to a multicast or broadcast address" },
	{ "ifHCOutUcastPkts", "ifOutUcastPkts", "The total number of packets that higher-level protocols requested be transmitted, and which were not addressed to a multicast or broadcast address" },
	{ "ifInErrors", "ifInErrors", "The number of inbound packets that contained errors preventing them from being deliverable to a higher-layer protocol" },
	{ "ifOutErrors", "ifOutErrors", "The number of outbound packets that could not be transmitted because of errors" },
	{ "ifInDiscards", "ifInDiscards", "The number of inbound packets which were chosen to be discarded even though no errors had been detected" },
	{ "ifOutDiscards", "ifOutDiscards", "The number of outbound packets which were chosen to be discarded even though no errors had been detected" },
};

/* Escape V as a label value into F (whole runs written at once). */
static void http_prom_value(FILE *f, const char *v)
{
	while (v && *v) {
		size_t run = strcspn(v, "\\\"\n");
		fwrite(v, 1, run, f);
		v += run;
		if (*v) {
			fputs(*v == '\n' ? "\\n" : *v == '"' ? "\\\"" : "\\\\", f);
			v++;
		}
	}
}

/* "{device=...,ifDescr=...}" of every interface, built once per scrape
 * (the eleven families repeat them): LABELS[d][i] points into one buffer. */
struct http_if_labels {
	char *buf;
	size_t len;
	size_t *off;                 /* start of each interface's labels */
};

static int http_if_labels_build(const struct model *m, struct http_if_labels *l)
{
	size_t total = 0, k = 0;
	for (size_t d = 0; d < m->n_devices; d++)
		total += m->devices[d]->n_ifs;
	l->off = calloc(total + 1, sizeof(*l->off));
	FILE *f = open_memstream(&l->buf, &l->len);
	if (l->off == NULL || f == NULL) {
		free(l->off);
		if (f)
			fclose(f);
		free(l->buf);
		return -ENOMEM;
	}
	for (size_t di = 0; di < m->n_devices; di++) {
		const struct model_device *d = m->devices[di];
		for (size_t j = 0; j < d->n_ifs; j++) {
			const struct model_if *i = &d->ifs[j];
			l->off[k++] = (size_t)ftell(f);
			fputs("{device=\"", f);
			http_prom_value(f, d->name);
			fputs("\",site=\"", f);
			http_prom_value(f, d->site->name);
			fprintf(f, "\",kind=\"%s\",ifIndex=\"%u\",ifName=\"",
				site_kind_name(d->site->conf->kind), i->ifindex);
			http_prom_value(f, i->name);
			fputs("\",ifAlias=\"", f);
			http_prom_value(f, i->alias);
			fputs("\",ifDescr=\"", f);
			http_prom_value(f, i->name);
			fputs("\"} ", f);
			fputc('\0', f);
		}
	}
	if (fclose(f) != 0) {
		free(l->off);
		free(l->buf);
		return -ENOMEM;
	}
	return 0;
}

/* Which devices a family covers: HC (v2c/v3), v1, or all. */
enum http_if_which { HTTP_IF_HC, HTTP_IF_V1, HTTP_IF_ALL };

/* One family: every interface's value; FN returns NAN to skip one. */
static void http_if_family(FILE *f, const struct model *m, const struct http_if_labels *l,
			   const char *name, const char *type, const char *help,
			   enum http_if_which which, double (*fn)(const struct model_if *i, int k),
			   int k)
{
	int head = 0;
	size_t idx = 0;
	for (size_t di = 0; di < m->n_devices; di++) {
		const struct model_device *d = m->devices[di];
		int v1 = d->conf->snmp.version == 1;
		if (d->reach != DEV_UP || (which == HTTP_IF_HC && v1) || (which == HTTP_IF_V1 && !v1)) {
			idx += d->n_ifs;
			continue;
		}
		for (size_t j = 0; j < d->n_ifs; j++, idx++) {
			double v = fn(&d->ifs[j], k);
			if (isnan(v))
				continue;
			if (!head)
				http_prom_head(f, name, type, help);
			head = 1;
			fputs(name, f);
			fputs(l->buf + l->off[idx], f);
			/* Counters and gauges are whole numbers below 2^64. */
			fprintf(f, "%llu\n", (unsigned long long)v);
		}
	}
}

static double http_if_counter(const struct model_if *i, int k)
{
	return i->hist.prev_valid & (1u << k) ? (double)i->hist.prev[k] : NAN;
}

static double http_if_gauge(const struct model_if *i, int k)
{
	switch (k) {
	case 0: return i->oper ? i->oper : NAN;
	case 1: return i->admin ? i->admin : NAN;
	default: return i->speed_bps > 0 ? floor(i->speed_bps / 1e6) : NAN;
	}
}

static int http_metrics_interfaces(struct http_server *h, FILE *f)
{
	const struct model *m = h->model;
	struct http_if_labels l;
	if (http_if_labels_build(m, &l) < 0)
		return -ENOMEM;
	static const struct { const char *name, *help; enum http_if_which which; } gauges[3] = {
		{ "ifOperStatus", "The current operational state of the interface - 1.3.6.1.2.1.2.2.1.8",
		  HTTP_IF_ALL },
		{ "ifAdminStatus", "The desired state of the interface - 1.3.6.1.2.1.2.2.1.7",
		  HTTP_IF_ALL },
		/* ifHighSpeed is an ifXTable column: not on v1 agents. */
		{ "ifHighSpeed", "An estimate of the interface's current bandwidth in units of 1,000,000 bits per second - 1.3.6.1.2.1.31.1.1.1.15",
		  HTTP_IF_HC },
	};
	for (int k = 0; k < IF_COUNTERS; k++) {
		/* Octets and packets: HC names for v2c/v3, ifTable names for
		 * v1; errors and discards have one name for both. */
		if (k < 4) {
			http_if_family(f, m, &l, http_if_counters[k].hc, "counter",
				       http_if_counters[k].help, HTTP_IF_HC, http_if_counter, k);
			http_if_family(f, m, &l, http_if_counters[k].legacy, "counter",
				       http_if_counters[k].help, HTTP_IF_V1, http_if_counter, k);
		} else {
			http_if_family(f, m, &l, http_if_counters[k].hc, "counter",
				       http_if_counters[k].help, HTTP_IF_ALL, http_if_counter, k);
		}
	}
	for (int g = 0; g < 3; g++)
		http_if_family(f, m, &l, gauges[g].name, "gauge", gauges[g].help, gauges[g].which,
			       http_if_gauge, g);
	free(l.off);
	free(l.buf);
	return 0;
}

int http_metrics(struct http_server *h, const struct http_route *r, struct http_reply *out)
{
	char *buf;
	size_t len;
	FILE *f = http_reply_open(out, &buf, &len);
	if (f == NULL)
		return -ENOMEM;
	if (r->kind == HR_METRICS_IF && http_metrics_interfaces(h, f) < 0) {
		fclose(f);
		free(buf);
		return -ENOMEM;
	} else if (r->kind != HR_METRICS_IF)
		http_metrics_health(h, f);
	out->no_store = 1;
	return http_reply_finish(f, out, &buf, &len, 200, "text/plain; version=0.0.4; charset=utf-8");
}
