/*
 * tcp_analysis.c — Wireshark's TCP sequence analysis, one segment at a time.
 *
 * The rules and their order are summarised in tcp_analysis.h.  The state
 * is what the rules read: per direction the next expected seq and when it
 * was reached, the last ack and window and when they were sent, the dup-ACK
 * count and the previous segment's findings.  Wireshark also keeps a list
 * of unacknowledged segments per direction; it feeds only the RTO and
 * bytes-in-flight displays, never a retransmission verdict, so it is left
 * out and a connection costs a fixed ~100 bytes.
 */
#include "config.h"

#include <string.h>

#include "probes/tcp_analysis.h"

#define NS_PER_MS 1000000LL

/* Serial-number comparisons (RFC 1982), as Wireshark's GT_SEQ & co. */
static int seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static int seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static int seq_gt(uint32_t a, uint32_t b) { return (int32_t)(b - a) < 0; }

/* Wireshark measures these intervals in unsigned nanoseconds: a timestamp
 * that goes backwards makes a huge interval, never a short one. */
static uint64_t since(int64_t now, int64_t then)
{
	return (uint64_t)(now - then);
}

void tcp_conv_init(struct tcp_conv *c)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < 2; i++) {
		c->dir[i].window = UINT32_MAX;
		c->dir[i].win_scale = -1;
	}
}

/* Wireshark's verify_tcp_window_scaling() on a SYN or SYN/ACK. */
static void tcp_window_scaling(struct tcp_conv *c, int d, const struct pkt_info *pi)
{
	struct tcp_dir *fwd = &c->dir[d], *rev = &c->dir[1 - d];
	int synack = (pi->tcp_flags & PKT_TCP_ACK) != 0;

	if (pi->wscale >= 0)
		fwd->win_scale = pi->wscale;
	if (fwd->win_scale == -1) {
		fwd->win_scale = -2;
		rev->win_scale = -2;
	} else if (synack && rev->win_scale == -2) {
		fwd->win_scale = -2;
	}
}

/* The rules that look at the segment on its own or against its own
 * direction's previous segment.  Wireshark leaves this chain early after
 * a zero window probe and a keep-alive or zero-window-probe ACK. */
static unsigned tcp_flags_fwd(struct tcp_dir *fwd, const struct tcp_dir *rev, uint32_t seq,
			      uint32_t ack, uint32_t seglen, unsigned flags, uint32_t window)
{
	unsigned f = 0;
	int ctl = (flags & (PKT_TCP_SYN | PKT_TCP_FIN | PKT_TCP_RST)) != 0;
	int same = seglen == 0 && seq == fwd->nextseq && ack == fwd->lastack && !ctl;

	if (seglen == 1 && seq == fwd->nextseq && rev->window == 0)
		return TCP_A_ZERO_WINDOW_PROBE;
	if (window == 0 && !ctl)
		f |= TCP_A_ZERO_WINDOW;
	if (fwd->nextseq && seq_gt(seq, fwd->nextseq) && !(flags & PKT_TCP_RST))
		f |= TCP_A_LOST_PACKET;
	if (seglen <= 1 && seq == fwd->nextseq - 1 && !ctl)
		f |= TCP_A_KEEP_ALIVE;
	if (same && window && window != fwd->window)
		f |= TCP_A_WINDOW_UPDATE;
	if (same && window && window == fwd->window && (rev->lastsegflags & TCP_A_KEEP_ALIVE))
		return f | TCP_A_KEEP_ALIVE_ACK;
	if (same && window == 0 && window == fwd->window &&
	    (rev->lastsegflags & TCP_A_ZERO_WINDOW_PROBE))
		return f | TCP_A_ZERO_WINDOW_PROBE_ACK;
	if (same && window && window == fwd->window) {
		fwd->dupacknum++;
		f |= TCP_A_DUPLICATE_ACK;
	}
	return f;
}

/* A segment with data, SYN or FIN below the next expected seq: which kind
 * of retransmission, or out-of-order. */
