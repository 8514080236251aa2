/*
 * sla_calc.c — availability arithmetic.  See sla_calc.h for the contract.
 *
 * The algorithm, once: every start and end that falls inside the period
 * (intervals, maintenance windows, the period's own bounds) cuts it into
 * elementary ranges, within which nothing changes.  Each interval then
 * "paints" the ranges it covers when it is stronger than what is there;
 * maintenance windows set a flag.  Neighbouring ranges that ended up alike
 * merge into one segment.  The cost is O(b log b + sum of ranges painted),
 * b = number of boundaries: the event store gives one device a few dozen
 * intervals a month, so quadratic overlap never occurs in practice, and a
 * sweep with an ordered set of active intervals was not worth its code.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graphs/sla_calc.h"

static int sla_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Sort and deduplicate V in place; the new count. */
static size_t sla_uniq(int64_t *v, size_t n)
{
	size_t k = 0;

	qsort(v, n, sizeof(*v), sla_cmp_i64);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/* Index of T in the sorted V (T is known to be there). */
static size_t sla_find(const int64_t *v, size_t n, int64_t t)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int64_t sla_max(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t sla_min(int64_t a, int64_t b) { return a < b ? a : b; }

static int sla_streq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Append S to TL, merging with the last segment when they are alike and
 * touch.  TL->segs has room for one segment per elementary range. */
static void sla_push(struct sla_timeline *tl, const struct sla_seg *s)
{
	struct sla_seg *last = tl->n ? &tl->segs[tl->n - 1] : NULL;

	if (last && last->end == s->start && last->state == s->state && last->maint == s->maint &&
	    sla_streq(last->device, s->device) && sla_streq(last->cause, s->cause) &&
	    sla_streq(last->root_cause, s->root_cause)) {
		last->end = s->end;
		return;
	}
	tl->segs[tl->n++] = *s;
}

/* Strength of a raw interval where intervals overlap (see sla_calc.h). */
static int sla_iv_rank(const struct sla_interval *iv)
{
	switch (iv->state) {
	case SLA_UNKNOWN: return 3;
	case SLA_DOWN: return iv->root_cause ? 1 : 2;
	default: return 0;
	}
}

int sla_timeline_build(struct sla_timeline *tl, const struct sla_device_input *dev)
{
	int64_t ps = sla_max(dev->month.start, dev->added), pe = dev->month.end;
	int64_t *b = NULL;
	long *src = NULL;      /* per range: index of the painting interval, -1 none */
	char *maint = NULL;
	size_t nb = 0, nr;
	int r = -ENOMEM;

	memset(tl, 0, sizeof(*tl));
	if (dev->now > 0)
		pe = sla_min(pe, dev->now);
	if (pe <= ps) {
		tl->period = (struct sla_span){ ps, ps };
		return 0;
	}
	tl->period = (struct sla_span){ ps, pe };
	b = malloc((2 + 2 * dev->n_iv + 2 * dev->n_maint) * sizeof(*b));
	if (b == NULL)
		goto out;
	b[nb++] = ps;
	b[nb++] = pe;
	for (size_t i = 0; i < dev->n_iv; i++) {
		int64_t s = sla_max(dev->iv[i].start, ps), e = sla_min(dev->iv[i].end, pe);
		if (s < e) {
			b[nb++] = s;
			b[nb++] = e;
		}
	}
	for (size_t i = 0; i < dev->n_maint; i++) {
		int64_t s = sla_max(dev->maint[i].start, ps), e = sla_min(dev->maint[i].end, pe);
		if (s < e) {
			b[nb++] = s;
			b[nb++] = e;
		}
	}
	nb = sla_uniq(b, nb);
	nr = nb - 1;
	src = malloc(nr * sizeof(*src));
	maint = calloc(nr, 1);
	tl->segs = malloc(nr * sizeof(*tl->segs));
	if (src == NULL || maint == NULL || tl->segs == NULL)
		goto out;
	for (size_t k = 0; k < nr; k++)
		src[k] = -1;
	for (size_t i = 0; i < dev->n_iv; i++) {
		const struct sla_interval *iv = &dev->iv[i];
		int64_t s = sla_max(iv->start, ps), e = sla_min(iv->end, pe);
		int rank = sla_iv_rank(iv);

		if (s >= e)
			continue;
		for (size_t k = sla_find(b, nb, s); b[k] < e; k++)
			if (src[k] < 0 || rank > sla_iv_rank(&dev->iv[src[k]]))
				src[k] = (long)i;
	}
	for (size_t i = 0; i < dev->n_maint; i++) {
		int64_t s = sla_max(dev->maint[i].start, ps), e = sla_min(dev->maint[i].end, pe);
		if (s >= e)
			continue;
		for (size_t k = sla_find(b, nb, s); b[k] < e; k++)
			maint[k] = 1;
	}
	for (size_t k = 0; k < nr; k++) {
		struct sla_seg s = { b[k], b[k + 1], SLA_UNKNOWN, maint[k], dev->device, NULL, NULL };
		if (src[k] >= 0) {
			const struct sla_interval *iv = &dev->iv[src[k]];
			s.state = iv->state;
			if (iv->state == SLA_DOWN) {
				s.cause = iv->cause;
				s.root_cause = iv->root_cause;
			}
		}
		sla_push(tl, &s);
	}
	r = 0;
out:
	free(b);
	free(src);
	free(maint);
	if (r < 0)
		sla_timeline_cleanup(tl);
	return r;
}

int sla_seg_rank(const struct sla_seg *s)
{
	switch (s->state) {
	case SLA_DOWN:
		if (s->maint)
			return 3;
		return s->root_cause ? 4 : 5;
	case SLA_UNKNOWN:
		return 2;
	default:
		return s->maint ? 1 : 0;
	}
}

int sla_timeline_combine(struct sla_timeline *out, const struct sla_timeline *const *in,
			 size_t n)
{
	int64_t ps = 0, pe = 0, *b = NULL;
	size_t nb = 0, total = 0, *pos = NULL;
	int have = 0, r = -ENOMEM;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		if (in[i]->period.end <= in[i]->period.start)
			continue;
		ps = have ? sla_min(ps, in[i]->period.start) : in[i]->period.start;
		pe = have ? sla_max(pe, in[i]->period.end) : in[i]->period.end;
		have = 1;
		total += in[i]->n;
	}
	if (!have) {
		out->period = n ? in[0]->period : (struct sla_span){ 0, 0 };
		return 0;
	}
	out->period = (struct sla_span){ ps, pe };
	b = malloc((2 + 2 * total) * sizeof(*b));
	pos = calloc(n, sizeof(*pos));
	if (b == NULL || pos == NULL)
		goto out;
	b[nb++] = ps;
	b[nb++] = pe;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < in[i]->n; j++) {
			b[nb++] = in[i]->segs[j].start;
			b[nb++] = in[i]->segs[j].end;
		}
	nb = sla_uniq(b, nb);
	out->segs = malloc((nb - 1) * sizeof(*out->segs));
	if (out->segs == NULL)
		goto out;
	for (size_t k = 0; k + 1 < nb; k++) {
		struct sla_seg s = { b[k], b[k + 1], SLA_UNKNOWN, 0, NULL, NULL, NULL };
		int best = -1;

		for (size_t i = 0; i < n; i++) {
			const struct sla_timeline *t = in[i];
			while (pos[i] < t->n && t->segs[pos[i]].end <= b[k])
				pos[i]++;
			if (pos[i] < t->n && t->segs[pos[i]].start <= b[k]) {
				const struct sla_seg *d = &t->segs[pos[i]];
				int rank = sla_seg_rank(d);
				if (rank > best) {
					best = rank;
					s = *d;
				}
			}
		}
		s.start = b[k];
		s.end = b[k + 1];
		sla_push(out, &s);
	}
	r = 0;
out:
	free(b);
	free(pos);
	if (r < 0)
		sla_timeline_cleanup(out);
	return r;
}

