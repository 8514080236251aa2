/*
 * graph_path.h — the RRD file a graph reads, as rrd_graph must name it.
 *
 * The layout is the RRD store's (<data_dir>/rrd/<device>/device.rrd and
 * .../if/<ifName>.rrd, names escaped by name_escape so an agent's ifName
 * can never leave the directory).  Through an rrdcached on TCP, librrd
 * refuses absolute names, so the name is relative to the daemon's base
 * directory, as the store sends it (docs/storage.md).
 *
 * TODO(rrd_layout): use common/rrd_layout once it lands in main.
 */
#ifndef SERAT_GRAPH_PATH_H
#define SERAT_GRAPH_PATH_H

#include <stddef.h>

/*
 * Write the file of DEVICE (IFNAME NULL: device.rrd) under DATA_DIR into
 * BUF.  With RRDCACHED a TCP address, the name is relative ("rrd/...").
 * Returns 0 or -ENAMETOOLONG.  Pure.
 */
int graph_rrd_path(const char *data_dir, const char *rrdcached, const char *device,
		   const char *ifname, char *buf, size_t len);

/* The local file (always under DATA_DIR), to check that it exists. */
int graph_rrd_local_path(const char *data_dir, const char *device, const char *ifname,
			 char *buf, size_t len);

#endif
