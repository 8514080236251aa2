/*
 * config_print.c — the two renderings of a loaded config: the summary
 * `serat check-config` prints, and the whole config normalised
 * (`--print`).  Both only read the config; neither ever prints a secret.
 *
 * The normalised form is YAML-like: the config's own keys, in a fixed
 * order, every default written out, so two configs that mean the same
 * print the same bytes and a golden test catches a value parsed wrongly.
 * Devices are printed under their sites (config order within each), with
 * their merged SNMP settings and effective port.  Strings are printed bare
 * when they are plain, otherwise double-quoted with \" \\ and \xNN escapes:
 * a control character in a name can neither break the layout nor reach the
 * terminal.  Unset optional values print as null.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/config_build.h"
#include "common/log.h"
#include "common/tz.h"


struct cfg_sbuf {
	char *p;
	size_t len, cap;
	int failed;
};

static void cfg_sbuf_add(struct cfg_sbuf *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void cfg_sbuf_add(struct cfg_sbuf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(s->p ? s->p + s->len : NULL, s->p ? s->cap - s->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			s->failed = 1;
			return;
		}
		if (s->p && (size_t)n < s->cap - s->len) {
			s->len += (size_t)n;
			return;
		}
		size_t ncap = s->cap ? s->cap * 2 : 1024;
		while (ncap < s->len + (size_t)n + 1)
			ncap *= 2;
		char *np = realloc(s->p, ncap);
		if (np == NULL) {
			s->failed = 1;
			return;
		}
		s->p = np;
		s->cap = ncap;
	}
}

char *config_summary(const struct serat_config *conf)
{
	struct cfg_sbuf s = { NULL, 0, 0, 0 };
	size_t kinds[SITE_KIND_COUNT] = { 0 };
	size_t with_list = 0, v[4] = { 0 };
	char buf[32], buf2[32];
	const char *sep = "";

	for (size_t i = 0; i < conf->n_sites; i++)
		kinds[conf->sites[i].kind]++;
	for (size_t i = 0; i < conf->n_devices; i++) {
		if (conf->devices[i].interfaces != NULL)
			with_list++;
		if (conf->devices[i].snmp.version >= 1 && conf->devices[i].snmp.version <= 3)
			v[conf->devices[i].snmp.version]++;
	}

	cfg_sbuf_add(&s, "%s: configuration ok\n", conf->path);
	cfg_sbuf_add(&s, "sites: %zu", conf->n_sites);
	if (conf->n_sites > 0) {
		cfg_sbuf_add(&s, " (");
		for (int k = 0; k < SITE_KIND_COUNT; k++)
			if (kinds[k] > 0) {
				cfg_sbuf_add(&s, "%s%s %zu", sep, site_kind_name((enum site_kind)k), kinds[k]);
				sep = ", ";
			}
		cfg_sbuf_add(&s, ")");
	}
	cfg_sbuf_add(&s, "\ndevices: %zu (snmp v1 %zu, v2c %zu, v3 %zu)\n",
		     conf->n_devices, v[1], v[2], v[3]);
	cfg_sbuf_add(&s, "interfaces watched: %zu devices with interface lists, %zu devices all\n",
		     with_list, conf->n_devices - with_list);
	cfg_sbuf_add(&s, "channels: %zu\nrules: %zu\nmaintenance windows: %zu\n",
		     conf->n_channels, conf->n_rules, conf->n_maintenance);
	cfg_format_duration(conf->interval_ms, buf, sizeof(buf));
	cfg_sbuf_add(&s, "interval: %s\n", buf);
	cfg_sbuf_add(&s, "data_dir: %s\n", conf->data_dir);
	if (conf->rrdcached)
		cfg_sbuf_add(&s, "rrd: rrdcached %s\n", conf->rrdcached);
	else
		cfg_sbuf_add(&s, "rrd: direct (librrd)\n");
	cfg_sbuf_add(&s, "rras:");
	for (size_t i = 0; i < conf->n_rras; i++) {
		cfg_format_duration((uint64_t)conf->rras[i].step_s * 1000, buf, sizeof(buf));
		cfg_format_duration((uint64_t)conf->rras[i].span_s * 1000, buf2, sizeof(buf2));
		cfg_sbuf_add(&s, " %s:%s", buf, buf2);
	}
	cfg_sbuf_add(&s, "\n");
	if (conf->icmp.n_targets > 0) {
		cfg_format_duration(conf->icmp.spacing_ms, buf, sizeof(buf));
		cfg_format_duration(conf->icmp.timeout_ms, buf2, sizeof(buf2));
		cfg_sbuf_add(&s, "icmp targets: %zu (%u requests per interval, spacing %s, timeout %s)\n",
			     conf->icmp.n_targets, conf->icmp.count, buf, buf2);
	}
	if (s.failed) {
		free(s.p);
		return NULL;
	}
	return s.p;
}

/* ---- the normalised config ------------------------------------------- */

