/*
 * model.c — the runtime model and its reconciliation by name.  See model.h.
 *
 * The model keeps its devices sorted by name (by_name); reconciliation
 * looks each new device up there with bsearch, so a reload costs O(n log n) however large the
 * inventory.  Devices are heap objects referenced by pointer: one that
 * stays keeps its address, so a sink or the collector holding it across
 * the reload still points at the right thing.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collector/model.h"

const char *dev_reach_name(enum dev_reach r)
{
	return r == DEV_UP ? "up" : r == DEV_DOWN ? "down" : "unknown";
}

static void model_if_clear(struct model_if *i)
{
	free(i->name);
	free(i->alias);
}

static void model_device_free(struct model_device *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n_ifs; i++)
		model_if_clear(&d->ifs[i]);
	free(d->ifs);
	model_device_clear_readings(d);
	free(d->children);
	free(d->error);
	free(d->name);
	free(d);
}

static struct model_device *model_device_new(const char *name)
{
	struct model_device *d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	d->name = strdup(name);
	if (d->name == NULL) {
		free(d);
		return NULL;
	}
	d->reach = DEV_UNKNOWN;
	d->rtt_s = NAN;
	return d;
}

static void model_sites_free(struct model_site *sites, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(sites[i].name);
		free(sites[i].devices);
	}
	free(sites);
}

struct model *model_new(void)
{
	return calloc(1, sizeof(struct model));
}

void model_free(struct model *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n_devices; i++)
		model_device_free(m->devices[i]);
	free(m->devices);
	free(m->by_name);
	model_sites_free(m->sites, m->n_sites);
	free(m);
}

static int model_cmp_dev(const void *a, const void *b)
{
	const struct model_device *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

static int model_cmp_key(const void *key, const void *elem)
{
	const struct model_device *const *d = elem;
	return strcmp(key, (*d)->name);
}


/* Sites, parents and children for the devices of M under CONF.  All
 * allocations first, so a failure changes nothing. */
static int model_link(struct model *m, struct model_device **devs,
		      const struct serat_config *conf)
{
	size_t n = conf->n_devices;
	struct model_site *sites = calloc(conf->n_sites ? conf->n_sites : 1, sizeof(*sites));
	size_t *n_children = calloc(n ? n : 1, sizeof(*n_children));
	if (sites == NULL || n_children == NULL)
		goto fail;
	for (size_t i = 0; i < conf->n_sites; i++) {
		sites[i].conf = &conf->sites[i];
		sites[i].name = strdup(conf->sites[i].name);
		if (sites[i].name == NULL)
			goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		sites[conf->devices[i].site].n_devices++;
		if (conf->devices[i].parent_index >= 0)
			n_children[conf->devices[i].parent_index]++;
	}
	for (size_t i = 0; i < conf->n_sites; i++) {
		sites[i].devices = calloc(sites[i].n_devices ? sites[i].n_devices : 1,
					  sizeof(*sites[i].devices));
		if (sites[i].devices == NULL)
			goto fail;
		sites[i].n_devices = 0;
	}
	struct model_device ***children = calloc(n ? n : 1, sizeof(*children));
	if (children == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		children[i] = calloc(n_children[i] ? n_children[i] : 1, sizeof(**children));
		if (children[i] == NULL) {
			for (size_t k = 0; k < i; k++)
				free(children[k]);
			free(children);
			goto fail;
		}
	}
	/* Nothing can fail from here on. */
	for (size_t i = 0; i < n; i++) {
		struct model_device *d = devs[i];
		const struct device_conf *dc = &conf->devices[i];
		struct model_site *s = &sites[dc->site];
		d->conf = dc;
		d->site = s;
		s->devices[s->n_devices++] = d;
		free(d->children);
		d->children = children[i];
		d->n_children = 0;
	}
	for (size_t i = 0; i < n; i++) {
		long p = conf->devices[i].parent_index;
		devs[i]->parent = p >= 0 ? devs[p] : NULL;
		if (p >= 0)
			devs[p]->children[devs[p]->n_children++] = devs[i];
	}
	free(children);
	free(n_children);
	model_sites_free(m->sites, m->n_sites);
	m->sites = sites;
	m->n_sites = conf->n_sites;
	return 0;
fail:
	if (sites != NULL)
		model_sites_free(sites, conf->n_sites);
	free(n_children);
	return -ENOMEM;
}

