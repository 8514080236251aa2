/*
 * rrd_store.h — the RRD files behind every device and interface.
 *
 * The layout (paths, DS names and order, RRAs) is common/rrd_layout.h's;
 * this is the writer.  All values are rates or gauges computed by the
 * collector (DS type GAUGE): the collector knows about wraps and reboots,
 * RRD's COUNTER type does not.  NAN means unknown and is stored as "U": a
 * gap, never a zero.
 *
 * The event loop never touches the disk: rrd_store_update() copies the
 * sample into a work queue (common/work_queue.h) and returns; one writer
 * thread creates missing files and writes them through a backend
 * (collector/rrd_backend.h): librrd directly, or an rrdcached when one is
 * configured.  Timestamps carry milliseconds so two polls in one second
 * never collide; an update not newer than the file's last one is counted
 * as skipped, not written.
 *
 * Failures: an error of the filesystem as a whole (no space, quota,
 * read-only, permission) is logged for the store, with back-off, not per
 * file; other errors per file with back-off.  Nothing is retried: the next
 * sample of a failing file tries again, so storage resumes by itself.
 */
#ifndef SERAT_RRD_STORE_H
#define SERAT_RRD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "common/metric.h"
#include "common/rrd_layout.h"

/* Which file: the values are common/metric.h's, named for the store. */
enum rrd_kind {
	RRD_KIND_DEVICE = METRIC_RRD_DEVICE,
	RRD_KIND_INTERFACE = METRIC_RRD_INTERFACE,
	RRD_KIND_SITE = METRIC_RRD_SITE,           /* device = the site's name */
	RRD_KIND_TARGET = METRIC_RRD_TARGET,       /* device = owner, ifname = target */
	RRD_KIND_OPTICS = METRIC_RRD_OPTICS,     /* per port; device profiles */
	RRD_KIND_SENSORS = METRIC_RRD_SENSORS,   /* per device */
	RRD_KIND_ONU = METRIC_RRD_ONU,           /* per ONU */
};

/* Positions of the values in rrd_store_update's array: the registry's DS
 * order (common/rrd_layout.h), not a list of their own. */
enum if_ds {
	IF_DS_IN_BPS = METRIC_IF_IN_BPS - METRIC_IF_FIRST,
	IF_DS_OUT_BPS = METRIC_IF_OUT_BPS - METRIC_IF_FIRST,
	IF_DS_IN_PPS = METRIC_IF_IN_PPS - METRIC_IF_FIRST,
	IF_DS_OUT_PPS = METRIC_IF_OUT_PPS - METRIC_IF_FIRST,
	IF_DS_IN_ERR = METRIC_IF_IN_ERRORS_PS - METRIC_IF_FIRST,
	IF_DS_OUT_ERR = METRIC_IF_OUT_ERRORS_PS - METRIC_IF_FIRST,
	IF_DS_IN_DISC = METRIC_IF_IN_DISCARDS_PS - METRIC_IF_FIRST,
	IF_DS_OUT_DISC = METRIC_IF_OUT_DISCARDS_PS - METRIC_IF_FIRST,
	IF_DS_UTIL = METRIC_IF_UTIL_PCT - METRIC_IF_FIRST,
	IF_DS_OPER = METRIC_IF_OPER - METRIC_IF_FIRST,
	IF_DS_COUNT = METRIC_IF_N
};
enum dev_ds {
	DEV_DS_REACHABLE = METRIC_DEVICE_REACHABLE - METRIC_DEVICE_FIRST,
	DEV_DS_RTT = METRIC_DEVICE_RTT_MS - METRIC_DEVICE_FIRST,
	DEV_DS_UPTIME = METRIC_DEVICE_UPTIME_S - METRIC_DEVICE_FIRST,
	DEV_DS_COUNT = METRIC_DEVICE_N
};
#define RRD_STORE_MAX_DS RRD_LAYOUT_MAX_DS

struct rrd_store_opts {
	const char *data_dir;      /* files go under <data_dir>/rrd/ */
	const char *rrdcached;     /* NULL = write files directly */
	unsigned step_s;           /* the poll interval, >= 1 */
	const struct rra_conf *rras;
	size_t n_rras;             /* 0 = DESIGN.md defaults */
	size_t queue_max;          /* pending updates before dropping; 0 = 1M */
	unsigned linger_ms;        /* batch for at most this long; 0 = 100 ms,
	                              (unsigned)-1 = write at once */
};

struct rrd_store_stats {
	uint64_t queued;           /* accepted by rrd_store_update */
	uint64_t written;          /* updates that reached a file/rrdcached */
	uint64_t created;          /* files created */
	uint64_t skipped;          /* not newer than the file's last update */
	uint64_t errors;           /* create/update failures */
	uint64_t dropped;          /* queue full */
	uint64_t tmp_removed;      /* half-created files removed at start */
};

struct rrd_store;

/* Starts the writer thread.  Copies OPTS.  When the files are on this
 * machine (direct, or rrdcached on a unix socket) it first removes the
 * temporary files a kill during rrd_create left in <data_dir>/rrd
 * ("<name>.rrdXXXXXX").  NULL on failure (logged). */
struct rrd_store *rrd_store_new(const struct rrd_store_opts *opts);

/* Writes everything still queued, stops the thread, frees.  NULL-safe. */
void rrd_store_free(struct rrd_store *store);

/*
 * The file for DEVICE (IFNAME NULL) or one of its interfaces, written into
 * BUF.  Returns 0, or -ENAMETOOLONG.  Pure (does not touch the disk).
 */
int rrd_store_path(const struct rrd_store *store, const char *device,
		   const char *ifname, char *buf, size_t len);

/* The same for a store rooted at DATA_DIR, without a running store. */
int rrd_store_path_in(const char *data_dir, const char *device, const char *ifname,
		      char *buf, size_t len);

/*
 * Queue one sample: VALUES holds the kind's DS count of doubles (NAN =
 * unknown), T is wall-clock seconds with a fraction.  Copies everything;
 * never blocks on I/O.  Returns 0, or -ENOBUFS when the queue is full (the
 * sample is dropped and counted).
 */
int rrd_store_update(struct rrd_store *store, enum rrd_kind kind,
		     const char *device, const char *ifname, double t,
		     const double *values);

/* Block until every update queued before the call is written.  Returns 0. */
int rrd_store_flush(struct rrd_store *store);

void rrd_store_get_stats(struct rrd_store *store, struct rrd_store_stats *out);

/*
 * 1 when updates were handed to the store and none of them reached a file
 * (every one failed or was dropped): what `seratd --cycles N` reports as a
 * failure.  Call after rrd_store_flush().  0 otherwise (also when nothing
 * was queued).
 */
int rrd_store_stored_nothing(struct rrd_store *store);

/* Remove "<name>.rrdXXXXXX" files (librrd's temporary names during
 * rrd_create) under DIR/rrd/<device>/ and DIR/rrd/<device>/if/.  Returns
 * how many were removed, or a negative errno when DIR/rrd is unreadable
 * (a missing one is 0). */
int rrd_store_clean_tmp(const char *data_dir);

#endif