/* Characters a bare string may hold; anything else is quoted.  ':' is
 * allowed (addresses, "file:LINE") unless followed by a blank or last. */
static int cfg_plain(const char *s)
{
	static const char *const words[] = { "null", "Null", "NULL", "~", "true", "false",
					     "yes", "no", "on", "off", NULL };
	size_t len = strlen(s);

	if (len == 0 || s[0] == ' ' || s[len - 1] == ' ' || s[0] == '-' || s[0] == ':')
		return 0;
	for (size_t i = 0; words[i]; i++)
		if (strcmp(s, words[i]) == 0)
			return 0;
	for (const char *p = s; *p; p++) {
		char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("_./@+-", c) != NULL || (c == ' ' && p[1] != '#'))
			continue;
		if (c == ':' && p[1] != '\0' && p[1] != ' ')
			continue;
		return 0;
	}
	return 1;
}

/* S as a scalar: bare, quoted, or null. */
static void cfg_put_str(struct cfg_sbuf *sb, const char *s)
{
	if (s == NULL) {
		cfg_sbuf_add(sb, "null");
		return;
	}
	if (cfg_plain(s)) {
		cfg_sbuf_add(sb, "%s", s);
		return;
	}
	cfg_sbuf_add(sb, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			cfg_sbuf_add(sb, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7F)
			cfg_sbuf_add(sb, "\\x%02X", *p);
		else
			cfg_sbuf_add(sb, "%c", *p);
	}
	cfg_sbuf_add(sb, "\"");
}

/* "INDENTkey: VALUE\n" for a string value. */
static void cfg_put_kv(struct cfg_sbuf *sb, int indent, const char *key, const char *value)
{
	cfg_sbuf_add(sb, "%*s%s: ", indent, "", key);
	cfg_put_str(sb, value);
	cfg_sbuf_add(sb, "\n");
}

static void cfg_put_secret(struct cfg_sbuf *sb, int indent, const char *key, const char *value)
{
	cfg_sbuf_add(sb, "%*s%s: %s\n", indent, "", key, value ? "<secret>" : "null");
}

static void cfg_put_duration(struct cfg_sbuf *sb, int indent, const char *key, uint64_t ms)
{
	char buf[32];

	cfg_format_duration(ms, buf, sizeof(buf));
	cfg_sbuf_add(sb, "%*s%s: %s\n", indent, "", key, ms ? buf : "0s");
}

/* A flow list of strings: [a, "b c"]. */
static void cfg_put_list(struct cfg_sbuf *sb, int indent, const char *key, char *const *v,
			 size_t n)
{
	cfg_sbuf_add(sb, "%*s%s: [", indent, "", key);
	for (size_t i = 0; i < n; i++) {
		cfg_sbuf_add(sb, "%s", i ? ", " : "");
		cfg_put_str(sb, v[i]);
	}
	cfg_sbuf_add(sb, "]\n");
}

/* A URL without what often carries a token: userinfo, path and query
 * ("https://hooks.slack.com/<secret>"). */
static void cfg_put_url(struct cfg_sbuf *sb, int indent, const char *key, const char *url)
{
	const char *host, *end, *at;
	char *shown;

	if (url == NULL || (host = strstr(url, "://")) == NULL) {
		cfg_put_secret(sb, indent, key, url);
		return;
	}
	host += 3;
	end = host + strcspn(host, "/?#");
	at = memchr(host, '@', (size_t)(end - host));
	if (asprintf(&shown, "%.*s%s%.*s%s", (int)(host - url), url, at ? "<secret>@" : "",
		     (int)(end - (at ? at + 1 : host)), at ? at + 1 : host,
		     *end && strcmp(end, "/") != 0 ? "/<secret>" : "") < 0) {
		sb->failed = 1;
		return;
	}
	cfg_put_kv(sb, indent, key, shown);
	free(shown);
}

