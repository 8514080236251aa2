/*
 * profile_poll.c — profile walk on a device's session, rows to readings.
 * See profile_poll.h.
 *
 * Mapping rows to objects is a join on the row index: each metric walks
 * its value column's cells and looks up the same index in the other
 * columns it names (scale, precision, status, where, name, thresholds),
 * O(log n) each.  Ports named by ifIndex are found through the model's
 * interfaces, which the interface walk of the same poll just refreshed.
 */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/profile_poll.h"
#include "collector/profile_walk.h"
#include "common/log.h"
#include "common/optics.h"
#include "common/profile.h"

#define PROFILE_POLL_NAME_MAX 256

struct profile_poll {
	const struct serat_config *conf;
	const struct device_conf *dev;
	const struct profile *profile;   /* NULL until resolved, or none */
	int resolved;                    /* the profile question is settled */
	struct profile_walk walk;
	uint64_t told_missing;           /* metrics logged as not implemented */
	int told_profile;
};

struct profile_poll *profile_poll_new(const struct serat_config *conf,
				      const struct device_conf *dev)
{
	struct profile_poll *pp = calloc(1, sizeof(*pp));
	if (pp == NULL)
		return NULL;
	pp->conf = conf;
	pp->dev = dev;
	profile_walk_init(&pp->walk);
	if (dev->profile != NULL) {
		/* config_load checked that it exists. */
		pp->profile = profile_set_find(conf->profiles, dev->profile);
		pp->resolved = 1;
	} else if (conf->profiles == NULL || conf->profiles->n == 0) {
		pp->resolved = 1;
	}
	return pp;
}

void profile_poll_free(struct profile_poll *pp)
{
	if (pp == NULL)
		return;
	profile_walk_cleanup(&pp->walk);
	free(pp);
}

void profile_poll_begin(struct profile_poll *pp)
{
	profile_walk_reset(&pp->walk);
}

/* ---- the extra walk ----------------------------------------------------- */

static int profile_poll_fill(void *ctx, netsnmp_pdu *pdu, unsigned max_varbinds)
{
	struct profile_poll *pp = ctx;
	struct profile_walk *w = &pp->walk;

	for (;;) {
		if (w->phase == PROFILE_WALK_IDLE) {
			if (!pp->resolved)
				profile_walk_begin_ident(w);
			else if (pp->profile != NULL)
				profile_walk_begin(w, pp->profile);
			else
				return 0;
		}
		int n = profile_walk_fill_request(w, pdu, max_varbinds);
		if (n > 0 || w->phase != PROFILE_WALK_IDENT)
			return n;
		/* Identified: choose, then walk the columns in this poll. */
		pp->resolved = 1;
		pp->profile = profile_set_match(pp->conf->profiles, w->sysoid, w->sysoid_len,
						w->sysdescr[0] ? w->sysdescr : NULL);
		if (pp->profile != NULL)
			log_info("%s: using profile %s (%s)", pp->dev->name, pp->profile->name,
				 pp->profile->origin ? pp->profile->origin : "");
		else
			log_debug("%s: no profile matches", pp->dev->name);
		profile_walk_reset(w);
	}
}

static int profile_poll_feed(void *ctx, const netsnmp_pdu *reply)
{
	struct profile_poll *pp = ctx;
	int r = profile_walk_feed(&pp->walk, reply);
	/* After identification, the columns (if any) follow. */
	if (r == 0 && pp->walk.phase == PROFILE_WALK_IDENT)
		return 1;
	return r;
}

static int profile_poll_ended(void *ctx, long errindex)
{
	struct profile_poll *pp = ctx;
	return profile_walk_column_ended(&pp->walk, errindex);
}

void profile_poll_extra(struct profile_poll *pp, struct snmp_extra_walk *x)
{
	x->fill = profile_poll_fill;
	x->feed = profile_poll_feed;
	x->ended = profile_poll_ended;
	x->ctx = pp;
}

/* ---- rows to readings ---------------------------------------------------- */

static const struct profile_cell *profile_poll_cell(const struct profile_walk *w, int col,
						    const struct profile_index *idx)
{
	return col < 0 ? NULL : profile_walk_lookup(w, (size_t)col, idx);
}

/* A cell as text: strings as they are, numbers as integers. */
static const char *profile_poll_cell_text(const struct profile_cell *c, char *buf, size_t len)
{
	if (c->text != NULL)
		return c->text;
	snprintf(buf, len, "%.0f", c->num);
	return buf;
}

