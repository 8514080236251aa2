/*
 * probe_engine.h — the passive probe's packet path: decode, flow analysis,
 * site attribution and per-interval, per-site figures.
 *
 * Used by `serat probe --read` and by the capture child; knows nothing of
 * where packets come from or where the figures go.  Intervals are aligned
 * to multiples of the interval on the capture's clock (as RRD steps are);
 * when a packet's time passes the end of the current interval, the
 * interval is handed to the emit callback and a new one starts with that
 * packet.  Intervals without packets are not emitted by the packet path;
 * a live caller closes them with probe_engine_advance().
 *
 * Sites: a packet counts for the site of its source and the site of its
 * destination (once when both are the same site).  Addresses in no
 * configured subnet belong to the fallback site, "other"; without
 * configured subnets the fallback site is "all" and holds everything.
 * Frames that are not IP or cannot be decoded count for the fallback site
 * and, when undecodable, in decode_errors.
 */
#ifndef SERAT_PROBES_PROBE_ENGINE_H
#define SERAT_PROBES_PROBE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "common/cidr.h"
#include "probes/probe_stats.h"

struct probe_engine;

/* Called for each closed interval; read it with the accessors below
 * (valid only during the call). */
typedef void (*probe_emit_fn)(void *arg, struct probe_engine *e, int64_t start_ns);

/*
 * A new engine: INTERVAL_S seconds per interval (> 0), a flow table of at
 * most FLOW_MEM_BYTES.  Returns NULL (errno EINVAL or ENOMEM).  Caller frees.
 */
struct probe_engine *probe_engine_new(unsigned interval_s, size_t flow_mem_bytes,
				      probe_emit_fn emit, void *arg);
void probe_engine_free(struct probe_engine *e);   /* NULL-safe */

/* Add a site with its subnets, before the first packet.  NAME is copied.
 * Returns the site's index, -EEXIST (a subnet already belongs to another
 * site), -EBUSY (packets already seen), -ENOSPC (32,766 sites) or -ENOMEM. */
int probe_engine_add_site(struct probe_engine *e, const char *name,
			  const struct cidr *nets, size_t n_nets);

/* The capture's libpcap DLT.  Returns 0 or -EPROTONOSUPPORT. */
int probe_engine_set_dlt(struct probe_engine *e, int dlt);

/* One captured frame at TS_NS (ns since the epoch). */
void probe_engine_packet(struct probe_engine *e, const uint8_t *data, size_t caplen,
			 size_t wirelen, int64_t ts_ns);

/* Close the current interval if NOW_NS is past its end (live capture:
 * call from a timer).  Emits an empty interval too once one has begun. */
void probe_engine_advance(struct probe_engine *e, int64_t now_ns);

/* Emit the interval in progress, if it saw packets. */
void probe_engine_finish(struct probe_engine *e);

/* Accessors.  Site indexes run from 0 to probe_engine_n_sites() - 1; the
 * last one is the fallback site. */
size_t probe_engine_n_sites(const struct probe_engine *e);
const char *probe_engine_site_name(const struct probe_engine *e, size_t i);
unsigned probe_engine_interval_s(const struct probe_engine *e);
/* The closing interval's site I (during emit). */
void probe_engine_site_summary(struct probe_engine *e, size_t i, struct probe_summary *out);
uint64_t probe_engine_interval_decode_errors(const struct probe_engine *e);
/* The whole run, all sites together, every packet once. */
void probe_engine_total(struct probe_engine *e, struct probe_summary *out);
uint64_t probe_engine_decode_errors(const struct probe_engine *e);
uint64_t probe_engine_flow_evictions(const struct probe_engine *e);
size_t probe_engine_flow_bytes(const struct probe_engine *e);

#endif
