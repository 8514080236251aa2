/*
 * rrd_store.c — the writer behind every RRD file.  See rrd_store.h.
 *
 * The event loop calls rrd_store_update(), which pushes one record (kind,
 * time, values, names) into a work queue (common/work_queue.c): a copy into
 * a recycled chunk under a mutex, no malloc, no I/O.  The writer thread is
 * woken at most twice per batch (the queue lingers up to linger_ms), takes
 * everything and, per record:
 *
 *   1. looks the file up in a hash table keyed by the raw (kind, device,
 *      name) bytes, so the path is escaped and formatted once per file, not
 *      per update;
 *   2. skips the update if its millisecond timestamp is not newer than the
 *      file's last one (librrd would refuse it with an error we'd log);
 *   3. the first time a file is seen, finds out once whether it exists and
 *      when it was last updated (the backend's last()), creating it
 *      otherwise — never a stat() per update;
 *   4. formats "SECONDS.MMM:v1:v2:..." and hands it to the backend, which
 *      writes it (direct) or adds it to the batch it sends at the end of
 *      the drain (rrdcached: one BATCH, one round trip, per drain).
 *
 * When rrdcached cannot be reached the handler rewinds the queue to the
 * first record whose fate is unknown and asks to be called again after the
 * backend's reconnect delay: nothing is lost while the queue has room.  A
 * flush (someone waits) is never held hostage: what cannot be sent then is
 * counted as errors.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "collector/rrd_backend.h"
#include "collector/rrd_store.h"
#include "common/log.h"
#include "common/work_queue.h"

#define RRD_STORE_LAST_UNKNOWN INT64_MIN
#define RRD_STORE_LINGER_MS 100
/* Most UPDATEs in one rrdcached BATCH: bounds the memory of a long drain. */
#define RRD_STORE_BATCH_MAX 4096
#define RRD_STORE_NAME_MAX 1024   /* a longer device or ifName is refused */

/* One queued sample.  Followed by N doubles, then "device\0name\0". */
struct rrd_store_rec {
	uint8_t kind;
	uint8_t n;                /* values */
	uint16_t dlen;            /* device, with its NUL */
	uint16_t nlen;            /* name, with its NUL; 0 for a device */
	uint16_t pad;
	double t;
};

/* What the writer knows about one file; writer thread only. */
struct rrd_store_file {
	struct rrd_store_file *hnext;
	struct rrd_store_file *dirty_next;
	uint32_t hash;
	uint8_t kind;
	uint8_t exists;           /* known to exist: no stat, no create */
	uint8_t dirty;            /* sent to rrdcached since the last FLUSH */
	int64_t last_ms;          /* last update written, or LAST_UNKNOWN */
	struct log_complain complain;
	char *path;               /* in the same allocation, after the key */
	size_t key_len;
	char key[];               /* "device\0name\0" as in the record */
};

struct rrd_store {
	/* Immutable after rrd_store_new. */
	char *data_dir;
	unsigned step_s;
	struct rrd_layout_args create[METRIC_RRD_FILE_COUNT];
	size_t n_ds[METRIC_RRD_FILE_COUNT];
	struct rrd_backend *backend;
	struct work_queue *queue;

	/* Writer counters, published once per batch. */
	pthread_mutex_t stats_lock;
	struct rrd_store_stats stats;

	/* Writer thread only. */
	struct rrd_store_file **buckets;
	size_t n_buckets, n_files;
	struct rrd_store_file *dirty;
	struct rrd_store_file **pend;   /* the file of each UPDATE the backend holds */
	size_t n_pend, pend_cap;
	struct rrd_store_stats delta;   /* this batch's counts */
	/* A failing filesystem is one problem, logged once with back-off for
	 * the whole store, not once per file (a full disk made 4,963 lines in
	 * 125 s when each file complained on its own). */
	struct log_complain fs_complain;
	uint64_t fs_failures;           /* since the last logged line */
};

/* ---- paths --------------------------------------------------------- */

int rrd_store_path_in(const char *data_dir, const char *device, const char *ifname,
		      char *buf, size_t len)
{
	return rrd_layout_path(data_dir, ifname ? METRIC_RRD_INTERFACE : METRIC_RRD_DEVICE,
			       device, ifname, buf, len);
}

