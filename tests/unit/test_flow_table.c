/*
 * test_flow_table.c — Wireshark's TCP analysis rules one by one, echo
 * pairing, and the table's memory bound and LRU eviction.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "probes/flow_table.h"
#include "probes/tcp_analysis.h"

#define MS 1000000LL
#define C2S 0   /* client 10.0.0.1:40000 -> server 10.0.0.2:80 */
#define S2C 1

static const uint32_t CISN = 1000, SISN = 5000;

static struct pkt_info seg(int d, unsigned flags, uint32_t seq, uint32_t ack, uint32_t len,
			   uint16_t win)
{
	struct pkt_info pi;
	memset(&pi, 0, sizeof(pi));
	pi.ip_version = 4;
	pi.ip_proto = 6;
	pi.l4 = PKT_L4_TCP;
	pi.src[0] = pi.dst[0] = 10;
	pi.src[3] = d == C2S ? 1 : 2;
	pi.dst[3] = d == C2S ? 2 : 1;
	pi.sport = d == C2S ? 40000 : 80;
	pi.dport = d == C2S ? 80 : 40000;
	pi.tcp_flags = (uint8_t)flags;
	pi.seq = seq;
	pi.ack = ack;
	pi.payload_len = len;
	pi.window = win;
	pi.wscale = -1;
	return pi;
}

/* Feed one segment to a conversation; returns its TCP_A_* bits. */
static unsigned feed(struct tcp_conv *c, int d, unsigned flags, uint32_t seq, uint32_t ack,
		     uint32_t len, uint16_t win, int64_t ts)
{
	struct pkt_info pi = seg(d, flags, seq, ack, len, win);
	return tcp_analysis_segment(c, d, &pi, ts);
}

/* SYN at 1 s, SYN/ACK 10 ms later, ACK 20 ms after the SYN. */
static void handshake(struct tcp_conv *c)
{
	tcp_conv_init(c);
	assert_int_equal(feed(c, C2S, PKT_TCP_SYN, CISN, 0, 0, 64240, 1000 * MS), 0);
	assert_int_equal(feed(c, S2C, PKT_TCP_SYN | PKT_TCP_ACK, SISN, CISN + 1, 0, 65160,
			      1010 * MS), 0);
	assert_int_equal(feed(c, C2S, PKT_TCP_ACK, CISN + 1, SISN + 1, 0, 502, 1020 * MS),
			 TCP_A_INITIAL_RTT);
}

static void test_initial_rtt(void **state)
{
	struct tcp_conv c;
	handshake(&c);
	assert_true(c.first_rtt == 20 * MS);
	/* Later pure ACKs do not measure it again. */
	assert_int_equal(feed(&c, S2C, PKT_TCP_ACK, SISN + 1, CISN + 1, 0, 509, 1030 * MS) &
			 TCP_A_INITIAL_RTT, 0);
}

static void test_syn_retransmission_measures_from_last_syn(void **state)
{
	struct tcp_conv c;
	tcp_conv_init(&c);
	feed(&c, C2S, PKT_TCP_SYN, CISN, 0, 0, 64240, 0 * MS + 1);
	assert_int_equal(feed(&c, C2S, PKT_TCP_SYN, CISN, 0, 0, 64240, 1000 * MS),
			 TCP_A_RETRANSMISSION);
	feed(&c, S2C, PKT_TCP_SYN | PKT_TCP_ACK, SISN, CISN + 1, 0, 65160, 1005 * MS);
	assert_true(feed(&c, C2S, PKT_TCP_ACK, CISN + 1, SISN + 1, 0, 502, 1007 * MS) &
		    TCP_A_INITIAL_RTT);
	assert_true(c.first_rtt == 7 * MS);
}

static void test_data_retransmission(void **state)
{
	struct tcp_conv c;
	handshake(&c);
	assert_int_equal(feed(&c, C2S, PKT_TCP_ACK | PKT_TCP_PSH, CISN + 1, SISN + 1, 100, 502,
			      1100 * MS), 0);
	/* The same bytes 300 ms later, not yet ACKed: a retransmission. */
	assert_int_equal(feed(&c, C2S, PKT_TCP_ACK | PKT_TCP_PSH, CISN + 1, SISN + 1, 100, 502,
			      1400 * MS), TCP_A_RETRANSMISSION);
	/* A part of them too. */
	assert_int_equal(feed(&c, C2S, PKT_TCP_ACK, CISN + 51, SISN + 1, 50, 502, 1700 * MS),
			 TCP_A_RETRANSMISSION);
}

