/*
 * profile.c — load, check and match device profiles.  See profile.h.
 *
 * Each file is loaded whole into a libyaml document (as serat.yaml is), so
 * every message names FILE:LINE:COL of the key or value at fault.  A
 * profile with any error is not kept: the config as a whole is then
 * invalid, as with any other config error.  Column OIDs are interned per
 * profile, so a column used by several metrics (Cisco's entSensorValue for
 * receive and transmit) is walked once.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "common/config_build.h"
#include "common/config_yaml.h"
#include "common/profile.h"

#ifndef SERAT_PROFILES_DIR
#define SERAT_PROFILES_DIR "/usr/share/serat/profiles"
#endif

#define PF_MAX_KEYS 20

/* One file being read. */
struct pf {
	struct cfg_build *b;
	yaml_document_t *doc;
	const char *file;
	struct profile *p;
	int errors;
};

static const char *const profile_thr_names[PROFILE_THR_COUNT] = {
	"low_alarm", "low_warn", "high_warn", "high_alarm",
};

const char *profile_thr_name(enum profile_thr t)
{
	return (unsigned)t < PROFILE_THR_COUNT ? profile_thr_names[t] : NULL;
}

int profile_oid_parse(const char *text, uint32_t *sub, size_t max, size_t *len)
{
	const char *p = text;
	size_t n = 0;

	if (*p == '.')
		p++;
	while (*p) {
		if (*p < '0' || *p > '9' || n == max)
			return -EINVAL;
		unsigned long long v = 0;
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (unsigned)(*p++ - '0');
			if (v > UINT32_MAX)
				return -EINVAL;
		}
		sub[n++] = (uint32_t)v;
		if (*p == '.') {
			p++;
			if (*p == '\0')
				return -EINVAL;
		} else if (*p != '\0') {
			return -EINVAL;
		}
	}
	/* Two sub-identifiers at least, and a valid first arc. */
	if (n < 2 || sub[0] > 2)
		return -EINVAL;
	*len = n;
	return 0;
}

/* ---- freeing ---------------------------------------------------------- */

static void profile_free(struct profile *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n_metrics; i++) {
		struct profile_metric *m = &p->metrics[i];
		free(m->where_equals);
		free(m->name_match);
		if (m->port_pattern != NULL) {
			regfree(&m->port_re);
			free(m->port_pattern);
		}
	}
	for (size_t i = 0; i < p->n_sysdescrs; i++)
		free(p->sysdescrs[i]);
	free(p->sysdescrs);
	free(p->sysoids);
	free(p->columns);
	free(p->metrics);
	free(p->name);
	free(p->origin);
	free(p);
}

void profile_set_free(struct profile_set *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		profile_free(s->profiles[i]);
	free(s->profiles);
	free(s);
}

const struct profile *profile_set_find(const struct profile_set *s, const char *name)
{
	for (size_t i = 0; s != NULL && i < s->n; i++)
		if (strcmp(s->profiles[i]->name, name) == 0)
			return s->profiles[i];
	return NULL;
}

const struct profile *profile_set_match(const struct profile_set *s, const uint32_t *sysoid,
					size_t sysoid_len, const char *sysdescr)
{
	const struct profile *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; s != NULL && i < s->n; i++) {
		const struct profile *p = s->profiles[i];
		for (size_t k = 0; k < p->n_sysoids; k++) {
			const struct profile_oid *o = &p->sysoids[k];
			if (o->len <= sysoid_len && o->len > best_len &&
			    memcmp(o->sub, sysoid, o->len * sizeof(uint32_t)) == 0) {
				best = p;
				best_len = o->len;
			}
		}
	}
	if (best != NULL || sysdescr == NULL)
		return best;
	for (size_t i = 0; s != NULL && i < s->n; i++)
		for (size_t k = 0; k < s->profiles[i]->n_sysdescrs; k++)
			if (fnmatch(s->profiles[i]->sysdescrs[k], sysdescr, 0) == 0)
				return s->profiles[i];
	return NULL;
}

/* ---- YAML ------------------------------------------------------------- */

