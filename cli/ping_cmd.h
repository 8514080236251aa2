/*
 * ping_cmd.h — `serat ping`: run the ICMP prober for one interval and print
 * what it measured.
 *
 *   serat ping [--config FILE] [--count N] [--period DUR] [--spacing DUR]
 *              [--timeout DUR] [--interval DUR] [--socket auto|datagram|raw]
 *              [--json] [--verbose] [TARGET...]
 *
 * TARGETs (addresses or names, resolved before probing) are probed with
 * the settings of FILE's icmp section, or the defaults; without TARGETs,
 * FILE's targets are.  The interval defaults to the time the schedule
 * needs plus one more timeout, so replies up to twice the timeout are
 * still seen, as late.  --spacing also takes fractions and microseconds
 * (0.5ms, 250us; at least 100us).  --json prints one object (docs/probes.md);
 * otherwise one line per target.  The socket kind and why go to stderr
 * (and into the JSON).  Exit codes: 0 every target answered at least once
 * in time, 1 some target did not, or probing was impossible (the message
 * names the sysctl or capability to fix it), 2 usage error.
 */
#ifndef SERAT_PING_CMD_H
#define SERAT_PING_CMD_H

int ping_cmd_main(int argc, char **argv);

#endif
