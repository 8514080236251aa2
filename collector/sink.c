/*
 * sink.c — the list of registered sinks.  See sink.h.
 *
 * A plain array walked in order: there are a handful of sinks, and a
 * sample reaches every one of them, so there is nothing to index.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "collector/sink.h"

struct sink_entry {
	const struct sink_ops *ops;
	void *ctx;
};

struct sinks {
	struct sink_entry *v;
	size_t n, cap;
};

struct sinks *sinks_new(void)
{
	return calloc(1, sizeof(struct sinks));
}

void sinks_free(struct sinks *s)
{
	if (s == NULL)
		return;
	for (size_t i = s->n; i-- > 0;)
		if (s->v[i].ops->free)
			s->v[i].ops->free(s->v[i].ctx);
	free(s->v);
	free(s);
}

int sinks_add(struct sinks *s, const struct sink_ops *ops, void *ctx)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4;
		struct sink_entry *v = realloc(s->v, cap * sizeof(*v));
		if (v == NULL) {
			if (ops->free)
				ops->free(ctx);
			return -ENOMEM;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n].ops = ops;
	s->v[s->n].ctx = ctx;
	s->n++;
	return 0;
}

void *sinks_find(struct sinks *s, const struct sink_ops *ops)
{
	for (size_t i = 0; s != NULL && i < s->n; i++)
		if (s->v[i].ops == ops)
			return s->v[i].ctx;
	return NULL;
}

size_t sinks_count(const struct sinks *s)
{
	return s ? s->n : 0;
}

void sinks_emit_sample(struct sinks *s, const struct sample_set *set)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].ops->sample)
			s->v[i].ops->sample(s->v[i].ctx, set);
}

void sinks_emit_state(struct sinks *s, const struct state_change *c)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].ops->state)
			s->v[i].ops->state(s->v[i].ctx, c);
}

void sinks_reload(struct sinks *s, const struct serat_config *conf)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].ops->reload)
			s->v[i].ops->reload(s->v[i].ctx, conf);
}

void sinks_flush(struct sinks *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].ops->flush)
			s->v[i].ops->flush(s->v[i].ctx);
}

const char *state_kind_name(enum state_kind kind)
{
	static const char *names[STATE_KIND_COUNT] = { "reach", "reboot", "oper", "appeared", "gone" };
	return (unsigned)kind < STATE_KIND_COUNT ? names[kind] : "?";
}
