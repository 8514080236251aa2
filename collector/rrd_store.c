/*
 * rrd_store.c — the writer thread behind every RRD file.
 *
 * The event loop calls rrd_store_update(), which copies the sample into one
 * malloc'd item, appends it to a linked-list queue under a mutex and signals
 * a condition variable: a few hundred nanoseconds, no I/O.  One writer thread
 * takes the whole queue at once (batch drain: one lock round trip per batch,
 * not per update) and, per item:
 *
 *   1. builds the file's path (name_escape() on device and ifname) and looks
 *      it up in a hash table of files it has seen (keyed by path);
 *   2. skips the update if its millisecond timestamp is not newer than the
 *      file's last one (librrd would refuse it with an error we'd log);
 *   3. the first time a file is seen, finds out once whether it exists and
 *      when it was last updated (stat + rrd_last_r, or rrdcached's LAST),
 *      creating it otherwise (mkdir -p, rrd_create_r2 / CREATE with
 *      no-overwrite) — never a stat() per update;
 *   4. writes "SECONDS.MMM:v1:v2:..." with rrd_update_r(), or queues it for
 *      rrdcached: all the UPDATEs of one drain go out as one BATCH
 *      (rrdcached_batch.c; librrd's rrdc_update costs ~25 µs per update).
 *
 * Why rrdc_* and not rrd_client_*: rrd_client.h declares a per-connection
 * API (rrd_client_new, ...), but Debian's librrd.so.8 (1.7.2) does not export
 * those symbols — only librrd.a has them, and linking librrd statically drags
 * in cairo/pango/glib.  The exported rrdc_* functions drive one process-wide
 * connection behind librrd's own mutex; this thread is its only user in
 * seratd.  A second rrd_store in the same process, or rrd_graph(--daemon) to
 * another address, would share or replace that connection; we notice a lost
 * connection and reconnect with back-off.
 *
 * Paths sent to rrdcached: over a unix socket librrd realpath()s the name on
 * the client side, which needs the directory to exist, so we mkdir -p
 * locally (a unix socket means the daemon shares our filesystem) and send
 * <data_dir>/rrd/...  Over TCP librrd refuses absolute names, so we send
 * "rrd/<dev>/..." relative to the daemon's base directory: a remote
 * rrdcached must run with -b <its data_dir> -B -R (-R lets CREATE make the
 * directories).  See docs/storage.md.
 *
 * librrd's error buffer is per thread (librrd is built thread-safe since
 * 1.4): we clear it before each call and read it right after a failure, all
 * in this thread.  Failures are logged per file with log_complain back-off.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <rrd.h>
#include <rrd_client.h>

#include "collector/rrd_store.h"
#include "collector/rrdcached_batch.h"
#include "common/fs_util.h"
#include "common/log.h"
#include "common/name_escape.h"

#define RRD_STORE_QUEUE_DEFAULT (1u << 20)
#define RRD_STORE_LAST_UNKNOWN INT64_MIN
#define RRD_STORE_RETRY_MAX_S 60

static const char *const rrd_store_if_names[IF_DS_COUNT] = {
	"in", "out", "inpkt", "outpkt", "inerr", "outerr",
	"indisc", "outdisc", "util", "oper",
};
static const char *const rrd_store_dev_names[DEV_DS_COUNT] = {
	"reachable", "rtt", "uptime",
};

/* One queued sample; names live in the same allocation. */
struct rrd_store_item {
	struct rrd_store_item *next;
	enum rrd_kind kind;
	double t;
	double values[RRD_STORE_MAX_DS];
	const char *ifname;       /* NULL for a device sample */
	char device[];            /* "device\0ifname\0" */
};

/* What the writer knows about one file; writer thread only. */
struct rrd_store_file {
	struct rrd_store_file *hnext;
	struct rrd_store_file *dirty_next;
	uint32_t hash;
	int exists;               /* known to exist: no stat, no create */
	int dirty;                /* written through rrdcached since last flush */
	int64_t last_ms;          /* last update written, or LAST_UNKNOWN */
	struct log_complain complain;
	char path[];
};

