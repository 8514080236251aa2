/*
 * tz.c — conversions in a named timezone.  See tz.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/tz.h"

int tz_valid(const char *tz)
{
	struct stat st;
	char path[512];
	const char *p = tz;

	if (tz[0] != '/' && strstr(tz, "..") == NULL &&
	    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz) < (int)sizeof(path) &&
	    stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return 1;
	/* A POSIX TZ string: a name of 3+ letters or <...>, then an offset; a
	 * DST part, if any, is only checked for its characters. */
	if (*p == '<') {
		p = strchr(p, '>');
		if (p == NULL || p - tz < 2)
			return 0;
		p++;
	} else {
		while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
			p++;
		if (p - tz < 3)
			return 0;
	}
	if (*p == '+' || *p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	for (; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= 'a' && *p <= 'z') || strchr(":,./+-<>", *p)))
			return 0;
	return 1;
}

/* The process's TZ while a conversion runs in another zone. */
struct tz_saved {
	char *old;
	int had;
	int failed;
	int same;        /* TZ is already the zone: nothing switched */
};

static void tz_enter(struct tz_saved *sv, const char *tz)
{
	const char *old = getenv("TZ");

	/* seratd sets TZ to the configured zone once, before any thread
	 * starts: then conversions in that zone touch the environment not
	 * at all, and cannot race with a graph worker's localtime(). */
	sv->same = old != NULL && strcmp(old, tz) == 0;
	if (sv->same) {
		sv->old = NULL;
		sv->failed = 0;
		return;
	}
	sv->had = old != NULL;
	sv->old = old ? strdup(old) : NULL;
	sv->failed = (old && sv->old == NULL) || setenv("TZ", tz, 1) != 0;
	tzset();
}

static void tz_leave(struct tz_saved *sv)
{
	if (sv->same)
		return;
	if (sv->had && sv->old)
		setenv("TZ", sv->old, 1);
	else
		unsetenv("TZ");
	free(sv->old);
	tzset();
}

int tz_mktime(const char *tz, const struct tm *local, time_t *out)
{
	struct tz_saved sv;
	struct tm tm = *local, back;
	time_t t;
	int r = 0;

	tm.tm_isdst = -1;
	tz_enter(&sv, tz);
	t = mktime(&tm);
	if (sv.failed || t == (time_t)-1 || localtime_r(&t, &back) == NULL)
		r = -EINVAL;
	/* mktime moves a time inside a DST gap; such a time never happens. */
	else if (back.tm_year != local->tm_year || back.tm_mon != local->tm_mon ||
		 back.tm_mday != local->tm_mday || back.tm_hour != local->tm_hour ||
		 back.tm_min != local->tm_min || back.tm_sec != local->tm_sec)
		r = -ERANGE;
	tz_leave(&sv);
	if (r == 0)
		*out = t;
	return r;
}

int tz_localtime(const char *tz, time_t t, struct tm *out)
{
	struct tz_saved sv;
	int r;

	tz_enter(&sv, tz);
	r = !sv.failed && localtime_r(&t, out) != NULL ? 0 : -EINVAL;
	tz_leave(&sv);
	return r;
}

size_t tz_strftime(char *buf, size_t len, const char *fmt, const char *tz, time_t t)
{
	struct tz_saved sv;
	struct tm tm;
	size_t n = 0;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	tz_enter(&sv, tz);
	/* %Z must be formatted while TZ is still the zone's. */
	if (!sv.failed && localtime_r(&t, &tm) != NULL)
		n = strftime(buf, len, fmt, &tm);
	tz_leave(&sv);
	if (n == 0)
		buf[0] = '\0';
	return n;
}

/* N decimal digits at *P into *V; advances *P.  0 or -1. */
static int tz_digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

/* Days from 1970-01-01 to Y-M-D (proleptic Gregorian; Y >= 1970). */
static long long tz_days(int y, int m, int d)
{
	/* Shift the year to start in March, so Feb 29 is the year's last day. */
	y -= m <= 2;
	long long era = y / 400, yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int tz_parse_iso8601(const char *s, const char *tz, time_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, sec = 0, oh = 0, om = 0, sign = 0;
	const char *p = s;
	struct tm tm;

	if (tz_digits(&p, 4, &y) < 0 || *p++ != '-' || tz_digits(&p, 2, &mo) < 0 ||
	    *p++ != '-' || tz_digits(&p, 2, &d) < 0 || *p++ != 'T' ||
	    tz_digits(&p, 2, &h) < 0 || *p++ != ':' || tz_digits(&p, 2, &mi) < 0)
		return -EINVAL;
	if (*p == ':' && (p++, tz_digits(&p, 2, &sec) < 0))
		return -EINVAL;
	if (*p == 'Z') {
		sign = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (tz_digits(&p, 2, &oh) < 0)
			return -EINVAL;
		if (*p == ':' ? (p++, tz_digits(&p, 2, &om) < 0)
			      : *p != '\0' && tz_digits(&p, 2, &om) < 0)
			return -EINVAL;
		if (oh > 23 || om > 59)
			return -EINVAL;
	}
	if (*p != '\0')
		return -EINVAL;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 ||
	    sec > 59)
		return -EINVAL;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -EINVAL;
	if (sign != 0) {
		long long t = tz_days(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL + sec -
			      sign * (oh * 3600LL + om * 60LL);
		if (t < 0 || (long long)(time_t)t != t)
			return -EINVAL;
		*out = (time_t)t;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return tz_mktime(tz, &tm, out);
}

void tz_format_iso8601(char *buf, size_t len, const char *tz, time_t t)
{
	char z[8];

	/* strftime's %z is "+0700"; ISO 8601 extended wants "+07:00". */
	if (tz_strftime(buf, len, "%Y-%m-%dT%H:%M:%S", tz, t) == 0 ||
	    tz_strftime(z, sizeof(z), "%z", tz, t) != 5) {
		snprintf(buf, len, "@%lld", (long long)t);
		return;
	}
	size_t n = strlen(buf);
	snprintf(buf + n, len - n, "%.3s:%.2s", z, z + 3);
}
