/*
 * alert_payload.c — each channel type's request body (see alert_format.h).
 *
 * JSON is built with jansson, which rejects strings that are not UTF-8: a
 * name read from a CSV in Latin-1 is made valid first (bad bytes become
 * '?'), as json_out does for status.json, so one odd name never costs a
 * whole notification.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "collector/alert_format.h"

/* A JSON string for S (NULL -> ""), with invalid UTF-8 replaced. */
static json_t *ap_str(const char *s)
{
	json_t *j;
	char *copy;

	if (s == NULL)
		s = "";
	if ((j = json_string(s)) != NULL)
		return j;
	if ((copy = strdup(s)) == NULL)
		return NULL;
	for (unsigned char *p = (unsigned char *)copy; *p; p++)
		if (*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

static void ap_set(json_t *obj, const char *key, const char *val)
{
	json_object_set_new(obj, key, ap_str(val));
}

static void ap_rfc3339(double t, char *buf, size_t len)
{
	time_t s = (time_t)t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&s, &tm) == NULL) {
		/* What Alertmanager sends for "not ended". */
		snprintf(buf, len, "0001-01-01T00:00:00Z");
		return;
	}
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static char *ap_dump(json_t *root)
{
	char *s = root ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
	return s;
}

static json_t *ap_labels(const struct alert_item *it)
{
	json_t *l = json_object();

	ap_set(l, "alertname", it->alertname);
	if (it->device)
		ap_set(l, "device", it->device);
	if (it->site)
		ap_set(l, "site", it->site);
	if (it->kind)
		ap_set(l, "kind", it->kind);
	if (it->ifname)
		ap_set(l, "ifName", it->ifname);
	ap_set(l, "severity", it->severity ? it->severity : "critical");
	if (it->cause && (it->device == NULL || strcmp(it->cause, it->device) != 0))
		ap_set(l, "cause", it->cause);
	return l;
}

/* The labels (or annotations) every alert of the message shares. */
static json_t *ap_common(json_t *alerts, const char *field)
{
	json_t *common = json_deep_copy(json_object_get(json_array_get(alerts, 0), field));
	const char *k;
	json_t *v;
	void *tmp;
	size_t i;
	json_t *a;

	if (common == NULL)
		return json_object();
	json_array_foreach(alerts, i, a) {
		json_t *other = json_object_get(a, field);
		json_object_foreach_safe(common, tmp, k, v) {
			if (!json_equal(v, json_object_get(other, k)))
				json_object_del(common, k);
		}
	}
	return common;
}

char *alert_fmt_webhook(const struct alert_msg *m)
{
	json_t *root = json_object(), *alerts = json_array();
	int any_firing = 0;
	char t[40], key[256];

	if (root == NULL || alerts == NULL) {
		json_decref(root);
		json_decref(alerts);
		return NULL;
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct alert_item *it = &m->items[i];
		struct alert_msg one = *m;
		json_t *a = json_object(), *ann = json_object();
		char *text, *nl;

		one.items = it;
		one.n = 1;
		any_firing |= it->status == ALERT_FIRING;
		ap_set(a, "status", it->status == ALERT_FIRING ? "firing" : "resolved");
		json_object_set_new(a, "labels", ap_labels(it));
		if ((text = alert_fmt_text(&one, 0)) != NULL) {
			ap_set(ann, "description", text);
			if ((nl = strchr(text, '\n')) != NULL)
				*nl = '\0';
			ap_set(ann, "summary", text);
			free(text);
		}
		json_object_set_new(a, "annotations", ann);
		ap_rfc3339(it->starts_at, t, sizeof(t));
		ap_set(a, "startsAt", t);
		ap_rfc3339(it->status == ALERT_RESOLVED ? it->ends_at : 0, t, sizeof(t));
		ap_set(a, "endsAt", t);
		if (m->external_url && it->device) {
			char url[1024];
			snprintf(url, sizeof(url), "%s/device/%s", m->external_url, it->device);
			ap_set(a, "generatorURL", url);
		} else {
			ap_set(a, "generatorURL", m->external_url ? m->external_url : "");
		}
		ap_set(a, "fingerprint", it->fingerprint);
		json_array_append_new(alerts, a);
	}
	snprintf(key, sizeof(key), "{}:{receiver=\"%s\"}", m->receiver ? m->receiver : "");
	ap_set(root, "version", "4");
	ap_set(root, "groupKey", key);
	json_object_set_new(root, "truncatedAlerts", json_integer(0));
	ap_set(root, "status", any_firing ? "firing" : "resolved");
	ap_set(root, "receiver", m->receiver);
	json_object_set_new(root, "groupLabels", json_object());
	json_object_set_new(root, "commonLabels", ap_common(alerts, "labels"));
	json_object_set_new(root, "commonAnnotations", ap_common(alerts, "annotations"));
	ap_set(root, "externalURL", m->external_url ? m->external_url : "");
	json_object_set_new(root, "alerts", alerts);
	return ap_dump(root);
}

char *alert_fmt_slack(const struct alert_msg *m)
{
	char *text = alert_fmt_text(m, 0), *esc;
	json_t *root;

	if (text == NULL)
		return NULL;
	/* Slack's own rule: only & < > are escaped, as HTML entities. */
	esc = alert_html_escape(text, 0);
	free(text);
	if (esc == NULL)
		return NULL;
	root = json_object();
	ap_set(root, "text", esc);
	free(esc);
	return ap_dump(root);
}

char *alert_fmt_telegram(const char *chat_id, const char *text, int html)
{
	json_t *root = json_object();

	ap_set(root, "chat_id", chat_id);
	ap_set(root, "text", text);
	if (html)
		ap_set(root, "parse_mode", "HTML");
	json_object_set_new(root, "disable_web_page_preview", json_true());
	return ap_dump(root);
}

void alert_strv_free(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

/* ---- splitting ------------------------------------------------------ */

struct ap_parts {
	char **v;
	size_t n, cap;
	int failed;
};

static void ap_parts_add(struct ap_parts *p, const char *s, size_t len)
{
	if (p->failed || len == 0)
		return;
	if (p->n + 2 > p->cap) {
		size_t nc = p->cap ? 2 * p->cap : 8;
		char **nv = realloc(p->v, nc * sizeof(*nv));
		if (nv == NULL) {
			p->failed = 1;
			return;
		}
		p->v = nv;
		p->cap = nc;
	}
	if ((p->v[p->n] = strndup(s, len)) == NULL) {
		p->failed = 1;
		return;
	}
	p->v[++p->n] = NULL;
}

#define AP_MAX_OPEN 8

/* The tags open at a point of a line: where each opening tag was written
 * (to reopen it in the next part) and its name's length (to close it). */
struct ap_stack {
	size_t off[AP_MAX_OPEN], len[AP_MAX_OPEN], name[AP_MAX_OPEN];
	size_t n;
	size_t lost;              /* open tags past AP_MAX_OPEN, not tracked */
};

static size_t ap_stack_open_len(const struct ap_stack *s)
{
	size_t l = 0;
	for (size_t i = 0; i < s->n; i++)
		l += s->len[i];
	return l;
}

static size_t ap_stack_close_len(const struct ap_stack *s)
{
	size_t l = 0;
	for (size_t i = 0; i < s->n; i++)
		l += s->name[i] + 3;
	return l;
}

/* Length of the token at LINE[I]: a whole tag, a whole entity, or one
 * UTF-8 character; updates S for tags. */
static size_t ap_token(const char *line, size_t len, size_t i, struct ap_stack *s)
{
	if (line[i] == '<') {
		const char *gt = memchr(line + i, '>', len - i);
		size_t tl = gt ? (size_t)(gt - (line + i)) + 1 : len - i;
		if (i + 1 < len && line[i + 1] == '/') {
			if (s->lost > 0)
				s->lost--;
			else if (s->n > 0)
				s->n--;
		} else if (s->n == AP_MAX_OPEN) {
			s->lost++;
		} else {
			size_t nl = 1;
			while (nl < tl && line[i + nl] != ' ' && line[i + nl] != '>')
				nl++;
			s->off[s->n] = i;
			s->len[s->n] = tl;
			s->name[s->n++] = nl - 1;
		}
		return tl;
	}
	if (line[i] == '&') {
		size_t lim = len - i < 12 ? len - i : 12;
		const char *semi = memchr(line + i, ';', lim);
		return semi ? (size_t)(semi - (line + i)) + 1 : 1;
	}
	size_t cl = 1;
	while (i + cl < len && ((unsigned char)line[i + cl] & 0xC0) == 0x80)
		cl++;
	return cl;
}

/* Cut one over-long LINE (LEN bytes) into parts of at most MAX bytes,
 * closing the tags open at each cut and reopening them after it. */
static void ap_cut_line(struct ap_parts *out, const char *line, size_t len, size_t max)
{
	struct ap_stack at_start = { .n = 0 };
	size_t start = 0;

	while (start < len && !out->failed) {
		struct ap_stack cur = at_start, at_cut = at_start, at_space = at_start;
		size_t prefix = ap_stack_open_len(&at_start), i = start, cut = start, space = 0;

		while (i < len) {
			struct ap_stack next = cur;
			size_t tl = ap_token(line, len, i, &next);
			if (prefix + (i + tl - start) + ap_stack_close_len(&next) > max)
				break;
			if (line[i] == ' ') {
				space = i + tl;
				at_space = next;
			}
			i += tl;
			cur = next;
			cut = i;
			at_cut = cur;
		}
		if (cut == start && at_start.n > 0) {
			/* The reopened tags leave no room: go on without them. */
			at_start.n = at_start.lost = 0;
			continue;
		}
		if (cut == start) {
			/* Not even one token fits (a giant tag): give up on
			 * markup for it rather than loop. */
			cut = start + (len - start < max ? len - start : max);
			at_cut.n = at_cut.lost = 0;
		} else if (cut < len && space > start) {
			cut = space;
			at_cut = at_space;
		}
		char *buf = NULL;
		size_t blen = 0;
		FILE *f = open_memstream(&buf, &blen);
		if (f == NULL) {
			out->failed = 1;
			return;
		}
		for (size_t k = 0; k < at_start.n; k++)
			fwrite(line + at_start.off[k], 1, at_start.len[k], f);
		fwrite(line + start, 1, cut - start, f);
		for (size_t k = at_cut.n; k-- > 0;) {
			fputs("</", f);
			fwrite(line + at_cut.off[k] + 1, 1, at_cut.name[k], f);
			fputc('>', f);
		}
		fclose(f);
		ap_parts_add(out, buf, blen);
		free(buf);
		start = cut;
		at_start = at_cut;
	}
}

int alert_split_text(const char *text, size_t max, char ***parts)
{
	struct ap_parts out = { 0 };
	const char *p = text, *part = text;

	*parts = NULL;
	if (max < 64)
		return -EINVAL;
	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl + 1 : p + strlen(p);
		size_t line = (size_t)(end - p);

		if ((size_t)(end - part) > max) {
			/* This line does not fit: flush what is before it. */
			ap_parts_add(&out, part, (size_t)(p - part));
			part = p;
			if (line > max) {
				ap_cut_line(&out, p, line, max);
				part = end;
			}
		}
		p = end;
	}
	ap_parts_add(&out, part, (size_t)(p - part));
	if (out.failed) {
		alert_strv_free(out.v);
		return -ENOMEM;
	}
	if (out.v == NULL && (out.v = calloc(1, sizeof(char *))) == NULL)
		return -ENOMEM;     /* empty text: no parts */
	*parts = out.v;
	return (int)out.n;
}

char *alert_html_to_plain(const char *text)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' }, { "&quot;", '"' },
		{ "&#39;", '\'' }, { NULL, 0 }
	};
	char *out = malloc(strlen(text) + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (const char *p = text; *p;) {
		if (*p == '<') {
			const char *gt = strchr(p, '>');
			if (gt) {
				p = gt + 1;
				continue;
			}
		}
		if (*p == '&') {
			int hit = 0;
			for (int i = 0; ents[i].ent; i++)
				if (strncmp(p, ents[i].ent, strlen(ents[i].ent)) == 0) {
					*o++ = ents[i].c;
					p += strlen(ents[i].ent);
					hit = 1;
					break;
				}
			if (hit)
				continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

/* ---- http channel templates ---------------------------------------- */

static void ap_put_escaped(FILE *f, const char *s, int form)
{
	if (s == NULL)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (form) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
				fputc(*p, f);
			else if (*p == ' ')
				fputc('+', f);
			else
				fprintf(f, "%%%02X", *p);
		} else {
			if (*p == '"' || *p == '\\')
				fprintf(f, "\\%c", *p);
			else if (*p == '\n')
				fputs("\\n", f);
			else if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
}

char *alert_fmt_template(const char *tmpl, int form, const struct alert_msg *m)
{
	const struct alert_item *it = m->n > 0 ? &m->items[0] : NULL;
	char *buf = NULL, *text = NULL, count[24];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int firing = 0;

	if (f == NULL)
		return NULL;
	for (size_t i = 0; i < m->n; i++)
		firing |= m->items[i].status == ALERT_FIRING;
	snprintf(count, sizeof(count), "%zu", m->n);
	for (const char *p = tmpl; *p;) {
		const char *close;
		if (p[0] != '{' || p[1] != '{' || (close = strstr(p + 2, "}}")) == NULL) {
			fputc(*p++, f);
			continue;
		}
		size_t nl = (size_t)(close - (p + 2));
		const char *name = p + 2, *val = NULL;
		int known = 1;
#define AP_IS(lit) (nl == strlen(lit) && strncmp(name, lit, nl) == 0)
		if (AP_IS("text")) {
			if (text == NULL)
				text = alert_fmt_text(m, 0);
			val = text;
		} else if (AP_IS("status")) {
			val = firing ? "firing" : "resolved";
		} else if (AP_IS("alertname")) {
			val = it ? it->alertname : NULL;
		} else if (AP_IS("device")) {
			val = it ? it->device : NULL;
		} else if (AP_IS("site")) {
			val = it ? it->site : NULL;
		} else if (AP_IS("severity")) {
			val = it ? it->severity : NULL;
		} else if (AP_IS("count")) {
			val = count;
		} else if (AP_IS("url")) {
			val = m->external_url;
		} else {
			known = 0;
		}
#undef AP_IS
		if (known) {
			ap_put_escaped(f, val, form);
			p = close + 2;
		} else {
			fputc(*p++, f);
		}
	}
	free(text);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
