/*
 * model_readings.c — a device's profile readings in the model.  See the
 * model_reading part of model.h.
 *
 * A few dozen readings per device (48 ports x rx/tx/temperature, usually
 * fewer): a search from a cursor (the previous poll's order) is cheaper than
 * keeping an index, and the array is sorted once per poll so that the
 * emitter and the status writer see each port's readings side by side.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collector/model.h"
#include "common/optics.h"

const char *model_thr_source_name(enum model_thr_source s)
{
	static const char *names[] = { "none", "device", "profile", "config" };
	return (unsigned)s < 4 ? names[s] : "none";
}

static int model_reading_same(const struct model_reading *r, const char *name,
			      enum metric_id metric)
{
	if (r->metric != metric)
		return 0;
	if (r->name == NULL || name == NULL)
		return r->name == name;
	return strcmp(r->name, name) == 0;
}

struct model_reading *model_device_reading(struct model_device *d, const char *name,
					   enum metric_id metric, size_t *cursor)
{
	/* From the cursor round to it: rows of one metric come in the order
	 * of the previous poll, so the first compare usually hits. */
	for (size_t k = 0; k < d->n_readings; k++) {
		size_t i = (*cursor + k) % d->n_readings;
		if (model_reading_same(&d->readings[i], name, metric)) {
			*cursor = i + 1;
			return &d->readings[i];
		}
	}
	if (d->n_readings == d->cap_readings) {
		size_t cap = d->cap_readings ? d->cap_readings * 2 : 8;
		struct model_reading *r = realloc(d->readings, cap * sizeof(*r));
		if (r == NULL)
			return NULL;
		d->readings = r;
		d->cap_readings = cap;
	}
	struct model_reading *r = &d->readings[d->n_readings];
	memset(r, 0, sizeof(*r));
	if (name != NULL && (r->name = strdup(name)) == NULL)
		return NULL;
	r->metric = metric;
	r->value = NAN;
	r->state = OPTICS_UNKNOWN;
	for (int k = 0; k < MODEL_THR_N; k++)
		r->thr[k] = NAN;
	d->n_readings++;
	return r;
}

static int model_reading_cmp(const void *a, const void *b)
{
	const struct model_reading *x = a, *y = b;
	/* The device's own readings (no name) first. */
	if (x->name == NULL || y->name == NULL) {
		if (x->name != y->name)
			return x->name == NULL ? -1 : 1;
	} else {
		int c = strcmp(x->name, y->name);
		if (c != 0)
			return c;
	}
	return (int)x->metric - (int)y->metric;
}

void model_device_sort_readings(struct model_device *d, unsigned seen)
{
	size_t k = 0;
	for (size_t i = 0; i < d->n_readings; i++) {
		if (d->readings[i].seen != seen) {
			free(d->readings[i].name);
			continue;
		}
		d->readings[k++] = d->readings[i];
	}
	d->n_readings = k;
	if (k > 1)
		qsort(d->readings, k, sizeof(*d->readings), model_reading_cmp);
}

void model_device_clear_readings(struct model_device *d)
{
	for (size_t i = 0; i < d->n_readings; i++)
		free(d->readings[i].name);
	free(d->readings);
	d->readings = NULL;
	d->n_readings = d->cap_readings = 0;
	free(d->profile);
	d->profile = NULL;
}
