/*
 * test_sla_calc.c — the SLA arithmetic against hand-computed figures, to the
 * second: overlapping outages, outages nested under a parent, inside
 * maintenance, crossing month ends, collector gaps, a device added
 * mid-month, service hours, sites; then months and service hours in a zone
 * without daylight saving (Asia/Jakarta) and one with it (Europe/Berlin).
 *
 * Most cases use a synthetic 31-day month [0, M) so the arithmetic in the
 * comments is readable; the zone cases use real Unix times.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "graphs/sla_calc.h"
#include "graphs/sla_time.h"

#define DAY 86400
#define M (31 * DAY)     /* 2678400 s */

/* Expected figures; fields not named are 0. */
struct want {
	int64_t period, known, unknown, down, contract, parent, planned, maint, excluded;
	unsigned outages, outages_contract;
	int64_t longest, longest_contract;
};

static void check(const struct sla_figures *f, const struct want *w)
{
	assert_int_equal(f->period_s, w->period);
	assert_int_equal(f->known_s, w->known);
	assert_int_equal(f->unknown_s, w->unknown);
	assert_int_equal(f->down_s, w->down);
	assert_int_equal(f->down_contract_s, w->contract);
	assert_int_equal(f->down_parent_s, w->parent);
	assert_int_equal(f->down_planned_s, w->planned);
	assert_int_equal(f->maint_s, w->maint);
	assert_int_equal(f->excluded_s, w->excluded);
	assert_int_equal(f->outages, w->outages);
	assert_int_equal(f->outages_contract, w->outages_contract);
	assert_int_equal(f->longest_s, w->longest);
	assert_int_equal(f->longest_contract_s, w->longest_contract);
}

/* Contractual and seen availability formatted with 2 decimals. */
static void check_pct(const struct sla_figures *f, const char *contract, const char *seen)
{
	char buf[32];
	int64_t g, d;

	if (contract == NULL) {
		assert_int_equal(sla_avail_contract(f, &g, &d), -1);
	} else {
		assert_int_equal(sla_avail_contract(f, &g, &d), 0);
		sla_pct_floor(g, d, 2, buf, sizeof(buf));
		assert_string_equal(buf, contract);
	}
	if (seen == NULL) {
		assert_int_equal(sla_avail_seen(f, &g, &d), -1);
	} else {
		assert_int_equal(sla_avail_seen(f, &g, &d), 0);
		sla_pct_floor(g, d, 2, buf, sizeof(buf));
		assert_string_equal(buf, seen);
	}
}

static void figures(struct sla_figures *f, struct sla_timeline *tl, int64_t added, int64_t now,
		    const struct sla_interval *iv, size_t n_iv, const struct sla_span *maint,
		    size_t n_maint)
{
	struct sla_device_input in = { "dev", { 0, M }, added, now, iv, n_iv, maint, n_maint };

	assert_int_equal(sla_timeline_build(tl, &in), 0);
	sla_figures_compute(f, tl, NULL, 0);
}

#define UP(a, b) { (a), (b), SLA_UP, NULL, NULL }
#define DOWN(a, b, cause) { (a), (b), SLA_DOWN, (cause), NULL }
#define BEHIND(a, b, root) { (a), (b), SLA_DOWN, "unreachable", (root) }
#define GAP(a, b) { (a), (b), SLA_UNKNOWN, NULL, NULL }

static void test_all_up(void **state)
{
	struct sla_interval iv[] = { UP(-DAY, 2 * M) };
	struct sla_timeline tl;
	struct sla_figures f;

	figures(&f, &tl, 0, 0, iv, 1, NULL, 0);
	check(&f, &(struct want){ .period = M, .known = M });
	check_pct(&f, "100.00", "100.00");
	assert_int_equal(tl.n, 1);
	assert_int_equal(sla_mttr_s(&f), -1);
	assert_int_equal(sla_mtbf_s(&f), -1);
	sla_timeline_cleanup(&tl);
}

