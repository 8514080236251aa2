/*
 * counter.c — counter deltas, wraps, resets and the time base.
 * See counter.h for the rules; this file only implements them.
 */
#include "config.h"

#include <errno.h>
#include <math.h>

#include "collector/counter.h"

int counter_rate(uint64_t prev, uint64_t cur, unsigned width, double dt,
		 double max_rate, double *rate)
{
	if (!(dt > 0) || (width != 32 && width != 64))
		return -EINVAL;
	uint64_t delta;
	if (cur >= prev) {
		delta = cur - prev;
	} else if (width == 32 && prev <= UINT32_MAX && cur <= UINT32_MAX) {
		delta = (uint64_t)UINT32_MAX + 1 - prev + cur;
		/* A wrap must be possible at the link's speed; a huge
		 * "wrap" after a counter reset would be a spike. */
		if (max_rate > 0 && (double)delta / dt > max_rate)
			return -ERANGE;
	} else {
		return -ERANGE;
	}
	double r = (double)delta / dt;
	if (max_rate > 0 && r > max_rate)
		return -ERANGE;
	*rate = r;
	return 0;
}

/* The clocks agree when they are within 10 % (plus 30 ms: the 10 ms tick
 * at both ends and reply jitter on short test intervals); they are the same
 * clock, but a sample's timing is in doubt, up to 50 %. */
static int counter_agent_agrees(double agent_dt, double local_dt)
{
	return fabs(agent_dt - local_dt) <= 0.03 + 0.10 * local_dt;
}

static int counter_same_clock(double agent_dt, double local_dt)
{
	return fabs(agent_dt - local_dt) <= 0.05 + 0.5 * local_dt;
}

enum counter_clock counter_elapsed(uint32_t ticks_prev, uint32_t ticks_cur,
				   double local_dt, double *dt)
{
	double agent_dt = (double)(uint32_t)(ticks_cur - ticks_prev) / 100.0;

	*dt = local_dt;
	if (ticks_cur < ticks_prev) {
		/* Either the 497-day wrap (the modular delta fits our clock)
		 * or a restart of the agent. */
		if (counter_same_clock(agent_dt, local_dt)) {
			if (!counter_agent_agrees(agent_dt, local_dt))
				return COUNTER_CLOCK_SKEW;
			*dt = agent_dt;
			return COUNTER_CLOCK_AGENT;
		}
		return COUNTER_CLOCK_REBOOT;
	}
	if (agent_dt > 0 && counter_agent_agrees(agent_dt, local_dt)) {
		*dt = agent_dt;
		return COUNTER_CLOCK_AGENT;
	}
	if (agent_dt > 0 && counter_same_clock(agent_dt, local_dt))
		return COUNTER_CLOCK_SKEW;
	return COUNTER_CLOCK_LOCAL;
}
