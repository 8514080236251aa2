/*
 * http_pages.c — the dashboard's HTML: overview, site, device, interface,
 * wall, and the alerts / maintenance / SLA pages.
 *
 * Server-side HTML, one stylesheet and one small script from /static/ (no
 * inline script or style, so the Content-Security-Policy can forbid them).
 * Every name from the model or an agent is HTML-escaped (http_html) in
 * text and percent-encoded (http_urlenc) in links.  Indonesian and
 * English: the config's `language`, overridden by ?lang= (the switch in
 * the header keeps the page and its arguments).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/http_int.h"

#define IFV(id) ((id) - METRIC_IF_FIRST)
#define HTTP_WORST_N 8

enum http_word {
	T_OVERVIEW, T_WALL, T_ALERTS, T_MAINT, T_SLA, T_UPDATED, T_PROBLEMS, T_NO_PROBLEMS,
	T_WORST, T_BUSIEST, T_ERRORS, T_SITE, T_DEVICE, T_IFACE, T_STATUS, T_UPLINK, T_AVAIL24,
	T_AVAIL30, T_DEVICES, T_IFACES, T_ADDRESS, T_RTT, T_UPTIME, T_LASTPOLL, T_SINCE, T_ALIAS,
	T_SPEED, T_IN, T_OUT, T_UTIL, T_ERRS, T_OPER, T_TRAFFIC, T_AVAILABILITY, T_RESP,
	T_DAY, T_WEEK, T_MONTH, T_YEAR, T_DOWN_SINCE,
	T_ERRDISC, T_UNKNOWN_STATE, T_KIND, T_COUNT
};
static const char *const http_words[T_COUNT][2] = {
	{ "Overview", "Ringkasan" }, { "Wall", "Layar dinding" }, { "Alerts", "Peringatan" },
	{ "Maintenance", "Pemeliharaan" }, { "SLA", "SLA" }, { "Updated", "Diperbarui" },
	{ "Problems", "Masalah" }, { "No problems right now.", "Tidak ada masalah saat ini." },
	{ "Worst links now", "Tautan terburuk saat ini" }, { "Busiest", "Tersibuk" },
	{ "Most errors", "Galat terbanyak" }, { "Site", "Lokasi" }, { "Device", "Perangkat" },
	{ "Interface", "Antarmuka" }, { "Status", "Status" }, { "Uplink", "Uplink" },
	{ "24 h availability", "Ketersediaan 24 jam" }, { "30 d availability", "Ketersediaan 30 hari" },
	{ "Devices", "Perangkat" }, { "Interfaces", "Antarmuka" }, { "Address", "Alamat" },
	{ "SNMP response", "Respons SNMP" }, { "Uptime", "Waktu hidup" },
	{ "Last poll", "Polling terakhir" }, { "Since", "Sejak" }, { "Alias", "Alias" },
	{ "Speed", "Kecepatan" }, { "In", "Masuk" }, { "Out", "Keluar" },
	{ "Utilisation", "Utilisasi" }, { "Errors/s", "Galat/dtk" }, { "Oper", "Operasi" },
	{ "Traffic", "Lalu lintas" }, { "Availability", "Ketersediaan" },
	{ "Response time", "Waktu respons" }, { "day", "hari" }, { "week", "minggu" },
	{ "month", "bulan" }, { "year", "tahun" }, { "down since", "putus sejak" },
	{ "Errors and discards", "Galat dan paket dibuang" }, { "unknown", "tak diketahui" },
	{ "Kind", "Jenis" },
};
static const char *const http_status_words[4][2] = {
	{ "up", "normal" }, { "degraded", "terganggu" }, { "down", "putus" },
	{ "unknown", "tak diketahui" },
};
static const char *const http_kind_titles[SITE_KIND_COUNT][2] = {
	{ "Core", "Inti (Diskominfo)" }, { "Government offices (OPD)", "Perangkat daerah (OPD)" },
	{ "Health clinics (puskesmas)", "Puskesmas" }, { "Villages (nagari)", "Nagari" },
	{ "Districts (kecamatan)", "Kecamatan" }, { "Other", "Lainnya" },
};

#define W(p, w) http_words[w][(p)->lang]

/* The query that reproduces this page, for the language switch. */
static void http_page_self(struct http_page *p, int lang)
{
	const struct http_route *r = p->r;
	static const char *const paths[HR_KIND_COUNT] = {
		[HR_OVERVIEW] = "/", [HR_SITE] = "/site", [HR_DEVICE] = "/device", [HR_IF] = "/if",
		[HR_WALL] = "/wall", [HR_ALERTS] = "/alerts", [HR_MAINT] = "/maintenance",
		[HR_SLA] = "/sla",
	};
	fputs(paths[r->kind] ? paths[r->kind] : "/", p->f);
	fprintf(p->f, "?lang=%s", lang ? "id" : "en");
	if (r->site[0]) {
		fputs("&amp;name=", p->f);
		http_urlenc(p->f, r->site);
	}
	if (r->device[0]) {
		fputs(r->kind == HR_DEVICE ? "&amp;name=" : "&amp;device=", p->f);
		http_urlenc(p->f, r->device);
	}
	if (r->ifname[0]) {
		fputs("&amp;name=", p->f);
		http_urlenc(p->f, r->ifname);
	}
	if (r->kiosk[0]) {
		fputs("&amp;kiosk=", p->f);
		http_urlenc(p->f, r->kiosk);
	}
}

