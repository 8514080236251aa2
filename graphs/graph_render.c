/*
 * graph_render.c — rrd_graph_v argument lists for each graph kind.  See
 * graph_render.h.
 *
 * The image is asked for as "-" so librrd returns it in the info list
 * ("image" blob) instead of writing a file: nothing here touches the disk
 * but the RRD file read.  --full-size-mode makes width x height the size
 * of the whole image, so a dashboard tile is exactly the size it asked for.
 *
 * Availability: device.rrd's "reachable" is 1 or 0 per poll; consolidated
 * rows are the fraction of the time the device answered.  The band stacks
 * that fraction (green), its complement (red) and unknown rows (grey, full
 * height) so a gap in polling never looks like an outage or like uptime.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rrd.h>

#include "graphs/graph_render.h"

#define GRAPH_ARGV_MAX 96
#define GRAPH_ARGS_BYTES 16384

struct graph_args {
	char *v[GRAPH_ARGV_MAX];
	int n;
	size_t used;
	int overflow;
	char buf[GRAPH_ARGS_BYTES];
};

static void graph_arg(struct graph_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void graph_arg(struct graph_args *a, const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof(a->buf) - a->used;
	int n;

	if (a->overflow || a->n >= GRAPH_ARGV_MAX - 1) {
		a->overflow = 1;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(a->buf + a->used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		a->overflow = 1;
		return;
	}
	a->v[a->n++] = a->buf + a->used;
	a->v[a->n] = NULL;
	a->used += (size_t)n + 1;
}

static const char *const graph_kind_names[GRAPH_KIND_COUNT] = {
	"traffic", "errors", "util", "availability", "rtt", "uptime"
};
/* The registry metric each graph is "of", so --metric accepts either. */
static const char *const graph_kind_metrics[GRAPH_KIND_COUNT][3] = {
	{ "if.in_bps", "if.out_bps", NULL },
	{ "if.in_errors_ps", "if.out_errors_ps", "if.in_discards_ps" },
	{ "if.util_pct", NULL, NULL },
	{ "device.reachable", NULL, NULL },
	{ "device.rtt_ms", NULL, NULL },
	{ "device.uptime_s", NULL, NULL },
};
static const char *const graph_period_names[GRAPH_PERIOD_COUNT] = {
	"day", "week", "month", "year", "custom"
};
static const long graph_period_secs[GRAPH_CUSTOM] = {
	86400L, 7 * 86400L, 31 * 86400L, 366 * 86400L
};

const char *graph_kind_name(enum graph_kind k)
{
	return (unsigned)k < GRAPH_KIND_COUNT ? graph_kind_names[k] : NULL;
}

int graph_kind_parse(const char *s, enum graph_kind *out)
{
	for (int k = 0; k < GRAPH_KIND_COUNT; k++) {
		int hit = strcmp(s, graph_kind_names[k]) == 0;
		for (int j = 0; j < 3 && !hit && graph_kind_metrics[k][j]; j++)
			hit = strcmp(s, graph_kind_metrics[k][j]) == 0;
		if (hit) {
			*out = (enum graph_kind)k;
			return 0;
		}
	}
	if (strcmp(s, "if.out_discards_ps") == 0) {
		*out = GRAPH_IF_ERRORS;
		return 0;
	}
	return -EINVAL;
}

int graph_kind_is_if(enum graph_kind k)
{
	return k <= GRAPH_IF_UTIL;
}

const char *graph_period_name(enum graph_period p)
{
	return (unsigned)p < GRAPH_PERIOD_COUNT ? graph_period_names[p] : NULL;
}

int graph_period_parse(const char *s, enum graph_period *out)
{
	for (int p = 0; p < GRAPH_CUSTOM; p++)
		if (strcmp(s, graph_period_names[p]) == 0) {
			*out = (enum graph_period)p;
			return 0;
		}
	return -EINVAL;
}

void graph_request_span(const struct graph_request *r, time_t now, time_t *start, time_t *end)
{
	if (r->period == GRAPH_CUSTOM) {
		*start = r->start;
		*end = r->end;
		return;
	}
	*end = now;
	*start = now - graph_period_secs[r->period];
}

int graph_request_check(const struct graph_request *r)
{
	if ((unsigned)r->kind >= GRAPH_KIND_COUNT || (unsigned)r->period >= GRAPH_PERIOD_COUNT ||
	    (r->format != GRAPH_PNG && r->format != GRAPH_SVG) ||
	    (r->theme != GRAPH_LIGHT && r->theme != GRAPH_DARK) || r->rrd_path == NULL)
		return -EINVAL;
	if (r->width && (r->width < GRAPH_W_MIN || r->width > GRAPH_W_MAX))
		return -EINVAL;
	if (r->height && (r->height < GRAPH_H_MIN || r->height > GRAPH_H_MAX))
		return -EINVAL;
	if (r->period == GRAPH_CUSTOM &&
	    (r->start <= 0 || r->end - r->start < GRAPH_SPAN_MIN || r->end - r->start > GRAPH_SPAN_MAX))
		return -EINVAL;
	return 0;
}