static void cfg_put_snmp(struct cfg_sbuf *sb, int indent, const struct snmp_settings *s,
			 int with_port)
{
	static const char *const auth[] = { "none", "SHA", "SHA-256" };
	static const char *const priv[] = { "none", "AES" };

	cfg_sbuf_add(sb, "%*sversion: %s\n", indent, "",
		     s->version == 1 ? "1" : s->version == 3 ? "3" : "2c");
	cfg_put_secret(sb, indent, "community", s->community);
	cfg_put_kv(sb, indent, "user", s->user);
	cfg_sbuf_add(sb, "%*sauth_protocol: %s\n", indent, "", auth[s->auth_proto % 3]);
	cfg_put_secret(sb, indent, "auth_password", s->auth_password);
	cfg_sbuf_add(sb, "%*spriv_protocol: %s\n", indent, "", priv[s->priv_proto % 2]);
	cfg_put_secret(sb, indent, "priv_password", s->priv_password);
	cfg_put_kv(sb, indent, "context", s->context);
	cfg_put_duration(sb, indent, "timeout", s->timeout_ms);
	cfg_sbuf_add(sb, "%*sretries: %u\n", indent, "", s->retries);
	if (with_port)
		cfg_sbuf_add(sb, "%*sport: %u\n", indent, "", (unsigned)s->port);
}

static void cfg_put_device(struct cfg_sbuf *sb, const struct serat_config *c,
			   const struct device_conf *d)
{
	cfg_sbuf_add(sb, "      - name: ");
	cfg_put_str(sb, d->name);
	cfg_sbuf_add(sb, "\n");
	cfg_put_kv(sb, 8, "origin", d->origin);
	cfg_put_kv(sb, 8, "address", d->host);
	cfg_sbuf_add(sb, "        port: %u\n", (unsigned)d->port);
	cfg_put_kv(sb, 8, "parent", d->parent_index >= 0 ? c->devices[d->parent_index].name : NULL);
	if (d->interfaces == NULL)
		cfg_sbuf_add(sb, "        interfaces: all\n");
	else
		cfg_put_list(sb, 8, "interfaces", d->interfaces, d->n_interfaces);
	if (d->profile != NULL)
		cfg_put_kv(sb, 8, "profile", d->profile);
	if (d->optics_thr_set != 0) {
		static const char *const k[] = { "low_alarm", "low_warn", "high_warn", "high_alarm" };
		cfg_sbuf_add(sb, "        optics_thresholds:\n");
		for (int i = 0; i < 8; i++)
			if (d->optics_thr_set & (1u << i))
				cfg_sbuf_add(sb, "          %s_%s: %g\n", i < 4 ? "rx" : "tx", k[i % 4],
					     d->optics_thr[i / 4][i % 4]);
	}
	/* The port the device is polled on is the one above. */
	cfg_sbuf_add(sb, "        snmp:\n");
	cfg_put_snmp(sb, 10, &d->snmp, 0);
}

/* Sites with their devices: one counting pass, then each site's devices
 * in config order. */
static void cfg_put_sites(struct cfg_sbuf *sb, const struct serat_config *c)
{
	size_t *first = calloc(c->n_sites + 1, sizeof(*first));
	size_t *order = calloc(c->n_devices ? c->n_devices : 1, sizeof(*order));

	if (first == NULL || order == NULL) {
		sb->failed = 1;
		goto out;
	}
	for (size_t i = 0; i < c->n_devices; i++)
		first[c->devices[i].site + 1]++;
	for (size_t s = 0; s < c->n_sites; s++)
		first[s + 1] += first[s];
	for (size_t i = 0, *next = first; i < c->n_devices; i++)
		order[next[c->devices[i].site]++] = i;
	/* `first` now holds each site's end: its start is the previous end. */
	cfg_sbuf_add(sb, "sites:%s\n", c->n_sites ? "" : " []");
	for (size_t s = 0, start = 0; s < c->n_sites; start = first[s], s++) {
		const struct site_conf *site = &c->sites[s];
		cfg_sbuf_add(sb, "  - name: ");
		cfg_put_str(sb, site->name);
		cfg_sbuf_add(sb, "\n    kind: %s\n", site_kind_name(site->kind));
		cfg_put_kv(sb, 4, "location", site->location);
		if (site->subnets != NULL)
			cfg_put_list(sb, 4, "subnets", site->subnets, site->n_subnets);
		cfg_sbuf_add(sb, "    devices:%s\n", first[s] > start ? "" : " []");
		for (size_t k = start; k < first[s]; k++)
			cfg_put_device(sb, c, &c->devices[order[k]]);
	}
out:
	free(first);
	free(order);
}