struct rrd_store {
	/* Immutable after rrd_store_new. */
	char *data_dir;
	char *rrdcached;          /* NULL = direct */
	int daemon_remote;        /* TCP: send paths relative to data_dir */
	unsigned step_s;
	size_t queue_max;
	const char **create_argv[2];  /* per kind: DS and RRA definitions */
	int create_argc[2];
	char *create_strings;     /* the storage behind create_argv */

	/* Shared with the caller; under lock. */
	pthread_mutex_t lock;
	pthread_cond_t wake;      /* writer waits: work, flush or stop */
	pthread_cond_t done;      /* flushers wait: progress */
	struct rrd_store_item *head, *tail;
	size_t queue_len;
	uint64_t seq_queued;      /* items accepted so far */
	uint64_t seq_done;        /* items the writer has finished with */
	uint64_t flush_req;       /* flush requests made ... */
	uint64_t flush_done;      /* ... and completed */
	int stopping;
	struct rrd_store_stats stats;
	pthread_t thread;
	int thread_started;

	/* Writer thread only. */
	struct rrd_store_file **buckets;
	size_t n_buckets, n_files;
	struct rrd_store_file *dirty;
	struct rrdcached_batch *batch;      /* rrdcached mode: UPDATEs of a drain */
	struct rrd_store_file **batch_files; /* the file of each queued UPDATE */
	unsigned char *batch_failed;
	size_t batch_cap;
	int connected;
	struct timespec retry_at; /* monotonic; next reconnect attempt */
	unsigned retry_s;
	struct log_complain conn_complain;
};

const char *const *rrd_store_ds_names(enum rrd_kind kind, size_t *n)
{
	if (kind == RRD_KIND_DEVICE) {
		if (n)
			*n = DEV_DS_COUNT;
		return rrd_store_dev_names;
	}
	if (n)
		*n = IF_DS_COUNT;
	return rrd_store_if_names;
}

static size_t rrd_store_ds_count(enum rrd_kind kind)
{
	return kind == RRD_KIND_DEVICE ? DEV_DS_COUNT : IF_DS_COUNT;
}

/* ---- paths --------------------------------------------------------- */

