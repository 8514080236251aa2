/*
 * http_graph.c — graph renders for the dashboard (worker thread + cache)
 * and the 24 h / 30 d availability figures (worker thread, periodic).
 *
 * Cache: a list of entries keyed by every field that changes the image;
 * an entry belongs to one poll interval (floor(now / interval)) and is
 * stale after it (intervals under 10 s count as 10 s), since the next poll
 * changed the picture.  While an
 * entry renders, further requests for it wait on it (suspended), so ten
 * wall screens asking at once cost one render.  Bounded to
 * HTTP_CACHE_MAX entries and HTTP_CACHE_BYTES; stale entries go first,
 * then the oldest.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <rrd.h>

#include "collector/http_int.h"
#include "common/log.h"
#include "graphs/graph_path.h"

#define HTTP_CACHE_MAX 1024
#define HTTP_CACHE_BYTES (64u << 20)
#define HTTP_AVAIL_PERIOD_S 300

struct http_graph_job {
	struct http_server *h;
	struct http_cache_entry *e;
	struct graph_request req;
	char path[4096], title[600], daemon[512];
	unsigned char *img;
	size_t len;
	int rc;
	char err[512];
};

static int64_t http_epoch(const struct http_server *h)
{
	/* At least 10 s: with a 1 s test interval a cache that lived one
	 * interval would hardly be one. */
	double iv = h->conf->interval_ms / 1000.0;
	return (int64_t)floor((double)time(NULL) / (iv > 10 ? iv : 10));
}

static void http_entry_free(struct http_cache_entry *e)
{
	if (e->resp)
		MHD_destroy_response(e->resp);
	free(e->waiters);
	free(e->key);
	free(e);
}

/* Drop stale entries, then the oldest until under the bounds.  Entries
 * being rendered (resp NULL) always stay. */
static void http_cache_trim(struct http_server *h, int64_t epoch, int all)
{
	struct http_cache_entry **pp = &h->cache, *e;
	while ((e = *pp)) {
		if (e->resp && (all || e->epoch != epoch)) {
			*pp = e->next;
			h->cache_n--;
			h->cache_bytes -= e->bytes;
			http_entry_free(e);
		} else {
			pp = &e->next;
		}
	}
	while (h->cache_n >= HTTP_CACHE_MAX || h->cache_bytes > HTTP_CACHE_BYTES) {
		struct http_cache_entry **last = NULL;
		for (pp = &h->cache; *pp; pp = &(*pp)->next)
			if ((*pp)->resp)
				last = pp;
		if (last == NULL)
			break;
		e = *last;
		*last = e->next;
		h->cache_n--;
		h->cache_bytes -= e->bytes;
		http_entry_free(e);
	}
}

void http_graph_cache_clear(struct http_server *h)
{
	http_cache_trim(h, 0, 1);
	/* Left: entries still rendering; they end up stale. */
	for (struct http_cache_entry *e = h->cache; e; e = e->next)
		e->epoch = -1;
}

static void http_graph_work(void *arg)
{
	struct http_graph_job *j = arg;
	j->rc = graph_render(&j->req, time(NULL), &j->img, &j->len, j->err, sizeof(j->err));
}

static const char *http_graph_ctype(enum graph_format f)
{
	return f == GRAPH_SVG ? "image/svg+xml" : "image/png";
}

static struct MHD_Response *http_graph_response(const void *img, size_t len, enum graph_format f,
						enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)img, mode);
	if (r == NULL)
		return NULL;
	MHD_add_response_header(r, "Content-Type", http_graph_ctype(f));
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Cache-Control", "max-age=30");
	return r;
}

static void http_graph_done(void *arg, int cancelled)
{
	struct http_graph_job *j = arg;
	struct http_server *h = j->h;
	struct http_cache_entry *e = j->e, **pp;
	int ok = !cancelled && j->rc == 0;

	h->renders++;
	if (!ok && !cancelled) {
		h->render_errors++;
		log_debug("http: graph %s: %s", e->key, j->err);
	}
	for (size_t i = 0; i < e->n_waiters; i++) {
		struct http_conn *hc = e->waiters[i];
		if (ok) {
			hc->ready = http_graph_response(j->img, j->len, j->req.format,
							MHD_RESPMEM_MUST_COPY);
			hc->ready_status = 200;
		} else {
			static const char msg[] = "cannot draw the graph\n";
			hc->ready = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg,
								    MHD_RESPMEM_PERSISTENT);
			hc->ready_status = cancelled ? 503 : 500;
		}
		hc->suspended = 0;
		MHD_resume_connection(hc->c);
	}
	free(e->waiters);
	e->waiters = NULL;
	e->n_waiters = 0;
	/* Unlink, then keep it only if it rendered. */
	for (pp = &h->cache; *pp && *pp != e; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = e->next;
	h->cache_n--;
	if (ok && e->epoch >= 0 &&
	    (e->resp = http_graph_response(j->img, j->len, j->req.format,
					   MHD_RESPMEM_MUST_FREE)) != NULL) {
		j->img = NULL;
		e->bytes = j->len;
		http_cache_trim(h, http_epoch(h), 0);
		e->next = h->cache;
		h->cache = e;
		h->cache_n++;
		h->cache_bytes += e->bytes;
	} else {
		http_entry_free(e);
	}
	free(j->img);
	free(j);
	http_server_kick(h);
}

