/*
 * alert_group.c — the grouping window, and turning changes into
 * notifications (see alert_engine.h).
 *
 * Changes are queued as events; the first one arms a timer of
 * alerts.group_window.  When it fires, each channel gets ONE message with
 * every event meant for it (firing ones first), rendered for its type and
 * handed to the notifier, which spools it before sending.  A firing event
 * goes to its rule's channels (all, for the built-ins); a recovery only to
 * the channels that were told it fired.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/alert_int.h"
#include "collector/alert_render.h"
#include "common/log.h"

int ae_told_has(const char *list, const char *channel)
{
	size_t l = strlen(channel);

	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (n == l && strncmp(p, channel, l) == 0)
			return 1;
		p = comma ? comma + 1 : p + n;
	}
	return 0;
}

char *ae_told_add(char *list, const char *channel)
{
	size_t a = list ? strlen(list) : 0;
	char *n;

	if (ae_told_has(list, channel))
		return list;
	if ((n = realloc(list, a + strlen(channel) + 2)) == NULL)
		return list;
	if (a)
		n[a++] = ',';
	strcpy(n + a, channel);
	return n;
}

static size_t ae_count_below(const struct model_device *d, size_t depth)
{
	size_t n = 0;

	if (d == NULL || depth > 4096)
		return 0;
	for (size_t i = 0; i < d->n_children; i++)
		n += 1 + ae_count_below(d->children[i], depth + 1);
	return n;
}

static struct ae_event *ae_event_new(struct alert_engine *e, enum alert_status st)
{
	struct ae_event *ev = calloc(1, sizeof(*ev));
	struct timeval tv;
	unsigned ms = e->conf->alerts.group_window_ms;

	if (ev == NULL) {
		log_err("alerts: out of memory: a notification is lost");
		return NULL;
	}
	ev->item.status = st;
	*e->events_tail = ev;
	e->events_tail = &ev->next;
	if (!evtimer_pending(e->ev_flush, NULL)) {
		tv.tv_sec = ms / 1000;
		tv.tv_usec = (ms % 1000) * 1000;
		evtimer_add(e->ev_flush, &tv);
	}
	return ev;
}

void ae_event_add(struct alert_engine *e, struct ae_obj *o, enum alert_status st)
{
	struct ae_event *ev;
	double now = ae_now();

	if (e->conf->n_channels == 0 || (ev = ae_event_new(e, st)) == NULL)
		return;
	ev->obj = o;
	if (o->site == NULL && o->device) {
		/* Restored at start, before the model knew the device. */
		const struct model_device *d = model_find_device(e->model, o->device);
		if (d && d->site) {
			o->site = strdup(d->site->name);
			if (d->site->conf)
				o->kind = strdup(site_kind_name(d->site->conf->kind));
		}
	}
	ev->alertname = strdup(o->flapping ? "Flapping" : o->alertname);
	ev->cause = o->cause ? strdup(o->cause) : NULL;
	ev->detail = o->detail && st == ALERT_FIRING ? strdup(o->detail) : NULL;
	ev->item.alertname = ev->alertname;
	ev->item.device = o->device;
	ev->item.site = o->site;
	ev->item.kind = o->kind;
	ev->item.ifname = o->ifname;
	ev->item.severity = o->severity ? o->severity : "critical";
	ev->item.cause = ev->cause;
	ev->item.detail = ev->detail;
	ev->item.starts_at = o->first_bad;
	ev->item.ends_at = st == ALERT_RESOLVED ? now : 0;
	if (st == ALERT_FIRING && o->is_device && !o->flapping)
		ev->item.n_behind = ae_count_below(model_find_device(e->model, o->device), 0);
	alert_fingerprint(ev->alertname, o->device, o->ifname, ev->item.fingerprint);
	if (st == ALERT_RESOLVED) {
		if (o->queued)
			ev->after_firing = 1;
		else if (o->notified)
			ev->told = strdup(o->notified);
	}
	o->queued++;
}

