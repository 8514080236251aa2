/*
 * http_alerts.c — the dashboard's alerts and maintenance pages.
 *
 * Both read only memory on the loop thread: the alert engine's live state
 * through alert_view.h (firing alerts, the ring of the last
 * ALERT_VIEW_HISTORY ended incidents, the `serat maint add` windows it
 * re-reads from the event store on its worker) and the config's windows.
 * Nothing here touches SQLite, so a page never waits.  Escaping as in
 * http_pages.c: http_html for text, http_urlenc in links.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "collector/http_int.h"

enum ha_word {
	HA_ALERTS, HA_ACTIVE, HA_HISTORY, HA_NONE_ACTIVE, HA_NONE_HISTORY, HA_NO_ENGINE,
	HA_ALERT, HA_OBJECT, HA_SEVERITY, HA_START, HA_END, HA_DURATION, HA_CAUSE, HA_TOLD,
	HA_FOR, HA_NEWER, HA_OLDER, HA_MAINT, HA_CONFIG, HA_CLI, HA_NAME, HA_TARGETS,
	HA_TARGET, HA_REASON, HA_NONE_CONF, HA_NONE_CLI, HA_SILENT, HA_COUNT
};
static const char *const ha_words[HA_COUNT][2] = {
	{ "Alerts", "Peringatan" }, { "Active", "Aktif" }, { "History", "Riwayat" },
	{ "No alerts are firing.", "Tidak ada peringatan aktif." },
	{ "No incidents have ended yet.", "Belum ada insiden yang selesai." },
	{ "The alert engine is not running (see seratd's log).",
	  "Mesin peringatan tidak berjalan (lihat log seratd)." },
	{ "Alert", "Peringatan" }, { "Object", "Objek" }, { "Severity", "Tingkat" },
	{ "Start", "Mulai" }, { "End", "Selesai" }, { "Duration", "Durasi" },
	{ "Cause", "Penyebab" }, { "Told", "Dikirim ke" }, { "for", "selama" },
	{ "Newer", "Lebih baru" }, { "Older", "Lebih lama" }, { "Maintenance", "Pemeliharaan" },
	{ "From the configuration", "Dari konfigurasi" },
	{ "Added with serat maint add", "Ditambahkan dengan serat maint add" },
	{ "Name", "Nama" }, { "Targets", "Sasaran" }, { "Target", "Sasaran" },
	{ "Reason", "Alasan" },
	{ "No maintenance windows are configured.", "Tidak ada jadwal pemeliharaan di konfigurasi." },
	{ "No current or upcoming windows.", "Tidak ada jadwal yang sedang atau akan berjalan." },
	{ "silenced", "dibisukan" },
};
#define HW(p, w) ha_words[w][(p)->lang]

size_t http_history_offset(const struct http_route *r)
{
	return (r->page > 1 ? r->page - 1 : 0) * (size_t)HTTP_HISTORY_PAGE;
}

/* "device", "device / ifname", or for CoreUnreachable the root list. */
static void ha_object(struct http_page *p, const struct ev_incident *i)
{
	if (i->device && i->site && strcmp(i->alertname ? i->alertname : "",
					   "CoreUnreachable") != 0) {
		fputs("<a href=\"/device?name=", p->f);
		http_urlenc(p->f, i->device);
		if (p->r->lang >= 0)
			fprintf(p->f, "&amp;lang=%s", p->r->lang ? "id" : "en");
		fputs("\">", p->f);
		http_html(p->f, i->device);
		fputs("</a>", p->f);
	} else {
		http_html(p->f, i->device ? i->device : "-");
	}
	if (i->ifname) {
		fputs(" / ", p->f);
		http_html(p->f, i->ifname);
	}
}

static void ha_cell_time(FILE *f, double t)
{
	char buf[64];

	http_fmt_time(buf, sizeof(buf), t);
	fputs("<td>", f);
	http_html(f, buf);
	fputs("</td>", f);
}

