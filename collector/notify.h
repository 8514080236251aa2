/*
 * notify.h — deliver notifications over HTTP without ever blocking the loop.
 *
 * One libcurl multi handle driven by seratd's libevent loop (the socket and
 * timer callbacks of curl_multi_socket_action, as curl's hiperfifo example
 * does): a slow, hung or refusing receiver costs a socket and a timer, never
 * a poll.  Names are resolved by libcurl's threaded resolver (checked at
 * start: curl_version_info must report AsynchDNS).
 *
 * Each notification has an Idempotency-Key, unique to it and sent on every
 * retry of it.  notify_submit() first makes it durable in the spool (on the
 * worker thread); only then is it sent.  The spool file is removed only
 * after a 2xx, or when the notification is given up:
 *
 *   - 2xx: delivered;
 *   - 408, 425, 429, 5xx, connection errors and timeouts: retried with
 *     exponential backoff (1 s doubling to 5 min, "equal jitter") until
 *     `alerts.retry_for` after it was first queued; a 429's Retry-After (or
 *     Telegram's parameters.retry_after) is honoured for the whole channel;
 *   - any other 4xx can never succeed: dropped with a logged error;
 *   - Telegram: a 400 "can't parse entities" is resent once as plain text;
 *     a 400 with parameters.migrate_to_chat_id is resent to the new chat,
 *     with a warning to fix the config.
 *
 * Per channel, at most NOTIFY_MAX_INFLIGHT requests run at once (one for
 * Telegram: the parts of a long message arrive in order, and a 429 holds
 * the next one) and a rate limit (`rate_limit` per minute; Telegram 20)
 * spaces them out.  A SIGKILL
 * loses nothing: the spool is sent again at start; only a request that was
 * in flight may arrive twice, with the same key.
 */
#ifndef SERAT_NOTIFY_H
#define SERAT_NOTIFY_H

#include <stddef.h>

#include <event2/event.h>

#include "collector/bg_worker.h"
#include "common/config.h"

#define NOTIFY_MAX_INFLIGHT 4

enum notify_outcome {
	NOTIFY_DELIVERED,     /* 2xx */
	NOTIFY_DROPPED,       /* a 4xx that cannot succeed, or a bad channel */
	NOTIFY_EXPIRED,       /* retried for alerts.retry_for without success */
	NOTIFY_FAILED_ONCE,   /* one-shot mode (serat alert test): the first failure */
};

/* What happened to one notification, for the event store and the CLI.
 * Pointers are valid only during the callback. */
struct notify_result {
	const char *channel;
	const char *key;
	enum notify_outcome outcome;
	long http_status;     /* 0 when no HTTP answer */
	unsigned attempts;
	const char *error;    /* curl's error, or the start of the error body; may be NULL */
	double created;       /* when it was first queued (wall clock) */
};

struct notify;

/*
 * A notifier on BASE.  WORKER (borrowed, outlives the notifier) runs the
 * spool's fsyncs; SPOOL_DIR NULL means no spool (serat alert test).
 * NULL on failure (logged: e.g. a libcurl without AsynchDNS).
 */
struct notify *notify_new(struct event_base *base, struct bg_worker *worker,
			  const char *spool_dir);

/* Cancels what is in flight (it stays in the spool) and frees.  NULL-safe. */
void notify_free(struct notify *n);

/* Use CONF's channels and alerts settings from now on (borrowed until the
 * next reload or notify_free).  Queued notifications of channels that are
 * gone wait, logged, for a config that has them again. */
void notify_reload(struct notify *n, const struct serat_config *conf);

/* Called once per notification when its fate is final. */
void notify_set_result_cb(struct notify *n,
			  void (*cb)(void *arg, const struct notify_result *r), void *arg);

/* One attempt, no retry (serat alert test). */
void notify_set_one_shot(struct notify *n, int on);

/*
 * Queue BODY (CONTENT_TYPE) for CHANNEL with a new key (written into
 * KEY_OUT when not NULL, >= 40 bytes).  The body is copied.  Returns 0, or
 * -ENOENT (no such channel), -ENOMEM.
 */
int notify_submit(struct notify *n, const char *channel, const char *content_type,
		  const char *body, char *key_out);

/* Queue what the spool holds (at start, before the loop runs).  Returns
 * the number of notifications found, or -errno. */
int notify_load_spool(struct notify *n);

/* Notifications not yet final (writing, queued, waiting, in flight). */
size_t notify_pending(const struct notify *n);

/* The Telegram Bot API URL for TOKEN under API_URL: caller frees.  Never
 * log it: it contains the token. */
char *notify_telegram_url(const char *api_url, const char *token);

#endif
