/*
 * tcp_analysis.h — TCP sequence analysis with Wireshark's rules.
 *
 * An engineer checks a link's retransmission figure with Wireshark; when
 * serat and Wireshark disagree, serat loses.  So this is a re-statement of
 * the rules of Wireshark 4.0's tcp_analyze_sequence_number() (packet-tcp.c,
 * "TCP Analysis" in the Wireshark User's Guide), per segment, in the same
 * order, with the same state per direction:
 *
 *   - zero window probe: 1 byte at the next expected seq while the other
 *     side's window is 0 (ends the analysis of the segment);
 *   - zero window: window 0 without SYN, FIN or RST;
 *   - keep-alive: 0 or 1 byte at next expected seq - 1, no SYN/FIN/RST;
 *   - duplicate ACK: no data, same window, seq and ack as the direction's
 *     previous segment; the dup-ACK count feeds the fast-retransmission
 *     test;
 *   - for a segment with data (or SYN or FIN) whose seq is below the next
 *     expected seq ("seq not advanced") and that is not a keep-alive:
 *     spurious retransmission (all of it was already ACKed), else fast
 *     retransmission (>= 2 dup ACKs for exactly this seq within 20 ms),
 *     else out-of-order (within max(3 ms, initial RTT) of the highest seq
 *     and not ending at it), else retransmission.  Wireshark's
 *     tcp.analysis.retransmission matches all three retransmission kinds,
 *     and so does TCP_A_ANY_RETRANSMISSION.
 *
 * The initial RTT is Wireshark's tcp.analysis.initial_rtt: from the most
 * recent SYN (without ACK) of the connection to the first segment with ACK
 * and without SYN, in either direction.  A SYN (without ACK) whose seq
 * differs from the one that began the connection starts a new connection
 * on the same ports, as in Wireshark.
 *
 * Sequence numbers are absolute; a value of 0 means "not seen yet", a
 * quirk kept from Wireshark so that the counts agree.
 * Pure functions; no allocation.  Times are nanoseconds.
 */
#ifndef SERAT_PROBES_TCP_ANALYSIS_H
#define SERAT_PROBES_TCP_ANALYSIS_H

#include <stdint.h>

#include "probes/pkt_decode.h"

/* What tcp_analysis_segment() found, as bits. */
enum {
	TCP_A_RETRANSMISSION = 0x0001,
	TCP_A_FAST_RETRANSMISSION = 0x0002,
	TCP_A_SPURIOUS_RETRANSMISSION = 0x0004,
	TCP_A_OUT_OF_ORDER = 0x0008,
	TCP_A_LOST_PACKET = 0x0010,
	TCP_A_KEEP_ALIVE = 0x0020,
	TCP_A_KEEP_ALIVE_ACK = 0x0040,
	TCP_A_ZERO_WINDOW = 0x0080,
	TCP_A_ZERO_WINDOW_PROBE = 0x0100,
	TCP_A_ZERO_WINDOW_PROBE_ACK = 0x0200,
	TCP_A_DUPLICATE_ACK = 0x0400,
	TCP_A_WINDOW_UPDATE = 0x0800,
	TCP_A_ACK_LOST_PACKET = 0x1000,
	TCP_A_REUSED_PORTS = 0x2000,
	TCP_A_INITIAL_RTT = 0x4000,   /* this segment completed the handshake */
	TCP_A_ANY_RETRANSMISSION = TCP_A_RETRANSMISSION | TCP_A_FAST_RETRANSMISSION |
				   TCP_A_SPURIOUS_RETRANSMISSION,
};

/* One direction of a connection. */
struct tcp_dir {
	uint32_t base_seq;
	uint32_t nextseq;          /* highest seq + len seen; 0 = none */
	uint32_t maxseqtobeacked;
	uint32_t lastack;          /* this direction's last ack field */
	uint32_t window;           /* last window, scaled when known */
	int64_t nextseq_time;
	int64_t lastack_time;
	int32_t dupacknum;
	int8_t win_scale;          /* -1 unknown, -2 none, else the shift */
	uint8_t base_seq_set;
	uint16_t lastsegflags;     /* TCP_A_* of the previous segment */
};

struct tcp_conv {
	struct tcp_dir dir[2];
	int64_t ts_mru_syn;        /* most recent SYN; 0 = none */
	int64_t first_rtt;         /* the initial RTT; 0 = not yet */
};

/* A fresh connection (also what a reused port pair gets). */
void tcp_conv_init(struct tcp_conv *c);

/*
 * Analyse one segment travelling in direction D (0 or 1; the reverse is
 * 1 - D) at time TS (ns).  Returns TCP_A_* bits.  With TCP_A_INITIAL_RTT set,
 * c->first_rtt holds the handshake RTT.
 */
unsigned tcp_analysis_segment(struct tcp_conv *c, int d, const struct pkt_info *pi,
			      int64_t ts);

#endif
