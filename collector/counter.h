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
 *  - When the two clocks disagree by 10 % to 50 %, the sample's timing is in
 *    doubt — an agent that read sysUpTime, then stalled before reading the
 *    counters of the same reply (seen with a loaded or just-started agent),
 *    or a reply held up on the way — and either clock could be the wrong
 *    one: a gap, never a skewed rate.  Far beyond that, or when sysUpTime
 *    does not move at all, the agent's clock is broken: ours is used.
 */
#ifndef SERAT_COUNTER_H
#define SERAT_COUNTER_H

#include <stdint.h>

/*
 * Rate per second of a counter of WIDTH bits (32 or 64) that went from PREV
 * to CUR in DT seconds.  MAX_RATE (per second, 0 = no limit) bounds a
 * plausible 32-bit wrap.  Returns 0 and sets *RATE, -ERANGE when the sample
 * must be a gap (reset), -EINVAL for DT <= 0 or a bad width.
 */
int counter_rate(uint64_t prev, uint64_t cur, unsigned width, double dt,
		 double max_rate, double *rate);

enum counter_clock {
	COUNTER_CLOCK_AGENT,   /* sysUpTime delta used */
	COUNTER_CLOCK_LOCAL,   /* agent time unusable; local delta used */
	COUNTER_CLOCK_REBOOT,  /* sysUpTime went back: the agent restarted */
	COUNTER_CLOCK_SKEW,    /* the clocks disagree: timing in doubt, a gap */
};

/*
 * Seconds between two samples.  TICKS_* are sysUpTime values (centiseconds,
 * modulo 2^32), LOCAL_DT our monotonic delta in seconds.  Sets *DT and
 * returns which clock was used; on COUNTER_CLOCK_REBOOT and _SKEW *DT is
 * LOCAL_DT and the caller must not compute rates from the previous sample.
 *
 * sysUpTime wraps after 497 days; a wrap is told from a reboot by the
 * modular delta agreeing with LOCAL_DT.  Agents whose sysUpTime does not
 * tick (static recordings, some embedded stacks) fall back to LOCAL_DT.
 */
enum counter_clock counter_elapsed(uint32_t ticks_prev, uint32_t ticks_cur,
				   double local_dt, double *dt);

#endif
