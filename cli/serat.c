/*
 * serat.c — the `serat` command-line tool: a table of subcommands.
 *
 * `serat COMMAND ARGS...` looks COMMAND up in serat_cmds[] and runs it; the
 * commands themselves live in their own files (see serat_cmd.h for how to
 * add one).  `check-config` is here because it is small: it is seratd's
 * config loader run without the daemon, the equivalent of OpenBSD's `-n`.
 *
 * Exit status: 0 success (a valid config), 1 failure (an invalid config, an
 * unreadable file), 2 a usage error.  Errors go to stderr, one per line as
 * "FILE:LINE:COL: message"; the summary of a valid config goes to stdout.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/alert_cmd.h"
#include "cli/maint_cmd.h"
#include "cli/ping_cmd.h"
#include "cli/probe_cmd.h"
#include "cli/report_cmd.h"
#include "cli/serat_cmd.h"
#include "cli/status_cmd.h"
#include "common/config.h"
#include "common/log.h"

static const struct serat_cmd serat_cmds[] = {
	{ "check-config", "[-q | --print] FILE | --config FILE",
	  "validate a configuration and print a summary (or all of it, normalised)",
	  cmd_check_config },
	{ "status", "--config FILE [--json]",
	  "devices and interfaces from seratd's last status snapshot", status_cmd_main },
	{ "graph", "--config FILE --device D [--if NAME] [--metric M] [--period P] --out FILE.png|.svg",
	  "draw a graph from the RRD files (no daemon needed)", graph_cmd_main },
	{ "probe", "--read CAPTURE [--config FILE] [--interval S] [--flow-memory MB] [--json]",
	  "link quality (handshake RTT, retransmissions, ICMP loss) per site from a capture",
	  probe_cmd_main },
	{ "report", "sla --config FILE --month YYYY-MM --format html|csv|json [--site S] [--lang id|en] [--out FILE]",
	  "the monthly SLA report from the event store and the RRD files", report_cmd_main },
	{ "ping", "[--config FILE] [--count N] [--interval DUR] [--json] [TARGET...]",
	  "probe targets with ICMP echo for one interval (loss, RTT, jitter)", ping_cmd_main },
	{ "alert", "test CHANNEL --config FILE",
	  "send a test message through a channel and report the HTTP result", alert_cmd_main },
	{ "maint", "add TARGET (--until TIME | --for DUR) [--from TIME] [--reason R] --config FILE | list | remove ID",
	  "maintenance windows, seen by seratd without a reload", maint_cmd_main },
	{ NULL, NULL, NULL, NULL }
};

static void serat_usage(FILE *out)
{
	fprintf(out, "usage: serat COMMAND [ARGS...]\n"
		     "       serat --help | --version\n\ncommands:\n");
	for (const struct serat_cmd *c = serat_cmds; c->name; c++)
		fprintf(out, "  %s %s\n      %s\n", c->name, c->args, c->summary);
	fprintf(out, "\nexit status: 0 success, 1 failure (e.g. invalid configuration), "
		     "2 usage error\n");
}

/* Room for every error config_load collects (CFG_MAX_ERRORS lines). */
#define CHECK_ERR_LEN (64 * 1024)

int cmd_check_config(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "print", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL;
	struct serat_config *conf;
	char *err, *text;
	int quiet = 0, print = 0, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+c:qph", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'p':
			print = 1;
			break;
		case 'h':
			printf("usage: serat check-config [-q | --print] FILE\n"
			       "       serat check-config [-q | --print] --config FILE\n"
			       "  -q       no output, only the exit status\n"
			       "  --print  the whole configuration, normalised, secrets hidden\n"
			       "exit status: 0 valid, 1 invalid, 2 usage error\n");
			return SERAT_EXIT_OK;
		default:
			fprintf(stderr, "usage: serat check-config [-q | --print] FILE\n");
			return SERAT_EXIT_USAGE;
		}
	}
	if (path == NULL && optind < argc)
		path = argv[optind++];
	if (path == NULL || optind != argc || (quiet && print)) {
		fprintf(stderr, "usage: serat check-config [-q | --print] FILE\n");
		return SERAT_EXIT_USAGE;
	}
	err = malloc(CHECK_ERR_LEN);
	if (err == NULL) {
		fprintf(stderr, "serat: out of memory\n");
		return SERAT_EXIT_FAIL;
	}
	conf = config_load(path, err, CHECK_ERR_LEN);
	if (conf == NULL) {
		fputs(err, stderr);
		free(err);
		return SERAT_EXIT_FAIL;
	}
	free(err);
	if (!quiet) {
		text = print ? config_print(conf) : config_summary(conf);
		if (text == NULL) {
			fprintf(stderr, "serat: out of memory\n");
			config_free(conf);
			return SERAT_EXIT_FAIL;
		}
		fputs(text, stdout);
		free(text);
	}
	config_free(conf);
	return fflush(stdout) == 0 ? SERAT_EXIT_OK : SERAT_EXIT_FAIL;
}

int main(int argc, char **argv)
{
	log_open("serat", 0, LOG_WARNING);
	if (argc < 2) {
		serat_usage(stderr);
		return SERAT_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		serat_usage(stdout);
		return SERAT_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("serat %s\n", PACKAGE_VERSION);
		return SERAT_EXIT_OK;
	}
	for (const struct serat_cmd *c = serat_cmds; c->name; c++)
		if (strcmp(argv[1], c->name) == 0)
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "serat: unknown command '%s' (try serat --help)\n", argv[1]);
	return SERAT_EXIT_USAGE;
}