static void test_one_outage(void **state)
{
	/* Down one hour on day 1: (2678400 - 3600) / 2678400 = 99.8655 %. */
	struct sla_interval iv[] = { UP(-DAY, DAY), DOWN(DAY, DAY + 3600, "timeout"),
				     UP(DAY + 3600, 2 * M) };
	struct sla_timeline tl;
	struct sla_figures f;
	struct sla_outage o;
	size_t pos = 0;

	figures(&f, &tl, 0, 0, iv, 3, NULL, 0);
	check(&f, &(struct want){ .period = M, .known = M, .down = 3600, .contract = 3600,
				  .outages = 1, .outages_contract = 1, .longest = 3600,
				  .longest_contract = 3600 });
	check_pct(&f, "99.86", "99.86");
	assert_int_equal(sla_mttr_s(&f), 3600);
	assert_int_equal(sla_mtbf_s(&f), M - 3600);
	assert_int_equal(sla_outage_next(&tl, &pos, &o), 1);
	assert_int_equal(o.start, DAY);
	assert_int_equal(o.end, DAY + 3600);
	assert_string_equal(o.cause, "timeout");
	assert_string_equal(o.device, "dev");
	assert_null(o.root_cause);
	assert_int_equal(o.planned, 0);
	assert_int_equal(sla_outage_next(&tl, &pos, &o), 0);
	sla_timeline_cleanup(&tl);
}

static void test_never_rounded_up(void **state)
{
	/* One second down in a month is 99.99996 %: shown as 99.99, never 100. */
	struct sla_interval iv[] = { UP(0, M), DOWN(500, 501, NULL) };
	struct sla_timeline tl;
	struct sla_figures f;
	char buf[32];
	int64_t g, d;

	figures(&f, &tl, 0, 0, iv, 2, NULL, 0);
	check_pct(&f, "99.99", "99.99");
	sla_avail_contract(&f, &g, &d);
	assert_int_equal(g, M - 1);
	sla_pct_floor(g, d, 3, buf, sizeof(buf));
	assert_string_equal(buf, "99.999");
	sla_pct_floor(g, d, 6, buf, sizeof(buf));
	assert_string_equal(buf, "99.999962");
	sla_timeline_cleanup(&tl);
}

static void test_pct_floor(void **state)
{
	char buf[32];

	assert_int_equal(sla_pct_floor(0, 0, 2, buf, sizeof(buf)), -1);
	assert_string_equal(buf, "");
	assert_int_equal(sla_pct_floor(2, 1, 2, buf, sizeof(buf)), -1);
	assert_int_equal(sla_pct_floor(-1, 1, 2, buf, sizeof(buf)), -1);
	assert_int_equal(sla_pct_floor(5, 5, 2, buf, sizeof(buf)), 6);
	assert_string_equal(buf, "100.00");
	sla_pct_floor(2, 3, 2, buf, sizeof(buf));
	assert_string_equal(buf, "66.66");
	sla_pct_floor(1, 3, 0, buf, sizeof(buf));
	assert_string_equal(buf, "33");
	sla_pct_floor(0, 10, 1, buf, sizeof(buf));
	assert_string_equal(buf, "0.0");
	sla_pct_floor(99999, 100000, 2, buf, sizeof(buf));
	assert_string_equal(buf, "99.99");
	sla_pct_floor(99999, 100000, 3, buf, sizeof(buf));
	assert_string_equal(buf, "99.999");
}

static void test_overlapping_outages(void **state)
{
	/* Two records of the same device overlap: [1000, 5000) and [3000, 8000)
	 * are one outage of 7000 s; the first record names it. */
	struct sla_interval iv[] = { UP(0, M), DOWN(1000, 5000, "a"), DOWN(3000, 8000, "b") };
	struct sla_timeline tl;
	struct sla_figures f;
	struct sla_outage o;
	size_t pos = 0;

	figures(&f, &tl, 0, 0, iv, 3, NULL, 0);
	check(&f, &(struct want){ .period = M, .known = M, .down = 7000, .contract = 7000,
				  .outages = 1, .outages_contract = 1, .longest = 7000,
				  .longest_contract = 7000 });
	/* (2678400 - 7000) / 2678400 = 99.7386 % */
	check_pct(&f, "99.73", "99.73");
	assert_int_equal(sla_outage_next(&tl, &pos, &o), 1);
	assert_int_equal(o.start, 1000);
	assert_int_equal(o.end, 8000);
	assert_string_equal(o.cause, "a");
	assert_int_equal(sla_outage_next(&tl, &pos, &o), 0);
	sla_timeline_cleanup(&tl);
}

