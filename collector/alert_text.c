/*
 * alert_text.c — the words of a notification, in Indonesian or English.
 *
 * One item is a short paragraph: a headline saying what broke where, when
 * it started (and for a recovery, how long it lasted), the root cause when
 * it is another device, how many devices behind it went dark with it, and
 * the dashboard link.  Several items (a grouping window) become one message
 * with a count on top.  The wording is kept in one table per language so a
 * translator edits strings, not code.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/alert_format.h"
#include "common/tz.h"

void alert_fingerprint(const char *alertname, const char *device, const char *ifname,
		       char out[17])
{
	const char *parts[3] = { alertname, device, ifname };
	unsigned long long h = 1469598103934665603ULL;

	for (int i = 0; i < 3; i++) {
		for (const char *p = parts[i] ? parts[i] : ""; *p; p++) {
			h ^= (unsigned char)*p;
			h *= 1099511628211ULL;
		}
		h ^= 0xff;    /* separator: ("ab","c") != ("a","bc") */
		h *= 1099511628211ULL;
	}
	snprintf(out, 17, "%016llx", h);
}

size_t alert_fmt_time(double t, const char *tz, char *buf, size_t len)
{
	return tz_strftime(buf, len, "%Y-%m-%d %H:%M %Z", tz ? tz : "Asia/Jakarta", (time_t)t);
}

size_t alert_fmt_duration(double s, char *buf, size_t len)
{
	unsigned long long v = s > 0 && isfinite(s) ? (unsigned long long)(s + 0.5) : 0;
	int n;

	if (v < 60)
		n = snprintf(buf, len, "%llus", v);
	else if (v < 3600)
		n = snprintf(buf, len, "%llum %llus", v / 60, v % 60);
	else if (v < 86400)
		n = snprintf(buf, len, "%lluh %llum", v / 3600, v % 3600 / 60);
	else
		n = snprintf(buf, len, "%llud %lluh", v / 86400, v % 86400 / 3600);
	return n < 0 ? 0 : (size_t)n;
}