/* "&lang=xx" when the request chose one, to keep it in links. */
static void http_page_lang_arg(struct http_page *p)
{
	if (p->r->lang >= 0)
		fprintf(p->f, "&amp;lang=%s", p->r->lang ? "id" : "en");
}

void http_page_head(struct http_page *p, const char *title, int wall)
{
	FILE *f = p->f;
	char now[64];

	fprintf(f, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		   "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">",
		p->lang ? "id" : "en");
	if (wall)
		fputs("<meta http-equiv=\"refresh\" content=\"60\">", f);
	fputs("<title>", f);
	http_html(f, title);
	fputs(" — serat</title><link rel=\"stylesheet\" href=\"/static/serat.css\"></head>\n", f);
	http_fmt_time(now, sizeof(now), (double)time(NULL));
	if (wall) {
		fputs("<body class=\"wall\"><div class=\"wallhead\"><span>serat</span><span>", f);
		http_html(f, now);
		fputs("</span></div>\n", f);
		return;
	}
	fputs("<body><header><a class=\"brand\" href=\"/\">serat</a><nav>", f);
	static const struct { const char *href; enum http_word w; } nav[] = {
		{ "/", T_OVERVIEW }, { "/wall", T_WALL }, { "/alerts", T_ALERTS },
		{ "/maintenance", T_MAINT }, { "/sla", T_SLA },
	};
	for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		fprintf(f, "<a href=\"%s?x", nav[i].href);
		http_page_lang_arg(p);
		fprintf(f, "\">%s</a>", W(p, nav[i].w));
	}
	fputs("<a href=\"/api/v1/\">API</a></nav><span class=\"lang\">", f);
	fputs("<a href=\"", f);
	http_page_self(p, 1);
	fputs("\">ID</a> · <a href=\"", f);
	http_page_self(p, 0);
	fprintf(f, "\">EN</a></span></header>\n<main><p class=\"muted\">%s: ", W(p, T_UPDATED));
	http_html(f, now);
	fputs("</p>\n", f);
}

void http_page_foot(struct http_page *p, int wall)
{
	fputs(wall ? "" : "</main>", p->f);
	fputs("<script src=\"/static/serat.js\"></script></body></html>\n", p->f);
}

static void http_badge(struct http_page *p, enum http_status s)
{
	fprintf(p->f, "<span class=\"badge st-%s\">%s</span>", http_status_name(s),
		http_status_words[s][p->lang]);
}

static void http_pct(FILE *f, double v)
{
	if (isnan(v))
		fputs("-", f);
	else
		fprintf(f, "%.2f %%", v);
}

static void http_link_obj(struct http_page *p, const char *path, const char *key1,
			  const char *v1, const char *key2, const char *v2, const char *text)
{
	fprintf(p->f, "<a href=\"%s?%s=", path, key1);
	http_urlenc(p->f, v1);
	if (key2) {
		fprintf(p->f, "&amp;%s=", key2);
		http_urlenc(p->f, v2);
	}
	http_page_lang_arg(p);
	fputs("\">", p->f);
	http_html(p->f, text);
	fputs("</a>", p->f);
}

