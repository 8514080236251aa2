/*
 * alert_int.h — the alert engine's internals, shared by its files:
 * alert_engine.c (sink, objects, state machine, dependencies),
 * alert_rules.c (built-in and config rules on sample sets),
 * alert_group.c (grouping window, rendering, submission, results),
 * alert_maint.c (maintenance windows), alert_optics.c (optical rules).  Not for other modules.
 */
#ifndef SERAT_ALERT_INT_H
#define SERAT_ALERT_INT_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "collector/alert_format.h"
#include "collector/bg_worker.h"
#include "collector/events_db.h"
#include "collector/model.h"
#include "collector/notify.h"
#include "collector/sink.h"
#include "common/config.h"
#include "common/metric.h"

struct sla_monthly;

#define AE_FLAP_RING 16

enum ae_state { AE_OK, AE_PENDING, AE_FIRING };

/* Why a firing object was not announced. */
enum ae_quiet {
	AE_LOUD,              /* announced (or about to be) */
	AE_BEHIND,            /* a device above it is failing */
	AE_MAINT,             /* in a maintenance window */
	AE_FLAPPING,          /* flapping: one message said so */
	AE_CORE,              /* covered by the CoreUnreachable message */
};

/* A rule, built-in or from the config, resolved for evaluation. */
struct ae_rule {
	const char *name;             /* alertname: "DeviceDown", rule name */
	const char *severity;
	enum metric_id metric;
	int op;                       /* index into "<", "<=", ">", ">=", "==", "!=" */
	double threshold;
	unsigned for_s;               /* 0: counted in samples (need_bad) */
	unsigned need_bad, need_good;
	char **channels;              /* NULL = every channel (borrowed from conf) */
	size_t n_channels;
	int iface_admin_up;           /* InterfaceDown: only while admin up */
	int optics;                   /* enum ae_optics_rule: alert_optics.c judges */
};

enum ae_optics_rule { AE_OPTICS_NONE, AE_OPTICS_FLOOR, AE_OPTICS_DRIFT };

struct ae_drift_hist;

struct ae_obj {
	struct ae_obj *hnext;         /* hash chain */
	char *alertname, *device, *ifname;   /* identity; ifname may be NULL */
	char *site, *kind, *severity;
	enum ae_state state;
	enum ae_quiet quiet;
	char *cause;                  /* root-cause device when behind another */
	unsigned bad, good;
	double first_bad;             /* wall time of the first bad sample */
	double fired_at;              /* wall time it was confirmed */
	double last_notify;
	char *detail;
	char *incident;               /* open incident id, or NULL */
	char *notified;               /* comma-separated channels told it fired */
	double flaps[AE_FLAP_RING];   /* times of confirmed changes */
	unsigned n_flaps;
	int flapping;
	int queued;                   /* an event for it waits in the group */
	int recheck;                  /* what hid it is gone: decide at its next bad sample */
	int is_device;                /* DeviceDown: dependencies apply */
	int watched;                  /* DeviceDown: seen polled by this process */
	const struct ae_rule *rule;   /* NULL after a reload until seen again */
};

/* One change waiting for the grouping window.  Strings are its own (the
 * object may change before the window closes); device, site, kind and
 * ifname point into the object, which outlives it. */
struct ae_event {
	struct ae_event *next;
	struct ae_obj *obj;           /* NULL for CoreUnreachable */
	struct alert_item item;
	char *alertname, *cause, *detail, *device;
	char *told;                   /* resolved: only these channels (comma list) */
	int after_firing;             /* resolved while its firing is still queued */
};

struct ae_maint_win {
	char *target;
	double start, end;
	int64_t id;                   /* store id; 0 for the config's */
	char *reason;                 /* store windows only; may be NULL */
};

/* An ended incident kept for the dashboard: its strings in one block. */
struct ae_hist {
	struct ev_incident inc;
	char *block;
};