int rrd_store_path(const struct rrd_store *store, const char *device,
		   const char *ifname, char *buf, size_t len)
{
	return rrd_store_path_in(store->data_dir, device, ifname, buf, len);
}

/* librrd creates "<file>XXXXXX" (mkstemp) and renames it into place. */
static int rrd_store_is_tmp(const char *name)
{
	size_t l = strlen(name);
	if (l < 4 + 6 || memcmp(name + l - 10, ".rrd", 4) != 0)
		return 0;
	for (size_t i = l - 6; i < l; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

/* Remove the temporary files in DIR; count them. */
static int rrd_store_clean_dir(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[PATH_MAX];
	int n = 0;

	if (d == NULL)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;   /* name_escape never makes a leading dot */
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		if (depth < 2 && (depth == 0 || strcmp(e->d_name, "if") == 0)) {
			struct stat st;
			if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
				int r = rrd_store_clean_dir(path, depth + 1);
				if (r > 0)
					n += r;
				continue;
			}
		}
		if (depth > 0 && rrd_store_is_tmp(e->d_name)) {
			if (unlink(path) == 0) {
				log_info("rrd_store: removed %s, left by an interrupted file creation", path);
				n++;
			} else {
				log_warn("rrd_store: cannot remove %s: %s", path, strerror(errno));
			}
		}
	}
	closedir(d);
	return n;
}