/* The interface with IFINDEX in this poll, searched from *CURSOR (rows
 * come in ifIndex order, as the interfaces usually are). */
static const char *profile_poll_ifname(const struct model_device *m, uint32_t ifindex,
				       size_t *cursor)
{
	for (size_t k = 0; k < m->n_ifs; k++) {
		size_t i = (*cursor + k) % m->n_ifs;
		if (m->ifs[i].ifindex == ifindex && m->ifs[i].seen == m->generation) {
			*cursor = i + 1;
			return m->ifs[i].name;
		}
	}
	return NULL;
}

/* The cursors of one metric's pass over its rows. */
struct profile_poll_cursors {
	size_t ifs, readings;
};

/* An interface named NAME, or (Cisco's entity names) named by its first
 * two letters and the rest from the first digit: "GigabitEthernet1/1" is
 * "Gi1/1", "TenGigabitEthernet1/0/1" "Te1/0/1". */
static const char *profile_poll_entity_if(const struct model_device *m, const char *name)
{
	const struct model_if *mi = model_device_find_if(m, name);
	if (mi != NULL)
		return mi->name;
	const char *digit = strpbrk(name, "0123456789");
	char abbrev[PROFILE_POLL_NAME_MAX];
	if (digit == NULL || digit - name < 3 || strchr(digit, ' ') != NULL ||
	    (size_t)snprintf(abbrev, sizeof(abbrev), "%.2s%s", name, digit) >= sizeof(abbrev))
		return NULL;
	mi = model_device_find_if(m, abbrev);
	return mi ? mi->name : NULL;
}

/*
 * ENTITY-MIB: from entity IDX up its entPhysicalContainedIn chain (a
 * sensor sits in a transceiver, in a port) to the first entity with an
 * entAliasMappingIdentifier (ifIndex.N) or named like an interface.
 * NULL when the chain gives no interface.
 */
static const char *profile_poll_entity(const struct profile_metric *pm,
				       const struct profile_walk *w, const struct model_device *m,
				       const struct profile_index *idx, size_t *if_cursor)
{
	static const char ifindex_oid[] = "1.3.6.1.2.1.2.2.1.1.";

	if (idx->len != 1)
		return NULL;
	uint32_t e = idx->sub[0];
	for (int depth = 0; depth < 8 && e != 0; depth++) {
		struct profile_index ai = { { e, 0 }, 2 }, ei = { { e }, 1 };
		const struct profile_cell *c = profile_poll_cell(w, pm->ent_alias_col, &ai);
		if (c != NULL && c->text != NULL &&
		    strncmp(c->text, ifindex_oid, sizeof(ifindex_oid) - 1) == 0) {
			char *end;
			unsigned long n = strtoul(c->text + sizeof(ifindex_oid) - 1, &end, 10);
			const char *ifn = *end == '\0' && n <= UINT32_MAX
					  ? profile_poll_ifname(m, (uint32_t)n, if_cursor) : NULL;
			if (ifn != NULL)
				return ifn;
		}
		c = profile_poll_cell(w, pm->ent_name_col, &ei);
		const char *ifn = c != NULL && c->text != NULL && c->text[0] != '\0'
				  ? profile_poll_entity_if(m, c->text) : NULL;
		if (ifn != NULL)
			return ifn;
		c = profile_poll_cell(w, pm->ent_parent_col, &ei);
		if (c == NULL || !(c->num > 0) || c->num > UINT32_MAX || (uint32_t)c->num == e)
			break;
		e = (uint32_t)c->num;
	}
	return NULL;
}