static unsigned tcp_retrans_kind(const struct tcp_conv *c, const struct tcp_dir *fwd,
				 const struct tcp_dir *rev, uint32_t seq, uint32_t seglen,
				 int64_t ts, unsigned f)
{
	int not_advanced = fwd->nextseq && seq_lt(seq, fwd->nextseq);
	uint64_t ooo_thres = c->first_rtt ? (uint64_t)c->first_rtt : 3 * NS_PER_MS;

	if (f & TCP_A_KEEP_ALIVE)
		return 0;
	/* More than one byte starting one before the next seq: new data
	 * after a zero window probe, not a retransmission. */
	if (seglen > 1 && fwd->nextseq - 1 == seq)
		not_advanced = 0;
	if (not_advanced && rev->dupacknum >= 2 && rev->lastack == seq &&
	    since(ts, rev->lastack_time) < 20 * NS_PER_MS)
		return TCP_A_FAST_RETRANSMISSION;
	if (not_advanced && since(ts, fwd->nextseq_time) < ooo_thres &&
	    fwd->nextseq != seq + seglen)
		return TCP_A_OUT_OF_ORDER;
	if (seglen > 0 && rev->lastack && seq_le(seq + seglen, rev->lastack))
		return TCP_A_SPURIOUS_RETRANSMISSION;
	return not_advanced ? TCP_A_RETRANSMISSION : 0;
}

unsigned tcp_analysis_segment(struct tcp_conv *c, int d, const struct pkt_info *pi,
			      int64_t ts)
{
	struct tcp_dir *fwd, *rev;
	unsigned flags = pi->tcp_flags, f = 0;
	uint32_t seq = pi->seq, ack = pi->ack, seglen = pi->payload_len, window = pi->window;
	uint32_t nextseq;
	int syn = (flags & PKT_TCP_SYN) != 0;

	/* A new SYN on the ports of an old connection: a new connection. */
	if ((flags & (PKT_TCP_SYN | PKT_TCP_ACK)) == PKT_TCP_SYN && c->dir[d].base_seq_set &&
	    seq != c->dir[d].base_seq) {
		tcp_conv_init(c);
		f |= TCP_A_REUSED_PORTS;
	}
	fwd = &c->dir[d];
	rev = &c->dir[1 - d];
	if (!syn && fwd->win_scale >= 0)
		window <<= fwd->win_scale;

	if (!fwd->base_seq_set) {
		fwd->base_seq = syn ? seq : seq - 1;
		fwd->base_seq_set = 1;
	}
	if (!rev->base_seq_set && (flags & PKT_TCP_ACK)) {
		rev->base_seq = ack - 1;
		rev->base_seq_set = 1;
	}

	f |= tcp_flags_fwd(fwd, rev, seq, ack, seglen, flags, window);
	if (ack != fwd->lastack)
		fwd->dupacknum = 0;
	/* ACKed unseen segment: the other direction's data we missed. */
	if (rev->maxseqtobeacked && seq_gt(ack, rev->maxseqtobeacked) && (flags & PKT_TCP_ACK)) {
		f |= TCP_A_ACK_LOST_PACKET;
		rev->maxseqtobeacked = rev->nextseq;
	}
	if (seglen > 0 || (flags & (PKT_TCP_SYN | PKT_TCP_FIN)))
		f |= tcp_retrans_kind(c, fwd, rev, seq, seglen, ts, f);

	nextseq = seq + seglen + ((flags & (PKT_TCP_SYN | PKT_TCP_FIN)) ? 1 : 0);
	if (!(f & TCP_A_ZERO_WINDOW_PROBE)) {
		if (seq_gt(nextseq, fwd->nextseq) || !fwd->nextseq) {
			fwd->nextseq = nextseq;
			fwd->nextseq_time = ts;
		}
		if (seq == fwd->maxseqtobeacked || !fwd->maxseqtobeacked)
			fwd->maxseqtobeacked = fwd->nextseq;
	}
	fwd->window = window;
	fwd->lastack = ack;
	fwd->lastack_time = ts;
	fwd->lastsegflags = (uint16_t)f;

	if (syn)
		tcp_window_scaling(c, d, pi);
	if ((flags & (PKT_TCP_SYN | PKT_TCP_ACK)) == PKT_TCP_SYN)
		c->ts_mru_syn = ts;
	if ((flags & (PKT_TCP_SYN | PKT_TCP_ACK)) == PKT_TCP_ACK && c->ts_mru_syn &&
	    !c->first_rtt) {
		c->first_rtt = ts - c->ts_mru_syn;
		/* Wireshark's "not yet" is a zero time; a zero RTT (equal
		 * timestamps) is reported once and then looks unset. */
		if (c->first_rtt == 0)
			c->first_rtt = 1;
		f |= TCP_A_INITIAL_RTT;
	}
	return f;
}
