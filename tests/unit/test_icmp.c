/*
 * test_icmp.c — the ICMP prober's pure parts: the reply parser (edge cases
 * first: every truncation, bad lengths, checksums, errors quoting other
 * protocols), the socket decision, and the per-interval figures.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "common/config_icmp.h"
#include "probes/icmp_packet.h"
#include "probes/icmp_probe.h"
#include "probes/icmp_sock.h"
#include "probes/icmp_stats.h"

static const uint8_t dst4[4] = { 198, 18, 0, 10 };
static const uint8_t dst6[16] = { 0xfd, 0x53, 0x65, 0x72, 0x61, 0x74, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10 };

/* An IPv4 header for PROTO from 198.18.0.1 to DST4, IHL 5 (or 6 with an option). */
static size_t put_ip4(uint8_t *p, uint8_t proto, int option)
{
	size_t hl = option ? 24 : 20;
	memset(p, 0, hl);
	p[0] = (uint8_t)(0x40 | hl / 4);
	p[8] = 64;
	p[9] = proto;
	p[12] = 198; p[13] = 18; p[14] = 0; p[15] = 1;
	memcpy(p + 16, dst4, 4);
	return hl;
}

static void fix_csum(uint8_t *icmp, size_t len)
{
	uint16_t s;
	icmp[2] = icmp[3] = 0;
	s = icmp_checksum(icmp, len);
	icmp[2] = (uint8_t)(s >> 8);
	icmp[3] = (uint8_t)s;
}

static void test_echo_roundtrip4(void **state)
{
	uint8_t buf[128], pkt[200];
	struct icmp_pkt out;
	int len = icmp_echo_build(AF_INET, 0x1234, 0xbeef, 56, buf, sizeof(buf));
	size_t hl;

	(void)state;
	assert_int_equal(len, 64);
	assert_int_equal(icmp_checksum(buf, 64), 0);
	/* The request itself is not ours to take. */
	assert_int_equal(icmp_parse(AF_INET, 0, buf, 64, &out), -ENOMSG);
	buf[0] = 0;                     /* as the target answers it */
	fix_csum(buf, 64);
	assert_int_equal(icmp_parse(AF_INET, 0, buf, 64, &out), 0);
	assert_int_equal(out.kind, ICMP_PKT_ECHO_REPLY);
	assert_int_equal(out.id, 0x1234);
	assert_int_equal(out.seq, 0xbeef);
	assert_int_equal(out.data_len, 56);
	/* With the IP header of a raw socket, options included. */
	for (int opt = 0; opt <= 1; opt++) {
		hl = put_ip4(pkt, 1, opt);
		memcpy(pkt + hl, buf, 64);
		assert_int_equal(icmp_parse(AF_INET, 1, pkt, hl + 64, &out), 0);
		assert_int_equal(out.seq, 0xbeef);
		/* Every truncation is malformed, never out of bounds. */
		for (size_t n = 0; n < hl + 8; n++)
			assert_int_equal(icmp_parse(AF_INET, 1, pkt, n, &out), -EBADMSG);
	}
	/* A bad checksum, an IHL beyond the packet, IHL < 5, version 6. */
	hl = put_ip4(pkt, 1, 0);
	memcpy(pkt + hl, buf, 64);
	pkt[hl + 10] ^= 1;
	assert_int_equal(icmp_parse(AF_INET, 1, pkt, hl + 64, &out), -EBADMSG);
	pkt[hl + 10] ^= 1;
	pkt[0] = 0x4f;
	assert_int_equal(icmp_parse(AF_INET, 1, pkt, 40, &out), -EBADMSG);
	pkt[0] = 0x44;
	assert_int_equal(icmp_parse(AF_INET, 1, pkt, hl + 64, &out), -EBADMSG);
	pkt[0] = 0x65;
	assert_int_equal(icmp_parse(AF_INET, 1, pkt, hl + 64, &out), -EBADMSG);
	/* Not ICMP at all; a non-first fragment. */
	put_ip4(pkt, 17, 0);
	assert_int_equal(icmp_parse(AF_INET, 1, pkt, hl + 64, &out), -ENOMSG);
	put_ip4(pkt, 1, 0);
	pkt[7] = 1;
	assert_int_equal(icmp_parse(AF_INET, 1, pkt, hl + 64, &out), -ENOMSG);
}