static void pf_error(struct pf *f, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void pf_error(struct pf *f, const yaml_node_t *n, const char *fmt, ...)
{
	struct cfg_mark m = { f->file, n ? (unsigned)n->start_mark.line + 1 : 0,
			      n ? (unsigned)n->start_mark.column + 1 : 0, NULL };
	va_list ap;

	va_start(ap, fmt);
	cfg_verror(f->b, &m, fmt, ap);
	va_end(ap);
	f->errors++;
}

/* The text of scalar N, or NULL after an error naming WHAT. */
static const char *pf_text(struct pf *f, const yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.length == 0) {
		pf_error(f, n, "'%s' must be a non-empty scalar", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/* Sort mapping N's values by KEYS into V; unknown or repeated keys are
 * errors.  Returns 0, or -1 when N is not a mapping. */
static int pf_map(struct pf *f, const yaml_node_t *n, const char *const *keys, const char *what,
		  yaml_node_t **v)
{
	size_t nk = 0;
	while (keys[nk])
		v[nk++] = NULL;
	if (n->type != YAML_MAPPING_NODE) {
		pf_error(f, n, "%s must be a mapping", what);
		return -1;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(f->doc, p->key);
		const char *key = k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
		size_t i = 0;
		while (i < nk && strcmp(keys[i], key) != 0)
			i++;
		if (i == nk)
			pf_error(f, k, "unknown key '%s' in %s", key, what);
		else if (v[i] != NULL)
			pf_error(f, k, "'%s' given twice in %s", key, what);
		else
			v[i] = yaml_document_get_node(f->doc, p->value);
	}
	return 0;
}

static int pf_intern(struct pf *f, const struct profile_oid *o);

/* Index of column OID TEXT in the profile (interned), or -1 after an error. */
static int pf_column(struct pf *f, const yaml_node_t *n, const char *what)
{
	struct profile_oid o;
	const char *t = pf_text(f, n, what);

	if (t == NULL)
		return -1;
	if (profile_oid_parse(t, o.sub, PROFILE_OID_MAX, &o.len) < 0) {
		pf_error(f, n, "'%s': '%s' is not a numeric OID (like 1.3.6.1.2.1.2.2.1.2)", what, t);
		return -1;
	}
	return pf_intern(f, &o);
}

/* A column the loader itself needs (a valid OID TEXT), interned. */
static int pf_oid_column(struct pf *f, const yaml_node_t *n, const char *text)
{
	struct profile_oid o;
	if (profile_oid_parse(text, o.sub, PROFILE_OID_MAX, &o.len) < 0) {
		pf_error(f, n, "internal: bad OID %s", text);
		return -1;
	}
	return pf_intern(f, &o);
}

static int pf_intern(struct pf *f, const struct profile_oid *op)
{
	struct profile *p = f->p;
	struct profile_oid o = *op;

	for (size_t i = 0; i < p->n_columns; i++)
		if (p->columns[i].len == o.len &&
		    memcmp(p->columns[i].sub, o.sub, o.len * sizeof(uint32_t)) == 0)
			return (int)i;
	struct profile_oid *c = realloc(p->columns, (p->n_columns + 1) * sizeof(*c));
	if (c == NULL) {
		f->b->enomem = 1;
		return -1;
	}
	p->columns = c;
	c[p->n_columns] = o;
	return (int)p->n_columns++;
}

/* "N | OID": a column (*COL set) or an integer in [LO, HI] (*NUM set). */
static int pf_num_or_column(struct pf *f, const yaml_node_t *n, const char *what, long lo,
			    long hi, long *num, int *col)
{
	const char *t = pf_text(f, n, what);
	if (t == NULL)
		return -1;
	if (strchr(t, '.') != NULL) {
		*col = pf_column(f, n, what);
		return *col < 0 ? -1 : 0;
	}
	char *end;
	long v = strtol(t, &end, 10);
	if (*end != '\0' || v < lo || v > hi) {
		pf_error(f, n, "'%s' must be a number from %ld to %ld or a column OID, not '%s'",
			 what, lo, hi, t);
		return -1;
	}
	*num = v;
	return 0;
}

static char *pf_strdup(struct pf *f, const char *s)
{
	char *d = strdup(s);
	if (d == NULL)
		f->b->enomem = 1;
	return d;
}

/* The profile metrics a profile may name, and which way their light goes. */
static int pf_metric_id(const char *name, enum metric_id *id, enum optics_dir *dir)
{
	const struct metric_def *m = metric_find(name);
	if (m == NULL || (m->rrd_file != METRIC_RRD_OPTICS && m->rrd_file != METRIC_RRD_SENSORS &&
			  m->rrd_file != METRIC_RRD_ONU))
		return -EINVAL;
	*id = m->id;
	*dir = strstr(name, ".rx_") ? OPTICS_DIR_RX : strstr(name, ".tx_") ? OPTICS_DIR_TX
	       : OPTICS_DIR_OTHER;
	return 0;
}

static void pf_thresholds(struct pf *f, const yaml_node_t *n, struct profile_metric *m)
{
	yaml_node_t *v[PROFILE_THR_COUNT + 1];
	static const char *const keys[] = { "low_alarm", "low_warn", "high_warn", "high_alarm",
					    NULL };
	if (pf_map(f, n, keys, "thresholds", v) < 0)
		return;
	for (int i = 0; i < PROFILE_THR_COUNT; i++) {
		if (v[i] == NULL)
			continue;
		const char *t = pf_text(f, v[i], keys[i]);
		if (t == NULL)
			continue;
		/* A level has at most one dot ("-20.5"); an OID has several. */
		const char *dot = strchr(t, '.');
		char *end;
		double d = strtod(t, &end);
		if ((dot == NULL || strchr(dot + 1, '.') == NULL) && *end == '\0' && end != t &&
		    isfinite(d)) {
			m->thr_value[i] = d;
			continue;
		}
		m->thr_col[i] = pf_column(f, v[i], keys[i]);
	}
}

enum {
	MK_METRIC, MK_VALUE, MK_TYPE, MK_UNIT, MK_SCALE, MK_PRECISION, MK_STATUS, MK_WHERE,
	MK_PORT, MK_NAME, MK_NAME_MATCH, MK_PORT_PATTERN, MK_PERCENT_OF, MK_AGGREGATE,
	MK_THRESHOLDS, MK_THRESHOLD_TABLE
};

static void pf_metric(struct pf *f, const yaml_node_t *n)
{
	static const char *const keys[] = {
		"metric", "value", "type", "unit", "scale", "precision", "status", "where", "port",
		"name", "name_match", "port_pattern", "percent_of", "aggregate", "thresholds",
		"threshold_table", NULL
	};
	static const char *const ports[] = { "index", "name", "string", "device", "entity",
					     NULL };
	yaml_node_t *v[PF_MAX_KEYS];
	struct profile *p = f->p;
	const char *t;

	if (pf_map(f, n, keys, "a profile metric", v) < 0)
		return;
	int errors_before = f->errors;
	struct profile_metric *ms = realloc(p->metrics, (p->n_metrics + 1) * sizeof(*ms));
	if (ms == NULL) {
		f->b->enomem = 1;
		return;
	}
	p->metrics = ms;
	struct profile_metric *m = &ms[p->n_metrics++];
	memset(m, 0, sizeof(*m));
	m->value_col = m->scale_col = m->precision_col = m->status_col = -1;
	m->where_col = m->name_col = m->percent_col = -1;
	m->ent_parent_col = m->ent_alias_col = m->ent_name_col = -1;
	m->thr_sev_col = m->thr_rel_col = m->thr_val_col = -1;
	for (int i = 0; i < PROFILE_THR_COUNT; i++) {
		m->thr_col[i] = -1;
		m->thr_value[i] = NAN;
	}
	m->port = PROFILE_PORT_INDEX;

	if (v[MK_METRIC] == NULL)
		pf_error(f, n, "a profile metric needs 'metric'");
	else if ((t = pf_text(f, v[MK_METRIC], "metric")) != NULL &&
		 pf_metric_id(t, &m->metric, &m->dir) < 0)
		pf_error(f, v[MK_METRIC], "'%s' is not a profile metric (see docs/metrics.md: "
			 "if.rx_power_dbm, if.tx_power_dbm, onu.rx_power_dbm, device.cpu_pct ...)", t);
	if (v[MK_VALUE] == NULL)
		pf_error(f, n, "a profile metric needs 'value' (the column OID)");
	else
		m->value_col = pf_column(f, v[MK_VALUE], "value");
	if (v[MK_TYPE] != NULL && (t = pf_text(f, v[MK_TYPE], "type")) != NULL) {
		if (strcmp(t, "counter") == 0)
			pf_error(f, v[MK_TYPE], "type 'counter' is not supported for profile metrics "
				 "yet (optical levels and sensors are gauges)");
		else if (strcmp(t, "gauge") != 0)
			pf_error(f, v[MK_TYPE], "'type' must be gauge or counter, not '%s'", t);
	}
	if (v[MK_UNIT] == NULL)
		pf_error(f, n, "a profile metric needs 'unit' (dBm, 0.01 dBm, uW, W, ...)");
	else if ((t = pf_text(f, v[MK_UNIT], "unit")) != NULL &&
		 optics_unit_parse(t, &m->unit, &m->precision) < 0)
		pf_error(f, v[MK_UNIT], "unknown unit '%s' (dBm, W, mW, uW, celsius or percent, "
			 "optionally after a factor such as 0.01)", t);
	long num;
	if (v[MK_SCALE] != NULL &&
	    pf_num_or_column(f, v[MK_SCALE], "scale", 1, 17, &num, &m->scale_col) == 0 &&
	    m->scale_col < 0)
		optics_entity_scale_exp(num, &m->exp10);
	if (v[MK_PRECISION] != NULL &&
	    pf_num_or_column(f, v[MK_PRECISION], "precision", 0, 9, &num, &m->precision_col) == 0 &&
	    m->precision_col < 0)
		m->precision = (int)num;
	if (v[MK_STATUS] != NULL)
		m->status_col = pf_column(f, v[MK_STATUS], "status");
	if (v[MK_WHERE] != NULL) {
		static const char *const wkeys[] = { "column", "equals", NULL };
		yaml_node_t *w[3];
		if (pf_map(f, v[MK_WHERE], wkeys, "where", w) == 0) {
			if (w[0] == NULL || w[1] == NULL)
				pf_error(f, v[MK_WHERE], "'where' needs 'column' and 'equals'");
			else {
				m->where_col = pf_column(f, w[0], "column");
				if ((t = pf_text(f, w[1], "equals")) != NULL)
					m->where_equals = pf_strdup(f, t);
			}
		}
	}
	if (v[MK_PORT] != NULL && (t = pf_text(f, v[MK_PORT], "port")) != NULL) {
		int i = 0;
		while (ports[i] && strcmp(ports[i], t) != 0)
			i++;
		if (ports[i] == NULL)
			pf_error(f, v[MK_PORT], "'port' must be index, name, string, device or "
				 "entity, not '%s'", t);
		else
			m->port = (enum profile_port)i;
	}
	if (m->port == PROFILE_PORT_ENTITY) {
		/* ENTITY-MIB: entPhysicalContainedIn, entAliasMappingIdentifier,
		 * entPhysicalName; walked once however many metrics use them. */
		m->ent_parent_col = pf_oid_column(f, n, "1.3.6.1.2.1.47.1.1.1.1.4");
		m->ent_alias_col = pf_oid_column(f, n, "1.3.6.1.2.1.47.1.3.2.1.2");
		m->ent_name_col = pf_oid_column(f, n, "1.3.6.1.2.1.47.1.1.1.1.7");
	}
	if (v[MK_NAME] != NULL)
		m->name_col = pf_column(f, v[MK_NAME], "name");
	if (m->port == PROFILE_PORT_NAME && v[MK_NAME] == NULL)
		pf_error(f, n, "'port: name' needs 'name' (the column that names the port)");
	if (v[MK_NAME_MATCH] != NULL && (t = pf_text(f, v[MK_NAME_MATCH], "name_match")) != NULL)
		m->name_match = pf_strdup(f, t);
	if ((v[MK_NAME_MATCH] != NULL || v[MK_PORT_PATTERN] != NULL) && v[MK_NAME] == NULL)
		pf_error(f, n, "'name_match' and 'port_pattern' need 'name'");
	if (v[MK_PORT_PATTERN] != NULL &&
	    (t = pf_text(f, v[MK_PORT_PATTERN], "port_pattern")) != NULL) {
		int r = regcomp(&m->port_re, t, REG_EXTENDED);
		if (r != 0) {
			char why[128];
			regerror(r, &m->port_re, why, sizeof(why));
			pf_error(f, v[MK_PORT_PATTERN], "bad 'port_pattern': %s", why);
		} else if ((m->port_pattern = pf_strdup(f, t)) == NULL) {
			regfree(&m->port_re);
		} else if (m->port_re.re_nsub < 1) {
			pf_error(f, v[MK_PORT_PATTERN], "'port_pattern' needs a group: "
				 "( ) around the port name");
		}
	}
	if (v[MK_PERCENT_OF] != NULL)
		m->percent_col = pf_column(f, v[MK_PERCENT_OF], "percent_of");
	if (v[MK_AGGREGATE] != NULL && (t = pf_text(f, v[MK_AGGREGATE], "aggregate")) != NULL) {
		if (strcmp(t, "avg") == 0)
			m->agg = PROFILE_AGG_AVG;
		else if (strcmp(t, "max") == 0)
			m->agg = PROFILE_AGG_MAX;
		else
			pf_error(f, v[MK_AGGREGATE], "'aggregate' must be avg or max, not '%s'", t);
	}
	if (v[MK_THRESHOLDS] != NULL)
		pf_thresholds(f, v[MK_THRESHOLDS], m);
	if (v[MK_THRESHOLD_TABLE] != NULL) {
		static const char *const tkeys[] = { "severity", "relation", "value", NULL };
		yaml_node_t *tv[4];
		if (pf_map(f, v[MK_THRESHOLD_TABLE], tkeys, "threshold_table", tv) == 0) {
			if (tv[0] == NULL || tv[1] == NULL || tv[2] == NULL)
				pf_error(f, v[MK_THRESHOLD_TABLE],
					 "'threshold_table' needs 'severity', 'relation' and 'value'");
			else {
				m->thr_sev_col = pf_column(f, tv[0], "severity");
				m->thr_rel_col = pf_column(f, tv[1], "relation");
				m->thr_val_col = pf_column(f, tv[2], "value");
			}
		}
	}
	/* The object must fit the metric: a port metric per port, a device
	 * metric per device, an ONU metric per ONU. */
	const struct metric_def *def = metric_get(m->metric);
	if (def != NULL && v[MK_METRIC] != NULL && f->errors == errors_before) {
		int dev = def->object == METRIC_OBJ_DEVICE;
		if (dev != (m->port == PROFILE_PORT_DEVICE))
			pf_error(f, v[MK_PORT] ? v[MK_PORT] : n, "%s needs %s", def->name,
				 dev ? "'port: device'" : "a port or ONU mapping, not 'port: device'");
	}
}

static void pf_match(struct pf *f, const yaml_node_t *n)
{
	static const char *const keys[] = { "sysobjectid", "sysdescr", NULL };
	yaml_node_t *v[3];
	struct profile *p = f->p;

	if (pf_map(f, n, keys, "match", v) < 0)
		return;
	for (int k = 0; k < 2; k++) {
		if (v[k] == NULL)
			continue;
		if (v[k]->type != YAML_SEQUENCE_NODE) {
			pf_error(f, v[k], "'%s' must be a list", keys[k]);
			continue;
		}
		size_t cnt = (size_t)(v[k]->data.sequence.items.top - v[k]->data.sequence.items.start);
		if (k == 0 && (p->sysoids = calloc(cnt + 1, sizeof(*p->sysoids))) == NULL)
			f->b->enomem = 1;
		if (k == 1 && (p->sysdescrs = calloc(cnt + 1, sizeof(*p->sysdescrs))) == NULL)
			f->b->enomem = 1;
		if (f->b->enomem)
			return;
		for (yaml_node_item_t *it = v[k]->data.sequence.items.start;
		     it < v[k]->data.sequence.items.top; it++) {
			yaml_node_t *e = yaml_document_get_node(f->doc, *it);
			const char *t = pf_text(f, e, keys[k]);
			if (t == NULL)
				continue;
			if (k == 1) {
				if ((p->sysdescrs[p->n_sysdescrs] = pf_strdup(f, t)) != NULL)
					p->n_sysdescrs++;
				continue;
			}
			struct profile_oid *o = &p->sysoids[p->n_sysoids];
			if (profile_oid_parse(t, o->sub, PROFILE_OID_MAX, &o->len) < 0)
				pf_error(f, e, "sysobjectid '%s' is not a numeric OID", t);
			else
				p->n_sysoids++;
		}
	}
}

static void pf_top(struct pf *f, const yaml_node_t *root)
{
	static const char *const keys[] = { "name", "vendor", "match", "metrics", NULL };
	yaml_node_t *v[5];
	struct profile *p = f->p;
	const char *t;

	if (pf_map(f, root, keys, "a profile", v) < 0)
		return;
	if (v[0] == NULL)
		pf_error(f, root, "a profile needs 'name'");
	else if ((t = pf_text(f, v[0], "name")) != NULL)
		p->name = pf_strdup(f, t);
	if (v[1] != NULL && (t = pf_text(f, v[1], "vendor")) != NULL &&
	    optics_vendor_parse(t, &p->vendor) < 0)
		pf_error(f, v[1], "unknown vendor '%s' (generic, cisco, arista, huawei, juniper, "
			 "mikrotik, ufiber, zte)", t);
	if (v[2] != NULL)
		pf_match(f, v[2]);
	if (v[3] == NULL || v[3]->type != YAML_SEQUENCE_NODE ||
	    v[3]->data.sequence.items.top == v[3]->data.sequence.items.start) {
		pf_error(f, v[3] ? v[3] : root, "a profile needs 'metrics', a non-empty list");
		return;
	}
	for (yaml_node_item_t *it = v[3]->data.sequence.items.start;
	     it < v[3]->data.sequence.items.top; it++)
		pf_metric(f, yaml_document_get_node(f->doc, *it));
}

/* Add P to the config's set, replacing one of the same name. */
static int pf_keep(struct cfg_build *b, struct profile *p)
{
	struct serat_config *c = b->conf;
	if (c->profiles == NULL && (c->profiles = calloc(1, sizeof(*c->profiles))) == NULL)
		return -ENOMEM;
	struct profile_set *s = c->profiles;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->profiles[i]->name, p->name) == 0) {
			profile_free(s->profiles[i]);
			s->profiles[i] = p;
			return 0;
		}
	struct profile **a = realloc(s->profiles, (s->n + 1) * sizeof(*a));
	if (a == NULL)
		return -ENOMEM;
	s->profiles = a;
	a[s->n++] = p;
	return 0;
}

static void pf_load_file(struct cfg_build *b, const char *path)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	char *data, why[128];
	size_t len;
	int r;

	if ((r = cfg_read_file(path, CFG_MAX_FILE, &data, &len, why, sizeof(why))) < 0) {
		struct cfg_mark m = { path, 0, 0, NULL };
		cfg_error(b, &m, "cannot read profile: %s", why);
		return;
	}
	if (!yaml_parser_initialize(&parser)) {
		free(data);
		b->enomem = 1;
		return;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &doc)) {
		struct cfg_mark m = { path, (unsigned)parser.problem_mark.line + 1,
				      (unsigned)parser.problem_mark.column + 1, NULL };
		cfg_error(b, &m, "syntax error: %s", parser.problem ? parser.problem : "?");
		yaml_parser_delete(&parser);
		free(data);
		return;
	}
	struct profile *p = calloc(1, sizeof(*p));
	struct pf f = { b, &doc, path, p, 0 };
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (p == NULL) {
		b->enomem = 1;
	} else if (root == NULL) {
		struct cfg_mark m = { path, 0, 0, NULL };
		cfg_error(b, &m, "empty profile");
		f.errors++;
	} else {
		pf_top(&f, root);
		p->origin = cfg_origin(b, path, (unsigned)root->start_mark.line + 1);
	}
	if (p != NULL && f.errors == 0 && !b->enomem && p->name != NULL) {
		if (pf_keep(b, p) < 0) {
			b->enomem = 1;
			profile_free(p);
		}
	} else {
		profile_free(p);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	free(data);
}

