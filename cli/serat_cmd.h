/*
 * serat_cmd.h — the subcommands of the `serat` tool.
 *
 * Each subcommand lives in its own file (cli/check_config is in serat.c,
 * cli/status_cmd.c, ...) and exports one function with this signature; the
 * table in cli/serat.c maps names to functions.  To add a command: write
 * cli/NAME_cmd.c, declare its function here, add one line to the table and
 * the file to serat_SOURCES in Makefile.am.
 *
 * A command gets argv with argv[0] = its own name (getopt-ready: reset
 * optind to 1 before getopt) and returns the process exit status:
 * SERAT_EXIT_OK, SERAT_EXIT_FAIL or SERAT_EXIT_USAGE.  Commands never call
 * exit(); main() does.
 */
#ifndef SERAT_CLI_SERAT_CMD_H
#define SERAT_CLI_SERAT_CMD_H

enum {
	SERAT_EXIT_OK = 0,     /* did what was asked (check-config: valid) */
	SERAT_EXIT_FAIL = 1,   /* the command failed (check-config: invalid config) */
	SERAT_EXIT_USAGE = 2   /* bad command line */
};

struct serat_cmd {
	const char *name;
	const char *args;      /* synopsis after the name, for --help */
	const char *summary;   /* one line for --help */
	int (*run)(int argc, char **argv);
};

int cmd_check_config(int argc, char **argv);
int graph_cmd_main(int argc, char **argv);      /* cli/graph_cmd.c */

#endif
