/*
 * alert_engine.c — the alert engine as a sink: alert objects, their state
 * machine, dependencies and the restart (see alert_engine.h).
 *
 * Objects are created only when something is bad (a healthy interface
 * costs a hash lookup per rule per poll, no memory) and kept in one hash
 * table keyed by (alertname, device, ifname).  All of this runs on the
 * loop; everything that touches the disk is posted to the worker.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/alert_engine.h"
#include "collector/alert_view.h"
#include "collector/sla_monthly.h"
#include "collector/alert_int.h"
#include "collector/spool.h"
#include "common/log.h"

double ae_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void ae_setstr(char **dst, const char *src)
{
	char *d = src ? strdup(src) : NULL;
	free(*dst);
	*dst = d;
}

/* ---- objects ----------------------------------------------------------- */

size_t ae_key_hash(const char *a, const char *d, const char *i)
{
	size_t h = 1469598103934665603ULL;
	const char *parts[3] = { a, d, i };

	for (int k = 0; k < 3; k++) {
		for (const char *p = parts[k] ? parts[k] : ""; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	return h;
}

static int ae_streq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int ae_tab_grow(struct alert_engine *e)
{
	size_t ns = e->tab_size ? e->tab_size * 2 : 256;
	struct ae_obj **nt = calloc(ns, sizeof(*nt));

	if (nt == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < e->tab_size; i++)
		for (struct ae_obj *o = e->tab[i], *next; o; o = next) {
			size_t h = ae_key_hash(o->alertname, o->device, o->ifname) & (ns - 1);
			next = o->hnext;
			o->hnext = nt[h];
			nt[h] = o;
		}
	free(e->tab);
	e->tab = nt;
	e->tab_size = ns;
	return 0;
}

struct ae_obj *ae_obj_get(struct alert_engine *e, const char *alertname, const char *device,
			  const char *ifname, int create)
{
	struct ae_obj *o;
	size_t h;

	if (e->tab_size) {
		h = ae_key_hash(alertname, device, ifname) & (e->tab_size - 1);
		for (o = e->tab[h]; o; o = o->hnext)
			if (strcmp(o->alertname, alertname) == 0 && ae_streq(o->device, device) &&
			    ae_streq(o->ifname, ifname))
				return o;
	}
	if (!create)
		return NULL;
	if (e->n_objs >= e->tab_size && ae_tab_grow(e) < 0)
		return NULL;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	o->alertname = strdup(alertname);
	o->device = device ? strdup(device) : NULL;
	o->ifname = ifname ? strdup(ifname) : NULL;
	if (o->alertname == NULL || (device && !o->device) || (ifname && !o->ifname)) {
		free(o->alertname);
		free(o->device);
		free(o->ifname);
		free(o);
		return NULL;
	}
	o->is_device = strcmp(alertname, "DeviceDown") == 0;
	h = ae_key_hash(alertname, device, ifname) & (e->tab_size - 1);
	o->hnext = e->tab[h];
	e->tab[h] = o;
	e->n_objs++;
	if (device) {
		const struct model_device *d = model_find_device(e->model, device);
		if (d && d->site) {
			o->site = strdup(d->site->name);
			if (d->site->conf)
				o->kind = strdup(site_kind_name(d->site->conf->kind));
		}
	}
	return o;
}

static void ae_obj_free(struct ae_obj *o)
{
	free(o->alertname);
	free(o->device);
	free(o->ifname);
	free(o->site);
	free(o->kind);
	free(o->severity);
	free(o->cause);
	free(o->detail);
	free(o->incident);
	free(o->notified);
	free(o);
}

/* ---- records ----------------------------------------------------------- */

static void ae_record_state(struct alert_engine *e, const struct ae_obj *o, const char *from,
			    const char *to, double t)
{
	int down = strcmp(to, "up") != 0;
	struct ev_state s = {
		.t = t, .device = o->device, .site = o->site, .ifname = o->ifname,
		.kind = "reach", .from = from, .to = to, .cause = down ? o->cause : NULL,
		.reason = down ? o->detail : NULL,
	};
	if (e->db)
		events_db_post_state(e->worker, e->db, &s);
}

void ae_record_watched(struct alert_engine *e, const struct ae_obj *o, double t)
{
	/* Without it a device's first record would be its first outage, and
	 * the report would not count the time it was seen up before. */
	ae_record_state(e, o, "unknown", "up", t);
}

static const char *ae_quiet_name(enum ae_quiet q)
{
	static const char *const n[] = { NULL, "behind", "maintenance", "flapping", "core" };
	return n[q];
}

void ae_record_incident(struct alert_engine *e, const struct ae_obj *o, double end)
{
	struct ev_incident i = {
		.id = o->incident, .alertname = o->alertname, .device = o->device, .site = o->site,
		.ifname = o->ifname, .severity = o->severity, .start = o->first_bad, .end = end,
		.cause = o->quiet != AE_LOUD ? ae_quiet_name(o->quiet) : o->detail,
		.root_device = o->cause ? o->cause : o->device, .n_behind = 0,
		.notified = o->notified,
	};
	if (e->db && o->incident)
		events_db_post_incident(e->worker, e->db, &i);
	if (end > 0 && o->incident)
		ae_hist_add(e, &i);
}

static void ae_open_incident(struct alert_engine *e, struct ae_obj *o)
{
	char id[96];

	snprintf(id, sizeof(id), "%016llx-%.0f",
		 (unsigned long long)ae_key_hash(o->alertname, o->device, o->ifname), o->first_bad);
	ae_setstr(&o->incident, id);
	ae_record_incident(e, o, 0);
}

/* ---- dependencies ------------------------------------------------------ */

static int ae_dev_failing(struct alert_engine *e, const char *name)
{
	struct ae_obj *o = ae_obj_get(e, "DeviceDown", name, NULL, 0);
	return o && (o->bad > 0 || o->state == AE_FIRING);
}

/* The topmost device above D that is failing, or NULL. */
static const struct model_device *ae_failing_ancestor(struct alert_engine *e,
						      const struct model_device *d)
{
	const struct model_device *top = NULL;
	size_t guard = 0;

	for (const struct model_device *p = d ? d->parent : NULL; p && guard < 4096;
	     p = p->parent, guard++)
		if (ae_dev_failing(e, p->name))
			top = p;
	return top;
}

static int ae_all_roots_failing(struct alert_engine *e, int confirmed)
{
	size_t roots = 0;

	for (size_t i = 0; i < e->model->n_devices; i++) {
		const struct model_device *d = e->model->devices[i];
		if (d->parent != NULL)
			continue;
		roots++;
		struct ae_obj *o = ae_obj_get(e, "DeviceDown", d->name, NULL, 0);
		if (o == NULL || (confirmed ? o->state != AE_FIRING : (o->bad == 0 &&
								       o->state != AE_FIRING)))
			return 0;
	}
	return roots > 0;
}

/* Decide whether firing O is announced: maintenance, dependencies, core. */
static void ae_decide(struct alert_engine *e, struct ae_obj *o, double now)
{
	const struct model_device *d = o->device ? model_find_device(e->model, o->device) : NULL;
	const struct model_device *top;

	free(o->cause);
	o->cause = NULL;
	o->quiet = AE_LOUD;
	if (d && ae_in_maint(e, d, now)) {
		o->quiet = AE_MAINT;
		return;
	}
	if (!o->is_device) {
		/* An interface of a device that is failing is no news. */
		if (o->device && ae_dev_failing(e, o->device))
			o->quiet = AE_BEHIND;
		return;
	}
	if ((top = ae_failing_ancestor(e, d)) != NULL) {
		o->quiet = AE_BEHIND;
		o->cause = strdup(top->name);
		return;
	}
	if (d && d->parent == NULL && ae_all_roots_failing(e, 1)) {
		o->quiet = AE_CORE;
		if (!e->core_down) {
			e->core_down = 1;
			e->core_since = o->first_bad;
			ae_event_core(e, ALERT_FIRING);
		}
	}
}

/* Announce O if nothing silences it any more (after a recovery above it,
 * the end of a maintenance window or of flapping). */
static void ae_reconsider(struct alert_engine *e, struct ae_obj *o, double now)
{
	if (o->state != AE_FIRING || o->quiet == AE_LOUD || o->flapping)
		return;
	if (o->quiet == AE_CORE && e->core_down)
		return;
	ae_decide(e, o, now);
	if (o->quiet == AE_LOUD && o->notified == NULL) {
		ae_record_incident(e, o, 0);
		ae_event_add(e, o, ALERT_FIRING);
	}
}

static void ae_release_below(struct alert_engine *e, const struct model_device *d, double now,
			     size_t depth)
{
	if (d == NULL || depth > 4096)
		return;
	for (size_t i = 0; i < d->n_children; i++) {
		const struct model_device *c = d->children[i];
		struct ae_obj *o = ae_obj_get(e, "DeviceDown", c->name, NULL, 0);
		/* Not announced yet: the child is polled after its parent
		 * came back, and only if it is still down then is it news. */
		if (o && o->state == AE_FIRING && (o->quiet == AE_BEHIND || o->quiet == AE_CORE))
			o->recheck = 1;
		ae_release_below(e, c, now, depth + 1);
	}
}

/* ---- the state machine --------------------------------------------------- */

/* Note a confirmed change; 1 when O just started flapping. */
static int ae_flap_note(struct alert_engine *e, struct ae_obj *o, double t)
{
	const struct alerts_conf *ac = &e->conf->alerts;
	double window = ac->flap_window_s ? ac->flap_window_s : 10.0 * e->conf->interval_ms / 1000;
	unsigned n = 0;

	memmove(o->flaps + 1, o->flaps, sizeof(o->flaps) - sizeof(o->flaps[0]));
	o->flaps[0] = t;
	if (o->n_flaps < AE_FLAP_RING)
		o->n_flaps++;
	for (unsigned i = 0; i < o->n_flaps; i++)
		if (t - o->flaps[i] <= window)
			n++;
	if (!o->flapping && n >= ac->flap_changes) {
		o->flapping = 1;
		return 1;
	}
	return 0;
}

static void ae_log_flapping(const struct ae_obj *o)
{
	log_warn("alerts: %s %s%s%s is flapping: notifications paused until it is stable",
		 o->alertname, o->device ? o->device : "", o->ifname ? " " : "",
		 o->ifname ? o->ifname : "");
}

static void ae_fire(struct alert_engine *e, struct ae_obj *o, double t)
{
	int started_flapping = ae_flap_note(e, o, t);
	int all_roots;

	o->state = AE_FIRING;
	o->fired_at = t;
	o->last_notify = 0;
	ae_setstr(&o->severity, o->rule ? o->rule->severity : "critical");
	ae_decide(e, o, t);
	if (o->is_device) {
		/* Behind a root, when every root is failing, we cannot know:
		 * unknown, not down, for the SLA. */
		all_roots = o->quiet == AE_CORE ||
			    (o->quiet == AE_BEHIND && ae_all_roots_failing(e, 0));
		ae_record_state(e, o, "up", all_roots && o->quiet != AE_CORE ? "unknown" : "down",
				o->first_bad);
	}
	ae_open_incident(e, o);
	if (started_flapping) {
		ae_log_flapping(o);
		o->quiet = AE_FLAPPING;
		ae_event_add(e, o, ALERT_FIRING);
		return;
	}
	if (o->flapping) {
		o->quiet = AE_FLAPPING;
		return;
	}
	if (o->quiet == AE_LOUD)
		ae_event_add(e, o, ALERT_FIRING);
}

static void ae_resolve(struct alert_engine *e, struct ae_obj *o, double t)
{
	const struct model_device *d = o->device ? model_find_device(e->model, o->device) : NULL;

	int started_flapping = ae_flap_note(e, o, t);

	o->state = AE_OK;
	o->recheck = 0;
	if (o->is_device)
		ae_record_state(e, o, "down", "up", t);
	ae_record_incident(e, o, t);
	/* No recovery for what was never announced; while flapping, the
	 * "stable again" message says it. */
	if (started_flapping) {
		ae_log_flapping(o);
		ae_event_add(e, o, ALERT_FIRING);
	} else if (o->notified && !o->flapping) {
		ae_event_add(e, o, ALERT_RESOLVED);
	}
	if (!o->flapping && !o->queued) {
		free(o->notified);
		o->notified = NULL;
	}
	free(o->incident);
	o->incident = NULL;
	if (o->is_device && d && d->parent == NULL && e->core_down) {
		e->core_down = 0;
		ae_event_core(e, ALERT_RESOLVED);
		for (size_t i = 0; i < e->model->n_devices; i++) {
			const struct model_device *r = e->model->devices[i];
			struct ae_obj *ro = r->parent ? NULL : ae_obj_get(e, "DeviceDown", r->name, NULL, 0);
			if (ro && ro != o)
				ae_reconsider(e, ro, t);
		}
	}
	o->quiet = AE_LOUD;
	free(o->cause);
	o->cause = NULL;
}

void ae_obj_bad(struct alert_engine *e, struct ae_obj *o, const struct ae_rule *r, double t,
		const char *detail)
{
	o->rule = r;
	o->good = 0;
	if (o->bad == 0 && o->state != AE_FIRING)
		o->first_bad = t;
	o->bad++;
	if (detail && (o->detail == NULL || strcmp(o->detail, detail) != 0))
		ae_setstr(&o->detail, detail);
	if (o->state == AE_OK)
		o->state = AE_PENDING;
	if (o->state == AE_FIRING && o->recheck) {
		o->recheck = 0;
		ae_reconsider(e, o, t);
	}
	if (o->state != AE_PENDING)
		return;
	if (r->for_s ? t - o->first_bad >= r->for_s : o->bad >= r->need_bad)
		ae_fire(e, o, t);
}

void ae_obj_good(struct alert_engine *e, struct ae_obj *o, double t)
{
	const struct ae_rule *r = o->rule;
	int was_failing = o->bad > 0 || o->state == AE_FIRING;

	o->bad = 0;
	o->good++;
	if (o->state == AE_PENDING) {
		/* Shorter than the hysteresis: nothing to say. */
		o->state = AE_OK;
	} else if (o->state == AE_FIRING && o->good >= (r ? r->need_good : 1)) {
		ae_resolve(e, o, t);
	} else {
		return;
	}
	if (o->is_device && was_failing)
		ae_release_below(e, model_find_device(e->model, o->device), t, 0);
}

/* ---- periodic work: renotify, end of flapping, maintenance ------------- */

static void ae_on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct alert_engine *e = arg;
	const struct alerts_conf *ac = &e->conf->alerts;
	double now = ae_now();
	double window = ac->flap_window_s ? ac->flap_window_s : 10.0 * e->conf->interval_ms / 1000;

	if (e->ticks++ % 5 == 0)
		ae_maint_refresh(e);
	for (size_t i = 0; i < e->tab_size; i++)
		for (struct ae_obj *o = e->tab[i]; o; o = o->hnext) {
			if (o->flapping && o->n_flaps && now - o->flaps[0] >= window) {
				/* Stable for a whole window: say so once, and if
				 * it settled bad, announce that normally. */
				if (o->notified)
					ae_event_add(e, o, ALERT_RESOLVED);
				free(o->notified);
				o->notified = NULL;
				o->flapping = 0;
				o->n_flaps = 0;
				if (o->state == AE_FIRING) {
					o->quiet = AE_FLAPPING;
					ae_reconsider(e, o, now);
				}
				continue;
			}
			if (o->state != AE_FIRING)
				continue;
			if (o->quiet == AE_MAINT)
				ae_reconsider(e, o, now);
			if (ac->renotify_s && o->quiet == AE_LOUD && o->notified && !o->queued &&
			    now - o->last_notify >= ac->renotify_s)
				ae_event_add(e, o, ALERT_FIRING);
		}
}

static void ae_on_flush(evutil_socket_t fd, short what, void *arg)
{
	ae_flush(arg);
}

/* ---- the sink ----------------------------------------------------------- */

static void ae_sink_sample(void *ctx, const struct sample_set *s)
{
	ae_rules_sample(ctx, s);
}

static void ae_sink_state(void *ctx, const struct state_change *c)
{
	struct alert_engine *e = ctx;
	static const char *const oper[] = { "unknown", "up", "down", "testing", "unknown",
					    "dormant", "notPresent", "lowerLayerDown" };

	if (c->kind == STATE_IF_OPER && e->db) {
		struct ev_state s = {
			.t = c->t, .device = c->device, .site = c->site, .ifname = c->name,
			.kind = "oper", .from = oper[(unsigned)c->from < 8 ? c->from : 0],
			.to = oper[(unsigned)c->to < 8 ? c->to : 0],
		};
		events_db_post_state(e->worker, e->db, &s);
	} else if (c->kind == STATE_DEVICE_REBOOT) {
		struct ev_state s = { .t = c->t, .device = c->device, .site = c->site,
				      .kind = "reboot", .to = "rebooted" };
		struct ae_obj *o;
		if (e->db)
			events_db_post_state(e->worker, e->db, &s);
		if (e->builtins && e->conf->n_channels &&
		    (o = ae_obj_get(e, "Rebooted", c->device, NULL, 1)) != NULL) {
			const struct model_device *d = model_find_device(e->model, c->device);
			o->first_bad = c->t;
			ae_setstr(&o->severity, "info");
			if (d == NULL || !ae_in_maint(e, d, c->t))
				ae_event_add(e, o, ALERT_FIRING);
		}
	}
}

/* Devices the new config no longer has (the model was reconciled first):
 * close their incidents, without a message, and forget them. */
static void ae_forget_removed(struct alert_engine *e)
{
	double now = ae_now();

	for (size_t i = 0; i < e->tab_size; i++)
		for (struct ae_obj **pp = &e->tab[i], *o; (o = *pp) != NULL;) {
			if (o->device == NULL || o->queued ||
			    model_find_device(e->model, o->device) != NULL) {
				pp = &o->hnext;
				continue;
			}
			if (o->incident) {
				ae_setstr(&o->detail, "removed from the configuration");
				ae_record_incident(e, o, now);
			}
			*pp = o->hnext;
			e->n_objs--;
			ae_obj_free(o);
		}
}

static int ae_sink_reload(void *ctx, const struct serat_config *conf)
{
	struct alert_engine *e = ctx;
	int rc;

	e->conf = conf;
	ae_rules_free(e);
	rc = ae_rules_build(e, conf);
	ae_forget_removed(e);
	ae_optics_forget(e, 0);
	for (size_t i = 0; i < e->tab_size; i++)
		for (struct ae_obj *o = e->tab[i]; o; o = o->hnext)
			o->rule = ae_rule_find(e, o->alertname);
	notify_reload(e->notify, conf);
	if (e->monthly)
		sla_monthly_reload(e->monthly, conf);
	ae_maint_refresh(e);
	return rc;
}

static void ae_sink_flush(void *ctx)
{
	struct alert_engine *e = ctx;

	/* What is grouped goes to the spool now rather than be lost. */
	ae_flush(e);
	bg_worker_drain(e->worker);
}

static void ae_sink_free(void *ctx)
{
	struct alert_engine *e = ctx;

	if (e == NULL)
		return;
	/* First: its last summary may still go to the notifier. */
	sla_monthly_free(e->monthly);
	if (e->worker) {
		ae_flush(e);
		bg_worker_drain(e->worker);
	}
	notify_free(e->notify);
	bg_worker_free(e->worker);
	events_db_close(e->db);
	for (size_t i = 0; i < e->tab_size; i++)
		for (struct ae_obj *o = e->tab[i], *next; o; o = next) {
			next = o->hnext;
			ae_obj_free(o);
		}
	free(e->tab);
	while (e->events) {
		struct ae_event *ev = e->events;
		e->events = ev->next;
		free(ev);
	}
	if (e->ev_flush)
		event_free(e->ev_flush);
	if (e->ev_tick)
		event_free(e->ev_tick);
	ae_rules_free(e);
	ae_optics_forget(e, 1);
	ae_maint_free(e);
	ae_hist_free(e);
	free(e->core_incident);
	free(e->core_notified);
	free(e->core_names);
	free(e->data_dir);
	free(e);
}

static const struct sink_ops ae_sink_ops = {
	.name = "alerts",
	.sample = ae_sink_sample,
	.state = ae_sink_state,
	.reload = ae_sink_reload,
	.flush = ae_sink_flush,
	.free = ae_sink_free,
};

const struct alert_engine *alert_sink_engine(struct sinks *sinks)
{
	return sinks ? sinks_find(sinks, &ae_sink_ops) : NULL;
}

/* An incident open when seratd last stopped: it is still firing. */
static void ae_restore(void *arg, const struct ev_incident *i)
{
	struct alert_engine *e = arg;
	struct ae_obj *o;

	if (i->alertname && strcmp(i->alertname, "CoreUnreachable") == 0) {
		e->core_down = 1;
		e->core_since = i->start;
		ae_setstr(&e->core_incident, i->id);
		ae_setstr(&e->core_notified, i->notified);
		return;
	}
	if (i->alertname == NULL || strcmp(i->alertname, "Rebooted") == 0 ||
	    (o = ae_obj_get(e, i->alertname, i->device, i->ifname, 1)) == NULL)
		return;
	o->state = AE_FIRING;
	o->first_bad = o->fired_at = i->start;
	o->last_notify = ae_now();
	o->bad = 1;
	ae_setstr(&o->incident, i->id);
	ae_setstr(&o->notified, i->notified && i->notified[0] ? i->notified : NULL);
	ae_setstr(&o->severity, i->severity);
	if (i->root_device && i->device && strcmp(i->root_device, i->device) != 0)
		ae_setstr(&o->cause, i->root_device);
	o->quiet = o->notified ? AE_LOUD : o->cause ? AE_BEHIND : AE_MAINT;
	o->rule = ae_rule_find(e, o->alertname);
}

int alert_sink_add(struct sinks *sinks, struct event_base *base, struct model *model,
		   const struct serat_config *conf)
{
	struct alert_engine *e = calloc(1, sizeof(*e));
	char path[PATH_MAX];
	struct timeval one = { 1, 0 };
	int rc = -ENOMEM;

	if (e == NULL)
		return -ENOMEM;
	e->base = base;
	e->model = model;
	e->conf = conf;
	e->events_tail = &e->events;
	if ((e->data_dir = strdup(conf->data_dir)) == NULL ||
	    (e->worker = bg_worker_new(base, "alerts")) == NULL)
		goto fail;
	snprintf(path, sizeof(path), "%s/spool", conf->data_dir);
	if ((e->notify = notify_new(base, e->worker, path)) == NULL) {
		rc = -ENOTSUP;
		goto fail;
	}
	notify_set_result_cb(e->notify, ae_on_notify_result, e);
	notify_reload(e->notify, conf);
	snprintf(path, sizeof(path), "%s/%s", conf->data_dir, EVENTS_DB_FILE);
	/* Without the store alerts still go out; only history is missing. */
	if ((e->db = events_db_open(path)) == NULL)
		log_err("alerts: running without the event store %s", path);
	if ((rc = ae_rules_build(e, conf)) < 0)
		goto fail;
	/* Start-up, before the loop runs: reading back here blocks nobody. */
	if (e->db) {
		events_db_open_incidents(e->db, ae_restore, e);
		ae_hist_load(e);
	}
	e->ev_flush = evtimer_new(base, ae_on_flush, e);
	e->ev_tick = event_new(base, -1, EV_PERSIST, ae_on_tick, e);
	if (e->ev_flush == NULL || e->ev_tick == NULL || event_add(e->ev_tick, &one) < 0) {
		rc = -ENOMEM;
		goto fail;
	}
	if ((rc = notify_load_spool(e->notify)) < 0)
		log_err("alerts: cannot read the spool: %s", strerror(-rc));
	ae_maint_refresh(e);
	/* Without it seratd still runs; only the monthly report is missing. */
	e->monthly = sla_monthly_new(base, conf, ae_post_report, e);
	return sinks_add(sinks, &ae_sink_ops, e);
fail:
	log_err("alerts: cannot start the alert engine: %s", strerror(-rc));
	ae_sink_free(e);
	return rc;
}
