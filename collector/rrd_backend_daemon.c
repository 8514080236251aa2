/*
 * rrd_backend_daemon.c — RRD files through rrdcached.  See rrd_backend.h.
 *
 * UPDATEs go out as one BATCH per commit (collector/rrdcached_batch.c):
 * librrd's rrdc_update costs ~25 µs of our CPU per update, a realpath()
 * and a full round trip each.  CREATE, LAST and FLUSH happen once per file
 * and go through librrd's client.
 *
 * Why rrdc_* and not rrd_client_*: rrd_client.h declares a per-connection
 * API (rrd_client_new, ...), but Debian's librrd.so.8 (1.7.2) does not
 * export those symbols — only librrd.a has them, and linking librrd
 * statically drags in cairo/pango/glib.  The exported rrdc_* functions
 * drive one process-wide connection behind librrd's own mutex; the writer
 * thread is its only user in seratd.  A second store in the same process,
 * or rrd_graph(--daemon) to another address, would share or replace that
 * connection; we notice a lost connection and reconnect with back-off.
 *
 * Paths: over a unix socket librrd realpath()s the name on the client side,
 * which needs the directory to exist, so we mkdir -p locally (a unix socket
 * means the daemon shares our filesystem) and send <data_dir>/rrd/...  Over
 * TCP librrd refuses absolute names, so we send "rrd/<dev>/..." relative to
 * the daemon's base directory: a remote rrdcached must run with
 * -b <its data_dir> -B -R (-R lets CREATE make the directories).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rrd.h>
#include <rrd_client.h>

#include "collector/rrd_backend.h"
#include "collector/rrdcached_batch.h"
#include "common/log.h"

#define RRD_DAEMON_RETRY_MAX_S 60

struct rrd_daemon {
	struct rrd_backend base;
	char *address;
	char *data_dir;
	size_t data_dir_len;
	int remote;                /* TCP: paths relative to data_dir */
	int connected;
	struct timespec retry_at;  /* monotonic: next reconnect attempt */
	unsigned retry_s;
	struct log_complain conn_complain;
	struct rrdcached_batch *batch;
	void **tags;               /* the tag of each queued UPDATE */
	unsigned char *failed;
	size_t cap;
};

static const char *rrd_daemon_path(const struct rrd_daemon *d, const char *path)
{
	if (d->remote && strncmp(path, d->data_dir, d->data_dir_len) == 0 &&
	    path[d->data_dir_len] == '/')
		return path + d->data_dir_len + 1;
	return path;
}

/* librrd's client closes the connection on a broken pipe; it says so. */
static int rrd_daemon_lost(struct rrd_daemon *d)
{
	if (rrdc_is_connected(d->address))
		return 0;
	d->connected = 0;
	return 1;
}

static int rrd_daemon_ready(struct rrd_backend *b, int force, long *retry_ms)
{
	struct rrd_daemon *d = (struct rrd_daemon *)b;
	struct timespec now;

	if (d->connected && rrdc_is_connected(d->address))
		return 0;
	d->connected = 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!force && (now.tv_sec < d->retry_at.tv_sec ||
		       (now.tv_sec == d->retry_at.tv_sec && now.tv_nsec < d->retry_at.tv_nsec))) {
		*retry_ms = (long)(d->retry_at.tv_sec - now.tv_sec) * 1000 +
			    (d->retry_at.tv_nsec - now.tv_nsec) / 1000000 + 1;
		return -ENOTCONN;
	}
	rrd_clear_error();
	int r = rrdc_connect(d->address);
	if (r == 0 && rrdc_is_connected(d->address)) {
		d->connected = 1;
		d->retry_s = 0;
		log_complain_clear(&d->conn_complain,
				   "rrd_store: connected to rrdcached at %s", d->address);
		return 0;
	}
	log_complain(&d->conn_complain, time(NULL), LOG_ERR,
		     "rrd_store: cannot connect to rrdcached at %s: %s", d->address,
		     rrd_test_error() ? rrd_get_error() : strerror(r > 0 ? r : EIO));
	/* Retry after 1 s, 2 s, 4 s ... up to a minute. */
	d->retry_s = d->retry_s ? d->retry_s * 2 : 1;
	if (d->retry_s > RRD_DAEMON_RETRY_MAX_S)
		d->retry_s = RRD_DAEMON_RETRY_MAX_S;
	d->retry_at = now;
	d->retry_at.tv_sec += d->retry_s;
	*retry_ms = (long)d->retry_s * 1000;
	return -ENOTCONN;
}

static int rrd_daemon_last(struct rrd_backend *b, const char *path, time_t *last,
			   char *err, size_t errlen)
{
	struct rrd_daemon *d = (struct rrd_daemon *)b;
	rrd_clear_error();
	*last = rrdc_last(rrd_daemon_path(d, path));
	if (*last >= 0)
		return 0;
	if (rrd_daemon_lost(d))
		return -ENOTCONN;
	/* rrdcached answers an error for a missing file: create it. */
	snprintf(err, errlen, "%s", rrd_test_error() ? rrd_get_error() : "no such file");
	rrd_clear_error();
	return -ENOENT;
}

