/*
 * alert_maint.c — maintenance windows: the config's, plus those added with
 * `serat maint add`, which are re-read from the event store on the worker
 * every few seconds so that no reload is needed.
 *
 * A window covers a device when its target is the device's name or its
 * site's name.  Config windows come resolved to Unix times by the config
 * loader.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "collector/alert_int.h"
#include "common/log.h"

void ae_maint_free(struct alert_engine *e)
{
	for (size_t i = 0; i < e->n_maint; i++) {
		free(e->maint[i].target);
		free(e->maint[i].reason);
	}
	free(e->maint);
	e->maint = NULL;
	e->n_maint = 0;
}

/* Append a window; M is a store window (its id and reason are kept for
 * the dashboard), NULL for the config's. */
static void am_add(struct ae_maint_win **v, size_t *n, const char *target, double start,
		   double end, const struct ev_maint *m)
{
	struct ae_maint_win *nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (nv == NULL)
		return;
	*v = nv;
	nv[*n] = (struct ae_maint_win){ .target = strdup(target), .start = start, .end = end };
	if (m) {
		nv[*n].id = m->id;
		nv[*n].reason = m->reason ? strdup(m->reason) : NULL;
	}
	if (nv[*n].target)
		(*n)++;
	else
		free(nv[*n].reason);
}

static void am_on_list(void *arg, const struct ev_maint *m, size_t n)
{
	struct alert_engine *e = arg;
	const struct serat_config *c = e->conf;
	struct ae_maint_win *v = NULL;
	size_t nv = 0;

	e->maint_refreshing = 0;
	for (size_t i = 0; i < c->n_maintenance; i++)
		for (size_t t = 0; t < c->maintenance[i].n_targets; t++)
			am_add(&v, &nv, c->maintenance[i].targets[t].name,
			       (double)c->maintenance[i].start, (double)c->maintenance[i].end, NULL);
	for (size_t i = 0; i < n; i++)
		am_add(&v, &nv, m[i].target, m[i].start, m[i].end, &m[i]);
	ae_maint_free(e);
	e->maint = v;
	e->n_maint = nv;
}

void ae_maint_refresh(struct alert_engine *e)
{
	if (e->db == NULL) {
		am_on_list(e, NULL, 0);
		return;
	}
	if (e->maint_refreshing)
		return;
	if (events_db_post_maint_list(e->worker, e->db, ae_now() - 1, am_on_list, e) == 0)
		e->maint_refreshing = 1;
}

int ae_in_maint(const struct alert_engine *e, const struct model_device *d, double now)
{
	for (size_t i = 0; i < e->n_maint; i++) {
		const struct ae_maint_win *w = &e->maint[i];
		if (now < w->start || now >= w->end)
			continue;
		if (strcmp(w->target, d->name) == 0 ||
		    (d->site && strcmp(w->target, d->site->name) == 0))
			return 1;
	}
	return 0;
}
