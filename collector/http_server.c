/*
 * http_server.c — libmicrohttpd on seratd's libevent loop; dispatch, auth,
 * limits.  See http_server.h.
 *
 * Loop glue: MHD runs with MHD_USE_EPOLL and no thread.  Its epoll
 * descriptor is one persistent libevent read event, and MHD_get_timeout()
 * becomes one timer; each wake-up calls MHD_run() (which never blocks)
 * and re-arms the timer.  A suspended connection is resumed from the
 * loop thread; MHD's inter-thread pipe is in its epoll set, so the resume
 * wakes the same event.
 *
 * Limits: connections (http.max_connections), 30 s idle timeout, 32 KiB
 * of memory per connection (a request head larger than that is refused by
 * MHD with 431), URLs of at most 1 KiB (414), 16 query arguments (400), no
 * request bodies (413), GET and HEAD only (405).
 *
 * Basic auth: each crypt(3) check of a SHA-512 hash costs milliseconds of
 * loop time, so an Authorization value that verified once is remembered
 * (until a reload), and failed checks are limited to 20 a second; past
 * that a request is refused (429) without hashing.
 */
#include "config.h"

#include <crypt.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "collector/http_int.h"
#include "common/html_out.h"
#include "common/log.h"

#define HTTP_CONN_MEMORY (32 * 1024)
#define HTTP_CONN_TIMEOUT_S 30
#define HTTP_AUTH_FAIL_PER_S 20
#define HTTP_AUTH_FILE_MAX (256 * 1024)

int http_lang(const struct http_server *h, const struct http_route *r)
{
	if (r && r->lang >= 0)
		return r->lang;
	return h->conf->language && strcmp(h->conf->language, "en") == 0 ? 0 : 1;
}

static double http_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- replies ------------------------------------------------------- */

FILE *http_reply_open(struct http_reply *out, char **buf, size_t *len)
{
	memset(out, 0, sizeof(*out));
	*buf = NULL;
	*len = 0;
	return open_memstream(buf, len);
}

int http_reply_finish(FILE *f, struct http_reply *out, char **buf, size_t *len, int status,
		      const char *ctype)
{
	int bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		free(*buf);
		return -ENOMEM;
	}
	out->status = status;
	out->body = *buf;
	out->len = *len;
	out->ctype = ctype;
	return 0;
}

void http_html(FILE *f, const char *s)
{
	html_out_str(f, s);
}

