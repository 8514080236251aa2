/*
 * http_route.c — see http_route.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "collector/http_route.h"

static const struct {
	const char *path;
	enum http_route_kind kind;
} http_paths[] = {
	{ "/", HR_OVERVIEW }, { "/site", HR_SITE }, { "/device", HR_DEVICE }, { "/if", HR_IF },
	{ "/wall", HR_WALL }, { "/alerts", HR_ALERTS }, { "/maintenance", HR_MAINT },
	{ "/sla", HR_SLA }, { "/graph", HR_GRAPH },
	{ "/api/v1", HR_API_INDEX }, { "/api/v1/", HR_API_INDEX },
	{ "/api/v1/sites", HR_API_SITES }, { "/api/v1/devices", HR_API_DEVICES },
	{ "/api/v1/interfaces", HR_API_INTERFACES }, { "/api/v1/alerts", HR_API_ALERTS },
	{ "/api/v1/maintenance", HR_API_MAINT },
	{ "/metrics", HR_METRICS }, { "/metrics/interfaces", HR_METRICS_IF },
};

static const char *const http_route_names[HR_KIND_COUNT] = {
	"overview", "site", "device", "if", "wall", "alerts", "maintenance", "sla", "static",
	"graph", "api", "api_sites", "api_devices", "api_interfaces", "api_alerts",
	"api_maintenance", "metrics", "metrics_interfaces", "report",
};

const char *http_route_name(enum http_route_kind k)
{
	return (unsigned)k < HR_KIND_COUNT ? http_route_names[k] : "unknown";
}

/* Copy a name: 1..HTTP_NAME_MAX bytes, no control bytes. */
static int http_route_name_copy(const char *v, char *out, size_t max)
{
	size_t n = v ? strlen(v) : 0;
	if (n == 0 || n > max)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return -EINVAL;
	memcpy(out, v, n + 1);
	return 0;
}

int http_route_report_name(const char *v, char out[8])
{
	if (strlen(v) != 12 || strcmp(v + 7, ".html") != 0 || v[4] != '-')
		return -EINVAL;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (v[i] < '0' || v[i] > '9'))
			return -EINVAL;
	if (!((v[5] == '0' && v[6] >= '1') || (v[5] == '1' && v[6] <= '2')))
		return -EINVAL;
	memcpy(out, v, 7);
	out[7] = '\0';
	return 0;
}

/* A decimal in [MIN, MAX]. */
static int http_route_num(const char *v, long long min, long long max, long long *out)
{
	char *end;
	if (v == NULL || *v < '0' || *v > '9' || strlen(v) > 12)
		return -EINVAL;
	long long x = strtoll(v, &end, 10);
	if (*end || x < min || x > max)
		return -EINVAL;
	*out = x;
	return 0;
}

/* Which arguments each route takes (bit per argument below). */
enum { A_SITE = 1, A_DEVICE = 2, A_IF = 4, A_GRAPH = 8, A_COMMON = 16, A_PAGE = 32 };
enum http_arg_id { ARG_SITE, ARG_DEVICE, ARG_NAME, ARG_IF, ARG_KIND, ARG_PERIOD, ARG_START,
		   ARG_END, ARG_W, ARG_H, ARG_THEME, ARG_FMT, ARG_LANG, ARG_KIOSK, ARG_T, ARG_PAGE,
		   ARG_COUNT };
static const char *const http_arg_names[ARG_COUNT] = {
	"site", "device", "name", "if", "kind", "period", "start", "end", "w", "h", "theme",
	"fmt", "lang", "kiosk", "t", "page"
};

static unsigned http_route_allowed(enum http_route_kind k)
{
	switch (k) {
	case HR_SITE: return A_SITE | A_COMMON;
	case HR_DEVICE: return A_DEVICE | A_COMMON;
	case HR_IF: return A_DEVICE | A_IF | A_COMMON;
	case HR_GRAPH: return A_DEVICE | A_IF | A_GRAPH | A_COMMON;
	case HR_API_DEVICES: return A_SITE | A_COMMON;
	case HR_API_INTERFACES: return A_DEVICE | A_COMMON;
	case HR_ALERTS: case HR_API_ALERTS: return A_PAGE | A_COMMON;
	default: return A_COMMON;
	}
}

static unsigned http_arg_class(enum http_arg_id a)
{
	switch (a) {
	case ARG_SITE: return A_SITE;
	case ARG_DEVICE: return A_DEVICE;
	case ARG_NAME: return A_SITE | A_DEVICE | A_IF;
	case ARG_IF: return A_IF;
	case ARG_LANG: case ARG_KIOSK: return A_COMMON;
	case ARG_PAGE: return A_PAGE;
	default: return A_GRAPH;
	}
}