void ae_event_core(struct alert_engine *e, enum alert_status st)
{
	struct ae_event *ev;
	size_t roots = 0, len = 0;
	char *names = NULL;
	FILE *f;

	if (st == ALERT_FIRING) {
		f = open_memstream(&names, &len);
		for (size_t i = 0; f && i < e->model->n_devices; i++)
			if (e->model->devices[i]->parent == NULL)
				fprintf(f, "%s%s", roots++ ? ", " : "", e->model->devices[i]->name);
		if (f)
			fclose(f);
		free(e->core_names);
		e->core_names = names;
		free(e->core_incident);
		e->core_incident = NULL;
		char id[64];
		snprintf(id, sizeof(id), "core-%.0f", e->core_since);
		e->core_incident = strdup(id);
	}
	if (e->core_incident) {
		struct ev_incident inc = {
			.id = e->core_incident, .alertname = "CoreUnreachable",
			.device = e->core_names, .severity = "critical", .start = e->core_since,
			.end = st == ALERT_RESOLVED ? ae_now() : 0, .cause = "every root unreachable",
			.root_device = e->core_names, .notified = e->core_notified,
			.n_behind = (long)(e->model->n_devices - roots),
		};
		if (e->db)
			events_db_post_incident(e->worker, e->db, &inc);
		if (inc.end > 0)
			ae_hist_add(e, &inc);
	}
	if (e->conf->n_channels == 0 || (ev = ae_event_new(e, st)) == NULL)
		return;
	ev->alertname = strdup("CoreUnreachable");
	ev->device = e->core_names ? strdup(e->core_names) : NULL;
	ev->item.alertname = ev->alertname;
	ev->item.device = ev->device;
	ev->item.severity = "critical";
	ev->item.starts_at = e->core_since;
	ev->item.ends_at = st == ALERT_RESOLVED ? ae_now() : 0;
	roots = 0;
	for (size_t i = 0; i < e->model->n_devices; i++)
		roots += e->model->devices[i]->parent == NULL;
	ev->item.n_behind = e->model->n_devices > roots ? e->model->n_devices - roots : 0;
	alert_fingerprint("CoreUnreachable", NULL, NULL, ev->item.fingerprint);
	if (st == ALERT_RESOLVED) {
		ev->told = e->core_notified;       /* hand it over: the incident is over */
		e->core_notified = NULL;
		free(e->core_incident);
		e->core_incident = NULL;
	}
}

/* Does event EV go to channel CH? */
static int ae_event_for(const struct ae_event *ev, const struct channel_conf *ch)
{
	const struct ae_rule *r = ev->obj ? ev->obj->rule : NULL;

	if (ev->item.status == ALERT_RESOLVED && !ev->after_firing)
		return ae_told_has(ev->told, ch->name);
	if (r == NULL || r->channels == NULL)
		return 1;
	for (size_t i = 0; i < r->n_channels; i++)
		if (strcmp(r->channels[i], ch->name) == 0)
			return 1;
	return 0;
}

static void ae_event_free(struct ae_event *ev)
{
	free(ev->alertname);
	free(ev->cause);
	free(ev->detail);
	free(ev->device);
	free(ev->told);
	free(ev);
}

/* ITEMS[0..K) as one message to CH: rendered, queued (the spool). */
static int ae_send(struct alert_engine *e, const struct channel_conf *ch,
		   const struct alert_item *items, size_t k)
{
	const char *ctype;
	char **bodies;
	int nb = alert_render(e->conf, ch, items, k, &bodies, &ctype);

	if (nb < 0) {
		log_err("alerts: cannot render a message for channel %s", ch->name);
		return nb;
	}
	for (int b = 0; b < nb; b++) {
		char key[40];
		int rc = notify_submit(e->notify, ch->name, ctype, bodies[b], key);
		if (rc < 0)
			log_err("alerts: cannot queue a message for channel %s: %s", ch->name,
				strerror(-rc));
		else
			log_info("alerts: %zu alert(s) to channel %s (key %s)", k, ch->name, key);
	}
	alert_strv_free(bodies);
	return 0;
}