void http_urlenc(FILE *f, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~')
			fputc(c, f);
		else
			fprintf(f, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
}

int http_reply_error(struct http_reply *out, int status, int json, const char *msg)
{
	char *buf;
	size_t len;
	FILE *f = http_reply_open(out, &buf, &len);
	if (f == NULL)
		return -ENOMEM;
	if (json) {
		fprintf(f, "{\"error\":{\"status\":%d,\"message\":\"", status);
		for (const char *p = msg; *p; p++)
			if (*p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
				fputc(*p, f);
		fputs("\"}}\n", f);
	} else {
		fprintf(f, "<!doctype html><html><head><meta charset=\"utf-8\"><title>%d</title>"
			   "</head><body><h1>%d</h1><p>", status, status);
		http_html(f, msg);
		fputs("</p><p><a href=\"/\">serat</a></p></body></html>\n", f);
	}
	out->no_store = 1;
	return http_reply_finish(f, out, &buf, &len, status,
				 json ? "application/json" : "text/html; charset=utf-8");
}

static void http_headers(struct MHD_Response *resp, const char *ctype, int no_store)
{
	MHD_add_response_header(resp, "Content-Type", ctype);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; img-src 'self'; frame-ancestors 'self'");
	MHD_add_response_header(resp, "Cache-Control", no_store ? "no-store" : "max-age=30");
}

static void http_count(struct http_server *h, int status)
{
	int cls = status / 100;
	if (cls >= 1 && cls <= 5)
		h->requests[cls]++;
}

static enum MHD_Result http_send(struct http_server *h, struct MHD_Connection *c,
				 struct http_reply *rep)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(rep->len, rep->body,
								    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(rep->body);
		return MHD_NO;
	}
	http_headers(resp, rep->ctype, rep->no_store);
	if (rep->status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate", "Basic realm=\"serat\"");
	http_count(h, rep->status);
	enum MHD_Result r = MHD_queue_response(c, (unsigned)rep->status, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result http_send_error(struct http_server *h, struct MHD_Connection *c,
				       int status, int json, const char *msg)
{
	struct http_reply rep;
	if (http_reply_error(&rep, status, json, msg) < 0)
		return MHD_NO;
	return http_send(h, c, &rep);
}

/* ---- auth ---------------------------------------------------------- */

static void http_auth_clear(struct http_server *h)
{
	for (size_t i = 0; i < h->n_users; i++) {
		free(h->users[i]);
		free(h->hashes[i]);
	}
	free(h->users);
	free(h->hashes);
	h->users = h->hashes = NULL;
	h->n_users = 0;
	for (size_t i = 0; i < sizeof(h->ok_auth) / sizeof(h->ok_auth[0]); i++) {
		free(h->ok_auth[i]);
		h->ok_auth[i] = NULL;
	}
}

/* Read "user:hash" lines (# comments, blank lines).  0 or -errno. */
static int http_auth_load(struct http_server *h, const char *path)
{
	char line[1024];
	FILE *f = fopen(path, "r");
	unsigned ln = 0;
	int rc = 0;

	if (f == NULL) {
		log_err("http: cannot read auth_file %s: %s", path, strerror(errno));
		return -errno;
	}
	char **users = NULL, **hashes = NULL;
	size_t n = 0;
	while (fgets(line, sizeof(line), f)) {
		ln++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		char *colon = strchr(line, ':');
		if (colon == NULL || colon == line || colon[1] != '$' || n >= 1000) {
			log_err("%s:%u: want USER:CRYPT-HASH (e.g. from mkpasswd -m sha-512)", path, ln);
			rc = -EINVAL;
			break;
		}
		*colon = '\0';
		char **u2 = realloc(users, (n + 1) * sizeof(*u2));
		if (u2)
			users = u2;
		char **h2 = realloc(hashes, (n + 1) * sizeof(*h2));
		if (h2)
			hashes = h2;
		if (!u2 || !h2 || !(users[n] = strdup(line)) || !(hashes[n] = strdup(colon + 1))) {
			if (u2 && h2 && users[n])
				free(users[n]);
			rc = -ENOMEM;
			break;
		}
		n++;
	}
	fclose(f);
	if (rc == 0 && n == 0) {
		log_err("http: auth_file %s has no users", path);
		rc = -EINVAL;
	}
	if (rc < 0) {
		for (size_t i = 0; i < n; i++) {
			free(users[i]);
			free(hashes[i]);
		}
		free(users);
		free(hashes);
		return rc;
	}
	http_auth_clear(h);
	h->users = users;
	h->hashes = hashes;
	h->n_users = n;
	return 0;
}

static int http_const_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;
	for (size_t i = 0; i < la && i < lb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}


/* 0 allowed, 401 or 429. */
static int http_auth_check(struct http_server *h, struct MHD_Connection *c)
{
	const char *hdr = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	size_t slots = sizeof(h->ok_auth) / sizeof(h->ok_auth[0]);
	char *pass = NULL, *user;
	int ok = 0;

	if (hdr == NULL)
		return 401;
	for (size_t i = 0; i < slots; i++)
		if (h->ok_auth[i] && http_const_eq(h->ok_auth[i], hdr))
			return 0;
	double now = http_now();
	if (now - h->fail_window_start >= 1) {
		h->fail_window_start = now;
		h->fail_count = 0;
	}
	if (h->fail_count >= HTTP_AUTH_FAIL_PER_S)
		return 429;
	user = MHD_basic_auth_get_username_password(c, &pass);
	for (size_t i = 0; user && pass && i < h->n_users; i++) {
		if (strcmp(user, h->users[i]) != 0)
			continue;
		struct crypt_data *cd = calloc(1, sizeof(*cd));
		const char *out = cd ? crypt_r(pass, h->hashes[i], cd) : NULL;
		ok = out && out[0] != '*' && http_const_eq(out, h->hashes[i]);
		free(cd);
	}
	MHD_free(user);
	MHD_free(pass);
	if (!ok) {
		h->fail_count++;
		return 401;
	}
	/* Remember it: the next request of this browser costs no hash. */
	size_t slot = 0;
	while (slot < slots && h->ok_auth[slot])
		slot++;
	if (slot == slots) {
		free(h->ok_auth[slots - 1]);
		memmove(h->ok_auth + 1, h->ok_auth, (slots - 1) * sizeof(h->ok_auth[0]));
		slot = 0;
	}
	h->ok_auth[slot] = strdup(hdr);
	return 0;
}

static int http_kiosk_ok(const struct http_server *h, const char *token)
{
	int ok = 0;
	for (size_t i = 0; token[0] && i < h->conf->http.n_kiosk_tokens; i++)
		ok |= http_const_eq(token, h->conf->http.kiosk_tokens[i]);
	return ok;
}

/* 0 allowed, else the status.  Without auth_file everything is open; a
 * valid kiosk token opens the wall and graphs; static files are open. */
static int http_access(struct http_server *h, struct MHD_Connection *c, const struct http_route *r)
{
	/* The stylesheet and script hold no data: public, so a kiosk's wall
	 * (whose token is only in its own URL) gets them. */
	if (r->kind == HR_ASSET)
		return 0;
	if (r->kind == HR_WALL || r->kind == HR_GRAPH) {
		if (http_kiosk_ok(h, r->kiosk))
			return 0;
		if (r->kiosk[0])
			return 403;   /* a revoked or wrong token says so */
	}
	if (h->n_users == 0)
		return 0;
	return http_auth_check(h, c);
}

/* ---- dispatch ------------------------------------------------------ */

struct http_argv {
	struct http_arg a[HTTP_ARGS_MAX];
	size_t n, bytes;             /* bytes: the decoded query's length */
	int overflow;
};

static enum MHD_Result http_collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
					const char *value)
{
	struct http_argv *v = cls;
	v->bytes += strlen(key) + (value ? strlen(value) : 0) + 2;
	if (v->n >= HTTP_ARGS_MAX) {
		v->overflow = 1;
		return MHD_NO;
	}
	v->a[v->n].key = key;
	v->a[v->n].value = value;
	v->n++;
	return MHD_YES;
}

static void http_page_cache_clear(struct http_server *h)
{
	for (size_t i = 0; i < sizeof(h->page_cache) / sizeof(h->page_cache[0]); i++) {
		if (h->page_cache[i].resp)
			MHD_destroy_response(h->page_cache[i].resp);
		h->page_cache[i].resp = NULL;
	}
}

/* The overview or the wall from a one-second cache (the model changes
 * once per poll interval; a second of staleness is invisible). */
static enum MHD_Result http_page_cached(struct http_server *h, struct MHD_Connection *c,
					const struct http_route *r)
{
	size_t n = sizeof(h->page_cache) / sizeof(h->page_cache[0]), slot = 0;
	int lang = http_lang(h, r);
	double now = http_now();
	struct http_reply rep;

	for (size_t i = 0; i < n; i++) {
		struct http_page_cache *pc = &h->page_cache[i];
		if (pc->resp && pc->kind == r->kind && pc->lang == lang &&
		    strcmp(pc->kiosk, r->kiosk) == 0 && now - pc->at < 1) {
			h->page_cache_hits++;
			http_count(h, 200);
			return MHD_queue_response(c, 200, pc->resp);
		}
		if (h->page_cache[i].at < h->page_cache[slot].at)
			slot = i;
	}
	if (http_pages(h, r, &rep) < 0)
		return http_send_error(h, c, 500, 0, "internal error");
	struct MHD_Response *resp = MHD_create_response_from_buffer(rep.len, rep.body,
								    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(rep.body);
		return MHD_NO;
	}
	http_headers(resp, rep.ctype, 1);
	struct http_page_cache *pc = &h->page_cache[slot];
	if (pc->resp)
		MHD_destroy_response(pc->resp);
	pc->resp = resp;
	pc->kind = r->kind;
	pc->lang = lang;
	pc->at = now;
	snprintf(pc->kiosk, sizeof(pc->kiosk), "%s", r->kiosk);
	http_count(h, 200);
	return MHD_queue_response(c, 200, resp);
}

static int http_is_api(const char *url)
{
	return strncmp(url, "/api/", 5) == 0;
}

static enum MHD_Result http_dispatch(struct http_server *h, struct http_conn *hc,
				     const char *url)
{
	struct MHD_Connection *c = hc->c;
	struct http_argv args = { .n = 0 };
	struct http_route r;
	struct http_reply rep;
	int json = http_is_api(url), rc;

	if (strlen(url) > HTTP_URL_MAX)
		return http_send_error(h, c, 414, json, "URL too long");
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, http_collect_arg, &args);
	if (strlen(url) + args.bytes > HTTP_URL_MAX)
		return http_send_error(h, c, 414, json, "URL too long");
	if (args.overflow)
		return http_send_error(h, c, 400, json, "too many query arguments");
	rc = http_route_parse(url, args.a, args.n, http_asset_names, &r);
	if (rc == 404)
		return http_send_error(h, c, 404, json, "no such page");
	if (rc)
		return http_send_error(h, c, rc, json, "bad request: unknown or invalid argument");
	h->by_route[r.kind]++;
	if ((rc = http_access(h, c, &r)) != 0)
		return http_send_error(h, c, rc, json, rc == 429 ? "too many failed logins" :
				       rc == 403 ? "kiosk token not valid" : "login required");
	switch (r.kind) {
	case HR_GRAPH:
		rc = http_graph_request(h, hc, &r);
		if (rc == 0)
			return MHD_YES;
		return http_send_error(h, c, rc, 0, rc == 404 ? "no such object or no data yet" :
				       rc == 503 ? "busy, try again" : "cannot draw the graph");
	case HR_ASSET: {
		const struct http_asset *a = &http_assets[r.asset];
		struct MHD_Response *resp = MHD_create_response_from_buffer(
			strlen(a->body), (void *)a->body, MHD_RESPMEM_PERSISTENT);
		if (resp == NULL)
			return MHD_NO;
		http_headers(resp, a->ctype, 0);
		http_count(h, 200);
		enum MHD_Result res = MHD_queue_response(c, 200, resp);
		MHD_destroy_response(resp);
		return res;
	}
	case HR_API_INDEX: case HR_API_SITES: case HR_API_DEVICES: case HR_API_INTERFACES:
	case HR_API_ALERTS: case HR_API_MAINT:
		rc = http_api(h, &r, &rep);
		break;
	case HR_METRICS: case HR_METRICS_IF:
		rc = http_metrics(h, &r, &rep);
		break;
	default:
		if (r.kind == HR_OVERVIEW || r.kind == HR_WALL)
			return http_page_cached(h, c, &r);
		rc = http_pages(h, &r, &rep);
	}
	if (rc < 0)
		return http_send_error(h, c, 500, json, "internal error");
	if (rep.status >= 400) {
		/* A builder's 404 for an object not in the model. */
		free(rep.body);
		return http_send_error(h, c, rep.status, json, "no such object");
	}
	return http_send(h, c, &rep);
}

static enum MHD_Result http_on_request(void *cls, struct MHD_Connection *c, const char *url,
				       const char *method, const char *version,
				       const char *upload_data, size_t *upload_data_size,
				       void **con_cls)
{
	struct http_server *h = cls;
	struct http_conn *hc = *con_cls;

	if (hc == NULL) {
		hc = calloc(1, sizeof(*hc));
		if (hc == NULL)
			return MHD_NO;
		hc->h = h;
		hc->c = c;
		*con_cls = hc;
		return MHD_YES;
	}
	if (*upload_data_size) {
		hc->discard_body = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (hc->ready) {
		/* A render finished while the connection was suspended. */
		struct MHD_Response *resp = hc->ready;
		hc->ready = NULL;
		http_count(h, hc->ready_status);
		enum MHD_Result r = MHD_queue_response(c, (unsigned)hc->ready_status, resp);
		MHD_destroy_response(resp);
		return r;
	}
	if (hc->suspended)
		return MHD_YES;
	int json = http_is_api(url);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return http_send_error(h, c, 405, json, "read-only: GET and HEAD only");
	if (hc->discard_body)
		return http_send_error(h, c, 413, json, "no request bodies");
	return http_dispatch(h, hc, url);
}

static void http_on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			      enum MHD_RequestTerminationCode toe)
{
	struct http_conn *hc = *con_cls;
	if (hc == NULL)
		return;
	if (hc->ready)
		MHD_destroy_response(hc->ready);
	free(hc);
	*con_cls = NULL;
}

/* ---- loop glue ----------------------------------------------------- */

static void http_schedule(struct http_server *h)
{
	MHD_UNSIGNED_LONG_LONG ms;
	if (MHD_get_timeout(h->mhd, &ms) == MHD_YES) {
		struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000 };
		evtimer_add(h->ev_timer, &tv);
	} else {
		evtimer_del(h->ev_timer);
	}
}

