/*
 * alert_cmd.h — `serat alert test CHANNEL --config FILE`.
 */
#ifndef SERAT_CLI_ALERT_CMD_H
#define SERAT_CLI_ALERT_CMD_H

int alert_cmd_main(int argc, char **argv);

#endif
