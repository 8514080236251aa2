/*
 * graph_cmd.c — `serat graph`: one graph of one device or interface, to a
 * PNG or SVG file, straight from the RRD files (no daemon needed).
 *
 *   serat graph --config FILE --device D [--if NAME] [--metric M]
 *               [--period day|week|month|year | --start T --end T]
 *               [--width W] [--height H] [--theme light|dark] [--lang en|id]
 *               --out FILE.png|FILE.svg
 *
 * M is a graph name (traffic, errors, util for an interface; availability,
 * rtt, uptime for a device) or a metric registry name of one; the default
 * is traffic with --if and availability without.  T is seconds since the
 * epoch or "YYYY-MM-DD[THH:MM]" in the configured timezone.  With
 * rrdcached configured, the files are flushed through it first.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/serat_cmd.h"
#include "common/config.h"
#include "graphs/graph_path.h"
#include "graphs/graph_render.h"

static void graph_cmd_usage(FILE *out)
{
	fprintf(out,
		"usage: serat graph --config FILE --device D [--if NAME] [--metric M]\n"
		"                   [--period day|week|month|year | --start T --end T]\n"
		"                   [--width W] [--height H] [--theme light|dark] [--lang en|id]\n"
		"                   --out FILE.png|FILE.svg\n"
		"  M: traffic, errors, util (interface); availability, rtt, uptime (device)\n"
		"  T: seconds since the epoch, or YYYY-MM-DD[THH:MM] in the configured timezone\n");
}

/* Epoch seconds or a local date (and time).  0 or -EINVAL. */
static int graph_cmd_time(const char *s, time_t *out)
{
	struct tm tm;
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s && *end == '\0' && v > 0) {
		*out = (time_t)v;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M", &tm);
	if (end == NULL || *end) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, "%Y-%m-%d", &tm);
	}
	if (end == NULL || *end)
		return -EINVAL;
	tm.tm_isdst = -1;
	*out = mktime(&tm);
	return *out == (time_t)-1 ? -EINVAL : 0;
}

static int graph_cmd_uint(const char *s, unsigned *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end || v <= 0 || v > 100000)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

/* Fill R's kind, format, theme, language from the option strings. */
static int graph_cmd_enums(struct graph_request *r, const char *metric, const char *ifname,
			   const char *out, const char *theme, const char *lang)
{
	const char *dot = strrchr(out, '.');

	if (metric == NULL)
		r->kind = ifname ? GRAPH_IF_TRAFFIC : GRAPH_DEV_AVAIL;
	else if (graph_kind_parse(metric, &r->kind) < 0) {
		fprintf(stderr, "serat graph: unknown metric '%s'\n", metric);
		return -EINVAL;
	}
	if (graph_kind_is_if(r->kind) != (ifname != NULL)) {
		fprintf(stderr, "serat graph: '%s' is %s graph: %s --if\n", graph_kind_name(r->kind),
			ifname ? "a device" : "an interface", ifname ? "drop" : "give");
		return -EINVAL;
	}
	if (dot && strcmp(dot, ".png") == 0)
		r->format = GRAPH_PNG;
	else if (dot && strcmp(dot, ".svg") == 0)
		r->format = GRAPH_SVG;
	else {
		fprintf(stderr, "serat graph: --out must end in .png or .svg\n");
		return -EINVAL;
	}
	if (theme && strcmp(theme, "dark") == 0)
		r->theme = GRAPH_DARK;
	else if (theme && strcmp(theme, "light") != 0) {
		fprintf(stderr, "serat graph: --theme is light or dark\n");
		return -EINVAL;
	}
	if (lang && strcmp(lang, "id") == 0)
		r->lang_id = 1;
	else if (lang && strcmp(lang, "en") != 0) {
		fprintf(stderr, "serat graph: --lang is en or id\n");
		return -EINVAL;
	}
	return 0;
}

static int graph_cmd_write(const char *path, const unsigned char *img, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		fprintf(stderr, "serat graph: cannot write %s: %s\n", path, strerror(errno));
		return -errno;
	}
	size_t w = fwrite(img, 1, len, f);
	if (fclose(f) != 0 || w != len) {
		fprintf(stderr, "serat graph: cannot write %s\n", path);
		return -EIO;
	}
	return 0;
}

