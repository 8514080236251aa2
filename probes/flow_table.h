/*
 * flow_table.h — per-flow state for the passive probe, in bounded memory.
 *
 * A flow is a TCP connection, a UDP or other IP conversation (by address
 * and port pair), or one ICMP/ICMPv6 echo exchange (by address pair,
 * identifier and sequence number).  All entries live in one array sized
 * from the memory cap at creation and never grown: when it is full, the
 * least recently used flow is evicted and counted.  A SYN flood or a port
 * scan therefore costs evictions, not memory; the price is that a long-idle
 * connection that is evicted starts over (its retransmissions are then
 * judged without history, as Wireshark does for a capture that starts in
 * the middle of a connection).
 *
 * flow_table_packet() runs the per-flow analysis of one decoded packet:
 * Wireshark's TCP analysis (tcp_analysis.h) and echo request/reply pairing,
 * and reports what it found in a struct flow_event.  Not thread-safe; one
 * table per capture.
 */
#ifndef SERAT_PROBES_FLOW_TABLE_H
#define SERAT_PROBES_FLOW_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "probes/pkt_decode.h"
#include "probes/tcp_analysis.h"

/* The smallest cap flow_table_new() accepts. */
#define FLOW_TABLE_MIN_BYTES (64 * 1024)

enum flow_kind { FLOW_OTHER = 0, FLOW_TCP, FLOW_ECHO };

struct flow_key {
	uint8_t a[16], b[16];     /* the lower (address, port) end first */
	uint16_t pa, pb;          /* ports; for echoes: identifier, sequence */
	uint8_t ip_version;
	uint8_t proto;
	uint8_t pad[2];           /* zero: keys are compared as bytes */
};

struct flow_entry {
	struct flow_key key;
	int16_t site[2];          /* owner's cache: site of key.a, key.b; -2 unset */
	uint8_t kind;             /* enum flow_kind */
	uint8_t echo_req_dir;     /* FLOW_ECHO: direction of the request */
	uint8_t echo_answered;
	uint32_t hnext, lru_prev, lru_next;
	union {
		struct tcp_conv tcp;
		int64_t echo_req_ts;
	} u;
};

/* What one packet did to its flow. */
enum {
	FLOW_EV_DATA_SEGMENT = 0x01,  /* TCP payload, SYN or FIN */
	FLOW_EV_RETRANS = 0x02,       /* tcp.analysis.retransmission */
	FLOW_EV_HANDSHAKE = 0x04,     /* rtt_ns is tcp.analysis.initial_rtt */
	FLOW_EV_ZERO_WINDOW = 0x08,   /* tcp.analysis.zero_window */
	FLOW_EV_ECHO_REQUEST = 0x10,
	FLOW_EV_ECHO_REPLY = 0x20,    /* any echo reply */
	FLOW_EV_ECHO_ANSWERED = 0x40, /* the reply's request was seen: rtt_ns */
};

struct flow_event {
	struct flow_entry *entry; /* NULL when the packet has no flow */
	int dir;                  /* 0: src is key.a, 1: src is key.b */
	int created;              /* the entry is new (site[] unset) */
	unsigned ev;              /* FLOW_EV_* */
	unsigned tcp;             /* TCP_A_* for TCP segments */
	int64_t rtt_ns;
};

struct flow_table;

/* A table using at most MAX_BYTES of heap (>= FLOW_TABLE_MIN_BYTES).
 * Returns NULL with errno EINVAL or ENOMEM.  Caller frees. */
struct flow_table *flow_table_new(size_t max_bytes);
void flow_table_free(struct flow_table *ft);  /* NULL-safe */

/*
 * Account one decoded IP packet (PKT_OK) seen at TS (ns).  TCP and UDP
 * packets and ICMP/ICMPv6 echoes have a flow; other ICMP messages, TCP in
 * IP fragments and packets without a transport header do not (ev->entry
 * is NULL).  Fills *EV; never fails.
 */
void flow_table_packet(struct flow_table *ft, const struct pkt_info *pi, int64_t ts,
		       struct flow_event *ev);

size_t flow_table_capacity(const struct flow_table *ft);
size_t flow_table_count(const struct flow_table *ft);
uint64_t flow_table_evictions(const struct flow_table *ft);
/* Bytes allocated (what the cap bounds). */
size_t flow_table_bytes(const struct flow_table *ft);

#endif