int rrd_store_path_in(const char *data_dir, const char *device, const char *ifname,
		      char *buf, size_t len)
{
	char dev[NAME_ESCAPE_MAX + 1], ifn[NAME_ESCAPE_MAX + 1];
	int n;

	if (name_escape(device, strlen(device), dev, sizeof(dev)) < 0)
		return -ENAMETOOLONG;
	if (ifname == NULL) {
		n = snprintf(buf, len, "%s/rrd/%s/device.rrd", data_dir, dev);
	} else {
		if (name_escape(ifname, strlen(ifname), ifn, sizeof(ifn)) < 0)
			return -ENAMETOOLONG;
		n = snprintf(buf, len, "%s/rrd/%s/if/%s.rrd", data_dir, dev, ifn);
	}
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int rrd_store_path(const struct rrd_store *store, const char *device,
		   const char *ifname, char *buf, size_t len)
{
	return rrd_store_path_in(store->data_dir, device, ifname, buf, len);
}

/* The name rrdcached should see: relative to its base dir over TCP. */
static const char *rrd_store_daemon_path(const struct rrd_store *store,
					 const char *path)
{
	if (!store->daemon_remote)
		return path;
	return path + strlen(store->data_dir) + 1;
}

/* mkdir -p of PATH's directory.  Only called when creating a file. */
static int rrd_store_mkdir_parents(const char *path)
{
	char dir[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, len + 1);
	char *slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return 0;
	*slash = '\0';
	return fs_mkdirs(dir, 0755);
}

/* ---- the file table (writer thread) ----------------------------------- */

static uint32_t rrd_store_hash(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

static int rrd_store_table_grow(struct rrd_store *store)
{
	size_t n = store->n_buckets ? store->n_buckets * 2 : 1024;
	struct rrd_store_file **b = calloc(n, sizeof(*b));
	if (b == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < store->n_buckets; i++) {
		struct rrd_store_file *f = store->buckets[i], *next;
		for (; f != NULL; f = next) {
			next = f->hnext;
			f->hnext = b[f->hash & (n - 1)];
			b[f->hash & (n - 1)] = f;
		}
	}
	free(store->buckets);
	store->buckets = b;
	store->n_buckets = n;
	return 0;
}

static struct rrd_store_file *rrd_store_file_get(struct rrd_store *store,
						 const char *path)
{
	uint32_t h = rrd_store_hash(path);
	struct rrd_store_file *f;

	if (store->n_buckets) {
		for (f = store->buckets[h & (store->n_buckets - 1)]; f; f = f->hnext)
			if (f->hash == h && strcmp(f->path, path) == 0)
				return f;
	}
	if (store->n_files >= store->n_buckets && rrd_store_table_grow(store) < 0)
		return NULL;
	size_t len = strlen(path);
	f = calloc(1, sizeof(*f) + len + 1);
	if (f == NULL)
		return NULL;
	memcpy(f->path, path, len + 1);
	f->hash = h;
	f->last_ms = RRD_STORE_LAST_UNKNOWN;
	f->hnext = store->buckets[h & (store->n_buckets - 1)];
	store->buckets[h & (store->n_buckets - 1)] = f;
	store->n_files++;
	return f;
}

static void rrd_store_table_free(struct rrd_store *store)
{
	for (size_t i = 0; i < store->n_buckets; i++) {
		struct rrd_store_file *f = store->buckets[i], *next;
		for (; f != NULL; f = next) {
			next = f->hnext;
			free(f);
		}
	}
	free(store->buckets);
	store->buckets = NULL;
	store->n_buckets = store->n_files = 0;
}

/* ---- rrdcached connection (writer thread) ----------------------------- */

static void rrd_store_monotonic(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static int rrd_store_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/*
 * Connect if we are not, respecting the back-off unless FORCE (a flush or
 * shutdown is waiting and deserves one more try).  0 when connected.
 */
static int rrd_store_daemon_connect(struct rrd_store *store, int force)
{
	struct timespec now;

	if (store->connected && rrdc_is_connected(store->rrdcached))
		return 0;
	store->connected = 0;
	rrd_store_monotonic(&now);
	if (!force && rrd_store_before(&now, &store->retry_at))
		return -ENOTCONN;
	rrd_clear_error();
	int r = rrdc_connect(store->rrdcached);
	if (r == 0 && rrdc_is_connected(store->rrdcached)) {
		store->connected = 1;
		store->retry_s = 0;
		log_complain_clear(&store->conn_complain,
				   "rrd_store: connected to rrdcached at %s", store->rrdcached);
		return 0;
	}
	log_complain(&store->conn_complain, time(NULL), LOG_ERR,
		     "rrd_store: cannot connect to rrdcached at %s: %s",
		     store->rrdcached, rrd_test_error() ? rrd_get_error() : strerror(r > 0 ? r : EIO));
	/* Retry after 1 s, 2 s, 4 s ... up to a minute. */
	store->retry_s = store->retry_s ? store->retry_s * 2 : 1;
	if (store->retry_s > RRD_STORE_RETRY_MAX_S)
		store->retry_s = RRD_STORE_RETRY_MAX_S;
	store->retry_at = now;
	store->retry_at.tv_sec += store->retry_s;
	return -ENOTCONN;
}

/* ---- writing (writer thread) ------------------------------------------ */

static void rrd_store_file_error(struct rrd_store *store, struct rrd_store_file *f,
				 const char *what)
{
	const char *err = rrd_test_error() ? rrd_get_error() : "unknown error";
	log_complain(&f->complain, time(NULL), LOG_ERR, "rrd_store: %s %s: %s",
		     what, f->path, err);
	/* Forget what we knew: the next update re-checks the file. */
	f->exists = 0;
	f->last_ms = RRD_STORE_LAST_UNKNOWN;
}

/*
 * Make sure F exists and we know its last update; create it (with a start
 * just before T) when missing.  0, or a negative errno (logged).
 */
static int rrd_store_file_open(struct rrd_store *store, struct rrd_store_file *f,
			       enum rrd_kind kind, double t, uint64_t *created)
{
	time_t last = -1;
	int r;

	if (store->rrdcached == NULL) {
		struct stat st;
		if (stat(f->path, &st) == 0) {
			rrd_clear_error();
			last = rrd_last_r(f->path);
			if (last < 0) {
				rrd_store_file_error(store, f, "reading");
				return -EIO;
			}
		}
	} else {
		rrd_clear_error();
		last = rrdc_last(rrd_store_daemon_path(store, f->path));
		if (last < 0 && !rrdc_is_connected(store->rrdcached)) {
			store->connected = 0;
			return -ENOTCONN;
		}
	}
	if (last < 0) {
		time_t start = (time_t)floor(t) - 1;
		const char **argv = store->create_argv[kind];
		int argc = store->create_argc[kind];

		if (store->rrdcached == NULL || !store->daemon_remote) {
			r = rrd_store_mkdir_parents(f->path);
			if (r < 0) {
				log_complain(&f->complain, time(NULL), LOG_ERR,
					     "rrd_store: creating the directory of %s: %s",
					     f->path, strerror(-r));
				return r;
			}
		}
		rrd_clear_error();
		if (store->rrdcached == NULL)
			r = rrd_create_r2(f->path, store->step_s, start, 1,
					  NULL, NULL, argc, argv);
		else
			r = rrdc_create_r2(rrd_store_daemon_path(store, f->path),
					   store->step_s, start, 1, NULL, NULL, argc, argv);
		if (r != 0) {
			if (store->rrdcached && !rrdc_is_connected(store->rrdcached)) {
				store->connected = 0;
				return -ENOTCONN;
			}
			rrd_store_file_error(store, f, "creating");
			return -EIO;
		}
		(*created)++;
		f->last_ms = (int64_t)start * 1000;
	} else {
		/* The file holds whole seconds only: assume the worst. */
		f->last_ms = (int64_t)last * 1000 + 999;
	}
	f->exists = 1;
	return 0;
}

/* "SECONDS.MMM:v1:...:vN" with NAN/inf as "U".  Returns 0 or -ENOBUFS. */
static int rrd_store_format(char *buf, size_t len, int64_t ms, const double *v, size_t n)
{
	int w = snprintf(buf, len, "%lld.%03d", (long long)(ms / 1000), (int)(ms % 1000));
	size_t pos = (size_t)w;

	for (size_t i = 0; i < n; i++) {
		if (pos + 2 >= len)
			return -ENOBUFS;
		if (isfinite(v[i]))
			w = snprintf(buf + pos, len - pos, ":%.15g", v[i]);
		else
			w = snprintf(buf + pos, len - pos, ":U");
		if (w < 0 || (size_t)w >= len - pos)
			return -ENOBUFS;
		pos += (size_t)w;
	}
	return 0;
}

enum rrd_store_outcome { RRD_STORE_WRITTEN, RRD_STORE_SKIPPED, RRD_STORE_FAILED,
	RRD_STORE_DISCONNECTED, RRD_STORE_QUEUED };

/* Most UPDATEs in one BATCH: bounds the memory of a long drain. */
#define RRD_STORE_BATCH_MAX 4096

static enum rrd_store_outcome rrd_store_write(struct rrd_store *store,
					      const struct rrd_store_item *it,
					      uint64_t *created)
{
	char path[PATH_MAX];
	char line[64 + RRD_STORE_MAX_DS * 32];
	struct rrd_store_file *f;
	int64_t ms = (int64_t)llround(it->t * 1000.0);
	int r;

	r = rrd_store_path(store, it->device, it->ifname, path, sizeof(path));
	if (r < 0) {
		log_err("rrd_store: path too long for device %s", it->device);
		return RRD_STORE_FAILED;
	}
	f = rrd_store_file_get(store, path);
	if (f == NULL) {
		log_err("rrd_store: out of memory");
		return RRD_STORE_FAILED;
	}
	if (f->last_ms != RRD_STORE_LAST_UNKNOWN && ms <= f->last_ms)
		return RRD_STORE_SKIPPED;
	if (!f->exists) {
		r = rrd_store_file_open(store, f, it->kind, it->t, created);
		if (r == -ENOTCONN)
			return RRD_STORE_DISCONNECTED;
		if (r < 0)
			return RRD_STORE_FAILED;
		if (ms <= f->last_ms)
			return RRD_STORE_SKIPPED;
	}
	if (rrd_store_format(line, sizeof(line), ms, it->values,
			     rrd_store_ds_count(it->kind)) < 0)
		return RRD_STORE_FAILED;

	if (store->rrdcached != NULL) {
		size_t k = rrdcached_batch_pending(store->batch);
		if (k == store->batch_cap) {
			size_t cap = store->batch_cap ? store->batch_cap * 2 : 256;
			struct rrd_store_file **files = realloc(store->batch_files, cap * sizeof(*files));
			if (files != NULL)
				store->batch_files = files;
			unsigned char *failed = realloc(store->batch_failed, cap);
			if (failed != NULL)
				store->batch_failed = failed;
			if (files == NULL || failed == NULL)
				return RRD_STORE_FAILED;
			store->batch_cap = cap;
		}
		if (rrdcached_batch_add(store->batch, rrd_store_daemon_path(store, f->path), line) < 0)
			return RRD_STORE_FAILED;
		store->batch_files[k] = f;
		/* Optimistic, so a second sample of the same file in this drain
		 * is checked against this one; undone if the batch fails. */
		f->last_ms = ms;
		return RRD_STORE_QUEUED;
	}
	const char *argv[1] = { line };
	rrd_clear_error();
	r = rrd_update_r(f->path, NULL, 1, argv);
	if (r != 0) {
		rrd_store_file_error(store, f, "updating");
		return RRD_STORE_FAILED;
	}
	f->last_ms = ms;
	log_complain_clear(&f->complain, "rrd_store: %s: writing again", f->path);
	if (store->rrdcached && !f->dirty) {
		f->dirty = 1;
		f->dirty_next = store->dirty;
		store->dirty = f;
	}
	return RRD_STORE_WRITTEN;
}

/* Ask rrdcached to write every file we sent it data for since last time. */
static void rrd_store_daemon_flush(struct rrd_store *store)
{
	struct rrd_store_file *f = store->dirty, *next;

	store->dirty = NULL;
	for (; f != NULL; f = next) {
		next = f->dirty_next;
		f->dirty = 0;
		f->dirty_next = NULL;
		if (!store->connected)
			continue;
		rrd_clear_error();
		if (rrdc_flush(rrd_store_daemon_path(store, f->path)) != 0) {
			if (!rrdc_is_connected(store->rrdcached))
				store->connected = 0;
			log_debug("rrd_store: rrdcached flush %s: %s", f->path,
				  rrd_test_error() ? rrd_get_error() : "failed");
		}
	}
}

/*
 * Send the UPDATEs queued in this drain as one rrdcached BATCH and account
 * for each.  0 when rrdcached answered (refused commands are errors, their
 * files re-checked next time), -ENOTCONN when it could not be reached:
 * nothing is known, every file of the batch is re-checked (LAST) before its
 * next update.
 */
static int rrd_store_batch_commit(struct rrd_store *store, struct rrd_store_stats *delta)
{
	size_t n = rrdcached_batch_pending(store->batch);
	const char *why = NULL;

	if (n == 0)
		return 0;
	int r = rrdcached_batch_send(store->batch, store->batch_failed, &why);
	for (size_t i = 0; i < n; i++) {
		struct rrd_store_file *f = store->batch_files[i];
		if (r == 0 && !store->batch_failed[i]) {
			delta->written++;
			log_complain_clear(&f->complain, "rrd_store: %s: writing again", f->path);
			if (!f->dirty) {
				f->dirty = 1;
				f->dirty_next = store->dirty;
				store->dirty = f;
			}
			continue;
		}
		f->exists = 0;
		f->last_ms = RRD_STORE_LAST_UNKNOWN;
		if (r == 0 || r == -EPROTO) {
			delta->errors++;
			log_complain(&f->complain, time(NULL), LOG_ERR, "rrd_store: updating %s: %s",
				     f->path, r == 0 && why ? why : "rrdcached answered nonsense");
		}
	}
	if (r == -ENOTCONN) {
		store->connected = 0;
		log_complain(&store->conn_complain, time(NULL), LOG_ERR,
			     "rrd_store: lost rrdcached at %s while sending %zu updates",
			     store->rrdcached, n);
		return -ENOTCONN;
	}
	return 0;
}

/*
 * Process BATCH.  Returns the items not processed (rrdcached went away and
 * nobody is waiting for a flush: they go back to the queue), and adds the
 * outcome to *DELTA and *N_DONE.
 */
static struct rrd_store_item *rrd_store_process(struct rrd_store *store,
						struct rrd_store_item *batch,
						int urgent,
						struct rrd_store_stats *delta,
						uint64_t *n_done)
{
	int give_up = 0;     /* rrdcached unreachable and someone is waiting */
	int retried = 0;     /* one forced reconnect per batch, not per item */
	/* Items whose UPDATE waits in the rrdcached batch, in queue order. */
	struct rrd_store_item *pend = NULL, **pend_tail = &pend;
	size_t n_pend = 0;

	for (;;) {
		/* Commit when the batch is full or the drain is done. */
		if (n_pend > 0 && (batch == NULL || n_pend >= RRD_STORE_BATCH_MAX)) {
			if (rrd_store_batch_commit(store, delta) < 0 && !urgent) {
				/* rrdcached went away: everything goes back to
				 * the queue, in order. */
				*pend_tail = batch;
				return pend;
			}
			if (urgent && !store->connected)
				give_up = 1;
			while (pend != NULL) {
				struct rrd_store_item *next = pend->next;
				if (!store->connected)
					delta->errors++;   /* someone waits: not held hostage */
				free(pend);
				pend = next;
			}
			pend_tail = &pend;
			*n_done += n_pend;
			n_pend = 0;
		}
		if (batch == NULL)
			break;

		struct rrd_store_item *it = batch;
		enum rrd_store_outcome o = RRD_STORE_DISCONNECTED;

		if (!give_up) {
			if (store->rrdcached && rrd_store_daemon_connect(store, urgent && !retried) < 0) {
				retried = 1;
			} else {
				o = rrd_store_write(store, it, &delta->created);
				if (o == RRD_STORE_DISCONNECTED && !retried) {
					/* Try once more right away: rrdcached restarted? */
					retried = 1;
					if (rrd_store_daemon_connect(store, 1) == 0)
						o = rrd_store_write(store, it, &delta->created);
				}
			}
		}
		batch = it->next;
		switch (o) {
		case RRD_STORE_QUEUED:
			it->next = NULL;
			*pend_tail = it;
			pend_tail = &it->next;
			n_pend++;
			continue;
		case RRD_STORE_WRITTEN: delta->written++; break;
		case RRD_STORE_SKIPPED: delta->skipped++; break;
		case RRD_STORE_FAILED: delta->errors++; break;
		case RRD_STORE_DISCONNECTED:
			if (!urgent) {
				/* Back to the queue, in order: what waits in the
				 * batch first, then this item and the rest. */
				rrdcached_batch_reset(store->batch);
				for (size_t i = 0; i < n_pend; i++) {
					store->batch_files[i]->exists = 0;
					store->batch_files[i]->last_ms = RRD_STORE_LAST_UNKNOWN;
				}
				*pend_tail = it;
				return pend;
			}
			/* Someone waits for a flush: do not hold them hostage. */
			give_up = 1;
			delta->errors++;
			break;
		}
		free(it);
		(*n_done)++;
	}
	return NULL;
}

static void *rrd_store_thread(void *arg)
{
	struct rrd_store *store = arg;

	pthread_mutex_lock(&store->lock);
	for (;;) {
		while (store->head == NULL && !store->stopping &&
		       store->flush_done == store->flush_req)
			pthread_cond_wait(&store->wake, &store->lock);

		int urgent = store->stopping || store->flush_done != store->flush_req;
		if (store->rrdcached && !store->connected && store->head && !urgent) {
			struct timespec now;
			rrd_store_monotonic(&now);
			if (rrd_store_before(&now, &store->retry_at)) {
				/* rrdcached is down: let the queue buffer. */
				pthread_cond_timedwait(&store->wake, &store->lock,
						       &store->retry_at);
				continue;
			}
		}
		if (store->head == NULL && store->stopping &&
		    store->flush_done == store->flush_req)
			break;

		struct rrd_store_item *batch = store->head;
		uint64_t req = store->flush_req;
		store->head = store->tail = NULL;
		store->queue_len = 0;
		pthread_mutex_unlock(&store->lock);

		struct rrd_store_stats delta = { 0 };
		uint64_t n_done = 0;
		struct rrd_store_item *rest =
			rrd_store_process(store, batch, urgent, &delta, &n_done);
		if (urgent && store->rrdcached)
			rrd_store_daemon_flush(store);

		pthread_mutex_lock(&store->lock);
		if (rest != NULL) {
			/* Put the unwritten items back in front, in order. */
			struct rrd_store_item *last = rest;
			size_t k = 1;
			while (last->next) {
				last = last->next;
				k++;
			}
			last->next = store->head;
			if (store->head == NULL)
				store->tail = last;
			store->head = rest;
			store->queue_len += k;
		}
		store->seq_done += n_done;
		store->stats.written += delta.written;
		store->stats.created += delta.created;
		store->stats.skipped += delta.skipped;
		store->stats.errors += delta.errors;
		if (urgent)
			store->flush_done = req;
		pthread_cond_broadcast(&store->done);
	}
	pthread_mutex_unlock(&store->lock);
	return NULL;
}

/* ---- public API --------------------------------------------------------- */

/* Builds the DS and RRA argument lists for both kinds, in one allocation. */
static int rrd_store_build_create_args(struct rrd_store *store,
				       const struct rra_conf *rras, size_t n_rras)
{
	size_t per = 40;                          /* bytes per definition, generous */
	size_t n_defs = IF_DS_COUNT + DEV_DS_COUNT + 4 * n_rras;
	char *s = calloc(n_defs, per);
	if (s == NULL)
		return -ENOMEM;
	store->create_strings = s;

	for (int kind = 0; kind < 2; kind++) {
		size_t n_ds;
		const char *const *names = rrd_store_ds_names(kind, &n_ds);
		const char **argv = calloc(n_ds + 2 * n_rras, sizeof(*argv));
		if (argv == NULL)
			return -ENOMEM;
		store->create_argv[kind] = argv;
		int argc = 0;
		for (size_t i = 0; i < n_ds; i++) {
			snprintf(s, per, "DS:%s:GAUGE:%u:0:U", names[i], 2 * store->step_s);
			argv[argc++] = s;
			s += per;
		}
		for (size_t i = 0; i < n_rras; i++) {
			unsigned rstep = rras[i].step_s ? rras[i].step_s : store->step_s;
			unsigned pdp = (rstep + store->step_s - 1) / store->step_s;
			unsigned rows = rras[i].span_s / rstep;
			if (pdp < 1)
				pdp = 1;
			if (rows < 1)
				rows = 1;
			snprintf(s, per, "RRA:AVERAGE:0.5:%u:%u", pdp, rows);
			argv[argc++] = s;
			s += per;
			snprintf(s, per, "RRA:MAX:0.5:%u:%u", pdp, rows);
			argv[argc++] = s;
			s += per;
		}
		store->create_argc[kind] = argc;
	}
	return 0;
}

/* Free what rrd_store_new allocates before the thread exists; both the
 * failure path there and rrd_store_free end here. */
static void rrd_store_release(struct rrd_store *store)
{
	rrdcached_batch_free(store->batch);
	free(store->batch_files);
	free(store->batch_failed);
	free(store->create_strings);
	free(store->create_argv[0]);
	free(store->create_argv[1]);
	free(store->rrdcached);
	free(store->data_dir);
	free(store);
}

struct rrd_store *rrd_store_new(const struct rrd_store_opts *opts)
{
	struct rrd_store *store;
	pthread_condattr_t ca;
	sigset_t all, old;

	if (opts == NULL || opts->data_dir == NULL || opts->step_s == 0) {
		log_err("rrd_store: data_dir and a step of at least 1 s are required");
		return NULL;
	}
	store = calloc(1, sizeof(*store));
	if (store == NULL) {
		log_err("rrd_store: out of memory");
		return NULL;
	}
	store->data_dir = strdup(opts->data_dir);
	if (store->data_dir == NULL)
		goto nomem;
	/* "dir/" and "dir" name the same files. */
	for (size_t l = strlen(store->data_dir); l > 1 && store->data_dir[l - 1] == '/'; l--)
		store->data_dir[l - 1] = '\0';
	if (opts->rrdcached != NULL && opts->rrdcached[0] != '\0') {
		store->rrdcached = strdup(opts->rrdcached);
		store->batch = store->rrdcached ? rrdcached_batch_new(store->rrdcached) : NULL;
		if (store->rrdcached == NULL || store->batch == NULL)
			goto nomem;
		store->daemon_remote = strncmp(store->rrdcached, "unix:", 5) != 0 &&
				       store->rrdcached[0] != '/';
	}
	store->step_s = opts->step_s;
	store->queue_max = opts->queue_max ? opts->queue_max : RRD_STORE_QUEUE_DEFAULT;
	if (opts->n_rras) {
		rrd_store_build_create_args(store, opts->rras, opts->n_rras);
	} else {
		/* DESIGN.md's archives, AVERAGE and MAX of each. */
		size_t n;
		const struct rra_conf *def = config_default_rras(&n);
		rrd_store_build_create_args(store, def, n);
	}
	if (store->create_argv[0] == NULL || store->create_argv[1] == NULL)
		goto nomem;

	pthread_mutex_init(&store->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&store->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&store->done, NULL);

	/* Signals belong to the event loop's thread, not the writer. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int r = pthread_create(&store->thread, NULL, rrd_store_thread, store);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		log_err("rrd_store: cannot start the writer thread: %s", strerror(r));
		rrd_store_free(store);
		return NULL;
	}
	store->thread_started = 1;
	return store;

nomem:
	log_err("rrd_store: out of memory");
	rrd_store_release(store);
	return NULL;
}

void rrd_store_free(struct rrd_store *store)
{
	if (store == NULL)
		return;
	if (store->thread_started) {
		rrd_store_flush(store);
		pthread_mutex_lock(&store->lock);
		store->stopping = 1;
		pthread_cond_signal(&store->wake);
		pthread_mutex_unlock(&store->lock);
		pthread_join(store->thread, NULL);
	}
	while (store->head) {
		struct rrd_store_item *next = store->head->next;
		free(store->head);
		store->head = next;
	}
	if (store->rrdcached && store->connected)
		rrdc_disconnect();
	rrd_store_table_free(store);
	pthread_cond_destroy(&store->done);
	pthread_cond_destroy(&store->wake);
	pthread_mutex_destroy(&store->lock);
	rrd_store_release(store);
}

int rrd_store_update(struct rrd_store *store, enum rrd_kind kind,
		     const char *device, const char *ifname, double t,
		     const double *values)
{
	size_t dlen = strlen(device);
	size_t ilen = ifname ? strlen(ifname) : 0;
	struct rrd_store_item *it;

	/* Allocate before taking the lock: malloc may be slow. */
	it = malloc(sizeof(*it) + dlen + 1 + (ifname ? ilen + 1 : 0));
	if (it == NULL)
		return -ENOMEM;
	it->next = NULL;
	it->kind = kind;
	it->t = t;
	memcpy(it->values, values, rrd_store_ds_count(kind) * sizeof(double));
	memcpy(it->device, device, dlen + 1);
	if (ifname) {
		char *p = it->device + dlen + 1;
		memcpy(p, ifname, ilen + 1);
		it->ifname = p;
	} else {
		it->ifname = NULL;
	}

	pthread_mutex_lock(&store->lock);
	if (store->queue_len >= store->queue_max) {
		store->stats.dropped++;
		pthread_mutex_unlock(&store->lock);
		free(it);
		return -ENOBUFS;
	}
	if (store->tail)
		store->tail->next = it;
	else
		store->head = it;
	store->tail = it;
	/* Wake the writer only on the empty-to-busy edge; it drains it all. */
	if (store->queue_len++ == 0)
		pthread_cond_signal(&store->wake);
	store->seq_queued++;
	store->stats.queued++;
	pthread_mutex_unlock(&store->lock);
	return 0;
}

int rrd_store_flush(struct rrd_store *store)
{
	pthread_mutex_lock(&store->lock);
	uint64_t target = store->seq_queued;
	uint64_t req = ++store->flush_req;
	pthread_cond_signal(&store->wake);
	while (store->seq_done < target || store->flush_done < req)
		pthread_cond_wait(&store->done, &store->lock);
	pthread_mutex_unlock(&store->lock);
	return 0;
}

void rrd_store_get_stats(struct rrd_store *store, struct rrd_store_stats *out)
{
	pthread_mutex_lock(&store->lock);
	*out = store->stats;
	pthread_mutex_unlock(&store->lock);
}