/* The icmp section and its targets, only when there are targets (a config
 * without them prints as before). */
static void cfg_put_icmp(struct cfg_sbuf *sb, const struct serat_config *c)
{
	static const char *const socks[] = { "auto", "datagram", "raw" };
	const struct icmp_conf *ic = &c->icmp;

	if (ic->n_targets == 0)
		return;
	cfg_sbuf_add(sb, "icmp:\n  count: %u\n", ic->count);
	cfg_put_duration(sb, 2, "period", ic->period_ms);
	cfg_put_duration(sb, 2, "spacing", ic->spacing_ms);
	cfg_put_duration(sb, 2, "timeout", ic->timeout_ms);
	cfg_sbuf_add(sb, "  socket: %s\n  targets:\n", socks[ic->socket % 3]);
	for (size_t i = 0; i < ic->n_targets; i++) {
		cfg_sbuf_add(sb, "    - name: ");
		cfg_put_str(sb, ic->targets[i].name);
		cfg_sbuf_add(sb, "\n");
		cfg_put_kv(sb, 6, "address", ic->targets[i].host);
	}
}

static void cfg_put_channels(struct cfg_sbuf *sb, const struct serat_config *c)
{
	static const char *const langs[] = { "id", "en" };

	cfg_sbuf_add(sb, "channels:%s\n", c->n_channels ? "" : " []");
	for (size_t i = 0; i < c->n_channels; i++) {
		const struct channel_conf *ch = &c->channels[i];
		cfg_sbuf_add(sb, "  - name: ");
		cfg_put_str(sb, ch->name);
		cfg_sbuf_add(sb, "\n    type: %s\n", channel_type_name(ch->type));
		cfg_put_url(sb, 4, "url", ch->url);
		cfg_put_secret(sb, 4, "token", ch->token);
		cfg_put_kv(sb, 4, "chat_id", ch->chat_id);
		cfg_put_kv(sb, 4, "api_url", ch->api_url);
		cfg_put_kv(sb, 4, "method", ch->method);
		if (ch->n_headers) {
			cfg_sbuf_add(sb, "    headers:\n");
			for (size_t h = 0; h < ch->n_headers; h++) {
				cfg_sbuf_add(sb, "      ");
				cfg_put_str(sb, ch->headers[h].name);
				cfg_sbuf_add(sb, ": <secret>\n");
			}
		}
		cfg_put_kv(sb, 4, "body", ch->body);
		if (ch->type == CHANNEL_HTTP)
			cfg_sbuf_add(sb, "    format: %s\n", ch->form ? "form" : "json");
		cfg_sbuf_add(sb, "    rate_limit: %u\n", ch->rate_per_min);
		if (ch->language >= 0)
			cfg_sbuf_add(sb, "    language: %s\n", langs[ch->language & 1]);
		if (ch->report)
			cfg_sbuf_add(sb, "    report: true\n");
	}
}

static void cfg_put_alerts(struct cfg_sbuf *sb, const struct serat_config *c)
{
	const struct alerts_conf *a = &c->alerts;

	cfg_put_kv(sb, 0, "external_url", c->external_url);
	cfg_sbuf_add(sb, "alerts:\n");
	cfg_put_duration(sb, 2, "group_window", a->group_window_ms);
	cfg_sbuf_add(sb, "  down_after: %u\n  up_after: %u\n", a->down_after, a->up_after);
	cfg_put_duration(sb, 2, "renotify", (uint64_t)a->renotify_s * 1000);
	cfg_sbuf_add(sb, "  flap_changes: %u\n", a->flap_changes);
	cfg_put_duration(sb, 2, "flap_window", (uint64_t)a->flap_window_s * 1000);
	cfg_put_duration(sb, 2, "retry_for", (uint64_t)a->retry_for_s * 1000);
	cfg_put_duration(sb, 2, "connect_timeout", a->connect_timeout_ms);
	cfg_put_duration(sb, 2, "timeout", a->timeout_ms);
	/* Only when changed: most configs never touch them. */
	if (a->drift_db != 3)
		cfg_sbuf_add(sb, "  drift: %u\n", a->drift_db);
	if (a->drift_window_s != 7 * 86400)
		cfg_put_duration(sb, 2, "drift_window", (uint64_t)a->drift_window_s * 1000);
}

