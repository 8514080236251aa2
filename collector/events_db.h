/*
 * events_db.h — the event store: what happened, for the SLA report, the
 * dashboard's alert pages and seratd's own restart.
 *
 * Four kinds of record (schema: docs/events.md):
 *   - state changes: a device up / down / unknown (with the root cause
 *     when it is behind another device), an interface's oper status, a
 *     reboot;
 *   - incidents: one per alert that fired (start, end, cause, root-cause
 *     device, devices behind it, channels told);
 *   - notifications: channel, Idempotency-Key, attempts, result;
 *   - maintenance windows (from `serat maint add` and from the config).
 *
 * Behind one small interface (struct events_backend) so that PostgreSQL can
 * replace the embedded SQLite for a province; only SQLite exists today.
 *
 * The events_db_* calls block (disk): seratd makes them on its bg_worker
 * thread through the events_db_post_* wrappers, which copy their arguments
 * and return at once; the CLI calls them directly.  One handle is used by
 * one thread at a time.  SQLite runs in WAL mode with a busy timeout, so
 * `serat maint` and the SLA report read and write while seratd runs.
 */
#ifndef SERAT_EVENTS_DB_H
#define SERAT_EVENTS_DB_H

#include <stddef.h>
#include <stdint.h>

#include "collector/bg_worker.h"

struct ev_state {
	double t;
	const char *device;
	const char *site;
	const char *ifname;       /* NULL for a device */
	const char *kind;         /* "reach", "oper", "reboot" */
	const char *from, *to;    /* "up", "down", "unknown", ... (from may be NULL) */
	const char *cause;        /* root-cause device when not itself, or NULL */
	const char *reason;       /* e.g. the poll error, or NULL */
};

struct ev_incident {
	const char *id;           /* unique: fingerprint-starttime */
	const char *alertname;
	const char *device, *site, *ifname, *severity;
	double start, end;        /* end 0 = open */
	const char *cause;        /* text: "unreachable", "flapping", rule text */
	const char *root_device;  /* the device at fault (itself, or an ancestor) */
	long n_behind;            /* devices behind it, unreachable with it */
	const char *notified;     /* comma-separated channel names told it fired */
};

struct ev_notification {
	double t;
	const char *channel, *key, *incident;  /* incident may be NULL */
	unsigned attempts;
	const char *result;       /* "delivered", "dropped", "expired" */
	long http_status;
	const char *error;
};

struct ev_maint {
	int64_t id;               /* assigned by the store */
	const char *target;       /* device or site name */
	double start, end;
	const char *reason;
	const char *source;       /* "cli" or "config" */
};

/* The store of seratd: <data_dir>/events.db */
#define EVENTS_DB_FILE "events.db"

struct events_db;

/* The store at PATH (a SQLite file).  An existing file is opened now (NULL
 * when it cannot be: logged with the path); a missing one is created by
 * the first write, and reads see it empty until then. */
struct events_db *events_db_open(const char *path);
void events_db_close(struct events_db *db);   /* NULL-safe */

int events_db_state(struct events_db *db, const struct ev_state *s);
/* Insert, or update the row with the same id. */
int events_db_incident(struct events_db *db, const struct ev_incident *i);
int events_db_notification(struct events_db *db, const struct ev_notification *n);
/* Adds M, sets M->id.  0 or -errno. */
int events_db_maint_add(struct events_db *db, struct ev_maint *m);
/* 0, -ENOENT when there is no such window, or -errno. */
int events_db_maint_remove(struct events_db *db, int64_t id);
/* Windows with end > AFTER (AFTER 0: all), by start.  CB's pointers are
 * valid during the call.  0 or -errno. */
int events_db_maint_list(struct events_db *db, double after,
			 void (*cb)(void *arg, const struct ev_maint *m), void *arg);
/* Incidents still open (end IS NULL), oldest first. */
int events_db_open_incidents(struct events_db *db,
			     void (*cb)(void *arg, const struct ev_incident *i), void *arg);
/* The LIMIT incidents that ended last, newest first (end set). */
int events_db_recent_incidents(struct events_db *db, size_t limit,
			       void (*cb)(void *arg, const struct ev_incident *i), void *arg);

/* ---- the same, off the loop: copy, queue on W, return.  Errors are
 * logged by the worker.  0 or -ENOMEM/-ESHUTDOWN. */
int events_db_post_state(struct bg_worker *w, struct events_db *db, const struct ev_state *s);
int events_db_post_incident(struct bg_worker *w, struct events_db *db,
			    const struct ev_incident *i);
int events_db_post_notification(struct bg_worker *w, struct events_db *db,
				const struct ev_notification *n);

/* A snapshot of the maintenance windows, read on the worker and handed to
 * DONE on the loop (DONE owns nothing: the array dies after the call). */
int events_db_post_maint_list(struct bg_worker *w, struct events_db *db, double after,
			      void (*done)(void *arg, const struct ev_maint *m, size_t n),
			      void *arg);

#endif