/* The object a row of metric PM names, into BUF; NULL to skip the row. */
static const char *profile_poll_object(const struct profile_metric *pm,
				       const struct profile_walk *w, const struct model_device *m,
				       const struct profile_index *idx, char *buf, size_t len,
				       size_t *if_cursor)
{
	char num[32];
	const struct profile_cell *nc = profile_poll_cell(w, pm->name_col, idx);
	const char *name = nc ? profile_poll_cell_text(nc, num, sizeof(num)) : NULL;

	if (pm->name_match != NULL && (name == NULL || fnmatch(pm->name_match, name, 0) != 0))
		return NULL;
	switch (pm->port) {
	case PROFILE_PORT_DEVICE:
		return "";
	case PROFILE_PORT_ENTITY: {
		const char *ifn = profile_poll_entity(pm, w, m, idx, if_cursor);
		if (ifn != NULL)
			return ifn;
	}
		/* No interface found: name it as `port: name` would. */
		/* fall through */
	case PROFILE_PORT_NAME: {
		if (name == NULL || name[0] == '\0')
			return NULL;
		regmatch_t g[2];
		if (pm->port_pattern != NULL && regexec(&pm->port_re, name, 2, g, 0) == 0 &&
		    g[1].rm_so >= 0 && g[1].rm_eo > g[1].rm_so) {
			size_t n = (size_t)(g[1].rm_eo - g[1].rm_so);
			if (n >= len)
				n = len - 1;
			memcpy(buf, name + g[1].rm_so, n);
			buf[n] = '\0';
			return buf;
		}
		snprintf(buf, len, "%s", name);
		return buf;
	}
	case PROFILE_PORT_STRING: {
		/* A length-prefixed string index; printable bytes only. */
		size_t n = idx->len > 0 ? idx->sub[0] : 0, k = 0;
		if (n == 0 || n + 1 != idx->len || n >= len)
			return NULL;
		for (size_t i = 0; i < n; i++) {
			uint32_t ch = idx->sub[1 + i];
			if (ch < 0x20 || ch > 0x7e)
				return NULL;
			buf[k++] = (char)ch;
		}
		buf[k] = '\0';
		return buf;
	}
	default: {
		/* ifIndex, then any further parts ("GPON 0/1/0:5"). */
		if (idx->len == 0)
			return NULL;
		const char *ifn = profile_poll_ifname(m, idx->sub[0], if_cursor);
		if (ifn != NULL && idx->len == 1)
			return ifn;     /* the common case: no copy */
		int used = ifn ? snprintf(buf, len, "%s", ifn)
			   : snprintf(buf, len, "ifIndex.%u", (unsigned)idx->sub[0]);
		for (size_t i = 1; i < idx->len && used > 0 && (size_t)used < len; i++)
			used += snprintf(buf + used, len - (size_t)used, "%s%u", i == 1 ? ":" : ".",
					 (unsigned)idx->sub[i]);
		return buf;
	}
	}
}

/* The raw reading of a row: value cell VC plus the row's scale/precision/
 * status columns. */
static void profile_poll_raw(const struct profile *p, const struct profile_metric *pm,
			     const struct profile_walk *w, const struct profile_cell *vc,
			     struct optics_raw *raw)
{
	const struct profile_cell *c;

	memset(raw, 0, sizeof(*raw));
	raw->value = vc->num;
	raw->text = vc->text;
	raw->unit = pm->unit;
	raw->exp10 = pm->exp10;
	raw->precision = pm->precision;
	raw->dir = pm->dir;
	raw->vendor = p->vendor;
	if ((c = profile_poll_cell(w, pm->scale_col, &vc->idx)) != NULL &&
	    optics_entity_scale_exp((long)c->num, &raw->exp10) < 0)
		raw->sensor_status = 3;        /* a scale out of range: no reading */
	if ((c = profile_poll_cell(w, pm->precision_col, &vc->idx)) != NULL) {
		if (c->num >= -9 && c->num <= 9)
			raw->precision = (int)c->num;
		else
			raw->sensor_status = 3;
	}
	if ((c = profile_poll_cell(w, pm->status_col, &vc->idx)) != NULL && isfinite(c->num))
		raw->sensor_status = (int)c->num;
}

/*
 * The device's threshold table for row IDX (CISCO-ENTITY-SENSOR-MIB
 * entSensorThresholdTable: rows IDX.n with a severity, a relation and a
 * value): relation lessThan/lessOrEqual (1, 2) is a low threshold,
 * greaterThan/greaterOrEqual (3, 4) a high one; severity minor (10) a
 * warning, major (20) or critical (30) an alarm, the most severe kept.
 */
static void profile_poll_thr_table(const struct profile_metric *pm,
				   const struct profile_walk *w, const struct optics_raw *row,
				   const struct profile_index *idx, struct model_reading *r)
{
	int best[MODEL_THR_N] = { 0 };
	if (pm->thr_val_col < 0 || (size_t)pm->thr_val_col >= w->n_cols)
		return;
	const struct profile_walk_col *vc = &w->cols[pm->thr_val_col];
	for (size_t i = profile_walk_lower_bound(w, (size_t)pm->thr_val_col, idx); i < vc->n; i++) {
		const struct profile_cell *c = &vc->cells[i];
		if (c->idx.len != idx->len + 1 ||
		    memcmp(c->idx.sub, idx->sub, idx->len * sizeof(uint32_t)) != 0)
			break;
		const struct profile_cell *sev = profile_poll_cell(w, pm->thr_sev_col, &c->idx);
		const struct profile_cell *rel = profile_poll_cell(w, pm->thr_rel_col, &c->idx);
		if (sev == NULL || rel == NULL || !(sev->num >= 10) || !(rel->num >= 1) ||
		    !(rel->num <= 4))
			continue;
		int low = rel->num <= 2, alarm = sev->num >= 20;
		int k = low ? (alarm ? PROFILE_THR_LOW_ALARM : PROFILE_THR_LOW_WARN)
			: (alarm ? PROFILE_THR_HIGH_ALARM : PROFILE_THR_HIGH_WARN);
		struct optics_raw t = *row;
		t.value = c->num;
		t.text = c->text;
		t.sensor_status = 0;
		double v;
		if ((int)sev->num > best[k] && optics_threshold(&t, &v)) {
			best[k] = (int)sev->num;
			r->thr[k] = v;
			r->thr_source[k] = MODEL_THR_DEVICE;
		}
	}
}

