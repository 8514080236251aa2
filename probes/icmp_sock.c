/*
 * icmp_sock.c — choose between ICMP datagram and raw sockets, and open them
 * (see icmp_sock.h).  The kernel's own rule for datagram sockets
 * (net/ipv4/ping.c, ping_init_sock): allowed when the effective gid or any
 * supplementary gid lies inside ping_group_range, inclusive.
 */
#include "config.h"

#include "probes/icmp_sock.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ICMP_SOCK_RANGE_PATH "/proc/sys/net/ipv4/ping_group_range"
#define ICMP_SOCK_STATUS_PATH "/proc/self/status"
#define ICMP_SOCK_CAP_NET_RAW 13
/* Enough for a burst of replies from hundreds of targets between two reads. */
#define ICMP_SOCK_RCVBUF (1 << 20)

#define ICMP_SOCK_FIX_SYSCTL "sysctl -w net.ipv4.ping_group_range=\"0 2147483647\""
#define ICMP_SOCK_FIX_CAP "setcap cap_net_raw+ep /path/to/serat (and seratd)"

const char *icmp_sock_kind_name(enum icmp_sock_kind k)
{
	switch (k) {
	case ICMP_SOCK_DGRAM: return "datagram";
	case ICMP_SOCK_RAW: return "raw";
	default: return "none";
	}
}

int icmp_sock_pref_parse(const char *s, enum icmp_sock_pref *pref)
{
	if (strcmp(s, "auto") == 0)
		*pref = ICMP_SOCK_AUTO;
	else if (strcmp(s, "datagram") == 0)
		*pref = ICMP_SOCK_PREF_DGRAM;
	else if (strcmp(s, "raw") == 0)
		*pref = ICMP_SOCK_PREF_RAW;
	else
		return -EINVAL;
	return 0;
}

/* The gid of F inside the range, or -1 (as a long) when none is. */
static long icmp_sock_gid_in_range(const struct icmp_sock_facts *f)
{
	if (!f->range_known || f->range_lo > f->range_hi)
		return -1;
	if (f->egid >= f->range_lo && f->egid <= f->range_hi)
		return (long)f->egid;
	for (size_t i = 0; i < f->n_groups; i++)
		if (f->groups[i] >= f->range_lo && f->groups[i] <= f->range_hi)
			return (long)f->groups[i];
	return -1;
}

enum icmp_sock_kind icmp_sock_choose(const struct icmp_sock_facts *f, enum icmp_sock_pref pref,
				     char *why, size_t len)
{
	long gid = icmp_sock_gid_in_range(f);
	char range[64];

	if (f->range_known)
		snprintf(range, sizeof(range), "\"%" PRIu32 " %" PRIu32 "\"", f->range_lo,
			 f->range_hi);
	else
		snprintf(range, sizeof(range), "unreadable");
	if (pref != ICMP_SOCK_PREF_RAW && gid >= 0) {
		snprintf(why, len, "datagram ICMP sockets: gid %ld is inside "
			 "net.ipv4.ping_group_range %s", gid, range);
		return ICMP_SOCK_DGRAM;
	}
	if (pref != ICMP_SOCK_PREF_DGRAM && f->cap_net_raw) {
		snprintf(why, len, "raw ICMP sockets: %s, and the process has CAP_NET_RAW",
			 pref == ICMP_SOCK_PREF_RAW ? "raw sockets were asked for"
						    : "no group of the process is inside "
						      "net.ipv4.ping_group_range");
		return ICMP_SOCK_RAW;
	}
	if (pref == ICMP_SOCK_PREF_DGRAM)
		snprintf(why, len, "cannot open datagram ICMP sockets: gid %ld is outside "
			 "net.ipv4.ping_group_range %s; allow them with `" ICMP_SOCK_FIX_SYSCTL "`",
			 (long)f->egid, range);
	else if (pref == ICMP_SOCK_PREF_RAW)
		snprintf(why, len, "cannot open raw ICMP sockets: the process lacks CAP_NET_RAW; "
			 "grant it with `" ICMP_SOCK_FIX_CAP "` or run as root");
	else
		snprintf(why, len, "cannot open ICMP sockets: gid %ld is outside "
			 "net.ipv4.ping_group_range %s and the process lacks CAP_NET_RAW; "
			 "allow unprivileged ICMP with `" ICMP_SOCK_FIX_SYSCTL "`, or grant raw "
			 "sockets with `" ICMP_SOCK_FIX_CAP "`", (long)f->egid, range);
	return ICMP_SOCK_NONE;
}