static void http_on_mhd(evutil_socket_t fd, short what, void *arg)
{
	struct http_server *h = arg;
	MHD_run(h->mhd);
	http_schedule(h);
}

void http_server_kick(struct http_server *h)
{
	event_active(h->ev_mhd, EV_READ, 0);
}

static void http_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	log_debug("http: %s", buf);
}

/* Read a whole small file (TLS PEM).  Caller frees; NULL on failure. */
static char *http_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	if (f == NULL)
		return NULL;
	buf = malloc(HTTP_AUTH_FILE_MAX + 1);
	if (buf)
		len = fread(buf, 1, HTTP_AUTH_FILE_MAX, f);
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* Resolve http_listen (at start-up only: never on the loop's hot path). */
static struct addrinfo *http_resolve(const char *listen)
{
	char host[256];
	const char *port;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
	struct addrinfo *ai = NULL;

	if (listen[0] == '[') {
		const char *e = strchr(listen, ']');
		if (e == NULL || e[1] != ':' || (size_t)(e - listen) >= sizeof(host))
			return NULL;
		memcpy(host, listen + 1, (size_t)(e - listen - 1));
		host[e - listen - 1] = '\0';
		port = e + 2;
	} else {
		const char *colon = strrchr(listen, ':');
		if (colon == NULL || (size_t)(colon - listen) >= sizeof(host))
			return NULL;
		memcpy(host, listen, (size_t)(colon - listen));
		host[colon - listen] = '\0';
		port = colon + 1;
	}
	if (getaddrinfo(host[0] ? host : NULL, port, &hints, &ai) != 0)
		return NULL;
	return ai;
}

static struct MHD_Daemon *http_start_mhd(struct http_server *h, const struct serat_config *conf)
{
	struct addrinfo *ai = http_resolve(conf->http_listen);
	unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	char *cert = NULL, *key = NULL;
	struct MHD_Daemon *d = NULL;

	if (ai == NULL) {
		log_err("http: cannot resolve http_listen %s", conf->http_listen);
		return NULL;
	}
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (conf->http.tls_cert) {
		cert = http_read_file(conf->http.tls_cert);
		key = http_read_file(conf->http.tls_key);
		if (cert == NULL || key == NULL || !MHD_is_feature_supported(MHD_FEATURE_TLS)) {
			log_err("http: TLS: cannot read %s / %s, or libmicrohttpd lacks TLS",
				conf->http.tls_cert, conf->http.tls_key);
			goto out;
		}
		flags |= MHD_USE_TLS;
	}
	uint16_t port = ntohs(((struct sockaddr_in *)ai->ai_addr)->sin_port);
	d = MHD_start_daemon(flags, port, NULL, NULL, http_on_request, h,
			     MHD_OPTION_SOCK_ADDR, ai->ai_addr,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)conf->http.max_connections,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_CONN_TIMEOUT_S,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
			     MHD_OPTION_NOTIFY_COMPLETED, http_on_completed, h,
			     MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, h,
			     cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
			     MHD_OPTION_HTTPS_MEM_KEY, key,
			     MHD_OPTION_END);
	if (d == NULL)
		log_err("http: cannot listen on %s (address in use?)", conf->http_listen);
out:
	free(cert);
	free(key);
	freeaddrinfo(ai);
	return d;
}