/* Thresholds of a row: the config's levels for the device, else the
 * device's published ones, else the profile's. */
static void profile_poll_thresholds(const struct profile_metric *pm, const struct profile_walk *w,
				    const struct optics_raw *row, const struct profile_index *idx,
				    const struct device_conf *dev, struct model_reading *r)
{
	for (int k = 0; k < MODEL_THR_N; k++) {
		r->thr[k] = NAN;
		r->thr_source[k] = MODEL_THR_NONE;
		const struct profile_cell *c = profile_poll_cell(w, pm->thr_col[k], idx);
		if (c != NULL) {
			struct optics_raw t = *row;
			t.value = c->num;
			t.text = c->text;
			t.sensor_status = 0;
			if (optics_threshold(&t, &r->thr[k]))
				r->thr_source[k] = MODEL_THR_DEVICE;
		} else if (isfinite(pm->thr_value[k])) {
			r->thr[k] = pm->thr_value[k];
			r->thr_source[k] = MODEL_THR_PROFILE;
		}
	}
	profile_poll_thr_table(pm, w, row, idx, r);
	if (pm->dir == OPTICS_DIR_OTHER)
		return;
	int dir = pm->dir == OPTICS_DIR_TX;
	for (int k = 0; k < MODEL_THR_N; k++)
		if (dev->optics_thr_set & (1u << (4 * dir + k))) {
			r->thr[k] = dev->optics_thr[dir][k];
			r->thr_source[k] = MODEL_THR_CONFIG;
		}
}

/* Device-wide rows folded into one value. */
struct profile_poll_agg {
	double sum, max;
	unsigned n, none;
};

static void profile_poll_metric(const struct profile *p, const struct profile_metric *pm,
				const struct profile_walk *w, const struct device_conf *dev,
				struct model_device *m)
{
	const struct profile_walk_col *vcol = &w->cols[pm->value_col];
	struct profile_poll_agg agg = { 0, -INFINITY, 0, 0 };
	struct profile_poll_cursors cur = { 0, 0 };
	char buf[PROFILE_POLL_NAME_MAX], num[32];

	for (size_t i = 0; i < vcol->n; i++) {
		const struct profile_cell *vc = &vcol->cells[i];
		if (pm->where_col >= 0) {
			const struct profile_cell *wc = profile_poll_cell(w, pm->where_col, &vc->idx);
			if (wc == NULL ||
			    strcmp(profile_poll_cell_text(wc, num, sizeof(num)), pm->where_equals) != 0)
				continue;
		}
		const char *obj = profile_poll_object(pm, w, m, &vc->idx, buf, sizeof(buf),
						      &cur.ifs);
		if (obj == NULL)
			continue;
		struct optics_raw raw;
		profile_poll_raw(p, pm, w, vc, &raw);
		if (pm->percent_col >= 0) {
			const struct profile_cell *tc = profile_poll_cell(w, pm->percent_col, &vc->idx);
			raw.value = tc != NULL && tc->num > 0 ? 100.0 * vc->num / tc->num : NAN;
			raw.text = NULL;
		}
		double v;
		enum optics_state st = optics_classify(&raw, &v);
		if (pm->port == PROFILE_PORT_DEVICE) {
			if (st == OPTICS_OK) {
				agg.sum += v;
				agg.max = v > agg.max ? v : agg.max;
				agg.n++;
			} else {
				agg.none++;
			}
			continue;
		}
		struct model_reading *r = model_device_reading(m, obj, pm->metric, &cur.readings);
		if (r == NULL)
			continue;
		r->value = v;
		r->state = (int)st;
		r->seen = m->generation;
		profile_poll_thresholds(pm, w, &raw, &vc->idx, dev, r);
	}
	if (pm->port != PROFILE_PORT_DEVICE || agg.n + agg.none == 0)
		return;
	struct model_reading *r = model_device_reading(m, NULL, pm->metric, &cur.readings);
	if (r == NULL)
		return;
	r->seen = m->generation;
	r->state = agg.n > 0 ? OPTICS_OK : OPTICS_NO_READING;
	r->value = agg.n == 0 ? NAN : pm->agg == PROFILE_AGG_MAX ? agg.max : agg.sum / agg.n;
}

