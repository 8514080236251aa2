/*
 * probe_msg.h — the messages the capture child sends to seratd.
 *
 * The child parses untrusted packets; seratd must not trust it in turn.
 * So the format is small, fixed and checked like OpenBSD's imsg: every
 * message is an 8-byte header (magic "SP", version 1, type, total length,
 * big-endian) and a payload whose length is exact for its type.  Sites are
 * sent by index into the list seratd gave the child, never by name, so the
 * parent parses no strings.  Numbers are big-endian; doubles travel as
 * their IEEE 754 bits and must be NaN (no samples) or finite and >= 0.
 *
 *   HELLO  uid u32, gid u32, dlt i32          after the privilege drop
 *   SITE   start_s u64, interval_s u32, site u16, 0 u16,
 *          packets, bytes, tcp_handshakes, tcp_segments,
 *          tcp_retransmissions, tcp_zero_windows, icmp_echo_requests,
 *          icmp_echo_replies, icmp_echo_answered  (u64 each),
 *          hs_rtt_median, hs_rtt_p95, icmp_rtt_min, icmp_rtt_median,
 *          icmp_rtt_max (ms, f64 each)
 *   END    start_s u64, interval_s u32, n_sites u16, 0 u16,
 *          decode_errors, pcap_received, pcap_dropped, flow_evictions (u64)
 *
 * An interval is every site's SITE message, then END.
 * Pure encode/decode; no I/O, no allocation.
 */
#ifndef SERAT_PROBES_PROBE_MSG_H
#define SERAT_PROBES_PROBE_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "probes/probe_stats.h"

#define PROBE_MSG_HDR 8
#define PROBE_MSG_MAX 256     /* no message is longer */

enum probe_msg_type { PROBE_MSG_HELLO = 1, PROBE_MSG_SITE = 2, PROBE_MSG_END = 3 };

struct probe_msg {
	enum probe_msg_type type;
	union {
		struct { uint32_t uid, gid; int32_t dlt; } hello;
		struct {
			uint64_t start_s;
			uint32_t interval_s;
			uint16_t site;
			struct probe_summary sum;   /* the pct fields recomputed */
		} site;
		struct {
			uint64_t start_s;
			uint32_t interval_s;
			uint16_t n_sites;
			uint64_t decode_errors, pcap_received, pcap_dropped, flow_evictions;
		} end;
	} u;
};

/* Encode M into BUF (>= PROBE_MSG_MAX bytes).  Returns the length. */
size_t probe_msg_encode(const struct probe_msg *m, uint8_t *buf);

/*
 * Decode the first message of BUF[0..LEN).  Returns its length (> 0) with
 * *M filled, 0 when BUF holds only the start of a message (read more), or
 * -EBADMSG when the bytes cannot be a message (bad magic, version, type,
 * length, or value): the sender is broken or hostile and the stream is
 * unusable from there on.
 */
int probe_msg_decode(const uint8_t *buf, size_t len, struct probe_msg *m);

#endif