static int rrd_daemon_create(struct rrd_backend *b, const char *path, unsigned step_s,
			     time_t start, const struct rrd_layout_args *args,
			     char *err, size_t errlen)
{
	struct rrd_daemon *d = (struct rrd_daemon *)b;
	if (!d->remote) {
		int r = rrd_backend_mkdir_parents(path);
		if (r < 0) {
			snprintf(err, errlen, "creating its directory: %s", strerror(-r));
			return r;
		}
	}
	rrd_clear_error();
	errno = 0;
	if (rrdc_create_r2(rrd_daemon_path(d, path), step_s, start, 1, NULL, NULL,
			   args->argc, args->argv) == 0)
		return 0;
	if (rrd_daemon_lost(d)) {
		rrd_clear_error();
		return -ENOTCONN;
	}
	/* errno is ours, not the daemon's: judge by its text only. */
	return rrd_backend_error(0, err, errlen);
}

static int rrd_daemon_update(struct rrd_backend *b, const char *path, const char *line,
			     void *tag, char *err, size_t errlen)
{
	struct rrd_daemon *d = (struct rrd_daemon *)b;
	size_t k = rrdcached_batch_pending(d->batch);

	if (k == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		void **tags = realloc(d->tags, cap * sizeof(*tags));
		if (tags != NULL)
			d->tags = tags;
		unsigned char *failed = realloc(d->failed, cap);
		if (failed != NULL)
			d->failed = failed;
		if (tags == NULL || failed == NULL) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		d->cap = cap;
	}
	int r = rrdcached_batch_add(d->batch, rrd_daemon_path(d, path), line);
	if (r < 0) {
		snprintf(err, errlen, "%s", strerror(-r));
		return r;
	}
	d->tags[k] = tag;
	return 1;
}

static size_t rrd_daemon_pending(struct rrd_backend *b)
{
	return rrdcached_batch_pending(((struct rrd_daemon *)b)->batch);
}

static int rrd_daemon_commit(struct rrd_backend *b, rrd_backend_done_fn done, void *ctx)
{
	struct rrd_daemon *d = (struct rrd_daemon *)b;
	size_t n = rrdcached_batch_pending(d->batch);
	const char *why = NULL;

	if (n == 0)
		return 0;
	int r = rrdcached_batch_send(d->batch, d->failed, &why);
	for (size_t i = 0; i < n; i++) {
		if (r == 0)
			done(ctx, d->tags[i], d->failed[i] ? -EIO : 0, why);
		else
			done(ctx, d->tags[i], r == -ENOTCONN ? -ENOTCONN : -EIO,
			     r == -EPROTO ? "rrdcached answered nonsense" : "rrdcached went away");
	}
	if (r == -ENOTCONN) {
		d->connected = 0;
		log_complain(&d->conn_complain, time(NULL), LOG_ERR,
			     "rrd_store: lost rrdcached at %s while sending %zu updates",
			     d->address, n);
		return -ENOTCONN;
	}
	return 0;
}

static void rrd_daemon_discard(struct rrd_backend *b)
{
	rrdcached_batch_reset(((struct rrd_daemon *)b)->batch);
}

static int rrd_daemon_flush(struct rrd_backend *b, const char *path)
{
	struct rrd_daemon *d = (struct rrd_daemon *)b;
	if (!d->connected)
		return -ENOTCONN;
	rrd_clear_error();
	if (rrdc_flush(rrd_daemon_path(d, path)) != 0) {
		rrd_daemon_lost(d);
		log_debug("rrd_store: rrdcached flush %s: %s", path,
			  rrd_test_error() ? rrd_get_error() : "failed");
		rrd_clear_error();
		return -EIO;
	}
	return 0;
}

static void rrd_daemon_free(struct rrd_backend *b)
{
	struct rrd_daemon *d = (struct rrd_daemon *)b;
	if (d->connected)
		rrdc_disconnect();
	rrdcached_batch_free(d->batch);
	free(d->tags);
	free(d->failed);
	free(d->address);
	free(d->data_dir);
	free(d);
}

static const struct rrd_backend_ops rrd_daemon_ops = {
	.name = "rrdcached",
	.ready = rrd_daemon_ready,
	.last = rrd_daemon_last,
	.create = rrd_daemon_create,
	.update = rrd_daemon_update,
	.pending = rrd_daemon_pending,
	.commit = rrd_daemon_commit,
	.discard = rrd_daemon_discard,
	.flush = rrd_daemon_flush,
	.free = rrd_daemon_free,
};

struct rrd_backend *rrd_backend_daemon_new(const char *address, const char *data_dir)
{
	struct rrd_daemon *d = calloc(1, sizeof(*d));
	if (d == NULL) {
		log_err("rrd_store: out of memory");
		return NULL;
	}
	d->base.ops = &rrd_daemon_ops;
	d->address = strdup(address);
	d->data_dir = strdup(data_dir);
	d->batch = rrdcached_batch_new(address);
	if (d->address == NULL || d->data_dir == NULL || d->batch == NULL) {
		log_err("rrd_store: cannot use rrdcached address %s", address);
		rrd_daemon_free(&d->base);
		return NULL;
	}
	d->data_dir_len = strlen(d->data_dir);
	d->remote = strncmp(address, "unix:", 5) != 0 && address[0] != '/';
	d->base.files_local = !d->remote;
	return &d->base;
}
