/*
 * probe_link.h — seratd's end of the passive probe.
 *
 * When the config has a `probe:` section, seratd starts `serat-probe`
 * (fork + exec, one end of a socketpair as its --fd) with the capture
 * interface, the BPF filter, the interval, the unprivileged user and one
 * --site per site that has `subnets` — and nothing else: no config file, no
 * secrets.  The child opens the capture, drops its privileges and sends
 * fixed-size, length-checked messages (probes/probe_msg.h), read here on the
 * event loop.  Each interval's figures of a site become one sample set of
 * METRIC_OBJ_SITE metrics emitted to the sinks (the RRD sink writes
 * <data_dir>/site/<site>/probe.rrd) and the site's last values in the
 * model.  A child that dies or sends a message that cannot be one is killed
 * and started again with back-off (5 s doubling to 5 min): a bug in a
 * dissector costs an interval, never seratd.
 */
#ifndef SERAT_PROBE_LINK_H
#define SERAT_PROBE_LINK_H

#include <event2/event.h>

#include "collector/model.h"
#include "collector/sink.h"
#include "common/config.h"

struct probe_link;

/* An idle link on BASE emitting into SINKS and writing MODEL's sites (all
 * borrowed, outliving the link).  NULL on ENOMEM. */
struct probe_link *probe_link_new(struct event_base *base, struct sinks *sinks,
				  struct model *model);

/*
 * Run the probe CONF asks for (borrowed until the next call or free): start
 * the child, keep it when its arguments did not change, restart it when
 * they did, stop it when the config has no probe.  Returns 0, or a negative
 * errno when the child could not be started (logged; retried with
 * back-off).
 */
int probe_link_configure(struct probe_link *pl, const struct serat_config *conf);

/* Stops the child (SIGKILL: its interval in progress is not wanted) and
 * frees.  NULL-safe. */
void probe_link_free(struct probe_link *pl);

#endif