void ae_post_report(void *arg, const char *month, const char *text)
{
	struct alert_engine *e = arg;
	struct alert_item it = { 0 };

	it.status = ALERT_RESOLVED;
	it.alertname = "SlaReport";
	it.severity = "info";
	it.detail = text;
	it.starts_at = ae_now();
	it.ends_at = it.starts_at;
	alert_fingerprint("SlaReport", month, NULL, it.fingerprint);
	for (size_t c = 0; c < e->conf->n_channels; c++)
		if (e->conf->channels[c].report)
			ae_send(e, &e->conf->channels[c], &it, 1);
}

void ae_flush(struct alert_engine *e)
{
	struct ae_event *list = e->events, *ev;
	size_t n = 0, k;
	struct alert_item *items;
	double now = ae_now();

	e->events = NULL;
	e->events_tail = &e->events;
	if (list == NULL)
		return;
	for (ev = list; ev; ev = ev->next)
		n++;
	items = calloc(n, sizeof(*items));
	for (size_t c = 0; items && c < e->conf->n_channels; c++) {
		const struct channel_conf *ch = &e->conf->channels[c];

		/* Firing first: what is broken now matters more. */
		k = 0;
		for (int pass = 0; pass < 2; pass++)
			for (ev = list; ev; ev = ev->next)
				if ((ev->item.status == ALERT_FIRING) == (pass == 0) &&
				    ae_event_for(ev, ch))
					items[k++] = ev->item;
		if (k == 0 || ae_send(e, ch, items, k) < 0)
			continue;
		for (ev = list; ev; ev = ev->next) {
			if (ev->item.status != ALERT_FIRING || !ae_event_for(ev, ch))
				continue;
			if (ev->obj) {
				ev->obj->notified = ae_told_add(ev->obj->notified, ch->name);
				ev->obj->last_notify = now;
			} else {
				e->core_notified = ae_told_add(e->core_notified, ch->name);
			}
		}
	}
	if (items == NULL)
		log_err("alerts: out of memory: %zu alerts not sent", n);
	free(items);
	while ((ev = list) != NULL) {
		list = ev->next;
		if (ev->obj) {
			ev->obj->queued--;
			/* Keep the record of who was told in step. */
			if (ev->item.status == ALERT_FIRING && ev->obj->incident)
				ae_record_incident(e, ev->obj, 0);
			if (ev->item.status == ALERT_RESOLVED && ev->obj->state == AE_OK &&
			    !ev->obj->queued && !ev->obj->flapping) {
				free(ev->obj->notified);
				ev->obj->notified = NULL;
			}
		} else if (ev->item.status == ALERT_FIRING && e->db && e->core_incident) {
			struct ev_incident inc = {
				.id = e->core_incident, .alertname = "CoreUnreachable",
				.device = e->core_names, .severity = "critical",
				.start = e->core_since, .cause = "every root unreachable",
				.root_device = e->core_names, .notified = e->core_notified,
				.n_behind = (long)ev->item.n_behind,
			};
			events_db_post_incident(e->worker, e->db, &inc);
		}
		ae_event_free(ev);
	}
}

void ae_on_notify_result(void *arg, const struct notify_result *r)
{
	struct alert_engine *e = arg;
	static const char *const outcome[] = { "delivered", "dropped", "expired", "failed" };
	struct ev_notification n = {
		.t = ae_now(), .channel = r->channel, .key = r->key, .attempts = r->attempts,
		.result = outcome[r->outcome], .http_status = r->http_status, .error = r->error,
	};

	if (r->outcome == NOTIFY_DELIVERED)
		e->n_delivered++;
	else if (r->outcome == NOTIFY_DROPPED)
		e->n_dropped++;
	else if (r->outcome == NOTIFY_EXPIRED)
		e->n_expired++;
	if (e->db)
		events_db_post_notification(e->worker, e->db, &n);
}
