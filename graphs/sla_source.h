/*
 * sla_source.h — the SLA report's one dependency on the event store: reads
 * a device's state changes and the maintenance windows of a month from the
 * SQLite file seratd writes (<data_dir>/events.db, schema of the alerts
 * part: docs/events.md; the columns used are listed in docs/sla.md) and
 * turns them into the intervals sla_calc takes.
 *
 * Read-only and bounded by the month: per device one query for the state in
 * force when the month starts (the last change before it) and one for the
 * changes inside it, both on the (device, t) index; maintenance windows
 * overlapping the month once.  A year of history costs nothing extra.
 *
 * State changes of kind "reach" (device reachability, ifname NULL) become
 * intervals: each change holds until the next one, the last one until the
 * end of the span.  to_state "up"/"down"/"unknown"; a down change's
 * `cause` column names the root-cause device when a parent was at fault,
 * its `reason` why the device did not answer (cause text of the outage,
 * "unreachable" when empty).  Time before the device's first record is not
 * covered (unknown to sla_calc); that first record is also taken as the
 * time the device was added (sla_history.first).
 */
#ifndef SERAT_SLA_SOURCE_H
#define SERAT_SLA_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "graphs/sla_calc.h"

struct sla_source;

/* Open PATH read-only.  NULL on failure, with the reason in ERR ("PATH:
 * ..."). */
struct sla_source *sla_source_open(const char *path, char *err, size_t errlen);
void sla_source_free(struct sla_source *src);   /* NULL-safe */

/* One device's history over a span.  Owns its arrays and the strings the
 * intervals point at; release with sla_history_cleanup. */
struct sla_history {
	struct sla_interval *iv;
	size_t n_iv, cap_iv;
	int64_t first;             /* time of the device's first record ever; 0 = none */
	char **strings;            /* owned: causes and root causes */
	size_t n_strings, cap_strings;
};

void sla_history_cleanup(struct sla_history *h);   /* NULL-safe, idempotent */

/* Append an interval (copying CAUSE and ROOT).  0 or -ENOMEM. */
int sla_history_add(struct sla_history *h, int64_t start, int64_t end, enum sla_state state,
		    const char *cause, const char *root);

/* Append DEVICE's reachability intervals over SPAN to H (zeroed by the
 * caller or holding earlier intervals) and set H->first.  0, -EIO (logged
 * with the query), -ENOMEM. */
int sla_source_history(struct sla_source *src, const char *device, struct sla_span span,
		       struct sla_history *h);

/* A maintenance window and whom it is for (a device or a site name). */
struct sla_maint {
	char *target;
	struct sla_span span;
};

/* Every window overlapping SPAN into *OUT (caller frees with
 * sla_maint_free).  Count, or -EIO / -ENOMEM. */
long sla_source_maintenance(struct sla_source *src, struct sla_span span, struct sla_maint **out);
void sla_maint_free(struct sla_maint *m, size_t n);

#endif