/* Apply one argument.  0 or 400. */
static int http_route_arg(struct http_route *r, enum http_arg_id a, const char *v,
			  long long *start, long long *end, int *have_period)
{
	long long x;
	char *name_dst;

	switch (a) {
	case ARG_NAME:
		/* ?name= names the route's own object. */
		name_dst = r->kind == HR_SITE ? r->site : r->kind == HR_DEVICE ? r->device : r->ifname;
		return http_route_name_copy(v, name_dst, HTTP_NAME_MAX) ? 400 : 0;
	case ARG_SITE: return http_route_name_copy(v, r->site, HTTP_NAME_MAX) ? 400 : 0;
	case ARG_DEVICE: return http_route_name_copy(v, r->device, HTTP_NAME_MAX) ? 400 : 0;
	case ARG_IF: return http_route_name_copy(v, r->ifname, HTTP_NAME_MAX) ? 400 : 0;
	case ARG_KIOSK: return http_route_name_copy(v, r->kiosk, HTTP_TOKEN_MAX) ? 400 : 0;
	case ARG_KIND: return v && graph_kind_parse(v, &r->graph) == 0 ? 0 : 400;
	case ARG_PERIOD:
		*have_period = 1;
		return v && graph_period_parse(v, &r->period) == 0 ? 0 : 400;
	case ARG_START: return http_route_num(v, 1, 1LL << 40, start) ? 400 : 0;
	case ARG_END: return http_route_num(v, 1, 1LL << 40, end) ? 400 : 0;
	case ARG_T:
		/* A cache-buster from serat.js; ignored. */
		return http_route_num(v, 0, 1LL << 40, &x) ? 400 : 0;
	case ARG_PAGE:
		/* History pages: the engine keeps 200 incidents at most. */
		if (http_route_num(v, 1, HTTP_PAGE_MAX, &x))
			return 400;
		r->page = (unsigned)x;
		return 0;
	case ARG_W:
		if (http_route_num(v, GRAPH_W_MIN, GRAPH_W_MAX, &x))
			return 400;
		r->width = (unsigned)x;
		return 0;
	case ARG_H:
		if (http_route_num(v, GRAPH_H_MIN, GRAPH_H_MAX, &x))
			return 400;
		r->height = (unsigned)x;
		return 0;
	case ARG_THEME:
		if (v && strcmp(v, "dark") == 0)
			r->theme = GRAPH_DARK;
		else if (v && strcmp(v, "light") == 0)
			r->theme = GRAPH_LIGHT;
		else
			return 400;
		return 0;
	case ARG_FMT:
		if (v && strcmp(v, "svg") == 0)
			r->format = GRAPH_SVG;
		else if (v && strcmp(v, "png") == 0)
			r->format = GRAPH_PNG;
		else
			return 400;
		return 0;
	case ARG_LANG:
		if (v && strcmp(v, "en") == 0)
			r->lang = 0;
		else if (v && strcmp(v, "id") == 0)
			r->lang = 1;
		else
			return 400;
		return 0;
	default:
		return 400;
	}
}

/* The graph's cross-field rules: object given, kind fits it, span sane. */
static int http_route_graph_check(struct http_route *r, long long start, long long end,
				  int have_period)
{
	if (r->device[0] == '\0' || graph_kind_is_if(r->graph) != (r->ifname[0] != '\0'))
		return 400;
	if (start || end) {
		if (have_period || !start || !end || end - start < GRAPH_SPAN_MIN ||
		    end - start > GRAPH_SPAN_MAX)
			return 400;
		r->period = GRAPH_CUSTOM;
		r->start = (time_t)start;
		r->end = (time_t)end;
	}
	return 0;
}

int http_route_parse(const char *path, const struct http_arg *args, size_t n,
		     const char *const *asset_names, struct http_route *r)
{
	long long start = 0, end = 0;
	int have_period = 0, found = 0, rc;
	unsigned seen = 0;

	memset(r, 0, sizeof(*r));
	r->lang = -1;
	r->graph = GRAPH_IF_TRAFFIC;
	r->period = GRAPH_DAY;
	if (path == NULL || strlen(path) > HTTP_URL_MAX)
		return 414;
	if (n > HTTP_ARGS_MAX)
		return 400;
	if (strncmp(path, "/static/", 8) == 0) {
		for (int i = 0; asset_names[i]; i++)
			if (strcmp(path + 8, asset_names[i]) == 0) {
				r->kind = HR_ASSET;
				r->asset = i;
				found = 1;
			}
	} else if (strncmp(path, "/reports/", 9) == 0) {
		if (http_route_report_name(path + 9, r->report) < 0)
			return 404;
		r->kind = HR_REPORT;
		found = 1;
	} else {
		for (size_t i = 0; i < sizeof(http_paths) / sizeof(http_paths[0]); i++)
			if (strcmp(path, http_paths[i].path) == 0) {
				r->kind = http_paths[i].kind;
				found = 1;
				break;
			}
	}
	if (!found)
		return 404;
	unsigned allowed = http_route_allowed(r->kind);
	for (size_t i = 0; i < n; i++) {
		int a;
		for (a = 0; a < ARG_COUNT; a++)
			if (args[i].key && strcmp(args[i].key, http_arg_names[a]) == 0)
				break;
		/* Unknown, repeated, or not this route's: a 400 says so. */
		if (a == ARG_COUNT || (seen & (1u << a)) || !(http_arg_class(a) & allowed))
			return 400;
		seen |= 1u << a;
		rc = http_route_arg(r, (enum http_arg_id)a, args[i].value, &start, &end, &have_period);
		if (rc)
			return rc;
	}
	switch (r->kind) {
	case HR_SITE:
		return r->site[0] ? 0 : 400;
	case HR_DEVICE:
		return r->device[0] ? 0 : 400;
	case HR_IF:
		return r->device[0] && r->ifname[0] ? 0 : 400;
	case HR_API_INTERFACES:
		return r->device[0] ? 0 : 400;
	case HR_GRAPH:
		return http_route_graph_check(r, start, end, have_period);
	default:
		return 0;
	}
}
