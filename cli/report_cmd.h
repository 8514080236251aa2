/*
 * report_cmd.h — `serat report sla`: the monthly SLA report (docs/sla.md).
 */
#ifndef SERAT_CLI_REPORT_CMD_H
#define SERAT_CLI_REPORT_CMD_H

int report_cmd_main(int argc, char **argv);

#endif
