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
#include <time.h>
#include <unistd.h>

#include "collector/events_backend.h"
#include "collector/events_db.h"
#include "common/log.h"

struct events_db {
	const struct events_backend *ops;
	void *ctx;                /* NULL until the first write (or an existing file) */
	char *path;
	time_t next_try;          /* after a failed open */
	struct log_complain complain;
};

/*
 * The store is opened lazily: a seratd that has recorded nothing yet has
 * no events.db (a data directory on a nearly full disk keeps its room for
 * status.json and the RRD files).  Reads of a store that does not exist
 * see an empty one; the first write creates it.  A failed open is retried
 * at most once a minute and logged with back-off.
 */
static int ed_ensure(struct events_db *db, int create)
{
	time_t now = time(NULL);

	if (db->ctx != NULL)
		return 0;
	if (!create && access(db->path, F_OK) != 0)
		return -ENOENT;
	if (now < db->next_try)
		return -EAGAIN;
	if ((db->ctx = db->ops->open(db->path)) == NULL) {
		db->next_try = now + 60;
		log_complain(&db->complain, now, LOG_ERR,
			     "events: the event store %s is unavailable; history is not recorded",
			     db->path);
		return -EIO;
	}
	log_complain_clear(&db->complain, "events: recording in %s again", db->path);
	return 0;
}

struct events_db *events_db_open(const char *path)
{
	struct events_db *db = calloc(1, sizeof(*db));

	if (db == NULL || (db->path = strdup(path)) == NULL) {
		free(db);
		return NULL;
	}
	db->ops = &events_sqlite_backend;
	/* An existing store is opened now, so that a broken one is reported
	 * at start. */
	if (access(path, F_OK) == 0 && ed_ensure(db, 0) < 0) {
		events_db_close(db);
		return NULL;
	}
	return db;
}

void events_db_close(struct events_db *db)
{
	if (db == NULL)
		return;
	if (db->ctx)
		db->ops->close(db->ctx);
	free(db->path);
	free(db);
}

int events_db_state(struct events_db *db, const struct ev_state *s)
{
	int rc = ed_ensure(db, 1);
	return rc < 0 ? rc : db->ops->state(db->ctx, s);
}

int events_db_incident(struct events_db *db, const struct ev_incident *i)
{
	int rc = ed_ensure(db, 1);
	return rc < 0 ? rc : db->ops->incident(db->ctx, i);
}

int events_db_notification(struct events_db *db, const struct ev_notification *n)
{
	int rc = ed_ensure(db, 1);
	return rc < 0 ? rc : db->ops->notification(db->ctx, n);
}

int events_db_maint_add(struct events_db *db, struct ev_maint *m)
{
	int rc = ed_ensure(db, 1);
	return rc < 0 ? rc : db->ops->maint_add(db->ctx, m);
}

int events_db_maint_remove(struct events_db *db, int64_t id)
{
	int rc = ed_ensure(db, 0);
	return rc == -ENOENT ? -ENOENT : rc < 0 ? rc : db->ops->maint_remove(db->ctx, id);
}

int events_db_maint_list(struct events_db *db, double after,
			 void (*cb)(void *arg, const struct ev_maint *m), void *arg)
{
	int rc = ed_ensure(db, 0);
	if (rc == -ENOENT)
		return 0;         /* no store yet: no window */
	return rc < 0 ? rc : db->ops->maint_list(db->ctx, after, cb, arg);
}

int events_db_open_incidents(struct events_db *db,
			     void (*cb)(void *arg, const struct ev_incident *i), void *arg)
{
	int rc = ed_ensure(db, 0);
	if (rc == -ENOENT)
		return 0;
	return rc < 0 ? rc : db->ops->open_incidents(db->ctx, cb, arg);
}

int events_db_recent_incidents(struct events_db *db, size_t limit,
			       void (*cb)(void *arg, const struct ev_incident *i), void *arg)
{
	int rc = ed_ensure(db, 0);
	if (rc == -ENOENT)
		return 0;     /* no store yet: no history */
	return rc < 0 ? rc : db->ops->recent_incidents(db->ctx, limit, cb, arg);
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