static void test_behind_parent(void **state)
{
	/* Own outage 9000-10000, then the parent kec-1 goes down (10000-13600),
	 * then own again until 14000: users lost 5000 s, the contract 1400 s in
	 * two outages; the parent's hour is excluded from the contract.
	 * contract: (2678400 - 3600 - 1400) / (2678400 - 3600) = 99.9476 %
	 * seen:     (2678400 - 5000) / 2678400 = 99.8133 % */
	struct sla_interval iv[] = { UP(0, 9000), DOWN(9000, 10000, "timeout"),
				     BEHIND(10000, 13600, "kec-1"), DOWN(13600, 14000, "timeout"),
				     UP(14000, M) };
	struct sla_timeline tl;
	struct sla_figures f;
	struct sla_outage o;
	size_t pos = 0;

	figures(&f, &tl, 0, 0, iv, 5, NULL, 0);
	check(&f, &(struct want){ .period = M, .known = M, .down = 5000, .contract = 1400,
				  .parent = 3600, .excluded = 3600, .outages = 1,
				  .outages_contract = 2, .longest = 5000, .longest_contract = 1000 });
	check_pct(&f, "99.94", "99.81");
	assert_int_equal(sla_mttr_s(&f), 700);
	assert_int_equal(sla_mtbf_s(&f), (M - 3600 - 1400) / 2);
	assert_int_equal(sla_outage_next(&tl, &pos, &o), 1);
	assert_int_equal(o.end, 10000);
	assert_int_equal(sla_outage_next(&tl, &pos, &o), 1);
	assert_int_equal(o.start, 10000);
	assert_int_equal(o.end, 13600);
	assert_string_equal(o.root_cause, "kec-1");
	assert_int_equal(sla_outage_next(&tl, &pos, &o), 1);
	assert_int_equal(o.start, 13600);
	assert_int_equal(sla_outage_next(&tl, &pos, &o), 0);
	sla_timeline_cleanup(&tl);
}

static void test_own_outage_nested_in_parent(void **state)
{
	/* The parent's outage 10000-13600 with an own record 11000-12000 inside
	 * it: the own record is never excused (1000 s contractual). */
	struct sla_interval iv[] = { UP(0, M), BEHIND(10000, 13600, "kec-1"),
				     DOWN(11000, 12000, "own") };
	struct sla_timeline tl;
	struct sla_figures f;

	figures(&f, &tl, 0, 0, iv, 3, NULL, 0);
	check(&f, &(struct want){ .period = M, .known = M, .down = 3600, .contract = 1000,
				  .parent = 2600, .excluded = 2600, .outages = 1,
				  .outages_contract = 1, .longest = 3600, .longest_contract = 1000 });
	sla_timeline_cleanup(&tl);
}

static void test_inside_maintenance(void **state)
{
	/* Maintenance day 1 00:00-02:00; down 00:10-00:40 inside it (planned)
	 * and 01:50-02:30 across its end (600 s planned, 1800 s not).
	 * contract: (2678400 - 7200 - 1800) / (2678400 - 7200) = 99.9326 %
	 * seen:     (2678400 - 1800 - 2400) / 2678400 = 99.8431 % */
	struct sla_interval iv[] = { UP(0, M), DOWN(DAY + 600, DAY + 2400, "reboot"),
				     DOWN(DAY + 6600, DAY + 9000, "reboot") };
	struct sla_span mw[] = { { DAY, DAY + 7200 } };
	struct sla_timeline tl;
	struct sla_figures f;
	struct sla_outage o;
	size_t pos = 0;

	figures(&f, &tl, 0, 0, iv, 3, mw, 1);
	check(&f, &(struct want){ .period = M, .known = M, .down = 4200, .contract = 1800,
				  .planned = 2400, .maint = 7200, .excluded = 7200, .outages = 2,
				  .outages_contract = 1, .longest = 2400, .longest_contract = 1800 });
	check_pct(&f, "99.93", "99.84");
	assert_int_equal(sla_outage_next(&tl, &pos, &o), 1);
	assert_int_equal(o.planned, 1);
	assert_int_equal(o.end - o.start, 1800);
	assert_int_equal(sla_outage_next(&tl, &pos, &o), 1);
	assert_int_equal(o.planned, 1);
	assert_int_equal(o.start, DAY + 6600);
	assert_int_equal(o.end, DAY + 7200);
	assert_int_equal(sla_outage_next(&tl, &pos, &o), 1);
	assert_int_equal(o.planned, 0);
	assert_int_equal(o.start, DAY + 7200);
	assert_int_equal(o.end, DAY + 9000);
	assert_int_equal(sla_outage_next(&tl, &pos, &o), 0);
	sla_timeline_cleanup(&tl);
}

