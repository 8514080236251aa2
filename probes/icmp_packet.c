/*
 * icmp_packet.c — build echo requests, parse replies and ICMP errors with
 * every length checked (see icmp_packet.h for the layouts).
 *
 * Offsets are read with explicit byte arithmetic rather than by casting the
 * buffer to struct iphdr / struct icmphdr: the buffer has no alignment
 * guarantee (UBSan would rightly complain), and the reader sees which byte
 * is read at which bound.
 */
#include "config.h"

#include "probes/icmp_packet.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

/* ICMP (RFC 792) and ICMPv6 (RFC 4443, RFC 4861) types we look at. */
enum {
	V4_ECHO_REPLY = 0, V4_UNREACH = 3, V4_SOURCE_QUENCH = 4, V4_REDIRECT = 5,
	V4_ECHO = 8, V4_TIME_EXCEEDED = 11, V4_PARAM_PROBLEM = 12,
	V6_UNREACH = 1, V6_TOO_BIG = 2, V6_TIME_EXCEEDED = 3, V6_PARAM_PROBLEM = 4,
	V6_ECHO = 128, V6_ECHO_REPLY = 129, V6_REDIRECT = 137
};

#define IP4_MIN_HDR 20
#define IP6_HDR 40
#define IP_PROTO_ICMP 1
#define IP_PROTO_ICMPV6 58
/* An ICMPv6 redirect: type, code, checksum, reserved, target, destination. */
#define V6_REDIRECT_LEN 40

static const char *const icmp_err_names[ICMP_ERR_COUNT] = {
	"unreachable", "redirect", "time_exceeded", "other"
};

const char *icmp_err_class_name(enum icmp_err_class c)
{
	return (unsigned)c < ICMP_ERR_COUNT ? icmp_err_names[c] : NULL;
}

enum icmp_err_class icmp_err_classify(int family, uint8_t type)
{
	if (family == AF_INET)
		switch (type) {
		case V4_UNREACH: return ICMP_ERR_UNREACH;
		case V4_REDIRECT: return ICMP_ERR_REDIRECT;
		case V4_TIME_EXCEEDED: return ICMP_ERR_TIME_EXCEEDED;
		case V4_SOURCE_QUENCH:
		case V4_PARAM_PROBLEM: return ICMP_ERR_OTHER;
		default: return ICMP_ERR_COUNT;
		}
	if (family == AF_INET6)
		switch (type) {
		case V6_UNREACH: return ICMP_ERR_UNREACH;
		case V6_REDIRECT: return ICMP_ERR_REDIRECT;
		case V6_TIME_EXCEEDED: return ICMP_ERR_TIME_EXCEEDED;
		case V6_TOO_BIG:
		case V6_PARAM_PROBLEM: return ICMP_ERR_OTHER;
		default: return ICMP_ERR_COUNT;
		}
	return ICMP_ERR_COUNT;
}

static uint16_t icmp_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

uint16_t icmp_checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += icmp_be16(p);
	if (len == 1)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * The length of the IPv4 header at P (LEN bytes available), checked: version
 * 4, IHL at least 5 and within LEN.  -EBADMSG otherwise.
 */
static int icmp_ip4_hdr_len(const uint8_t *p, size_t len)
{
	size_t hl;

	if (len < IP4_MIN_HDR || (p[0] >> 4) != 4)
		return -EBADMSG;
	hl = (size_t)(p[0] & 0x0f) * 4;
	if (hl < IP4_MIN_HDR || hl > len)
		return -EBADMSG;
	return (int)hl;
}

/* The offending datagram quoted by an IPv4 error, starting at Q (QLEN bytes). */
static int icmp_quoted4(const uint8_t *q, size_t qlen, struct icmp_pkt *out)
{
	int hl = icmp_ip4_hdr_len(q, qlen);

	if (hl < 0)
		return hl;
	if (q[9] != IP_PROTO_ICMP)
		return -ENOMSG;
	/* A non-first fragment starts with data, not with our ICMP header. */
	if ((icmp_be16(q + 6) & 0x1fff) != 0)
		return -ENOMSG;
	if (qlen - (size_t)hl < ICMP_ECHO_HDR_LEN)
		return -EBADMSG;
	q += hl;
	if (q[0] != V4_ECHO)
		return -ENOMSG;
	memcpy(out->dst, q - hl + 16, 4);
	out->id = icmp_be16(q + 4);
	out->seq = icmp_be16(q + 6);
	out->has_seq = 1;
	return 0;
}

/*
 * The part IPv4 and IPv6 share: the message M (MLEN >= 8) is an echo reply
 * (*OUT complete, returns 0), an error we report (kind and class set,
 * returns 1: the quoted request is next), or none of ours (-ENOMSG).
 */
