/*
 * rrd_sink.h — the RRD store as a sink (collector/sink.h).
 *
 * Sample sets of devices and interfaces become rrd_store_update() calls:
 * each metric goes to its registry data source (common/metric.h), scaled
 * by the registry's rrd_scale.  Metrics of other objects, or without an RRD
 * file, are ignored here.  A reload that changes where or how files are
 * written (data_dir, rrdcached, interval, RRAs) flushes the old store and
 * starts a new one; any other reload keeps it.
 */
#ifndef SERAT_RRD_SINK_H
#define SERAT_RRD_SINK_H

#include "collector/rrd_store.h"
#include "collector/sink.h"

/*
 * Register an RRD sink for CONF (borrowed, see sink_ops.reload) in SINKS.
 * Returns 0, or a negative errno when the store cannot start (logged).
 */
int rrd_sink_add(struct sinks *sinks, const struct serat_config *conf);

/*
 * The store behind the RRD sink of SINKS, or NULL when none is registered
 * (`seratd --no-store`).  Borrowed; valid until the next reload.  For
 * statistics and file paths only.
 */
struct rrd_store *rrd_sink_store(struct sinks *sinks);

#endif