void sla_timeline_cleanup(struct sla_timeline *tl)
{
	if (tl == NULL)
		return;
	free(tl->segs);
	tl->segs = NULL;
	tl->n = 0;
}

/* A run of down time being counted (seen, or contractual). */
struct sla_run {
	int64_t end;     /* where the current run ends; -1 = none */
	int64_t len;
};

static void sla_run_add(struct sla_run *run, int64_t a, int64_t b, unsigned *count, int64_t *longest)
{
	if (run->end == a) {
		run->len += b - a;
	} else {
		(*count)++;
		run->len = b - a;
	}
	run->end = b;
	if (run->len > *longest)
		*longest = run->len;
}

static void sla_fig_piece(struct sla_figures *f, const struct sla_seg *s, int64_t a, int64_t b,
			  struct sla_run *seen, struct sla_run *contract)
{
	int64_t len = b - a;

	f->period_s += len;
	if (s->maint)
		f->maint_s += len;
	if (s->state == SLA_UNKNOWN) {
		f->unknown_s += len;
		return;
	}
	f->known_s += len;
	if (SLA_SEG_EXCLUDED(s))
		f->excluded_s += len;
	if (s->state != SLA_DOWN)
		return;
	f->down_s += len;
	sla_run_add(seen, a, b, &f->outages, &f->longest_s);
	if (s->maint)
		f->down_planned_s += len;
	else if (s->root_cause)
		f->down_parent_s += len;
	else {
		f->down_contract_s += len;
		sla_run_add(contract, a, b, &f->outages_contract, &f->longest_contract_s);
	}
}

