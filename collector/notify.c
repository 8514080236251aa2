/*
 * notify.c — libcurl multi on the libevent loop, with spool and retries.
 *
 * Shape (learned from curl's hiperfifo/ephiperfifo examples): libcurl tells
 * us which sockets to watch (nt_sock_cb) and when to wake it (nt_timer_cb);
 * libevent calls back into curl_multi_socket_action, after which finished
 * transfers are collected (nt_check_done).  Our own scheduling sits on top:
 * one "kick" timer wakes the dispatcher when a backoff or a rate limit ends.
 *
 * A notification (struct nt_item) lives in its channel's FIFO from the
 * moment its spool write is done until its fate is final.  The dispatcher
 * walks each FIFO in order and starts every item that is due while the
 * channel has a free slot and a rate token: order is kept when all is well,
 * and an item backing off does not hold back the ones after it.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "collector/alert_format.h"
#include "collector/notify.h"
#include "collector/spool.h"
#include "common/log.h"

#define NT_BACKOFF_BASE 1.0
#define NT_BACKOFF_CAP 300.0
#define NT_RESPONSE_MAX 4096

struct nt_channel;

struct nt_item {
	struct nt_item *next, *prev;
	struct nt_channel *ch;
	struct notify *n;
	struct spool_entry *e;
	unsigned attempts;
	double next_try;          /* monotonic; 0 = now */
	double last_fail;         /* monotonic time of its last failure */
	int in_flight;
	int plain_done;           /* Telegram: already resent as plain text */
	int written;              /* its spool write finished (or there is no spool) */
	CURL *easy;
	struct curl_slist *hdrs;
	char *resp;
	size_t resp_len;
	char errbuf[CURL_ERROR_SIZE];
};

struct nt_channel {
	struct nt_channel *next;
	char *name;
	const struct channel_conf *conf;   /* NULL: not in the running config */
	char *chat_override;               /* Telegram: migrated chat_id */
	struct nt_item *head, *tail;
	size_t n_items;
	unsigned in_flight;
	double tokens;                     /* rate limit bucket */
	double tokens_at;                  /* monotonic time of the last refill */
	double paused_until;               /* a 429's retry_after */
	double last_ok;                    /* monotonic time of its last 2xx */
	struct log_complain complain;      /* failures logged with back-off */
	int warned_missing;
};

struct notify {
	struct event_base *base;
	struct bg_worker *worker;
	char *spool_dir;
	CURLM *multi;
	struct event *ev_curl_timer;
	struct event *ev_kick;
	struct nt_channel *channels;
	const struct serat_config *conf;
	size_t pending;
	int one_shot;
	int in_dispatch;
	/* Spool group commit: items waiting for their write, keys waiting
	 * for their removal, and whether a batch of each is on the worker. */
	struct nt_item **wq;
	size_t wq_n, wq_cap;
	char **rq;
	size_t rq_n, rq_cap;
	int writing, removing;
	void (*result_cb)(void *arg, const struct notify_result *r);
	void *result_arg;
	unsigned rnd;
};

/* The libevent side of one socket libcurl asked us to watch. */
struct nt_sock {
	struct event *ev;
	curl_socket_t fd;
};

static void nt_dispatch(struct notify *n);
static int nt_telegram_rewrite(struct nt_item *it, int plain, const char *new_chat);

static double nt_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double nt_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* xorshift: jitter needs spread, not secrecy. */
static double nt_rand01(struct notify *n)
{
	n->rnd ^= n->rnd << 13;
	n->rnd ^= n->rnd >> 17;
	n->rnd ^= n->rnd << 5;
	return (n->rnd & 0xffffff) / (double)0x1000000;
}

char *notify_telegram_url(const char *api_url, const char *token)
{
	size_t l = strlen(api_url) + strlen(token) + 32;
	char *u = malloc(l);

	if (u == NULL)
		return NULL;
	snprintf(u, l, "%s%sbot%s/sendMessage", api_url,
		 api_url[0] && api_url[strlen(api_url) - 1] == '/' ? "" : "/", token);
	return u;
}

