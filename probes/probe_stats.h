/*
 * probe_stats.h — the passive probe's figures for one site and interval.
 *
 * struct probe_site_stats collects: counters, and the RTT samples behind
 * the medians (a handshake RTT per completed handshake, an echo RTT per
 * answered request).  probe_stats_summarise() turns it into struct
 * probe_summary, the fixed-size figures that are printed by `serat probe`
 * and sent from the capture child to seratd.
 *
 * Definitions (docs/probes.md):
 *   retrans_pct   = 100 * retransmissions / TCP segments with data, SYN or FIN
 *   icmp_loss_pct = 100 * (requests - answered requests) / requests
 *   medians are the middle sample (the mean of the two middle ones for an
 *   even count); p95 is the nearest-rank 95th percentile.
 * Figures without samples are NaN (JSON null): no traffic is not 0 ms.
 *
 * Samples are kept exactly up to PROBE_MAX_SAMPLES per set; past that a
 * reservoir sample of that size (Vitter's algorithm R, with a fixed-seed
 * generator so a run is repeatable) stands for them.
 */
#ifndef SERAT_PROBES_PROBE_STATS_H
#define SERAT_PROBES_PROBE_STATS_H

#include <stddef.h>
#include <stdint.h>

#define PROBE_MAX_SAMPLES (1u << 20)

struct probe_samples {
	double *v;                /* milliseconds */
	uint32_t n, alloc;
	uint64_t seen;            /* samples offered, >= n */
	double min, max;          /* exact, over everything offered */
	uint64_t rng;
};

struct probe_site_stats {
	uint64_t packets, bytes;
	uint64_t tcp_segments;    /* with data, SYN or FIN */
	uint64_t tcp_retransmissions;
	uint64_t tcp_zero_windows;
	uint64_t icmp_echo_requests, icmp_echo_replies, icmp_echo_answered;
	struct probe_samples handshake_rtt;   /* count = tcp handshakes */
	struct probe_samples icmp_rtt;
};

struct probe_summary {
	uint64_t packets, bytes;
	uint64_t tcp_handshakes;
	double tcp_handshake_rtt_median_ms, tcp_handshake_rtt_p95_ms;
	uint64_t tcp_segments, tcp_retransmissions;
	double tcp_retrans_pct;
	uint64_t tcp_zero_windows;
	uint64_t icmp_echo_requests, icmp_echo_replies, icmp_echo_answered;
	double icmp_loss_pct;
	double icmp_rtt_min_ms, icmp_rtt_median_ms, icmp_rtt_max_ms;
};

/* Zeroed stats are valid and empty; cleanup frees the samples. */
void probe_site_stats_cleanup(struct probe_site_stats *s);
void probe_site_stats_reset(struct probe_site_stats *s);

/* Add one sample (ms).  Returns 0 or -ENOMEM (the sample is dropped from
 * the median set; min/max and the count still see it). */
int probe_samples_add(struct probe_samples *ps, double ms);

/* Figures from S.  Sorts S's samples in place. */
void probe_stats_summarise(struct probe_site_stats *s, struct probe_summary *out);

#endif
