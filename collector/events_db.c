/*
 * events_db.c — the event store's front: backend choice and the
 * off-the-loop wrappers (see events_db.h).
 *
 * A posted record is deep-copied into one allocation (the struct, then its
 * strings), so the loop's caller may reuse its buffers at once and the
 * worker frees one block.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "collector/events_backend.h"
#include "collector/events_db.h"
#include "common/log.h"

struct events_db {
	const struct events_backend *ops;
	void *ctx;
};

struct events_db *events_db_open(const char *path)
{
	struct events_db *db = calloc(1, sizeof(*db));

	if (db == NULL)
		return NULL;
	db->ops = &events_sqlite_backend;
	if ((db->ctx = db->ops->open(path)) == NULL) {
		free(db);
		return NULL;
	}
	return db;
}

void events_db_close(struct events_db *db)
{
	if (db == NULL)
		return;
	db->ops->close(db->ctx);
	free(db);
}

int events_db_state(struct events_db *db, const struct ev_state *s)
{
	return db->ops->state(db->ctx, s);
}

int events_db_incident(struct events_db *db, const struct ev_incident *i)
{
	return db->ops->incident(db->ctx, i);
}

int events_db_notification(struct events_db *db, const struct ev_notification *n)
{
	return db->ops->notification(db->ctx, n);
}

int events_db_maint_add(struct events_db *db, struct ev_maint *m)
{
	return db->ops->maint_add(db->ctx, m);
}

int events_db_maint_remove(struct events_db *db, int64_t id)
{
	return db->ops->maint_remove(db->ctx, id);
}

int events_db_maint_list(struct events_db *db, double after,
			 void (*cb)(void *arg, const struct ev_maint *m), void *arg)
{
	return db->ops->maint_list(db->ctx, after, cb, arg);
}

int events_db_open_incidents(struct events_db *db,
			     void (*cb)(void *arg, const struct ev_incident *i), void *arg)
{
	return db->ops->open_incidents(db->ctx, cb, arg);
}

int events_db_recent_incidents(struct events_db *db, size_t limit,
			       void (*cb)(void *arg, const struct ev_incident *i), void *arg)
{
	return db->ops->recent_incidents(db->ctx, limit, cb, arg);
}

/* ---- posting --------------------------------------------------------- */

/* A record and its strings in one block.  FIELDS are the addresses of the
 * record's `const char *` members inside REC (of SIZE bytes). */
struct ed_job {
	struct events_db *db;
	int kind;
	union {
		struct ev_state s;
		struct ev_incident i;
		struct ev_notification n;
	} u;
};

enum { ED_STATE, ED_INCIDENT, ED_NOTIFICATION };

static struct ed_job *ed_pack(struct events_db *db, int kind, const void *rec, size_t size,
			      const char **fields[], size_t nf)
{
	size_t extra = 0;
	struct ed_job *j;
	char *p;

	for (size_t i = 0; i < nf; i++)
		if (*fields[i])
			extra += strlen(*fields[i]) + 1;
	if ((j = malloc(sizeof(*j) + extra)) == NULL)
		return NULL;
	j->db = db;
	j->kind = kind;
	memcpy(&j->u, rec, size);
	p = (char *)(j + 1);
	for (size_t i = 0; i < nf; i++) {
		/* Same member, in the copy. */
		const char **dst = (const char **)((char *)&j->u + ((const char *)fields[i] -
								    (const char *)rec));
		if (*fields[i] == NULL)
			continue;
		size_t l = strlen(*fields[i]) + 1;
		memcpy(p, *fields[i], l);
		*dst = p;
		p += l;
	}
	return j;
}

static int ed_run(void *arg)
{
	struct ed_job *j = arg;

	switch (j->kind) {
	case ED_STATE: return events_db_state(j->db, &j->u.s);
	case ED_INCIDENT: return events_db_incident(j->db, &j->u.i);
	default: return events_db_notification(j->db, &j->u.n);
	}
}

