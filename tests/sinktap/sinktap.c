/*
 * sinktap.c — a test fixture: the collector with a sink that prints.
 *
 *   sinktap CONFIG
 *
 * Builds what seratd builds (config, model, collector) but registers, in
 * place of the RRD store, one sink that writes every state change and a
 * line per sample set to stdout (line-buffered), and runs until SIGTERM.
 * It is how tests see what the collector emits, without editing
 * collector/collector.c — the proof that a new consumer attaches through
 * collector/sink.h alone.  Output lines:
 *
 *   state KIND SITE DEVICE NAME FROM TO T SINCE REASON
 *   sample OBJECT DEVICE NAME T N V1,V2,...     (unknown as "nan")
 *   stopped SAMPLES STATES
 */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <event2/event.h>

#include "collector/collector.h"
#include "collector/model.h"
#include "collector/sink.h"
#include "collector/snmp_poll.h"
#include "common/config.h"
#include "common/log.h"

struct sinktap {
	unsigned long samples, states;
};

static void sinktap_sample(void *ctx, const struct sample_set *s)
{
	struct sinktap *t = ctx;
	t->samples++;
	printf("sample %s %s %s %.3f %zu ", metric_object_name(s->object), s->device,
	       s->name ? s->name : "-", s->t, s->n);
	for (size_t i = 0; i < s->n; i++)
		printf("%s%s=%g", i ? "," : "", metric_get(s->metrics[i])->name, s->values[i]);
	putchar('\n');
}

static void sinktap_state(void *ctx, const struct state_change *c)
{
	struct sinktap *t = ctx;
	t->states++;
	printf("state %s %s %s %s %d %d %.3f %.3f %s\n", state_kind_name(c->kind), c->site,
	       c->device, c->name ? c->name : "-", c->from, c->to, c->t, c->since,
	       c->reason ? "reason" : "-");
}

static void sinktap_free(void *ctx)
{
	struct sinktap *t = ctx;
	printf("stopped %lu %lu\n", t->samples, t->states);
	free(t);
}

static const struct sink_ops sinktap_ops = {
	.name = "sinktap",
	.sample = sinktap_sample,
	.state = sinktap_state,
	.free = sinktap_free,
};

static void sinktap_on_term(evutil_socket_t sig, short what, void *arg)
{
	event_base_loopexit(arg, NULL);
}

int main(int argc, char **argv)
{
	char err[4096];
	if (argc != 2) {
		fprintf(stderr, "usage: sinktap CONFIG\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	log_open("sinktap", 0, LOG_INFO);
	struct serat_config *conf = config_load(argv[1], err, sizeof(err));
	if (conf == NULL) {
		fprintf(stderr, "%s", err);
		return 1;
	}
	snmp_poll_library_init("sinktap");
	struct event_base *base = event_base_new();
	struct event *ev_term = evsignal_new(base, SIGTERM, sinktap_on_term, base);
	event_add(ev_term, NULL);
	struct model *model = model_new();
	struct sinks *sinks = sinks_new();
	struct sinktap *tap = calloc(1, sizeof(*tap));
	int rc = 1;
	if (model && sinks && tap && sinks_add(sinks, &sinktap_ops, tap) == 0 &&
	    model_reconcile(model, conf) == 0) {
		struct collector *c = collector_new(base, conf, sinks, 0);
		if (c != NULL) {
			collector_attach(c, model);
			collector_start(c);
			printf("ready\n");
			event_base_dispatch(base);
			collector_free(c);
			rc = 0;
		}
	}
	sinks_free(sinks);
	model_free(model);
	config_free(conf);
	event_free(ev_term);
	event_base_free(base);
	snmp_poll_library_shutdown("sinktap");
	return rc;
}
