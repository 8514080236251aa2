/*
 * sla_rrd.c — unknown time and uplink traffic from the RRD files, for the
 * SLA report.  See sla_rrd.h.
 *
 * Choosing the busiest interface fetches every interface file of the
 * device once at a one-day step (librrd then reads the small daily RRA),
 * and only the winner again at full resolution: about 0.1 ms per file, so
 * a 48-port switch costs ~5 ms, a 500-interface router ~50 ms per report.
 * Naming the uplink in the config (sla.uplinks) skips the search.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <rrd.h>

#include "common/log.h"
#include "common/metric.h"
#include "common/name_escape.h"
#include "common/rrd_layout.h"
#include "graphs/sla_rrd.h"

/* One fetch: rows of DS_CNT values; row i covers [*start + i*step, +step). */
struct sla_fetch {
	time_t start, end;
	unsigned long step, ds_cnt;
	char **names;
	rrd_value_t *data;
	size_t rows;
};

static void sla_fetch_free(struct sla_fetch *f)
{
	for (unsigned long i = 0; f->names && i < f->ds_cnt; i++)
		free(f->names[i]);
	free(f->names);
	free(f->data);
	memset(f, 0, sizeof(*f));
}

static int sla_fetch(const char *path, const char *cf, struct sla_span span, unsigned long step,
		     struct sla_fetch *f)
{
	struct stat st;

	memset(f, 0, sizeof(*f));
	if (stat(path, &st) < 0)
		return -ENOENT;
	f->start = (time_t)span.start;
	f->end = (time_t)span.end;
	f->step = step;
	rrd_clear_error();
	if (rrd_fetch_r(path, cf, &f->start, &f->end, &f->step, &f->ds_cnt, &f->names,
			&f->data) != 0) {
		log_msg(LOG_ERR, "%s: cannot read: %s", path, rrd_get_error());
		rrd_clear_error();
		return -EIO;
	}
	f->rows = f->step ? (size_t)((f->end - f->start) / (time_t)f->step) : 0;
	return 0;
}

static long sla_fetch_ds(const struct sla_fetch *f, const char *name)
{
	for (unsigned long i = 0; i < f->ds_cnt; i++)
		if (strcmp(f->names[i], name) == 0)
			return (long)i;
	return -1;
}

/* Append [A, B) to *V (N used, *CAP allocated), merging with a touching
 * last span.  0 or -ENOMEM. */
static int sla_span_push(struct sla_span **v, size_t *n, size_t *cap, int64_t a, int64_t b)
{
	if (*n > 0 && (*v)[*n - 1].end == a) {
		(*v)[*n - 1].end = b;
		return 0;
	}
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 16;
		struct sla_span *nv = realloc(*v, nc * sizeof(*nv));
		if (nv == NULL)
			return -ENOMEM;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = (struct sla_span){ a, b };
	return 0;
}

long sla_rrd_unknown(const char *device_rrd, struct sla_span span, unsigned long step_s,
		     struct sla_span **out)
{
	struct sla_fetch f;
	struct sla_span *v = NULL;
	size_t n = 0, cap = 0;
	long ds;
	int r;