/* Build the job's request from the route; 404 when the object has no data. */
static int http_graph_job_init(struct http_server *h, const struct http_route *r,
			       struct http_graph_job *j)
{
	const struct serat_config *conf = h->conf;
	char local[4096];
	struct stat st;
	const char *ifn = r->ifname[0] ? r->ifname : NULL;

	if (graph_rrd_path(conf->data_dir, conf->rrdcached, r->device, ifn, j->path,
			   sizeof(j->path)) < 0 ||
	    graph_rrd_local_path(conf->data_dir, r->device, ifn, local, sizeof(local)) < 0)
		return 404;
	/* Directly written files must exist (no rrd_graph error per hit);
	 * through rrdcached the daemon may not have created them locally. */
	if (!conf->rrdcached && stat(local, &st) != 0)
		return 404;
	snprintf(j->title, sizeof(j->title), "%s%s%s", r->device, ifn ? " " : "", ifn ? ifn : "");
	snprintf(j->daemon, sizeof(j->daemon), "%s", conf->rrdcached ? conf->rrdcached : "");
	j->req = (struct graph_request){
		.kind = r->graph, .rrd_path = j->path, .title = j->title, .period = r->period,
		.start = r->start, .end = r->end, .width = r->width, .height = r->height,
		.format = r->format, .theme = r->theme, .daemon = j->daemon[0] ? j->daemon : NULL,
		.lang_id = http_lang(h, r),
	};
	return 0;
}

int http_graph_request(struct http_server *h, struct http_conn *hc, const struct http_route *r)
{
	const struct model_device *d = model_find_device(h->model, r->device);
	char key[1200];
	int64_t epoch = http_epoch(h);
	struct http_cache_entry *e;

	if (d == NULL || (r->ifname[0] && model_device_find_if(d, r->ifname) == NULL))
		return 404;
	snprintf(key, sizeof(key), "%s\x1f%s\x1f%d\x1f%d\x1f%lld\x1f%lld\x1f%u\x1f%u\x1f%d\x1f%d\x1f%d",
		 r->device, r->ifname, r->graph, r->period, (long long)r->start, (long long)r->end,
		 r->width, r->height, r->theme, r->format, http_lang(h, r));
	for (e = h->cache; e; e = e->next)
		if (strcmp(e->key, key) == 0 && (e->epoch == epoch || e->resp == NULL))
			break;
	if (e && e->resp) {
		h->cache_hits++;
		return MHD_queue_response(hc->c, 200, e->resp) == MHD_YES ? 0 : 500;
	}
	if (e == NULL) {
		struct http_graph_job *j = calloc(1, sizeof(*j));
		if (j == NULL)
			return 500;
		int rc = http_graph_job_init(h, r, j);
		if (rc) {
			free(j);
			return rc;
		}
		e = calloc(1, sizeof(*e));
		if (e == NULL || (e->key = strdup(key)) == NULL) {
			free(e);
			free(j);
			return 500;
		}
		e->epoch = epoch;
		j->h = h;
		j->e = e;
		if (graph_worker_submit(h->worker, http_graph_work, http_graph_done, j) < 0) {
			h->busy++;
			http_entry_free(e);
			free(j);
			return 503;
		}
		e->next = h->cache;
		h->cache = e;
		h->cache_n++;
		h->cache_misses++;
	}
	struct http_conn **w = realloc(e->waiters, (e->n_waiters + 1) * sizeof(*w));
	if (w == NULL)
		return 500;
	e->waiters = w;
	e->waiters[e->n_waiters++] = hc;
	hc->suspended = 1;
	MHD_suspend_connection(hc->c);
	return 0;
}

/* ---- availability -------------------------------------------------- */

