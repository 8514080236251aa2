/*
 * icmp_link.h — the active ICMP prober inside seratd.
 *
 * Runs probes/icmp_probe on seratd's loop for the targets of the config
 * (`icmp: true | [ADDR...]` on devices, `icmp: [ADDR...]` on sites; resolved
 * at config load, so no DNS here) and turns each target's interval into a
 * METRIC_OBJ_TARGET sample set: the RRD sink writes
 * <data_dir>/target/<device or site>/<address>.rrd, and alert rules can name
 * `target.loss_pct`, `target.rtt_ms`, ...  A reload starts a new prober for
 * the new targets (the interval in progress is dropped, as a poll cut short
 * by a reload is).  When no socket can be had (no CAP_NET_RAW and no
 * ping_group_range for us) the prober's own message says which sysctl or
 * capability fixes it; seratd logs it once and polls on.
 */
#ifndef SERAT_ICMP_LINK_H
#define SERAT_ICMP_LINK_H

#include <event2/event.h>

#include "collector/sink.h"
#include "common/config.h"

struct icmp_link;

/* An idle link on BASE emitting into SINKS (both borrowed).  NULL on ENOMEM. */
struct icmp_link *icmp_link_new(struct event_base *base, struct sinks *sinks);

/* Probe CONF's targets (CONF borrowed until the next call or free).
 * Returns 0, or a negative errno when the prober could not start (logged). */
int icmp_link_configure(struct icmp_link *il, const struct serat_config *conf);

/* NULL-safe. */
void icmp_link_free(struct icmp_link *il);

#endif
