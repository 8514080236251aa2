/*
 * icmp_packet.h — ICMP and ICMPv6 echo packets: build the request, parse
 * what comes back.  Pure: no I/O, no globals, no allocation.
 *
 * What arrives on an ICMP socket is untrusted: any host on the path can send
 * any bytes.  icmp_parse() reads a received message with every length
 * checked before it is used and says one of three things: it is an echo
 * reply or an ICMP error quoting an echo request (the caller then matches it
 * by identifier, sequence and address), it is well-formed but none of our
 * business (someone's echo request, a router advertisement, an error about a
 * UDP packet), or it is malformed (counted and skipped by the caller).
 *
 * Layouts (RFC 792, RFC 4443):
 *   IPv4 raw socket:  IPv4 header (IHL × 4 bytes) | ICMP message
 *   IPv4 datagram socket, IPv6 (raw or datagram): ICMP message only
 *   ICMP message: type, code, checksum, then for echo: identifier, sequence,
 *     data; for an error: 4 bytes (unused, MTU or gateway), then as much of
 *     the offending datagram as fits: its IP header and at least the first
 *     8 bytes of what followed, which for an echo request are its ICMP
 *     header with identifier and sequence.
 * An ICMPv6 redirect (type 137) quotes no packet reliably: it is reported
 * with its destination address and no sequence (has_seq 0).
 */
#ifndef SERAT_PROBES_ICMP_PACKET_H
#define SERAT_PROBES_ICMP_PACKET_H

#include <stddef.h>
#include <stdint.h>

/* Type, code, checksum, identifier, sequence. */
#define ICMP_ECHO_HDR_LEN 8
/* The echo data fping and ping send by default (64-byte ICMP messages). */
#define ICMP_DEFAULT_PAYLOAD 56
/* The largest echo data we send. */
#define ICMP_MAX_PAYLOAD 1400

/* ICMP errors as reported per target. */
enum icmp_err_class {
	ICMP_ERR_UNREACH,        /* destination unreachable (v4 3, v6 1) */
	ICMP_ERR_REDIRECT,       /* redirect (v4 5, v6 137) */
	ICMP_ERR_TIME_EXCEEDED,  /* TTL / hop limit or reassembly (v4 11, v6 3) */
	ICMP_ERR_OTHER,          /* parameter problem, source quench, packet too big */
	ICMP_ERR_COUNT
};

/* "unreachable", "redirect", "time_exceeded", "other"; NULL when out of range. */
const char *icmp_err_class_name(enum icmp_err_class c);

/* The class of an ICMP (AF_INET) or ICMPv6 (AF_INET6) TYPE, or
 * ICMP_ERR_COUNT when TYPE is not an error we report. */
enum icmp_err_class icmp_err_classify(int family, uint8_t type);

enum icmp_pkt_kind {
	ICMP_PKT_ECHO_REPLY = 1,
	ICMP_PKT_ERROR = 2
};

struct icmp_pkt {
	enum icmp_pkt_kind kind;
	uint8_t type, code;          /* of the received message */
	enum icmp_err_class err;     /* ICMP_PKT_ERROR only */
	int has_seq;                 /* id and seq are known (all but a v6 redirect) */
	uint16_t id, seq;            /* the reply's, or the quoted request's */
	uint8_t dst[16];             /* ICMP_PKT_ERROR: where the quoted request
	                                was going (4 bytes for IPv4) */
	size_t data_len;             /* ICMP_PKT_ECHO_REPLY: echo data length */
};

/*
 * Parse one received message of FAMILY (AF_INET or AF_INET6).  WITH_IP
 * says an IPv4 header comes first (raw IPv4 sockets); it is ignored for
 * IPv6, whose sockets never deliver the IPv6 header.  The IPv4 header's
 * total length is not trusted (its byte order differs between systems):
 * the message is what was received.  IPv4 checksums are verified (a raw
 * socket sees packets before the kernel's ICMP code checks them); ICMPv6
 * checksums are verified by the kernel.
 *
 * Returns 0 with *OUT filled, -ENOMSG when the message is valid but not an
 * echo reply or an error about an echo request, -EBADMSG when it is
 * malformed (too short, inconsistent lengths, bad checksum), -EINVAL for
 * a bad FAMILY.
 */
int icmp_parse(int family, int with_ip, const uint8_t *buf, size_t len, struct icmp_pkt *out);

/*
 * The identifier and sequence of an echo request we sent, as the kernel
 * hands it back with an ICMP error on a datagram socket's error queue
 * (MSG_ERRQUEUE: the ICMP header and data we sent, without IP header).
 * 0, -ENOMSG (not an echo request) or -EBADMSG (shorter than its header).
 */
int icmp_parse_sent(int family, const uint8_t *buf, size_t len, uint16_t *id, uint16_t *seq);

/*
 * Write an echo request of FAMILY with ID, SEQ and PAYLOAD bytes of data
 * into BUF.  The IPv4 checksum is computed; the ICMPv6 one is left 0 for
 * the kernel, which always fills it in (it needs the addresses).  Returns
 * the length, or -ENOSPC when BUF is too small, -EINVAL for a bad FAMILY or
 * a PAYLOAD over ICMP_MAX_PAYLOAD.
 */
int icmp_echo_build(int family, uint16_t id, uint16_t seq, size_t payload, uint8_t *buf,
		    size_t len);

/* The Internet checksum (RFC 1071) of LEN bytes; 0 over a message that
 * includes a correct checksum field. */
uint16_t icmp_checksum(const uint8_t *p, size_t len);

#endif
