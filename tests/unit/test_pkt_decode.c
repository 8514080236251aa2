/*
 * test_pkt_decode.c — the packet decoder on hand-built frames, edge cases
 * first: nothing, cut headers, lying lengths; then each layer it knows.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "probes/pkt_decode.h"

/* A frame under construction. */
struct frame {
	uint8_t b[2048];
	size_t n;
};

static void put(struct frame *f, const void *p, size_t n)
{
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void put8(struct frame *f, unsigned v)
{
	f->b[f->n++] = (uint8_t)v;
}

static void put16(struct frame *f, unsigned v)
{
	put8(f, v >> 8);
	put8(f, v);
}

static void put32(struct frame *f, uint32_t v)
{
	put16(f, v >> 16);
	put16(f, v & 0xffff);
}

static void set16(struct frame *f, size_t at, unsigned v)
{
	f->b[at] = (uint8_t)(v >> 8);
	f->b[at + 1] = (uint8_t)v;
}

static void eth(struct frame *f, unsigned type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	put(f, macs, sizeof(macs));
	put16(f, type);
}

/* An IPv4 header with IHL words (>= 5); the total length is patched by
 * ip4_done(). Returns the header's offset. */
static size_t ip4(struct frame *f, unsigned ihl, unsigned proto, unsigned frag)
{
	size_t at = f->n;
	put8(f, 0x40 | ihl);
	put8(f, 0);
	put16(f, 0);                 /* total length, patched */
	put16(f, 0x1234);
	put16(f, frag);
	put8(f, 64);
	put8(f, proto);
	put16(f, 0);
	put32(f, 0x0a000001);        /* 10.0.0.1 */
	put32(f, 0xc0a80102);        /* 192.168.1.2 */
	for (unsigned i = 5; i < ihl; i++)
		put32(f, 0x01010101); /* NOP options */
	return at;
}

static void ip4_done(struct frame *f, size_t at)
{
	set16(f, at + 2, (unsigned)(f->n - at));
}

static size_t ip6(struct frame *f, unsigned nh)
{
	size_t at = f->n;
	put32(f, 0x60000000);
	put16(f, 0);                 /* payload length, patched */
	put8(f, nh);
	put8(f, 64);
	for (int i = 0; i < 15; i++)
		put8(f, i == 0 ? 0x20 : 0);
	put8(f, 1);                  /* 2000::1 */
	for (int i = 0; i < 15; i++)
		put8(f, i == 0 ? 0x20 : 0);
	put8(f, 2);                  /* 2000::2 */
	return at;
}

static void ip6_done(struct frame *f, size_t at)
{
	set16(f, at + 4, (unsigned)(f->n - at - 40));
}

static void tcp(struct frame *f, unsigned flags, unsigned payload, int wscale)
{
	unsigned words = wscale >= 0 ? 6 : 5;
	put16(f, 40000);
	put16(f, 80);
	put32(f, 1000);
	put32(f, 2000);
	put8(f, words << 4);
	put8(f, flags);
	put16(f, 512);
	put32(f, 0);
	if (wscale >= 0) {
		put8(f, 1);
		put8(f, 3);
		put8(f, 3);
		put8(f, (unsigned)wscale);
	}
	for (unsigned i = 0; i < payload; i++)
		put8(f, 'x');
}

static void icmp_echo(struct frame *f, unsigned type, unsigned id, unsigned seq)
{
	put8(f, type);
	put8(f, 0);
	put16(f, 0);
	put16(f, id);
	put16(f, seq);
	put32(f, 0xdeadbeef);
}

static int dec(const struct frame *f, struct pkt_info *pi)
{
	return pkt_decode(PKT_LINK_ETHERNET, f->b, f->n, f->n, pi);
}

static void test_empty_and_tiny(void **state)
{
	struct pkt_info pi;
	uint8_t b[13] = { 0 };
	assert_int_equal(pkt_decode(PKT_LINK_ETHERNET, NULL, 0, 0, &pi), PKT_ERR_TRUNCATED);
	assert_int_equal(pkt_decode(PKT_LINK_ETHERNET, b, 13, 13, &pi), PKT_ERR_TRUNCATED);
	assert_int_equal(pkt_decode(PKT_LINK_RAW, b, 0, 0, &pi), PKT_ERR_TRUNCATED);
	assert_int_equal(pkt_decode(PKT_LINK_SLL, b, 13, 13, &pi), PKT_ERR_TRUNCATED);
	assert_int_equal(pkt_decode(PKT_LINK_UNSUPPORTED, b, 13, 13, &pi), PKT_ERR_LINK);
	/* Raw IP whose version nibble is neither 4 nor 6. */
	b[0] = 0x50;
	assert_int_equal(pkt_decode(PKT_LINK_RAW, b, 13, 13, &pi), PKT_ERR_MALFORMED);
}

static void test_every_cut_of_a_tcp_frame(void **state)
{
	struct frame f = { .n = 0 };
	struct pkt_info pi;
	size_t at;
	eth(&f, 0x0800);
	at = ip4(&f, 5, 6, 0);
	tcp(&f, PKT_TCP_ACK, 10, -1);
	ip4_done(&f, at);
	/* Cut anywhere inside the headers: truncated, never a read past. */
	for (size_t cut = 0; cut < 14 + 20 + 20; cut++)
		assert_int_equal(pkt_decode(PKT_LINK_ETHERNET, f.b, cut, cut, &pi) == PKT_ERR_TRUNCATED ||
				 pkt_decode(PKT_LINK_ETHERNET, f.b, cut, cut, &pi) == PKT_ERR_MALFORMED, 1);
	/* A snaplen cut after the headers: the payload length is the wire's. */
	assert_int_equal(pkt_decode(PKT_LINK_ETHERNET, f.b, 54, f.n, &pi), PKT_OK);
	assert_int_equal(pi.payload_len, 10);
	/* A snaplen cut inside the IP header, wire length known: truncated. */
	assert_int_equal(pkt_decode(PKT_LINK_ETHERNET, f.b, 30, f.n, &pi), PKT_ERR_TRUNCATED);
}

static void test_ipv4_lying_lengths(void **state)
{
	struct frame f = { .n = 0 };
	struct pkt_info pi;
	size_t at;
	eth(&f, 0x0800);
	at = ip4(&f, 5, 6, 0);
	tcp(&f, PKT_TCP_ACK, 4, -1);
	ip4_done(&f, at);
	assert_int_equal(dec(&f, &pi), PKT_OK);
	/* Total length beyond the frame. */
	set16(&f, at + 2, 200);
	assert_int_equal(dec(&f, &pi), PKT_ERR_MALFORMED);
	/* Total length shorter than the header. */
	set16(&f, at + 2, 19);
	assert_int_equal(dec(&f, &pi), PKT_ERR_MALFORMED);
	/* IHL below 5. */
	ip4_done(&f, at);
	f.b[at] = 0x44;
	assert_int_equal(dec(&f, &pi), PKT_ERR_MALFORMED);
	/* IHL 15 (60 bytes) beyond the total length. */
	f.b[at] = 0x4f;
	assert_int_equal(dec(&f, &pi), PKT_ERR_MALFORMED);
	/* Version 6 in an IPv4 EtherType. */
	f.b[at] = 0x65;
	assert_int_equal(dec(&f, &pi), PKT_ERR_MALFORMED);
}

static void test_ipv4_padding_and_zero_length(void **state)
{
	struct frame f = { .n = 0 };
	struct pkt_info pi;
	size_t at;
	eth(&f, 0x0800);
	at = ip4(&f, 5, 6, 0);
	tcp(&f, PKT_TCP_ACK, 0, -1);
	ip4_done(&f, at);
	/* Ethernet pads the 54-byte frame to 60: padding is not payload. */
	for (int i = 0; i < 6; i++)
		put8(&f, 0);
	assert_int_equal(dec(&f, &pi), PKT_OK);
	assert_int_equal(pi.payload_len, 0);
	/* Total length 0 (TSO capture): the rest of the frame. */
	set16(&f, at + 2, 0);
	assert_int_equal(dec(&f, &pi), PKT_OK);
	assert_int_equal(pi.payload_len, 6);
}

static void test_tcp_header_lengths(void **state)
{
	struct frame f = { .n = 0 };
	struct pkt_info pi;
	size_t at;
	eth(&f, 0x0800);
	at = ip4(&f, 5, 6, 0);
	tcp(&f, PKT_TCP_SYN, 0, 7);
	ip4_done(&f, at);
	assert_int_equal(dec(&f, &pi), PKT_OK);
	assert_int_equal(pi.l4, PKT_L4_TCP);
	assert_int_equal(pi.wscale, 7);
	assert_int_equal(pi.tcp_flags, PKT_TCP_SYN);
	assert_int_equal(pi.seq, 1000);
	assert_int_equal(pi.ack, 2000);
	assert_int_equal(pi.window, 512);
	assert_int_equal(pi.sport, 40000);
	assert_int_equal(pi.dport, 80);
	/* Data offset 4 words: malformed. */
	f.b[at + 20 + 12] = 0x40;
	assert_int_equal(dec(&f, &pi), PKT_ERR_MALFORMED);
	/* Data offset 15 words: more than the segment. */
	f.b[at + 20 + 12] = 0xf0;
	assert_int_equal(dec(&f, &pi), PKT_ERR_MALFORMED);
	/* A bad option length ends the option walk; the header stands. */
	f.b[at + 20 + 12] = 0x60;
	f.b[at + 20 + 22] = 0;       /* the wscale option's length byte */
	assert_int_equal(dec(&f, &pi), PKT_OK);
	assert_int_equal(pi.wscale, -1);
	/* A huge shift count is clamped to RFC 7323's 14. */
	f.b[at + 20 + 22] = 3;
	f.b[at + 20 + 23] = 200;
	assert_int_equal(dec(&f, &pi), PKT_OK);
	assert_int_equal(pi.wscale, 14);
}

static void test_ipv4_options_and_fragments(void **state)
{
	struct frame f = { .n = 0 };
	struct pkt_info pi;
	size_t at;
	eth(&f, 0x0800);
	at = ip4(&f, 8, 1, 0x2000);  /* options; first fragment (MF) */
	icmp_echo(&f, 8, 77, 3);
	ip4_done(&f, at);
	assert_int_equal(dec(&f, &pi), PKT_OK);
	assert_int_equal(pi.fragment, 1);
	assert_int_equal(pi.l4, PKT_L4_ICMP);
	assert_int_equal(pi.icmp_id, 77);
	assert_int_equal(pi.icmp_seq, 3);
	/* A later fragment carries no transport header. */
	set16(&f, at + 6, 0x0010);
	assert_int_equal(dec(&f, &pi), PKT_OK);
	assert_int_equal(pi.fragment, 1);
	assert_int_equal(pi.l4, PKT_L4_NONE);
	assert_int_equal(pi.ip_proto, 1);
	assert_memory_equal(pi.src, "\x0a\x00\x00\x01", 4);
	assert_memory_equal(pi.dst, "\xc0\xa8\x01\x02", 4);
}

static void test_vlan_qinq(void **state)
{
	struct pkt_info pi;
	static const unsigned tpids[] = { 0x8100, 0x88a8, 0x9100 };
	for (size_t t = 0; t < 3; t++) {
		struct frame f = { .n = 0 };
		size_t at;
		eth(&f, tpids[t]);
		put16(&f, 0x2000 | 100);     /* PCP 1, VID 100 */
		put16(&f, 0x8100);
		put16(&f, 200);
		put16(&f, 0x0800);
		at = ip4(&f, 5, 17, 0);
		put16(&f, 5353);
		put16(&f, 53);
		put16(&f, 12);
		put16(&f, 0);
		put32(&f, 0);
		ip4_done(&f, at);
		assert_int_equal(dec(&f, &pi), PKT_OK);
		assert_int_equal(pi.n_vlans, 2);
		assert_int_equal(pi.vlan[0], 100);
		assert_int_equal(pi.vlan[1], 200);
		assert_int_equal(pi.l4, PKT_L4_UDP);
		assert_int_equal(pi.payload_len, 4);
		assert_int_equal(pi.dport, 53);
		/* UDP length beyond the IP payload. */
		set16(&f, at + 20 + 4, 13);
		assert_int_equal(dec(&f, &pi), PKT_ERR_MALFORMED);
		set16(&f, at + 20 + 4, 7);
		assert_int_equal(dec(&f, &pi), PKT_ERR_MALFORMED);
	}
	/* Five stacked tags is malformed; a cut tag is truncated. */
	struct frame g = { .n = 0 };
	eth(&g, 0x8100);
	for (int i = 0; i < 5; i++) {
		put16(&g, (unsigned)i);
		put16(&g, 0x8100);
	}
	assert_int_equal(dec(&g, &pi), PKT_ERR_MALFORMED);
	g.n = 16;
	assert_int_equal(dec(&g, &pi), PKT_ERR_TRUNCATED);
}

static void test_not_ip(void **state)
{
	struct frame f = { .n = 0 };
	struct pkt_info pi;
	eth(&f, 0x0806);             /* ARP */
	for (int i = 0; i < 28; i++)
		put8(&f, 0);
	assert_int_equal(dec(&f, &pi), PKT_NOT_IP);
	set16(&f, 12, 0x0040);       /* an 802.3 length field */
	assert_int_equal(dec(&f, &pi), PKT_NOT_IP);
}

static void test_ipv6_extension_headers(void **state)
{
	struct frame f = { .n = 0 };
	struct pkt_info pi;
	size_t at;
	eth(&f, 0x86dd);
	at = ip6(&f, 0);
	/* hop-by-hop (8) -> routing (16) -> dest opts (8) -> AH (12+4) ->
	 * fragment (first) -> TCP */
	put8(&f, 43); put8(&f, 0); put16(&f, 0x0104); put32(&f, 0);
	put8(&f, 60); put8(&f, 1); put16(&f, 0); put32(&f, 0); put32(&f, 0); put32(&f, 0);
	put8(&f, 51); put8(&f, 0); put16(&f, 0x0104); put32(&f, 0);
	put8(&f, 44); put8(&f, 2); put16(&f, 0); put32(&f, 1); put32(&f, 2); put32(&f, 3);
	put8(&f, 6); put8(&f, 0); put16(&f, 0x0001); put32(&f, 0x11223344);
	tcp(&f, PKT_TCP_ACK | PKT_TCP_PSH, 3, -1);
	ip6_done(&f, at);
	assert_int_equal(dec(&f, &pi), PKT_OK);
	assert_int_equal(pi.ip_version, 6);
	assert_int_equal(pi.l4, PKT_L4_TCP);
	assert_int_equal(pi.fragment, 1);
	assert_int_equal(pi.payload_len, 3);
	assert_int_equal(pi.src[15], 1);
	assert_int_equal(pi.dst[0], 0x20);
	/* The fragment header says offset 8: no transport header. */
	set16(&f, 14 + 40 + 8 + 16 + 8 + 16 + 2, 0x0009);
	assert_int_equal(dec(&f, &pi), PKT_OK);
	assert_int_equal(pi.l4, PKT_L4_NONE);
	/* Routing header claiming more than the payload. */
	f.b[14 + 40 + 8 + 1] = 200;
	assert_int_equal(dec(&f, &pi), PKT_ERR_MALFORMED);
	/* Payload length beyond the frame. */
	f.b[14 + 40 + 8 + 1] = 1;
	set16(&f, at + 4, 1000);
	assert_int_equal(dec(&f, &pi), PKT_ERR_MALFORMED);
	/* Cut inside the extension chain. */
	ip6_done(&f, at);
	assert_int_equal(pkt_decode(PKT_LINK_ETHERNET, f.b, 14 + 40 + 12, f.n, &pi),
			 PKT_ERR_TRUNCATED);
}

static void test_ipv6_ext_chain_limit_and_esp(void **state)
{
	struct frame f = { .n = 0 };
	struct pkt_info pi;
	size_t at;
	eth(&f, 0x86dd);
	at = ip6(&f, 60);
	for (int i = 0; i < PKT_MAX_IPV6_EXT + 1; i++) {
		put8(&f, 60); put8(&f, 0); put16(&f, 0); put32(&f, 0);
	}
	ip6_done(&f, at);
	assert_int_equal(dec(&f, &pi), PKT_ERR_MALFORMED);
	/* ESP: nothing readable follows. */
	f.n = 0;
	eth(&f, 0x86dd);
	at = ip6(&f, 50);
	put32(&f, 1); put32(&f, 2);
	ip6_done(&f, at);
	assert_int_equal(dec(&f, &pi), PKT_OK);
	assert_int_equal(pi.l4, PKT_L4_NONE);
	assert_int_equal(pi.ip_proto, 50);
}

static void test_icmpv6_echo(void **state)
{
	struct frame f = { .n = 0 };
	struct pkt_info pi;
	size_t at;
	at = ip6(&f, 58);
	icmp_echo(&f, 129, 0xbeef, 65535);
	ip6_done(&f, at);
	assert_int_equal(pkt_decode(PKT_LINK_RAW, f.b, f.n, f.n, &pi), PKT_OK);
	assert_int_equal(pi.l4, PKT_L4_ICMP6);
	assert_int_equal(pi.icmp_type, 129);
	assert_int_equal(pi.icmp_id, 0xbeef);
	assert_int_equal(pi.icmp_seq, 65535);
	/* An ICMPv6 header cut to 4 bytes by the IP length. */
	set16(&f, at + 4, 4);
	assert_int_equal(pkt_decode(PKT_LINK_RAW, f.b, f.n, f.n, &pi), PKT_ERR_MALFORMED);
}

static void test_cooked_links(void **state)
{
	struct frame f = { .n = 0 };
	struct pkt_info pi;
	size_t at;
	/* SLL: type, ARPHRD, address length, 8 address bytes, protocol. */
	put16(&f, 0); put16(&f, 1); put16(&f, 6); put32(&f, 0); put32(&f, 0);
	put16(&f, 0x0800);
	at = ip4(&f, 5, 1, 0);
	icmp_echo(&f, 0, 1, 2);
	ip4_done(&f, at);
	assert_int_equal(pkt_decode(PKT_LINK_SLL, f.b, f.n, f.n, &pi), PKT_OK);
	assert_int_equal(pi.l4, PKT_L4_ICMP);
	assert_int_equal(pi.icmp_seq, 2);
	/* SLL2: protocol first, 20 bytes. */
	f.n = 0;
	put16(&f, 0x0800); put16(&f, 0); put32(&f, 1); put16(&f, 1); put8(&f, 0); put8(&f, 6);
	put32(&f, 0); put32(&f, 0);
	at = ip4(&f, 5, 1, 0);
	icmp_echo(&f, 8, 1, 9);
	ip4_done(&f, at);
	assert_int_equal(pkt_decode(PKT_LINK_SLL2, f.b, f.n, f.n, &pi), PKT_OK);
	assert_int_equal(pi.icmp_seq, 9);
	assert_int_equal(pkt_decode(PKT_LINK_SLL2, f.b, 19, 19, &pi), PKT_ERR_TRUNCATED);
}

static void test_dlt_mapping(void **state)
{
	assert_int_equal(pkt_link_from_dlt(1), PKT_LINK_ETHERNET);
	assert_int_equal(pkt_link_from_dlt(12), PKT_LINK_RAW);
	assert_int_equal(pkt_link_from_dlt(113), PKT_LINK_SLL);
	assert_int_equal(pkt_link_from_dlt(276), PKT_LINK_SLL2);
	assert_int_equal(pkt_link_from_dlt(105), PKT_LINK_UNSUPPORTED);
	assert_string_equal(pkt_status_str(PKT_ERR_TRUNCATED), "truncated");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_tiny),
		cmocka_unit_test(test_every_cut_of_a_tcp_frame),
		cmocka_unit_test(test_ipv4_lying_lengths),
		cmocka_unit_test(test_ipv4_padding_and_zero_length),
		cmocka_unit_test(test_tcp_header_lengths),
		cmocka_unit_test(test_ipv4_options_and_fragments),
		cmocka_unit_test(test_vlan_qinq),
		cmocka_unit_test(test_not_ip),
		cmocka_unit_test(test_ipv6_extension_headers),
		cmocka_unit_test(test_ipv6_ext_chain_limit_and_esp),
		cmocka_unit_test(test_icmpv6_echo),
		cmocka_unit_test(test_cooked_links),
		cmocka_unit_test(test_dlt_mapping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
