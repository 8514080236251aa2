/*
 * sla_model.c — gather one month's report data.  See sla_model.h.
 *
 * Per device: its state history from the event store for the month (and
 * the state in force at its start), its unknown time from device.rrd, the
 * maintenance windows naming it or its site; then sla_calc turns that into
 * a timeline and figures.  Per site: the devices' timelines combined, and
 * the uplink's traffic.  Memory is the month's events and timelines, never
 * the whole history.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/rrd_layout.h"
#include "graphs/sla_model.h"
#include "graphs/sla_time.h"

static const double sla_default_target[SITE_KIND_COUNT] = {
	[SITE_CORE] = 99.9, [SITE_OPD] = 99.5, [SITE_PUSKESMAS] = 99.0,
	[SITE_NAGARI] = 98.0, [SITE_KECAMATAN] = 99.0, [SITE_OTHER] = 99.0,
};

double sla_target_pct(const struct serat_config *conf, enum site_kind kind)
{
	if ((unsigned)kind >= SITE_KIND_COUNT)
		kind = SITE_OTHER;
	return conf->sla.target_pct[kind] > 0 ? conf->sla.target_pct[kind] : sla_default_target[kind];
}

void sla_model_free(struct sla_model *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n_devs; i++) {
		sla_history_cleanup(&m->devs[i].hist);
		sla_timeline_cleanup(&m->devs[i].tl);
		free(m->devs[i].maint);
	}
	free(m->devs);
	for (size_t i = 0; i < m->n_sites; i++) {
		sla_timeline_cleanup(&m->sites[i].tl);
		free(m->sites[i].devs);
	}
	free(m->sites);
	for (int k = 0; k < SITE_KIND_COUNT; k++)
		free(m->hours[k]);
	sla_maint_free(m->maint, m->n_maint);
	free(m);
}

/* Does config window MW name DEV or its site? */
static int sla_conf_window_applies(const struct serat_config *c,
				   const struct maintenance_conf *mw, const struct device_conf *dev)
{
	size_t di = (size_t)(dev - c->devices);

	for (size_t t = 0; t < mw->n_targets; t++)
		if ((mw->targets[t].kind == MAINT_TARGET_DEVICE && mw->targets[t].index == di) ||
		    (mw->targets[t].kind == MAINT_TARGET_SITE && mw->targets[t].index == dev->site))
			return 1;
	return 0;
}

/* The windows that apply to DEV (naming it or its site), merged: those
 * of the event store (`serat maint add`) and those of the config, which
 * seratd does not copy into the store (docs/events.md). */
static int sla_dev_maint(struct sla_model *m, struct sla_dev *d)
{
	const struct serat_config *c = m->conf;
	const char *site = c->sites[d->conf->site].name;
	size_t cap = m->n_maint + c->n_maintenance;

	d->maint = malloc((cap ? cap : 1) * sizeof(*d->maint));
	if (d->maint == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < m->n_maint; i++)
		if (strcmp(m->maint[i].target, d->conf->name) == 0 ||
		    strcmp(m->maint[i].target, site) == 0)
			d->maint[d->n_maint++] = m->maint[i].span;
	for (size_t i = 0; i < c->n_maintenance; i++)
		if (sla_conf_window_applies(c, &c->maintenance[i], d->conf))
			d->maint[d->n_maint++] = (struct sla_span){ (int64_t)c->maintenance[i].start,
								    (int64_t)c->maintenance[i].end };
	d->n_maint = sla_spans_normalise(d->maint, d->n_maint);
	return 0;
}

static int sla_dev_build(struct sla_model *m, struct sla_source *src, const struct sla_model_opts *o,
			 struct sla_dev *d)
{
	const struct serat_config *c = m->conf;
	unsigned long step = c->interval_ms >= 1000 ? c->interval_ms / 1000 : 1;
	struct sla_span span = m->span, *gaps = NULL;
	char rrd[4200];
	struct sla_device_input in;
	const struct sla_span *hours;
	size_t n_hours;
	long n;
	int r;

	if (o->now > 0 && o->now < span.end)
		span.end = o->now > span.start ? o->now : span.start;
	if ((r = sla_source_history(src, d->conf->name, m->span, &d->hist)) < 0)
		return r;
	if ((r = rrd_layout_path(c->data_dir, METRIC_RRD_DEVICE, d->conf->name, NULL, rrd,
				 sizeof(rrd))) < 0)
		return r;
	n = sla_rrd_unknown(rrd, span, step, &gaps);
	if (n == -ENOENT) {
		/* Never polled: nothing is known about it. */
		r = sla_history_add(&d->hist, span.start, span.end, SLA_UNKNOWN, NULL, NULL);
	} else if (n < 0) {
		r = (int)n;
	} else {
		r = 0;
		for (long i = 0; r == 0 && i < n; i++)
			r = sla_history_add(&d->hist, gaps[i].start, gaps[i].end, SLA_UNKNOWN, NULL,
					    NULL);
	}
	free(gaps);
	if (r < 0 || (r = sla_dev_maint(m, d)) < 0)
		return r;
	in = (struct sla_device_input){ d->conf->name, m->span,
					d->hist.first > m->span.start ? d->hist.first : 0, o->now,
					d->hist.iv, d->hist.n_iv, d->maint, d->n_maint };
	if ((r = sla_timeline_build(&d->tl, &in)) < 0)
		return r;
	sla_figures_compute(&d->all, &d->tl, NULL, 0);
	hours = m->hours[c->sites[d->conf->site].kind];
	n_hours = m->n_hours[c->sites[d->conf->site].kind];
	sla_figures_compute(&d->svc, &d->tl, hours, n_hours);
	return 0;
}