	*out = NULL;
	if (span.end <= span.start)
		return 0;
	if ((r = sla_fetch(device_rrd, "AVERAGE", span, step_s, &f)) < 0)
		return r;
	if ((ds = sla_fetch_ds(&f, metric_get(METRIC_DEVICE_REACHABLE)->rrd_ds)) < 0) {
		log_msg(LOG_ERR, "%s: no 'reachable' data source", device_rrd);
		sla_fetch_free(&f);
		return -EIO;
	}
	/* Rows librrd did not return (the file starts after SPAN, or ends
	 * before it) are unknown too. */
	if ((int64_t)f.start > span.start)
		r = sla_span_push(&v, &n, &cap, span.start, (int64_t)f.start);
	for (size_t i = 0; r == 0 && i < f.rows; i++) {
		int64_t a = (int64_t)f.start + (int64_t)(i * f.step), b = a + (int64_t)f.step;
		if (!isnan(f.data[i * f.ds_cnt + (size_t)ds]))
			continue;
		if (a < span.start)
			a = span.start;
		if (b > span.end)
			b = span.end;
		if (a < b)
			r = sla_span_push(&v, &n, &cap, a, b);
	}
	if (r == 0 && (int64_t)f.end < span.end)
		r = sla_span_push(&v, &n, &cap, (int64_t)f.end, span.end);
	sla_fetch_free(&f);
	if (r < 0) {
		free(v);
		return r;
	}
	n = sla_spans_normalise(v, n);
	if (n == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	return (long)n;
}

/* max(in, out) of row I, NAN when both are unknown. */
static double sla_row_max(const struct sla_fetch *f, size_t i, long in, long out)
{
	double a = f->data[i * f->ds_cnt + (size_t)in], b = f->data[i * f->ds_cnt + (size_t)out];
	if (isnan(a))
		return b;
	if (isnan(b))
		return a;
	return a > b ? a : b;
}

static int sla_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The in and out columns of F (-1 when missing). */
static void sla_fetch_inout(const struct sla_fetch *f, long *in, long *out)
{
	*in = sla_fetch_ds(f, metric_get(METRIC_IF_IN_BPS)->rrd_ds);
	*out = sla_fetch_ds(f, metric_get(METRIC_IF_OUT_BPS)->rrd_ds);
}

/* Mean of in + out over SPAN from the daily RRA; -1 when unknown. */
static double sla_if_mean(const char *path, struct sla_span span)
{
	struct sla_fetch f;
	double sum = 0;
	size_t n = 0;
	long in, out;

	if (sla_fetch(path, "AVERAGE", span, 86400, &f) < 0)
		return -1;
	sla_fetch_inout(&f, &in, &out);
	for (size_t i = 0; in >= 0 && out >= 0 && i < f.rows; i++) {
		double a = f.data[i * f.ds_cnt + (size_t)in], b = f.data[i * f.ds_cnt + (size_t)out];
		if (!isnan(a) && !isnan(b)) {
			sum += a + b;
			n++;
		}
	}
	sla_fetch_free(&f);
	return n ? sum / (double)n : -1;
}

/* The file name (escaped) of the busiest interface under DIR into BEST. */
static int sla_busiest(const char *dir, struct sla_span span, char *best, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	double top = -1;
	char path[4096];

	if (d == NULL)
		return -ENOENT;
	best[0] = '\0';
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		double m;
		if (l < 5 || strcmp(e->d_name + l - 4, ".rrd") != 0 ||
		    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		m = sla_if_mean(path, span);
		/* Ties go to the smaller name, so the choice does not depend on
		 * the directory order. */
		if (m > top || (m == top && m >= 0 && strcmp(e->d_name, best) < 0)) {
			top = m;
			snprintf(best, len, "%s", e->d_name);
		}
	}
	closedir(d);
	return best[0] && top >= 0 ? 0 : -ENOENT;
}

/* "Gi1%2F0%2F1.rrd" back to "Gi1/0/1" (for people; hashed long names stay). */
static void sla_unescape(const char *file, char *out, size_t len)
{
	size_t o = 0, l = strlen(file) - 4;   /* without ".rrd" */

	for (size_t i = 0; i < l && o + 1 < len; i++) {
		if (file[i] == '%' && i + 2 < l && isxdigit((unsigned char)file[i + 1]) &&
		    isxdigit((unsigned char)file[i + 2])) {
			char hex[3] = { file[i + 1], file[i + 2], '\0' };
			out[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else {
			out[o++] = file[i];
		}
	}
	out[o] = '\0';
}

int sla_rrd_traffic(const char *data_dir, const char *device, const char *ifname,
		    struct sla_span span, unsigned long step_s, struct sla_traffic *out)
{
	char dir[4096], file[NAME_ESCAPE_MAX + 8], path[4096 + NAME_ESCAPE_MAX + 8], *slash;
	struct sla_fetch avg, max;
	double *v = NULL;
	size_t n = 0;
	long in, o;
	int r;

	out->p95_bps = out->peak_bps = NAN;
	out->ifname[0] = '\0';
	/* The interface files sit in "if/" beside device.rrd. */
	if ((r = rrd_layout_path(data_dir, METRIC_RRD_DEVICE, device, NULL, dir, sizeof(dir) - 4)) < 0)
		return r;
	if ((slash = strrchr(dir, '/')) == NULL)
		return -EINVAL;
	strcpy(slash + 1, "if");
	if (ifname != NULL) {
		if (name_escape(ifname, strlen(ifname), file, sizeof(file) - 4) < 0)
			return -ENAMETOOLONG;
		strcat(file, ".rrd");
	} else if ((r = sla_busiest(dir, span, file, sizeof(file))) < 0) {
		return r;
	}
	sla_unescape(file, out->ifname, sizeof(out->ifname));
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((r = sla_fetch(path, "AVERAGE", span, step_s, &avg)) < 0)
		return r;
	sla_fetch_inout(&avg, &in, &o);
	if (in < 0 || o < 0 || (v = malloc((avg.rows ? avg.rows : 1) * sizeof(*v))) == NULL) {
		sla_fetch_free(&avg);
		return in < 0 || o < 0 ? -EIO : -ENOMEM;
	}
	for (size_t i = 0; i < avg.rows; i++) {
		double x = sla_row_max(&avg, i, in, o);
		if (!isnan(x))
			v[n++] = x;
	}
	sla_fetch_free(&avg);
	if (n > 0) {
		/* Nearest rank: the smallest value with at least 95 % of the
		 * rows at or below it. */
		size_t k = (size_t)ceil(0.95 * (double)n);
		qsort(v, n, sizeof(*v), sla_cmp_double);
		out->p95_bps = v[k ? k - 1 : 0];
	}
	free(v);
	if (sla_fetch(path, "MAX", span, step_s, &max) == 0) {
		sla_fetch_inout(&max, &in, &o);
		for (size_t i = 0; in >= 0 && o >= 0 && i < max.rows; i++) {
			double x = sla_row_max(&max, i, in, o);
			if (!isnan(x) && (isnan(out->peak_bps) || x > out->peak_bps))
				out->peak_bps = x;
		}
		sla_fetch_free(&max);
	}
	return 0;
}
