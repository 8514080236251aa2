/*
 * sla_model.h — one month's SLA report as data: every site and device of
 * the config with its timeline and figures, built from the event store
 * (sla_source), the RRD files (sla_rrd) and the config's `sla:` section.
 * The renderers (sla_report.h) only read it.
 *
 * Sites: a site is as available as its worst device at each moment
 * (sla_timeline_combine): down when any of its devices is down, unknown
 * when none is down but one has no data.  Maintenance windows — from the
 * event store and from the config — apply to the device or site they name
 * (a site's window covers all its devices).
 * Service hours come from the site's kind.  The uplink is the interface
 * named in sla.uplinks for the site or one of its devices, else the busiest
 * interface of the site's first device.
 *
 * Building sets the process's zone (TZ) to the config's timezone.
 */
#ifndef SERAT_SLA_MODEL_H
#define SERAT_SLA_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "graphs/sla_calc.h"
#include "graphs/sla_rrd.h"
#include "graphs/sla_source.h"

struct sla_model_opts {
	const struct serat_config *conf;   /* borrowed; must outlive the model */
	const char *events_path;           /* NULL = <data_dir>/events.db */
	int year, month;
	const char *site;                  /* NULL = every site */
	int64_t now;                       /* the current month ends here */
	int64_t generated_at;
};

struct sla_dev {
	const struct device_conf *conf;
	struct sla_history hist;
	struct sla_span *maint;
	size_t n_maint;
	struct sla_timeline tl;
	struct sla_figures all;            /* 24/7 */
	struct sla_figures svc;            /* within service hours (when the kind has them) */
};

struct sla_site {
	const struct site_conf *conf;
	size_t *devs;                      /* indexes into sla_model.devs */
	size_t n_devs;
	struct sla_timeline tl;
	struct sla_figures all, svc;
	int has_hours;
	double target_pct;
	const char *uplink_device;         /* NULL when no traffic could be read */
	struct sla_traffic traffic;
};

struct sla_model {
	const struct serat_config *conf;
	char month[8];                     /* "YYYY-MM" */
	struct sla_span span;              /* the month in the zone */
	int64_t generated_at;
	struct sla_dev *devs;
	size_t n_devs;
	struct sla_site *sites;
	size_t n_sites;
	struct sla_span *hours[SITE_KIND_COUNT];
	size_t n_hours[SITE_KIND_COUNT];
	struct sla_maint *maint;
	size_t n_maint;
};

/* The default SLA target of a kind (opd 99.5, puskesmas 99, nagari 98,
 * kecamatan 99, core 99.9, other 99), or the configured one. */
double sla_target_pct(const struct serat_config *conf, enum site_kind kind);

/* Build. 0 with *OUT set (free with sla_model_free), or a negative errno
 * with the reason in ERR (unknown site, no event store, ...). */
int sla_model_build(struct sla_model **out, const struct sla_model_opts *o, char *err,
		    size_t errlen);
void sla_model_free(struct sla_model *m);   /* NULL-safe */

#endif