struct http_avail_job {
	struct http_server *h;
	struct http_avail *rows;
	char **paths;
	size_t n;
};

/* Mean of the known values of DS 0 over [now - span, now]; NAN if none. */
static double http_avail_fetch(const char *path, long span, unsigned long step)
{
	time_t end = time(NULL), start = end - span;
	unsigned long ds_cnt = 0;
	char **names = NULL;
	rrd_value_t *data = NULL;
	double sum = 0;
	size_t known = 0;

	rrd_clear_error();
	if (rrd_fetch_r(path, "AVERAGE", &start, &end, &step, &ds_cnt, &names, &data) != 0) {
		rrd_clear_error();
		return NAN;
	}
	size_t rows = step ? (size_t)((end - start) / (time_t)step) : 0;
	for (size_t i = 0; i < rows && ds_cnt; i++) {
		double v = data[i * ds_cnt];
		if (!isnan(v)) {
			sum += v;
			known++;
		}
	}
	for (unsigned long i = 0; i < ds_cnt; i++)
		rrd_freemem(names[i]);
	rrd_freemem(names);
	rrd_freemem(data);
	return known ? sum / (double)known * 100 : NAN;
}

static void http_avail_work(void *arg)
{
	struct http_avail_job *j = arg;
	for (size_t i = 0; i < j->n; i++) {
		j->rows[i].a24 = http_avail_fetch(j->paths[i], 86400, 300);
		j->rows[i].a30 = http_avail_fetch(j->paths[i], 30 * 86400L, 1800);
	}
}

static int http_avail_cmp(const void *a, const void *b)
{
	return strcmp(((const struct http_avail *)a)->device, ((const struct http_avail *)b)->device);
}

static void http_avail_rows_free(struct http_avail *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(rows[i].device);
	free(rows);
}

static void http_avail_done(void *arg, int cancelled)
{
	struct http_avail_job *j = arg;
	struct http_server *h = j->h;
	h->avail_running = 0;
	for (size_t i = 0; i < j->n; i++)
		free(j->paths[i]);
	free(j->paths);
	if (cancelled) {
		http_avail_rows_free(j->rows, j->n);
	} else {
		qsort(j->rows, j->n, sizeof(*j->rows), http_avail_cmp);
		http_avail_rows_free(h->avail, h->n_avail);
		h->avail = j->rows;
		h->n_avail = j->n;
	}
	free(j);
}

static void http_avail_tick(evutil_socket_t fd, short what, void *arg)
{
	struct http_server *h = arg;
	const struct model *m = h->model;
	struct http_avail_job *j;
	char path[4096];

	if (h->avail_running || (j = calloc(1, sizeof(*j))) == NULL)
		return;
	j->h = h;
	j->rows = calloc(m->n_devices + 1, sizeof(*j->rows));
	j->paths = calloc(m->n_devices + 1, sizeof(*j->paths));
	for (size_t i = 0; j->rows && j->paths && i < m->n_devices; i++) {
		const char *name = m->devices[i]->name;
		if (graph_rrd_local_path(h->conf->data_dir, name, NULL, path, sizeof(path)) < 0)
			continue;
		j->rows[j->n].device = strdup(name);
		j->paths[j->n] = strdup(path);
		if (j->rows[j->n].device == NULL || j->paths[j->n] == NULL) {
			free(j->rows[j->n].device);
			free(j->paths[j->n]);
			break;
		}
		j->n++;
	}
	if (j->rows == NULL || j->paths == NULL ||
	    graph_worker_submit(h->worker, http_avail_work, http_avail_done, j) < 0) {
		j->h = h;
		http_avail_done(j, 1);
		return;
	}
	h->avail_running = 1;
}

int http_avail_start(struct http_server *h)
{
	struct timeval tv = { HTTP_AVAIL_PERIOD_S, 0 };
	h->ev_avail = event_new(h->base, -1, EV_PERSIST, http_avail_tick, h);
	if (h->ev_avail == NULL || event_add(h->ev_avail, &tv) != 0)
		return -ENOMEM;
	http_avail_tick(-1, 0, h);
	return 0;
}

const struct http_avail *http_avail_find(const struct http_server *h, const char *device)
{
	struct http_avail key = { .device = (char *)device };
	if (h->n_avail == 0)
		return NULL;
	return bsearch(&key, h->avail, h->n_avail, sizeof(key), http_avail_cmp);
}

void http_avail_free(struct http_server *h)
{
	http_avail_rows_free(h->avail, h->n_avail);
	h->avail = NULL;
	h->n_avail = 0;
}