/* <img> of one graph; small ones on lists, larger on detail pages. */
static void http_graph_img(struct http_page *p, const char *device, const char *ifname,
			   enum graph_kind k, enum graph_period per, unsigned w, unsigned h)
{
	FILE *f = p->f;
	char *url = NULL;
	size_t len = 0;
	FILE *u = open_memstream(&url, &len);
	if (u == NULL)
		return;
	fputs("/graph?device=", u);
	http_urlenc(u, device);
	if (ifname) {
		fputs("&amp;if=", u);
		http_urlenc(u, ifname);
	}
	fprintf(u, "&amp;kind=%s&amp;period=%s&amp;w=%u&amp;h=%u", graph_kind_name(k),
		graph_period_name(per), w, h);
	if (p->r->lang >= 0)
		fprintf(u, "&amp;lang=%s", p->r->lang ? "id" : "en");
	fclose(u);
	fprintf(f, "<img src=\"%s\" data-refresh=\"%s\" width=\"%u\" height=\"%u\" alt=\"", url, url,
		w, h);
	http_html(f, device);
	fprintf(f, " %s\">\n", graph_kind_name(k));
	free(url);
}

/* ---- overview ------------------------------------------------------ */

struct http_worst {
	const struct model_device *d;
	const struct model_if *i;
	double v;
};

static int http_worst_cmp(const void *a, const void *b)
{
	double x = ((const struct http_worst *)a)->v, y = ((const struct http_worst *)b)->v;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* The N interfaces with the highest value of FN (NAN ones skipped). */
static size_t http_worst(const struct model *m, double (*fn)(const struct model_if *),
			 struct http_worst *out, size_t n)
{
	size_t k = 0;
	for (size_t d = 0; d < m->n_devices; d++) {
		for (size_t j = 0; j < m->devices[d]->n_ifs; j++) {
			const struct model_if *i = &m->devices[d]->ifs[j];
			double v = fn(i);
			if (isnan(v) || v <= 0)
				continue;
			if (k < n) {
				out[k++] = (struct http_worst){ m->devices[d], i, v };
				qsort(out, k, sizeof(*out), http_worst_cmp);
			} else if (v > out[n - 1].v) {
				out[n - 1] = (struct http_worst){ m->devices[d], i, v };
				qsort(out, k, sizeof(*out), http_worst_cmp);
			}
		}
	}
	return k;
}

static double http_if_util(const struct model_if *i)
{
	return i->last[IFV(METRIC_IF_UTIL_PCT)];
}

static double http_if_errs(const struct model_if *i)
{
	double s = 0;
	for (int m = METRIC_IF_IN_ERRORS_PS; m <= METRIC_IF_OUT_DISCARDS_PS; m++)
		s += i->last[IFV(m)];
	return s;
}

static void http_worst_table(struct http_page *p, enum http_word title,
			     const struct http_worst *w, size_t n, int errs)
{
	FILE *f = p->f;
	char in[32], out[32];
	fprintf(f, "<h3>%s</h3><div class=\"scroll\"><table><tr><th>%s</th><th>%s</th>"
		   "<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th></tr>\n",
		W(p, title), W(p, T_DEVICE), W(p, T_IFACE), W(p, T_IN), W(p, T_OUT),
		errs ? W(p, T_ERRS) : W(p, T_UTIL));
	for (size_t k = 0; k < n; k++) {
		http_fmt_rate(in, sizeof(in), w[k].i->last[IFV(METRIC_IF_IN_BPS)]);
		http_fmt_rate(out, sizeof(out), w[k].i->last[IFV(METRIC_IF_OUT_BPS)]);
		fputs("<tr><td>", f);
		http_link_obj(p, "/device", "name", w[k].d->name, NULL, NULL, w[k].d->name);
		fputs("</td><td>", f);
		http_link_obj(p, "/if", "device", w[k].d->name, "name", w[k].i->name, w[k].i->name);
		fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			   "<td class=\"num\">%.*f%s</td></tr>\n", in, out, errs ? 2 : 1, w[k].v,
			errs ? "" : " %");
	}
	fputs("</table></div>\n", f);
}