static void test_out_of_order_is_not_retransmission(void **state)
{
	struct tcp_conv c;
	unsigned f;
	handshake(&c);
	/* Segment 2 first: the one before it is missing. */
	f = feed(&c, C2S, PKT_TCP_ACK, CISN + 101, SISN + 1, 100, 502, 1100 * MS);
	assert_int_equal(f, TCP_A_LOST_PACKET);
	/* Segment 1 5 ms later, within the 20 ms initial RTT: out of order. */
	f = feed(&c, C2S, PKT_TCP_ACK, CISN + 1, SISN + 1, 100, 502, 1105 * MS);
	assert_int_equal(f, TCP_A_OUT_OF_ORDER);
	/* The same, 25 ms later (beyond the initial RTT): a retransmission. */
	f = feed(&c, C2S, PKT_TCP_ACK, CISN + 1, SISN + 1, 100, 502, 1130 * MS);
	assert_int_equal(f, TCP_A_RETRANSMISSION);
}

static void test_keepalive_is_not_retransmission(void **state)
{
	struct tcp_conv c;
	handshake(&c);
	feed(&c, C2S, PKT_TCP_ACK, CISN + 1, SISN + 1, 10, 502, 1100 * MS);
	feed(&c, S2C, PKT_TCP_ACK, SISN + 1, CISN + 11, 0, 509, 1110 * MS);
	/* One garbage byte at next seq - 1, 60 s later. */
	assert_int_equal(feed(&c, C2S, PKT_TCP_ACK, CISN + 10, SISN + 1, 1, 502, 61000 * MS),
			 TCP_A_KEEP_ALIVE);
	assert_int_equal(feed(&c, S2C, PKT_TCP_ACK, SISN + 1, CISN + 11, 0, 509, 61010 * MS),
			 TCP_A_KEEP_ALIVE_ACK);
	/* And the zero-length kind. */
	assert_int_equal(feed(&c, C2S, PKT_TCP_ACK, CISN + 10, SISN + 1, 0, 502, 121000 * MS),
			 TCP_A_KEEP_ALIVE);
}

static void test_zero_window_and_probe(void **state)
{
	struct tcp_conv c;
	unsigned f;
	handshake(&c);
	feed(&c, C2S, PKT_TCP_ACK, CISN + 1, SISN + 1, 100, 502, 1100 * MS);
	f = feed(&c, S2C, PKT_TCP_ACK, SISN + 1, CISN + 101, 0, 0, 1110 * MS);
	assert_int_equal(f, TCP_A_ZERO_WINDOW);
	/* The probe: one byte at next seq while the window is closed. */
	f = feed(&c, C2S, PKT_TCP_ACK, CISN + 101, SISN + 1, 1, 502, 1400 * MS);
	assert_int_equal(f, TCP_A_ZERO_WINDOW_PROBE);
	f = feed(&c, S2C, PKT_TCP_ACK, SISN + 1, CISN + 101, 0, 0, 1410 * MS);
	assert_int_equal(f, TCP_A_ZERO_WINDOW | TCP_A_ZERO_WINDOW_PROBE_ACK);
	/* The same probe again is a probe again, not a retransmission. */
	f = feed(&c, C2S, PKT_TCP_ACK, CISN + 101, SISN + 1, 1, 502, 2000 * MS);
	assert_int_equal(f, TCP_A_ZERO_WINDOW_PROBE);
	/* Window opens; data resumes at the probe's byte: new data. */
	f = feed(&c, S2C, PKT_TCP_ACK, SISN + 1, CISN + 101, 0, 509, 2010 * MS);
	assert_int_equal(f, TCP_A_WINDOW_UPDATE);
	f = feed(&c, C2S, PKT_TCP_ACK, CISN + 101, SISN + 1, 100, 502, 2020 * MS);
	assert_int_equal(f & TCP_A_ANY_RETRANSMISSION, 0);
	/* SYN/FIN/RST with a zero window are not zero-window events. */
	assert_int_equal(feed(&c, S2C, PKT_TCP_RST, SISN + 1, 0, 0, 0, 2030 * MS) &
			 TCP_A_ZERO_WINDOW, 0);
}

static void test_fast_retransmission_after_dup_acks(void **state)
{
	struct tcp_conv c;
	unsigned f;
	handshake(&c);
	for (uint32_t i = 0; i < 4; i++)
		feed(&c, C2S, PKT_TCP_ACK, CISN + 1 + i * 100, SISN + 1, 100, 502,
		     1100 * MS + i);
	/* Segment 0 lost: the receiver ACKs its start four times. */
	feed(&c, S2C, PKT_TCP_ACK, SISN + 1, CISN + 1, 0, 509, 1150 * MS);
	assert_int_equal(feed(&c, S2C, PKT_TCP_ACK, SISN + 1, CISN + 1, 0, 509, 1151 * MS),
			 TCP_A_DUPLICATE_ACK);
	assert_int_equal(feed(&c, S2C, PKT_TCP_ACK, SISN + 1, CISN + 1, 0, 509, 1152 * MS),
			 TCP_A_DUPLICATE_ACK);
	f = feed(&c, C2S, PKT_TCP_ACK, CISN + 1, SISN + 1, 100, 502, 1153 * MS);
	assert_int_equal(f, TCP_A_FAST_RETRANSMISSION);
	assert_true(f & TCP_A_ANY_RETRANSMISSION);
}

