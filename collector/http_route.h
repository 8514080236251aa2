/*
 * http_route.h — turn a request's path and query arguments into a route,
 * validating every field; nothing else in the dashboard reads the URL.
 *
 * Object names (site, device, interface) come only from query arguments
 * (?device=sw-1&if=Gi0/1), already percent-decoded by libmicrohttpd; here
 * they are checked for length and control bytes, and later looked up in
 * the model (an unknown name is a 404, never a path).  A graph accepts a
 * kind, a period or a start/end pair, a size and a theme, each from a
 * closed set or a bounded integer; the alert history a ?page= number.  Unknown arguments are errors, so a
 * typo is visible.  Pure: a libFuzzer target drives it (tests/fuzz).
 */
#ifndef SERAT_HTTP_ROUTE_H
#define SERAT_HTTP_ROUTE_H

#include <stddef.h>
#include <time.h>

#include "graphs/graph_render.h"

#define HTTP_URL_MAX 1024          /* longer URLs are 414 */
#define HTTP_ARGS_MAX 16           /* more query arguments are 400 */
#define HTTP_NAME_MAX 255          /* bytes in an object name */
#define HTTP_TOKEN_MAX 128
#define HTTP_PAGE_MAX 1000         /* ?page= of the alert history */

enum http_route_kind {
	HR_OVERVIEW, HR_SITE, HR_DEVICE, HR_IF, HR_WALL, HR_ALERTS, HR_MAINT, HR_SLA,
	HR_ASSET, HR_GRAPH,
	HR_API_INDEX, HR_API_SITES, HR_API_DEVICES, HR_API_INTERFACES, HR_API_ALERTS,
	HR_API_MAINT,
	HR_METRICS, HR_METRICS_IF,
	HR_REPORT,                        /* /reports/YYYY-MM.html */
	HR_KIND_COUNT
};

struct http_arg {
	const char *key, *value;      /* value may be NULL ("?flag") */
};

struct http_route {
	enum http_route_kind kind;
	char site[HTTP_NAME_MAX + 1];     /* "" when not given */
	char device[HTTP_NAME_MAX + 1];
	char ifname[HTTP_NAME_MAX + 1];
	char kiosk[HTTP_TOKEN_MAX + 1];
	int lang;                         /* -1 default, 0 en, 1 id */
	int asset;                        /* HR_ASSET: index into the asset table */
	unsigned page;                    /* HR_ALERTS, HR_API_ALERTS: 1.., 0 = first */
	char report[8];                   /* HR_REPORT: "YYYY-MM" */
	/* HR_GRAPH */
	enum graph_kind graph;
	enum graph_period period;
	time_t start, end;
	unsigned width, height;
	enum graph_theme theme;
	enum graph_format format;
};

/* Result of parsing: 0 ok, or the HTTP status to answer. */
enum { HTTP_ROUTE_OK = 0 };

/*
 * Parse PATH (no query part) and ARGS (N pairs) into R.  ASSET_NAMES is
 * the NULL-terminated list of files under /static/.  Returns 0, 404 (no
 * such page), 400 (bad or unknown argument, bad name), or 414.  Pure.
 */
int http_route_parse(const char *path, const struct http_arg *args, size_t n,
		     const char *const *asset_names, struct http_route *r);

/* NAME is "YYYY-MM.html" (month 01-12) and nothing else — it becomes a
 * file name under <data_dir>/reports: OUT gets "YYYY-MM".  0 or -EINVAL. */
int http_route_report_name(const char *name, char out[8]);

/* The route names ("overview", "graph", ...), for /metrics labels. */
const char *http_route_name(enum http_route_kind k);

#endif