static int icmp_parse_head(int family, const uint8_t *m, size_t mlen, struct icmp_pkt *out)
{
	out->type = m[0];
	out->code = m[1];
	if (m[0] == (family == AF_INET ? V4_ECHO_REPLY : V6_ECHO_REPLY)) {
		out->kind = ICMP_PKT_ECHO_REPLY;
		out->id = icmp_be16(m + 4);
		out->seq = icmp_be16(m + 6);
		out->has_seq = 1;
		out->data_len = mlen - ICMP_ECHO_HDR_LEN;
		return 0;
	}
	out->err = icmp_err_classify(family, m[0]);
	if (out->err == ICMP_ERR_COUNT)
		return -ENOMSG;
	out->kind = ICMP_PKT_ERROR;
	return 1;
}

static int icmp_parse4(int with_ip, const uint8_t *buf, size_t len, struct icmp_pkt *out)
{
	const uint8_t *m = buf;
	size_t mlen = len;
	int r;

	if (with_ip) {
		int hl = icmp_ip4_hdr_len(buf, len);
		if (hl < 0)
			return hl;
		if (buf[9] != IP_PROTO_ICMP)
			return -ENOMSG;
		if ((icmp_be16(buf + 6) & 0x1fff) != 0)
			return -ENOMSG;
		m += hl;
		mlen -= (size_t)hl;
	}
	if (mlen < ICMP_ECHO_HDR_LEN)
		return -EBADMSG;
	if (icmp_checksum(m, mlen) != 0)
		return -EBADMSG;
	r = icmp_parse_head(AF_INET, m, mlen, out);
	if (r <= 0)
		return r;
	return icmp_quoted4(m + ICMP_ECHO_HDR_LEN, mlen - ICMP_ECHO_HDR_LEN, out);
}

static int icmp_parse6(const uint8_t *m, size_t mlen, struct icmp_pkt *out)
{
	const uint8_t *q;
	size_t qlen;
	int r;

	if (mlen < ICMP_ECHO_HDR_LEN)
		return -EBADMSG;
	r = icmp_parse_head(AF_INET6, m, mlen, out);
	if (r <= 0)
		return r;
	if (m[0] == V6_REDIRECT) {
		if (mlen < V6_REDIRECT_LEN)
			return -EBADMSG;
		memcpy(out->dst, m + 24, 16);
		return 0;
	}
	q = m + ICMP_ECHO_HDR_LEN;
	qlen = mlen - ICMP_ECHO_HDR_LEN;
	if (qlen < IP6_HDR || (q[0] >> 4) != 6)
		return -EBADMSG;
	/* We send no extension headers: anything else was not ours. */
	if (q[6] != IP_PROTO_ICMPV6)
		return -ENOMSG;
	if (qlen - IP6_HDR < ICMP_ECHO_HDR_LEN)
		return -EBADMSG;
	if (q[IP6_HDR] != V6_ECHO)
		return -ENOMSG;
	memcpy(out->dst, q + 24, 16);
	out->id = icmp_be16(q + IP6_HDR + 4);
	out->seq = icmp_be16(q + IP6_HDR + 6);
	out->has_seq = 1;
	return 0;
}

int icmp_parse(int family, int with_ip, const uint8_t *buf, size_t len, struct icmp_pkt *out)
{
	memset(out, 0, sizeof(*out));
	if (buf == NULL && len > 0)
		return -EINVAL;
	if (family == AF_INET)
		return icmp_parse4(with_ip, buf, len, out);
	if (family == AF_INET6)
		return icmp_parse6(buf, len, out);
	return -EINVAL;
}

int icmp_parse_sent(int family, const uint8_t *buf, size_t len, uint16_t *id, uint16_t *seq)
{
	uint8_t echo = family == AF_INET6 ? V6_ECHO : V4_ECHO;

	if (len < ICMP_ECHO_HDR_LEN)
		return -EBADMSG;
	if (buf[0] != echo)
		return -ENOMSG;
	*id = icmp_be16(buf + 4);
	*seq = icmp_be16(buf + 6);
	return 0;
}

int icmp_echo_build(int family, uint16_t id, uint16_t seq, size_t payload, uint8_t *buf,
		    size_t len)
{
	size_t total = ICMP_ECHO_HDR_LEN + payload;
	uint16_t sum;

	if ((family != AF_INET && family != AF_INET6) || payload > ICMP_MAX_PAYLOAD)
		return -EINVAL;
	if (len < total)
		return -ENOSPC;
	buf[0] = family == AF_INET ? V4_ECHO : V6_ECHO;
	buf[1] = 0;
	buf[2] = buf[3] = 0;
	buf[4] = (uint8_t)(id >> 8);
	buf[5] = (uint8_t)id;
	buf[6] = (uint8_t)(seq >> 8);
	buf[7] = (uint8_t)seq;
	/* A fixed, recognisable pattern: a packet capture shows serat's probes. */
	for (size_t i = 0; i < payload; i++)
		buf[ICMP_ECHO_HDR_LEN + i] = (uint8_t)(0x20 + i % 64);
	if (family == AF_INET) {
		sum = icmp_checksum(buf, total);
		buf[2] = (uint8_t)(sum >> 8);
		buf[3] = (uint8_t)sum;
	}
	return (int)total;
}