static int pf_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int profile_load_dir(struct cfg_build *b, const char *dir, int required)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		int err = errno;
		if (required) {
			struct cfg_mark m = { b->conf->path, 0, 0, NULL };
			cfg_error(b, &m, "profiles_dir %s: %s", dir, strerror(err));
		}
		return -err;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (l < 6 || e->d_name[0] == '.' || strcmp(e->d_name + l - 5, ".yaml") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(names, cap * sizeof(*nn));
			if (nn == NULL)
				break;
			names = nn;
		}
		if ((names[n] = cfg_path_join(dir, e->d_name)) != NULL)
			n++;
	}
	closedir(d);
	/* Name order: the same directory loads the same way everywhere. */
	if (n > 0)
		qsort(names, n, sizeof(*names), pf_cmp_names);
	for (size_t i = 0; i < n; i++) {
		pf_load_file(b, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

void profile_config_load(struct cfg_build *b)
{
	struct serat_config *c = b->conf;

	profile_load_dir(b, SERAT_PROFILES_DIR, 0);
	if (c->profiles_dir != NULL)
		profile_load_dir(b, c->profiles_dir, 1);
	for (size_t i = 0; i < c->n_devices; i++) {
		const struct device_conf *d = &c->devices[i];
		if (d->profile != NULL && profile_set_find(c->profiles, d->profile) == NULL) {
			struct cfg_mark m = b->dev_info ? b->dev_info[i].profile
					    : (struct cfg_mark){ c->path, 0, 0, NULL };
			cfg_error(b, &m, "device '%s': unknown profile '%s'", d->name, d->profile);
		}
	}
}
