/*
 * rrd_sink.c — sample sets into RRD files.  See rrd_sink.h.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collector/rrd_sink.h"
#include "common/rrd_layout.h"
#include "common/log.h"

struct rrd_sink {
	struct rrd_store *store;
	enum metric_id first[METRIC_RRD_FILE_COUNT];
	const struct serat_config *conf;   /* the one the store was built for */
};

static struct rrd_store *rrd_sink_open(const struct serat_config *conf)
{
	struct rrd_store_opts so = {
		.data_dir = conf->data_dir,
		.rrdcached = conf->rrdcached,
		.step_s = conf->interval_ms / 1000 ? conf->interval_ms / 1000 : 1,
		.rras = conf->rras,
		.n_rras = conf->n_rras,
	};
	return rrd_store_new(&so);
}

/* The first metric of each file kind: a file's DS order is registry order
 * (common/rrd_layout.h), so a metric's DS index is its id minus that. */
static enum metric_id rrd_sink_first_id(enum metric_rrd_file f)
{
	for (int i = 0; i < METRIC_COUNT; i++)
		if (metric_get((enum metric_id)i)->rrd_file == f)
			return (enum metric_id)i;
	return METRIC_COUNT;
}

static void rrd_sink_sample(void *ctx, const struct sample_set *s)
{
	struct rrd_sink *rs = ctx;
	if (s->n == 0)
		return;
	enum metric_rrd_file f = metric_get(s->metrics[0])->rrd_file;
	if (f == METRIC_RRD_NONE)
		return;
	enum metric_id first = rs->first[f];
	size_t n_ds = rrd_layout_ds_count(f);
	double v[RRD_STORE_MAX_DS];
	for (size_t k = 0; k < n_ds; k++)
		v[k] = NAN;
	for (size_t i = 0; i < s->n; i++) {
		const struct metric_def *m = metric_get(s->metrics[i]);
		if (m == NULL || m->rrd_file != f || (size_t)(s->metrics[i] - first) >= n_ds)
			continue;
		v[s->metrics[i] - first] = s->values[i] * m->rrd_scale;
	}
	/* A site's file is named by the site; a device's and its
	 * interfaces' and targets' by the device. */
	const char *owner = f == METRIC_RRD_SITE ? s->site :
			    s->device != NULL ? s->device : s->site;
	rrd_store_update(rs->store, (enum rrd_kind)f, owner,
			 f == METRIC_RRD_SITE ? NULL : s->name, s->t, v);
}

static int rrd_sink_same_rras(const struct serat_config *a, const struct serat_config *b)
{
	if (a->n_rras != b->n_rras)
		return 0;
	for (size_t i = 0; i < a->n_rras; i++)
		if (a->rras[i].step_s != b->rras[i].step_s || a->rras[i].span_s != b->rras[i].span_s)
			return 0;
	return 1;
}

static int rrd_sink_same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int rrd_sink_reload(void *ctx, const struct serat_config *conf)
{
	struct rrd_sink *rs = ctx;
	const struct serat_config *old = rs->conf;
	if (rrd_sink_same_str(old->data_dir, conf->data_dir) &&
	    rrd_sink_same_str(old->rrdcached, conf->rrdcached) &&
	    old->interval_ms / 1000 == conf->interval_ms / 1000 &&
	    rrd_sink_same_rras(old, conf)) {
		rs->conf = conf;
		return 0;
	}
	struct rrd_store *store = rrd_sink_open(conf);
	if (store == NULL) {
		log_err("reload: cannot start the RRD store for the new configuration; "
			"keeping the old one");
		return -EIO;
	}
	log_info("reload: RRD storage settings changed; new store started");
	rrd_store_free(rs->store);
	rs->store = store;
	rs->conf = conf;
	return 0;
}

static void rrd_sink_flush(void *ctx)
{
	struct rrd_sink *rs = ctx;
	rrd_store_flush(rs->store);
}

static void rrd_sink_free(void *ctx)
{
	struct rrd_sink *rs = ctx;
	if (rs == NULL)
		return;
	rrd_store_free(rs->store);
	free(rs);
}

static const struct sink_ops rrd_sink_ops = {
	.name = "rrd",
	.sample = rrd_sink_sample,
	.reload = rrd_sink_reload,
	.flush = rrd_sink_flush,
	.free = rrd_sink_free,
};

int rrd_sink_add(struct sinks *sinks, const struct serat_config *conf)
{
	struct rrd_sink *rs = calloc(1, sizeof(*rs));
	if (rs == NULL)
		return -ENOMEM;
	rs->conf = conf;
	for (int f = 0; f < METRIC_RRD_FILE_COUNT; f++)
		rs->first[f] = rrd_sink_first_id((enum metric_rrd_file)f);
	rs->store = rrd_sink_open(conf);
	if (rs->store == NULL) {
		free(rs);
		return -EIO;
	}
	return sinks_add(sinks, &rrd_sink_ops, rs);
}

struct rrd_store *rrd_sink_store(struct sinks *sinks)
{
	void *ctx = sinks_find(sinks, &rrd_sink_ops);
	return ctx ? ((struct rrd_sink *)ctx)->store : NULL;
}