static void test_all_maintenance(void **state)
{
	/* A month spent in maintenance has no contractual time: unknown, not 100. */
	struct sla_interval iv[] = { UP(0, M) };
	struct sla_span mw[] = { { -DAY, M + DAY }, { 5, 10 } };
	struct sla_timeline tl;
	struct sla_figures f;

	figures(&f, &tl, 0, 0, iv, 1, mw, 2);
	check(&f, &(struct want){ .period = M, .known = M, .maint = M, .excluded = M });
	check_pct(&f, NULL, "100.00");
	sla_timeline_cleanup(&tl);
}

static void test_crossing_month_ends(void **state)
{
	/* Down from an hour before the month to 00:30 on the 1st, and from
	 * 10 min before its end to well into the next month: 1800 + 600 s here;
	 * the next month gets the rest of the second outage (5000 s). */
	struct sla_interval iv[] = { DOWN(-3600, 1800, "fiber cut"), UP(1800, M - 600),
				     DOWN(M - 600, M + 5000, "power"), UP(M + 5000, 3 * M) };
	struct sla_device_input next = { "dev", { M, M + 30 * DAY }, 0, 0, iv, 4, NULL, 0 };
	struct sla_timeline tl;
	struct sla_figures f;
	struct sla_outage o;
	size_t pos = 0;

	figures(&f, &tl, 0, 0, iv, 4, NULL, 0);
	check(&f, &(struct want){ .period = M, .known = M, .down = 2400, .contract = 2400,
				  .outages = 2, .outages_contract = 2, .longest = 1800,
				  .longest_contract = 1800 });
	assert_int_equal(sla_outage_next(&tl, &pos, &o), 1);
	assert_int_equal(o.start, 0);
	assert_int_equal(o.end, 1800);
	assert_int_equal(sla_outage_next(&tl, &pos, &o), 1);
	assert_int_equal(o.start, M - 600);
	assert_int_equal(o.end, M);
	sla_timeline_cleanup(&tl);

	assert_int_equal(sla_timeline_build(&tl, &next), 0);
	sla_figures_compute(&f, &tl, NULL, 0);
	check(&f, &(struct want){ .period = 30 * DAY, .known = 30 * DAY, .down = 5000,
				  .contract = 5000, .outages = 1, .outages_contract = 1,
				  .longest = 5000, .longest_contract = 5000 });
	sla_timeline_cleanup(&tl);
}

static void test_collector_gaps(void **state)
{
	/* The state history says up all month, but the collector was off for
	 * 10000 s (unknown), and an outage 105000-120000 began in that gap:
	 * only the 10000 s after the gap count as down.
	 * coverage (2678400 - 10000) / 2678400 = 99.6266 %
	 * availability (2668400 - 10000) / 2668400 = 99.6252 % */
	struct sla_interval iv[] = { UP(0, M), GAP(100000, 110000), DOWN(105000, 120000, "x") };
	struct sla_timeline tl;
	struct sla_figures f;
	char buf[16];

	figures(&f, &tl, 0, 0, iv, 3, NULL, 0);
	check(&f, &(struct want){ .period = M, .known = M - 10000, .unknown = 10000, .down = 10000,
				  .contract = 10000, .outages = 1, .outages_contract = 1,
				  .longest = 10000, .longest_contract = 10000 });
	check_pct(&f, "99.62", "99.62");
	sla_pct_floor(f.known_s, f.period_s, 2, buf, sizeof(buf));
	assert_string_equal(buf, "99.62");
	sla_timeline_cleanup(&tl);

	/* No record at all: every second unknown, availability unknown. */
	figures(&f, &tl, 0, 0, NULL, 0, NULL, 0);
	check(&f, &(struct want){ .period = M, .unknown = M });
	check_pct(&f, NULL, NULL);
	sla_timeline_cleanup(&tl);

	/* History starting on day 2: day 1 is unknown, and an outage split by a
	 * gap is two outages (nobody knows it was one). */
	struct sla_interval iv2[] = { UP(DAY, M), DOWN(2 * DAY, 2 * DAY + 600, "x"),
				      GAP(2 * DAY + 600, 2 * DAY + 700),
				      DOWN(2 * DAY + 700, 2 * DAY + 1000, "x") };
	figures(&f, &tl, 0, 0, iv2, 4, NULL, 0);
	check(&f, &(struct want){ .period = M, .known = M - DAY - 100, .unknown = DAY + 100,
				  .down = 900, .contract = 900, .outages = 2,
				  .outages_contract = 2, .longest = 600, .longest_contract = 600 });
	sla_timeline_cleanup(&tl);
}