/* ---- channels and items ---------------------------------------------- */

static struct nt_channel *nt_channel_get(struct notify *n, const char *name, int create)
{
	struct nt_channel *c;

	for (c = n->channels; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	if (!create || (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->name = strdup(name)) == NULL) {
		free(c);
		return NULL;
	}
	c->tokens = 1;
	c->tokens_at = nt_mono();
	c->next = n->channels;
	n->channels = c;
	if (n->conf)
		for (size_t i = 0; i < n->conf->n_channels; i++)
			if (strcmp(n->conf->channels[i].name, name) == 0)
				c->conf = &n->conf->channels[i];
	return c;
}

static void nt_item_unlink(struct nt_item *it)
{
	struct nt_channel *c = it->ch;

	if (it->prev)
		it->prev->next = it->next;
	else
		c->head = it->next;
	if (it->next)
		it->next->prev = it->prev;
	else
		c->tail = it->prev;
	it->next = it->prev = NULL;
	c->n_items--;
}

static void nt_item_append(struct nt_channel *c, struct nt_item *it)
{
	it->ch = c;
	it->prev = c->tail;
	it->next = NULL;
	if (c->tail)
		c->tail->next = it;
	else
		c->head = it;
	c->tail = it;
	c->n_items++;
}

static void nt_item_free(struct nt_item *it)
{
	if (it == NULL)
		return;
	if (it->easy) {
		curl_multi_remove_handle(it->n->multi, it->easy);
		curl_easy_cleanup(it->easy);
	}
	curl_slist_free_all(it->hdrs);
	free(it->resp);
	spool_entry_free(it->e);
	free(it);
}

/* Append P to a growing pointer array; 0 or -ENOMEM. */
static int nt_push(void ***v, size_t *n, size_t *cap, void *p)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 64;
		void **nv = realloc(*v, nc * sizeof(*nv));
		if (nv == NULL)
			return -ENOMEM;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = p;
	return 0;
}

/* A batch of spool work on the worker: writes (ITEMS) or removals (KEYS). */
struct nt_batch {
	struct notify *n;
	struct nt_item **items;
	char **keys;
	size_t count;
	int *rc;
};

static int nt_remove_run(void *arg)
{
	struct nt_batch *b = arg;
	return spool_remove_batch(b->n->spool_dir, b->keys, b->count);
}

static void nt_remove_kick(struct notify *n);

static void nt_remove_done(void *arg, int rc)
{
	struct nt_batch *b = arg;

	for (size_t i = 0; i < b->count; i++)
		free(b->keys[i]);
	free(b->keys);
	b->n->removing = 0;
	nt_remove_kick(b->n);
	free(b);
}

/* Start a removal batch of every key waiting, unless one is running. */
static void nt_remove_kick(struct notify *n)
{
	struct nt_batch *b;

	if (n->removing || n->rq_n == 0)
		return;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return;             /* retried at the next removal */
	b->n = n;
	b->keys = n->rq;
	b->count = n->rq_n;
	n->rq = NULL;
	n->rq_n = n->rq_cap = 0;
	if (bg_worker_submit(n->worker, nt_remove_run, nt_remove_done, b) < 0) {
		/* Not removed: sent again after a restart, same key. */
		log_err("notify: cannot schedule the removal of %zu spool files", b->count);
		nt_remove_done(b, -ESHUTDOWN);
		return;
	}
	n->removing = 1;
}

/* The item's fate is final: report it, forget it on disk, free it. */
static void nt_finish(struct notify *n, struct nt_item *it, enum notify_outcome outcome,
		      long status, const char *error)
{
	struct notify_result r = {
		.channel = it->e->channel, .key = it->e->key, .outcome = outcome,
		.http_status = status, .attempts = it->attempts, .error = error,
		.created = it->e->created,
	};

	if (n->spool_dir && outcome != NOTIFY_FAILED_ONCE) {
		char *k = strdup(it->e->key);
		if (k == NULL || nt_push((void ***)&n->rq, &n->rq_n, &n->rq_cap, k) < 0) {
			/* Not removed: it will be sent again after a restart,
			 * with the same key, which the receiver can dedupe. */
			log_err("notify: cannot schedule removal of %s from the spool", it->e->key);
			free(k);
		}
		nt_remove_kick(n);
	}
	if (n->result_cb)
		n->result_cb(n->result_arg, &r);
	nt_item_unlink(it);
	n->pending--;
	nt_item_free(it);
}