/* The shortest text that reads back as exactly V. */
static void cfg_put_number(struct cfg_sbuf *sb, double v)
{
	char buf[40];

	if (v == floor(v) && fabs(v) < 1e15) {
		cfg_sbuf_add(sb, "%.0f", v);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	cfg_sbuf_add(sb, "%s", buf);
}

static void cfg_put_rules(struct cfg_sbuf *sb, const struct serat_config *c)
{
	cfg_sbuf_add(sb, "rules:%s\n", c->n_rules ? "" : " []");
	for (size_t i = 0; i < c->n_rules; i++) {
		const struct rule_conf *r = &c->rules[i];
		cfg_sbuf_add(sb, "  - name: ");
		cfg_put_str(sb, r->name);
		cfg_sbuf_add(sb, "\n    metric: %s\n    op: \"%s\"\n    threshold: ",
			     metric_get(r->metric)->name, rule_op_name(r->op));
		cfg_put_number(sb, r->threshold);
		cfg_sbuf_add(sb, "\n");
		cfg_put_duration(sb, 4, "for", r->for_ms);
		cfg_sbuf_add(sb, "    severity: %s\n", rule_severity_name(r->severity));
		cfg_put_list(sb, 4, "channels", r->channels, r->n_channels);
	}
}

static void cfg_put_maintenance(struct cfg_sbuf *sb, const struct serat_config *c)
{
	char t[64];

	cfg_sbuf_add(sb, "maintenance:%s\n", c->n_maintenance ? "" : " []");
	for (size_t i = 0; i < c->n_maintenance; i++) {
		const struct maintenance_conf *mw = &c->maintenance[i];
		cfg_sbuf_add(sb, "  - name: ");
		cfg_put_str(sb, mw->name);
		cfg_sbuf_add(sb, "\n    targets:\n");
		for (size_t j = 0; j < mw->n_targets; j++) {
			const struct maint_target *tg = &mw->targets[j];
			cfg_sbuf_add(sb, "      - %s: ", tg->kind == MAINT_TARGET_SITE ? "site" : "device");
			cfg_put_str(sb, tg->kind == MAINT_TARGET_SITE ? c->sites[tg->index].name
								      : c->devices[tg->index].name);
			cfg_sbuf_add(sb, "\n");
		}
		tz_format_iso8601(t, sizeof(t), c->timezone, mw->start);
		cfg_sbuf_add(sb, "    start: %s\n", t);
		tz_format_iso8601(t, sizeof(t), c->timezone, mw->end);
		cfg_sbuf_add(sb, "    end: %s\n", t);
	}
}

void config_sla_hours_text(const struct sla_hours_conf *h, char *buf, size_t len)
{
	static const char *const names[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	size_t o = 0;

	if (h->days == 0) {
		snprintf(buf, len, "24/7");
		return;
	}
	buf[0] = '\0';
	for (int d = 1; d <= 7; d++) {   /* Monday first, Sunday last */
		int a = d % 7, e = d;
		if (!(h->days & (1u << a)))
			continue;
		while (e + 1 <= 7 && (h->days & (1u << ((e + 1) % 7))))
			e++;
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s", o ? "," : "", names[a]);
		if (e > d)
			o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "-%s", names[e % 7]);
		d = e;
	}
	snprintf(buf + o, o < len ? len - o : 0, " %02u:%02u-%02u:%02u", h->start_min / 60,
		 h->start_min % 60, h->end_min / 60, h->end_min % 60);
}

/* The sla: section, only when something in it was set (defaults live in
 * graphs/sla_model.c, docs/sla.md). */
static void cfg_put_sla(struct cfg_sbuf *sb, const struct serat_config *c)
{
	const struct sla_conf *sla = &c->sla;
	char buf[64];
	int any_t = 0, any_h = 0;

	for (int k = 0; k < SITE_KIND_COUNT; k++) {
		any_t |= sla->target_pct[k] > 0;
		any_h |= sla->hours[k].days != 0;
	}
	if (!any_t && !any_h && sla->n_uplinks == 0)
		return;
	cfg_sbuf_add(sb, "sla:\n");
	if (any_t) {
		cfg_sbuf_add(sb, "  targets:\n");
		for (int k = 0; k < SITE_KIND_COUNT; k++)
			if (sla->target_pct[k] > 0) {
				cfg_sbuf_add(sb, "    %s: ", site_kind_name((enum site_kind)k));
				cfg_put_number(sb, sla->target_pct[k]);
				cfg_sbuf_add(sb, "\n");
			}
	}
	if (any_h) {
		cfg_sbuf_add(sb, "  service_hours:\n");
		for (int k = 0; k < SITE_KIND_COUNT; k++)
			if (sla->hours[k].days != 0) {
				config_sla_hours_text(&sla->hours[k], buf, sizeof(buf));
				cfg_put_kv(sb, 4, site_kind_name((enum site_kind)k), buf);
			}
	}
	if (sla->n_uplinks) {
		cfg_sbuf_add(sb, "  uplinks:\n");
		for (size_t i = 0; i < sla->n_uplinks; i++) {
			cfg_sbuf_add(sb, "    ");
			cfg_put_str(sb, sla->uplinks[i].target);
			cfg_sbuf_add(sb, ": ");
			cfg_put_str(sb, sla->uplinks[i].ifname);
			cfg_sbuf_add(sb, "\n");
		}
	}
}

char *config_print(const struct serat_config *c)
{
	struct cfg_sbuf sb = { NULL, 0, 0, 0 };
	char buf[32], buf2[32];

	cfg_sbuf_add(&sb, "# %s: configuration ok, normalised\n", c->path);
	cfg_put_kv(&sb, 0, "data_dir", c->data_dir);
	cfg_put_duration(&sb, 0, "interval", c->interval_ms);
	cfg_put_kv(&sb, 0, "timezone", c->timezone);
	cfg_put_kv(&sb, 0, "http_listen", c->http_listen);
	cfg_put_kv(&sb, 0, "language", c->language);
	/* Kiosk tokens are secrets: only how many there are. */
	cfg_sbuf_add(&sb, "http:\n  kiosk_tokens: %zu <secret>\n", c->http.n_kiosk_tokens);
	cfg_put_kv(&sb, 2, "auth_file", c->http.auth_file);
	cfg_put_kv(&sb, 2, "tls_cert", c->http.tls_cert);
	cfg_put_kv(&sb, 2, "tls_key", c->http.tls_key);
	cfg_sbuf_add(&sb, "  max_connections: %u\n", c->http.max_connections);
	cfg_sbuf_add(&sb, "log_level: %s\n", log_level_name(c->log_level));
	cfg_sbuf_add(&sb, "snmp:\n");
	cfg_put_snmp(&sb, 2, &c->snmp, 1);
	cfg_sbuf_add(&sb, "poller:\n  max_in_flight: %u\n  bulk_max_varbinds: %u\n",
		     c->max_in_flight, c->bulk_max_varbinds);
	cfg_put_duration(&sb, 2, "spread", c->spread_ms);
	cfg_sbuf_add(&sb, "rrd:\n");
	cfg_put_kv(&sb, 2, "rrdcached", c->rrdcached);
	cfg_sbuf_add(&sb, "  rras: [");
	for (size_t i = 0; i < c->n_rras; i++) {
		cfg_format_duration((uint64_t)c->rras[i].step_s * 1000, buf, sizeof(buf));
		cfg_format_duration((uint64_t)c->rras[i].span_s * 1000, buf2, sizeof(buf2));
		cfg_sbuf_add(&sb, "%s%s:%s", i ? ", " : "", buf, buf2);
	}
	cfg_sbuf_add(&sb, "]\n");
	cfg_put_kv(&sb, 0, "inventory", c->inventory_csv);
	if (c->probe.interface != NULL) {
		cfg_sbuf_add(&sb, "probe:\n");
		cfg_put_kv(&sb, 2, "interface", c->probe.interface);
		cfg_put_kv(&sb, 2, "filter", c->probe.filter);
		cfg_put_duration(&sb, 2, "interval", c->probe.interval_ms ? c->probe.interval_ms
								      : c->interval_ms);
		cfg_put_kv(&sb, 2, "user", c->probe.user ? c->probe.user : "nobody");
		cfg_sbuf_add(&sb, "  flow_memory_mb: %u\n", c->probe.flow_memory_mb);
		cfg_put_kv(&sb, 2, "program", c->probe.program);
	}
	if (c->profiles_dir != NULL)
		cfg_put_kv(&sb, 0, "profiles_dir", c->profiles_dir);
	cfg_put_sites(&sb, c);
	cfg_put_icmp(&sb, c);
	cfg_put_alerts(&sb, c);
	cfg_put_channels(&sb, c);
	cfg_put_rules(&sb, c);
	cfg_put_maintenance(&sb, c);
	cfg_put_sla(&sb, c);
	if (sb.failed) {
		free(sb.p);
		return NULL;
	}
	return sb.p;
}
