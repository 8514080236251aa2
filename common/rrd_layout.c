/*
 * rrd_layout.c — see rrd_layout.h.
 *
 * DS lookups walk the registry (a few dozen rows); callers on a hot path
 * (the writer thread) build their create arguments once and keep them.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/name_escape.h"
#include "common/rrd_layout.h"

size_t rrd_layout_ds_count(enum metric_rrd_file f)
{
	size_t n = 0;
	if (f == METRIC_RRD_NONE)
		return 0;
	for (int i = 0; i < METRIC_COUNT; i++)
		if (metric_get(i)->rrd_file == f)
			n++;
	return n;
}

const struct metric_def *rrd_layout_ds(enum metric_rrd_file f, size_t i)
{
	if (f == METRIC_RRD_NONE)
		return NULL;
	for (int k = 0; k < METRIC_COUNT; k++) {
		const struct metric_def *m = metric_get(k);
		if (m->rrd_file == f && i-- == 0)
			return m;
	}
	return NULL;
}

int rrd_layout_ds_index(enum metric_rrd_file f, const char *name)
{
	const struct metric_def *m;
	for (size_t i = 0; (m = rrd_layout_ds(f, i)) != NULL; i++)
		if (strcmp(m->rrd_ds, name) == 0)
			return (int)i;
	return -1;
}

int rrd_layout_path(const char *data_dir, enum metric_rrd_file f,
		    const char *device, const char *name, char *buf, size_t len)
{
	char dev[NAME_ESCAPE_MAX + 1], ifn[NAME_ESCAPE_MAX + 1];
	size_t dl = strlen(data_dir);
	int n;

	/* "dir/" and "dir" name the same files. */
	while (dl > 1 && data_dir[dl - 1] == '/')
		dl--;
	if (name_escape(device, strlen(device), dev, sizeof(dev)) < 0)
		return -ENAMETOOLONG;
	switch (f) {
	case METRIC_RRD_DEVICE:
		n = snprintf(buf, len, "%.*s/rrd/%s/device.rrd", (int)dl, data_dir, dev);
		break;
	case METRIC_RRD_SENSORS:
		n = snprintf(buf, len, "%.*s/rrd/%s/sensors.rrd", (int)dl, data_dir, dev);
		break;
	case METRIC_RRD_INTERFACE:
	case METRIC_RRD_OPTICS:
	case METRIC_RRD_ONU:
		if (name == NULL)
			return -EINVAL;
		if (name_escape(name, strlen(name), ifn, sizeof(ifn)) < 0)
			return -ENAMETOOLONG;
		/* The directory is the file kind's name: if, optics, onu. */
		n = snprintf(buf, len, "%.*s/rrd/%s/%s/%s.rrd", (int)dl, data_dir, dev,
			     metric_rrd_file_name(f), ifn);
		break;
	case METRIC_RRD_SITE:     /* DEVICE is the site's name */
		n = snprintf(buf, len, "%.*s/site/%s/probe.rrd", (int)dl, data_dir, dev);
		break;
	case METRIC_RRD_TARGET:   /* DEVICE owns the target NAME */
		if (name == NULL)
			return -EINVAL;
		if (name_escape(name, strlen(name), ifn, sizeof(ifn)) < 0)
			return -ENAMETOOLONG;
		n = snprintf(buf, len, "%.*s/target/%s/%s.rrd", (int)dl, data_dir, dev, ifn);
		break;
	default:
		return -EINVAL;
	}
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

const struct rra_conf *rrd_layout_default_rras(size_t *n)
{
	/* Defined once, by the config (it fills them in when none are set). */
	size_t k;
	const struct rra_conf *r = config_default_rras(&k);
	if (n)
		*n = k;
	return r;
}

/* Longest definition: "RRA:AVERAGE:0.5:4294967295:4294967295" is 37, a DS
 * "DS:" + name + ":GAUGE:4294967295:U:" + a %.10g maximum well under this. */