/* An IPv4 error of TYPE quoting our echo request (or PROTO's datagram). */
static size_t make_err4(uint8_t *p, uint8_t type, uint8_t proto, size_t quote_data)
{
	size_t hl = put_ip4(p, 1, 0), qhl;
	uint8_t *icmp = p + hl;

	memset(icmp, 0, 8);
	icmp[0] = type;
	icmp[1] = 1;
	qhl = put_ip4(icmp + 8, proto, 0);
	icmp_echo_build(AF_INET, 0x4242, 7, 56, icmp + 8 + qhl, 64);
	fix_csum(icmp, 8 + qhl + quote_data);
	return hl + 8 + qhl + quote_data;
}

static void test_errors4(void **state)
{
	static const uint8_t types[] = { 3, 5, 11, 12, 4 };
	static const enum icmp_err_class want[] = {
		ICMP_ERR_UNREACH, ICMP_ERR_REDIRECT, ICMP_ERR_TIME_EXCEEDED, ICMP_ERR_OTHER,
		ICMP_ERR_OTHER
	};
	uint8_t pkt[256];
	struct icmp_pkt out;
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(types); i++) {
		len = make_err4(pkt, types[i], 1, 8);
		assert_int_equal(icmp_parse(AF_INET, 1, pkt, len, &out), 0);
		assert_int_equal(out.kind, ICMP_PKT_ERROR);
		assert_int_equal(out.err, want[i]);
		assert_true(out.has_seq);
		assert_int_equal(out.id, 0x4242);
		assert_int_equal(out.seq, 7);
		assert_memory_equal(out.dst, dst4, 4);
	}
	/* Quoting fewer than 8 bytes of the request: malformed. */
	len = make_err4(pkt, 3, 1, 7);
	assert_int_equal(icmp_parse(AF_INET, 1, pkt, len, &out), -EBADMSG);
	/* Quoting a UDP datagram: not ours. */
	len = make_err4(pkt, 3, 17, 8);
	assert_int_equal(icmp_parse(AF_INET, 1, pkt, len, &out), -ENOMSG);
	/* A quoted IHL pointing past the end. */
	len = make_err4(pkt, 3, 1, 8);
	pkt[20 + 8] = 0x4f;
	fix_csum(pkt + 20, len - 20);
	assert_int_equal(icmp_parse(AF_INET, 1, pkt, len, &out), -EBADMSG);
	/* Unknown types are not ours. */
	len = make_err4(pkt, 9, 1, 8);
	assert_int_equal(icmp_parse(AF_INET, 1, pkt, len, &out), -ENOMSG);
}