/* ---- libcurl <-> libevent -------------------------------------------- */

static void nt_check_done(struct notify *n);

static void nt_on_socket(evutil_socket_t fd, short what, void *arg)
{
	struct notify *n = arg;
	int running, action = 0;

	if (what & EV_READ)
		action |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		action |= CURL_CSELECT_OUT;
	curl_multi_socket_action(n->multi, fd, action, &running);
	nt_check_done(n);
}

static void nt_on_curl_timer(evutil_socket_t fd, short what, void *arg)
{
	struct notify *n = arg;
	int running;

	curl_multi_socket_action(n->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	nt_check_done(n);
}

static int nt_sock_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct notify *n = userp;
	struct nt_sock *ns = socketp;
	short kind;

	if (what == CURL_POLL_REMOVE) {
		if (ns) {
			event_free(ns->ev);
			free(ns);
		}
		curl_multi_assign(n->multi, s, NULL);
		return 0;
	}
	kind = (short)(EV_PERSIST | ((what & CURL_POLL_IN) ? EV_READ : 0) |
		       ((what & CURL_POLL_OUT) ? EV_WRITE : 0));
	if (ns == NULL) {
		if ((ns = calloc(1, sizeof(*ns))) == NULL)
			return -1;
		ns->fd = s;
		curl_multi_assign(n->multi, s, ns);
	} else {
		event_free(ns->ev);
	}
	ns->ev = event_new(n->base, s, kind, nt_on_socket, n);
	if (ns->ev == NULL || event_add(ns->ev, NULL) < 0)
		return -1;
	return 0;
}

static int nt_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct notify *n = userp;

	if (timeout_ms < 0) {
		evtimer_del(n->ev_curl_timer);
	} else {
		struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
		evtimer_add(n->ev_curl_timer, &tv);
	}
	return 0;
}

static size_t nt_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct nt_item *it = userdata;
	size_t len = size * nmemb, room;

	if (it->resp == NULL && (it->resp = malloc(NT_RESPONSE_MAX + 1)) == NULL)
		return len;        /* keep the answer's status even without its body */
	room = NT_RESPONSE_MAX - it->resp_len;
	if (len < room)
		room = len;
	memcpy(it->resp + it->resp_len, ptr, room);
	it->resp_len += room;
	it->resp[it->resp_len] = '\0';
	return len;
}

/* ---- sending --------------------------------------------------------- */

/* The URL and (for Telegram) the body to send, which may differ from the
 * spooled body after a migration or the plain-text fallback. */
static char *nt_url(const struct nt_channel *c)
{
	const struct channel_conf *cc = c->conf;

	if (cc->type == CHANNEL_TELEGRAM)
		return notify_telegram_url(cc->api_url, cc->token ? cc->token : "");
	return strdup(cc->url);
}