static void http_problems(struct http_page *p)
{
	const struct model *m = p->h->model;
	FILE *f = p->f;
	int any = 0;
	char since[64];

	fprintf(f, "<h2>%s</h2>\n", W(p, T_PROBLEMS));
	/* Down first (longest first), then unknown. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < m->n_devices; i++) {
			const struct model_device *d = m->devices[i];
			if ((pass == 0 && d->reach != DEV_DOWN) || (pass == 1 && d->reach != DEV_UNKNOWN))
				continue;
			if (!any)
				fputs("<div class=\"grid\">", f);
			any = 1;
			fprintf(f, "<div class=\"tile st-%s\"><div class=\"name\">",
				http_status_name(http_device_status(d)));
			http_link_obj(p, "/device", "name", d->name, NULL, NULL, d->name);
			fputs("</div>", f);
			http_badge(p, http_device_status(d));
			if (d->reach == DEV_DOWN) {
				http_fmt_time(since, sizeof(since), d->down_since ? d->down_since : d->since);
				fprintf(f, " %s %s", W(p, T_DOWN_SINCE), since);
			}
			if (d->error) {
				fputs("<div class=\"muted\">", f);
				http_html(f, d->error);
				fputs("</div>", f);
			}
			fputs("</div>\n", f);
		}
	}
	fputs(any ? "</div>\n" : "", f);
	if (!any)
		fprintf(f, "<p>%s</p>\n", W(p, T_NO_PROBLEMS));
}

static int http_site_rank(const struct model_site *s)
{
	static const int rank[] = { [HS_DOWN] = 0, [HS_DEGRADED] = 1, [HS_UNKNOWN] = 2, [HS_UP] = 3 };
	return rank[http_site_status(s)];
}

static void http_site_tile(struct http_page *p, const struct model_site *s, int wall)
{
	FILE *f = p->f;
	const struct model_device *ud = NULL;
	const struct model_if *up = http_site_uplink(s, &ud);
	char in[32] = "-", out[32] = "-";
	double a24, a30;
	enum http_status st = http_site_status(s);

	if (up) {
		http_fmt_rate(in, sizeof(in), up->last[IFV(METRIC_IF_IN_BPS)]);
		http_fmt_rate(out, sizeof(out), up->last[IFV(METRIC_IF_OUT_BPS)]);
	}
	http_site_avail(p->h, s, &a24, &a30);
	fprintf(f, "<div class=\"tile st-%s\" data-site=\"", http_status_name(st));
	http_html(f, s->name);
	fputs("\"><div class=\"name\">", f);
	if (wall)
		http_html(f, s->name);
	else
		http_link_obj(p, "/site", "name", s->name, NULL, NULL, s->name);
	fputs("</div>", f);
	http_badge(p, st);
	fprintf(f, "<div%s>↓ %s ↑ %s</div>", wall ? " class=\"big\"" : "", in, out);
	fprintf(f, "<div class=\"muted\">24h ");
	http_pct(f, a24);
	fputs(" · 30d ", f);
	http_pct(f, a30);
	fputs("</div></div>\n", f);
}

/* Sites of KIND, problems first (stable within a rank). */
static void http_kind_group(struct http_page *p, enum site_kind kind, int wall)
{
	const struct model *m = p->h->model;
	int any = 0;
	for (int rank = 0; rank < 4; rank++) {
		for (size_t i = 0; i < m->n_sites; i++) {
			const struct model_site *s = &m->sites[i];
			if (s->conf->kind != kind || http_site_rank(s) != rank)
				continue;
			if (!any && !wall)
				fprintf(p->f, "<h2>%s</h2><div class=\"grid\">\n",
					http_kind_titles[kind][p->lang]);
			any = 1;
			http_site_tile(p, s, wall);
		}
	}
	if (any && !wall)
		fputs("</div>\n", p->f);
}

static void http_overview(struct http_page *p)
{
	struct http_worst w[HTTP_WORST_N];
	size_t n;

	http_page_head(p, W(p, T_OVERVIEW), 0);
	fprintf(p->f, "<h1>%s</h1>\n", W(p, T_OVERVIEW));
	http_problems(p);
	fprintf(p->f, "<h2>%s</h2>\n", W(p, T_WORST));
	n = http_worst(p->h->model, http_if_util, w, HTTP_WORST_N);
	http_worst_table(p, T_BUSIEST, w, n, 0);
	n = http_worst(p->h->model, http_if_errs, w, HTTP_WORST_N);
	http_worst_table(p, T_ERRORS, w, n, 1);
	for (int k = 0; k < SITE_KIND_COUNT; k++)
		http_kind_group(p, (enum site_kind)k, 0);
	http_page_foot(p, 0);
}

static void http_wall(struct http_page *p)
{
	http_page_head(p, W(p, T_WALL), 1);
	fputs("<div class=\"wallgrid\">\n", p->f);
	/* All sites, problems first across kinds: the wall is for noticing. */
	for (int k = 0; k < SITE_KIND_COUNT; k++)
		http_kind_group(p, (enum site_kind)k, 1);
	fputs("</div>\n", p->f);
	http_page_foot(p, 1);
}

/* ---- site, device, interface --------------------------------------- */

static const struct model_site *http_find_site(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->n_sites; i++)
		if (strcmp(m->sites[i].name, name) == 0)
			return &m->sites[i];
	return NULL;
}

