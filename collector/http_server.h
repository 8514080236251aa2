/*
 * http_server.h — seratd's dashboard, JSON API and Prometheus endpoints.
 *
 * libmicrohttpd runs without a thread of its own: its epoll descriptor and
 * its timeout are turned into libevent events on seratd's loop, so every
 * request reads the live model on the loop thread with no locking.  Pages,
 * API answers and metrics are built in memory from the model (bounded:
 * tens of microseconds per device); graph renders go to one worker thread
 * (graphs/graph_worker.h) while the connection is suspended, behind a
 * cache keyed by object, graph, period, size, theme and format that is
 * emptied at each poll interval, so a wall display refreshing every minute
 * costs one render per graph per interval however many screens show it.
 *
 * Read-only: GET and HEAD only.  Optional basic auth (crypt(3) hashes in
 * http.auth_file), optional kiosk tokens for /wall, optional TLS.  See
 * docs/dashboard.md and docs/api.md.
 */
#ifndef SERAT_HTTP_SERVER_H
#define SERAT_HTTP_SERVER_H

#include <event2/event.h>

#include "collector/model.h"
#include "common/config.h"

struct http_server;

/* seratd's own health for /metrics, asked for at each scrape. */
struct http_health {
	unsigned long long polls, failures, overruns;
	double last_cycle_s;
	/* < 0 when unknown */
	long long rrd_errors, rrd_queue, rrd_dropped;
};

/*
 * Listen on CONF->http_listen.  MODEL and CONF are borrowed (CONF until the
 * next http_server_reload).  HEALTH, when not NULL, fills seratd's counters
 * for /metrics.  NULL on failure (logged: address in use, bad TLS files).
 */
struct http_server *http_server_new(struct event_base *base, const struct serat_config *conf,
				    const struct model *model,
				    void (*health)(void *arg, struct http_health *out),
				    void *health_arg);

/*
 * A new config: auth users and kiosk tokens are re-read (a removed token
 * stops working now), the graph cache is emptied.  A changed http_listen
 * or TLS setting takes effect at restart (logged).  Returns 0 or -errno;
 * on failure (a bad auth_file) the previous users stay.
 */
int http_server_reload(struct http_server *h, const struct serat_config *conf);

/* The alert engine whose state the alerts and maintenance pages, their
 * API and /metrics show (borrowed; NULL: none).  Set after new. */
struct alert_engine;
void http_server_set_alerts(struct http_server *h, const struct alert_engine *e);

/* Answer the suspended connections, stop listening, free.  NULL-safe. */
void http_server_free(struct http_server *h);

#endif