/* Colours per theme: background, canvas, font, grid, major grid, frame,
 * then series colours. */
struct graph_palette {
	const char *back, *canvas, *font, *grid, *mgrid, *frame, *axis, *arrow;
	const char *in, *out, *p95in, *p95out, *err1, *err2, *err3, *err4;
	const char *up, *down, *unknown, *line;
};

static const struct graph_palette graph_palettes[2] = {
	{ "FFFFFF", "FFFFFF", "1A1A1A", "D0D0D080", "A0A0A0A0", "808080", "404040", "404040",
	  "2CA02CC0", "1F4E9E", "1B7A1B", "C0392B", "D62728", "FF7F0E", "9467BD", "8C564B",
	  "2CA02C", "D62728", "B0B0B0", "1F4E9E" },
	{ "101418", "161B22", "E6E6E6", "40464E80", "606770A0", "606770", "B0B0B0", "B0B0B0",
	  "3FB950C0", "58A6FF", "7EE787", "FF7B72", "FF7B72", "FFA657", "D2A8FF", "E3B341",
	  "3FB950", "F85149", "6E7681", "58A6FF" },
};

/* Legends: [english, indonesian]. */
enum graph_word { W_IN, W_OUT, W_P95IN, W_P95OUT, W_INERR, W_OUTERR, W_INDISC, W_OUTDISC,
		  W_UTIL, W_UP, W_DOWN, W_UNKNOWN, W_AVAIL, W_RTT, W_UPTIME, W_DAYS, W_NOW,
		  W_AVG, W_MAX, W_COUNT };
static const char *const graph_words[W_COUNT][2] = {
	{ "In ", "Masuk " }, { "Out", "Keluar" },
	{ "95th in ", "P95 masuk " }, { "95th out", "P95 keluar" },
	{ "In errors  ", "Galat masuk " }, { "Out errors ", "Galat keluar" },
	{ "In discards ", "Buang masuk " }, { "Out discards", "Buang keluar" },
	{ "Utilisation", "Utilisasi" },
	{ "Up", "Naik" }, { "Down", "Putus" }, { "Unknown", "Tak diketahui" },
	{ "availability", "ketersediaan" },
	{ "SNMP response", "Respons SNMP" }, { "Uptime", "Waktu hidup" },
	{ "days", "hari" }, { "now", "kini" }, { "avg", "rata2" }, { "max", "maks" },
};

/* Copy PATH with ':' and '\' escaped for a DEF. */
static int graph_escape_path(const char *path, char *out, size_t len)
{
	size_t o = 0;
	for (const char *p = path; *p; p++) {
		if (*p == ':' || *p == '\\') {
			if (o + 1 >= len)
				return -ENAMETOOLONG;
			out[o++] = '\\';
		}
		if (o + 1 >= len)
			return -ENAMETOOLONG;
		out[o++] = *p;
	}
	out[o] = '\0';
	return 0;
}

/* DEF for DS of F with CF. */
static void graph_def(struct graph_args *a, const char *vname, const char *f,
		      const char *ds, const char *cf)
{
	graph_arg(a, "DEF:%s=%s:%s:%s", vname, f, ds, cf);
}

/* "now / avg / max" figures of VNAME, in FMT (an rrd_graph %-format). */
static void graph_figures(struct graph_args *a, const char *vname, const char *fmt, int id)
{
	graph_arg(a, "GPRINT:%s:LAST:%s %s", vname, graph_words[W_NOW][id], fmt);
	graph_arg(a, "GPRINT:%s:AVERAGE:%s %s", vname, graph_words[W_AVG][id], fmt);
	graph_arg(a, "GPRINT:%s:MAX:%s %s\\l", vname, graph_words[W_MAX][id], fmt);
}

