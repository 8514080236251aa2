/*
 * sla_calc.h — availability arithmetic for the monthly SLA report.  Pure:
 * no I/O, no clock, no globals; every time is Unix seconds and every span is
 * half-open [start, end).  docs/sla.md explains each figure for users.
 *
 * Two steps:
 *
 * 1. sla_timeline_build() turns what is known about one device — state
 *    intervals (up, down with a cause and maybe a root-cause device, unknown
 *    = no data), maintenance windows, the month, the time the device was
 *    added and "now" — into a timeline: sorted, non-overlapping segments
 *    covering the device's period, each with one state, a maintenance flag
 *    and the cause.  Time covered by no interval is unknown.  Where intervals
 *    overlap the strongest wins: unknown > down (own cause) > down (caused
 *    by a parent) > up; between equals, the first in the input.  (Unknown
 *    wins because an interval of the state history "extends" over a time
 *    the collector did not run; an own outage outranks a parent-caused one
 *    so overlapping records never excuse downtime the device caused.)
 *    sla_timeline_combine() makes a site's timeline from its devices': at
 *    each moment the site is its worst device (sla_seg_rank()).
 *
 * 2. sla_figures_compute() counts a timeline, over its whole period or only
 *    within given spans (service hours): known, unknown, down, maintenance,
 *    excluded time, outages, longest, MTTR, MTBF.  sla_avail_contract() and
 *    sla_avail_seen() give the two availability ratios as integer seconds;
 *    sla_pct_floor() formats a ratio without ever rounding up, so downtime
 *    never shows as 100 %.
 *
 * Strings in intervals (cause, root cause, device) are borrowed: a timeline
 * points at them and must not outlive them.
 */
#ifndef SERAT_SLA_CALC_H
#define SERAT_SLA_CALC_H

#include <stddef.h>
#include <stdint.h>

enum sla_state { SLA_UP, SLA_DOWN, SLA_UNKNOWN };

struct sla_span {
	int64_t start, end;        /* [start, end) */
};

struct sla_interval {
	int64_t start, end;        /* [start, end); empty or reversed ones are ignored */
	enum sla_state state;
	const char *cause;         /* down: why ("unreachable", a poll error); may be NULL */
	const char *root_cause;    /* down: the device at fault when it is not this one
	                              (a parent was down), else NULL */
};

/* One device's input.  MONTH is the report's month; the device's period is
 * [max(month.start, added), min(month.end, now)) — ADDED 0 = before the
 * month, NOW 0 = no limit (a past month).  MAINT windows may overlap. */
struct sla_device_input {
	const char *device;        /* borrowed; copied into every segment */
	struct sla_span month;
	int64_t added;
	int64_t now;
	const struct sla_interval *iv;
	size_t n_iv;
	const struct sla_span *maint;
	size_t n_maint;
};

struct sla_seg {
	int64_t start, end;
	enum sla_state state;
	int maint;                 /* inside a maintenance window */
	const char *device;        /* whose state this is (sites: the worst device) */
	const char *cause;         /* down only */
	const char *root_cause;    /* down only: parent at fault, NULL = the device itself */
};

struct sla_timeline {
	struct sla_span period;    /* empty (start == end) when nothing falls in the month */
	struct sla_seg *segs;      /* sorted, contiguous, covering period; merged */
	size_t n;
};

/* Build DEV's timeline into TL (initialised by this call; release with
 * sla_timeline_cleanup).  0 or -ENOMEM. */
int sla_timeline_build(struct sla_timeline *tl, const struct sla_device_input *dev);

/* A site from its devices: period = the union of theirs (from the earliest
 * start to the latest end; a moment no device covers is unknown); at each
 * moment the site takes the segment of its worst device.  0 or -ENOMEM. */
int sla_timeline_combine(struct sla_timeline *out, const struct sla_timeline *const *in,
			 size_t n);

void sla_timeline_cleanup(struct sla_timeline *tl);   /* NULL-safe, idempotent */