/* ---- emitting ------------------------------------------------------------ */

/* The sample-set layout of each kind of object: first metric and count. */
static void profile_poll_layout(enum metric_id id, enum metric_object *obj,
				enum metric_id *first, size_t *n)
{
	const struct metric_def *d = metric_get(id);
	*obj = d->object;
	if (d->rrd_file == METRIC_RRD_OPTICS) {
		*first = METRIC_OPTICS_FIRST;
		*n = METRIC_OPTICS_N;
	} else if (d->rrd_file == METRIC_RRD_ONU) {
		*first = METRIC_ONU_FIRST;
		*n = METRIC_ONU_N;
	} else {
		*first = METRIC_SENSORS_FIRST;
		*n = METRIC_SENSORS_N;
	}
}

/* One sample set per object: the readings of one name and one layout are
 * adjacent once sorted (model_device_sort_readings). */
static void profile_poll_emit(struct model_device *m, struct sinks *sinks, double wall)
{
	enum metric_id ids[8];
	double vals[8];

	for (size_t i = 0; i < m->n_readings;) {
		const struct model_reading *r = &m->readings[i];
		enum metric_object obj;
		enum metric_id first;
		size_t n;
		profile_poll_layout(r->metric, &obj, &first, &n);
		for (size_t k = 0; k < n; k++) {
			ids[k] = (enum metric_id)(first + (int)k);
			vals[k] = NAN;
		}
		size_t j = i;
		while (j < m->n_readings && (size_t)(m->readings[j].metric - first) < n &&
		       ((r->name == NULL && m->readings[j].name == NULL) ||
			(r->name != NULL && m->readings[j].name != NULL &&
			 strcmp(r->name, m->readings[j].name) == 0))) {
			if (m->readings[j].state == OPTICS_OK)
				vals[m->readings[j].metric - first] = m->readings[j].value;
			j++;
		}
		if (j == i)
			j = i + 1;       /* cannot happen; never loop */
		struct sample_set s = {
			.object = obj, .site = m->site->name, .device = m->name, .name = r->name,
			.t = wall, .n = n, .metrics = ids, .values = vals,
		};
		sinks_emit_sample(sinks, &s);
		i = j;
	}
}

void profile_poll_apply(struct profile_poll *pp, struct model_device *m, struct sinks *sinks,
			double wall)
{
	const struct profile *p = pp->profile;
	const struct profile_walk *w = &pp->walk;

	if (p == NULL || w->phase != PROFILE_WALK_COLUMNS) {
		if (m->n_readings > 0 || m->profile != NULL) {
			/* The profile went away (reload): so do its readings. */
			model_device_clear_readings(m);
		}
		return;
	}
	if (m->profile == NULL || strcmp(m->profile, p->name) != 0) {
		free(m->profile);
		m->profile = strdup(p->name);
	}
	m->malformed += w->malformed;
	for (size_t i = 0; i < p->n_metrics; i++) {
		const struct profile_metric *pm = &p->metrics[i];
		if (pm->value_col < 0 || (size_t)pm->value_col >= w->n_cols)
			continue;
		if (w->cols[pm->value_col].n == 0) {
			if (i < 64 && !(pp->told_missing & (1ull << i))) {
				pp->told_missing |= 1ull << i;
				log_info("%s: profile %s: %s: the device has no such table; "
					 "polling the rest", m->name, p->name,
					 metric_get(pm->metric)->name);
			}
			continue;
		}
		profile_poll_metric(p, pm, w, pp->dev, m);
	}
	model_device_sort_readings(m, m->generation);
	profile_poll_emit(m, sinks, wall);
}

void profile_poll_failed(struct profile_poll *pp, struct model_device *m, struct sinks *sinks,
			 double wall)
{
	(void)pp;
	for (size_t i = 0; i < m->n_readings; i++) {
		m->readings[i].state = OPTICS_UNKNOWN;
		m->readings[i].value = NAN;
	}
	profile_poll_emit(m, sinks, wall);
}
