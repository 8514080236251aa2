/*
 * events_backend.h — what a storage backend of the event store provides.
 *
 * events_db.c talks only to this table; events_sqlite.c is the embedded
 * default.  A PostgreSQL backend implements the same operations (with the
 * schema of docs/events.md) and is picked by events_db_open from the
 * target ("postgresql://..." vs a file path).  Each op returns 0 or a
 * negative errno and logs its own failure.
 */
#ifndef SERAT_EVENTS_BACKEND_H
#define SERAT_EVENTS_BACKEND_H

#include <stddef.h>

#include "collector/events_db.h"

struct events_backend {
	const char *name;
	void *(*open)(const char *target);
	void (*close)(void *ctx);
	int (*state)(void *ctx, const struct ev_state *s);
	int (*incident)(void *ctx, const struct ev_incident *i);
	int (*notification)(void *ctx, const struct ev_notification *n);
	int (*maint_add)(void *ctx, struct ev_maint *m);
	int (*maint_remove)(void *ctx, int64_t id);
	int (*maint_list)(void *ctx, double after,
			  void (*cb)(void *arg, const struct ev_maint *m), void *arg);
	int (*open_incidents)(void *ctx, void (*cb)(void *arg, const struct ev_incident *i),
			      void *arg);
	int (*recent_incidents)(void *ctx, size_t limit,
				void (*cb)(void *arg, const struct ev_incident *i), void *arg);
};

extern const struct events_backend events_sqlite_backend;

#endif
