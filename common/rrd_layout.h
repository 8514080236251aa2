/*
 * rrd_layout.h — where serat's RRD files are and what is inside them.
 *
 * The on-disk format in one place, usable without a running store: the
 * writer (collector/rrd_store.c), `serat status`, and the graph and report
 * code all ask here.
 *
 *   <data_dir>/rrd/<device>/device.rrd          METRIC_RRD_DEVICE
 *   <data_dir>/rrd/<device>/if/<ifName>.rrd     METRIC_RRD_INTERFACE
 *   <data_dir>/site/<site>/probe.rrd            METRIC_RRD_SITE
 *   <data_dir>/target/<owner>/<target>.rrd      METRIC_RRD_TARGET
 *   <data_dir>/rrd/<device>/optics/<port>.rrd   METRIC_RRD_OPTICS  (profiles)
 *   <data_dir>/rrd/<device>/sensors.rrd         METRIC_RRD_SENSORS (profiles)
 *   <data_dir>/rrd/<device>/onu/<onu>.rrd       METRIC_RRD_ONU     (profiles)
 *
 * Names go through name_escape(), so an agent's ifName can never leave the
 * directory.  The data sources of a file are the metrics of the registry
 * (common/metric.h) whose rrd_file is that file, in registry order: the
 * registry is the only list of DS names.  Every DS is a GAUGE (the
 * collector computes rates itself), heartbeat 2 × step, min 0 (none for
 * dBm and °C), max the metric's rrd_max or unknown.  RRAs come from the config (`rrd: {rras: …}`) or the defaults
 * below, each as AVERAGE and MAX.
 *
 * All functions are pure (no I/O) and thread-safe.
 */
#ifndef SERAT_RRD_LAYOUT_H
#define SERAT_RRD_LAYOUT_H

#include <stddef.h>

#include "common/config.h"
#include "common/metric.h"

/* The most data sources any file has (checked against the registry). */
#define RRD_LAYOUT_MAX_DS 16

/* Data sources of file kind F, and the I-th of them in file order (NULL
 * past the end or for METRIC_RRD_NONE). */
size_t rrd_layout_ds_count(enum metric_rrd_file f);
const struct metric_def *rrd_layout_ds(enum metric_rrd_file f, size_t i);

/* The position of DS name NAME in F's files, or -1. */
int rrd_layout_ds_index(enum metric_rrd_file f, const char *name);

/*
 * The file of DEVICE (F = METRIC_RRD_DEVICE, NAME unused) or of its
 * interface NAME (METRIC_RRD_INTERFACE) under DATA_DIR, written into BUF.
 * Returns 0, -ENAMETOOLONG, or -EINVAL for a kind without a file.
 */
int rrd_layout_path(const char *data_dir, enum metric_rrd_file f,
		    const char *device, const char *name, char *buf, size_t len);

/* DESIGN.md's RRAs (config_default_rras(): 1 min for 2 days, 5 min for 2
 * weeks, 30 min for 60 days, 1 day for 2 years).  Static storage; *N gets
 * the count. */
const struct rra_conf *rrd_layout_default_rras(size_t *n);

/* The rrd_create arguments ("DS:…", "RRA:…") of one file kind. */
struct rrd_layout_args {
	int argc;
	const char **argv;         /* argc strings, in one allocation with them */
};

/*
 * Fill ARGS for file kind F at poll step STEP_S (>= 1) with RRAS (N_RRAS
 * 0 = the defaults).  pdp_per_row = RRA step / STEP_S rounded up (>= 1),
 * rows = span / RRA step (>= 1).  0 or -ENOMEM / -EINVAL.  Free with
 * rrd_layout_args_cleanup().
 */
int rrd_layout_create_args(enum metric_rrd_file f, unsigned step_s,
			   const struct rra_conf *rras, size_t n_rras,
			   struct rrd_layout_args *args);
void rrd_layout_args_cleanup(struct rrd_layout_args *args);

/* About how many bytes rrd_create makes of ARGS (headers + rows × DS × 8):
 * for sizing a disk, and to tell "no room for this file" from other
 * failures when librrd does not say. */
size_t rrd_layout_args_bytes(const struct rrd_layout_args *args);

#endif
