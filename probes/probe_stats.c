/*
 * probe_stats.c — counters and RTT quantiles for one site and interval.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "probes/probe_stats.h"

void probe_site_stats_cleanup(struct probe_site_stats *s)
{
	free(s->handshake_rtt.v);
	free(s->icmp_rtt.v);
	memset(s, 0, sizeof(*s));
}

void probe_site_stats_reset(struct probe_site_stats *s)
{
	struct probe_samples h = s->handshake_rtt, i = s->icmp_rtt;
	memset(s, 0, sizeof(*s));
	/* Keep the buffers: the next interval will want them again. */
	s->handshake_rtt.v = h.v;
	s->handshake_rtt.alloc = h.alloc;
	s->icmp_rtt.v = i.v;
	s->icmp_rtt.alloc = i.alloc;
}

/* xorshift64*: a small repeatable generator for the reservoir. */
static uint64_t probe_rng(struct probe_samples *ps)
{
	if (ps->rng == 0)
		ps->rng = 0x2545f4914f6cdd1dULL;
	ps->rng ^= ps->rng >> 12;
	ps->rng ^= ps->rng << 25;
	ps->rng ^= ps->rng >> 27;
	return ps->rng * 0x2545f4914f6cdd1dULL;
}

int probe_samples_add(struct probe_samples *ps, double ms)
{
	if (ps->seen == 0 || ms < ps->min)
		ps->min = ms;
	if (ps->seen == 0 || ms > ps->max)
		ps->max = ms;
	ps->seen++;
	if (ps->n == PROBE_MAX_SAMPLES) {
		uint64_t j = probe_rng(ps) % ps->seen;
		if (j < ps->n)
			ps->v[j] = ms;
		return 0;
	}
	if (ps->n == ps->alloc) {
		uint32_t na = ps->alloc ? ps->alloc * 2 : 64;
		double *nv = realloc(ps->v, (size_t)na * sizeof(*nv));
		if (nv == NULL)
			return -ENOMEM;
		ps->v = nv;
		ps->alloc = na;
	}
	ps->v[ps->n++] = ms;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median and nearest-rank p95 of the (sorted here) samples. */
static void probe_quantiles(struct probe_samples *ps, double *median, double *p95)
{
	uint32_t n = ps->n;

	*median = *p95 = NAN;
	if (n == 0)
		return;
	qsort(ps->v, n, sizeof(double), cmp_double);
	*median = n % 2 ? ps->v[n / 2] : (ps->v[n / 2 - 1] + ps->v[n / 2]) / 2;
	if (p95) {
		uint32_t rank = (uint32_t)ceil(0.95 * n);
		*p95 = ps->v[(rank ? rank : 1) - 1];
	}
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : NAN;
}

void probe_stats_summarise(struct probe_site_stats *s, struct probe_summary *out)
{
	double unused;

	memset(out, 0, sizeof(*out));
	out->packets = s->packets;
	out->bytes = s->bytes;
	out->tcp_handshakes = s->handshake_rtt.seen;
	probe_quantiles(&s->handshake_rtt, &out->tcp_handshake_rtt_median_ms,
			&out->tcp_handshake_rtt_p95_ms);
	out->tcp_segments = s->tcp_segments;
	out->tcp_retransmissions = s->tcp_retransmissions;
	out->tcp_retrans_pct = pct(s->tcp_retransmissions, s->tcp_segments);
	out->tcp_zero_windows = s->tcp_zero_windows;
	out->icmp_echo_requests = s->icmp_echo_requests;
	out->icmp_echo_replies = s->icmp_echo_replies;
	out->icmp_echo_answered = s->icmp_echo_answered;
	out->icmp_loss_pct = s->icmp_echo_requests > s->icmp_echo_answered ?
		pct(s->icmp_echo_requests - s->icmp_echo_answered, s->icmp_echo_requests) :
		pct(0, s->icmp_echo_requests);
	probe_quantiles(&s->icmp_rtt, &out->icmp_rtt_median_ms, &unused);
	out->icmp_rtt_min_ms = s->icmp_rtt.seen ? s->icmp_rtt.min : NAN;
	out->icmp_rtt_max_ms = s->icmp_rtt.seen ? s->icmp_rtt.max : NAN;
}