static int nt_start(struct notify *n, struct nt_item *it)
{
	const struct channel_conf *cc = it->ch->conf;
	const struct alerts_conf *ac = &n->conf->alerts;
	char hdr[256], *url = nt_url(it->ch);
	CURL *e = curl_easy_init();

	if (cc->type == CHANNEL_TELEGRAM && it->ch->chat_override)
		nt_telegram_rewrite(it, 0, it->ch->chat_override);
	if (e == NULL || url == NULL) {
		free(url);
		if (e)
			curl_easy_cleanup(e);
		return -ENOMEM;
	}
	curl_slist_free_all(it->hdrs);
	it->hdrs = NULL;
	snprintf(hdr, sizeof(hdr), "Content-Type: %s", it->e->content_type);
	it->hdrs = curl_slist_append(it->hdrs, hdr);
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: %s", it->e->key);
	it->hdrs = curl_slist_append(it->hdrs, hdr);
	it->hdrs = curl_slist_append(it->hdrs, "Expect:");
	for (size_t i = 0; cc->type == CHANNEL_HTTP && i < cc->n_headers; i++) {
		size_t l = strlen(cc->headers[i].name) + strlen(cc->headers[i].value) + 3;
		char *h = malloc(l);
		if (h) {
			snprintf(h, l, "%s: %s", cc->headers[i].name, cc->headers[i].value);
			it->hdrs = curl_slist_append(it->hdrs, h);
			free(h);
		}
	}
	curl_easy_setopt(e, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, it->hdrs);
	if (cc->type == CHANNEL_HTTP && cc->method && strcmp(cc->method, "GET") == 0) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)it->e->body_len);
		curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, it->e->body);
		if (cc->type == CHANNEL_HTTP && cc->method && strcmp(cc->method, "PUT") == 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PUT");
	}
	curl_easy_setopt(e, CURLOPT_USERAGENT, "serat/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)ac->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)ac->timeout_ms);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, nt_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, it);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, it->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, it);
	it->errbuf[0] = '\0';
	it->resp_len = 0;
	if (it->resp)
		it->resp[0] = '\0';
	it->easy = e;
	it->in_flight = 1;
	it->attempts++;
	it->ch->in_flight++;
	if (curl_multi_add_handle(n->multi, e) != CURLM_OK) {
		it->easy = NULL;
		it->in_flight = 0;
		it->ch->in_flight--;
		curl_easy_cleanup(e);
		return -EIO;
	}
	return 0;
}

/* Schedule the next try of IT after a failure (or give up). */
static void nt_retry(struct notify *n, struct nt_item *it, double delay, long status,
		     const char *error)
{
	double now = nt_mono(), d;

	if (n->one_shot) {
		nt_finish(n, it, NOTIFY_FAILED_ONCE, status, error);
		return;
	}
	if (nt_wall() + delay - it->e->created > n->conf->alerts.retry_for_s) {
		log_err("notify: channel %s: giving up notification %s after %u attempts "
			"(last: %s%ld %s)", it->e->channel, it->e->key, it->attempts,
			status ? "HTTP " : "", status, error ? error : "");
		nt_finish(n, it, NOTIFY_EXPIRED, status, error);
		return;
	}
	if (delay <= 0) {
		/* Exponential backoff, "equal jitter": half fixed, half random,
		 * so a receiver coming back is not hit by every retry at once.
		 * When the receiver accepted another notification since this
		 * one last failed, it is flaky rather than down: start over
		 * from the base delay (else a receiver refusing half the
		 * requests leaves a tail of minutes-long waits). */
		unsigned k = it->attempts > 1 ? it->attempts - 1 : 0;
		if (it->ch->last_ok > it->last_fail && it->last_fail > 0)
			k = 0;
		d = NT_BACKOFF_BASE * pow(2.0, k);
		if (d > NT_BACKOFF_CAP)
			d = NT_BACKOFF_CAP;
		delay = d / 2 + nt_rand01(n) * d / 2;
	}
	it->next_try = now + delay;
	it->last_fail = now;
	/* A receiver down for hours must not write a line per retry. */
	log_complain(&it->ch->complain, time(NULL), LOG_WARNING,
		     "notify: channel %s: %s%ld %s; retrying (attempt %u of %s in %.1f s)",
		     it->e->channel, status ? "HTTP " : "", status, error ? error : "",
		     it->attempts + 1, it->e->key, delay);
}

/* Replace the text of a Telegram body by its plain-text form, or its chat
 * by NEW_CHAT.  0, or -1 when the body is not what we wrote. */