/* Everything after option parsing: load, check the object, render, write. */
static int graph_cmd_run(const struct serat_config *conf, const char *device,
			 const char *ifname, struct graph_request *r, const char *out)
{
	char err[4096], path[4096], local[4096], title[600];
	unsigned char *img;
	size_t len;
	struct stat st;
	int rc = SERAT_EXIT_FAIL;

	if (config_find_device(conf, device) < 0) {
		fprintf(stderr, "serat graph: no device '%s' in %s\n", device, conf->path);
		return SERAT_EXIT_FAIL;
	}
	if (graph_rrd_path(conf->data_dir, conf->rrdcached, device, ifname, path, sizeof(path)) < 0 ||
	    graph_rrd_local_path(conf->data_dir, device, ifname, local, sizeof(local)) < 0) {
		fprintf(stderr, "serat graph: name too long\n");
		return SERAT_EXIT_FAIL;
	}
	if (!conf->rrdcached && stat(local, &st) != 0) {
		fprintf(stderr, "serat graph: no data for %s%s%s yet (%s: %s)\n", device,
			ifname ? " " : "", ifname ? ifname : "", local, strerror(errno));
		return SERAT_EXIT_FAIL;
	}
	snprintf(title, sizeof(title), "%s%s%s — %s", device, ifname ? " " : "",
		 ifname ? ifname : "", graph_kind_name(r->kind));
	r->rrd_path = path;
	r->title = title;
	r->daemon = conf->rrdcached;
	if (graph_render(r, time(NULL), &img, &len, err, sizeof(err)) < 0) {
		fprintf(stderr, "serat graph: %s\n", err);
		return SERAT_EXIT_FAIL;
	}
	if (graph_cmd_write(out, img, len) == 0)
		rc = SERAT_EXIT_OK;
	free(img);
	return rc;
}

int graph_cmd_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "device", required_argument, NULL, 'd' },
		{ "if", required_argument, NULL, 'i' },
		{ "metric", required_argument, NULL, 'm' },
		{ "period", required_argument, NULL, 'p' },
		{ "start", required_argument, NULL, 's' },
		{ "end", required_argument, NULL, 'e' },
		{ "width", required_argument, NULL, 'W' },
		{ "height", required_argument, NULL, 'H' },
		{ "theme", required_argument, NULL, 't' },
		{ "lang", required_argument, NULL, 'l' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *cfg = NULL, *device = NULL, *ifname = NULL, *metric = NULL;
	const char *out = NULL, *theme = NULL, *lang = NULL, *start = NULL, *end = NULL;
	struct graph_request r = { .period = GRAPH_DAY };
	int c, bad = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+c:d:i:m:p:s:e:W:H:t:l:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': cfg = optarg; break;
		case 'd': device = optarg; break;
		case 'i': ifname = optarg; break;
		case 'm': metric = optarg; break;
		case 'p': bad |= graph_period_parse(optarg, &r.period) < 0; break;
		case 's': start = optarg; break;
		case 'e': end = optarg; break;
		case 'W': bad |= graph_cmd_uint(optarg, &r.width) < 0; break;
		case 'H': bad |= graph_cmd_uint(optarg, &r.height) < 0; break;
		case 't': theme = optarg; break;
		case 'l': lang = optarg; break;
		case 'o': out = optarg; break;
		case 'h': graph_cmd_usage(stdout); return SERAT_EXIT_OK;
		default: bad = 1;
		}
	}
	if (bad || cfg == NULL || device == NULL || out == NULL || optind != argc ||
	    (start == NULL) != (end == NULL)) {
		graph_cmd_usage(stderr);
		return SERAT_EXIT_USAGE;
	}
	if (graph_cmd_enums(&r, metric, ifname, out, theme, lang) < 0)
		return SERAT_EXIT_USAGE;
	if ((r.width && (r.width < GRAPH_W_MIN || r.width > GRAPH_W_MAX)) ||
	    (r.height && (r.height < GRAPH_H_MIN || r.height > GRAPH_H_MAX))) {
		fprintf(stderr, "serat graph: size must be %d-%d x %d-%d\n", GRAPH_W_MIN, GRAPH_W_MAX,
			GRAPH_H_MIN, GRAPH_H_MAX);
		return SERAT_EXIT_USAGE;
	}
	char err[4096];
	struct serat_config *conf = config_load(cfg, err, sizeof(err));
	if (conf == NULL) {
		fputs(err, stderr);
		return SERAT_EXIT_FAIL;
	}
	/* Axis labels and --start/--end in the configured zone (WIB by
	 * default). */
	setenv("TZ", conf->timezone, 1);
	tzset();
	int rc = SERAT_EXIT_USAGE;
	if (start) {
		r.period = GRAPH_CUSTOM;
		if (graph_cmd_time(start, &r.start) < 0 || graph_cmd_time(end, &r.end) < 0 ||
		    r.end - r.start < GRAPH_SPAN_MIN || r.end - r.start > GRAPH_SPAN_MAX) {
			fprintf(stderr, "serat graph: --start/--end: bad time or span\n");
			goto out;
		}
	}
	rc = graph_cmd_run(conf, device, ifname, &r, out);
out:
	config_free(conf);
	return rc;
}
