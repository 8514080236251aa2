/*
 * sla_time.c — months, service hours and timestamps in the configured zone.
 * See sla_time.h.  Local times are always built with tm_isdst = -1, so
 * mktime asks the zone database whether daylight saving applies; midnight
 * and the usual office hours never fall into a DST gap in the zones serat
 * meets, and where one did mktime moves the time forward, which is what a
 * person reading a wall clock would expect.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graphs/sla_time.h"

int sla_tz_use(const char *tz)
{
	const char *cur = getenv("TZ");

	if (tz == NULL || *tz == '\0')
		return -EINVAL;
	/* seratd sets TZ once before its threads; its report worker must not
	 * write the environment other threads read (common/tz.h). */
	if (cur != NULL && strcmp(cur, tz) == 0)
		return 0;
	if (setenv("TZ", tz, 1) < 0)
		return -errno;
	tzset();
	return 0;
}

int sla_month_parse(const char *s, int *year, int *month)
{
	int y, m, n = 0;

	if (s == NULL || strlen(s) != 7 || s[4] != '-')
		return -EINVAL;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return -EINVAL;
	if (sscanf(s, "%4d-%2d%n", &y, &m, &n) != 2 || n != 7 || y < 1970 || m < 1 || m > 12)
		return -EINVAL;
	*year = y;
	*month = m;
	return 0;
}

/* Local Y-M-D H:M:00 → Unix time (fields may overflow; mktime normalises). */
static int sla_local(int y, int mo, int d, int h, int mi, int64_t *t, struct tm *norm)
{
	struct tm tm = { 0 };
	time_t r;

	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_isdst = -1;
	r = mktime(&tm);
	if (r == (time_t)-1 && !(tm.tm_year == 69 && tm.tm_mon == 11 && tm.tm_mday == 31))
		return -ERANGE;
	*t = (int64_t)r;
	if (norm)
		*norm = tm;
	return 0;
}

int sla_month_span(int year, int month, struct sla_span *out)
{
	if (sla_local(year, month, 1, 0, 0, &out->start, NULL) < 0 ||
	    sla_local(year, month + 1, 1, 0, 0, &out->end, NULL) < 0)
		return -ERANGE;
	return 0;
}

long sla_hours_spans(struct sla_span span, unsigned days, unsigned start_min, unsigned end_min,
		     struct sla_span **out)
{
	struct sla_span *v = NULL;
	struct tm first;
	time_t t0 = (time_t)span.start;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (span.end <= span.start || end_min <= start_min || localtime_r(&t0, &first) == NULL)
		return 0;
	for (int d = 0;; d++) {
		struct tm day;
		int64_t midnight, s, e;

		if (sla_local(first.tm_year + 1900, first.tm_mon + 1, first.tm_mday + d, 0, 0,
			      &midnight, &day) < 0 || midnight >= span.end)
			break;
		if (!(days & (1u << day.tm_wday)))
			continue;
		if (sla_local(first.tm_year + 1900, first.tm_mon + 1, first.tm_mday + d,
			      (int)(start_min / 60), (int)(start_min % 60), &s, NULL) < 0 ||
		    sla_local(first.tm_year + 1900, first.tm_mon + 1, first.tm_mday + d,
			      (int)(end_min / 60), (int)(end_min % 60), &e, NULL) < 0)
			break;
		if (s < span.start)
			s = span.start;
		if (e > span.end)
			e = span.end;
		if (s >= e)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			struct sla_span *nv = realloc(v, nc * sizeof(*nv));
			if (nv == NULL) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
			cap = nc;
		}
		v[n++] = (struct sla_span){ s, e };
	}
	*out = v;
	return (long)n;
}

int sla_time_iso(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	long off;
	int n;

	if (localtime_r(&tt, &tm) == NULL)
		return -1;
	off = tm.tm_gmtoff;
	n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", tm.tm_year + 1900,
		     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		     off < 0 ? '-' : '+', labs(off) / 3600, labs(off) % 3600 / 60);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

int sla_time_short(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	size_t n;

	if (localtime_r(&tt, &tm) == NULL)
		return -1;
	n = strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
	return n == 0 ? -1 : (int)n;
}