/* How bad a segment is, for sites: 5 down (own cause, unplanned), 4 down
 * (parent at fault, unplanned), 3 down in maintenance, 2 unknown, 1 up in
 * maintenance, 0 up. */
int sla_seg_rank(const struct sla_seg *s);

/* Segment classes the figures are built from. */
#define SLA_SEG_DOWN_OWN(s)  ((s)->state == SLA_DOWN && !(s)->maint && !(s)->root_cause)
/* Known time left out of the contractual figure: maintenance, and outages
 * caused by a parent the site does not own. */
#define SLA_SEG_EXCLUDED(s) \
	((s)->state != SLA_UNKNOWN && ((s)->maint || ((s)->state == SLA_DOWN && (s)->root_cause)))

struct sla_figures {
	int64_t period_s;          /* the device's (or site's) time in the month */
	int64_t known_s;           /* up or down */
	int64_t unknown_s;         /* no data */
	int64_t down_s;            /* known and unreachable, whatever the cause */
	int64_t down_contract_s;   /* down, own cause, outside maintenance */
	int64_t down_parent_s;     /* down because of a parent, outside maintenance */
	int64_t down_planned_s;    /* down inside maintenance */
	int64_t maint_s;           /* maintenance windows within the period (any state) */
	int64_t excluded_s;        /* known time left out of the contractual figure */
	unsigned outages;          /* runs of contiguous down time */
	unsigned outages_contract; /* runs of contiguous contractual down time */
	int64_t longest_s;         /* longest run of down time */
	int64_t longest_contract_s;
};

/*
 * Count TL into F.  WITHIN (sorted, non-overlapping; NULL = the whole
 * period) restricts every figure to those spans, e.g. service hours.  A run
 * is cut where a WITHIN span ends.  Never fails.
 */
void sla_figures_compute(struct sla_figures *f, const struct sla_timeline *tl,
			 const struct sla_span *within, size_t n_within);

/* Contractual availability = GOOD / DEN seconds: DEN = known − excluded,
 * GOOD = DEN − contractual downtime.  Returns 0, or -1 when DEN is 0 (no
 * known time: availability is unknown, not 100 %). */
int sla_avail_contract(const struct sla_figures *f, int64_t *good, int64_t *den);
/* As users saw it: DEN = known, GOOD = known − every down second. */
int sla_avail_seen(const struct sla_figures *f, int64_t *good, int64_t *den);

/* Mean time to repair = contractual downtime / contractual outages, and
 * mean time between failures = contractual up time (DEN − downtime of
 * sla_avail_contract) / contractual outages, in whole seconds (floored).
 * -1 when there was no contractual outage. */
int64_t sla_mttr_s(const struct sla_figures *f);
int64_t sla_mtbf_s(const struct sla_figures *f);

/*
 * 100 × GOOD / DEN floored to DECIMALS (0..6) places, into BUF as
 * "99.98" (no locale).  100 is written only when GOOD == DEN.  Returns the
 * length, or -1 when DEN <= 0 or GOOD is out of [0, DEN] (BUF gets "").
 */
int sla_pct_floor(int64_t good, int64_t den, unsigned decimals, char *buf, size_t len);

/*
 * The outages of a timeline, in time order: each is a run of contiguous
 * down segments of one class — own cause, caused by a parent, or planned
 * (inside maintenance) — with the device, cause and root cause of its
 * first segment.  An outage that changes class (it outlasts its
 * maintenance window) is two entries; as users saw it, it is one outage
 * (sla_figures.outages counts runs of any class).
 */
struct sla_outage {
	int64_t start, end;
	const char *device;
	const char *cause;
	const char *root_cause;    /* NULL = the device itself */
	int planned;
};

/* Start with *POS = 0; returns 1 and fills O while there is another. */
int sla_outage_next(const struct sla_timeline *tl, size_t *pos, struct sla_outage *o);

/* Sorts SPANS and merges overlapping or touching ones in place; returns the
 * new count.  Used for maintenance windows and service hours. */
size_t sla_spans_normalise(struct sla_span *spans, size_t n);

#endif