static void http_periods(struct http_page *p, const char *device, const char *ifname)
{
	fputs("<p class=\"periods\">", p->f);
	for (int per = GRAPH_DAY; per <= GRAPH_YEAR; per++) {
		fprintf(p->f, "<a href=\"#%s\">%s</a>", graph_period_name(per), W(p, T_DAY + per));
	}
	fputs("</p>\n", p->f);
	(void)device;
	(void)ifname;
}

static int http_site_page(struct http_page *p)
{
	const struct model_site *s = http_find_site(p->h->model, p->r->site);
	FILE *f = p->f;
	char rtt[32], upt[32];
	if (s == NULL)
		return 404;
	http_page_head(p, s->name, 0);
	fprintf(f, "<h1>%s: ", W(p, T_SITE));
	http_html(f, s->name);
	fputs(" ", f);
	http_badge(p, http_site_status(s));
	fprintf(f, "</h1><p class=\"muted\">%s: %s", W(p, T_KIND), site_kind_name(s->conf->kind));
	if (s->conf->location) {
		fputs(" · ", f);
		http_html(f, s->conf->location);
	}
	fprintf(f, "</p><h2>%s</h2><div class=\"scroll\"><table><tr><th>%s</th><th>%s</th>"
		   "<th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
		   "<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th></tr>\n",
		W(p, T_DEVICES), W(p, T_DEVICE), W(p, T_STATUS), W(p, T_ADDRESS), W(p, T_RTT),
		W(p, T_UPTIME), W(p, T_AVAIL24), W(p, T_AVAIL30), W(p, T_IFACES));
	for (size_t i = 0; i < s->n_devices; i++) {
		const struct model_device *d = s->devices[i];
		const struct http_avail *a = http_avail_find(p->h, d->name);
		snprintf(rtt, sizeof(rtt), isnan(d->rtt_s) ? "-" : "%.1f ms", d->rtt_s * 1000);
		http_fmt_duration(upt, sizeof(upt), d->have_uptime ? d->uptime_ticks / 100.0 : NAN);
		fputs("<tr><td>", f);
		http_link_obj(p, "/device", "name", d->name, NULL, NULL, d->name);
		fputs("</td><td>", f);
		http_badge(p, http_device_status(d));
		fputs("</td><td>", f);
		http_html(f, d->conf->host);
		fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">",
			rtt, upt);
		http_pct(f, a ? a->a24 : NAN);
		fputs("</td><td class=\"num\">", f);
		http_pct(f, a ? a->a30 : NAN);
		fprintf(f, "</td><td class=\"num\">%zu</td></tr>\n", d->n_ifs);
	}
	fputs("</table></div>\n<div class=\"graphs\">\n", f);
	for (size_t i = 0; i < s->n_devices; i++)
		http_graph_img(p, s->devices[i]->name, NULL, GRAPH_DEV_AVAIL, GRAPH_DAY, 700, 160);
	fputs("</div>\n", f);
	http_page_foot(p, 0);
	return 0;
}

