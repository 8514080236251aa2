/*
 * config_yaml.c — walk the libyaml node tree of serat.yaml into a config.
 *
 * The file is loaded whole with yaml_parser_load() rather than consumed as an
 * event stream: nodes keep their start marks, so every message can name
 * FILE:LINE:COL of the offending key or value, and a mapping can be checked
 * for unknown and duplicate keys before any of its values is read.  Each
 * mapping is described by a NULL-terminated key list; yw_map() sorts its
 * pairs into a value array indexed like that list, and the caller then reads
 * the values in the order it needs (global "snmp" before "sites", so devices
 * merge over complete defaults, wherever the user wrote them).
 *
 * Values are checked where they stand and reported without stopping; what
 * spans several places (names, parents, references) is left to the second
 * pass in config.c.  Scalars are taken as text: YAML 1.1's idea that "no" is
 * false or 010 is octal never applies, which is what a network engineer
 * typing "version: 2c" or a community of "0123" expects.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "common/cidr.h"
#include "common/config_build.h"
#include "common/config_yaml.h"
#include "common/log.h"
#include "common/tz.h"

#define YW_MAX_KEYS 32
#define YW_CTX 256            /* "device 'NAME'" */
#define YW_IN (YW_CTX + 32)   /* " in snmp of " + that */

struct yw {
	struct cfg_build *b;
	yaml_document_t *doc;
	const char *file;
	const char *data;         /* the file's bytes (for encoding errors) */
	size_t len;
};

static struct cfg_mark yw_mark(const struct yw *w, const yaml_node_t *n)
{
	struct cfg_mark m = { w->file, (unsigned)n->start_mark.line + 1,
			      (unsigned)n->start_mark.column + 1, NULL };
	return m;
}

static void yw_error(struct yw *w, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void yw_error(struct yw *w, const yaml_node_t *n, const char *fmt, ...)
{
	struct cfg_mark m = yw_mark(w, n);
	va_list ap;

	va_start(ap, fmt);
	cfg_verror(w->b, &m, fmt, ap);
	va_end(ap);
}

static const char *yw_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE: return "a mapping";
	case YAML_SEQUENCE_NODE: return "a list";
	default: return "a scalar";
	}
}

