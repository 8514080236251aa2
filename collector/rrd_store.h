/*
 * rrd_store.h — the RRD files behind every device and interface.
 *
 * Layout (DESIGN.md): <data_dir>/rrd/<device>/device.rrd for the device and
 * <data_dir>/rrd/<device>/if/<ifname>.rrd per interface, both names escaped
 * by name_escape() so an agent-supplied ifName can never leave the directory.
 *
 * All values are rates or gauges computed by the collector (DS type GAUGE):
 * the collector knows about wraps and reboots, RRD's COUNTER type does not.
 * NAN means unknown and is stored as "U": a gap, never a zero.
 *
 * The event loop never touches the disk: rrd_store_update() copies the sample
 * into a queue and returns; one writer thread creates missing files
 * (rrd_create_r) and writes them (rrd_update_r), or, when an rrdcached address
 * is configured, sends them through librrd's rrd_client_* API (and creates
 * files through the daemon too, so a remote rrdcached works).  Timestamps
 * carry milliseconds so two polls in one second never collide; an update not
 * newer than the file's last one is counted as skipped, not written.
 */
#ifndef SERAT_RRD_STORE_H
#define SERAT_RRD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "common/config.h"

enum rrd_kind { RRD_KIND_INTERFACE, RRD_KIND_DEVICE };

/* Data sources, in file order.  Names are part of the on-disk format. */
enum if_ds {
	IF_DS_IN_BPS,      /* "in"      bits/s */
	IF_DS_OUT_BPS,     /* "out"     bits/s */
	IF_DS_IN_PPS,      /* "inpkt"   unicast packets/s */
	IF_DS_OUT_PPS,     /* "outpkt" */
	IF_DS_IN_ERR,      /* "inerr"   errors/s */
	IF_DS_OUT_ERR,     /* "outerr" */
	IF_DS_IN_DISC,     /* "indisc"  discards/s */
	IF_DS_OUT_DISC,    /* "outdisc" */
	IF_DS_UTIL,        /* "util"    max(in, out) as % of ifHighSpeed */
	IF_DS_OPER,        /* "oper"    1 up, 0 not up */
	IF_DS_COUNT
};
enum dev_ds {
	DEV_DS_REACHABLE,  /* "reachable" 1/0 */
	DEV_DS_RTT,        /* "rtt"       SNMP response time, seconds */
	DEV_DS_UPTIME,     /* "uptime"    seconds, from sysUpTime */
	DEV_DS_COUNT
};
#define RRD_STORE_MAX_DS IF_DS_COUNT

/* DS names of a kind, and how many. */
const char *const *rrd_store_ds_names(enum rrd_kind kind, size_t *n);

struct rrd_store_opts {
	const char *data_dir;      /* files go under <data_dir>/rrd/ */
	const char *rrdcached;     /* NULL = write files directly */
	unsigned step_s;           /* the poll interval, >= 1 */
	const struct rra_conf *rras;
	size_t n_rras;             /* 0 = DESIGN.md defaults */
	size_t queue_max;          /* pending updates before dropping; 0 = 1M */
};

struct rrd_store_stats {
	uint64_t queued;           /* accepted by rrd_store_update */
	uint64_t written;          /* updates that reached a file/rrdcached */
	uint64_t created;          /* files created */
	uint64_t skipped;          /* not newer than the file's last update */
	uint64_t errors;           /* create/update failures */
	uint64_t dropped;          /* queue full */
};

struct rrd_store;

/* Starts the writer thread.  Copies OPTS.  NULL on failure (logged). */
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

#endif