static int nt_telegram_rewrite(struct nt_item *it, int plain, const char *new_chat)
{
	json_error_t jerr;
	json_t *j = json_loads(it->e->body, 0, &jerr);
	const char *text;
	char *out;

	if (j == NULL || (text = json_string_value(json_object_get(j, "text"))) == NULL) {
		json_decref(j);
		return -1;
	}
	if (plain) {
		char *p = alert_html_to_plain(text);
		if (p == NULL) {
			json_decref(j);
			return -1;
		}
		json_object_set_new(j, "text", json_string(p));
		json_object_del(j, "parse_mode");
		free(p);
	}
	if (new_chat)
		json_object_set_new(j, "chat_id", json_string(new_chat));
	out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (out == NULL)
		return -1;
	free(it->e->body);
	it->e->body = out;
	it->e->body_len = strlen(out);
	return 0;
}

/* Telegram's error answer: {"ok":false,"error_code":400,"description":...,
 * "parameters":{"retry_after":N,"migrate_to_chat_id":M}}.  Returns 1 when
 * IT was rewritten and should go again at once. */
static int nt_telegram_error(struct notify *n, struct nt_item *it, long status,
			     double *retry_after)
{
	json_error_t jerr;
	json_t *j = it->resp ? json_loads(it->resp, 0, &jerr) : NULL;
	json_t *params = json_object_get(j, "parameters");
	const char *desc = json_string_value(json_object_get(j, "description"));
	json_t *mig = json_object_get(params, "migrate_to_chat_id");
	json_t *ra = json_object_get(params, "retry_after");
	int again = 0;

	if (json_is_integer(ra))
		*retry_after = (double)json_integer_value(ra);
	if (status == 400 && json_is_integer(mig)) {
		char chat[32];
		snprintf(chat, sizeof(chat), "%" JSON_INTEGER_FORMAT, json_integer_value(mig));
		log_warn("notify: channel %s: the Telegram group moved to chat_id %s; "
			 "following it, but set chat_id: \"%s\" in the config", it->e->channel,
			 chat, chat);
		free(it->ch->chat_override);
		it->ch->chat_override = strdup(chat);
		again = nt_telegram_rewrite(it, 0, chat) == 0;
	} else if (status == 400 && desc && strstr(desc, "can't parse entities") && !it->plain_done) {
		log_warn("notify: channel %s: Telegram could not parse the HTML of %s (%s); "
			 "resending it as plain text", it->e->channel, it->e->key, desc);
		it->plain_done = 1;
		again = nt_telegram_rewrite(it, 1, NULL) == 0;
	}
	json_decref(j);
	return again;
}

static void nt_transfer_done(struct notify *n, struct nt_item *it, CURLcode res)
{
	long status = 0;
	double retry_after = 0;
	curl_off_t ra_hdr = 0;
	char err[256];

	curl_easy_getinfo(it->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(it->easy, CURLINFO_RETRY_AFTER, &ra_hdr);
	curl_multi_remove_handle(n->multi, it->easy);
	curl_easy_cleanup(it->easy);
	it->easy = NULL;
	it->in_flight = 0;
	it->ch->in_flight--;

	if (res != CURLE_OK) {
		snprintf(err, sizeof(err), "%s", it->errbuf[0] ? it->errbuf : curl_easy_strerror(res));
		nt_retry(n, it, 0, 0, err);
		return;
	}
	if (status >= 200 && status < 300) {
		it->ch->last_ok = nt_mono();
		log_complain_clear(&it->ch->complain, "notify: channel %s: delivering again",
				   it->e->channel);
		log_debug("notify: channel %s: %s delivered (HTTP %ld, attempt %u)",
			  it->e->channel, it->e->key, status, it->attempts);
		nt_finish(n, it, NOTIFY_DELIVERED, status, NULL);
		return;
	}
	snprintf(err, sizeof(err), "%.200s", it->resp ? it->resp : "");
	if (ra_hdr > 0)
		retry_after = (double)ra_hdr;
	if (it->ch->conf && it->ch->conf->type == CHANNEL_TELEGRAM &&
	    nt_telegram_error(n, it, status, &retry_after)) {
		it->next_try = 0;
		return;
	}
	if (status == 429 || status == 408 || status == 425 || status >= 500) {
		if (status == 429 && retry_after > 0) {
			/* The limit is the chat's (or the receiver's), not this
			 * message's: hold the whole channel. */
			it->ch->paused_until = nt_mono() + retry_after;
		}
		nt_retry(n, it, retry_after, status, err);
		return;
	}
	log_err("notify: channel %s: HTTP %ld for %s, which will never succeed: dropped (%s)",
		it->e->channel, status, it->e->key, err);
	nt_finish(n, it, NOTIFY_DROPPED, status, err);
}

static void nt_check_done(struct notify *n)
{
	CURLMsg *msg;
	int left, any = 0;

	while ((msg = curl_multi_info_read(n->multi, &left)) != NULL) {
		struct nt_item *it = NULL;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&it);
		nt_transfer_done(n, it, msg->data.result);
		any = 1;
	}
	if (any)
		nt_dispatch(n);
}