static void test_added_mid_month(void **state)
{
	/* Added on day 16 (1296000): the period is 1382400 s; an hour down is
	 * (1382400 - 3600) / 1382400 = 99.7395 %.  What was before is ignored. */
	struct sla_interval iv[] = { DOWN(0, 1296000, "not yet there"), UP(1296000, M),
				     DOWN(1300000, 1303600, "x") };
	struct sla_timeline tl;
	struct sla_figures f;

	figures(&f, &tl, 15 * DAY, 0, iv, 3, NULL, 0);
	check(&f, &(struct want){ .period = M - 15 * DAY, .known = M - 15 * DAY, .down = 3600,
				  .contract = 3600, .outages = 1, .outages_contract = 1,
				  .longest = 3600, .longest_contract = 3600 });
	check_pct(&f, "99.73", "99.73");
	assert_int_equal(tl.period.start, 15 * DAY);
	sla_timeline_cleanup(&tl);

	/* Added after the month: nothing to report. */
	figures(&f, &tl, M + 1, 0, iv, 3, NULL, 0);
	assert_int_equal(tl.n, 0);
	check(&f, &(struct want){ 0 });
	check_pct(&f, NULL, NULL);
	sla_timeline_cleanup(&tl);
}

static void test_current_month(void **state)
{
	/* The month is not over: it counts until now (day 10), not its end. */
	struct sla_interval iv[] = { UP(0, 10 * DAY) };
	struct sla_timeline tl;
	struct sla_figures f;

	figures(&f, &tl, 0, 10 * DAY, iv, 1, NULL, 0);
	check(&f, &(struct want){ .period = 10 * DAY, .known = 10 * DAY });
	sla_timeline_cleanup(&tl);
}

static void test_service_hours(void **state)
{
	/* 08:00-16:00 every day: 31 × 28800 = 892800 s of service.  Down
	 * 15:50-17:00 on day 1: 600 s of it in service hours.
	 * within: (892800 - 600) / 892800 = 99.9327 %;
	 * 24/7: (2678400 - 4200) / 2678400 = 99.8431 %. */
	struct sla_interval iv[] = { UP(0, M), DOWN(DAY + 57000, DAY + 61200, "x") };
	struct sla_span hours[31];
	struct sla_timeline tl;
	struct sla_figures f;

	for (int d = 0; d < 31; d++)
		hours[d] = (struct sla_span){ d * DAY + 28800, d * DAY + 57600 };
	figures(&f, &tl, 0, 0, iv, 2, NULL, 0);
	check_pct(&f, "99.84", "99.84");
	sla_figures_compute(&f, &tl, hours, 31);
	check(&f, &(struct want){ .period = 892800, .known = 892800, .down = 600, .contract = 600,
				  .outages = 1, .outages_contract = 1, .longest = 600,
				  .longest_contract = 600 });
	check_pct(&f, "99.93", "99.93");
	sla_timeline_cleanup(&tl);
}