static void ed_done(void *arg, int rc)
{
	free(arg);
}

static int ed_post(struct bg_worker *w, struct ed_job *j)
{
	int rc;

	if (j == NULL)
		return -ENOMEM;
	if ((rc = bg_worker_submit(w, ed_run, ed_done, j)) < 0)
		free(j);
	return rc;
}

int events_db_post_state(struct bg_worker *w, struct events_db *db, const struct ev_state *s)
{
	struct ev_state c = *s;
	const char **f[] = { &c.device, &c.site, &c.ifname, &c.kind, &c.from, &c.to, &c.cause,
			     &c.reason };
	return ed_post(w, ed_pack(db, ED_STATE, &c, sizeof(c), f, sizeof(f) / sizeof(f[0])));
}

int events_db_post_incident(struct bg_worker *w, struct events_db *db,
			    const struct ev_incident *i)
{
	struct ev_incident c = *i;
	const char **f[] = { &c.id, &c.alertname, &c.device, &c.site, &c.ifname, &c.severity,
			     &c.cause, &c.root_device, &c.notified };
	return ed_post(w, ed_pack(db, ED_INCIDENT, &c, sizeof(c), f, sizeof(f) / sizeof(f[0])));
}

int events_db_post_notification(struct bg_worker *w, struct events_db *db,
				const struct ev_notification *n)
{
	struct ev_notification c = *n;
	const char **f[] = { &c.channel, &c.key, &c.incident, &c.result, &c.error };
	return ed_post(w, ed_pack(db, ED_NOTIFICATION, &c, sizeof(c), f,
				  sizeof(f) / sizeof(f[0])));
}

/* The maintenance snapshot: rows copied on the worker, handed over on the loop. */
struct ed_maint_job {
	struct events_db *db;
	double after;
	void (*done)(void *arg, const struct ev_maint *m, size_t n);
	void *arg;
	struct ev_maint *v;
	size_t n, cap;
	int failed;
};

static void ed_maint_row(void *arg, const struct ev_maint *m)
{
	struct ed_maint_job *j = arg;
	struct ev_maint c = *m;

	if (j->failed)
		return;
	if (j->n == j->cap) {
		size_t nc = j->cap ? 2 * j->cap : 8;
		struct ev_maint *nv = realloc(j->v, nc * sizeof(*nv));
		if (nv == NULL) {
			j->failed = 1;
			return;
		}
		j->v = nv;
		j->cap = nc;
	}
	c.target = strdup(m->target ? m->target : "");
	c.reason = m->reason ? strdup(m->reason) : NULL;
	c.source = strdup(m->source ? m->source : "");
	j->v[j->n++] = c;
}

static int ed_maint_run(void *arg)
{
	struct ed_maint_job *j = arg;
	int rc = events_db_maint_list(j->db, j->after, ed_maint_row, j);
	return rc < 0 ? rc : j->failed ? -ENOMEM : 0;
}

static void ed_maint_done(void *arg, int rc)
{
	struct ed_maint_job *j = arg;

	/* On failure keep what the loop had: hand nothing over. */
	if (rc == 0)
		j->done(j->arg, j->v, j->n);
	for (size_t i = 0; i < j->n; i++) {
		free((char *)j->v[i].target);
		free((char *)j->v[i].reason);
		free((char *)j->v[i].source);
	}
	free(j->v);
	free(j);
}

int events_db_post_maint_list(struct bg_worker *w, struct events_db *db, double after,
			      void (*done)(void *arg, const struct ev_maint *m, size_t n),
			      void *arg)
{
	struct ed_maint_job *j = calloc(1, sizeof(*j));
	int rc;

	if (j == NULL)
		return -ENOMEM;
	j->db = db;
	j->after = after;
	j->done = done;
	j->arg = arg;
	if ((rc = bg_worker_submit(w, ed_maint_run, ed_maint_done, j)) < 0)
		free(j);
	return rc;
}