struct alert_engine {
	struct event_base *base;
	struct model *model;
	const struct serat_config *conf;
	struct bg_worker *worker;
	struct events_db *db;
	struct notify *notify;
	struct sla_monthly *monthly;  /* last month's report, on the 1st */
	char *data_dir;

	struct ae_rule *rules;
	size_t n_rules;
	int builtins;                 /* the no-`rules:` built-ins are on */

	struct ae_obj **tab;          /* hash table of objects */
	size_t tab_size, n_objs;

	struct ae_event *events, **events_tail;
	struct event *ev_flush;
	struct event *ev_tick;
	unsigned ticks;

	struct ae_maint_win *maint;   /* config + store, refreshed */
	size_t n_maint;
	int maint_refreshing;

	/* The last ALERT_VIEW_HISTORY ended incidents (alert_view.c): a
	 * ring, hist_head the next slot to write. */
	struct ae_hist *hist;
	size_t hist_head, hist_n;

	/* Final fates of notifications, for /metrics. */
	uint64_t n_delivered, n_dropped, n_expired;

	/* CoreUnreachable: every root device down */
	int core_down;
	double core_since;
	char *core_incident;
	char *core_notified;
	char *core_names;

	/* OpticalDrift: receive power history per port (alert_optics.c),
	 * a hash table allocated at the first optical sample */
	struct ae_drift_hist **drift;
};

/* alert_engine.c */
double ae_now(void);
size_t ae_key_hash(const char *a, const char *d, const char *i);
struct ae_obj *ae_obj_get(struct alert_engine *e, const char *alertname, const char *device,
			  const char *ifname, int create);
void ae_obj_bad(struct alert_engine *e, struct ae_obj *o, const struct ae_rule *r, double t,
		const char *detail);
/* sla_monthly's post callback: the summary TEXT of MONTH's report, as
 * one message to every channel with `report: true` (through the spool). */
void ae_post_report(void *arg, const char *month, const char *text);
/* Record in the event store that this process began watching device
 * object O, found up at T (the SLA report's known time starts there). */
void ae_record_watched(struct alert_engine *e, const struct ae_obj *o, double t);
void ae_obj_good(struct alert_engine *e, struct ae_obj *o, double t);
int ae_in_maint(const struct alert_engine *e, const struct model_device *d, double now);
void ae_record_incident(struct alert_engine *e, const struct ae_obj *o, double end);

/* alert_rules.c */
int ae_rules_build(struct alert_engine *e, const struct serat_config *conf);
void ae_rules_free(struct alert_engine *e);
void ae_rules_sample(struct alert_engine *e, const struct sample_set *s);
const struct ae_rule *ae_rule_find(const struct alert_engine *e, const char *name);
/* The object of RULE for S's object is BAD (DETAIL says why) or good. */
void ae_rule_apply(struct alert_engine *e, const struct ae_rule *rule,
		   const struct sample_set *s, int bad, const char *detail);

/* alert_optics.c */
void ae_optics_sample(struct alert_engine *e, const struct ae_rule *rule,
		      const struct sample_set *s);
/* Free the history of devices the model no longer has (ALL: everything). */
void ae_optics_forget(struct alert_engine *e, int all);

/* alert_group.c */
void ae_event_add(struct alert_engine *e, struct ae_obj *o, enum alert_status st);
void ae_event_core(struct alert_engine *e, enum alert_status st);
void ae_flush(struct alert_engine *e);
void ae_on_notify_result(void *arg, const struct notify_result *r);
int ae_told_has(const char *list, const char *channel);
char *ae_told_add(char *list, const char *channel);

/* alert_view.c */
void ae_hist_add(struct alert_engine *e, const struct ev_incident *i);
/* Seed the ring from the store (start-up, before the loop). */
void ae_hist_load(struct alert_engine *e);
void ae_hist_free(struct alert_engine *e);

/* alert_maint.c */
void ae_maint_refresh(struct alert_engine *e);
void ae_maint_free(struct alert_engine *e);

#endif