int icmp_sock_parse_range(const char *text, uint32_t *lo, uint32_t *hi)
{
	unsigned long a, b;
	char *end;

	errno = 0;
	a = strtoul(text, &end, 10);
	if (end == text || errno != 0 || a > UINT32_MAX || (*end != ' ' && *end != '\t'))
		return -EINVAL;
	text = end;
	b = strtoul(text, &end, 10);
	if (end == text || errno != 0 || b > UINT32_MAX)
		return -EINVAL;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*end != '\0')
		return -EINVAL;
	*lo = (uint32_t)a;
	*hi = (uint32_t)b;
	return 0;
}

int icmp_sock_parse_capeff(const char *text, int *has)
{
	const char *p = text;
	unsigned long long caps;
	char *end;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, "CapEff:", 7) == 0) {
			errno = 0;
			caps = strtoull(p + 7, &end, 16);
			if (end == p + 7 || errno != 0)
				return -EINVAL;
			*has = (caps >> ICMP_SOCK_CAP_NET_RAW) & 1;
			return 0;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return -EINVAL;
}

/* Read a small /proc file whole into BUF; 0 or negative errno. */
static int icmp_sock_read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (f == NULL)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

int icmp_sock_facts_read(struct icmp_sock_facts *f)
{
	char buf[4096];
	gid_t *groups = NULL;
	int n;

	memset(f, 0, sizeof(*f));
	f->egid = getegid();
	if (icmp_sock_read_file(ICMP_SOCK_RANGE_PATH, buf, sizeof(buf)) == 0 &&
	    icmp_sock_parse_range(buf, &f->range_lo, &f->range_hi) == 0)
		f->range_known = 1;
	if (icmp_sock_read_file(ICMP_SOCK_STATUS_PATH, buf, sizeof(buf)) < 0 ||
	    icmp_sock_parse_capeff(buf, &f->cap_net_raw) < 0)
		f->cap_net_raw = geteuid() == 0;
	n = getgroups(0, NULL);
	if (n > 0) {
		groups = calloc((size_t)n, sizeof(*groups));
		if (groups == NULL)
			return -ENOMEM;
		n = getgroups(n, groups);
		if (n < 0) {
			free(groups);
			return -errno;
		}
		f->groups = groups;
		f->n_groups = (size_t)n;
	}
	return 0;
}

void icmp_sock_facts_cleanup(struct icmp_sock_facts *f)
{
	if (f == NULL)
		return;
	free((void *)f->groups);
	f->groups = NULL;
	f->n_groups = 0;
}

/* Let through only the ICMPv6 types the prober parses: a raw ICMPv6
 * socket would otherwise wake us for every neighbour solicitation. */
static int icmp_sock_filter6(int fd)
{
	struct icmp6_filter flt;

	ICMP6_FILTER_SETBLOCKALL(&flt);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &flt);
	ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &flt);
	ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &flt);
	ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &flt);
	ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &flt);
	ICMP6_FILTER_SETPASS(ND_REDIRECT, &flt);
	return setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &flt, sizeof(flt));
}

int icmp_sock_open(int family, enum icmp_sock_kind kind)
{
	int proto = family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	int type = kind == ICMP_SOCK_DGRAM ? SOCK_DGRAM : SOCK_RAW;
	int on = 1, rcvbuf = ICMP_SOCK_RCVBUF, fd, r = 0;

	if ((family != AF_INET && family != AF_INET6) || kind == ICMP_SOCK_NONE)
		return -EINVAL;
	fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	/* Kernel receive timestamps: the RTT then excludes our own wake-up. */
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) < 0)
		r = -errno;
	/* Best effort: a smaller buffer only costs replies in a burst. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (r == 0 && kind == ICMP_SOCK_DGRAM &&
	    setsockopt(fd, family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
		       family == AF_INET6 ? IPV6_RECVERR : IP_RECVERR, &on, sizeof(on)) < 0)
		r = -errno;
	if (r == 0 && kind == ICMP_SOCK_RAW && family == AF_INET6 && icmp_sock_filter6(fd) < 0)
		r = -errno;
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}