/* Which device and interface carry SITE's traffic, then read it. */
static void sla_site_uplink(struct sla_model *m, struct sla_site *s)
{
	const struct serat_config *c = m->conf;
	const struct device_conf *dev = s->n_devs ? m->devs[s->devs[0]].conf : NULL;
	const char *ifname = NULL;
	unsigned long step = c->interval_ms >= 1000 ? c->interval_ms / 1000 : 1;

	for (size_t i = 0; i < c->sla.n_uplinks; i++) {
		const struct sla_uplink_conf *u = &c->sla.uplinks[i];
		if (strcmp(u->target, s->conf->name) == 0 && dev) {
			ifname = u->ifname;
			break;
		}
		for (size_t j = 0; j < s->n_devs; j++)
			if (strcmp(u->target, m->devs[s->devs[j]].conf->name) == 0) {
				dev = m->devs[s->devs[j]].conf;
				ifname = u->ifname;
			}
	}
	if (dev == NULL)
		return;
	if (sla_rrd_traffic(c->data_dir, dev->name, ifname, s->tl.period.end > s->tl.period.start ? s->tl.period : m->span,
			    step, &s->traffic) == 0)
		s->uplink_device = dev->name;
}

static int sla_site_build(struct sla_model *m, struct sla_site *s)
{
	const struct sla_timeline **tls;
	enum site_kind kind = s->conf->kind;
	int r;

	tls = malloc((s->n_devs ? s->n_devs : 1) * sizeof(*tls));
	if (tls == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_devs; i++)
		tls[i] = &m->devs[s->devs[i]].tl;
	r = sla_timeline_combine(&s->tl, tls, s->n_devs);
	free(tls);
	if (r < 0)
		return r;
	sla_figures_compute(&s->all, &s->tl, NULL, 0);
	s->has_hours = m->conf->sla.hours[kind].days != 0;
	sla_figures_compute(&s->svc, &s->tl, m->hours[kind], m->n_hours[kind]);
	s->target_pct = sla_target_pct(m->conf, kind);
	sla_site_uplink(m, s);
	return 0;
}

/* Sites (filtered) and their devices, in config order. */
static int sla_model_layout(struct sla_model *m, const char *only, char *err, size_t errlen)
{
	const struct serat_config *c = m->conf;

	m->sites = calloc(c->n_sites ? c->n_sites : 1, sizeof(*m->sites));
	m->devs = calloc(c->n_devices ? c->n_devices : 1, sizeof(*m->devs));
	if (m->sites == NULL || m->devs == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_sites; i++) {
		struct sla_site *s;
		if (only && strcmp(only, c->sites[i].name) != 0)
			continue;
		s = &m->sites[m->n_sites++];
		s->conf = &c->sites[i];
		if ((s->devs = calloc(c->n_devices ? c->n_devices : 1, sizeof(*s->devs))) == NULL)
			return -ENOMEM;
		for (size_t j = 0; j < c->n_devices; j++)
			if (c->devices[j].site == i) {
				m->devs[m->n_devs].conf = &c->devices[j];
				s->devs[s->n_devs++] = m->n_devs++;
			}
	}
	if (only && m->n_sites == 0) {
		snprintf(err, errlen, "no site named '%s' in %s", only, c->path);
		return -ENOENT;
	}
	return 0;
}

int sla_model_build(struct sla_model **out, const struct sla_model_opts *o, char *err,
		    size_t errlen)
{
	const struct serat_config *c = o->conf;
	struct sla_model *m = calloc(1, sizeof(*m));
	struct sla_source *src = NULL;
	char path[4096];
	long n;
	int r = -ENOMEM;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	if (m == NULL)
		goto fail;
	m->conf = c;
	m->generated_at = o->generated_at;
	snprintf(m->month, sizeof(m->month), "%04d-%02d", o->year, o->month);
	if ((r = sla_tz_use(c->timezone)) < 0 ||
	    (r = sla_month_span(o->year, o->month, &m->span)) < 0) {
		snprintf(err, errlen, "cannot place %s in the zone %s", m->month, c->timezone);
		goto fail;
	}
	if ((r = sla_model_layout(m, o->site, err, errlen)) < 0)
		goto fail;
	for (int k = 0; k < SITE_KIND_COUNT; k++) {
		const struct sla_hours_conf *h = &c->sla.hours[k];
		if (h->days == 0)
			continue;
		if ((n = sla_hours_spans(m->span, h->days, h->start_min, h->end_min, &m->hours[k])) < 0) {
			r = (int)n;
			goto fail;
		}
		m->n_hours[k] = (size_t)n;
	}
	if (o->events_path == NULL)
		snprintf(path, sizeof(path), "%s/events.db", c->data_dir);
	src = sla_source_open(o->events_path ? o->events_path : path, err, errlen);
	if (src == NULL) {
		r = -EIO;
		goto fail;
	}
	if ((n = sla_source_maintenance(src, m->span, &m->maint)) < 0) {
		r = (int)n;
		snprintf(err, errlen, "cannot read the maintenance windows");
		goto fail;
	}
	m->n_maint = (size_t)n;
	for (size_t i = 0; i < m->n_devs; i++)
		if ((r = sla_dev_build(m, src, o, &m->devs[i])) < 0) {
			snprintf(err, errlen, "device %s: %s", m->devs[i].conf->name, strerror(-r));
			goto fail;
		}
	for (size_t i = 0; i < m->n_sites; i++)
		if ((r = sla_site_build(m, &m->sites[i])) < 0) {
			snprintf(err, errlen, "site %s: %s", m->sites[i].conf->name, strerror(-r));
			goto fail;
		}
	sla_source_free(src);
	*out = m;
	return 0;
fail:
	if (r == -ENOMEM && err[0] == '\0')
		snprintf(err, errlen, "out of memory");
	sla_source_free(src);
	sla_model_free(m);
	return r;
}
