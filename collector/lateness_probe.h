/*
 * lateness_probe.h — how late the event loop runs a 100 ms timer.
 *
 * A debugging aid for bench/loop_lateness.sh (seratd --lateness-log FILE):
 * a persistent timer every PERIOD seconds measures, each time it fires, how
 * much later than due it runs — the time the loop spent in something else
 * without returning to the timers.  Once a second it appends a line
 *
 *     WALL_SECONDS WORST_MS FIRINGS
 *
 * (wall clock, so a script can line it up with the moment it sent a
 * signal) and starts a new worst.  The line is a small buffered write on
 * the loop, flushed without fsync; it is a measurement switch, off unless
 * asked for.
 */
#ifndef SERAT_LATENESS_PROBE_H
#define SERAT_LATENESS_PROBE_H

#include <event2/event.h>

struct lateness_probe;

/* Start the probe on BASE, appending to PATH.  NULL on failure (logged). */
struct lateness_probe *lateness_probe_new(struct event_base *base, const char *path,
					  double period_s);

/* Writes the last partial second and stops.  NULL-safe. */
void lateness_probe_free(struct lateness_probe *p);

#endif