static void graph_traffic(struct graph_args *a, const char *f, const struct graph_palette *c,
			  int id)
{
	graph_def(a, "in", f, "in", "AVERAGE");
	graph_def(a, "out", f, "out", "AVERAGE");
	graph_arg(a, "VDEF:in95=in,95,PERCENTNAN");
	graph_arg(a, "VDEF:out95=out,95,PERCENTNAN");
	graph_arg(a, "--vertical-label=bit/s");
	graph_arg(a, "--lower-limit=0");
	graph_arg(a, "AREA:in#%s:%s", c->in, graph_words[W_IN][id]);
	graph_figures(a, "in", "%6.2lf%s", id);
	graph_arg(a, "LINE1.5:out#%s:%s", c->out, graph_words[W_OUT][id]);
	graph_figures(a, "out", "%6.2lf%s", id);
	graph_arg(a, "LINE1:in95#%s:%s:dashes", c->p95in, graph_words[W_P95IN][id]);
	graph_arg(a, "GPRINT:in95:%%6.2lf%%s\\l");
	graph_arg(a, "LINE1:out95#%s:%s:dashes", c->p95out, graph_words[W_P95OUT][id]);
	graph_arg(a, "GPRINT:out95:%%6.2lf%%s\\l");
}

static void graph_errors(struct graph_args *a, const char *f, const struct graph_palette *c,
			 int id)
{
	static const char *const ds[4] = { "inerr", "outerr", "indisc", "outdisc" };
	const char *col[4] = { c->err1, c->err2, c->err3, c->err4 };
	graph_arg(a, "--vertical-label=/s");
	graph_arg(a, "--lower-limit=0");
	for (int i = 0; i < 4; i++) {
		graph_def(a, ds[i], f, ds[i], "AVERAGE");
		graph_arg(a, "LINE1.5:%s#%s:%s", ds[i], col[i], graph_words[W_INERR + i][id]);
		graph_figures(a, ds[i], "%7.2lf%s", id);
	}
}

static void graph_util(struct graph_args *a, const char *f, const struct graph_palette *c,
		       int id)
{
	graph_def(a, "util", f, "util", "AVERAGE");
	graph_def(a, "utilmax", f, "util", "MAX");
	graph_arg(a, "--vertical-label=%%");
	graph_arg(a, "--lower-limit=0");
	graph_arg(a, "--upper-limit=100");
	graph_arg(a, "AREA:util#%s:%s", c->in, graph_words[W_UTIL][id]);
	graph_figures(a, "util", "%5.1lf%%%%", id);
	graph_arg(a, "LINE1:utilmax#%s", c->out);
}

static void graph_avail(struct graph_args *a, const char *f, const struct graph_palette *c,
			int id)
{
	graph_def(a, "r", f, "reachable", "AVERAGE");
	graph_arg(a, "CDEF:up=r,UN,0,r,IF");
	graph_arg(a, "CDEF:down=r,UN,0,1,r,-,IF");
	graph_arg(a, "CDEF:unk=r,UN,1,0,IF");
	graph_arg(a, "CDEF:pct=r,100,*");
	graph_arg(a, "VDEF:avail=pct,AVERAGE");
	graph_arg(a, "--lower-limit=0");
	graph_arg(a, "--upper-limit=1");
	graph_arg(a, "--rigid");
	graph_arg(a, "--y-grid=none");
	graph_arg(a, "AREA:up#%s:%s", c->up, graph_words[W_UP][id]);
	graph_arg(a, "AREA:down#%s:%s:STACK", c->down, graph_words[W_DOWN][id]);
	graph_arg(a, "AREA:unk#%s:%s:STACK", c->unknown, graph_words[W_UNKNOWN][id]);
	graph_arg(a, "GPRINT:avail:%s %%6.2lf%%%%\\l", graph_words[W_AVAIL][id]);
}

static void graph_rtt(struct graph_args *a, const char *f, const struct graph_palette *c,
		      int id)
{
	graph_def(a, "rtt", f, "rtt", "AVERAGE");
	graph_arg(a, "CDEF:ms=rtt,1000,*");
	graph_arg(a, "--vertical-label=ms");
	graph_arg(a, "--lower-limit=0");
	graph_arg(a, "LINE1.5:ms#%s:%s (ms)", c->line, graph_words[W_RTT][id]);
	graph_figures(a, "ms", "%7.1lf", id);
}

static void graph_uptime(struct graph_args *a, const char *f, const struct graph_palette *c,
			 int id)
{
	graph_def(a, "up", f, "uptime", "AVERAGE");
	graph_arg(a, "CDEF:days=up,86400,/");
	graph_arg(a, "--vertical-label=%s", graph_words[W_DAYS][id]);
	graph_arg(a, "--lower-limit=0");
	graph_arg(a, "AREA:days#%s:%s (%s)", c->in, graph_words[W_UPTIME][id],
		  graph_words[W_DAYS][id]);
	graph_arg(a, "GPRINT:days:LAST:%s %%7.2lf\\l", graph_words[W_NOW][id]);
}

