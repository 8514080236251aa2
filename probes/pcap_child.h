/*
 * pcap_child.h — the live passive probe: capture, drop privileges, analyse,
 * report per-interval aggregates over a socket.
 *
 * pcap_child_run() is the whole life of the capture process (serat-probe):
 *
 *   1. open the capture with the privilege that needs (root or
 *      CAP_NET_RAW): pcap_create + pcap_activate with a large kernel
 *      buffer, a short snap length (headers are all the analysis reads),
 *      nanosecond timestamps where the kernel has them, the BPF filter;
 *   2. drop to an unprivileged user: setgroups, setgid, setuid, then
 *      verify that the real, effective and saved ids are that user and that
 *      getting root back fails, and set no_new_privs;
 *   3. say HELLO (the uid and gid it now runs as) and then, per interval,
 *      one SITE message per site and an END (probe_msg.h) on FD.
 *
 * The process is exec'd fresh by its parent: it never had seratd's config
 * or secrets in its memory, only what its command line says (interface,
 * filter, interval, site subnets).  A bug in the packet path can reach
 * the capture and that socket, nothing else.
 * It stops on SIGTERM/SIGINT (after sending the interval in progress), when
 * FD is closed by the reader, or after max_intervals intervals.
 */
#ifndef SERAT_PROBES_PCAP_CHILD_H
#define SERAT_PROBES_PCAP_CHILD_H

#include <stddef.h>

#include "common/cidr.h"

struct pcap_child_site {
	const struct cidr *nets;
	size_t n_nets;
};

struct pcap_child_conf {
	const char *interface;
	const char *filter;            /* BPF; NULL or "" for everything */
	const char *user;              /* to run as after opening; "nobody" */
	unsigned interval_s;
	size_t flow_mem_bytes;
	size_t buffer_bytes;           /* kernel capture buffer */
	unsigned max_intervals;        /* 0: until stopped */
	int fd;                        /* where messages go */
	const struct pcap_child_site *sites;   /* SITE messages use these indexes */
	size_t n_sites;
};

/* Run the probe.  Returns 0 after a clean stop, or a negative errno
 * after logging why (opening the capture, dropping privileges, writing). */
int pcap_child_run(const struct pcap_child_conf *conf);

/* Become USER for good (all of uid, gid, groups) and check that it took.
 * Returns 0 or a negative errno after logging.  Exposed for tests. */
int pcap_child_drop_privileges(const char *user);

#endif
