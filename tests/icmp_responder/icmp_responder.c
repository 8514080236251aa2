/*
 * icmp_responder.c — a test fixture: answers ICMP echo requests the way a
 * rule per destination address says, so that the prober's loss, RTT,
 * jitter, late, duplicate and error counts can be checked exactly.  It
 * runs as root inside a network namespace the test creates, whose kernel
 * is told not to answer echo requests itself (icmp_echo_ignore_all).
 *
 *   icmp_responder --ready FILE [--router4 ADDR] [--router6 ADDR] ADDR=RULE...
 *
 * RULEs (N counts the requests to that address, from 1):
 *   delay:MS          reply after MS milliseconds
 *   alt:MS1:MS2       reply after MS1 for odd N, MS2 for even N
 *   drop:K[:MS]       no reply when N is a multiple of K, else after MS
 *   dup[:MS]          two replies after MS
 *   unreach           ICMP destination unreachable (host) from the router
 *   timex             ICMP time exceeded from the router
 *   redirect          ICMP redirect (IPv4) from the router, no reply
 * Replies come from the address asked (IP_PKTINFO / IPV6_PKTINFO), errors
 * from --router4 / --router6, which must be local addresses too.  FILE is
 * created once both sockets are open.  SIGTERM ends it.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_RULES 64
#define MAX_PENDING 4096
#define PKT_MAX 1500

enum action { A_DELAY, A_ALT, A_DROP, A_DUP, A_UNREACH, A_TIMEX, A_REDIRECT };

struct rule {
	int family;
	uint8_t addr[16];
	enum action act;
	long ms1, ms2, k;
	unsigned long n;
};

struct pending {
	int64_t due;
	int family;
	uint8_t src[16];          /* our address the reply comes from */
	struct sockaddr_storage to;
	size_t len;
	uint8_t pkt[PKT_MAX];
};

static struct rule rules[MAX_RULES];
static size_t n_rules;
static struct pending *pend;
static size_t n_pend;
static uint8_t router4[4], router6[16];
static int fd4 = -1, fd6 = -1;
static volatile sig_atomic_t stop;

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	for (; len > 1; p += 2, len -= 2)
		s += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		s += (uint32_t)p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void die(const char *msg)
{
	perror(msg);
	exit(1);
}

static int parse_rule(const char *arg)
{
	struct rule *r = &rules[n_rules];
	char addr[64], act[64];
	const char *eq = strchr(arg, '=');

	if (eq == NULL || n_rules == MAX_RULES || (size_t)(eq - arg) >= sizeof(addr))
		return -1;
	memcpy(addr, arg, (size_t)(eq - arg));
	addr[eq - arg] = '\0';
	snprintf(act, sizeof(act), "%s", eq + 1);
	memset(r, 0, sizeof(*r));
	if (inet_pton(AF_INET, addr, r->addr) == 1)
		r->family = AF_INET;
	else if (inet_pton(AF_INET6, addr, r->addr) == 1)
		r->family = AF_INET6;
	else
		return -1;
	if (sscanf(act, "delay:%ld", &r->ms1) == 1)
		r->act = A_DELAY;
	else if (sscanf(act, "alt:%ld:%ld", &r->ms1, &r->ms2) == 2)
		r->act = A_ALT;
	else if (sscanf(act, "drop:%ld:%ld", &r->k, &r->ms1) >= 1 && r->k > 0)
		r->act = A_DROP;
	else if (strncmp(act, "dup", 3) == 0) {
		r->act = A_DUP;
		sscanf(act, "dup:%ld", &r->ms1);
	} else if (strcmp(act, "unreach") == 0)
		r->act = A_UNREACH;
	else if (strcmp(act, "timex") == 0)
		r->act = A_TIMEX;
	else if (strcmp(act, "redirect") == 0 && r->family == AF_INET)
		r->act = A_REDIRECT;
	else
		return -1;
	n_rules++;
	return 0;
}

static void queue(int64_t due, int family, const uint8_t *src, const struct sockaddr_storage *to,
		  const uint8_t *pkt, size_t len)
{
	struct pending *p;

	if (n_pend == MAX_PENDING || len > PKT_MAX)
		return;
	p = &pend[n_pend++];
	p->due = due;
	p->family = family;
	memcpy(p->src, src, family == AF_INET ? 4 : 16);
	p->to = *to;
	p->len = len;
	memcpy(p->pkt, pkt, len);
}