static void test_site_combine(void **state)
{
	/* Device A: up, own outage 1000-2000.  Device B, added at 500: down
	 * 1500-3000 because A (its parent) was down, then no data 5000-6000.
	 * The site is its worst device: up until 1000, down (A, own) to 2000,
	 * down (B behind A) to 3000, up, unknown 5000-6000, up. */
	struct sla_interval a[] = { UP(0, M), DOWN(1000, 2000, "a-down") };
	struct sla_interval b[] = { UP(0, M), BEHIND(1500, 3000, "A"), GAP(5000, 6000) };
	struct sla_device_input ia = { "A", { 0, M }, 0, 0, a, 2, NULL, 0 };
	struct sla_device_input ib = { "B", { 0, M }, 500, 0, b, 3, NULL, 0 };
	struct sla_timeline ta, tb, site;
	const struct sla_timeline *both[] = { &ta, &tb };
	struct sla_figures f;
	struct sla_outage o;
	size_t pos = 0;

	assert_int_equal(sla_timeline_build(&ta, &ia), 0);
	assert_int_equal(sla_timeline_build(&tb, &ib), 0);
	assert_int_equal(sla_timeline_combine(&site, both, 2), 0);
	sla_figures_compute(&f, &site, NULL, 0);
	check(&f, &(struct want){ .period = M, .known = M - 1000, .unknown = 1000, .down = 2000,
				  .contract = 1000, .parent = 1000, .excluded = 1000, .outages = 1,
				  .outages_contract = 1, .longest = 2000, .longest_contract = 1000 });
	assert_int_equal(sla_outage_next(&site, &pos, &o), 1);
	assert_string_equal(o.device, "A");
	assert_int_equal(o.end, 2000);
	assert_int_equal(sla_outage_next(&site, &pos, &o), 1);
	assert_string_equal(o.device, "B");
	assert_string_equal(o.root_cause, "A");
	assert_int_equal(o.start, 2000);
	assert_int_equal(o.end, 3000);
	assert_int_equal(sla_outage_next(&site, &pos, &o), 0);
	sla_timeline_cleanup(&site);
	sla_timeline_cleanup(&ta);
	sla_timeline_cleanup(&tb);

	/* No devices with a period: an empty site. */
	assert_int_equal(sla_timeline_combine(&site, NULL, 0), 0);
	assert_int_equal(site.n, 0);
	sla_timeline_cleanup(&site);
}

static void test_spans_normalise(void **state)
{
	struct sla_span s[] = { { 50, 60 }, { 10, 20 }, { 15, 30 }, { 30, 40 }, { 70, 70 },
				{ 55, 58 } };

	assert_int_equal(sla_spans_normalise(NULL, 0), 0);
	assert_int_equal(sla_spans_normalise(s, 6), 2);
	assert_int_equal(s[0].start, 10);
	assert_int_equal(s[0].end, 40);
	assert_int_equal(s[1].start, 50);
	assert_int_equal(s[1].end, 60);
}

/* ---- zones ----------------------------------------------------------- */

static void test_month_jakarta(void **state)
{
	struct sla_span m;
	char buf[40];

	assert_int_equal(sla_tz_use("Asia/Jakarta"), 0);
	assert_int_equal(sla_month_span(2026, 3, &m), 0);
	assert_int_equal(m.start, 1772298000);     /* 2026-03-01T00:00+07:00 */
	assert_int_equal(m.end, 1774976400);
	assert_int_equal(m.end - m.start, 31 * DAY);
	assert_int_equal(sla_month_span(2026, 12, &m), 0);
	assert_int_equal(m.end - m.start, 31 * DAY);   /* into next year */
	assert_int_equal(sla_month_span(2028, 2, &m), 0);
	assert_int_equal(m.end - m.start, 29 * DAY);
	sla_time_iso(1772298000, buf, sizeof(buf));
	assert_string_equal(buf, "2026-03-01T00:00:00+07:00");
}

