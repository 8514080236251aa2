/*
 * model.h — seratd's live picture of the network.
 *
 * One model per seratd, for its whole life: sites, devices (with parent and
 * children) and interfaces keyed by name, each with its current state and
 * the collector's history (previous counters and times).  The collector
 * writes it; status.json, the HTTP API, the alert engine and the dashboard
 * read it, all on the event loop thread (a reader in another thread takes a
 * snapshot on the loop).
 *
 * A reload reconciles the model with the new config BY NAME
 * (model_reconcile): devices and interfaces that remain keep their state and
 * history, removed ones are dropped, new ones start empty.  So the first
 * poll after a SIGHUP that changed nothing about a device yields rates, not
 * a gap, and an open alert is not forgotten.
 *
 * The model points into the config it was last reconciled with
 * (model_device.conf, model_site.conf): the caller keeps that config alive
 * until the next model_reconcile or model_free.
 */
#ifndef SERAT_MODEL_H
#define SERAT_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "common/log.h"
#include "common/metric.h"

/* The eight counters an interface has, in the order of the first eight
 * interface metrics (METRIC_IF_IN_BPS ...). */
#define IF_COUNTERS 8

enum dev_reach { DEV_UNKNOWN = -1, DEV_DOWN = 0, DEV_UP = 1 };

/* "up", "down", "unknown". */
const char *dev_reach_name(enum dev_reach r);

/* The collector's memory of an interface's previous sample. */
struct if_history {
	uint8_t prev_valid;            /* bit per counter */
	uint8_t prev_have_ticks;
	uint32_t prev_ticks;
	uint32_t prev_disc;            /* ifCounterDiscontinuityTime */
	double prev_local;             /* monotonic time of the previous sample */
	uint64_t prev[IF_COUNTERS];
};

struct model_if {
	char *name;                    /* identity (ifName, else ifDescr) */
	char *alias;
	uint32_t ifindex;              /* as of the last poll; may renumber */
	unsigned seen;                 /* generation of the last poll that had it */
	int8_t oper, admin;            /* IF-MIB values; 0 = unknown */
	double speed_bps;
	struct if_history hist;
	float last[METRIC_IF_N];       /* last values, NAN = unknown */
};

/*
 * A reading from the device's profile (collector/profile_poll.h): the
 * optical power of a port or an ONU, or a sensor of the device, kept per
 * (name, metric) in model_device.readings, sorted by name then metric.
 * A port is named as the profile names it (usually its ifName; MikroTik's
 * sfp1 has no ifTable row, so it is not always an interface of the model).
 */
enum model_thr_source { MODEL_THR_NONE, MODEL_THR_DEVICE, MODEL_THR_PROFILE,
			MODEL_THR_CONFIG };

/* "none", "device", "profile", "config". */
const char *model_thr_source_name(enum model_thr_source s);

#define MODEL_THR_N 4                  /* low_alarm, low_warn, high_warn, high_alarm */

struct model_reading {
	char *name;                    /* port or ONU; NULL for the device */
	enum metric_id metric;
	double value;                  /* NAN unless state is OPTICS_OK */
	int state;                     /* enum optics_state (common/optics.h) */
	double thr[MODEL_THR_N];       /* NAN = none */
	enum model_thr_source thr_source[MODEL_THR_N];
	unsigned seen;                 /* generation of the last poll that had it */
};

struct model_site;

struct model_device {
	char *name;
	const struct device_conf *conf;    /* in the config last reconciled */
	struct model_site *site;
	struct model_device *parent;       /* NULL for a root */
	struct model_device **children;
	size_t n_children;

	/* current state */
	enum dev_reach reach;
	double since;                  /* wall time of the last state change */
	double down_since;             /* wall time of the first failed poll of
	                                  the current failure streak, else 0 */
	double last_poll;              /* wall time of the last completed poll */
	double rtt_s;                  /* NAN unless up */
	char *error;                   /* last failure text, or NULL */
	uint32_t uptime_ticks;
	int have_uptime;
	unsigned polls, overruns, malformed;  /* since seratd started */
	struct log_complain complain;  /* back-off for this device's warnings */

	/* collector history (survives reloads) */
	double prev_uptime_local;      /* monotonic time uptime_ticks was read */
	double last_start;             /* monotonic time the last poll started */
	unsigned generation;

	struct model_if *ifs;
	size_t n_ifs, cap_ifs;

	/* profile readings (see struct model_reading); survive reloads */
	char *profile;                 /* the profile in use, or NULL */
	struct model_reading *readings;
	size_t n_readings, cap_readings;
};

struct model_site {
	char *name;
	const struct site_conf *conf;
	struct model_device **devices;
	size_t n_devices;
	/* The passive probe's last interval for this site (collector/probe_link.c);
	 * probe_t 0 = none yet.  Reset by a reload. */
	double probe_t;
	float probe_last[METRIC_SITE_N];
};

struct model {
	struct model_site *sites;      /* config order */
	size_t n_sites;
	struct model_device **devices; /* config order; pointers stay valid
	                                  across reloads for devices that remain */
	size_t n_devices;
	struct model_device **by_name; /* the same, sorted by name (lookups) */
};

/* An empty model.  NULL on ENOMEM.  Caller frees with model_free. */
struct model *model_new(void);

/* NULL-safe. */
void model_free(struct model *m);

/*
 * Make M describe CONF (borrowed, see above): keep the state of devices and
 * interfaces whose names remain, drop the others, add new ones empty, and
 * rebuild sites and parent/children links.  Returns 0, or -ENOMEM (M is
 * then unchanged).  Linear in the number of devices (plus a sort).
 */
int model_reconcile(struct model *m, const struct serat_config *conf);

/* Device by name; NULL when absent.  O(log n): the alert engine asks
 * for every optics sample set, so it must not scan. */
struct model_device *model_find_device(const struct model *m, const char *name);

/*
 * The interface NAME of D, created empty when absent (NULL on ENOMEM).
 * *CURSOR speeds up the common case of rows arriving in the order of the
 * previous poll; start it at 0 for each poll.
 */
struct model_if *model_device_if(struct model_device *d, const char *name, size_t *cursor);

/* Interface by name, or NULL.  Never creates. */
struct model_if *model_device_find_if(const struct model_device *d, const char *name);

/*
 * Drop interfaces whose `seen` is not D's generation.  GONE, when not
 * NULL, is called for each before it is freed.
 */
void model_device_prune_ifs(struct model_device *d,
			    void (*gone)(void *arg, struct model_device *d, struct model_if *i),
			    void *arg);

/*
 * The reading (NAME, METRIC) of D (NAME NULL = the device itself), created
 * with unknown values when absent; NULL on ENOMEM.  *CURSOR (start it at 0
 * for each poll) makes readings that come in the order of the previous
 * poll O(1).  Creating one breaks the sort order until
 * model_device_sort_readings.
 */
struct model_reading *model_device_reading(struct model_device *d, const char *name,
					   enum metric_id metric, size_t *cursor);
/* Drop readings whose `seen` is not SEEN, and sort the rest. */
void model_device_sort_readings(struct model_device *d, unsigned seen);
/* Free all readings and the profile name (model.c calls it on free). */
void model_device_clear_readings(struct model_device *d);

/* Forget every interface's previous sample (the next one is a gap). */
void model_device_forget_history(struct model_device *d);

#endif
