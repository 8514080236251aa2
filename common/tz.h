/*
 * tz.h — local time in the configured timezone (serat.yaml `timezone`).
 *
 * serat's people plan and read times in their own zone (WIB, Asia/Jakarta
 * by default), whatever zone the host runs in: maintenance windows are
 * written as local time, `serat status` prints its snapshot time as local
 * time.  The C library only converts in the process's zone, so these
 * helpers switch TZ around each conversion and restore it afterwards.
 *
 * Cost of that choice: TZ is process-wide, so a conversion must not run
 * while another thread reads the environment or converts times.  serat
 * converts at config load and in the CLI, on the main thread, never in the
 * poll path, and not at all when TZ already is the zone (seratd sets it
 * once at start-up, before its threads, so its own conversions switch
 * nothing); the alternative (reading TZif files and POSIX TZ rules
 * ourselves) was rejected as a second tz database to maintain.
 */
#ifndef SERAT_TZ_H
#define SERAT_TZ_H

#include <stddef.h>
#include <time.h>

/*
 * True when TZ names a zone under /usr/share/zoneinfo (checked on disk, no
 * "..") or is a POSIX TZ string such as "WIB-7" or "<+07>-7".
 */
int tz_valid(const char *tz);

/* LOCAL (tm_isdst ignored) in zone TZ as Unix time.  0, or -ERANGE when
 * that local time does not exist there (skipped by a DST change). */
int tz_mktime(const char *tz, const struct tm *local, time_t *out);

/* T as local time in zone TZ into *OUT.  0 or -EINVAL. */
int tz_localtime(const char *tz, time_t t, struct tm *out);

/* strftime(FMT) of T in zone TZ into BUF; returns the length (0 when it
 * does not fit, BUF then ""). */
size_t tz_strftime(char *buf, size_t len, const char *fmt, const char *tz, time_t t);

/*
 * Parse ISO 8601 "YYYY-MM-DDTHH:MM[:SS]" as local time in zone TZ, or with
 * an explicit offset suffix "Z", "+HH:MM", "+HHMM" or "+HH" ("-" too), in
 * which case TZ is not used.  Years 1970..9999.  Returns 0, -EINVAL for
 * text that is not such a time, -ERANGE for a local time TZ skips.  Pure
 * apart from the TZ switch described above.
 */
int tz_parse_iso8601(const char *s, const char *tz, time_t *out);

/* T as "YYYY-MM-DDTHH:MM:SS+HH:MM" in zone TZ into BUF (>= 32 bytes). */
void tz_format_iso8601(char *buf, size_t len, const char *tz, time_t t);

#endif
