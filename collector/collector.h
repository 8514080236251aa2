/*
 * collector.h — the SNMP polling runtime: schedule, sessions, rates.
 *
 * A collector runs one loaded config: a snmp_dev per device and its timer.
 * Devices are polled once per interval, at offsets spread evenly over the
 * first `poller.spread` of it (a quarter by default) so there is no burst at
 * second 0 and a cycle completes early; at most max_in_flight polls run at
 * once, the others wait their turn in a FIFO.  A device still being polled
 * when its next turn comes skips that turn (an overrun, counted and logged
 * with back-off).
 *
 * What it measures goes two ways, and the collector knows no consumer:
 *   - into the runtime model (collector/model.h): state, last values and
 *     each interface's counter history — which outlive the collector, so a
 *     reload neither restarts rates nor forgets state;
 *   - out through the sinks (collector/sink.h): one sample set per device
 *     and per interface per poll, and state changes (device up/down,
 *     agent reboot, interface oper change, interface appeared/gone).
 *
 * A reload builds a new collector for the new config, frees the old one
 * (a poll it had in flight is dropped: no sample, no state change — it is
 * not an outage), reconciles the model and attaches the new collector.
 */
#ifndef SERAT_COLLECTOR_H
#define SERAT_COLLECTOR_H

#include <event2/event.h>

#include "collector/model.h"
#include "collector/sink.h"
#include "common/config.h"

struct collector;

/*
 * A collector for CONF on BASE, emitting into SINKS.  Both are borrowed and
 * must outlive the collector.  CYCLES > 0 makes it stop the loop once every
 * device finished that many polls.  NULL on failure (logged).  Call
 * collector_attach before collector_start.
 */
struct collector *collector_new(struct event_base *base, const struct serat_config *conf,
				struct sinks *sinks, unsigned cycles);

/*
 * Bind the collector's devices to MODEL, which must have been reconciled
 * with the collector's config (model_reconcile).  MODEL is borrowed.
 */
void collector_attach(struct collector *c, struct model *model);

/* Arms every device's first turn.  Returns 0 or a negative errno. */
int collector_start(struct collector *c);

/*
 * Stops polling and frees the sessions and timers.  A poll in flight is
 * dropped without a sample or a state change.  Does not flush the sinks.
 * NULL-safe.
 */
void collector_free(struct collector *c);

/* Polls completed, failed and turns overrun since the collector started,
 * and the duration of the last complete cycle (first turn to last reply). */
struct collector_stats {
	unsigned long long polls, failures, overruns;
	double last_cycle_s;
};
void collector_get_stats(const struct collector *c, struct collector_stats *out);

#endif
