/*
 * rrd_backend.h — how the RRD writer reaches its files.
 *
 * Two backends behind one small interface, so the writer
 * (collector/rrd_store.c) has no "if (rrdcached)" branches:
 *
 *   direct   librrd in this process: rrd_last_r, rrd_create_r2,
 *            rrd_update_r; every update is written when it is handed over;
 *   daemon   an rrdcached (unix socket or TCP): CREATE, LAST and FLUSH
 *            through librrd's rrdc_* client, UPDATEs collected and sent as
 *            one BATCH per commit (collector/rrdcached_batch.c), with a
 *            reconnect back-off when the daemon is gone.
 *
 * Every call happens on the writer thread.  Paths are the local ones
 * (common/rrd_layout.c); a backend translates them if it must (a remote
 * rrdcached gets them relative to the data directory).  Errors are a
 * negative errno (-ENOSPC for a full disk, -ENOTCONN when the daemon cannot
 * be reached, -ENOENT from last() for a missing file, -EIO when nothing
 * better is known) plus a human text in ERR.
 */
#ifndef SERAT_RRD_BACKEND_H
#define SERAT_RRD_BACKEND_H

#include <stddef.h>
#include <time.h>

#include "common/rrd_layout.h"

struct rrd_backend;

/* A queued update's outcome: 0 written, or a negative errno and WHY. */
typedef void (*rrd_backend_done_fn)(void *ctx, void *tag, int rc, const char *why);

struct rrd_backend_ops {
	const char *name;
	/* Be able to work (connect if needed).  FORCE skips the reconnect
	 * back-off.  0, or -ENOTCONN with *RETRY_MS until the next attempt. */
	int (*ready)(struct rrd_backend *b, int force, long *retry_ms);
	/* PATH's last update time (whole seconds) in *LAST. */
	int (*last)(struct rrd_backend *b, const char *path, time_t *last,
		    char *err, size_t errlen);
	/* Create PATH (never overwriting), its directories too. */
	int (*create)(struct rrd_backend *b, const char *path, unsigned step_s,
		      time_t start, const struct rrd_layout_args *args,
		      char *err, size_t errlen);
	/* Write LINE ("T:v1:...:vN") to PATH.  0 written; 1 queued (its
	 * outcome comes through commit with TAG); or a negative errno. */
	int (*update)(struct rrd_backend *b, const char *path, const char *line,
		      void *tag, char *err, size_t errlen);
	/* Updates queued and not yet committed. */
	size_t (*pending)(struct rrd_backend *b);
	/* Send the queued updates, report each through DONE, in order.
	 * Returns 0, or -ENOTCONN (every one reported with -ENOTCONN). */
	int (*commit)(struct rrd_backend *b, rrd_backend_done_fn done, void *ctx);
	/* Forget the queued updates without sending them. */
	void (*discard)(struct rrd_backend *b);
	/* Make PATH's updates reach the file (rrdcached FLUSH).  May be NULL:
	 * the file is already written. */
	int (*flush)(struct rrd_backend *b, const char *path);
	void (*free)(struct rrd_backend *b);
};

struct rrd_backend {
	const struct rrd_backend_ops *ops;
	int files_local;           /* the files are on our filesystem */
};

/* Direct librrd writes.  NULL on ENOMEM. */
struct rrd_backend *rrd_backend_direct_new(void);

/* Through the rrdcached at ADDRESS ("unix:/path", "/path", "host:port"),
 * for files under DATA_DIR.  Both copied.  NULL (logged) on a bad address
 * or ENOMEM.  Connects lazily. */
struct rrd_backend *rrd_backend_daemon_new(const char *address, const char *data_dir);

/* Free B through its ops.  NULL-safe. */
void rrd_backend_free(struct rrd_backend *b);

/*
 * After a failed librrd call: a negative errno for it (SAVED_ERRNO if set,
 * else what librrd's message names, else -EIO) and the message in ERR
 * (librrd's text, else strerror).  Clears librrd's error.
 */
int rrd_backend_error(int saved_errno, char *err, size_t errlen);

/* mkdir -p of PATH's directory.  0 or -errno. */
int rrd_backend_mkdir_parents(const char *path);

#endif