int model_reconcile(struct model *m, const struct serat_config *conf)
{
	size_t n = conf->n_devices;
	/* The old devices by name: the lookup index doubles as the map. */
	struct model_device **sorted = m->by_name;
	struct model_device **devs = calloc(n ? n : 1, sizeof(*devs));
	struct model_device **by_name = calloc(n ? n : 1, sizeof(*by_name));
	unsigned char *kept = calloc(m->n_devices ? m->n_devices : 1, 1);
	unsigned char *created = calloc(n ? n : 1, 1);
	if (devs == NULL || by_name == NULL || kept == NULL || created == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const char *name = conf->devices[i].name;
		struct model_device **old = sorted == NULL ? NULL :
			bsearch(name, sorted, m->n_devices, sizeof(*sorted), model_cmp_key);
		if (old != NULL) {
			devs[i] = *old;
			kept[old - sorted] = 1;
		} else if ((devs[i] = model_device_new(name)) == NULL) {
			goto fail;
		} else {
			created[i] = 1;
		}
	}
	if (model_link(m, devs, conf) < 0)
		goto fail;
	for (size_t i = 0; i < m->n_devices; i++)
		if (!kept[i])
			model_device_free(sorted[i]);
	free(m->by_name);
	m->by_name = by_name;
	free(m->devices);
	m->devices = devs;
	m->n_devices = n;
	memcpy(by_name, devs, n * sizeof(*by_name));
	qsort(by_name, n, sizeof(*by_name), model_cmp_dev);
	free(kept);
	free(created);
	return 0;
fail:
	/* Free only the devices this call created; M is unchanged. */
	for (size_t i = 0; devs != NULL && created != NULL && i < n; i++)
		if (created[i])
			model_device_free(devs[i]);
	free(devs);
	free(by_name);
	free(kept);
	free(created);
	return -ENOMEM;
}

struct model_device *model_find_device(const struct model *m, const char *name)
{
	if (m->by_name == NULL)
		return NULL;
	struct model_device **d = bsearch(name, m->by_name, m->n_devices, sizeof(*m->by_name),
					  model_cmp_key);
	return d ? *d : NULL;
}

struct model_if *model_device_find_if(const struct model_device *d, const char *name)
{
	for (size_t i = 0; i < d->n_ifs; i++)
		if (strcmp(d->ifs[i].name, name) == 0)
			return &d->ifs[i];
	return NULL;
}

struct model_if *model_device_if(struct model_device *d, const char *name, size_t *cursor)
{
	if (*cursor < d->n_ifs && strcmp(d->ifs[*cursor].name, name) == 0)
		return &d->ifs[(*cursor)++];
	struct model_if *found = model_device_find_if(d, name);
	if (found != NULL) {
		*cursor = (size_t)(found - d->ifs) + 1;
		return found;
	}
	if (d->n_ifs == d->cap_ifs) {
		size_t cap = d->cap_ifs ? d->cap_ifs * 2 : 8;
		struct model_if *ifs = realloc(d->ifs, cap * sizeof(*ifs));
		if (ifs == NULL)
			return NULL;
		d->ifs = ifs;
		d->cap_ifs = cap;
	}
	struct model_if *st = &d->ifs[d->n_ifs];
	memset(st, 0, sizeof(*st));
	st->name = strdup(name);
	if (st->name == NULL)
		return NULL;
	for (size_t k = 0; k < METRIC_IF_N; k++)
		st->last[k] = NAN;
	d->n_ifs++;
	*cursor = d->n_ifs;
	return st;
}

void model_device_prune_ifs(struct model_device *d,
			    void (*gone)(void *arg, struct model_device *d, struct model_if *i),
			    void *arg)
{
	size_t j = 0;
	for (size_t i = 0; i < d->n_ifs; i++) {
		if (d->ifs[i].seen == d->generation) {
			if (i != j)
				d->ifs[j] = d->ifs[i];
			j++;
		} else {
			if (gone != NULL)
				gone(arg, d, &d->ifs[i]);
			model_if_clear(&d->ifs[i]);
		}
	}
	d->n_ifs = j;
}

void model_device_forget_history(struct model_device *d)
{
	for (size_t i = 0; i < d->n_ifs; i++) {
		d->ifs[i].hist.prev_valid = 0;
		for (size_t k = 0; k < METRIC_IF_N; k++)
			d->ifs[i].last[k] = NAN;
	}
}