struct http_server *http_server_new(struct event_base *base, const struct serat_config *conf,
				    const struct model *model,
				    void (*health)(void *arg, struct http_health *out),
				    void *health_arg)
{
	struct http_server *h = calloc(1, sizeof(*h));
	if (h == NULL)
		return NULL;
	h->base = base;
	h->conf = conf;
	h->model = model;
	h->health = health;
	h->health_arg = health_arg;
	if (conf->http.auth_file && http_auth_load(h, conf->http.auth_file) < 0)
		goto fail;
	h->worker = graph_worker_new(base, 256);
	if (h->worker == NULL)
		goto fail;
	h->mhd = http_start_mhd(h, conf);
	if (h->mhd == NULL)
		goto fail;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (info == NULL)
		goto fail;
	h->ev_mhd = event_new(base, info->epoll_fd, EV_READ | EV_PERSIST, http_on_mhd, h);
	h->ev_timer = evtimer_new(base, http_on_mhd, h);
	if (h->ev_mhd == NULL || h->ev_timer == NULL || event_add(h->ev_mhd, NULL) != 0 ||
	    http_avail_start(h) < 0)
		goto fail;
	http_schedule(h);
	log_info("dashboard on http%s://%s/", conf->http.tls_cert ? "s" : "", conf->http_listen);
	return h;
fail:
	http_server_free(h);
	return NULL;
}