static void graph_theme_args(struct graph_args *a, const struct graph_palette *c)
{
	graph_arg(a, "--color=BACK#%s", c->back);
	graph_arg(a, "--color=CANVAS#%s", c->canvas);
	graph_arg(a, "--color=FONT#%s", c->font);
	graph_arg(a, "--color=GRID#%s", c->grid);
	graph_arg(a, "--color=MGRID#%s", c->mgrid);
	graph_arg(a, "--color=FRAME#%s", c->frame);
	graph_arg(a, "--color=AXIS#%s", c->axis);
	graph_arg(a, "--color=ARROW#%s", c->arrow);
	graph_arg(a, "--color=SHADEA#%s", c->back);
	graph_arg(a, "--color=SHADEB#%s", c->back);
	graph_arg(a, "--border=0");
}

/* Build the full argument list of R into A.  0 or -EINVAL/-ENAMETOOLONG. */
static int graph_build(const struct graph_request *r, time_t now, struct graph_args *a)
{
	char f[4200];
	time_t start, end;
	const struct graph_palette *c = &graph_palettes[r->theme == GRAPH_DARK];
	int id = r->lang_id ? 1 : 0;

	if (graph_escape_path(r->rrd_path, f, sizeof(f)) < 0)
		return -ENAMETOOLONG;
	graph_request_span(r, now, &start, &end);
	a->n = 0;
	a->used = 0;
	a->overflow = 0;
	graph_arg(a, "graph");
	graph_arg(a, "-");
	graph_arg(a, "--imgformat=%s", r->format == GRAPH_SVG ? "SVG" : "PNG");
	graph_arg(a, "--start=%lld", (long long)start);
	graph_arg(a, "--end=%lld", (long long)end);
	graph_arg(a, "--width=%u", r->width ? r->width : GRAPH_W_DEFAULT);
	graph_arg(a, "--height=%u", r->height ? r->height : GRAPH_H_DEFAULT);
	graph_arg(a, "--full-size-mode");
	graph_arg(a, "--slope-mode");
	graph_arg(a, "--disable-rrdtool-tag");
	if (r->title && r->title[0])
		graph_arg(a, "--title=%s", r->title);
	if (r->daemon && r->daemon[0])
		graph_arg(a, "--daemon=%s", r->daemon);
	graph_theme_args(a, c);
	switch (r->kind) {
	case GRAPH_IF_TRAFFIC: graph_traffic(a, f, c, id); break;
	case GRAPH_IF_ERRORS: graph_errors(a, f, c, id); break;
	case GRAPH_IF_UTIL: graph_util(a, f, c, id); break;
	case GRAPH_DEV_AVAIL: graph_avail(a, f, c, id); break;
	case GRAPH_DEV_RTT: graph_rtt(a, f, c, id); break;
	case GRAPH_DEV_UPTIME: graph_uptime(a, f, c, id); break;
	default: return -EINVAL;
	}
	return a->overflow ? -ENAMETOOLONG : 0;
}

int graph_render(const struct graph_request *r, time_t now, unsigned char **img,
		 size_t *len, char *err, size_t errlen)
{
	struct graph_args *a;
	rrd_info_t *info, *i;
	int rc;

	*img = NULL;
	*len = 0;
	if (errlen)
		err[0] = '\0';
	if (graph_request_check(r) < 0) {
		snprintf(err, errlen, "invalid graph request");
		return -EINVAL;
	}
	a = malloc(sizeof(*a));
	if (a == NULL)
		return -ENOMEM;
	rc = graph_build(r, now, a);
	if (rc < 0) {
		snprintf(err, errlen, "graph arguments too long");
		free(a);
		return rc;
	}
	rrd_clear_error();
	info = rrd_graph_v(a->n, a->v);
	free(a);
	if (info == NULL || rrd_test_error()) {
		snprintf(err, errlen, "%s", rrd_test_error() ? rrd_get_error() : "rrd_graph failed");
		rrd_clear_error();
		rrd_info_free(info);
		return -EIO;
	}
	rc = -EIO;
	for (i = info; i; i = i->next) {
		if (i->type != RD_I_BLO || strcmp(i->key, "image") != 0)
			continue;
		*img = malloc(i->value.u_blo.size ? i->value.u_blo.size : 1);
		if (*img == NULL) {
			rc = -ENOMEM;
			break;
		}
		memcpy(*img, i->value.u_blo.ptr, i->value.u_blo.size);
		*len = i->value.u_blo.size;
		rc = 0;
		break;
	}
	if (rc == -EIO)
		snprintf(err, errlen, "rrd_graph returned no image");
	rrd_info_free(info);
	return rc;
}
