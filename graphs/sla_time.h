/*
 * sla_time.h — calendar months, service hours and ISO 8601 times in the
 * configured zone, for the SLA report.
 *
 * The zone database does the work (mktime/localtime_r with TZ set), so a
 * month in Asia/Jakarta (no daylight saving) is 28–31 × 86400 s and a month
 * in Europe/Berlin with a change in it is an hour shorter or longer.  The
 * zone is process-wide state: sla_tz_use() sets TZ and calls tzset(), and
 * every other function here reads it.  The `serat report` command is one
 * thread; a daemon generating reports must do it on one thread too.
 *
 * Why not common/tz.h, which switches TZ around every conversion: a report
 * formats thousands of times, and each switch makes glibc re-read the zone
 * file (tens of µs); setting the zone once for the whole report costs one.
 */
#ifndef SERAT_SLA_TIME_H
#define SERAT_SLA_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "graphs/sla_calc.h"

/* Make TZ (a zone name such as "Asia/Jakarta" or a POSIX TZ string) the
 * zone of the calls below.  0, or -EINVAL for an empty name, -errno. */
int sla_tz_use(const char *tz);

/* "YYYY-MM" (month 01–12, year 1970–9999).  0 or -EINVAL. */
int sla_month_parse(const char *s, int *year, int *month);

/* The month as [local midnight of the 1st, local midnight of the next 1st).
 * 0 or -ERANGE. */
int sla_month_span(int year, int month, struct sla_span *out);

/*
 * Service hours within SPAN: on each local day whose weekday is in DAYS
 * (bit 0 Sunday … bit 6 Saturday, as tm_wday), [START_MIN, END_MIN) minutes
 * after local midnight (END_MIN up to 1440), clipped to SPAN.  *OUT gets a
 * sorted array (caller frees; NULL when empty); returns the count or
 * -ENOMEM.
 */
long sla_hours_spans(struct sla_span span, unsigned days, unsigned start_min, unsigned end_min,
		     struct sla_span **out);

/* T as "2026-03-29T03:00:00+02:00" in the zone.  Length, or -1. */
int sla_time_iso(int64_t t, char *buf, size_t len);

/* T as "2026-03-29 03:00" (for tables).  Length, or -1. */
int sla_time_short(int64_t t, char *buf, size_t len);

#endif