void sla_figures_compute(struct sla_figures *f, const struct sla_timeline *tl,
			 const struct sla_span *within, size_t n_within)
{
	struct sla_run seen = { -1, 0 }, contract = { -1, 0 };
	size_t w = 0;

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < tl->n; i++) {
		const struct sla_seg *s = &tl->segs[i];

		if (within == NULL) {
			sla_fig_piece(f, s, s->start, s->end, &seen, &contract);
			continue;
		}
		/* Spans ending before this segment are done for good. */
		while (w < n_within && within[w].end <= s->start)
			w++;
		for (size_t j = w; j < n_within && within[j].start < s->end; j++) {
			int64_t a = sla_max(s->start, within[j].start);
			int64_t b = sla_min(s->end, within[j].end);
			if (a < b)
				sla_fig_piece(f, s, a, b, &seen, &contract);
		}
	}
}

int sla_avail_contract(const struct sla_figures *f, int64_t *good, int64_t *den)
{
	*den = f->known_s - f->excluded_s;
	*good = *den - f->down_contract_s;
	return *den > 0 ? 0 : -1;
}

int sla_avail_seen(const struct sla_figures *f, int64_t *good, int64_t *den)
{
	*den = f->known_s;
	*good = *den - f->down_s;
	return *den > 0 ? 0 : -1;
}

int64_t sla_mttr_s(const struct sla_figures *f)
{
	return f->outages_contract ? f->down_contract_s / f->outages_contract : -1;
}

int64_t sla_mtbf_s(const struct sla_figures *f)
{
	int64_t good, den;

	if (f->outages_contract == 0)
		return -1;
	sla_avail_contract(f, &good, &den);
	return good / f->outages_contract;
}

int sla_pct_floor(int64_t good, int64_t den, unsigned decimals, char *buf, size_t len)
{
	unsigned __int128 q;
	uint64_t unit = 1, scale;

	if (len)
		buf[0] = '\0';
	if (den <= 0 || good < 0 || good > den || decimals > 6)
		return -1;
	for (unsigned i = 0; i < decimals; i++)
		unit *= 10;
	scale = unit * 100;
	q = (unsigned __int128)good * scale / (uint64_t)den;
	if (decimals == 0)
		return snprintf(buf, len, "%llu", (unsigned long long)q);
	return snprintf(buf, len, "%llu.%0*llu", (unsigned long long)(q / unit), (int)decimals,
			(unsigned long long)(q % unit));
}

/* 0 own cause, 1 a parent's, 2 planned: what an outage entry is one of. */
static int sla_seg_class(const struct sla_seg *s)
{
	return s->maint ? 2 : s->root_cause ? 1 : 0;
}

int sla_outage_next(const struct sla_timeline *tl, size_t *pos, struct sla_outage *o)
{
	size_t i = *pos;
	int cls;

	while (i < tl->n && tl->segs[i].state != SLA_DOWN)
		i++;
	if (i >= tl->n) {
		*pos = i;
		return 0;
	}
	cls = sla_seg_class(&tl->segs[i]);
	*o = (struct sla_outage){ tl->segs[i].start, tl->segs[i].end, tl->segs[i].device,
				  tl->segs[i].cause, tl->segs[i].root_cause, cls == 2 };
	for (i++; i < tl->n && tl->segs[i].state == SLA_DOWN && tl->segs[i].start == o->end &&
		  sla_seg_class(&tl->segs[i]) == cls; i++)
		o->end = tl->segs[i].end;
	*pos = i;
	return 1;
}

static int sla_cmp_span(const void *a, const void *b)
{
	const struct sla_span *x = a, *y = b;
	if (x->start != y->start)
		return (x->start > y->start) - (x->start < y->start);
	return (x->end > y->end) - (x->end < y->end);
}

size_t sla_spans_normalise(struct sla_span *spans, size_t n)
{
	size_t k = 0;

	if (n == 0)
		return 0;    /* SPANS may be NULL then, which qsort must not see */
	qsort(spans, n, sizeof(*spans), sla_cmp_span);
	for (size_t i = 0; i < n; i++) {
		if (spans[i].end <= spans[i].start)
			continue;
		if (k > 0 && spans[i].start <= spans[k - 1].end) {
			if (spans[i].end > spans[k - 1].end)
				spans[k - 1].end = spans[i].end;
		} else {
			spans[k++] = spans[i];
		}
	}
	return k;
}