static void test_parse6(void **state)
{
	uint8_t buf[128], err[256];
	struct icmp_pkt out;
	int len = icmp_echo_build(AF_INET6, 1, 2, 56, buf, sizeof(buf));

	(void)state;
	assert_int_equal(len, 64);
	assert_int_equal(buf[0], 128);
	buf[0] = 129;
	assert_int_equal(icmp_parse(AF_INET6, 1, buf, 64, &out), 0);
	assert_int_equal(out.kind, ICMP_PKT_ECHO_REPLY);
	assert_int_equal(out.seq, 2);
	for (size_t n = 0; n < 8; n++)
		assert_int_equal(icmp_parse(AF_INET6, 0, buf, n, &out), -EBADMSG);
	/* Destination unreachable quoting the request. */
	buf[0] = 128;
	memset(err, 0, sizeof(err));
	err[0] = 1;
	err[8] = 0x60;
	err[8 + 6] = 58;
	memcpy(err + 8 + 24, dst6, 16);
	memcpy(err + 48, buf, 64);
	assert_int_equal(icmp_parse(AF_INET6, 0, err, 112, &out), 0);
	assert_int_equal(out.err, ICMP_ERR_UNREACH);
	assert_int_equal(out.seq, 2);
	assert_memory_equal(out.dst, dst6, 16);
	for (size_t n = 8; n < 56; n++)
		assert_int_equal(icmp_parse(AF_INET6, 0, err, n, &out), -EBADMSG);
	err[8 + 6] = 17;                /* quoting UDP */
	assert_int_equal(icmp_parse(AF_INET6, 0, err, 112, &out), -ENOMSG);
	/* A redirect names the destination only. */
	memset(err, 0, sizeof(err));
	err[0] = 137;
	memcpy(err + 24, dst6, 16);
	assert_int_equal(icmp_parse(AF_INET6, 0, err, 40, &out), 0);
	assert_int_equal(out.err, ICMP_ERR_REDIRECT);
	assert_false(out.has_seq);
	assert_memory_equal(out.dst, dst6, 16);
	assert_int_equal(icmp_parse(AF_INET6, 0, err, 39, &out), -EBADMSG);
	/* A neighbour solicitation is none of our business. */
	err[0] = 135;
	assert_int_equal(icmp_parse(AF_INET6, 0, err, 40, &out), -ENOMSG);
	assert_int_equal(icmp_parse(AF_UNIX, 0, err, 40, &out), -EINVAL);
}

static void test_parse_sent(void **state)
{
	uint8_t buf[64];
	uint16_t id, seq;

	(void)state;
	icmp_echo_build(AF_INET, 9, 10, 56, buf, sizeof(buf));
	assert_int_equal(icmp_parse_sent(AF_INET, buf, 64, &id, &seq), 0);
	assert_int_equal(seq, 10);
	assert_int_equal(icmp_parse_sent(AF_INET, buf, 7, &id, &seq), -EBADMSG);
	assert_int_equal(icmp_parse_sent(AF_INET6, buf, 64, &id, &seq), -ENOMSG);
	assert_int_equal(icmp_echo_build(AF_INET, 1, 1, 56, buf, 63), -ENOSPC);
	assert_int_equal(icmp_echo_build(AF_INET, 1, 1, ICMP_MAX_PAYLOAD + 1, buf, 64), -EINVAL);
}

static enum icmp_sock_kind choose(uint32_t lo, uint32_t hi, gid_t egid, const gid_t *groups,
				  size_t ng, int cap, enum icmp_sock_pref pref, char *why)
{
	struct icmp_sock_facts f = { 1, lo, hi, egid, groups, ng, cap };
	return icmp_sock_choose(&f, pref, why, 512);
}

static void test_sock_choose(void **state)
{
	static const gid_t sup[] = { 100, 2000 };
	char why[512];

	(void)state;
	/* The Debian default "1 0": nobody; root with CAP_NET_RAW gets raw. */
	assert_int_equal(choose(1, 0, 0, NULL, 0, 1, ICMP_SOCK_AUTO, why), ICMP_SOCK_RAW);
	assert_non_null(strstr(why, "CAP_NET_RAW"));
	/* Neither: the message names the sysctl and the capability. */
	assert_int_equal(choose(1, 0, 1000, NULL, 0, 0, ICMP_SOCK_AUTO, why), ICMP_SOCK_NONE);
	assert_non_null(strstr(why, "sysctl -w net.ipv4.ping_group_range=\"0 2147483647\""));
	assert_non_null(strstr(why, "setcap cap_net_raw+ep"));
	assert_non_null(strstr(why, "gid 1000"));
	assert_non_null(strstr(why, "\"1 0\""));
	/* The range is inclusive at both ends; supplementary groups count. */
	assert_int_equal(choose(1000, 1000, 1000, NULL, 0, 0, ICMP_SOCK_AUTO, why), ICMP_SOCK_DGRAM);
	assert_int_equal(choose(0, 2147483647, 0, NULL, 0, 1, ICMP_SOCK_AUTO, why), ICMP_SOCK_DGRAM);
	assert_int_equal(choose(2000, 3000, 1000, sup, 2, 0, ICMP_SOCK_AUTO, why), ICMP_SOCK_DGRAM);
	assert_non_null(strstr(why, "gid 2000"));
	assert_int_equal(choose(2001, 3000, 1000, sup, 2, 0, ICMP_SOCK_AUTO, why), ICMP_SOCK_NONE);
	/* Preferences: raw even when datagram is allowed; datagram only. */
	assert_int_equal(choose(0, 10, 0, NULL, 0, 1, ICMP_SOCK_PREF_RAW, why), ICMP_SOCK_RAW);
	assert_int_equal(choose(0, 10, 0, NULL, 0, 0, ICMP_SOCK_PREF_RAW, why), ICMP_SOCK_NONE);
	assert_non_null(strstr(why, "setcap cap_net_raw+ep"));
	assert_null(strstr(why, "sysctl"));
	assert_int_equal(choose(1, 0, 0, NULL, 0, 1, ICMP_SOCK_PREF_DGRAM, why), ICMP_SOCK_NONE);
	assert_non_null(strstr(why, "sysctl -w net.ipv4.ping_group_range"));
	/* An unreadable sysctl is "not allowed". */
	{
		struct icmp_sock_facts f = { 0, 0, 0, 0, NULL, 0, 0 };
		assert_int_equal(icmp_sock_choose(&f, ICMP_SOCK_AUTO, why, sizeof(why)),
				 ICMP_SOCK_NONE);
	}
}