static void test_month_berlin_dst(void **state)
{
	struct sla_span m;
	char buf[40];

	assert_int_equal(sla_tz_use("Europe/Berlin"), 0);
	assert_int_equal(sla_month_span(2026, 3, &m), 0);
	assert_int_equal(m.start, 1772319600);     /* 2026-03-01T00:00+01:00 */
	assert_int_equal(m.end, 1774994400);       /* 2026-04-01T00:00+02:00 */
	assert_int_equal(m.end - m.start, 31 * DAY - 3600);
	assert_int_equal(sla_month_span(2026, 10, &m), 0);
	assert_int_equal(m.start, 1790805600);
	assert_int_equal(m.end - m.start, 31 * DAY + 3600);
	sla_time_iso(1774746000, buf, sizeof(buf));  /* 01:00Z, just after the change */
	assert_string_equal(buf, "2026-03-29T03:00:00+02:00");
	sla_time_iso(1774746000 - 1, buf, sizeof(buf));
	assert_string_equal(buf, "2026-03-29T01:59:59+01:00");
	sla_time_short(1774746000, buf, sizeof(buf));
	assert_string_equal(buf, "2026-03-29 03:00");
}

static void test_service_hours_zones(void **state)
{
	/* Mon-Fri 07:30-16:00 in March 2026 (the 1st is a Sunday): 22 working
	 * days × 30600 s, in both zones, across Berlin's DST change. */
	struct sla_span m, *h = NULL;
	long n;

	assert_int_equal(sla_tz_use("Europe/Berlin"), 0);
	assert_int_equal(sla_month_span(2026, 3, &m), 0);
	n = sla_hours_spans(m, 0x3e, 450, 960, &h);
	assert_int_equal(n, 22);
	assert_int_equal(h[0].start, 1772319600 + DAY + 7 * 3600 + 1800);   /* Mon 2 Mar */
	assert_int_equal(h[20].start, 1774848600);                           /* Mon 30 Mar CEST */
	for (long i = 0; i < n; i++)
		assert_int_equal(h[i].end - h[i].start, 30600);
	free(h);

	assert_int_equal(sla_tz_use("Asia/Jakarta"), 0);
	assert_int_equal(sla_month_span(2026, 3, &m), 0);
	n = sla_hours_spans(m, 0x3e, 450, 960, &h);
	assert_int_equal(n, 22);
	assert_int_equal(h[0].start, 1772298000 + DAY + 7 * 3600 + 1800);
	free(h);

	/* Every day, whole days (24/7 written as hours): 31 spans of 86400. */
	n = sla_hours_spans(m, 0x7f, 0, 1440, &h);
	assert_int_equal(n, 31);
	assert_int_equal(h[30].end, m.end);
	free(h);
	assert_int_equal(sla_hours_spans(m, 0x7f, 600, 600, &h), 0);
	assert_null(h);
}

static void test_month_parse(void **state)
{
	int y, m;

	assert_int_equal(sla_month_parse("2026-03", &y, &m), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 3);
	assert_int_equal(sla_month_parse("2026-13", &y, &m), -22);
	assert_int_equal(sla_month_parse("2026-00", &y, &m), -22);
	assert_int_equal(sla_month_parse("2026-3", &y, &m), -22);
	assert_int_equal(sla_month_parse("2026-03-01", &y, &m), -22);
	assert_int_equal(sla_month_parse("20a6-03", &y, &m), -22);
	assert_int_equal(sla_month_parse("1969-12", &y, &m), -22);
	assert_int_equal(sla_month_parse(NULL, &y, &m), -22);
	assert_int_equal(sla_tz_use(""), -22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_up),
		cmocka_unit_test(test_one_outage),
		cmocka_unit_test(test_never_rounded_up),
		cmocka_unit_test(test_pct_floor),
		cmocka_unit_test(test_overlapping_outages),
		cmocka_unit_test(test_behind_parent),
		cmocka_unit_test(test_own_outage_nested_in_parent),
		cmocka_unit_test(test_inside_maintenance),
		cmocka_unit_test(test_all_maintenance),
		cmocka_unit_test(test_crossing_month_ends),
		cmocka_unit_test(test_collector_gaps),
		cmocka_unit_test(test_added_mid_month),
		cmocka_unit_test(test_current_month),
		cmocka_unit_test(test_service_hours),
		cmocka_unit_test(test_site_combine),
		cmocka_unit_test(test_spans_normalise),
		cmocka_unit_test(test_month_jakarta),
		cmocka_unit_test(test_month_berlin_dst),
		cmocka_unit_test(test_service_hours_zones),
		cmocka_unit_test(test_month_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