#define RRD_LAYOUT_DEF_MAX 64

int rrd_layout_create_args(enum metric_rrd_file f, unsigned step_s,
			   const struct rra_conf *rras, size_t n_rras,
			   struct rrd_layout_args *args)
{
	size_t n_ds = rrd_layout_ds_count(f);

	args->argc = 0;
	args->argv = NULL;
	if (n_ds == 0 || n_ds > RRD_LAYOUT_MAX_DS || step_s == 0)
		return -EINVAL;
	if (n_rras == 0 || rras == NULL)
		rras = rrd_layout_default_rras(&n_rras);
	size_t n_defs = n_ds + 2 * n_rras;
	/* Pointers first, then the strings they point to: one free(). */
	const char **argv = calloc(1, n_defs * (sizeof(char *) + RRD_LAYOUT_DEF_MAX));
	if (argv == NULL)
		return -ENOMEM;
	char *s = (char *)(argv + n_defs);
	int argc = 0;

	for (size_t i = 0; i < n_ds; i++) {
		const struct metric_def *m = rrd_layout_ds(f, i);
		char max[24] = "U";
		if (m->rrd_max > 0)
			snprintf(max, sizeof(max), "%.10g", m->rrd_max * m->rrd_scale);
		/* Optical power in dBm and temperatures go below 0: no minimum
		 * for them (every other DS is a rate, a share or a time). */
		const char *min = strcmp(m->unit, "dBm") == 0 || strcmp(m->unit, "C") == 0
				  ? "U" : "0";
		int w = snprintf(s, RRD_LAYOUT_DEF_MAX, "DS:%s:GAUGE:%u:%s:%s", m->rrd_ds,
				 step_s > 0x7fffffffu ? 0xffffffffu : 2 * step_s, min, max);
		if (w < 0 || w >= RRD_LAYOUT_DEF_MAX) {
			free(argv);
			return -EINVAL;
		}
		argv[argc++] = s;
		s += RRD_LAYOUT_DEF_MAX;
	}
	for (size_t i = 0; i < n_rras; i++) {
		unsigned rstep = rras[i].step_s ? rras[i].step_s : step_s;
		unsigned pdp = (unsigned)(((unsigned long long)rstep + step_s - 1) / step_s);
		unsigned rows = rras[i].span_s / rstep;
		if (pdp < 1)
			pdp = 1;
		if (rows < 1)
			rows = 1;
		static const char *const cfs[] = { "AVERAGE", "MAX" };
		for (int k = 0; k < 2; k++) {
			snprintf(s, RRD_LAYOUT_DEF_MAX, "RRA:%s:0.5:%u:%u", cfs[k], pdp, rows);
			argv[argc++] = s;
			s += RRD_LAYOUT_DEF_MAX;
		}
	}
	args->argc = argc;
	args->argv = argv;
	return 0;
}

void rrd_layout_args_cleanup(struct rrd_layout_args *args)
{
	if (args == NULL)
		return;
	free(args->argv);
	args->argv = NULL;
	args->argc = 0;
}

size_t rrd_layout_args_bytes(const struct rrd_layout_args *args)
{
	size_t n_ds = 0, n_rra = 0, rows = 0;

	for (int i = 0; i < args->argc; i++) {
		const char *a = args->argv[i];
		if (strncmp(a, "DS:", 3) == 0) {
			n_ds++;
		} else if (strncmp(a, "RRA:", 4) == 0) {
			const char *last = strrchr(a, ':');
			n_rra++;
			if (last != NULL)
				rows += strtoul(last + 1, NULL, 10);
		}
	}
	/* librrd's on-disk structs: stat_head, ds_def + pdp_prep per DS,
	 * rra_def + rra_ptr per RRA, cdp_prep per RRA and DS, then the rows. */
	return 128 + n_ds * (120 + 112) + n_rra * (120 + 8) + n_rra * n_ds * 80 +
	       rows * n_ds * 8;
}