char *alert_html_escape(const char *s, int quote)
{
	size_t n = 1;
	char *out, *o;

	for (const char *p = s; *p; p++)
		n += *p == '&' ? 5 : (*p == '<' || *p == '>') ? 4 : (quote && *p == '"') ? 6 : 1;
	if ((out = malloc(n)) == NULL)
		return NULL;
	o = out;
	for (const char *p = s; *p; p++) {
		const char *rep = NULL;
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = quote ? "&quot;" : NULL; break;
		default: break;
		}
		if (rep) {
			memcpy(o, rep, strlen(rep));
			o += strlen(rep);
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

/* The strings of one language.  %s are filled in the order written. */
struct alert_words {
	const char *count;            /* "%zu alerts" header of a grouped message */
	const char *down;             /* device %s (%s, %s) unreachable */
	const char *up;
	const char *core;             /* cannot reach %s: %zu devices unknown */
	const char *core_up;
	const char *if_down;          /* interface %s on %s */
	const char *if_up;
	const char *rx_low, *rx_low_ok;   /* optical rx of port %s on %s (%s) */
	const char *drift, *drift_ok;
	const char *flapping;
	const char *flap_stable;
	const char *rebooted;
	const char *rule_firing;
	const char *rule_resolved;
	const char *test;
	const char *since;
	const char *lasted;
	const char *cause;
	const char *behind;           /* %zu devices behind it unreachable */
	const char *detail;
	const char *link;
	const char *tag_firing, *tag_resolved;
};

static const struct alert_words alert_words_en = {
	.count = "serat: %zu alerts",
	.down = "device %s (%s, %s) is unreachable",
	.up = "device %s (%s, %s) is reachable again",
	.core = "serat cannot reach %s: %zu devices unknown",
	.core_up = "serat reaches %s again: polling resumed",
	.if_down = "interface %s on %s (%s) is down while admin up",
	.if_up = "interface %s on %s (%s) is up again",
	.rx_low = "optical receive power of %s on %s (%s) is below its low alarm",
	.rx_low_ok = "optical receive power of %s on %s (%s) is above its low alarm again",
	.drift = "optical receive power of %s on %s (%s) has drifted below its median",
	.drift_ok = "optical receive power of %s on %s (%s) is back near its median",
	.flapping = "%s%s%s (%s) is flapping: notifications paused until it is stable",
	.flap_stable = "%s%s%s (%s) is stable again",
	.rebooted = "device %s (%s, %s) rebooted",
	.rule_firing = "%s on %s%s%s (%s)",
	.rule_resolved = "%s cleared on %s%s%s (%s)",
	.test = "serat test message to channel %s",
	.since = "since",
	.lasted = "lasted",
	.cause = "root cause",
	.behind = "%zu devices behind it are unreachable",
	.detail = "detail",
	.link = "dashboard",
	.tag_firing = "PROBLEM",
	.tag_resolved = "RECOVERED",
};

static const struct alert_words alert_words_id = {
	.count = "serat: %zu peringatan",
	.down = "perangkat %s (%s, %s) tidak dapat dijangkau",
	.up = "perangkat %s (%s, %s) sudah dapat dijangkau kembali",
	.core = "serat tidak dapat menjangkau %s: %zu perangkat tidak diketahui statusnya",
	.core_up = "serat kembali menjangkau %s: pemantauan berjalan lagi",
	.if_down = "interface %s pada %s (%s) mati padahal admin up",
	.if_up = "interface %s pada %s (%s) sudah hidup kembali",
	.rx_low = "daya terima optik %s pada %s (%s) di bawah ambang alarm bawah",
	.rx_low_ok = "daya terima optik %s pada %s (%s) sudah kembali di atas ambang alarm bawah",
	.drift = "daya terima optik %s pada %s (%s) turun di bawah mediannya",
	.drift_ok = "daya terima optik %s pada %s (%s) sudah kembali mendekati mediannya",
	.flapping = "%s%s%s (%s) naik-turun (flapping): notifikasi ditahan sampai stabil",
	.flap_stable = "%s%s%s (%s) sudah stabil kembali",
	.rebooted = "perangkat %s (%s, %s) baru saja restart",
	.rule_firing = "%s pada %s%s%s (%s)",
	.rule_resolved = "%s sudah normal pada %s%s%s (%s)",
	.test = "pesan uji serat ke kanal %s",
	.since = "sejak",
	.lasted = "durasi",
	.cause = "akar masalah",
	.behind = "%zu perangkat di belakangnya ikut tidak terjangkau",
	.detail = "keterangan",
	.link = "dasbor",
	.tag_firing = "GANGGUAN",
	.tag_resolved = "PULIH",
};

/* Write S escaped for the output mode. */
static void at_put(FILE *f, const char *s, int html)
{
	if (s == NULL)
		s = "-";
	if (!html) {
		fputs(s, f);
		return;
	}
	for (; *s; s++) {
		if (*s == '&') fputs("&amp;", f);
		else if (*s == '<') fputs("&lt;", f);
		else if (*s == '>') fputs("&gt;", f);
		else if (*s == '"') fputs("&quot;", f);
		else fputc(*s, f);
	}
}

/* printf FMT, where every %s argument is a name escaped for the mode and
 * %zu a count; only those two conversions are used by the tables. */
static void at_printf(FILE *f, int html, const char *fmt, const char *const *s, size_t z)
{
	size_t si = 0;

	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			at_put(f, s[si++], html);
			p++;
		} else if (p[0] == '%' && p[1] == 'z' && p[2] == 'u') {
			fprintf(f, "%zu", z);
			p += 2;
		} else {
			fputc(*p, f);
		}
	}
}

static int at_is(const struct alert_item *it, const char *name)
{
	return it->alertname && strcmp(it->alertname, name) == 0;
}

