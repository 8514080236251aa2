/*
 * sink.h — where measurements go: the seam between producers and consumers.
 *
 * Producers (the SNMP collector, later the probes) emit two things and know
 * nothing about who consumes them, as collectd's readers know nothing of
 * its writers:
 *
 *   - sample sets: one object (a device, an interface, a site, a target)
 *     at one time, with a value per metric of the registry
 *     (common/metric.h); NAN means unknown and stays unknown;
 *   - state changes: a device became reachable / unreachable / unknown, an
 *     interface's oper status changed, an agent rebooted, an interface
 *     appeared or disappeared; each with the time it was observed.
 *
 * seratd owns one `struct sinks` for its whole life (it outlives reloads)
 * and registers consumers in it: the RRD store is the first; the alert
 * engine, the event store and the HTTP API attach the same way.  Every
 * callback runs on the event loop and must not block: a sink that does
 * I/O queues the work for its own thread.  Pointers in a sample set or a
 * state change are valid only during the call: copy what you keep.
 */
#ifndef SERAT_SINK_H
#define SERAT_SINK_H

#include <stddef.h>

#include "common/config.h"
#include "common/metric.h"

struct sample_set {
	enum metric_object object;
	const char *site;            /* site name (every object has one) */
	const char *device;          /* device name; NULL for a site */
	const char *name;            /* ifName, target...; NULL for a device */
	double t;                    /* wall clock, seconds with a fraction */
	size_t n;
	const enum metric_id *metrics;   /* N ids */
	const double *values;            /* N values, in the metrics' units */
};

enum state_kind {
	STATE_DEVICE_REACH,          /* from/to: enum dev_reach (model.h) */
	STATE_DEVICE_REBOOT,         /* sysUpTime went back; from/to unused */
	STATE_IF_OPER,               /* from/to: IF-MIB ifOperStatus, 0 = unknown */
	STATE_IF_APPEARED,           /* a new interface answered */
	STATE_IF_GONE,               /* an interface no longer answers */
	STATE_KIND_COUNT
};

struct state_change {
	enum state_kind kind;
	const char *site;
	const char *device;
	const char *name;            /* ifName for STATE_IF_*, else NULL */
	int from, to;
	double t;                    /* when observed (wall clock) */
	double since;                /* when the state being left began, or
	                                0 when unknown; for a device coming
	                                back up: its first failed poll */
	const char *reason;          /* e.g. the poll error; may be NULL */
};

struct sink_ops {
	const char *name;            /* for logs */
	void (*sample)(void *ctx, const struct sample_set *s);           /* may be NULL */
	void (*state)(void *ctx, const struct state_change *c);          /* may be NULL */
	/* A new config was loaded and is about to run (before any sample of
	 * it).  CONF is borrowed; it stays valid until the next reload or
	 * until the sinks are freed.  Returns 0 or a negative errno (logged
	 * by the sink; the reload goes on). */
	int (*reload)(void *ctx, const struct serat_config *conf);       /* may be NULL */
	/* Make everything emitted so far durable / visible (at stop, and
	 * before status.json is written at exit).  May block: never called
	 * from a poll path.  */
	void (*flush)(void *ctx);                                         /* may be NULL */
	void (*free)(void *ctx);                                          /* may be NULL */
};

struct sinks;

/* An empty set of sinks.  NULL on ENOMEM. */
struct sinks *sinks_new(void);

/* Calls every sink's free (in reverse order of registration).  NULL-safe. */
void sinks_free(struct sinks *s);

/* Register a sink.  OPS must be static; CTX is owned by the sink from now
 * on (its ops->free releases it with the set, also when this fails).
 * Returns 0 or -ENOMEM. */
int sinks_add(struct sinks *s, const struct sink_ops *ops, void *ctx);

/* The context of the first sink registered with OPS, or NULL. */
void *sinks_find(struct sinks *s, const struct sink_ops *ops);

/* How many sinks are registered. */
size_t sinks_count(const struct sinks *s);

void sinks_emit_sample(struct sinks *s, const struct sample_set *set);
void sinks_emit_state(struct sinks *s, const struct state_change *c);
void sinks_reload(struct sinks *s, const struct serat_config *conf);
void sinks_flush(struct sinks *s);

/* "reach", "reboot", "oper", "appeared", "gone". */
const char *state_kind_name(enum state_kind kind);

#endif
