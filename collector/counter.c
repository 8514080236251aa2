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

double counter_rate_ceiling(double speed_bps, enum counter_kind kind)
{
	double bps = speed_bps > 0 ? speed_bps : COUNTER_MAX_LINK_BPS;   /* NAN too */
	double octets = bps / 8 * COUNTER_CEILING_MARGIN;
	return kind == COUNTER_OCTETS ? octets : octets / COUNTER_MIN_FRAME;
}

/* The clocks agree when they are within 10 % (plus 30 ms: the 10 ms tick
 * at both ends and reply jitter on short test intervals). */
static double counter_tolerance(double local_dt)
{
	return 0.03 + 0.10 * local_dt;
}

enum counter_clock counter_elapsed(uint32_t ticks_prev, uint32_t ticks_cur,
				   double local_dt, double *dt)
{
	double agent_dt = (double)(uint32_t)(ticks_cur - ticks_prev) / 100.0;

	*dt = local_dt;
	if (ticks_cur == ticks_prev)
		return COUNTER_CLOCK_LOCAL;     /* a clock that never moves */
	if (fabs(agent_dt - local_dt) <= counter_tolerance(local_dt)) {
		/* Also sysUpTime's wrap after 497 days: the modular delta
		 * fits our clock. */
		*dt = agent_dt;
		return COUNTER_CLOCK_AGENT;
	}
	/* Uptime went back, or is now shorter than the time that passed:
	 * the agent booted since the previous sample (maybe twice, which
	 * leaves uptime above its previous value). */
	if (ticks_cur < ticks_prev || 
	    (double)ticks_cur / 100.0 <= local_dt + counter_tolerance(local_dt))
		return COUNTER_CLOCK_REBOOT;
	return COUNTER_CLOCK_SKEW;
}
