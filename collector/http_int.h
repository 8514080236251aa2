/*
 * http_int.h — what the parts of the HTTP server share (not for others).
 *
 * http_server.c owns the daemon, the loop glue, auth and dispatch;
 * http_pages.c the HTML (http_alerts.c its alerts and maintenance
 * pages), http_api.c the JSON, http_metrics.c the
 * Prometheus text, http_graph.c the render cache and the availability
 * figures, http_assets.c the embedded CSS/JS.  Builders write into an
 * open_memstream FILE and hand back a struct http_reply.
 */
#ifndef SERAT_HTTP_INT_H
#define SERAT_HTTP_INT_H

#include <stdio.h>
#include <stdint.h>

#include <microhttpd.h>

#include "collector/alert_view.h"
#include "collector/http_route.h"
#include "collector/http_server.h"
#include "graphs/graph_worker.h"

struct http_reply {
	int status;
	char *body;            /* malloc'd; ownership passes to the sender */
	size_t len;
	const char *ctype;
	int no_store;          /* Cache-Control: no-store */
};

struct http_conn;

/* A rendered graph kept for one poll interval. */
struct http_cache_entry {
	char *key;
	struct MHD_Response *resp;   /* NULL while rendering */
	int64_t epoch;               /* interval number it belongs to */
	size_t bytes;
	struct http_conn **waiters;  /* suspended connections */
	size_t n_waiters;
	struct http_cache_entry *next;
};

/* Availability over 24 h and 30 d, from device.rrd (NAN = unknown). */
struct http_avail {
	char *device;
	double a24, a30;
};

struct http_server {
	struct event_base *base;
	struct MHD_Daemon *mhd;
	struct event *ev_mhd, *ev_timer, *ev_avail;
	const struct model *model;
	const struct serat_config *conf;
	const struct alert_engine *alerts;   /* NULL: seratd runs without alerts */
	struct graph_worker *worker;
	void (*health)(void *arg, struct http_health *out);
	void *health_arg;

	struct http_cache_entry *cache;
	size_t cache_n, cache_bytes;
	uint64_t cache_hits, cache_misses, renders, render_errors, busy;

	struct http_avail *avail;
	size_t n_avail;
	int avail_running;

	/* auth */
	char **users, **hashes;
	size_t n_users;
	char *ok_auth[16];           /* Authorization values already verified */
	double fail_window_start;
	unsigned fail_count;

	/* The overview and the wall, built at most once a second per
	 * language and kiosk token: a wall of screens costs one build. */
	struct http_page_cache {
		struct MHD_Response *resp;
		enum http_route_kind kind;
		int lang;
		char kiosk[HTTP_TOKEN_MAX + 1];
		double at;               /* monotonic */
	} page_cache[4];
	uint64_t page_cache_hits;

	uint64_t requests[6];        /* by status class: 1xx..5xx, [0] unused */
	uint64_t by_route[HR_KIND_COUNT];
};

struct http_conn {
	struct http_server *h;
	struct MHD_Connection *c;
	int suspended;
	struct MHD_Response *ready;  /* set when a suspended render finished */
	int ready_status;
	int discard_body;
};

/* Language of a request: the route's, else the config's. */
int http_lang(const struct http_server *h, const struct http_route *r);

/* FILE over a growing buffer; http_reply_finish closes it into OUT. */
FILE *http_reply_open(struct http_reply *out, char **buf, size_t *len);
int http_reply_finish(FILE *f, struct http_reply *out, char **buf, size_t *len, int status,
		      const char *ctype);
/* A short error body (JSON for API paths, HTML otherwise). */
int http_reply_error(struct http_reply *out, int status, int json, const char *msg);

/* HTML-escaped S. */
void http_html(FILE *f, const char *s);
/* S percent-encoded for a query value. */
void http_urlenc(FILE *f, const char *s);

/* One HTML page being built (http_pages.c, http_alerts.c). */
struct http_page {
	FILE *f;
	struct http_server *h;
	const struct http_route *r;
	int lang;                    /* 0 en, 1 id */
};
/* The page's head (title, nav, language switch) and foot. */
void http_page_head(struct http_page *p, const char *title, int wall);
void http_page_foot(struct http_page *p, int wall);
/* http_alerts.c: the alerts and maintenance pages. */
void http_alerts_page(struct http_page *p);
void http_maint_page(struct http_page *p);
/* ?page=N of the alert history: N's first row and the page size. */
#define HTTP_HISTORY_PAGE 50
size_t http_history_offset(const struct http_route *r);

/* Builders: 0, or a negative errno (500). */
int http_pages(struct http_server *h, const struct http_route *r, struct http_reply *out);
int http_api(struct http_server *h, const struct http_route *r, struct http_reply *out);
int http_metrics(struct http_server *h, const struct http_route *r, struct http_reply *out);

/* Graphs: answer from the cache or suspend HC until the render is done.
 * Returns 0 (handled: queued or suspended) or an HTTP status to answer. */
int http_graph_request(struct http_server *h, struct http_conn *hc, const struct http_route *r);
void http_graph_cache_clear(struct http_server *h);
/* Start the periodic availability refresh; http_avail_find reads it. */
int http_avail_start(struct http_server *h);
const struct http_avail *http_avail_find(const struct http_server *h, const char *device);
void http_avail_free(struct http_server *h);
/* Make MHD look at its sockets again soon (after a resume). */
void http_server_kick(struct http_server *h);

/* ---- http_view.c: figures shared by pages, API and wall ------------- */

enum http_status { HS_UP, HS_DEGRADED, HS_DOWN, HS_UNKNOWN };
/* "up", "degraded", "down", "unknown". */
const char *http_status_name(enum http_status s);
/* up: every device up; down: none up and some down; unknown: none known;
 * degraded: the rest. */
enum http_status http_site_status(const struct model_site *s);
enum http_status http_device_status(const struct model_device *d);
/* A site's uplink until the config names one: the busiest interface (in +
 * out now) of its top device (the first whose parent is outside the
 * site).  NULL when none has a rate.  *DEV gets the device. */
const struct model_if *http_site_uplink(const struct model_site *s,
					const struct model_device **dev);
/* Mean 24 h / 30 d availability (%) of the site's devices; NAN unknown. */
void http_site_avail(const struct http_server *h, const struct model_site *s,
		     double *a24, double *a30);
/* "1.23 Mb/s", "-" for NAN. */
void http_fmt_rate(char *buf, size_t len, double bps);
/* "2d 03:04" from seconds; "-" for unknown. */
void http_fmt_duration(char *buf, size_t len, double s);
/* Local time in the configured zone, "2024-05-01 13:05 WIB". */
void http_fmt_time(char *buf, size_t len, double t);

struct http_asset {
	const char *name, *ctype, *body;
};
extern const struct http_asset http_assets[];
extern const char *const http_asset_names[];

#endif