/* Put one control message (LEVEL, TYPE, LEN bytes of DATA) in MSG. */
static void put_cmsg(struct msghdr *msg, int level, int type, const void *data, size_t len)
{
	struct cmsghdr *c;

	msg->msg_controllen = CMSG_SPACE(len);
	c = CMSG_FIRSTHDR(msg);
	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(c), data, len);
}

/* Send PKT to TO from SRC (one of our addresses), through the right socket. */
static void send_from(int family, const uint8_t *src, const struct sockaddr_storage *to,
		      const uint8_t *pkt, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { (void *)pkt, len };
	struct msghdr msg = { (void *)to, family == AF_INET ? sizeof(struct sockaddr_in)
							     : sizeof(struct sockaddr_in6),
			      &iov, 1, ctl.buf, 0, 0 };
	struct in_pktinfo pi4;
	struct in6_pktinfo pi6;

	memset(&ctl, 0, sizeof(ctl));
	msg.msg_control = ctl.buf;
	memset(&pi4, 0, sizeof(pi4));
	memset(&pi6, 0, sizeof(pi6));
	if (family == AF_INET) {
		memcpy(&pi4.ipi_spec_dst, src, 4);
		put_cmsg(&msg, IPPROTO_IP, IP_PKTINFO, &pi4, sizeof(pi4));
	} else {
		memcpy(&pi6.ipi6_addr, src, 16);
		put_cmsg(&msg, IPPROTO_IPV6, IPV6_PKTINFO, &pi6, sizeof(pi6));
	}
	if (sendmsg(family == AF_INET ? fd4 : fd6, &msg, 0) < 0)
		perror("icmp_responder: sendmsg");
}

/* An ICMP error about the request QUOTED (QLEN bytes, from its IP header). */
static void send_error(int family, enum action act, const struct sockaddr_storage *to,
		       const uint8_t *quoted, size_t qlen)
{
	uint8_t pkt[PKT_MAX];
	size_t len;

	memset(pkt, 0, 8);
	if (family == AF_INET) {
		/* RFC 792: the IP header and the first 8 bytes of its data. */
		size_t hl = (size_t)(quoted[0] & 0x0f) * 4;
		if (qlen > hl + 8)
			qlen = hl + 8;
		pkt[0] = act == A_UNREACH ? 3 : act == A_TIMEX ? 11 : 5;
		pkt[1] = act == A_UNREACH ? 1 : act == A_TIMEX ? 0 : 1;
		if (act == A_REDIRECT)
			memcpy(pkt + 4, router4, 4);
	} else {
		if (qlen > 1232 - 8)
			qlen = 1232 - 8;
		pkt[0] = act == A_UNREACH ? ICMP6_DST_UNREACH : ICMP6_TIME_EXCEEDED;
		pkt[1] = act == A_UNREACH ? ICMP6_DST_UNREACH_ADDR : 0;
	}
	memcpy(pkt + 8, quoted, qlen);
	len = 8 + qlen;
	if (family == AF_INET) {
		uint16_t s = csum(pkt, len);
		pkt[2] = (uint8_t)(s >> 8);
		pkt[3] = (uint8_t)s;
	}
	send_from(family, family == AF_INET ? router4 : router6, to, pkt, len);
}

/* A request ICMP (LEN bytes) to DST from FROM; QUOTED is what an error quotes. */
static void on_request(int family, const uint8_t *dst, const struct sockaddr_storage *from,
		       const uint8_t *icmp, size_t len, const uint8_t *quoted, size_t qlen)
{
	uint8_t reply[PKT_MAX];
	struct rule *r = NULL;
	int64_t now = now_ms();
	long delay;

	for (size_t i = 0; i < n_rules && r == NULL; i++)
		if (rules[i].family == family &&
		    memcmp(rules[i].addr, dst, family == AF_INET ? 4 : 16) == 0)
			r = &rules[i];
	if (r == NULL || len > PKT_MAX || len < 8)
		return;
	r->n++;
	if (r->act == A_UNREACH || r->act == A_TIMEX || r->act == A_REDIRECT) {
		send_error(family, r->act, from, quoted, qlen);
		return;
	}
	if (r->act == A_DROP && r->n % (unsigned long)r->k == 0)
		return;
	delay = r->act == A_ALT && r->n % 2 == 0 ? r->ms2 : r->ms1;
	memcpy(reply, icmp, len);
	reply[0] = family == AF_INET ? 0 : ICMP6_ECHO_REPLY;
	reply[2] = reply[3] = 0;
	if (family == AF_INET) {
		uint16_t s = csum(reply, len);
		reply[2] = (uint8_t)(s >> 8);
		reply[3] = (uint8_t)s;
	}
	queue(now + delay, family, dst, from, reply, len);
	if (r->act == A_DUP)
		queue(now + delay, family, dst, from, reply, len);
}