static void test_spurious_retransmission(void **state)
{
	struct tcp_conv c;
	unsigned f;
	handshake(&c);
	feed(&c, C2S, PKT_TCP_ACK, CISN + 1, SISN + 1, 100, 502, 1100 * MS);
	feed(&c, S2C, PKT_TCP_ACK, SISN + 1, CISN + 101, 0, 509, 1120 * MS);
	f = feed(&c, C2S, PKT_TCP_ACK, CISN + 1, SISN + 1, 100, 502, 1500 * MS);
	assert_int_equal(f, TCP_A_SPURIOUS_RETRANSMISSION);
}

static void test_port_reuse_is_a_new_connection(void **state)
{
	struct tcp_conv c;
	unsigned f;
	handshake(&c);
	feed(&c, C2S, PKT_TCP_FIN | PKT_TCP_ACK, CISN + 1, SISN + 1, 0, 502, 1100 * MS);
	f = feed(&c, C2S, PKT_TCP_SYN, 777777, 0, 0, 64240, 5000 * MS);
	assert_int_equal(f, TCP_A_REUSED_PORTS);
	feed(&c, S2C, PKT_TCP_SYN | PKT_TCP_ACK, 9999, 777778, 0, 65160, 5003 * MS);
	f = feed(&c, C2S, PKT_TCP_ACK, 777778, 10000, 0, 502, 5004 * MS);
	assert_int_equal(f, TCP_A_INITIAL_RTT);
	assert_true(c.first_rtt == 4 * MS);
}

static void test_window_scale_applies_after_handshake(void **state)
{
	struct tcp_conv c;
	struct pkt_info pi;
	tcp_conv_init(&c);
	pi = seg(C2S, PKT_TCP_SYN, CISN, 0, 0, 64240);
	pi.wscale = 7;
	tcp_analysis_segment(&c, C2S, &pi, 1 * MS);
	pi = seg(S2C, PKT_TCP_SYN | PKT_TCP_ACK, SISN, CISN + 1, 0, 65160);
	pi.wscale = 2;
	tcp_analysis_segment(&c, S2C, &pi, 2 * MS);
	assert_int_equal(c.dir[C2S].win_scale, 7);
	assert_int_equal(c.dir[S2C].win_scale, 2);
	feed(&c, C2S, PKT_TCP_ACK, CISN + 1, SISN + 1, 0, 502, 3 * MS);
	assert_int_equal(c.dir[C2S].window, 502u << 7);
	/* Without the option in the SYN/ACK neither side scales. */
	tcp_conv_init(&c);
	pi = seg(C2S, PKT_TCP_SYN, CISN, 0, 0, 64240);
	pi.wscale = 7;
	tcp_analysis_segment(&c, C2S, &pi, 1 * MS);
	feed(&c, S2C, PKT_TCP_SYN | PKT_TCP_ACK, SISN, CISN + 1, 0, 65160, 2 * MS);
	assert_int_equal(c.dir[C2S].win_scale, -2);
	assert_int_equal(c.dir[S2C].win_scale, -2);
}

/* ---- the table */

static void test_table_cap_and_eviction(void **state)
{
	struct flow_table *ft;
	struct flow_event ev;
	struct pkt_info pi = seg(C2S, PKT_TCP_SYN, CISN, 0, 0, 1000);
	size_t cap;

	errno = 0;
	assert_null(flow_table_new(FLOW_TABLE_MIN_BYTES - 1));
	assert_int_equal(errno, EINVAL);
	ft = flow_table_new(FLOW_TABLE_MIN_BYTES);
	assert_non_null(ft);
	assert_true(flow_table_bytes(ft) <= FLOW_TABLE_MIN_BYTES);
	cap = flow_table_capacity(ft);
	assert_true(cap > 100);
	/* A SYN flood from 3 x cap source ports. */
	for (uint32_t i = 0; i < 3 * cap; i++) {
		pi.sport = (uint16_t)(1024 + i % 60000);
		pi.src[1] = (uint8_t)(i / 60000);
		flow_table_packet(ft, &pi, (int64_t)i, &ev);
		assert_non_null(ev.entry);
		assert_int_equal(ev.created, 1);
		/* Keep the first flow busy: LRU must not evict it. */
		if (i % 50 == 0) {
			struct pkt_info keep = seg(S2C, PKT_TCP_ACK, SISN, CISN, 0, 9);
			keep.dport = 999;
			flow_table_packet(ft, &keep, (int64_t)i, &ev);
			assert_int_equal(ev.created, i == 0);
		}
	}
	assert_int_equal(flow_table_count(ft), cap);
	assert_int_equal(flow_table_evictions(ft), 3 * cap + 1 - cap);
	flow_table_free(ft);
	flow_table_free(NULL);
}

