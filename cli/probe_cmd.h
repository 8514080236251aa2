/*
 * probe_cmd.h — `serat probe --read CAPTURE [--config FILE] [--interval S]
 *               [--flow-memory MB] [--json]`.
 *
 * Analyses a capture file (pcap or pcapng, any link type the decoder
 * knows) offline with the passive probe's engine and prints, per interval
 * and site, packets, bytes, TCP handshakes and their RTT, retransmissions,
 * zero windows and ICMP echo figures, then the whole file's total (see
 * docs/probes.md for the definitions and how they match Wireshark's).
 * Sites and their subnets come from --config; without it, everything is
 * one site, "all".  A file cut short is reported on stderr and with
 * "truncated": true, and the figures of what could be read are printed.
 * Exit codes: 0 analysed (also when cut short), 1 unreadable capture or
 * bad config, 2 usage error.
 */
#ifndef SERAT_CLI_PROBE_CMD_H
#define SERAT_CLI_PROBE_CMD_H

int probe_cmd_main(int argc, char **argv);

#endif