static void test_sock_parsers(void **state)
{
	uint32_t lo, hi;
	int has;
	enum icmp_sock_pref p;

	(void)state;
	assert_int_equal(icmp_sock_parse_range("1\t0\n", &lo, &hi), 0);
	assert_true(lo == 1 && hi == 0);
	assert_int_equal(icmp_sock_parse_range("0 2147483647", &lo, &hi), 0);
	assert_int_equal(hi, 2147483647u);
	assert_int_equal(icmp_sock_parse_range("0", &lo, &hi), -EINVAL);
	assert_int_equal(icmp_sock_parse_range("a b", &lo, &hi), -EINVAL);
	assert_int_equal(icmp_sock_parse_range("1 2 3", &lo, &hi), -EINVAL);
	assert_int_equal(icmp_sock_parse_capeff("Name:\tx\nCapEff:\t000001ffffffffff\n", &has), 0);
	assert_int_equal(has, 1);
	assert_int_equal(icmp_sock_parse_capeff("CapInh:\t0\nCapEff:\t0000000000000000\n", &has), 0);
	assert_int_equal(has, 0);
	assert_int_equal(icmp_sock_parse_capeff("CapEff:\t0000000000002000\n", &has), 0);
	assert_int_equal(has, 1);
	assert_int_equal(icmp_sock_parse_capeff("CapPrm:\t1\n", &has), -EINVAL);
	assert_int_equal(icmp_sock_pref_parse("raw", &p), 0);
	assert_int_equal(p, ICMP_SOCK_PREF_RAW);
	assert_int_equal(icmp_sock_pref_parse("RAW", &p), -EINVAL);
}

static void test_stats(void **state)
{
	double rtts[] = { 20, NAN, 40, 20, 40 }, scratch[5];
	struct icmp_rtt_summary s;

	(void)state;
	icmp_rtt_summarize(rtts, 5, scratch, &s);
	assert_int_equal(s.n, 4);
	assert_true(s.min_ms == 20 && s.max_ms == 40);
	assert_true(s.median_ms == 30);          /* even count: mean of the middle two */
	/* Pairs (20,40) (40,20) (20,40) across the lost one: 20 each. */
	assert_true(s.jitter_ms == 20);
	icmp_rtt_summarize(rtts, 3, scratch, &s);
	assert_true(s.median_ms == 30 && s.jitter_ms == 20);
	icmp_rtt_summarize(rtts, 1, scratch, &s);
	assert_true(s.n == 1 && s.median_ms == 20 && isnan(s.jitter_ms));
	icmp_rtt_summarize(rtts + 1, 1, scratch, &s);
	assert_true(s.n == 0 && isnan(s.min_ms) && isnan(s.median_ms) && isnan(s.jitter_ms));
	icmp_rtt_summarize(rtts, 0, scratch, &s);
	assert_true(s.n == 0 && isnan(s.max_ms));
	assert_true(isnan(icmp_loss_pct(0, 0)));
	assert_true(icmp_loss_pct(8, 2) == 25);
	assert_true(icmp_loss_pct(3, 3) == 100);
}