int rrd_store_clean_tmp(const char *data_dir)
{
	char dir[PATH_MAX];
	if (snprintf(dir, sizeof(dir), "%s/rrd", data_dir) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	return rrd_store_clean_dir(dir, 0);
}

/* ---- the file table (writer thread) ----------------------------------- */

static uint32_t rrd_store_hash(unsigned kind, const char *key, size_t len)
{
	uint32_t h = 2166136261u ^ kind;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
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

/* The file of record R (KEY, LEN: its names), made on first sight. */
static struct rrd_store_file *rrd_store_file_get(struct rrd_store *store, unsigned kind,
						 const char *key, size_t len,
						 const char *device, const char *name)
{
	uint32_t h = rrd_store_hash(kind, key, len);
	struct rrd_store_file *f;
	char path[PATH_MAX];

	if (store->n_buckets) {
		for (f = store->buckets[h & (store->n_buckets - 1)]; f; f = f->hnext)
			if (f->hash == h && f->kind == kind && f->key_len == len &&
			    memcmp(f->key, key, len) == 0)
				return f;
	}
	if (rrd_layout_path(store->data_dir, kind, device, name, path, sizeof(path)) < 0) {
		log_err("rrd_store: path too long for device %s", device);
		return NULL;
	}
	if (store->n_files >= store->n_buckets && rrd_store_table_grow(store) < 0)
		return NULL;
	size_t plen = strlen(path);
	f = calloc(1, sizeof(*f) + len + plen + 1);
	if (f == NULL) {
		log_err("rrd_store: out of memory");
		return NULL;
	}
	memcpy(f->key, key, len);
	f->key_len = len;
	f->path = f->key + len;
	memcpy(f->path, path, plen + 1);
	f->hash = h;
	f->kind = (uint8_t)kind;
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

/* ---- errors (writer thread) ------------------------------------------- */

/* Errors that are the filesystem's, not one file's. */
static int rrd_store_fs_error(int rc)
{
	return rc == -ENOSPC || rc == -EDQUOT || rc == -EROFS || rc == -EACCES || rc == -EPERM;
}

/* F failed (WHAT: "creating", "updating"...): forget what we knew about it
 * so its next update checks again, count it, and log with back-off. */
static void rrd_store_file_failed(struct rrd_store *store, struct rrd_store_file *f,
				  const char *what, int rc, const char *why)
{
	f->exists = 0;
	f->last_ms = RRD_STORE_LAST_UNKNOWN;
	store->delta.errors++;
	if (rrd_store_fs_error(rc) || (why && strstr(why, strerror(ENOSPC)))) {
		store->fs_failures++;
		if (log_complain(&store->fs_complain, time(NULL), LOG_ERR,
				 "rrd_store: cannot write under %s/rrd: %s (%llu failures, the latest %s %s); "
				 "polling goes on, storage resumes when this is fixed",
				 store->data_dir, rrd_store_fs_error(rc) ? strerror(-rc) : why,
				 (unsigned long long)store->fs_failures, what, f->path))
			store->fs_failures = 0;
		return;
	}
	log_complain(&f->complain, time(NULL), LOG_ERR, "rrd_store: %s %s: %s",
		     what, f->path, why && *why ? why : strerror(rc < 0 ? -rc : EIO));
}

static void rrd_store_file_ok(struct rrd_store *store, struct rrd_store_file *f)
{
	store->delta.written++;
	if (store->fs_complain.reported &&
	    log_complain_clear(&store->fs_complain, "rrd_store: writing under %s/rrd again",
			       store->data_dir))
		store->fs_failures = 0;
	log_complain_clear(&f->complain, "rrd_store: %s: writing again", f->path);
	if (store->backend->ops->flush != NULL && !f->dirty) {
		f->dirty = 1;
		f->dirty_next = store->dirty;
		store->dirty = f;
	}
}

/* ---- writing (writer thread) ------------------------------------------ */

/*
 * Make sure F exists and we know its last update; create it (with a start
 * just before T) when missing.  0, -ENOTCONN, or another negative errno
 * (logged).
 */
static int rrd_store_file_open(struct rrd_store *store, struct rrd_store_file *f, double t)
{
	const struct rrd_backend_ops *ops = store->backend->ops;
	char err[512] = "";
	time_t last = -1;

	int r = ops->last(store->backend, f->path, &last, err, sizeof(err));
	if (r == -ENOTCONN)
		return r;
	if (r == -ENOENT) {
		time_t start = (time_t)floor(t) - 1;
		r = ops->create(store->backend, f->path, store->step_s, start,
				&store->create[f->kind], err, sizeof(err));
		if (r == -ENOTCONN)
			return r;
		if (r < 0) {
			rrd_store_file_failed(store, f, "creating", r, err);
			return r;
		}
		store->delta.created++;
		f->last_ms = (int64_t)start * 1000;
	} else if (r < 0) {
		rrd_store_file_failed(store, f, "reading", r, err);
		return r;
	} else {
		/* The file holds whole seconds only: assume the worst. */
		f->last_ms = (int64_t)last * 1000 + 999;
	}
	f->exists = 1;
	return 0;
}

/* Decimal digits of U, written backwards ending at END; returns the start. */
static char *rrd_store_utoa(char *end, unsigned long long u)
{
	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	return end;
}

/*
 * One value.  Integers (oper, reachable, most counters' rates at a whole
 * second) are printed without printf; anything else with "%.15g", which
 * keeps what a double can carry.  Non-finite is "U".
 */
static int rrd_store_format_value(char *buf, size_t len, double v)
{
	if (!isfinite(v))
		return snprintf(buf, len, "U");
	if (v == floor(v) && fabs(v) < 1e15) {
		char tmp[24], *end = tmp + sizeof(tmp);
		char *p = rrd_store_utoa(end, (unsigned long long)fabs(v));
		if (v < 0)
			*--p = '-';
		size_t n = (size_t)(end - p);
		if (n >= len)
			return -1;
		memcpy(buf, p, n);
		buf[n] = '\0';
		return (int)n;
	}
	return snprintf(buf, len, "%.15g", v);
}

/* "SECONDS.MMM:v1:...:vN".  Returns 0 or -ENOBUFS. */
static int rrd_store_format(char *buf, size_t len, int64_t ms, const double *v, size_t n)
{
	int w = snprintf(buf, len, "%lld.%03d", (long long)(ms / 1000), (int)(ms % 1000));
	size_t pos = (size_t)w;

	for (size_t i = 0; i < n; i++) {
		if (pos + 2 >= len)
			return -ENOBUFS;
		buf[pos++] = ':';
		w = rrd_store_format_value(buf + pos, len - pos, v[i]);
		if (w < 0 || (size_t)w >= len - pos)
			return -ENOBUFS;
		pos += (size_t)w;
	}
	return 0;
}

enum rrd_store_outcome { RRD_STORE_DONE, RRD_STORE_QUEUED, RRD_STORE_DISCONNECTED };


/* Remember F as the file of the update the backend just queued. */
static int rrd_store_pend(struct rrd_store *store, struct rrd_store_file *f)
{
	if (store->n_pend == store->pend_cap) {
		size_t cap = store->pend_cap ? store->pend_cap * 2 : 256;
		struct rrd_store_file **p = realloc(store->pend, cap * sizeof(*p));
		if (p == NULL)
			return -ENOMEM;
		store->pend = p;
		store->pend_cap = cap;
	}
	store->pend[store->n_pend++] = f;
	return 0;
}

static enum rrd_store_outcome rrd_store_write(struct rrd_store *store, const void *data,
					      size_t len)
{
	struct rrd_store_rec rec;
	char line[64 + RRD_STORE_MAX_DS * 32];
	char err[512] = "";

	if (len < sizeof(rec)) {
		store->delta.errors++;
		return RRD_STORE_DONE;
	}
	memcpy(&rec, data, sizeof(rec));
	const double *values = (const double *)((const char *)data + sizeof(rec));
	const char *key = (const char *)(values + rec.n);
	size_t key_len = (size_t)rec.dlen + rec.nlen;
	const char *device = key, *name = rec.nlen ? key + rec.dlen : NULL;

	struct rrd_store_file *f = rrd_store_file_get(store, rec.kind, key, key_len, device, name);
	if (f == NULL) {
		store->delta.errors++;
		return RRD_STORE_DONE;
	}
	int64_t ms = (int64_t)llround(rec.t * 1000.0);
	if (f->last_ms != RRD_STORE_LAST_UNKNOWN && ms <= f->last_ms) {
		store->delta.skipped++;
		return RRD_STORE_DONE;
	}
	if (!f->exists) {
		int r = rrd_store_file_open(store, f, rec.t);
		if (r == -ENOTCONN)
			return RRD_STORE_DISCONNECTED;
		if (r < 0)
			return RRD_STORE_DONE;
		if (ms <= f->last_ms) {
			store->delta.skipped++;
			return RRD_STORE_DONE;
		}
	}
	if (rrd_store_format(line, sizeof(line), ms, values, rec.n) < 0) {
		store->delta.errors++;
		return RRD_STORE_DONE;
	}
	int r = store->backend->ops->update(store->backend, f->path, line, f, err, sizeof(err));
	if (r == 1) {
		if (rrd_store_pend(store, f) < 0) {
			/* Cannot track it: the batch must go now, this one lost. */
			store->delta.errors++;
			return RRD_STORE_DONE;
		}
		/* Optimistic, so a second sample of the same file in this drain
		 * is checked against this one; undone if the batch fails. */
		f->last_ms = ms;
		return RRD_STORE_QUEUED;
	}
	if (r == -ENOTCONN)
		return RRD_STORE_DISCONNECTED;
	if (r < 0) {
		rrd_store_file_failed(store, f, "updating", r, err);
		return RRD_STORE_DONE;
	}
	f->last_ms = ms;
	rrd_store_file_ok(store, f);
	return RRD_STORE_DONE;
}

/* A committed UPDATE's outcome (rrd_backend_done_fn). */
static void rrd_store_done(void *ctx, void *tag, int rc, const char *why)
{
	struct rrd_store *store = ctx;
	struct rrd_store_file *f = tag;

	if (rc == 0) {
		rrd_store_file_ok(store, f);
	} else if (rc == -ENOTCONN) {
		/* Fate unknown: the record is offered again, the file re-checked. */
		f->exists = 0;
		f->last_ms = RRD_STORE_LAST_UNKNOWN;
	} else {
		rrd_store_file_failed(store, f, "updating", rc, why);
	}
}

/* The backend's batch will not be sent: its files are re-checked. */
static void rrd_store_discard(struct rrd_store *store)
{
	store->backend->ops->discard(store->backend);
	for (size_t i = 0; i < store->n_pend; i++) {
		store->pend[i]->exists = 0;
		store->pend[i]->last_ms = RRD_STORE_LAST_UNKNOWN;
	}
	store->n_pend = 0;
}

static int rrd_store_commit(struct rrd_store *store)
{
	if (store->n_pend == 0)
		return 0;
	int r = store->backend->ops->commit(store->backend, rrd_store_done, store);
	store->n_pend = 0;
	return r;
}

/* Ask rrdcached to write every file we sent it data for since last time. */
static void rrd_store_flush_files(struct rrd_store *store)
{
	struct rrd_store_file *f = store->dirty, *next;

	store->dirty = NULL;
	for (; f != NULL; f = next) {
		next = f->dirty_next;
		f->dirty = 0;
		f->dirty_next = NULL;
		store->backend->ops->flush(store->backend, f->path);
	}
}

static void rrd_store_publish(struct rrd_store *store)
{
	pthread_mutex_lock(&store->stats_lock);
	store->stats.written += store->delta.written;
	store->stats.created += store->delta.created;
	store->stats.skipped += store->delta.skipped;
	store->stats.errors += store->delta.errors;
	pthread_mutex_unlock(&store->stats_lock);
	memset(&store->delta, 0, sizeof(store->delta));
}

/* The work queue's handler: see the top of this file. */
static long rrd_store_run(void *ctx, struct work_batch *b, int urgent)
{
	struct rrd_store *store = ctx;
	const struct rrd_backend_ops *ops = store->backend->ops;
	long retry_ms = 0;
	int give_up = 0;       /* unreachable and someone waits: count, drop */
	int retried = 0;       /* one forced reconnect per batch, not per record */
	struct work_mark first_pend = work_batch_mark(b);
	const void *data;
	size_t len;

	if (ops->ready(store->backend, urgent, &retry_ms) < 0) {
		if (!urgent)
			return retry_ms > 0 ? retry_ms : 1000;
		give_up = 1;
	}
	for (;;) {
		struct work_mark here = work_batch_mark(b);
		int full = store->n_pend >= RRD_STORE_BATCH_MAX;

		/* Nothing pending: the first record of unknown fate is this one. */
		if (store->n_pend == 0)
			first_pend = here;
		data = full ? NULL : work_batch_next(b, &len);
		if (data == NULL) {
			/* The end of the drain, or a full batch: send it. */
			if (rrd_store_commit(store) == 0) {
				if (!full)
					break;
				continue;
			}
			/* -ENOTCONN: each of its files was reset by rrd_store_done. */
		} else if (give_up) {
			store->delta.errors++;
			continue;
		} else if (rrd_store_write(store, data, len) != RRD_STORE_DISCONNECTED) {
			continue;
		} else {
			rrd_store_discard(store);
		}
		/* rrdcached went away: everything from the first record whose
		 * fate is unknown is offered again. */
		work_batch_rewind(b, first_pend);
		if (!retried) {
			/* Try once more right away: rrdcached restarted? */
			retried = 1;
			if (ops->ready(store->backend, 1, &retry_ms) == 0)
				continue;
		}
		if (!urgent) {
			rrd_store_publish(store);
			return retry_ms > 0 ? retry_ms : 1000;
		}
		give_up = 1;   /* someone waits: do not hold them hostage */
	}
	if (urgent && ops->flush != NULL)
		rrd_store_flush_files(store);
	rrd_store_publish(store);
	return 0;
}

/* ---- public API --------------------------------------------------------- */

struct rrd_store *rrd_store_new(const struct rrd_store_opts *opts)
{
	struct rrd_store *store;

	if (opts == NULL || opts->data_dir == NULL || opts->step_s == 0) {
		log_err("rrd_store: data_dir and a step of at least 1 s are required");
		return NULL;
	}
	store = calloc(1, sizeof(*store));
	if (store == NULL) {
		log_err("rrd_store: out of memory");
		return NULL;
	}
	pthread_mutex_init(&store->stats_lock, NULL);
	store->data_dir = strdup(opts->data_dir);
	if (store->data_dir == NULL)
		goto nomem;
	/* "dir/" and "dir" name the same files. */
	for (size_t l = strlen(store->data_dir); l > 1 && store->data_dir[l - 1] == '/'; l--)
		store->data_dir[l - 1] = '\0';
	store->step_s = opts->step_s;
	for (int k = METRIC_RRD_DEVICE; k < METRIC_RRD_FILE_COUNT; k++) {
		store->n_ds[k] = rrd_layout_ds_count(k);
		if (rrd_layout_create_args(k, opts->step_s, opts->rras, opts->n_rras,
					   &store->create[k]) < 0)
			goto nomem;
	}
	if (opts->rrdcached != NULL && opts->rrdcached[0] != '\0')
		store->backend = rrd_backend_daemon_new(opts->rrdcached, store->data_dir);
	else
		store->backend = rrd_backend_direct_new();
	if (store->backend == NULL)
		goto fail;
	if (store->backend->files_local) {
		int n = rrd_store_clean_tmp(store->data_dir);
		if (n > 0)
			store->stats.tmp_removed = (uint64_t)n;
		else if (n < 0)
			log_warn("rrd_store: cannot look for leftover temporary files in %s/rrd: %s",
				 store->data_dir, strerror(-n));
	}
	struct work_queue_conf qc = {
		.name = "rrd_store",
		.max_items = opts->queue_max,
		.linger_ms = opts->linger_ms == (unsigned)-1 ? 0 :
			     opts->linger_ms ? opts->linger_ms : RRD_STORE_LINGER_MS,
		.run = rrd_store_run,
		.ctx = store,
	};
	store->queue = work_queue_new(&qc);
	if (store->queue == NULL)
		goto fail;
	return store;

nomem:
	log_err("rrd_store: out of memory");
fail:
	rrd_store_free(store);
	return NULL;
}

void rrd_store_free(struct rrd_store *store)
{
	if (store == NULL)
		return;
	/* Handles what is still queued (flushing rrdcached), then stops. */
	work_queue_free(store->queue);
	rrd_backend_free(store->backend);
	rrd_store_table_free(store);
	for (int k = 0; k < METRIC_RRD_FILE_COUNT; k++)
		rrd_layout_args_cleanup(&store->create[k]);
	free(store->pend);
	free(store->data_dir);
	pthread_mutex_destroy(&store->stats_lock);
	free(store);
}

int rrd_store_update(struct rrd_store *store, enum rrd_kind kind,
		     const char *device, const char *ifname, double t,
		     const double *values)
{
	size_t dlen = strlen(device) + 1;
	size_t nlen = ifname ? strlen(ifname) + 1 : 0;
	size_t n = (unsigned)kind < METRIC_RRD_FILE_COUNT ? store->n_ds[kind] : 0;

	if (n == 0 || dlen > RRD_STORE_NAME_MAX || nlen > RRD_STORE_NAME_MAX ||
	    (kind == RRD_KIND_INTERFACE || kind == RRD_KIND_TARGET || kind == RRD_KIND_OPTICS ||
	     kind == RRD_KIND_ONU) != (ifname != NULL))
		return -EINVAL;
	struct rrd_store_rec rec = {
		.kind = (uint8_t)kind, .n = (uint8_t)n,
		.dlen = (uint16_t)dlen, .nlen = (uint16_t)nlen, .t = t,
	};
	struct iovec iov[4] = {
		{ &rec, sizeof(rec) },
		{ (void *)values, n * sizeof(double) },
		{ (void *)device, dlen },
		{ (void *)ifname, nlen },
	};
	int r = work_queue_push(store->queue, iov, ifname ? 4 : 3);
	return r == -EMSGSIZE ? -EINVAL : r;
}

int rrd_store_flush(struct rrd_store *store)
{
	return work_queue_flush(store->queue);
}

void rrd_store_get_stats(struct rrd_store *store, struct rrd_store_stats *out)
{
	struct work_queue_stats q;

	work_queue_get_stats(store->queue, &q);
	pthread_mutex_lock(&store->stats_lock);
	*out = store->stats;
	pthread_mutex_unlock(&store->stats_lock);
	out->queued = q.pushed;
	out->dropped = q.refused;
}

int rrd_store_stored_nothing(struct rrd_store *store)
{
	struct rrd_store_stats st;
	rrd_store_get_stats(store, &st);
	return st.queued + st.dropped > 0 && st.written + st.skipped == 0;
}
