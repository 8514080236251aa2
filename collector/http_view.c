/*
 * http_view.c — figures the pages, the API and the wall share.  See
 * http_int.h.  All read the model on the loop thread; none allocates.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "collector/http_int.h"

#define IFV(id) ((id) - METRIC_IF_FIRST)

const char *http_status_name(enum http_status s)
{
	static const char *const n[] = { "up", "degraded", "down", "unknown" };
	return (unsigned)s <= HS_UNKNOWN ? n[s] : "unknown";
}

enum http_status http_device_status(const struct model_device *d)
{
	return d->reach == DEV_UP ? HS_UP : d->reach == DEV_DOWN ? HS_DOWN : HS_UNKNOWN;
}

enum http_status http_site_status(const struct model_site *s)
{
	size_t up = 0, down = 0;
	for (size_t i = 0; i < s->n_devices; i++) {
		up += s->devices[i]->reach == DEV_UP;
		down += s->devices[i]->reach == DEV_DOWN;
	}
	if (s->n_devices && up == s->n_devices)
		return HS_UP;
	if (up == 0 && down > 0)
		return HS_DOWN;
	if (up == 0)
		return HS_UNKNOWN;
	return HS_DEGRADED;
}

const struct model_if *http_site_uplink(const struct model_site *s,
					const struct model_device **dev)
{
	const struct model_device *top = NULL;
	const struct model_if *best = NULL;
	double best_v = -1;

	for (size_t i = 0; i < s->n_devices && !top; i++)
		if (s->devices[i]->parent == NULL || s->devices[i]->parent->site != s)
			top = s->devices[i];
	if (top == NULL)
		return NULL;
	for (size_t k = 0; k < top->n_ifs; k++) {
		const struct model_if *i = &top->ifs[k];
		double v = (double)i->last[IFV(METRIC_IF_IN_BPS)] + i->last[IFV(METRIC_IF_OUT_BPS)];
		if (!isnan(v) && v > best_v) {
			best_v = v;
			best = i;
		}
	}
	*dev = top;
	return best;
}

void http_site_avail(const struct http_server *h, const struct model_site *s,
		     double *a24, double *a30)
{
	double s24 = 0, s30 = 0;
	size_t n24 = 0, n30 = 0;
	for (size_t i = 0; i < s->n_devices; i++) {
		const struct http_avail *a = http_avail_find(h, s->devices[i]->name);
		if (a && !isnan(a->a24)) {
			s24 += a->a24;
			n24++;
		}
		if (a && !isnan(a->a30)) {
			s30 += a->a30;
			n30++;
		}
	}
	*a24 = n24 ? s24 / (double)n24 : NAN;
	*a30 = n30 ? s30 / (double)n30 : NAN;
}

void http_fmt_rate(char *buf, size_t len, double r)
{
	static const char *const units[] = { "b/s", "kb/s", "Mb/s", "Gb/s", "Tb/s" };
	int u = 0;
	if (isnan(r)) {
		snprintf(buf, len, "-");
		return;
	}
	while (r >= 1000 && u < 4) {
		r /= 1000;
		u++;
	}
	snprintf(buf, len, "%.3g %s", r, units[u]);
}

void http_fmt_duration(char *buf, size_t len, double s)
{
	if (isnan(s) || s < 0) {
		snprintf(buf, len, "-");
		return;
	}
	long v = (long)s;
	snprintf(buf, len, "%ldd %02ld:%02ld", v / 86400, v / 3600 % 24, v / 60 % 60);
}

void http_fmt_time(char *buf, size_t len, double t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (t <= 0 || localtime_r(&tt, &tm) == NULL) {
		snprintf(buf, len, "-");
		return;
	}
	strftime(buf, len, "%Y-%m-%d %H:%M:%S %Z", &tm);
}