/* ---- dispatch ---------------------------------------------------------- */

static void nt_on_kick(evutil_socket_t fd, short what, void *arg)
{
	nt_dispatch(arg);
}

static int nt_take_token(struct nt_channel *c, double now, double *wait)
{
	double rate;

	if (c->conf->rate_per_min == 0)
		return 1;
	/* A bucket of one: at most rate_per_min in any minute. */
	rate = c->conf->rate_per_min / 60.0;
	c->tokens += (now - c->tokens_at) * rate;
	if (c->tokens > 1)
		c->tokens = 1;
	c->tokens_at = now;
	if (c->tokens >= 1 - 1e-9) {
		c->tokens -= 1;
		return 1;
	}
	*wait = (1 - c->tokens) / rate;
	return 0;
}

static void nt_dispatch(struct notify *n)
{
	double now = nt_mono(), wake = INFINITY;

	if (n->in_dispatch || n->conf == NULL)
		return;
	n->in_dispatch = 1;
	for (struct nt_channel *c = n->channels; c; c = c->next) {
		if (c->conf == NULL) {
			if (c->n_items > 0 && !c->warned_missing) {
				log_warn("notify: %zu notifications wait for channel '%s', which "
					 "is not in the configuration", c->n_items, c->name);
				c->warned_missing = 1;
			}
			continue;
		}
		if (c->paused_until > now) {
			if (c->paused_until < wake)
				wake = c->paused_until;
			continue;
		}
		for (struct nt_item *it = c->head, *next; it; it = next) {
			double wait = 0;
			next = it->next;
			/* One at a time to a chat: the parts of a long message
			 * arrive in order, and a 429 stops the next one. */
			if (c->in_flight >= (c->conf->type == CHANNEL_TELEGRAM ? 1u
									      : NOTIFY_MAX_INFLIGHT))
				break;
			if (it->in_flight || !it->written)
				continue;
			if (it->next_try > now) {
				if (it->next_try < wake)
					wake = it->next_try;
				continue;
			}
			if (!nt_take_token(c, now, &wait)) {
				if (now + wait < wake)
					wake = now + wait;
				break;
			}
			if (nt_start(n, it) < 0)
				nt_retry(n, it, 0, 0, "cannot start a transfer");
		}
	}
	n->in_dispatch = 0;
	if (isfinite(wake)) {
		double d = wake - now;
		struct timeval tv;
		if (d < 0.001)
			d = 0.001;
		tv.tv_sec = (time_t)d;
		tv.tv_usec = (suseconds_t)((d - (double)tv.tv_sec) * 1e6);
		evtimer_add(n->ev_kick, &tv);
	}
}

/* Run the dispatcher soon, from the loop (never from inside curl). */
static void nt_kick_soon(struct notify *n)
{
	struct timeval tv = { 0, 0 };
	evtimer_add(n->ev_kick, &tv);
}

/* ---- submission ---------------------------------------------------------- */