static int http_device_page(struct http_page *p)
{
	const struct model_device *d = model_find_device(p->h->model, p->r->device);
	FILE *f = p->f;
	char buf[64], in[32], out[32];
	if (d == NULL)
		return 404;
	http_page_head(p, d->name, 0);
	fprintf(f, "<h1>%s: ", W(p, T_DEVICE));
	http_html(f, d->name);
	fputs(" ", f);
	http_badge(p, http_device_status(d));
	fprintf(f, "</h1><p class=\"muted\">%s: ", W(p, T_SITE));
	http_link_obj(p, "/site", "name", d->site->name, NULL, NULL, d->site->name);
	fprintf(f, " · %s: ", W(p, T_ADDRESS));
	http_html(f, d->conf->host);
	http_fmt_time(buf, sizeof(buf), d->last_poll);
	fprintf(f, " · %s: %s", W(p, T_LASTPOLL), buf);
	if (d->error) {
		fputs(" · ", f);
		http_html(f, d->error);
	}
	fputs("</p>\n", f);
	http_periods(p, d->name, NULL);
	fputs("<div class=\"graphs\">\n", f);
	for (int per = GRAPH_DAY; per <= GRAPH_YEAR; per++) {
		fprintf(f, "<h2 id=\"%s\">%s</h2>\n", graph_period_name(per), W(p, T_DAY + per));
		http_graph_img(p, d->name, NULL, GRAPH_DEV_AVAIL, per, 800, 200);
		if (per == GRAPH_DAY) {
			http_graph_img(p, d->name, NULL, GRAPH_DEV_RTT, per, 800, 240);
			http_graph_img(p, d->name, NULL, GRAPH_DEV_UPTIME, per, 800, 200);
		}
	}
	fprintf(f, "</div><h2>%s</h2><div class=\"scroll\"><table><tr><th>%s</th><th>%s</th>"
		   "<th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
		   "<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th></tr>\n",
		W(p, T_IFACES), W(p, T_IFACE), W(p, T_ALIAS), W(p, T_OPER), W(p, T_SPEED),
		W(p, T_IN), W(p, T_OUT), W(p, T_UTIL), W(p, T_ERRS));
	for (size_t k = 0; k < d->n_ifs; k++) {
		const struct model_if *i = &d->ifs[k];
		http_fmt_rate(in, sizeof(in), i->last[IFV(METRIC_IF_IN_BPS)]);
		http_fmt_rate(out, sizeof(out), i->last[IFV(METRIC_IF_OUT_BPS)]);
		http_fmt_rate(buf, sizeof(buf), i->speed_bps > 0 ? i->speed_bps : NAN);
		fputs("<tr><td>", f);
		http_link_obj(p, "/if", "device", d->name, "name", i->name, i->name);
		fputs("</td><td>", f);
		http_html(f, i->alias ? i->alias : "");
		fprintf(f, "</td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			   "<td class=\"num\">%s</td><td class=\"num\">",
			i->oper == 1 ? "up" : i->oper == 0 ? "-" : "down", buf, in, out);
		http_pct(f, i->last[IFV(METRIC_IF_UTIL_PCT)]);
		fprintf(f, "</td><td class=\"num\">%.2f</td></tr>\n", http_if_errs(i));
	}
	fputs("</table></div>\n", f);
	http_page_foot(p, 0);
	return 0;
}

static int http_if_page(struct http_page *p)
{
	const struct model_device *d = model_find_device(p->h->model, p->r->device);
	const struct model_if *i = d ? model_device_find_if(d, p->r->ifname) : NULL;
	FILE *f = p->f;
	char in[32], out[32], sp[32];
	if (i == NULL)
		return 404;
	http_page_head(p, i->name, 0);
	fprintf(f, "<h1>%s: ", W(p, T_IFACE));
	http_html(f, i->name);
	fputs("</h1><p class=\"muted\">", f);
	http_link_obj(p, "/device", "name", d->name, NULL, NULL, d->name);
	if (i->alias && i->alias[0]) {
		fputs(" · ", f);
		http_html(f, i->alias);
	}
	http_fmt_rate(in, sizeof(in), i->last[IFV(METRIC_IF_IN_BPS)]);
	http_fmt_rate(out, sizeof(out), i->last[IFV(METRIC_IF_OUT_BPS)]);
	http_fmt_rate(sp, sizeof(sp), i->speed_bps > 0 ? i->speed_bps : NAN);
	fprintf(f, " · ifIndex %u · %s %s · %s %s · %s %s</p>\n", i->ifindex, W(p, T_SPEED), sp,
		W(p, T_IN), in, W(p, T_OUT), out);
	http_periods(p, d->name, i->name);
	fputs("<div class=\"graphs\">\n", f);
	for (int per = GRAPH_DAY; per <= GRAPH_YEAR; per++) {
		fprintf(f, "<h2 id=\"%s\">%s — %s</h2>\n", graph_period_name(per), W(p, T_TRAFFIC),
			W(p, T_DAY + per));
		http_graph_img(p, d->name, i->name, GRAPH_IF_TRAFFIC, per, 800, 280);
		if (per == GRAPH_DAY) {
			http_graph_img(p, d->name, i->name, GRAPH_IF_UTIL, per, 800, 220);
			http_graph_img(p, d->name, i->name, GRAPH_IF_ERRORS, per, 800, 240);
		}
	}
	fputs("</div>\n", f);
	http_page_foot(p, 0);
	return 0;
}

