/*
 * maint_cmd.h — `serat maint add|list|remove`: maintenance windows in the
 * event store, seen by a running seratd without a reload.
 */
#ifndef SERAT_CLI_MAINT_CMD_H
#define SERAT_CLI_MAINT_CMD_H

int maint_cmd_main(int argc, char **argv);

#endif
