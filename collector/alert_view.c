/*
 * alert_view.c — the alert engine seen from the dashboard (alert_view.h):
 * the firing objects, the ring of ended incidents and the store's
 * maintenance windows, all from the engine's memory on the loop thread.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "collector/alert_int.h"
#include "collector/alert_view.h"

/* ---- history ring ----------------------------------------------------- */

static void ae_hist_clear(struct ae_hist *h)
{
	free(h->block);
	memset(h, 0, sizeof(*h));
}

void ae_hist_free(struct alert_engine *e)
{
	for (size_t i = 0; e->hist && i < ALERT_VIEW_HISTORY; i++)
		ae_hist_clear(&e->hist[i]);
	free(e->hist);
	e->hist = NULL;
	e->hist_head = e->hist_n = 0;
}

/* Copy S into the block at *AT; the copy, or NULL for NULL. */
static const char *ae_hist_str(char **at, const char *s)
{
	char *d = *at;

	if (s == NULL)
		return NULL;
	strcpy(d, s);
	*at += strlen(s) + 1;
	return d;
}

/* H (cleared first) becomes a deep copy of I.  0 or -ENOMEM. */
static int ae_hist_copy(struct ae_hist *h, const struct ev_incident *i)
{
	const char *const strs[] = { i->id, i->alertname, i->device, i->site, i->ifname,
				     i->severity, i->cause, i->root_device, i->notified };
	size_t need = 1;
	char *at;

	ae_hist_clear(h);
	for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
		need += strs[k] ? strlen(strs[k]) + 1 : 0;
	if ((at = malloc(need)) == NULL)
		return -ENOMEM;
	h->block = at;
	h->inc = *i;
	h->inc.id = ae_hist_str(&at, i->id);
	h->inc.alertname = ae_hist_str(&at, i->alertname);
	h->inc.device = ae_hist_str(&at, i->device);
	h->inc.site = ae_hist_str(&at, i->site);
	h->inc.ifname = ae_hist_str(&at, i->ifname);
	h->inc.severity = ae_hist_str(&at, i->severity);
	h->inc.cause = ae_hist_str(&at, i->cause);
	h->inc.root_device = ae_hist_str(&at, i->root_device);
	h->inc.notified = ae_hist_str(&at, i->notified);
	return 0;
}

void ae_hist_add(struct alert_engine *e, const struct ev_incident *i)
{
	if (e->hist == NULL && (e->hist = calloc(ALERT_VIEW_HISTORY, sizeof(*e->hist))) == NULL)
		return;
	if (ae_hist_copy(&e->hist[e->hist_head], i) < 0)
		return;
	e->hist_head = (e->hist_head + 1) % ALERT_VIEW_HISTORY;
	if (e->hist_n < ALERT_VIEW_HISTORY)
		e->hist_n++;
}

/* Rows come newest first: collect, then add oldest first. */
struct ae_hist_seed {
	struct ae_hist v[ALERT_VIEW_HISTORY];
	size_t n;
};

static void ae_hist_seed_row(void *arg, const struct ev_incident *i)
{
	struct ae_hist_seed *s = arg;

	if (s->n < ALERT_VIEW_HISTORY && ae_hist_copy(&s->v[s->n], i) == 0)
		s->n++;
}

void ae_hist_load(struct alert_engine *e)
{
	struct ae_hist_seed *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return;
	if (events_db_recent_incidents(e->db, ALERT_VIEW_HISTORY, ae_hist_seed_row, s) == 0)
		for (size_t k = s->n; k-- > 0;)
			ae_hist_add(e, &s->v[k].inc);
	for (size_t k = 0; k < s->n; k++)
		free(s->v[k].block);
	free(s);
}

size_t alert_view_history(const struct alert_engine *e, size_t offset, size_t limit,
			  void (*cb)(void *arg, const struct ev_incident *i), void *arg)
{
	if (e == NULL)
		return 0;
	for (size_t k = offset; cb && k < e->hist_n && k < offset + limit; k++) {
		size_t slot = (e->hist_head + ALERT_VIEW_HISTORY - 1 - k) % ALERT_VIEW_HISTORY;
		cb(arg, &e->hist[slot].inc);
	}
	return e->hist_n;
}

/* ---- active ------------------------------------------------------------ */

static const char *const ae_view_quiet[] = { "", "behind", "maintenance", "flapping", "core" };

static int ae_view_cmp(const void *a, const void *b)
{
	const struct ae_obj *x = *(const struct ae_obj *const *)a;
	const struct ae_obj *y = *(const struct ae_obj *const *)b;

	if (x->first_bad != y->first_bad)
		return x->first_bad < y->first_bad ? -1 : 1;
	return strcmp(x->incident ? x->incident : "", y->incident ? y->incident : "");
}

size_t alert_view_active(const struct alert_engine *e,
			 void (*cb)(void *arg, const struct alert_view_item *it), void *arg)
{
	const struct ae_obj **v;
	size_t n = 0, count = 0;

	if (e == NULL)
		return 0;
	if (e->core_down && e->core_incident) {
		struct alert_view_item it = {
			.inc = { .id = e->core_incident, .alertname = "CoreUnreachable",
				 .device = e->core_names, .severity = "critical",
				 .start = e->core_since, .cause = "every root unreachable",
				 .root_device = e->core_names, .notified = e->core_notified },
			.quiet = "",
		};
		cb(arg, &it);
		count++;
	}
	if ((v = calloc(e->n_objs + 1, sizeof(*v))) == NULL)
		return count;
	for (size_t i = 0; i < e->tab_size; i++)
		for (const struct ae_obj *o = e->tab[i]; o; o = o->hnext)
			if (o->state == AE_FIRING && o->incident && n < e->n_objs)
				v[n++] = o;
	qsort(v, n, sizeof(*v), ae_view_cmp);
	for (size_t k = 0; k < n; k++) {
		const struct ae_obj *o = v[k];
		struct alert_view_item it = {
			.inc = { .id = o->incident, .alertname = o->alertname, .device = o->device,
				 .site = o->site, .ifname = o->ifname, .severity = o->severity,
				 .start = o->first_bad, .cause = o->detail,
				 .root_device = o->cause ? o->cause : o->device,
				 .notified = o->notified },
			.quiet = ae_view_quiet[o->quiet],
		};
		cb(arg, &it);
	}
	free(v);
	return count + n;
}

/* ---- maintenance and counters ----------------------------------------- */

size_t alert_view_maint(const struct alert_engine *e,
			void (*cb)(void *arg, const struct ev_maint *m), void *arg)
{
	size_t n = 0;

	for (size_t i = 0; e && i < e->n_maint; i++) {
		const struct ae_maint_win *w = &e->maint[i];
		struct ev_maint m = { .id = w->id, .target = w->target, .start = w->start,
				      .end = w->end, .reason = w->reason, .source = "cli" };
		if (w->id == 0)
			continue;     /* the config's: the pages list serat_config's */
		cb(arg, &m);
		n++;
	}
	return n;
}

void alert_view_stats(const struct alert_engine *e, struct alert_view_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (e == NULL)
		return;
	out->pending = notify_pending(e->notify);
	out->delivered = e->n_delivered;
	out->dropped = e->n_dropped;
	out->expired = e->n_expired;
}
