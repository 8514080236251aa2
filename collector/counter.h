/*
 * counter.h — turning SNMP counter readings into rates, honestly.
 *
 * Pure functions, no I/O, no globals: they are the arithmetic that must be
 * right, so they are unit-tested exhaustively (tests/unit/test_counter.c).
 *
 * The rules (DESIGN.md "Correct numbers"):
 *  - A 32-bit counter that went down wrapped once, unless the implied rate is
 *    impossible for the link (then the counter was reset: a gap).
 *  - A 64-bit counter never wraps in practice (2^64 octets at 100 Gbit/s is
 *    46 years), so going down means a reset: a gap.
 *  - The time between two samples is the agent's own (sysUpTime, 1/100 s)
 *    when it ticks in step with our clock, so reply latency does not distort
 *    rates.  sysUpTime going back is an agent reboot: every counter of the
 *    device restarts, a gap, never a spike.
 *  - Our own clock is used only for agents whose sysUpTime does not move at
 *    all (static recordings, some embedded stacks).  Any other disagreement
 *    beyond 10 % is a gap, never a rate: our timestamp is taken when the
 *    reply is read, so a stalled event loop makes it late by the stall, and
 *    an agent can stall between reading sysUpTime and the counters of one
 *    reply; either clock can be the wrong one.
 *  - sysUpTime that grew less than the time that passed, to a value below
 *    that time, means the agent restarted since the previous sample — once
 *    or several times (two restarts within one interval leave sysUpTime
 *    above its previous value but below the elapsed time): a reboot.
 *  - No counter can move faster than its link can carry: a delta above
 *    counter_rate_ceiling() (the link speed with a margin, or the fastest
 *    link there is when the agent reports no speed) is a gap, for 32- and
 *    64-bit counters alike (a Counter64 jump of 2^50, a garbage value).
 */
#ifndef SERAT_COUNTER_H
#define SERAT_COUNTER_H

#include <stdint.h>

/* The fastest interface there is (400GbE), for agents reporting no speed. */
#define COUNTER_MAX_LINK_BPS 400e9
/* Headroom over the link speed: agents that update their counters in
 * bursts (every few seconds) show short-interval deltas above line rate. */
#define COUNTER_CEILING_MARGIN 2.0
/* The smallest frame counted as a packet, in octets (an Ethernet minimum). */
#define COUNTER_MIN_FRAME 64

enum counter_kind {
	COUNTER_OCTETS,        /* ifIn/OutOctets, ifHC*Octets */
	COUNTER_PACKETS,       /* packets, errors, discards */
};

/*
 * The highest plausible rate per second of a counter of KIND on a link of
 * SPEED_BPS bit/s (<= 0 or NAN: unknown, COUNTER_MAX_LINK_BPS is assumed):
 * octets at COUNTER_CEILING_MARGIN times line rate, packets as that many
 * minimum frames.  Pass it as counter_rate()'s MAX_RATE.
 */
double counter_rate_ceiling(double speed_bps, enum counter_kind kind);

/*
 * Rate per second of a counter of WIDTH bits (32 or 64) that went from PREV
 * to CUR in DT seconds.  MAX_RATE (per second, 0 = no limit) bounds the
 * rate, and so a plausible 32-bit wrap.  Returns 0 and sets *RATE, -ERANGE when the sample
 * must be a gap (reset), -EINVAL for DT <= 0 or a bad width.
 */
int counter_rate(uint64_t prev, uint64_t cur, unsigned width, double dt,
		 double max_rate, double *rate);

enum counter_clock {
	COUNTER_CLOCK_AGENT,   /* sysUpTime delta used */
	COUNTER_CLOCK_LOCAL,   /* sysUpTime did not move; local delta used */
	COUNTER_CLOCK_REBOOT,  /* the agent restarted (once or more) since PREV */
	COUNTER_CLOCK_SKEW,    /* the clocks disagree: timing in doubt, a gap */
};

/*
 * Seconds between two samples.  TICKS_* are sysUpTime values (centiseconds,
 * modulo 2^32), LOCAL_DT our monotonic delta in seconds.  Sets *DT and
 * returns which clock was used; on COUNTER_CLOCK_REBOOT and _SKEW *DT is
 * LOCAL_DT and the caller must not compute rates from the previous sample.
 *
 * sysUpTime wraps after 497 days; a wrap is told from a reboot by the
 * modular delta agreeing with LOCAL_DT.  Only agents whose sysUpTime does
 * not move at all fall back to LOCAL_DT (COUNTER_CLOCK_LOCAL).
 */
enum counter_clock counter_elapsed(uint32_t ticks_prev, uint32_t ticks_cur,
				   double local_dt, double *dt);

#endif