/* One row; END 0 = still firing (duration up to now). */
static void ha_row(struct http_page *p, const struct ev_incident *i, const char *quiet)
{
	FILE *f = p->f;
	char dur[64];
	double end = i->end > 0 ? i->end : (double)time(NULL);

	fprintf(f, "<tr class=\"sev-%s\"><td>", i->severity ? i->severity : "unknown");
	http_html(f, i->alertname ? i->alertname : "-");
	fputs("</td><td>", f);
	ha_object(p, i);
	fputs("</td><td>", f);
	http_html(f, i->severity ? i->severity : "-");
	fputs("</td>", f);
	ha_cell_time(f, i->start);
	if (i->end > 0)
		ha_cell_time(f, i->end);
	http_fmt_duration(dur, sizeof(dur), end - i->start);
	fprintf(f, "<td>%s</td><td>", dur);
	http_html(f, i->cause ? i->cause : "");
	if (i->root_device && i->device && strcmp(i->root_device, i->device) != 0) {
		fputs(" (", f);
		http_html(f, i->root_device);
		fputs(")", f);
	}
	if (quiet && quiet[0]) {
		fprintf(f, " <span class=\"muted\">[%s: ", HW(p, HA_SILENT));
		http_html(f, quiet);
		fputs("]</span>", f);
	}
	fputs("</td><td>", f);
	http_html(f, i->notified && i->notified[0] ? i->notified : "-");
	fputs("</td></tr>\n", f);
}

static void ha_table_head(struct http_page *p, const char *id, int with_end)
{
	fprintf(p->f, "<div class=\"scroll\"><table id=\"%s\"><tr><th>%s</th><th>%s</th>"
		      "<th>%s</th><th>%s</th>", id, HW(p, HA_ALERT), HW(p, HA_OBJECT),
		HW(p, HA_SEVERITY), HW(p, HA_START));
	if (with_end)
		fprintf(p->f, "<th>%s</th>", HW(p, HA_END));
	fprintf(p->f, "<th>%s</th><th>%s</th><th>%s</th></tr>\n", HW(p, HA_DURATION),
		HW(p, HA_CAUSE), HW(p, HA_TOLD));
}

static void ha_active_row(void *arg, const struct alert_view_item *it)
{
	ha_row(arg, &it->inc, it->quiet);
}

static void ha_history_row(void *arg, const struct ev_incident *i)
{
	ha_row(arg, i, NULL);
}

static void ha_count(void *arg, const struct alert_view_item *it)
{
	(void)it;
	(*(size_t *)arg)++;
}

static void ha_maint_count(void *arg, const struct ev_maint *m)
{
	(void)m;
	(*(size_t *)arg)++;
}

static void ha_page_link(struct http_page *p, unsigned page, enum ha_word w)
{
	fprintf(p->f, "<a href=\"/alerts?page=%u", page);
	if (p->r->lang >= 0)
		fprintf(p->f, "&amp;lang=%s", p->r->lang ? "id" : "en");
	fprintf(p->f, "\">%s</a> ", HW(p, w));
}