static int nt_write_run(void *arg)
{
	struct nt_batch *b = arg;
	struct spool_entry **e = malloc(b->count * sizeof(*e));
	int rc;

	if (e == NULL) {
		for (size_t i = 0; i < b->count; i++)
			b->rc[i] = -ENOMEM;
		return -ENOMEM;
	}
	for (size_t i = 0; i < b->count; i++)
		e[i] = b->items[i]->e;
	rc = spool_write_batch(b->n->spool_dir, e, b->count, b->rc);
	free(e);
	return rc;
}

static void nt_write_kick(struct notify *n);

static void nt_write_done(void *arg, int rc)
{
	struct nt_batch *b = arg;

	for (size_t i = 0; i < b->count; i++) {
		if (b->rc[i] < 0)
			log_err("notify: %s is not durable (spool write failed); sending it anyway",
				b->items[i]->e->key);
		b->items[i]->written = 1;
	}
	b->n->writing = 0;
	nt_write_kick(b->n);
	nt_kick_soon(b->n);
	free(b->items);
	free(b->rc);
	free(b);
}

/* Start a write batch of every item waiting, unless one is running: while
 * a batch fsyncs, the next one gathers (group commit). */
static void nt_write_kick(struct notify *n)
{
	struct nt_batch *b;

	if (n->writing || n->wq_n == 0)
		return;
	if ((b = calloc(1, sizeof(*b))) == NULL ||
	    (b->rc = calloc(n->wq_n, sizeof(int))) == NULL) {
		free(b);
		return;             /* retried at the next submission */
	}
	b->n = n;
	b->items = n->wq;
	b->count = n->wq_n;
	n->wq = NULL;
	n->wq_n = n->wq_cap = 0;
	n->writing = 1;
	if (bg_worker_submit(n->worker, nt_write_run, nt_write_done, b) < 0) {
		log_err("notify: cannot queue %zu spool writes; sending them anyway", b->count);
		for (size_t i = 0; i < b->count; i++)
			b->rc[i] = 0;
		nt_write_done(b, -ESHUTDOWN);
	}
}

static struct nt_item *nt_item_add(struct notify *n, struct spool_entry *e)
{
	struct nt_channel *c = nt_channel_get(n, e->channel, 1);
	struct nt_item *it;

	if (c == NULL || (it = calloc(1, sizeof(*it))) == NULL)
		return NULL;
	it->n = n;
	it->e = e;
	nt_item_append(c, it);
	n->pending++;
	return it;
}

int notify_submit(struct notify *n, const char *channel, const char *content_type,
		  const char *body, char *key_out)
{
	char key[40];
	struct spool_entry *e;
	struct nt_item *it;
	struct nt_channel *c = nt_channel_get(n, channel, 0);
	int rc;

	if ((c == NULL || c->conf == NULL) && n->conf) {
		int found = 0;
		for (size_t i = 0; i < n->conf->n_channels; i++)
			found |= strcmp(n->conf->channels[i].name, channel) == 0;
		if (!found)
			return -ENOENT;
	}
	if ((rc = spool_new_key(key, sizeof(key))) < 0)
		return rc;
	if ((e = spool_entry_new(channel, key, nt_wall(), content_type, body)) == NULL)
		return -ENOMEM;
	if ((it = nt_item_add(n, e)) == NULL) {
		spool_entry_free(e);
		return -ENOMEM;
	}
	if (key_out)
		memcpy(key_out, key, strlen(key) + 1);
	if (n->spool_dir == NULL || nt_push((void ***)&n->wq, &n->wq_n, &n->wq_cap, it) < 0) {
		if (n->spool_dir)
			log_err("notify: cannot queue the spool write of %s; sending it anyway", key);
		it->written = 1;
		nt_kick_soon(n);
		return 0;
	}
	nt_write_kick(n);
	return 0;
}

static void nt_on_loaded(void *arg, struct spool_entry *e)
{
	struct notify *n = arg;
	struct nt_item *it = nt_item_add(n, e);

	if (it == NULL) {
		spool_entry_free(e);
		return;
	}
	it->written = 1;
}