static void at_headline(FILE *f, const struct alert_words *w, const struct alert_item *it,
			int html, const char *receiver)
{
	int firing = it->status == ALERT_FIRING;
	const char *if_on = it->ifname ? " " : "";
	const char *dev = it->device ? it->device : "-";

	if (at_is(it, "DeviceDown")) {
		const char *a[] = { dev, it->site, it->kind };
		at_printf(f, html, firing ? w->down : w->up, a, 0);
	} else if (at_is(it, "CoreUnreachable")) {
		const char *a[] = { dev };
		at_printf(f, html, firing ? w->core : w->core_up, a, it->n_behind);
	} else if (at_is(it, "InterfaceDown") || at_is(it, "OpticalRxLow") ||
		   at_is(it, "OpticalDrift")) {
		const char *a[] = { it->ifname, dev, it->site };
		const char *fmt = at_is(it, "InterfaceDown") ? (firing ? w->if_down : w->if_up) :
				  at_is(it, "OpticalRxLow") ? (firing ? w->rx_low : w->rx_low_ok) :
				  firing ? w->drift : w->drift_ok;
		at_printf(f, html, fmt, a, 0);
	} else if (at_is(it, "Flapping")) {
		const char *a[] = { dev, if_on, it->ifname ? it->ifname : "", it->site };
		at_printf(f, html, firing ? w->flapping : w->flap_stable, a, 0);
	} else if (at_is(it, "Rebooted")) {
		const char *a[] = { dev, it->site, it->kind };
		at_printf(f, html, w->rebooted, a, 0);
	} else if (at_is(it, "Test")) {
		const char *a[] = { receiver };
		at_printf(f, html, w->test, a, 0);
	} else {
		const char *a[] = { it->alertname, dev, if_on, it->ifname ? it->ifname : "",
				    it->site };
		at_printf(f, html, firing ? w->rule_firing : w->rule_resolved, a, 0);
	}
}

static void at_item(FILE *f, const struct alert_msg *m, const struct alert_words *w,
		    const struct alert_item *it, int html)
{
	char t[64], d[32];
	int firing = it->status == ALERT_FIRING;

	if (at_is(it, "SlaReport")) {
		/* The monthly report's summary: its text says it all. */
		fputs("\xF0\x9F\x93\x8A ", f);   /* bar chart */
		at_put(f, it->detail ? it->detail : "", html);
		fputc('\n', f);
		return;
	}
	fputs(firing ? "\xF0\x9F\x94\xB4 " : "\xE2\x9C\x85 ", f);   /* red circle / check */
	fputs(html ? "<b>" : "", f);
	fputs(firing ? w->tag_firing : w->tag_resolved, f);
	fputs(html ? "</b>: " : ": ", f);
	at_headline(f, w, it, html, m->receiver);
	fputc('\n', f);
	if (at_is(it, "Test"))
		return;
	alert_fmt_time(it->starts_at, m->tz, t, sizeof(t));
	fprintf(f, "%s %s", w->since, t);
	if (!firing && it->ends_at > 0) {
		alert_fmt_duration(it->ends_at - it->starts_at, d, sizeof(d));
		fprintf(f, " (%s %s)", w->lasted, d);
	}
	fputc('\n', f);
	if (it->cause && (it->device == NULL || strcmp(it->cause, it->device) != 0)) {
		fprintf(f, "%s: ", w->cause);
		at_put(f, it->cause, html);
		fputc('\n', f);
	}
	if (firing && it->n_behind > 0 && !at_is(it, "CoreUnreachable")) {
		at_printf(f, html, w->behind, NULL, it->n_behind);
		fputc('\n', f);
	}
	if (it->detail) {
		fprintf(f, "%s: ", w->detail);
		at_put(f, it->detail, html);
		fputc('\n', f);
	}
	if (m->external_url && it->device) {
		/* The device's page; names are URL-safe enough for chat
		 * clients except spaces, which the dashboard also accepts. */
		if (html) {
			fputs("<a href=\"", f);
			at_put(f, m->external_url, 1);
			fputs("/device/", f);
			at_put(f, it->device, 1);
			fprintf(f, "\">%s</a>\n", w->link);
		} else {
			fprintf(f, "%s: %s/device/%s\n", w->link, m->external_url, it->device);
		}
	}
}

char *alert_fmt_text(const struct alert_msg *m, int html)
{
	const struct alert_words *w = m->lang == ALERT_LANG_EN ? &alert_words_en : &alert_words_id;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return NULL;
	if (m->n > 1) {
		if (html)
			fputs("<b>", f);
		at_printf(f, 0, w->count, NULL, m->n);
		fputs(html ? "</b>\n\n" : "\n\n", f);
	}
	for (size_t i = 0; i < m->n; i++) {
		if (i > 0)
			fputc('\n', f);
		at_item(f, m, w, &m->items[i], html);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