void http_alerts_page(struct http_page *p)
{
	const struct alert_engine *e = p->h->alerts;
	FILE *f = p->f;
	size_t off = http_history_offset(p->r), total;
	unsigned page = p->r->page > 1 ? p->r->page : 1;
	size_t n = 0;

	http_page_head(p, HW(p, HA_ALERTS), 0);
	fprintf(f, "<h1>%s</h1>\n", HW(p, HA_ALERTS));
	if (e == NULL) {
		fprintf(f, "<p id=\"no-engine\">%s</p>\n", HW(p, HA_NO_ENGINE));
		http_page_foot(p, 0);
		return;
	}
	fprintf(f, "<h2>%s</h2>\n", HW(p, HA_ACTIVE));
	if (alert_view_active(e, ha_count, &n) == 0) {
		fprintf(f, "<p id=\"none-active\">%s</p>\n", HW(p, HA_NONE_ACTIVE));
	} else {
		ha_table_head(p, "active", 0);
		alert_view_active(e, ha_active_row, p);
		fputs("</table></div>\n", f);
	}
	fprintf(f, "<h2>%s</h2>\n", HW(p, HA_HISTORY));
	total = alert_view_history(e, 0, 0, NULL, NULL);
	if (off >= total) {
		fprintf(f, "<p id=\"none-history\">%s</p>\n", HW(p, HA_NONE_HISTORY));
	} else {
		ha_table_head(p, "history", 1);
		alert_view_history(e, off, HTTP_HISTORY_PAGE, ha_history_row, p);
		fputs("</table></div>\n", f);
	}
	fputs("<p class=\"pager\">", f);
	if (page > 1)
		ha_page_link(p, page - 1, HA_NEWER);
	if (off + HTTP_HISTORY_PAGE < total)
		ha_page_link(p, page + 1, HA_OLDER);
	fputs("</p>\n", f);
	http_page_foot(p, 0);
}

/* ---- maintenance ------------------------------------------------------- */

static void ha_maint_conf(struct http_page *p)
{
	const struct serat_config *c = p->h->conf;
	FILE *f = p->f;

	fprintf(f, "<h2>%s</h2>\n", HW(p, HA_CONFIG));
	if (c->n_maintenance == 0) {
		fprintf(f, "<p>%s</p>\n", HW(p, HA_NONE_CONF));
		return;
	}
	fprintf(f, "<div class=\"scroll\"><table id=\"maint-config\"><tr><th>%s</th><th>%s</th>"
		   "<th>%s</th><th>%s</th></tr>\n", HW(p, HA_NAME), HW(p, HA_START), HW(p, HA_END),
		HW(p, HA_TARGETS));
	for (size_t i = 0; i < c->n_maintenance; i++) {
		const struct maintenance_conf *mw = &c->maintenance[i];
		fputs("<tr><td>", f);
		http_html(f, mw->name);
		fputs("</td>", f);
		ha_cell_time(f, (double)mw->start);
		ha_cell_time(f, (double)mw->end);
		fputs("<td>", f);
		for (size_t t = 0; t < mw->n_targets; t++) {
			http_html(f, mw->targets[t].name);
			fputs(t + 1 < mw->n_targets ? ", " : "", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table></div>\n", f);
}

static void ha_maint_row(void *arg, const struct ev_maint *m)
{
	struct http_page *p = arg;

	fprintf(p->f, "<tr><td>%lld</td><td>", (long long)m->id);
	http_html(p->f, m->target);
	fputs("</td>", p->f);
	ha_cell_time(p->f, m->start);
	ha_cell_time(p->f, m->end);
	fputs("<td>", p->f);
	http_html(p->f, m->reason ? m->reason : "");
	fputs("</td></tr>\n", p->f);
}

void http_maint_page(struct http_page *p)
{
	FILE *f = p->f;
	size_t n = 0;

	http_page_head(p, HW(p, HA_MAINT), 0);
	fprintf(f, "<h1>%s</h1>\n", HW(p, HA_MAINT));
	ha_maint_conf(p);
	fprintf(f, "<h2>%s</h2>\n", HW(p, HA_CLI));
	if (alert_view_maint(p->h->alerts, ha_maint_count, &n) == 0) {
		fprintf(f, "<p id=\"none-cli\">%s</p>\n", HW(p, HA_NONE_CLI));
	} else {
		fprintf(f, "<div class=\"scroll\"><table id=\"maint-cli\"><tr><th>#</th>"
			   "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", HW(p, HA_TARGET),
			HW(p, HA_START), HW(p, HA_END), HW(p, HA_REASON));
		alert_view_maint(p->h->alerts, ha_maint_row, p);
		fputs("</table></div>\n", f);
	}
	http_page_foot(p, 0);
}