static void test_both_directions_one_flow(void **state)
{
	struct flow_table *ft = flow_table_new(1 << 20);
	struct flow_event ev;
	struct pkt_info a = seg(C2S, PKT_TCP_SYN, CISN, 0, 0, 1000);
	struct pkt_info b = seg(S2C, PKT_TCP_SYN | PKT_TCP_ACK, SISN, CISN + 1, 0, 1000);
	struct pkt_info c = seg(C2S, PKT_TCP_ACK, CISN + 1, SISN + 1, 0, 1000);
	struct flow_entry *x;

	flow_table_packet(ft, &a, 1 * MS, &ev);
	x = ev.entry;
	assert_int_equal(ev.ev, FLOW_EV_DATA_SEGMENT);
	flow_table_packet(ft, &b, 2 * MS, &ev);
	assert_ptr_equal(ev.entry, x);
	assert_int_equal(ev.created, 0);
	flow_table_packet(ft, &c, 4 * MS, &ev);
	assert_int_equal(ev.ev, FLOW_EV_HANDSHAKE);
	assert_true(ev.rtt_ns == 3 * MS);
	/* TCP inside an IP fragment has no flow. */
	c.fragment = 1;
	flow_table_packet(ft, &c, 5 * MS, &ev);
	assert_null(ev.entry);
	flow_table_free(ft);
}

static struct pkt_info echo(int v6, int reply, uint16_t id, uint16_t sq)
{
	struct pkt_info pi;
	memset(&pi, 0, sizeof(pi));
	pi.ip_version = v6 ? 6 : 4;
	pi.ip_proto = v6 ? 58 : 1;
	pi.l4 = v6 ? PKT_L4_ICMP6 : PKT_L4_ICMP;
	pi.icmp_type = v6 ? (reply ? 129 : 128) : (reply ? 0 : 8);
	pi.src[0] = reply ? 2 : 1;
	pi.dst[0] = reply ? 1 : 2;
	pi.icmp_id = id;
	pi.icmp_seq = sq;
	return pi;
}

static void test_echo_pairing(void **state)
{
	struct flow_table *ft = flow_table_new(1 << 20);
	struct flow_event ev;
	for (int v6 = 0; v6 < 2; v6++) {
		struct pkt_info q = echo(v6, 0, 7, 1), r = echo(v6, 1, 7, 1);
		flow_table_packet(ft, &q, 100 * MS, &ev);
		assert_int_equal(ev.ev, FLOW_EV_ECHO_REQUEST);
		flow_table_packet(ft, &r, 112 * MS, &ev);
		assert_int_equal(ev.ev, FLOW_EV_ECHO_REPLY | FLOW_EV_ECHO_ANSWERED);
		assert_true(ev.rtt_ns == 12 * MS);
		/* A duplicate reply is not a second answer. */
		flow_table_packet(ft, &r, 113 * MS, &ev);
		assert_int_equal(ev.ev, FLOW_EV_ECHO_REPLY);
		/* Another sequence number's reply without a request. */
		r.icmp_seq = 2;
		flow_table_packet(ft, &r, 114 * MS, &ev);
		assert_int_equal(ev.ev, FLOW_EV_ECHO_REPLY);
		/* Another identifier does not match. */
		q.icmp_seq = 3;
		flow_table_packet(ft, &q, 115 * MS, &ev);
		r.icmp_seq = 3;
		r.icmp_id = 8;
		flow_table_packet(ft, &r, 116 * MS, &ev);
		assert_int_equal(ev.ev, FLOW_EV_ECHO_REPLY);
	}
	/* An unreachable has no flow. */
	struct pkt_info u = echo(0, 0, 0, 0);
	u.icmp_type = 3;
	flow_table_packet(ft, &u, 1, &ev);
	assert_null(ev.entry);
	flow_table_free(ft);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initial_rtt),
		cmocka_unit_test(test_syn_retransmission_measures_from_last_syn),
		cmocka_unit_test(test_data_retransmission),
		cmocka_unit_test(test_out_of_order_is_not_retransmission),
		cmocka_unit_test(test_keepalive_is_not_retransmission),
		cmocka_unit_test(test_zero_window_and_probe),
		cmocka_unit_test(test_fast_retransmission_after_dup_acks),
		cmocka_unit_test(test_spurious_retransmission),
		cmocka_unit_test(test_port_reuse_is_a_new_connection),
		cmocka_unit_test(test_window_scale_applies_after_handshake),
		cmocka_unit_test(test_table_cap_and_eviction),
		cmocka_unit_test(test_both_directions_one_flow),
		cmocka_unit_test(test_echo_pairing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