static void test_span(void **state)
{
	(void)state;
	/* 5 rounds, period 1 s dominates 3 × 10 ms: 4 s + 30 ms + 1 s timeout. */
	assert_int_equal(icmp_conf_span_ms(5, 1000, 10000, 1000, 3), 5030);
	/* 250 targets × 10 ms = 2.5 s per round outgrows the period. */
	assert_int_equal(icmp_conf_span_ms(5, 1000, 10000, 1000, 250), 4 * 2500 + 2500 + 1000);
	assert_int_equal(icmp_conf_span_ms(1, 0, 100, 1, 1), 2);
}

static void test_resolve(void **state)
{
	struct sockaddr_storage sa;
	socklen_t len;
	char err[256];

	(void)state;
	assert_int_equal(icmp_resolve("198.18.0.1", &sa, &len, err, sizeof(err)), 0);
	assert_int_equal(sa.ss_family, AF_INET);
	assert_int_equal(icmp_resolve("fd53::1", &sa, &len, err, sizeof(err)), 0);
	assert_int_equal(sa.ss_family, AF_INET6);
	/* Malformed literals never reach the resolver. */
	assert_int_equal(icmp_resolve("10.0.0.300", &sa, &len, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not an IPv4 address"));
	assert_int_equal(icmp_resolve("fd53::x", &sa, &len, err, sizeof(err)), -EINVAL);
	assert_int_equal(icmp_resolve("a b", &sa, &len, err, sizeof(err)), -EINVAL);
}

/* A result becomes the registry's target metrics, by name, unknown kept. */
static void test_result_values(void **state)
{
	struct icmp_probe_result r;
	double v[METRIC_TARGET_N];

	(void)state;
	assert_int_equal(METRIC_TARGET_N, 8);
	memset(&r, 0, sizeof(r));
	r.loss_pct = 25;
	r.rtt_median_ms = 12.5;
	r.rtt_min_ms = 10;
	r.rtt_max_ms = 20;
	r.jitter_ms = NAN;
	r.late = 3;
	r.duplicates = 2;
	r.errors[ICMP_ERR_UNREACH] = 4;
	r.errors[ICMP_ERR_REDIRECT] = 1;
	icmp_probe_result_values(&r, v);
	for (int i = 0; i < METRIC_TARGET_N; i++) {
		const char *name = metric_get((enum metric_id)(METRIC_TARGET_FIRST + i))->name;
		if (strcmp(name, "target.loss_pct") == 0)
			assert_true(v[i] == 25);
		else if (strcmp(name, "target.rtt_ms") == 0)
			assert_true(v[i] == 12.5);
		else if (strcmp(name, "target.rtt_min_ms") == 0)
			assert_true(v[i] == 10);
		else if (strcmp(name, "target.rtt_max_ms") == 0)
			assert_true(v[i] == 20);
		else if (strcmp(name, "target.jitter_ms") == 0)
			assert_true(isnan(v[i]));
		else if (strcmp(name, "target.late") == 0)
			assert_true(v[i] == 3);
		else if (strcmp(name, "target.duplicates") == 0)
			assert_true(v[i] == 2);
		else if (strcmp(name, "target.errors") == 0)
			assert_true(v[i] == 5);
		else
			fail_msg("unexpected target metric %s", name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_roundtrip4),
		cmocka_unit_test(test_errors4),
		cmocka_unit_test(test_parse6),
		cmocka_unit_test(test_parse_sent),
		cmocka_unit_test(test_sock_choose),
		cmocka_unit_test(test_sock_parsers),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_result_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
