/*
 * icmp_sock.h — which kind of ICMP socket serat may open, and opening it.
 *
 * Linux offers two ways to send echo requests:
 *   - datagram ("ping") sockets, socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP),
 *     open to any process whose group is inside net.ipv4.ping_group_range
 *     (the one sysctl covers IPv4 and IPv6); the kernel chooses the echo
 *     identifier, delivers only the replies to that identifier, and hands
 *     ICMP errors back on the socket's error queue;
 *   - raw sockets, which need CAP_NET_RAW (root, or `setcap cap_net_raw+ep`)
 *     and see every ICMP message the host receives.
 * serat prefers the datagram kind (no privilege at all) and falls back to
 * raw.  The decision is a pure function of facts read from /proc, so that
 * it can be unit-tested, and when neither kind is possible its message
 * names the exact sysctl and capability that would fix it.
 */
#ifndef SERAT_PROBES_ICMP_SOCK_H
#define SERAT_PROBES_ICMP_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum icmp_sock_kind { ICMP_SOCK_NONE, ICMP_SOCK_DGRAM, ICMP_SOCK_RAW };
enum icmp_sock_pref { ICMP_SOCK_AUTO, ICMP_SOCK_PREF_DGRAM, ICMP_SOCK_PREF_RAW };

/* "datagram", "raw" or "none". */
const char *icmp_sock_kind_name(enum icmp_sock_kind k);
/* "auto", "datagram" or "raw" into *PREF; 0 or -EINVAL. */
int icmp_sock_pref_parse(const char *s, enum icmp_sock_pref *pref);

/* What the choice depends on. */
struct icmp_sock_facts {
	int range_known;          /* ping_group_range could be read */
	uint32_t range_lo, range_hi;
	gid_t egid;
	const gid_t *groups;      /* supplementary groups (borrowed) */
	size_t n_groups;
	int cap_net_raw;          /* CAP_NET_RAW is in the effective set */
};

/*
 * Pick the socket kind for PREF.  Writes into WHY (always terminated) one
 * sentence: why this kind was chosen, or, for ICMP_SOCK_NONE, what is
 * missing and the command that would fix it.  Pure.
 */
enum icmp_sock_kind icmp_sock_choose(const struct icmp_sock_facts *f, enum icmp_sock_pref pref,
				     char *why, size_t len);

/* The two numbers of /proc/sys/net/ipv4/ping_group_range; 0 or -EINVAL. Pure. */
int icmp_sock_parse_range(const char *text, uint32_t *lo, uint32_t *hi);
/* Whether the "CapEff:" line of /proc/self/status TEXT has CAP_NET_RAW
 * (*has 0 or 1); 0 or -EINVAL when there is no such line.  Pure. */
int icmp_sock_parse_capeff(const char *text, int *has);

/*
 * Read the facts for this process (its current network namespace): the
 * sysctl, its groups, its capabilities.  0 or negative errno; free with
 * icmp_sock_facts_cleanup (the group list is allocated).
 */
int icmp_sock_facts_read(struct icmp_sock_facts *f);
void icmp_sock_facts_cleanup(struct icmp_sock_facts *f);

/*
 * Open a non-blocking, close-on-exec ICMP socket of KIND for FAMILY, set
 * up for the prober: kernel receive timestamps, a larger receive buffer,
 * the error queue (datagram) or an ICMPv6 type filter (raw).  Returns the
 * descriptor (caller closes) or negative errno.
 */
int icmp_sock_open(int family, enum icmp_sock_kind kind);

#endif