void http_server_set_alerts(struct http_server *h, const struct alert_engine *e)
{
	if (h)
		h->alerts = e;
}

int http_server_reload(struct http_server *h, const struct serat_config *conf)
{
	const struct serat_config *old = h->conf;
	if (strcmp(old->http_listen, conf->http_listen) != 0 ||
	    (old->http.tls_cert == NULL) != (conf->http.tls_cert == NULL))
		log_warn("http: a new listen address or TLS setting takes effect at restart");
	/* The old config is gone once this returns: switch first. */
	h->conf = conf;
	http_graph_cache_clear(h);
	http_page_cache_clear(h);
	if (conf->http.auth_file)
		return http_auth_load(h, conf->http.auth_file);
	http_auth_clear(h);
	return 0;
}

void http_server_free(struct http_server *h)
{
	if (h == NULL)
		return;
	/* The worker answers its waiting graphs (cancelled): every suspended
	 * connection is resumed before MHD stops, as MHD requires. */
	graph_worker_free(h->worker);
	if (h->mhd) {
		MHD_run(h->mhd);
		MHD_stop_daemon(h->mhd);
	}
	http_graph_cache_clear(h);
	http_page_cache_clear(h);
	http_avail_free(h);
	if (h->ev_mhd)
		event_free(h->ev_mhd);
	if (h->ev_timer)
		event_free(h->ev_timer);
	if (h->ev_avail)
		event_free(h->ev_avail);
	http_auth_clear(h);
	free(h);
}
