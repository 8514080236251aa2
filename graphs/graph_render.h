/*
 * graph_render.h — draw one graph of one RRD file with librrd.
 *
 * A graph is one of a fixed set of kinds (interface traffic, errors,
 * utilisation; device availability, SNMP response time, uptime) over a
 * period (day, week, month, year or a custom start-end), in PNG or SVG,
 * in a light or dark theme with an explicit background so it reads the
 * same opened alone or pasted into a chat.  Every argument handed to
 * rrd_graph_v() is built here from validated fields: a caller (the CLI,
 * the dashboard) can choose a kind, a period, a size and a theme, never a
 * piece of rrd_graph syntax.  The RRD file's path is the caller's, made
 * from names checked against the model (and escaped by name_escape, so it
 * has no ':' of its own); colons in data_dir are escaped here.
 *
 * Threads: rrd_graph is not reliably reentrant in librrd 1.7 (global
 * state in its font and text layout code), so seratd calls graph_render
 * from one worker thread only (graphs/graph_worker.h); the CLI calls it
 * directly.  With an rrdcached address, rrd_graph is passed `--daemon`,
 * which makes rrdcached flush the file before it is read, so a graph
 * shows the latest poll.
 */
#ifndef SERAT_GRAPH_RENDER_H
#define SERAT_GRAPH_RENDER_H

#include <stddef.h>
#include <time.h>

enum graph_kind {
	GRAPH_IF_TRAFFIC,      /* in/out bit/s with the 95th percentiles */
	GRAPH_IF_ERRORS,       /* errors and discards per second */
	GRAPH_IF_UTIL,         /* utilisation, % of ifHighSpeed */
	GRAPH_DEV_AVAIL,       /* up/down/unknown band */
	GRAPH_DEV_RTT,         /* SNMP response time, ms */
	GRAPH_DEV_UPTIME,      /* sysUpTime, days */
	GRAPH_KIND_COUNT
};

enum graph_period { GRAPH_DAY, GRAPH_WEEK, GRAPH_MONTH, GRAPH_YEAR, GRAPH_CUSTOM,
		    GRAPH_PERIOD_COUNT };
enum graph_format { GRAPH_PNG, GRAPH_SVG };
enum graph_theme { GRAPH_LIGHT, GRAPH_DARK };

/* Bounds on the image size (whole image, pixels). */
#define GRAPH_W_MIN 240
#define GRAPH_W_MAX 2000
#define GRAPH_H_MIN 120
#define GRAPH_H_MAX 1200
#define GRAPH_W_DEFAULT 800
#define GRAPH_H_DEFAULT 280
/* A custom period spans at least ten seconds and at most ten years. */
#define GRAPH_SPAN_MIN 10
#define GRAPH_SPAN_MAX (10 * 366 * 86400L)

struct graph_request {
	enum graph_kind kind;
	const char *rrd_path;      /* the file (interface or device.rrd) */
	const char *title;         /* shown on top; plain text */
	enum graph_period period;
	time_t start, end;         /* GRAPH_CUSTOM only; else ignored */
	unsigned width, height;    /* 0 = defaults */
	enum graph_format format;
	enum graph_theme theme;
	const char *daemon;        /* rrdcached address to flush through, or NULL */
	int lang_id;               /* 1 = Indonesian legends, 0 = English */
};

/* Short names: "traffic", "errors", "util", "availability", "rtt",
 * "uptime"; NULL when out of range. */
const char *graph_kind_name(enum graph_kind k);
/* By short name or by a metric registry name of the graph ("if.in_bps",
 * "device.reachable", ...).  -EINVAL when unknown. */
int graph_kind_parse(const char *s, enum graph_kind *out);
/* 1 for an interface graph, 0 for a device graph. */
int graph_kind_is_if(enum graph_kind k);

/* "day", "week", "month", "year", "custom". */
const char *graph_period_name(enum graph_period p);
/* Names above except "custom".  -EINVAL when unknown. */
int graph_period_parse(const char *s, enum graph_period *out);

/* The [start, end] the request covers, for END_NOW = now.  Pure. */
void graph_request_span(const struct graph_request *r, time_t now, time_t *start, time_t *end);

/* Check every field (sizes in range, custom span valid, enums in range).
 * 0 or -EINVAL.  Pure. */
int graph_request_check(const struct graph_request *r);

/*
 * Render R.  On success returns 0 and sets *IMG (caller frees with free())
 * and *LEN.  On failure returns a negative errno and writes librrd's
 * message into ERR (always NUL-terminated).  Blocks: reads the file and
 * maybe talks to rrdcached; never call it on the event loop.
 */
int graph_render(const struct graph_request *r, time_t now, unsigned char **img,
		 size_t *len, char *err, size_t errlen);

#endif
