/*
 * lateness_probe.c — a timer that measures its own lateness.  See
 * lateness_probe.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/lateness_probe.h"
#include "common/log.h"

struct lateness_probe {
	struct event *ev;
	FILE *out;
	double period;
	double due;                 /* monotonic time the next firing is due */
	double window_end;          /* monotonic end of the current second */
	double worst;               /* seconds, in the current second */
	unsigned firings;
};

static double lateness_clock(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void lateness_probe_report(struct lateness_probe *p)
{
	fprintf(p->out, "%.3f %.3f %u\n", lateness_clock(CLOCK_REALTIME), p->worst * 1000,
		p->firings);
	fflush(p->out);
	p->worst = 0;
	p->firings = 0;
}

static void lateness_probe_arm(struct lateness_probe *p, double now)
{
	double delay = p->due - now;
	if (delay < 0)
		delay = 0;
	struct timeval tv = { (time_t)delay, (suseconds_t)((delay - (time_t)delay) * 1e6) };
	evtimer_add(p->ev, &tv);
}

static void lateness_probe_fire(evutil_socket_t fd, short what, void *arg)
{
	struct lateness_probe *p = arg;
	double now = lateness_clock(CLOCK_MONOTONIC);
	double late = now - p->due;

	if (late > p->worst)
		p->worst = late;
	p->firings++;
	if (now >= p->window_end) {
		lateness_probe_report(p);
		p->window_end = now + 1.0;
	}
	/* Due times stay on their grid: one late firing does not shift
	 * the next, and a stall longer than a period counts once. */
	do
		p->due += p->period;
	while (p->due <= now);
	lateness_probe_arm(p, now);
}

struct lateness_probe *lateness_probe_new(struct event_base *base, const char *path,
					  double period_s)
{
	struct lateness_probe *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->out = fopen(path, "a");
	p->ev = evtimer_new(base, lateness_probe_fire, p);
	if (p->out == NULL || p->ev == NULL) {
		log_err("lateness probe: cannot open %s: %s", path, strerror(errno));
		lateness_probe_free(p);
		return NULL;
	}
	double now = lateness_clock(CLOCK_MONOTONIC);
	p->period = period_s > 0 ? period_s : 0.1;
	p->due = now + p->period;
	p->window_end = now + 1.0;
	lateness_probe_arm(p, now);
	return p;
}

void lateness_probe_free(struct lateness_probe *p)
{
	if (p == NULL)
		return;
	if (p->out != NULL && p->firings > 0)
		lateness_probe_report(p);
	if (p->ev)
		event_free(p->ev);
	if (p->out)
		fclose(p->out);
	free(p);
}
