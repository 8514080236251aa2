/*
 * icmp_link.c — the ICMP prober's results into sample sets.  See
 * icmp_link.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "collector/icmp_link.h"
#include "common/log.h"
#include "probes/icmp_probe.h"

struct icmp_link {
	struct event_base *base;
	struct sinks *sinks;
	const struct serat_config *conf;
	struct icmp_probe *probe;
};

static void icmp_link_on_result(const struct icmp_probe_result *r, void *arg)
{
	struct icmp_link *il = arg;
	const struct serat_config *c = il->conf;
	if (r->target >= c->icmp.n_targets)
		return;
	const struct icmp_target_conf *t = &c->icmp.targets[r->target];
	static const enum metric_id ids[METRIC_TARGET_N] = {
		METRIC_TARGET_LOSS_PCT, METRIC_TARGET_RTT_MS, METRIC_TARGET_RTT_MIN_MS,
		METRIC_TARGET_RTT_MAX_MS, METRIC_TARGET_JITTER_MS, METRIC_TARGET_LATE,
		METRIC_TARGET_DUPLICATES, METRIC_TARGET_ERRORS,
	};
	double v[METRIC_TARGET_N];
	icmp_probe_result_values(r, v);
	struct sample_set s = {
		.object = METRIC_OBJ_TARGET,
		.site = c->sites[t->site].name,
		.device = t->device >= 0 ? c->devices[t->device].name : NULL,
		.name = t->host,
		.t = (double)r->start.tv_sec + r->start.tv_nsec / 1e9 + c->interval_ms / 1000.0,
		.n = METRIC_TARGET_N, .metrics = ids, .values = v,
	};
	sinks_emit_sample(il->sinks, &s);
}

struct icmp_link *icmp_link_new(struct event_base *base, struct sinks *sinks)
{
	struct icmp_link *il = calloc(1, sizeof(*il));
	if (il == NULL)
		return NULL;
	il->base = base;
	il->sinks = sinks;
	return il;
}

int icmp_link_configure(struct icmp_link *il, const struct serat_config *conf)
{
	icmp_probe_free(il->probe);
	il->probe = NULL;
	il->conf = conf;
	size_t n = conf->icmp.n_targets;
	if (n == 0)
		return 0;
	struct icmp_probe_target *targets = calloc(n, sizeof(*targets));
	if (targets == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		targets[i].name = conf->icmp.targets[i].name;
		targets[i].addr = (const struct sockaddr *)&conf->icmp.targets[i].addr;
		targets[i].addrlen = conf->icmp.targets[i].addrlen;
	}
	struct icmp_probe_opts o;
	icmp_probe_opts_from_conf(&o, &conf->icmp, conf->interval_ms, 0);
	char err[512];
	il->probe = icmp_probe_new(il->base, &o, targets, n, icmp_link_on_result, il,
				   err, sizeof(err));
	free(targets);      /* copied by the prober */
	if (il->probe == NULL) {
		log_err("icmp: cannot probe %zu targets: %s", n, err);
		return -EPERM;
	}
	if (icmp_probe_start(il->probe) < 0) {
		log_err("icmp: cannot start the prober: out of memory");
		icmp_probe_free(il->probe);
		il->probe = NULL;
		return -ENOMEM;
	}
	log_info("icmp: probing %zu targets, %u requests each per interval", n, o.count);
	return 0;
}

void icmp_link_free(struct icmp_link *il)
{
	if (il == NULL)
		return;
	icmp_probe_free(il->probe);
	free(il);
}