/* A plain empty, "~" or "null" scalar: the key is there but says nothing. */
static int yw_is_null(const yaml_node_t *n)
{
	const char *s;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	s = (const char *)n->data.scalar.value;
	return *s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	       strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

/* " in CTX", or "" at the top level. */
static const char *yw_in(const char *ctx, char *buf, size_t len)
{
	if (ctx == NULL)
		return "";
	snprintf(buf, len, " in %s", ctx);
	return buf;
}

/*
 * The text of scalar value N of KEY, or NULL after reporting that it is a
 * mapping or list, or null (a required value that was left empty).
 */
static const char *yw_scalar(struct yw *w, const yaml_node_t *n, const char *key, const char *ctx)
{
	char in[YW_IN];

	if (n->type != YAML_SCALAR_NODE) {
		yw_error(w, n, "'%s'%s must be a scalar, not %s", key, yw_in(ctx, in, sizeof(in)),
			 yw_kind(n));
		return NULL;
	}
	if (yw_is_null(n)) {
		yw_error(w, n, "'%s'%s needs a value", key, yw_in(ctx, in, sizeof(in)));
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/*
 * Check that N is a mapping whose keys are all in KEYS, none twice, and put
 * each value node in VALS[i] (NULL when absent; a null value counts as
 * absent).  Returns 0, or -1 when N is not a mapping (already reported).
 */
static int yw_map(struct yw *w, const yaml_node_t *n, const char *const *keys,
		  const char *ctx, yaml_node_t **vals)
{
	yaml_node_t *seen[YW_MAX_KEYS] = { NULL };
	char in[YW_IN];

	for (size_t i = 0; keys[i]; i++)
		vals[i] = NULL;
	if (n->type != YAML_MAPPING_NODE) {
		yw_error(w, n, "%s must be a mapping, not %s", ctx ? ctx : "the configuration",
			 yw_kind(n));
		return -1;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(w->doc, p->value);
		const char *name;
		size_t i;

		if (k->type != YAML_SCALAR_NODE) {
			yw_error(w, k, "a key%s must be a scalar, not %s", yw_in(ctx, in, sizeof(in)),
				 yw_kind(k));
			continue;
		}
		name = (const char *)k->data.scalar.value;
		for (i = 0; keys[i] && strcmp(keys[i], name) != 0; i++)
			;
		if (keys[i] == NULL) {
			char q[CFG_QUOTE_MAX + 4];
			yw_error(w, k, "unknown key '%s'%s", cfg_quote_prefix(q, sizeof(q), name),
				 yw_in(ctx, in, sizeof(in)));
			continue;
		}
		if (seen[i] != NULL) {
			yw_error(w, k, "duplicate key '%s'%s (first at line %u)", name,
				 yw_in(ctx, in, sizeof(in)), (unsigned)seen[i]->start_mark.line + 1);
			continue;
		}
		seen[i] = k;
		vals[i] = yw_is_null(v) ? NULL : v;
	}
	return 0;
}

/*
 * "KIND 'NAME'" for messages about a mapping that has a scalar "name", else
 * "a KIND": unknown keys are then reported in terms the user recognises.
 */
static const char *yw_ctx(struct yw *w, const yaml_node_t *n, const char *kind, char *buf,
			  size_t len)
{
	if (n->type == YAML_MAPPING_NODE)
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
			yaml_node_t *v = yaml_document_get_node(w->doc, p->value);
			if (k->type == YAML_SCALAR_NODE && v->type == YAML_SCALAR_NODE &&
			    strcmp((const char *)k->data.scalar.value, "name") == 0 && !yw_is_null(v)) {
				snprintf(buf, len, "%s '%s'", kind, (const char *)v->data.scalar.value);
				return buf;
			}
		}
	snprintf(buf, len, "a %s", kind);
	return buf;
}

/* A required key: its value node, or NULL after reporting at the mapping. */
static yaml_node_t *yw_need(struct yw *w, const yaml_node_t *map, yaml_node_t *val,
			    const char *key, const char *ctx)
{
	char in[YW_IN];

	if (val == NULL)
		yw_error(w, map, "missing '%s'%s", key, yw_in(ctx, in, sizeof(in)));
	return val;
}

/* Duplicate a scalar value into *OUT (replacing it); 0 or -1. */
static int yw_str(struct yw *w, const yaml_node_t *n, const char *key, const char *ctx, char **out)
{
	const char *s = yw_scalar(w, n, key, ctx);
	char *d;

	if (s == NULL)
		return -1;
	d = cfg_strdup(w->b, s);
	if (d == NULL)
		return -1;
	free(*out);
	*out = d;
	return 0;
}

static int yw_uint(struct yw *w, const yaml_node_t *n, const char *key, const char *ctx,
		   unsigned long min, unsigned long max, unsigned long *out)
{
	const char *s = yw_scalar(w, n, key, ctx);
	char in[YW_IN];

	if (s == NULL)
		return -1;
	if (cfg_parse_uint(s, max, out) < 0 || *out < min) {
		yw_error(w, n, "'%s'%s must be a whole number from %lu to %lu, not '%s'", key,
			 yw_in(ctx, in, sizeof(in)), min, max, s);
		return -1;
	}
	return 0;
}

static int yw_duration(struct yw *w, const yaml_node_t *n, const char *key, const char *ctx,
		       uint64_t *ms)
{
	const char *s = yw_scalar(w, n, key, ctx);
	char in[YW_IN];

	if (s == NULL)
		return -1;
	if (parse_duration_ms(s, ms) < 0) {
		yw_error(w, n, "'%s'%s: invalid duration '%s' (use e.g. 30s, 5m, 1h)", key,
			 yw_in(ctx, in, sizeof(in)), s);
		return -1;
	}
	return 0;
}

/* A list of non-empty scalars as a NULL-terminated vector (caller frees). */
static char **yw_strlist(struct yw *w, const yaml_node_t *n, const char *key, const char *ctx,
			 size_t *count, yaml_node_t ***items)
{
	size_t len, i = 0;
	char **v;
	char in[YW_IN];

	*count = 0;
	if (n->type != YAML_SEQUENCE_NODE) {
		yw_error(w, n, "'%s'%s must be a list, not %s", key, yw_in(ctx, in, sizeof(in)),
			 yw_kind(n));
		return NULL;
	}
	len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (len == 0) {
		yw_error(w, n, "'%s'%s is an empty list", key, yw_in(ctx, in, sizeof(in)));
		return NULL;
	}
	v = calloc(len + 1, sizeof(*v));
	if (items)
		*items = calloc(len, sizeof(**items));
	if (v == NULL || (items && *items == NULL)) {
		w->b->enomem = 1;
		free(v);
		if (items) {
			free(*items);
			*items = NULL;
		}
		return NULL;
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = yaml_document_get_node(w->doc, *it);
		const char *s = yw_scalar(w, e, key, ctx);
		if (s == NULL)
			continue;
		if ((v[i] = cfg_strdup(w->b, s)) == NULL)
			break;
		if (items)
			(*items)[i] = e;
		i++;
	}
	*count = i;
	return v;
}

static void yw_free_strv(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

/* Each mapping's sequence of list items, with a context for messages. */
#define YW_FOREACH(w, n, e) \
	for (yaml_node_item_t *e##_it = (n)->data.sequence.items.start; \
	     e##_it < (n)->data.sequence.items.top && \
	     ((e) = yaml_document_get_node((w)->doc, *e##_it)) != NULL && !cfg_full((w)->b); \
	     e##_it++)

static int yw_list(struct yw *w, const yaml_node_t *n, const char *key)
{
	if (n->type != YAML_SEQUENCE_NODE) {
		yw_error(w, n, "'%s' must be a list, not %s", key, yw_kind(n));
		return -1;
	}
	return 0;
}

/* ---- global settings ------------------------------------------------- */

/* Parse an SNMP-SETTINGS mapping into OUT (zeroed by the caller): each
 * field through cfg_snmp_set, as the CSV columns are. */
static void yw_snmp(struct yw *w, const yaml_node_t *n, const char *ctx, struct cfg_snmp *out)
{
	yaml_node_t *v[YW_MAX_KEYS];
	char who[YW_IN + 32];
	unsigned before = w->b->n_errors;

	out->mark = yw_mark(w, n);
	if (yw_map(w, n, cfg_snmp_keys, ctx, v) < 0) {
		out->bad = 1;
		return;
	}
	for (int f = 0; f < CFG_SF_COUNT && !cfg_full(w->b); f++) {
		const char *t;
		struct cfg_mark m;
		if (v[f] == NULL || (t = yw_scalar(w, v[f], cfg_snmp_keys[f], ctx)) == NULL)
			continue;
		m = yw_mark(w, v[f]);
		snprintf(who, sizeof(who), "'%s' in %s", cfg_snmp_keys[f], ctx);
		cfg_snmp_set(w->b, out, (enum cfg_snmp_field)f, t, &m, who, w->b->dir);
	}
	out->bad = w->b->n_errors != before;
}

static void yw_poller(struct yw *w, const yaml_node_t *n)
{
	static const char *const keys[] = { "max_in_flight", "bulk_max_varbinds", "spread", NULL };
	yaml_node_t *v[YW_MAX_KEYS];
	unsigned long u;
	uint64_t ms;

	if (yw_map(w, n, keys, "poller", v) < 0)
		return;
	if (v[0] && yw_uint(w, v[0], "max_in_flight", "poller", 1, 100000, &u) == 0)
		w->b->conf->max_in_flight = (unsigned)u;
	if (v[1] && yw_uint(w, v[1], "bulk_max_varbinds", "poller", 1, 1000, &u) == 0)
		w->b->conf->bulk_max_varbinds = (unsigned)u;
	if (v[2] && yw_duration(w, v[2], "spread", "poller", &ms) == 0) {
		w->b->conf->spread_ms = (unsigned)ms;
		w->b->spread_mark = yw_mark(w, v[2]);
	}
}

/* probe: the passive capture (docs/probes.md). */
static void yw_probe(struct yw *w, const yaml_node_t *n)
{
	static const char *const keys[] = {
		"interface", "filter", "interval", "user", "flow_memory_mb", "program", NULL
	};
	struct probe_conf *p = &w->b->conf->probe;
	yaml_node_t *v[YW_MAX_KEYS];
	unsigned long u;
	uint64_t ms;

	if (yw_map(w, n, keys, "probe", v) < 0)
		return;
	if (v[0] == NULL)
		yw_error(w, n, "'probe' needs an 'interface' to capture on");
	else
		yw_str(w, v[0], "interface", "probe", &p->interface);
	if (v[1])
		yw_str(w, v[1], "filter", "probe", &p->filter);
	if (v[2] && yw_duration(w, v[2], "interval", "probe", &ms) == 0) {
		if (ms < 1000 || ms % 1000 != 0 || ms > 3600000)
			yw_error(w, v[2], "'interval' in probe must be whole seconds from 1s to 1h");
		else
			p->interval_ms = (unsigned)ms;
	}
	if (v[3])
		yw_str(w, v[3], "user", "probe", &p->user);
	if (v[4] && yw_uint(w, v[4], "flow_memory_mb", "probe", 1, 65536, &u) == 0)
		p->flow_memory_mb = (unsigned)u;
	if (v[5] && yw_str(w, v[5], "program", "probe", &p->program) == 0 && p->program[0] != '/') {
		char *joined = cfg_path_join(w->b->dir, p->program);
		if (joined == NULL) {
			w->b->enomem = 1;
		} else {
			free(p->program);
			p->program = joined;
		}
	}
}

/* rrdcached's own address forms: "unix:/path", "/path" or "host:port". */
static int yw_valid_rrdcached(const char *s)
{
	char *host;
	uint16_t port;

	if (strncmp(s, "unix:", 5) == 0)
		return s[5] == '/';
	if (s[0] == '/')
		return 1;
	if (cfg_parse_address(s, &host, &port) < 0)
		return 0;
	free(host);
	return port != 0;
}

static void yw_rrd(struct yw *w, const yaml_node_t *n)
{
	static const char *const keys[] = { "rrdcached", "rras", NULL };
	struct serat_config *c = w->b->conf;
	yaml_node_t *v[YW_MAX_KEYS];
	yaml_node_t **items = NULL;
	char **list;
	size_t count, ok = 0;

	if (yw_map(w, n, keys, "rrd", v) < 0)
		return;
	if (v[0] && yw_str(w, v[0], "rrdcached", "rrd", &c->rrdcached) == 0 &&
	    !yw_valid_rrdcached(c->rrdcached))
		yw_error(w, v[0], "'rrdcached' in rrd must be unix:/PATH, /PATH or HOST:PORT, not '%s'",
			 c->rrdcached);
	if (v[1] == NULL || (list = yw_strlist(w, v[1], "rras", "rrd", &count, &items)) == NULL)
		return;
	free(c->rras);
	c->rras = calloc(count ? count : 1, sizeof(*c->rras));
	w->b->rra_marks = calloc(count ? count : 1, sizeof(*w->b->rra_marks));
	c->n_rras = 0;
	if (c->rras == NULL || w->b->rra_marks == NULL) {
		w->b->enomem = 1;
		goto out;
	}
	for (size_t i = 0; i < count; i++) {
		const char *colon = strchr(list[i], ':');
		char *step = colon ? strndup(list[i], (size_t)(colon - list[i])) : NULL;
		uint64_t sms, pms;

		if (colon == NULL || step == NULL || parse_duration_ms(step, &sms) < 0 ||
		    parse_duration_ms(colon + 1, &pms) < 0) {
			yw_error(w, items[i], "RRA '%s' must be STEP:SPAN, e.g. 5m:2w", list[i]);
		} else if (sms == 0 || sms % 1000 != 0 || pms % 1000 != 0 ||
			   pms / 1000 > UINT32_MAX) {
			yw_error(w, items[i], "RRA '%s': step and span must be whole seconds, step not 0",
				 list[i]);
		} else if (pms < sms) {
			yw_error(w, items[i], "RRA '%s': span is shorter than the step", list[i]);
		} else {
			c->rras[ok].step_s = (unsigned)(sms / 1000);
			c->rras[ok].span_s = (unsigned)(pms / 1000);
			w->b->rra_marks[ok] = yw_mark(w, items[i]);
			ok++;
		}
		free(step);
	}
	c->n_rras = ok;
out:
	free(items);
	yw_free_strv(list);
}

/* ---- inventory ------------------------------------------------------- */

static const char *const yw_device_keys[] = {
	"name", "address", "parent", "snmp", "interfaces", "icmp", "profile",
	"optics_thresholds", NULL
};

/*
 * The icmp key of a device (DEV >= 0, whose parsed address is HOST) or of
 * a site (DEV -1): true (a device's own address), false, or a list of
 * addresses; see config_icmp.h.
 */
static void yw_icmp_targets(struct yw *w, const yaml_node_t *n, long dev, size_t site,
			    const char *host, const char *ctx)
{
	yaml_node_t **items = NULL;
	struct cfg_mark m = yw_mark(w, n);
	char in[YW_IN];
	size_t count;
	char **list;
	const char *t;

	if (n->type == YAML_SCALAR_NODE && dev >= 0) {
		t = (const char *)n->data.scalar.value;
		if (strcmp(t, "true") == 0 && host != NULL)
			cfg_icmp_add_target(w->b, host, dev, site, 1, &m);
		else if (strcmp(t, "true") != 0 && strcmp(t, "false") != 0)
			yw_error(w, n, "'icmp'%s must be true, false or a list of addresses, not '%s'",
				 yw_in(ctx, in, sizeof(in)), t);
		return;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		yw_error(w, n, "'icmp'%s must be a list of addresses%s", yw_in(ctx, in, sizeof(in)),
			 dev >= 0 ? " or true" : " (a site has no address of its own)");
		return;
	}
	if ((list = yw_strlist(w, n, "icmp", ctx, &count, &items)) == NULL)
		return;
	for (size_t i = 0; i < count && !cfg_full(w->b); i++) {
		m = yw_mark(w, items[i]);
		cfg_icmp_add_target(w->b, list[i], dev, site, 0, &m);
	}
	free(items);
	yw_free_strv(list);
}

/* A device's optics_thresholds: levels in dBm (see struct device_conf). */
static void yw_device_optics(struct yw *w, const yaml_node_t *n, const char *ctx,
			     struct device_conf *d)
{
	static const char *const keys[] = {
		"rx_low_alarm", "rx_low_warn", "rx_high_warn", "rx_high_alarm",
		"tx_low_alarm", "tx_low_warn", "tx_high_warn", "tx_high_alarm", NULL
	};
	yaml_node_t *v[YW_MAX_KEYS];
	char mctx[YW_CTX + 32];
	const char *t;

	snprintf(mctx, sizeof(mctx), "optics_thresholds of %s", ctx);
	if (yw_map(w, n, keys, mctx, v) < 0)
		return;
	for (int i = 0; keys[i]; i++) {
		if (v[i] == NULL || (t = yw_scalar(w, v[i], keys[i], mctx)) == NULL)
			continue;
		char *end;
		errno = 0;
		double x = strtod(t, &end);
		if (end == t || *end != '\0' || errno != 0 || !(x > -60 && x < 30)) {
			yw_error(w, v[i], "%s: '%s' must be a level in dBm above -60 and below 30, "
				 "not '%s'", mctx, keys[i], t);
			continue;
		}
		d->optics_thr[i / 4][i % 4] = x;
		d->optics_thr_set |= (uint8_t)(1u << i);
	}
}

static void yw_device(struct yw *w, const yaml_node_t *n, size_t site, const char *site_ctx)
{
	struct cfg_build *b = w->b;
	yaml_node_t *v[YW_MAX_KEYS];
	struct cfg_dev_info *info;
	struct device_conf *d;
	struct cfg_snmp over;
	char ctx[YW_CTX];
	const char *t;

	if (yw_map(w, n, yw_device_keys, yw_ctx(w, n, "device", ctx, sizeof(ctx)), v) < 0)
		return;
	if (yw_need(w, n, v[0], "name", "a device") == NULL)
		return;
	if ((t = yw_scalar(w, v[0], "name", site_ctx)) == NULL)
		return;
	snprintf(ctx, sizeof(ctx), "device '%s'", t);
	d = cfg_add_device(b, &info);
	if (d == NULL)
		return;
	d->site = site;
	d->name = cfg_strdup(b, t);
	info->name = yw_mark(w, v[0]);
	d->origin = cfg_origin(b, w->file, info->name.line);
	/* Start from the global defaults: overrides then merge over them. */
	over = (struct cfg_snmp){ .s = b->conf->snmp, .set = ~0u };
	if (cfg_snmp_merge(&d->snmp, &over) < 0)
		b->enomem = 1;
	if (v[3] != NULL) {
		char sctx[YW_CTX + 16];
		snprintf(sctx, sizeof(sctx), "snmp of %s", ctx);
		memset(&over, 0, sizeof(over));
		yw_snmp(w, v[3], sctx, &over);
		info->has_snmp = 1;
		info->snmp_bad = over.bad;
		info->snmp = over.mark;
		if (cfg_snmp_merge(&d->snmp, &over) < 0)
			b->enomem = 1;
		cfg_snmp_settings_clear(&over.s);
	}
	d->port = d->snmp.port ? d->snmp.port : 161;
	if (yw_need(w, n, v[1], "address", ctx) != NULL &&
	    (t = yw_scalar(w, v[1], "address", ctx)) != NULL) {
		uint16_t port;
		int r = cfg_parse_address(t, &d->host, &port);
		if (r == -ENOMEM)
			b->enomem = 1;
		else if (r < 0)
			yw_error(w, v[1], "%s: invalid address '%s' (HOST, HOST:PORT or [IPv6]:PORT)",
				 ctx, t);
		else if (port != 0) {
			d->port = port;
			info->port_from_address = 1;
		}
	}
	if (v[2] != NULL && yw_str(w, v[2], "parent", ctx, &d->parent) == 0)
		info->parent = yw_mark(w, v[2]);
	if (v[4] != NULL)
		d->interfaces = yw_strlist(w, v[4], "interfaces", ctx, &d->n_interfaces, NULL);
	if (v[5] != NULL)
		yw_icmp_targets(w, v[5], (long)b->conf->n_devices - 1, site, d->host, ctx);
	if (v[6] != NULL && yw_str(w, v[6], "profile", ctx, &d->profile) == 0)
		info->profile = yw_mark(w, v[6]);
	if (v[7] != NULL)
		yw_device_optics(w, v[7], ctx, d);
}

static const char *const yw_site_keys[] = {
	"name", "kind", "location", "devices", "subnets", "icmp", NULL
};

/* subnets: [CIDR, ...] — each checked here, so a typo is FILE:LINE:COL. */
static void yw_site_subnets(struct yw *w, const yaml_node_t *n, struct site_conf *s,
			    const char *ctx)
{
	yaml_node_t **items = NULL;
	struct cidr c;
	const char *why;
	size_t count;
	char **list = yw_strlist(w, n, "subnets", ctx, &count, &items);

	if (list == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		if (cidr_parse(list[i], &c, &why) < 0)
			yw_error(w, items[i], "%s: subnet '%s': %s", ctx, list[i], why);
	s->subnets = list;
	s->n_subnets = count;
	free(items);
}

static void yw_site(struct yw *w, const yaml_node_t *n)
{
	struct cfg_build *b = w->b;
	yaml_node_t *v[YW_MAX_KEYS];
	struct cfg_mark m;
	struct site_conf *s;
	yaml_node_t *e;
	char ctx[YW_CTX];
	const char *t;
	long prev;
	size_t idx;

	if (yw_map(w, n, yw_site_keys, yw_ctx(w, n, "site", ctx, sizeof(ctx)), v) < 0)
		return;
	if (yw_need(w, n, v[0], "name", "a site") == NULL ||
	    (t = yw_scalar(w, v[0], "name", "a site")) == NULL)
		return;
	snprintf(ctx, sizeof(ctx), "site '%s'", t);
	m = yw_mark(w, v[0]);
	prev = cfg_find_site(b, t);
	if (prev >= 0) {
		const struct cfg_mark *pm = &b->site_marks[prev];
		yw_error(w, v[0], "duplicate site name '%s' (first defined at %s:%u)", t,
			 pm->file, pm->line);
		return;
	}
	if ((s = cfg_add_site(b, &m)) == NULL)
		return;
	idx = b->conf->n_sites - 1;
	if ((s->name = cfg_strdup(b, t)) == NULL || cfg_index_site(b, idx) < 0)
		return;
	if (yw_need(w, n, v[1], "kind", ctx) != NULL &&
	    (t = yw_scalar(w, v[1], "kind", ctx)) != NULL && cfg_parse_kind(t, &s->kind) < 0)
		yw_error(w, v[1], "%s: kind must be core, opd, puskesmas, nagari, kecamatan or other, not '%s'",
			 ctx, t);
	if (v[2] != NULL)
		yw_str(w, v[2], "location", ctx, &s->location);
	if (v[4] != NULL)
		yw_site_subnets(w, v[4], s, ctx);
	if (v[5] != NULL)
		yw_icmp_targets(w, v[5], -1, idx, NULL, ctx);
	if (v[3] == NULL || yw_list(w, v[3], "devices") < 0)
		return;
	YW_FOREACH(w, v[3], e)
		yw_device(w, e, idx, ctx);
}

/* ---- alerting -------------------------------------------------------- */

/* An http channel's headers: a mapping of names to (possibly secret) values. */
static void yw_channel_headers(struct yw *w, const yaml_node_t *n, const char *ctx,
			       struct channel_conf *ch)
{
	struct cfg_build *b = w->b;
	size_t len;

	if (n->type != YAML_MAPPING_NODE) {
		yw_error(w, n, "%s: 'headers' must be a mapping of names to values, not %s", ctx,
			 yw_kind(n));
		return;
	}
	len = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if ((ch->headers = calloc(len ? len : 1, sizeof(*ch->headers))) == NULL) {
		b->enomem = 1;
		return;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(w->doc, p->value);
		const char *name = yw_scalar(w, k, "headers", ctx), *val;
		struct channel_header *h;

		if (name == NULL || (val = yw_scalar(w, v, name, ctx)) == NULL)
			continue;
		if (name[0] == '\0' || strpbrk(name, ": \t\r\n") || strpbrk(val, "\r\n")) {
			yw_error(w, k, "%s: header '%s' is not a valid HTTP header", ctx, name);
			continue;
		}
		h = &ch->headers[ch->n_headers++];
		h->name = cfg_strdup(b, name);
		struct cfg_mark m = yw_mark(w, v);
		cfg_secret_resolve(b, val, b->dir, &m, "header", &h->value);
	}
}

static int yw_http_url(struct yw *w, const yaml_node_t *n, const char *key, const char *ctx,
		       char **out)
{
	if (yw_str(w, n, key, ctx, out) < 0)
		return -1;
	if (strncmp(*out, "http://", 7) != 0 && strncmp(*out, "https://", 8) != 0) {
		if (ctx)
			yw_error(w, n, "%s: %s must start with http:// or https://", ctx, key);
		else
			yw_error(w, n, "'%s' must start with http:// or https://", key);
		return -1;
	}
	return 0;
}

static int yw_language(struct yw *w, const yaml_node_t *n, const char *ctx)
{
	const char *t = yw_scalar(w, n, "language", ctx);

	if (t == NULL)
		return -1;
	if (strcmp(t, "id") == 0)
		return 0;
	if (strcmp(t, "en") == 0)
		return 1;
	yw_error(w, n, "%s'language' must be id or en, not '%s'", ctx ? ctx : "", t);
	return -1;
}

enum {
	YC_NAME, YC_TYPE, YC_URL, YC_TOKEN, YC_CHAT_ID, YC_API_URL, YC_METHOD, YC_HEADERS,
	YC_BODY, YC_FORMAT, YC_RATE, YC_LANGUAGE, YC_REPORT
};

static void yw_channel(struct yw *w, const yaml_node_t *n)
{
	static const char *const keys[] = {
		"name", "type", "url", "token", "chat_id", "api_url", "method", "headers",
		"body", "format", "rate_limit", "language", "report", NULL
	};
	struct cfg_build *b = w->b;
	struct serat_config *c = b->conf;
	yaml_node_t *v[YW_MAX_KEYS];
	struct channel_conf *ch;
	char ctx[YW_CTX], lctx[YW_CTX + 2];
	const char *t;
	unsigned long ul;
	size_t i;

	if (yw_map(w, n, keys, yw_ctx(w, n, "channel", ctx, sizeof(ctx)), v) < 0)
		return;
	if (yw_need(w, n, v[YC_NAME], "name", "a channel") == NULL ||
	    (t = yw_scalar(w, v[YC_NAME], "name", "a channel")) == NULL)
		return;
	snprintf(ctx, sizeof(ctx), "channel '%s'", t);
	for (i = 0; i < c->n_channels; i++)
		if (strcmp(c->channels[i].name, t) == 0) {
			yw_error(w, v[YC_NAME], "duplicate channel name '%s' (first defined at line %u)",
				 t, b->channel_marks[i].line);
			return;
		}
	ch = &c->channels[c->n_channels];
	b->channel_marks[c->n_channels++] = yw_mark(w, v[YC_NAME]);
	ch->name = cfg_strdup(b, t);
	ch->language = -1;
	if (yw_need(w, n, v[YC_TYPE], "type", ctx) == NULL ||
	    (t = yw_scalar(w, v[YC_TYPE], "type", ctx)) == NULL)
		return;
	for (i = 0; i < CHANNEL_TYPE_COUNT && strcmp(channel_type_name((enum channel_type)i), t); i++)
		;
	if (i == CHANNEL_TYPE_COUNT) {
		yw_error(w, v[YC_TYPE], "%s: type must be webhook, telegram, slack or http, not '%s'",
			 ctx, t);
		return;
	}
	ch->type = (enum channel_type)i;
	if (v[YC_URL])
		yw_http_url(w, v[YC_URL], "url", ctx, &ch->url);
	if (v[YC_TOKEN] && (t = yw_scalar(w, v[YC_TOKEN], "token", ctx)) != NULL) {
		struct cfg_mark m = yw_mark(w, v[YC_TOKEN]);
		cfg_secret_resolve(b, t, b->dir, &m, "token", &ch->token);
	}
	if (v[YC_CHAT_ID])
		yw_str(w, v[YC_CHAT_ID], "chat_id", ctx, &ch->chat_id);
	if (v[YC_API_URL])
		yw_http_url(w, v[YC_API_URL], "api_url", ctx, &ch->api_url);
	else if (ch->type == CHANNEL_TELEGRAM)
		ch->api_url = cfg_strdup(b, "https://api.telegram.org");
	if (v[YC_METHOD] && yw_str(w, v[YC_METHOD], "method", ctx, &ch->method) == 0 &&
	    strcmp(ch->method, "POST") != 0 && strcmp(ch->method, "PUT") != 0 &&
	    strcmp(ch->method, "GET") != 0)
		yw_error(w, v[YC_METHOD], "%s: method must be POST, PUT or GET, not '%s'", ctx,
			 ch->method);
	if (v[YC_HEADERS])
		yw_channel_headers(w, v[YC_HEADERS], ctx, ch);
	if (v[YC_BODY])
		yw_str(w, v[YC_BODY], "body", ctx, &ch->body);
	if (v[YC_FORMAT] && (t = yw_scalar(w, v[YC_FORMAT], "format", ctx)) != NULL) {
		if (strcmp(t, "form") == 0)
			ch->form = 1;
		else if (strcmp(t, "json") != 0)
			yw_error(w, v[YC_FORMAT], "%s: format must be json or form, not '%s'", ctx, t);
	}
	ch->rate_per_min = ch->type == CHANNEL_TELEGRAM ? 20 : 0;
	if (v[YC_RATE] && yw_uint(w, v[YC_RATE], "rate_limit", ctx, 0, 100000, &ul) == 0)
		ch->rate_per_min = (unsigned)ul;
	if (v[YC_REPORT] && (t = yw_scalar(w, v[YC_REPORT], "report", ctx)) != NULL) {
		ch->report = strcmp(t, "true") == 0;
		if (!ch->report && strcmp(t, "false") != 0)
			yw_error(w, v[YC_REPORT], "%s: report must be true or false, not '%s'", ctx, t);
	}
	snprintf(lctx, sizeof(lctx), "%s: ", ctx);
	if (v[YC_LANGUAGE])
		ch->language = yw_language(w, v[YC_LANGUAGE], lctx);
	/* What each sender cannot work without, and keys that would be
	 * silently ignored. */
	if (ch->type == CHANNEL_TELEGRAM) {
		if (v[YC_TOKEN] == NULL)
			yw_error(w, n, "%s: a telegram channel needs a token", ctx);
		if (v[YC_CHAT_ID] == NULL)
			yw_error(w, n, "%s: a telegram channel needs a chat_id", ctx);
		if (v[YC_URL])
			yw_error(w, v[YC_URL], "%s: a telegram channel takes api_url, not url", ctx);
	} else {
		if (v[YC_URL] == NULL)
			yw_error(w, n, "%s: a %s channel needs a url", ctx, channel_type_name(ch->type));
		if (v[YC_CHAT_ID] || v[YC_API_URL])
			yw_error(w, v[YC_CHAT_ID] ? v[YC_CHAT_ID] : v[YC_API_URL],
				 "%s: chat_id and api_url are for telegram channels", ctx);
	}
	if (ch->type != CHANNEL_HTTP && (v[YC_METHOD] || v[YC_HEADERS] || v[YC_BODY] || v[YC_FORMAT]))
		yw_error(w, n, "%s: method, headers, body and format are for http channels", ctx);
	if (ch->type == CHANNEL_HTTP && v[YC_BODY] == NULL)
		yw_error(w, n, "%s: an http channel needs a body template", ctx);
}

/* alerts: {group_window, down_after, ...} */
static void yw_alerts(struct yw *w, const yaml_node_t *n)
{
	static const char *const keys[] = {
		"group_window", "down_after", "up_after", "renotify", "flap_changes",
		"flap_window", "retry_for", "connect_timeout", "timeout", "drift", "drift_window",
		NULL
	};
	struct alerts_conf *a = &w->b->conf->alerts;
	unsigned *secs[] = { NULL, NULL, NULL, &a->renotify_s, NULL, &a->flap_window_s,
			     &a->retry_for_s, NULL, NULL, NULL, &a->drift_window_s };
	unsigned *msecs[] = { &a->group_window_ms, NULL, NULL, NULL, NULL, NULL, NULL,
			      &a->connect_timeout_ms, &a->timeout_ms, NULL, NULL };
	unsigned *counts[] = { NULL, &a->down_after, &a->up_after, NULL, &a->flap_changes,
			       NULL, NULL, NULL, NULL, &a->drift_db, NULL };
	yaml_node_t *v[YW_MAX_KEYS];
	unsigned long ul;
	uint64_t ms;

	if (yw_map(w, n, keys, "alerts", v) < 0)
		return;
	for (size_t i = 0; keys[i]; i++) {
		if (v[i] == NULL)
			continue;
		if (counts[i]) {
			if (yw_uint(w, v[i], keys[i], "alerts", 1, 1000, &ul) == 0)
				*counts[i] = (unsigned)ul;
			continue;
		}
		if (yw_duration(w, v[i], keys[i], "alerts", &ms) < 0)
			continue;
		if (ms > 365ULL * 86400 * 1000)
			yw_error(w, v[i], "'%s' in alerts is longer than a year", keys[i]);
		else if (secs[i])
			*secs[i] = (unsigned)(ms / 1000);
		else
			*msecs[i] = (unsigned)ms;
	}
	if (a->connect_timeout_ms == 0 || a->timeout_ms == 0)
		yw_error(w, n, "connect_timeout and timeout in alerts must be above 0");
	if (a->drift_window_s == 0)
		yw_error(w, v[10] ? v[10] : n, "drift_window in alerts must be at least 1s");
}

static void yw_rule(struct yw *w, const yaml_node_t *n)
{
	static const char *const keys[] = {
		"name", "metric", "op", "threshold", "for", "severity", "channels", NULL
	};
	struct cfg_build *b = w->b;
	struct serat_config *c = b->conf;
	yaml_node_t *v[YW_MAX_KEYS];
	yaml_node_t **items = NULL;
	struct rule_conf *r;
	char ctx[YW_CTX];
	const char *t;
	size_t i;
	uint64_t ms;

	if (yw_map(w, n, keys, yw_ctx(w, n, "rule", ctx, sizeof(ctx)), v) < 0)
		return;
	if (yw_need(w, n, v[0], "name", "a rule") == NULL ||
	    (t = yw_scalar(w, v[0], "name", "a rule")) == NULL)
		return;
	snprintf(ctx, sizeof(ctx), "rule '%s'", t);
	for (i = 0; i < c->n_rules; i++)
		if (strcmp(c->rules[i].name, t) == 0) {
			yw_error(w, v[0], "duplicate rule name '%s' (first defined at line %u)", t,
				 b->rule_marks[i].line);
			return;
		}
	r = &c->rules[c->n_rules];
	b->rule_marks[c->n_rules++] = yw_mark(w, v[0]);
	r->name = cfg_strdup(b, t);
	r->severity = RULE_SEV_WARNING;
	if (yw_need(w, n, v[1], "metric", ctx) && (t = yw_scalar(w, v[1], "metric", ctx))) {
		char hint[1536], q[CFG_QUOTE_MAX + 4];
		if (cfg_parse_metric(t, &r->metric, hint, sizeof(hint)) < 0)
			yw_error(w, v[1], "%s: unknown metric '%s' (%s)", ctx,
				 cfg_quote_prefix(q, sizeof(q), t), hint);
	}
	if (yw_need(w, n, v[2], "op", ctx) && (t = yw_scalar(w, v[2], "op", ctx)) &&
	    cfg_parse_rule_op(t, &r->op) < 0)
		yw_error(w, v[2], "%s: op must be one of < <= > >= == !=, not '%s'", ctx, t);
	if (yw_need(w, n, v[3], "threshold", ctx) && (t = yw_scalar(w, v[3], "threshold", ctx))) {
		char *end;
		errno = 0;
		r->threshold = strtod(t, &end);
		if (end == t || *end != '\0' || errno != 0 || !isfinite(r->threshold))
			yw_error(w, v[3], "%s: threshold must be a number, not '%s'", ctx, t);
	}
	if (v[4] && yw_duration(w, v[4], "for", ctx, &ms) == 0)
		r->for_ms = ms;
	if (v[5] && (t = yw_scalar(w, v[5], "severity", ctx)) &&
	    cfg_parse_severity(t, &r->severity) < 0)
		yw_error(w, v[5], "%s: severity must be critical, warning or info, not '%s'", ctx, t);
	if (v[6] == NULL)
		return;
	r->channels = yw_strlist(w, v[6], "channels", ctx, &r->n_channels, &items);
	for (i = 0; r->name && r->channels && i < r->n_channels; i++) {
		struct cfg_mark m = yw_mark(w, items[i]);
		cfg_add_ref(b, CFG_REF_CHANNEL, r->channels[i], "rule", r->name, &m, NULL);
	}
	free(items);
}

/* A window's start or end: 0, or -1 after reporting. */
static int yw_time(struct yw *w, const yaml_node_t *n, const char *key, const char *ctx,
		   time_t *out)
{
	const char *t = yw_scalar(w, n, key, ctx), *tz = w->b->conf->timezone;
	int r;

	if (t == NULL)
		return -1;
	r = tz_parse_iso8601(t, tz, out);
	if (r == -ERANGE)
		yw_error(w, n, "%s: %s '%s' does not exist in timezone %s (skipped by a clock change)",
			 ctx, key, t, tz);
	else if (r < 0)
		yw_error(w, n, "%s: %s must be local time YYYY-MM-DDTHH:MM[:SS] or carry an offset "
			 "(+07:00, Z), not '%s'", ctx, key, t);
	return r < 0 ? -1 : 0;
}

static void yw_maintenance(struct yw *w, const yaml_node_t *n)
{
	static const char *const keys[] = { "name", "targets", "start", "end", NULL };
	struct cfg_build *b = w->b;
	struct serat_config *c = b->conf;
	yaml_node_t *v[YW_MAX_KEYS];
	yaml_node_t **items = NULL;
	struct maintenance_conf *mw;
	int have_start = 0, have_end = 0;
	char ctx[YW_CTX];
	const char *t;
	size_t i, count;
	char **names;

	if (yw_map(w, n, keys, yw_ctx(w, n, "maintenance window", ctx, sizeof(ctx)), v) < 0)
		return;
	if (yw_need(w, n, v[0], "name", "a maintenance window") == NULL ||
	    (t = yw_scalar(w, v[0], "name", "a maintenance window")) == NULL)
		return;
	snprintf(ctx, sizeof(ctx), "maintenance '%s'", t);
	for (i = 0; i < c->n_maintenance; i++)
		if (strcmp(c->maintenance[i].name, t) == 0) {
			yw_error(w, v[0], "duplicate maintenance name '%s' (first defined at line %u)",
				 t, b->maint_marks[i].line);
			return;
		}
	mw = &c->maintenance[c->n_maintenance];
	b->maint_marks[c->n_maintenance++] = yw_mark(w, v[0]);
	mw->name = cfg_strdup(b, t);
	if (yw_need(w, n, v[1], "targets", ctx) &&
	    (names = yw_strlist(w, v[1], "targets", ctx, &count, &items)) != NULL) {
		/* The names move into the targets; the second pass resolves them. */
		mw->targets = calloc(count ? count : 1, sizeof(*mw->targets));
		if (mw->targets == NULL) {
			b->enomem = 1;
			for (i = 0; i < count; i++)
				free(names[i]);
			count = 0;
		}
		for (i = 0; i < count; i++) {
			struct cfg_mark m = yw_mark(w, items[i]);
			mw->targets[i].name = names[i];
			if (mw->name)
				cfg_add_ref(b, CFG_REF_TARGET, names[i], "maintenance", mw->name, &m,
					    &mw->targets[i]);
		}
		mw->n_targets = count;
		free(names);
		free(items);
	}
	if (yw_need(w, n, v[2], "start", ctx))
		have_start = yw_time(w, v[2], "start", ctx, &mw->start) == 0;
	if (yw_need(w, n, v[3], "end", ctx))
		have_end = yw_time(w, v[3], "end", ctx, &mw->end) == 0;
	if (have_start && have_end && mw->end <= mw->start)
		yw_error(w, v[3], "%s: end is not after start", ctx);
}

/* ---- sla ------------------------------------------------------------- */

/*
 * Service hours as people write them: "24/7", or DAYS HH:MM-HH:MM where
 * DAYS is a comma list of days (Mon … Sun) and ranges ("Mon-Fri", "Sat-Sun";
 * a range may wrap, "Fri-Mon").  0 or -1.
 */
static int yw_sla_hours(const char *s, struct sla_hours_conf *h)
{
	static const char *const names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
	unsigned sh, sm, eh, em, days = 0;
	int n = 0, prev = -1, range = 0;
	const char *p = s;

	if (strcmp(s, "24/7") == 0) {
		*h = (struct sla_hours_conf){ 0, 0, 0 };
		return 0;
	}
	while (*p && *p != ' ') {
		int d;
		for (d = 0; d < 7 && strncasecmp(p, names[d], 3) != 0; d++)
			;
		if (d == 7)
			return -1;
		p += 3;
		if (range)
			for (int i = prev; i != d; i = (i + 1) % 7)
				days |= 1u << i;
		days |= 1u << d;
		range = *p == '-';
		prev = d;
		if (*p == '-' || *p == ',')
			p++;
		else if (*p != ' ')
			return -1;
	}
	if (days == 0 || range ||
	    sscanf(p, " %2u:%2u-%2u:%2u%n", &sh, &sm, &eh, &em, &n) != 4 || p[n] != '\0' ||
	    sm > 59 || em > 59 || sh * 60 + sm >= eh * 60 + em || eh * 60 + em > 1440)
		return -1;
	*h = (struct sla_hours_conf){ days, sh * 60 + sm, eh * 60 + em };
	return 0;
}

/* sla: {targets: {KIND: PCT}, service_hours: {KIND: HOURS}, uplinks: {NAME: IFNAME}} */
static void yw_sla(struct yw *w, const yaml_node_t *n)
{
	static const char *const keys[] = { "targets", "service_hours", "uplinks", NULL };
	struct sla_conf *sla = &w->b->conf->sla;
	yaml_node_t *v[YW_MAX_KEYS];

	if (yw_map(w, n, keys, "sla", v) < 0)
		return;
	for (int sec = 0; sec < 3; sec++) {
		const yaml_node_t *m = v[sec];
		size_t len;

		if (m == NULL)
			continue;
		if (m->type != YAML_MAPPING_NODE) {
			yw_error(w, m, "'%s' in sla must be a mapping, not %s", keys[sec], yw_kind(m));
			continue;
		}
		len = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
		if (sec == 2 && (sla->uplinks = calloc(len ? len : 1, sizeof(*sla->uplinks))) == NULL) {
			w->b->enomem = 1;
			return;
		}
		for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
			yaml_node_t *val = yaml_document_get_node(w->doc, p->value);
			const char *name = yw_scalar(w, k, keys[sec], "sla"), *t;
			enum site_kind kind;
			char *end;
			double pct;

			if (name == NULL || (t = yw_scalar(w, val, name, "sla")) == NULL)
				continue;
			if (sec == 2) {
				struct sla_uplink_conf *u = &sla->uplinks[sla->n_uplinks++];
				struct cfg_mark mk = yw_mark(w, k);
				u->target = cfg_strdup(w->b, name);
				u->ifname = cfg_strdup(w->b, t);
				if (u->target)
					cfg_add_ref(w->b, CFG_REF_TARGET, u->target, "sla", "uplinks", &mk,
						    NULL);
				continue;
			}
			if (cfg_parse_kind(name, &kind) < 0) {
				yw_error(w, k, "'%s' in sla: kind must be core, opd, puskesmas, nagari, "
					 "kecamatan or other, not '%s'", keys[sec], name);
				continue;
			}
			if (sec == 1) {
				if (yw_sla_hours(t, &sla->hours[kind]) < 0)
					yw_error(w, val, "service_hours of %s: '%s' is not 24/7 or "
						 "DAYS HH:MM-HH:MM (e.g. Mon-Fri 07:30-16:00)", name, t);
				continue;
			}
			errno = 0;
			pct = strtod(t, &end);
			if (end == t || *end != '\0' || errno != 0 || !(pct > 0 && pct <= 100))
				yw_error(w, val, "target of %s in sla must be a percentage above 0 and "
					 "at most 100, not '%s'", name, t);
			else
				sla->target_pct[kind] = pct;
		}
	}
}

/* Size an array for every item of list N up front (names are checked later). */
static int yw_alloc_list(struct yw *w, const yaml_node_t *n, const char *key, void **arr,
			 size_t size, struct cfg_mark **marks)
{
	size_t len;

	if (yw_list(w, n, key) < 0)
		return -1;
	len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	*arr = calloc(len ? len : 1, size);
	*marks = calloc(len ? len : 1, sizeof(**marks));
	if (*arr == NULL || *marks == NULL) {
		w->b->enomem = 1;
		return -1;
	}
	return 0;
}

/* Dashboard options; files are relative to the config file. */
static void yw_http(struct yw *w, const yaml_node_t *n)
{
	static const char *const keys[] = { "kiosk_tokens", "auth_file", "tls_cert", "tls_key",
					    "max_connections", NULL };
	struct http_conf *h = &w->b->conf->http;
	yaml_node_t *v[YW_MAX_KEYS];
	char **files[3] = { &h->auth_file, &h->tls_cert, &h->tls_key };
	unsigned long u;

	if (yw_map(w, n, keys, "http", v) < 0)
		return;
	if (v[0])
		h->kiosk_tokens = yw_strlist(w, v[0], "kiosk_tokens", "http", &h->n_kiosk_tokens, NULL);
	for (int i = 0; i < 3; i++) {
		char *t = NULL;
		if (v[i + 1] && yw_str(w, v[i + 1], keys[i + 1], "http", &t) == 0) {
			free(*files[i]);
			if ((*files[i] = cfg_path_join(w->b->dir, t)) == NULL)
				w->b->enomem = 1;
		}
		free(t);
	}
	if ((h->tls_cert == NULL) != (h->tls_key == NULL))
		yw_error(w, n, "'tls_cert' and 'tls_key' in http go together");
	if (v[4] && yw_uint(w, v[4], "max_connections", "http", 1, 10000, &u) == 0)
		h->max_connections = (unsigned)u;
}

/* ---- top level ------------------------------------------------------- */

enum {
	YK_DATA_DIR, YK_INTERVAL, YK_TIMEZONE, YK_HTTP_LISTEN, YK_LOG_LEVEL, YK_SNMP, YK_POLLER,
	YK_RRD, YK_INVENTORY, YK_SITES, YK_CHANNELS, YK_RULES, YK_MAINTENANCE, YK_PROBE,
	YK_LANGUAGE, YK_HTTP, YK_SLA, YK_ICMP, YK_PROFILES_DIR, YK_EXTERNAL_URL, YK_ALERTS
};
static const char *const yw_top_keys[] = {
	"data_dir", "interval", "timezone", "http_listen", "log_level", "snmp", "poller",
	"rrd", "inventory", "sites", "channels", "rules", "maintenance", "probe",
	"language", "http", "sla", "icmp", "profiles_dir", "external_url", "alerts", NULL
};

/*
 * The top-level icmp section N (NULL when absent), read after the sites so
 * that the schedule can be checked against the number of targets.
 */
static void yw_icmp_section(struct yw *w, const yaml_node_t *n)
{
	static const char *const keys[] = { "count", "period", "spacing", "timeout", "socket", NULL };
	static const char *const socks[] = { "auto", "datagram", "raw", NULL };
	struct icmp_conf *c = &w->b->conf->icmp;
	yaml_node_t *v[YW_MAX_KEYS];
	struct cfg_mark m;
	unsigned long u;
	uint64_t ms[3];
	const char *t;
	size_t i;

	if (n == NULL) {
		cfg_icmp_check(w->b, NULL);
		return;
	}
	if (yw_map(w, n, keys, "icmp", v) < 0)
		return;
	if (v[0] && yw_uint(w, v[0], "count", "icmp", 1, 100, &u) == 0)
		c->count = (unsigned)u;
	for (i = 0; i < 3; i++) {
		if (v[i + 1] == NULL || yw_duration(w, v[i + 1], keys[i + 1], "icmp", &ms[i]) < 0)
			continue;
		if (ms[i] > 3600000 || (i > 0 && ms[i] == 0))
			yw_error(w, v[i + 1], "'%s' in icmp must be %s and at most 1h", keys[i + 1],
				 i == 0 ? "0 or more" : "at least 1ms");
		else if (i == 0)
			c->period_ms = (unsigned)ms[i];
		else if (i == 1)
			c->spacing_ms = (unsigned)ms[i];
		else
			c->timeout_ms = (unsigned)ms[i];
	}
	if (v[4] && (t = yw_scalar(w, v[4], "socket", "icmp")) != NULL) {
		for (i = 0; socks[i] && strcmp(socks[i], t) != 0; i++)
			;
		if (socks[i] == NULL)
			yw_error(w, v[4], "'socket' in icmp must be auto, datagram or raw, not '%s'", t);
		else
			c->socket = (enum icmp_socket_conf)i;
	}
	m = yw_mark(w, n);
	cfg_icmp_check(w->b, &m);
}

static void yw_top(struct yw *w, const yaml_node_t *root)
{
	struct cfg_build *b = w->b;
	struct serat_config *c = b->conf;
	yaml_node_t *v[YW_MAX_KEYS], *e;
	const char *t;
	uint64_t ms;
	int lvl;

	if (yw_map(w, root, yw_top_keys, NULL, v) < 0)
		return;
	if (v[YK_DATA_DIR] && yw_str(w, v[YK_DATA_DIR], "data_dir", NULL, &c->data_dir) == 0 &&
	    c->data_dir[0] != '/') {
		/* Relative to the config file, like inventory: seratd (which
		 * runs in "/" once detached), its reloads and `serat status`
		 * must all find the same directory, wherever they start. */
		char *joined = cfg_path_join(b->dir, c->data_dir);
		if (joined == NULL) {
			b->enomem = 1;
		} else {
			free(c->data_dir);
			c->data_dir = joined;
		}
	}
	b->interval_mark = (struct cfg_mark){ w->file, 0, 0, NULL };
	if (v[YK_INTERVAL] && yw_duration(w, v[YK_INTERVAL], "interval", NULL, &ms) == 0) {
		b->interval_mark = yw_mark(w, v[YK_INTERVAL]);
		if (ms < 1000 || ms % 1000 != 0 || ms > 86400000)
			yw_error(w, v[YK_INTERVAL],
				 "'interval' must be whole seconds from 1s to 1d");
		else
			c->interval_ms = (unsigned)ms;
	}
	if (v[YK_TIMEZONE] && yw_str(w, v[YK_TIMEZONE], "timezone", NULL, &c->timezone) == 0 &&
	    !tz_valid(c->timezone))
		yw_error(w, v[YK_TIMEZONE],
			 "unknown timezone '%s' (not in /usr/share/zoneinfo, not a TZ string)",
			 c->timezone);
	else if (v[YK_TIMEZONE] == NULL && !tz_valid(c->timezone))
		cfg_error(b, NULL, "the default timezone %s is not installed "
			  "(install tzdata, or set 'timezone')", c->timezone);
	if (v[YK_HTTP_LISTEN] &&
	    yw_str(w, v[YK_HTTP_LISTEN], "http_listen", NULL, &c->http_listen) == 0) {
		char *host = NULL;
		uint16_t port;
		if (cfg_parse_address(c->http_listen, &host, &port) < 0 || port == 0)
			yw_error(w, v[YK_HTTP_LISTEN],
				 "'http_listen' must be HOST:PORT or [IPv6]:PORT, not '%s'",
				 c->http_listen);
		free(host);     /* only the validation was wanted */
	}
	if (v[YK_LOG_LEVEL] && (t = yw_scalar(w, v[YK_LOG_LEVEL], "log_level", NULL)) != NULL) {
		if ((lvl = log_level_parse(t)) < 0)
			yw_error(w, v[YK_LOG_LEVEL],
				 "'log_level' must be error, warning, info or debug, not '%s'", t);
		else
			c->log_level = lvl;
	}
	if (v[YK_SNMP]) {
		struct cfg_snmp g;
		memset(&g, 0, sizeof(g));
		yw_snmp(w, v[YK_SNMP], "snmp", &g);
		b->have_global_snmp = 1;
		b->global_snmp_bad = g.bad;
		b->global_snmp_mark = g.mark;
		if (cfg_snmp_merge(&c->snmp, &g) < 0)
			b->enomem = 1;
		cfg_snmp_settings_clear(&g.s);
	}
	if (v[YK_POLLER])
		yw_poller(w, v[YK_POLLER]);
	if (v[YK_LANGUAGE] && yw_str(w, v[YK_LANGUAGE], "language", NULL, &c->language) == 0 &&
	    strcmp(c->language, "id") != 0 && strcmp(c->language, "en") != 0)
		yw_error(w, v[YK_LANGUAGE], "'language' must be id or en, not '%s'", c->language);
	if (v[YK_HTTP])
		yw_http(w, v[YK_HTTP]);
	if (v[YK_RRD])
		yw_rrd(w, v[YK_RRD]);
	if (v[YK_PROBE])
		yw_probe(w, v[YK_PROBE]);
	if (v[YK_INVENTORY] && (t = yw_scalar(w, v[YK_INVENTORY], "inventory", NULL)) != NULL) {
		b->inventory_mark = yw_mark(w, v[YK_INVENTORY]);
		if ((c->inventory_csv = cfg_path_join(b->dir, t)) == NULL)
			b->enomem = 1;
	}
	if (v[YK_PROFILES_DIR] &&
	    (t = yw_scalar(w, v[YK_PROFILES_DIR], "profiles_dir", NULL)) != NULL &&
	    (c->profiles_dir = cfg_path_join(b->dir, t)) == NULL)
		b->enomem = 1;
	if (v[YK_SITES] && yw_list(w, v[YK_SITES], "sites") == 0)
		YW_FOREACH(w, v[YK_SITES], e)
			yw_site(w, e);
	if (v[YK_CHANNELS] &&
	    yw_alloc_list(w, v[YK_CHANNELS], "channels", (void **)&c->channels,
			  sizeof(*c->channels), &b->channel_marks) == 0)
		YW_FOREACH(w, v[YK_CHANNELS], e)
			yw_channel(w, e);
	if (v[YK_RULES] &&
	    yw_alloc_list(w, v[YK_RULES], "rules", (void **)&c->rules, sizeof(*c->rules),
			  &b->rule_marks) == 0)
		YW_FOREACH(w, v[YK_RULES], e)
			yw_rule(w, e);
	if (v[YK_MAINTENANCE] &&
	    yw_alloc_list(w, v[YK_MAINTENANCE], "maintenance", (void **)&c->maintenance,
			  sizeof(*c->maintenance), &b->maint_marks) == 0)
		YW_FOREACH(w, v[YK_MAINTENANCE], e)
			yw_maintenance(w, e);
	if (v[YK_SLA])
		yw_sla(w, v[YK_SLA]);
	yw_icmp_section(w, v[YK_ICMP]);
	if (v[YK_EXTERNAL_URL] &&
	    yw_http_url(w, v[YK_EXTERNAL_URL], "external_url", NULL, &c->external_url) == 0) {
		/* Links are built as external_url + "/device/NAME". */
		size_t l = strlen(c->external_url);
		while (l > 0 && c->external_url[l - 1] == '/')
			c->external_url[--l] = '\0';
	}
	if (v[YK_ALERTS])
		yw_alerts(w, v[YK_ALERTS]);
}

/* The 1-based line and column (in characters) of byte OFF of the file. */
static struct cfg_mark yw_offset_mark(const struct yw *w, size_t off)
{
	struct cfg_mark m = { w->file, 1, 1, NULL };

	if (off > w->len)
		off = w->len;
	for (size_t i = 0; i < off; i++) {
		unsigned char c = (unsigned char)w->data[i];
		if (c == '\n') {
			m.line++;
			m.col = 1;
		} else if ((c & 0xC0) != 0x80) {
			m.col++;
		}
	}
	return m;
}

static void yw_syntax_error(struct yw *w, const yaml_parser_t *p)
{
	struct cfg_mark m = { w->file, (unsigned)p->problem_mark.line + 1,
			      (unsigned)p->problem_mark.column + 1, NULL };

	if (p->error == YAML_READER_ERROR) {
		/* Bad encoding: libyaml knows the byte offset, people want
		 * the line and column. */
		size_t off = p->problem_offset < w->len ? p->problem_offset : w->len;
		/* libyaml points at a bad trailing byte; people want the
		 * character it belongs to. */
		if (p->problem && strstr(p->problem, "trailing") != NULL)
			while (off > 0 && ((unsigned char)w->data[off] & 0xC0) != 0xC0)
				off--;
		m = yw_offset_mark(w, off);
		const char *problem = p->problem ? p->problem : "cannot read";
		const char *hint = strstr(problem, "UTF") ? ": the file must be UTF-8" : "";
		if (off < w->len)
			cfg_error(w->b, &m, "%s (byte 0x%02X)%s", problem,
				  (unsigned char)w->data[off], hint);
		else
			cfg_error(w->b, &m, "%s%s", problem, hint);
		return;
	}
	if (p->context != NULL)
		cfg_error(w->b, &m, "syntax error: %s (%s at line %u)", p->problem ? p->problem : "?",
			  p->context, (unsigned)p->context_mark.line + 1);
	else
		cfg_error(w->b, &m, "syntax error: %s", p->problem ? p->problem : "?");
}

/*
 * Refuse nesting deeper than CFG_YAML_MAX_DEPTH before building the tree:
 * one pass over the events, stopping at the first node too deep.  Syntax
 * errors are reported here too (the tree load would find the same).
 */
static int yw_check_depth(struct yw *w)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, r = 0, done = 0;

	if (!yaml_parser_initialize(&p)) {
		w->b->enomem = 1;
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)w->data, w->len);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			yw_syntax_error(w, &p);
			r = -EINVAL;
			break;
		}
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > CFG_YAML_MAX_DEPTH) {
				struct cfg_mark m = { w->file, (unsigned)ev.start_mark.line + 1,
						      (unsigned)ev.start_mark.column + 1, NULL };
				cfg_error(w->b, &m, "nested more than %d levels deep "
					  "(no serat setting needs more than 6)", CFG_YAML_MAX_DEPTH);
				r = -EINVAL;
				done = 1;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return r;
}

int cfg_yaml_load(struct cfg_build *b, const char *path)
{
	yaml_parser_t parser;
	yaml_document_t doc, extra;
	yaml_node_t *root;
	struct yw w = { b, &doc, b->conf->path, NULL, 0 };
	char *data, why[128];
	int r;

	/* Read whole: a FIFO or a device named as the config is refused
	 * instead of blocking, and encoding errors can be located. */
	if ((r = cfg_read_file(path, CFG_MAX_FILE, &data, &w.len, why, sizeof(why))) < 0) {
		cfg_error(b, NULL, "cannot %s: %s", r == -ENOENT || r == -EACCES ? "open" : "read",
			  why);
		return r;
	}
	w.data = data;
	if ((r = yw_check_depth(&w)) < 0) {
		free(data);
		return r;
	}
	if (!yaml_parser_initialize(&parser)) {
		free(data);
		b->enomem = 1;
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, w.len);
	if (!yaml_parser_load(&parser, &doc)) {
		yw_syntax_error(&w, &parser);
		yaml_parser_delete(&parser);
		free(data);
		return -EINVAL;
	}
	root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		cfg_error(b, NULL, "empty configuration");
		r = -EINVAL;
	} else {
		/* A second document would be silently ignored: refuse it instead. */
		if (!yaml_parser_load(&parser, &extra)) {
			yw_syntax_error(&w, &parser);
			r = -EINVAL;
		} else {
			yaml_node_t *x = yaml_document_get_root_node(&extra);
			if (x != NULL) {
				struct cfg_mark m = { w.file, (unsigned)x->start_mark.line + 1,
						      (unsigned)x->start_mark.column + 1, NULL };
				cfg_error(b, &m, "only one YAML document is allowed");
			}
			yaml_document_delete(&extra);
		}
		yw_top(&w, root);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	free(data);
	return r;
}