/* ---- SLA reports: files seratd writes on the 1st (docs/sla.md) ------ */

static int http_month_cmp(const void *a, const void *b)
{
	return -strcmp((const char *)a, (const char *)b);    /* newest first */
}

/* The monthly reports in <data_dir>/reports, newest first.  The directory
 * holds one file per month and format: a few dozen entries a year. */
static void http_sla_page(struct http_page *p)
{
	char dir[PATH_MAX], (*months)[8] = NULL, m[8];
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/reports", p->h->conf->data_dir);
	http_page_head(p, W(p, T_SLA), 0);
	fprintf(p->f, "<h1>%s</h1>\n", W(p, T_SLA));
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (http_route_report_name(de->d_name, m) < 0)
				continue;
			if (n == cap) {
				void *nm = realloc(months, (cap = cap ? cap * 2 : 16) * sizeof(*months));
				if (nm == NULL)
					break;
				months = nm;
			}
			memcpy(months[n++], m, sizeof(m));
		}
		closedir(d);
	}
	if (n == 0) {
		fprintf(p->f, "<div class=\"placeholder\" id=\"placeholder\">%s</div>\n",
			p->lang ? "Belum ada laporan bulanan: seratd membuatnya tiap tanggal 1."
				: "No monthly report yet: seratd makes one on the 1st of each month.");
	} else {
		qsort(months, n, sizeof(*months), http_month_cmp);
		fprintf(p->f, "<ul id=\"reports\">\n");
		for (size_t i = 0; i < n; i++)
			fprintf(p->f, "<li><a href=\"/reports/%s.html\">%s</a></li>\n", months[i],
				months[i]);
		fputs("</ul>\n", p->f);
	}
	free(months);
	http_page_foot(p, 0);
}

/* /reports/YYYY-MM.html: the file as written (a self-contained page);
 * the name was validated by the router.  404 when there is none. */
static int http_report_file(struct http_page *p)
{
	char path[PATH_MAX], buf[16384];
	size_t k;
	FILE *f;

	snprintf(path, sizeof(path), "%s/reports/%s.html", p->h->conf->data_dir, p->r->report);
	if ((f = fopen(path, "r")) == NULL)
		return 404;
	while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, k, p->f);
	fclose(f);
	return 0;
}

int http_pages(struct http_server *h, const struct http_route *r, struct http_reply *out)
{
	char *buf;
	size_t len;
	struct http_page p = { .h = h, .r = r, .lang = http_lang(h, r) };
	int status = 0;

	p.f = http_reply_open(out, &buf, &len);
	if (p.f == NULL)
		return -ENOMEM;
	switch (r->kind) {
	case HR_OVERVIEW: http_overview(&p); break;
	case HR_WALL: http_wall(&p); break;
	case HR_SITE: status = http_site_page(&p); break;
	case HR_DEVICE: status = http_device_page(&p); break;
	case HR_IF: status = http_if_page(&p); break;
	case HR_ALERTS: http_alerts_page(&p); break;
	case HR_SLA: http_sla_page(&p); break;
	case HR_REPORT: status = http_report_file(&p); break;
	case HR_MAINT: http_maint_page(&p); break;
	default: status = 404;
	}
	out->no_store = 1;
	return http_reply_finish(p.f, out, &buf, &len, status ? status : 200,
				 "text/html; charset=utf-8");
}