int notify_load_spool(struct notify *n)
{
	int rc;

	if (n->spool_dir == NULL)
		return 0;
	if ((rc = spool_prepare(n->spool_dir)) < 0)
		return rc;
	rc = spool_load(n->spool_dir, nt_on_loaded, n);
	if (rc > 0) {
		log_info("notify: %d undelivered notifications in the spool; sending them", rc);
		nt_kick_soon(n);
	}
	return rc;
}

/* ---- life cycle ------------------------------------------------------- */

struct notify *notify_new(struct event_base *base, struct bg_worker *worker,
			  const char *spool_dir)
{
	const curl_version_info_data *vi = curl_version_info(CURLVERSION_NOW);
	struct notify *n;

	if (!(vi->features & CURL_VERSION_ASYNCHDNS)) {
		/* A blocking resolver would stall polling on every send. */
		log_err("notify: this libcurl (%s) resolves names synchronously; "
			"alerts need one built with the threaded resolver", vi->version);
		return NULL;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	/* Reference-counted by libcurl; paired with the cleanup in free. */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	n->base = base;
	n->worker = worker;
	if (getrandom(&n->rnd, sizeof(n->rnd), 0) < 0 || n->rnd == 0)
		n->rnd = (unsigned)time(NULL) | 1;
	if (spool_dir && (n->spool_dir = strdup(spool_dir)) == NULL)
		goto fail;
	if ((n->multi = curl_multi_init()) == NULL)
		goto fail;
	n->ev_curl_timer = evtimer_new(base, nt_on_curl_timer, n);
	n->ev_kick = evtimer_new(base, nt_on_kick, n);
	if (n->ev_curl_timer == NULL || n->ev_kick == NULL)
		goto fail;
	curl_multi_setopt(n->multi, CURLMOPT_SOCKETFUNCTION, nt_sock_cb);
	curl_multi_setopt(n->multi, CURLMOPT_SOCKETDATA, n);
	curl_multi_setopt(n->multi, CURLMOPT_TIMERFUNCTION, nt_timer_cb);
	curl_multi_setopt(n->multi, CURLMOPT_TIMERDATA, n);
	return n;
fail:
	log_err("notify: out of memory");
	notify_free(n);
	return NULL;
}

void notify_free(struct notify *n)
{
	if (n == NULL)
		return;
	/* Batches on the worker point at our items. */
	if (n->worker && n->spool_dir)
		bg_worker_drain(n->worker);
	while (n->channels) {
		struct nt_channel *c = n->channels;
		n->channels = c->next;
		while (c->head) {
			struct nt_item *it = c->head;
			nt_item_unlink(it);
			nt_item_free(it);
		}
		free(c->chat_override);
		free(c->name);
		free(c);
	}
	if (n->multi)
		curl_multi_cleanup(n->multi);
	if (n->ev_curl_timer)
		event_free(n->ev_curl_timer);
	if (n->ev_kick)
		event_free(n->ev_kick);
	for (size_t i = 0; i < n->rq_n; i++)
		free(n->rq[i]);
	free(n->rq);
	free(n->wq);
	free(n->spool_dir);
	free(n);
	curl_global_cleanup();
}

void notify_reload(struct notify *n, const struct serat_config *conf)
{
	n->conf = conf;
	for (struct nt_channel *c = n->channels; c; c = c->next) {
		c->conf = NULL;
		c->warned_missing = 0;
		for (size_t i = 0; i < conf->n_channels; i++)
			if (strcmp(conf->channels[i].name, c->name) == 0)
				c->conf = &conf->channels[i];
	}
	nt_kick_soon(n);
}

void notify_set_result_cb(struct notify *n,
			  void (*cb)(void *arg, const struct notify_result *r), void *arg)
{
	n->result_cb = cb;
	n->result_arg = arg;
}

void notify_set_one_shot(struct notify *n, int on)
{
	n->one_shot = on;
}

size_t notify_pending(const struct notify *n)
{
	return n->pending;
}
