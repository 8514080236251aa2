/*
 * icmp_stats.h — the per-interval figures of one ICMP target, from the
 * round-trip times of its requests.  Pure: no I/O, no globals.
 *
 * Definitions (also in docs/probes.md):
 *   loss %   = 100 × lost / sent, where lost = sent − received − late:
 *              a late reply proves the path works, so it is not loss, but it
 *              is not a usable RTT either (it came after the timeout).
 *   min, median, max: over the in-time replies; the median of an even
 *              count is the mean of the two middle values.
 *   jitter   = the mean absolute difference between the RTTs of
 *              consecutive in-time replies, in send order (requests without
 *              an in-time reply are skipped): RFC 3550's |D(i-1,i)| taken
 *              per pair and averaged arithmetically, not through RFC 3550's
 *              1/16 running filter, so one interval's figure does not
 *              depend on the one before.  Undefined under two replies.
 * Undefined figures are NAN (JSON null, RRD unknown).
 */
#ifndef SERAT_PROBES_ICMP_STATS_H
#define SERAT_PROBES_ICMP_STATS_H

#include <stddef.h>

struct icmp_rtt_summary {
	size_t n;            /* in-time replies */
	double min_ms, median_ms, max_ms, jitter_ms;
};

/*
 * Summarise RTTS_MS[0..N) (send order; NAN marks a request without an
 * in-time reply).  SCRATCH must hold N doubles (it is overwritten).
 */
void icmp_rtt_summarize(const double *rtts_ms, size_t n, double *scratch,
			struct icmp_rtt_summary *out);

/* 100 × LOST / SENT, or NAN when nothing was sent. */
double icmp_loss_pct(unsigned sent, unsigned lost);

#endif
