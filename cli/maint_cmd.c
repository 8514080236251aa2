/*
 * maint_cmd.c — maintenance windows from the command line.
 *
 *   serat maint add TARGET [--from TIME] (--until TIME | --for DURATION)
 *                   [--reason TEXT] --config FILE
 *   serat maint list [--all] --config FILE
 *   serat maint remove ID --config FILE
 *
 * TARGET is a device or a site of the config.  TIME is local time in the
 * configured zone, "YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM"; --from
 * defaults to now.  Windows go to <data_dir>/events.db, which seratd
 * re-reads every few seconds: no reload needed.  `list` shows windows not
 * yet over (--all: every one).
 *
 * Exit status: 0 done, 1 failed (bad target, no such window, store error),
 * 2 usage error.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/maint_cmd.h"
#include "cli/serat_cmd.h"
#include "collector/alert_format.h"
#include "collector/events_db.h"
#include "common/config.h"
#include "common/fs_util.h"
#include "common/log.h"
#include "common/tz.h"

static int mc_usage(void)
{
	fprintf(stderr,
		"usage: serat maint add TARGET [--from TIME] (--until TIME | --for DURATION)\n"
		"                       [--reason TEXT] --config FILE\n"
		"       serat maint list [--all] --config FILE\n"
		"       serat maint remove ID --config FILE\n"
		"TIME is local time (the config's timezone): \"YYYY-MM-DD HH:MM\"\n");
	return SERAT_EXIT_USAGE;
}

/* "YYYY-MM-DD HH:MM[:SS]" or ISO 8601 (with T, optionally an offset), local
 * time in zone TZ; -1 when invalid. */
static double mc_parse_time(const char *s, const char *tz)
{
	char buf[64];
	time_t t;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if (strlen(buf) > 10 && buf[10] == ' ')
		buf[10] = 'T';
	return tz_parse_iso8601(buf, tz, &t) == 0 ? (double)t : -1;
}

static struct events_db *mc_open(const struct serat_config *conf)
{
	char path[PATH_MAX];

	if (fs_mkdirs(conf->data_dir, 0755) < 0) {
		fprintf(stderr, "serat: cannot create %s\n", conf->data_dir);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s", conf->data_dir, EVENTS_DB_FILE);
	return events_db_open(path);
}

static int mc_target_known(const struct serat_config *conf, const char *t)
{
	if (config_find_device(conf, t) >= 0)
		return 1;
	for (size_t i = 0; i < conf->n_sites; i++)
		if (strcmp(conf->sites[i].name, t) == 0)
			return 1;
	return 0;
}

struct mc_list {
	const char *tz;
	unsigned n;
};

static void mc_print(void *arg, const struct ev_maint *m)
{
	struct mc_list *l = arg;
	char a[64], b[64];

	alert_fmt_time(m->start, l->tz, a, sizeof(a));
	alert_fmt_time(m->end, l->tz, b, sizeof(b));
	printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%s\n", m->id, m->target, a, b, m->source,
	       m->reason ? m->reason : "");
	l->n++;
}

int maint_cmd_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		{ "until", required_argument, NULL, 'u' },
		{ "for", required_argument, NULL, 'd' },
		{ "reason", required_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL, *from = NULL, *until = NULL, *dur = NULL, *reason = NULL, *sub;
	struct serat_config *conf;
	struct events_db *db;
	char err[8192];
	int c, all = 0, rc = SERAT_EXIT_FAIL;

	if (argc < 2)
		return mc_usage();
	sub = argv[1];
	argc--;
	argv++;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'f': from = optarg; break;
		case 'u': until = optarg; break;
		case 'd': dur = optarg; break;
		case 'r': reason = optarg; break;
		case 'a': all = 1; break;
		case 'h': mc_usage(); return SERAT_EXIT_OK;
		default: return mc_usage();
		}
	}
	if (path == NULL)
		return mc_usage();
	int want_args = strcmp(sub, "list") == 0 ? 0 : 1;
	if (argc - optind != want_args ||
	    (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "remove") != 0))
		return mc_usage();
	if (strcmp(sub, "add") == 0 && (until == NULL) == (dur == NULL))
		return mc_usage();
	if ((conf = config_load(path, err, sizeof(err))) == NULL) {
		fputs(err, stderr);
		return SERAT_EXIT_FAIL;
	}
	if ((db = mc_open(conf)) == NULL)
		goto out;
	if (strcmp(sub, "add") == 0) {
		struct ev_maint m = { .target = argv[optind], .reason = reason, .source = "cli" };
		uint64_t ms;
		m.start = from ? mc_parse_time(from, conf->timezone) : (double)time(NULL);
		if (!mc_target_known(conf, m.target)) {
			fprintf(stderr, "serat: '%s' is neither a device nor a site in %s\n",
				m.target, path);
			goto out;
		}
		if (m.start < 0) {
			fprintf(stderr, "serat: --from: not a time: '%s' (YYYY-MM-DD HH:MM)\n", from);
			goto out;
		}
		if (until)
			m.end = mc_parse_time(until, conf->timezone);
		else if (parse_duration_ms(dur, &ms) == 0)
			m.end = m.start + (double)ms / 1000;
		else
			m.end = -1;
		if (m.end <= m.start) {
			fprintf(stderr, "serat: the window must end after it starts\n");
			goto out;
		}
		if (events_db_maint_add(db, &m) == 0) {
			printf("%" PRId64 "\n", m.id);
			rc = SERAT_EXIT_OK;
		}
	} else if (strcmp(sub, "list") == 0) {
		struct mc_list l = { conf->timezone, 0 };
		if (events_db_maint_list(db, all ? 0 : (double)time(NULL), mc_print, &l) == 0)
			rc = SERAT_EXIT_OK;
	} else {
		char *end;
		errno = 0;
		long long id = strtoll(argv[optind], &end, 10);
		if (errno || *end || id <= 0) {
			fprintf(stderr, "serat: not a window id: '%s'\n", argv[optind]);
			goto out;
		}
		int r = events_db_maint_remove(db, id);
		if (r == -ENOENT)
			fprintf(stderr, "serat: no maintenance window %lld\n", id);
		else if (r == 0)
			rc = SERAT_EXIT_OK;
	}
out:
	events_db_close(db);
	config_free(conf);
	return rc;
}
