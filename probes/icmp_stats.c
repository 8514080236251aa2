/*
 * icmp_stats.c — min/median/max, jitter and loss of one target's interval
 * (definitions in icmp_stats.h).
 */
#include "config.h"

#include "probes/icmp_stats.h"

#include <math.h>
#include <stdlib.h>

static int icmp_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void icmp_rtt_summarize(const double *rtts_ms, size_t n, double *scratch,
			struct icmp_rtt_summary *out)
{
	double prev = NAN, diffs = 0;
	size_t k = 0, pairs = 0;

	for (size_t i = 0; i < n; i++) {
		if (isnan(rtts_ms[i]))
			continue;
		scratch[k++] = rtts_ms[i];
		if (!isnan(prev)) {
			diffs += fabs(rtts_ms[i] - prev);
			pairs++;
		}
		prev = rtts_ms[i];
	}
	out->n = k;
	out->jitter_ms = pairs ? diffs / (double)pairs : NAN;
	if (k == 0) {
		out->min_ms = out->median_ms = out->max_ms = NAN;
		return;
	}
	qsort(scratch, k, sizeof(*scratch), icmp_cmp_double);
	out->min_ms = scratch[0];
	out->max_ms = scratch[k - 1];
	out->median_ms = k % 2 ? scratch[k / 2] : (scratch[k / 2 - 1] + scratch[k / 2]) / 2;
}

double icmp_loss_pct(unsigned sent, unsigned lost)
{
	return sent ? 100.0 * (double)lost / (double)sent : NAN;
}
