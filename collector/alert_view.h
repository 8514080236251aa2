/*
 * alert_view.h — a read-only look at the live alert engine, for the
 * dashboard and the JSON API (collector/http_*.c).
 *
 * Everything is served from memory the engine keeps on the loop thread:
 * the firing objects, a ring of the last ALERT_VIEW_HISTORY incidents that
 * ended (seeded at start from the event store, read before the loop runs,
 * then appended as incidents close), and the `serat maint add` windows the
 * engine re-reads from the store on its worker every few seconds.  So a
 * page never touches SQLite on the loop and never waits.
 *
 * Call these only on the loop thread.  Pointers handed to callbacks are
 * valid only during the call.
 */
#ifndef SERAT_ALERT_VIEW_H
#define SERAT_ALERT_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "collector/events_db.h"
#include "collector/sink.h"

#define ALERT_VIEW_HISTORY 200

struct alert_engine;

/* The engine registered in SINKS by alert_sink_add, or NULL. */
const struct alert_engine *alert_sink_engine(struct sinks *sinks);

/* An incident as the pages show it: ev_incident plus, while it fires,
 * why it was not announced ("", "behind", "maintenance", "flapping",
 * "core"). */
struct alert_view_item {
	struct ev_incident inc;
	const char *quiet;
};

/* Firing alerts (CoreUnreachable first, then oldest first).  Returns the
 * count.  E may be NULL (no engine: 0). */
size_t alert_view_active(const struct alert_engine *e,
			 void (*cb)(void *arg, const struct alert_view_item *it), void *arg);

/* Ended incidents, newest first, skipping OFFSET, at most LIMIT.
 * Returns how many the ring holds in all (CB may be NULL to ask only
 * that). */
size_t alert_view_history(const struct alert_engine *e, size_t offset, size_t limit,
			  void (*cb)(void *arg, const struct ev_incident *i), void *arg);

/* Windows from `serat maint add` not yet over, as last read from the
 * store (the config's own windows are in serat_config).  Returns the
 * count. */
size_t alert_view_maint(const struct alert_engine *e,
			void (*cb)(void *arg, const struct ev_maint *m), void *arg);

/* Notification counters for /metrics. */
struct alert_view_stats {
	size_t pending;                 /* spooled, not yet final */
	uint64_t delivered, dropped, expired;
};
void alert_view_stats(const struct alert_engine *e, struct alert_view_stats *out);

#endif