static void read4(void)
{
	uint8_t buf[PKT_MAX + 60];
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(fd4, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
	size_t hl;

	if (n < 20)
		return;
	hl = (size_t)(buf[0] & 0x0f) * 4;
	if (hl < 20 || (size_t)n < hl + 8 || buf[hl] != 8)
		return;
	on_request(AF_INET, buf + 16, &from, buf + hl, (size_t)n - hl, buf, (size_t)n);
}

static void read6(void)
{
	uint8_t buf[PKT_MAX], quoted[PKT_MAX + 40];
	union {
		char b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} ctl;
	struct sockaddr_storage from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg = { &from, sizeof(from), &iov, 1, ctl.b, sizeof(ctl.b), 0 };
	struct in6_pktinfo pi;
	int have = 0;
	ssize_t n = recvmsg(fd6, &msg, MSG_DONTWAIT);

	if (n < 8 || buf[0] != ICMP6_ECHO_REQUEST)
		return;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			have = 1;
		}
	if (!have)
		return;
	/* Rebuild the IPv6 header an error quotes (the socket does not give it). */
	memset(quoted, 0, 40);
	quoted[0] = 0x60;
	quoted[4] = (uint8_t)(n >> 8);
	quoted[5] = (uint8_t)n;
	quoted[6] = IPPROTO_ICMPV6;
	quoted[7] = 64;
	memcpy(quoted + 8, &((struct sockaddr_in6 *)&from)->sin6_addr, 16);
	memcpy(quoted + 24, &pi.ipi6_addr, 16);
	memcpy(quoted + 40, buf, (size_t)n);
	on_request(AF_INET6, (const uint8_t *)&pi.ipi6_addr, &from, buf, (size_t)n, quoted,
		   (size_t)n + 40);
}

static void flush_due(void)
{
	int64_t now = now_ms();

	for (size_t i = 0; i < n_pend;) {
		if (pend[i].due > now) {
			i++;
			continue;
		}
		send_from(pend[i].family, pend[i].src, &pend[i].to, pend[i].pkt, pend[i].len);
		pend[i] = pend[--n_pend];
	}
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	const char *ready = NULL;
	int on = 1;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--ready") == 0 && i + 1 < argc)
			ready = argv[++i];
		else if (strcmp(argv[i], "--router4") == 0 && i + 1 < argc) {
			if (inet_pton(AF_INET, argv[++i], router4) != 1)
				die("--router4");
		} else if (strcmp(argv[i], "--router6") == 0 && i + 1 < argc) {
			if (inet_pton(AF_INET6, argv[++i], router6) != 1)
				die("--router6");
		} else if (parse_rule(argv[i]) < 0) {
			fprintf(stderr, "icmp_responder: bad rule '%s'\n", argv[i]);
			return 2;
		}
	}
	pend = calloc(MAX_PENDING, sizeof(*pend));
	if (pend == NULL)
		die("calloc");
	fd4 = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	fd6 = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	if (fd4 < 0 || fd6 < 0)
		die("icmp_responder: raw socket (needs root)");
	{
		struct icmp6_filter flt;
		ICMP6_FILTER_SETBLOCKALL(&flt);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REQUEST, &flt);
		if (setsockopt(fd6, IPPROTO_ICMPV6, ICMP6_FILTER, &flt, sizeof(flt)) < 0 ||
		    setsockopt(fd6, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) < 0)
			die("icmp_responder: setsockopt");
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	if (ready && ((f = fopen(ready, "w")) == NULL || fclose(f) != 0))
		die("icmp_responder: ready file");
	while (!stop) {
		struct pollfd pfd[2] = { { fd4, POLLIN, 0 }, { fd6, POLLIN, 0 } };
		int64_t next = -1, now = now_ms();
		int timeout = 1000;

		for (size_t i = 0; i < n_pend; i++)
			if (next < 0 || pend[i].due < next)
				next = pend[i].due;
		if (next >= 0)
			timeout = next <= now ? 0 : (int)(next - now);
		if (poll(pfd, 2, timeout) < 0 && errno != EINTR)
			die("poll");
		if (pfd[0].revents & POLLIN)
			read4();
		if (pfd[1].revents & POLLIN)
			read6();
		flush_due();
	}
	free(pend);
	close(fd4);
	close(fd6);
	return 0;
}
