/*
 * test_probe_msg.c — the child-to-seratd messages: round trips, every cut
 * (must ask for more, never misread), and every lie the parser must refuse.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "probes/probe_msg.h"

static struct probe_msg site_msg(void)
{
	struct probe_msg m;
	memset(&m, 0, sizeof(m));
	m.type = PROBE_MSG_SITE;
	m.u.site.start_s = 1700000040;
	m.u.site.interval_s = 60;
	m.u.site.site = 3;
	m.u.site.sum.packets = 123456789012ull;
	m.u.site.sum.bytes = 1ull << 40;
	m.u.site.sum.tcp_handshakes = 10;
	m.u.site.sum.tcp_segments = 200;
	m.u.site.sum.tcp_retransmissions = 5;
	m.u.site.sum.tcp_zero_windows = 1;
	m.u.site.sum.icmp_echo_requests = 10;
	m.u.site.sum.icmp_echo_replies = 9;
	m.u.site.sum.icmp_echo_answered = 9;
	m.u.site.sum.tcp_handshake_rtt_median_ms = 12.5;
	m.u.site.sum.tcp_handshake_rtt_p95_ms = 40.25;
	m.u.site.sum.icmp_rtt_min_ms = 1.0;
	m.u.site.sum.icmp_rtt_median_ms = NAN;
	m.u.site.sum.icmp_rtt_max_ms = 0.0;
	return m;
}

static void test_round_trips(void **state)
{
	uint8_t buf[PROBE_MSG_MAX];
	struct probe_msg m = site_msg(), d;
	size_t n = probe_msg_encode(&m, buf);

	assert_int_equal(probe_msg_decode(buf, n, &d), (int)n);
	assert_int_equal(d.type, PROBE_MSG_SITE);
	assert_true(d.u.site.start_s == 1700000040);
	assert_int_equal(d.u.site.site, 3);
	assert_true(d.u.site.sum.packets == 123456789012ull);
	assert_true(d.u.site.sum.bytes == 1ull << 40);
	assert_true(d.u.site.sum.tcp_handshake_rtt_p95_ms == 40.25);
	assert_true(isnan(d.u.site.sum.icmp_rtt_median_ms));
	assert_true(d.u.site.sum.tcp_retrans_pct == 2.5);
	assert_true(d.u.site.sum.icmp_loss_pct == 10.0);

	memset(&m, 0, sizeof(m));
	m.type = PROBE_MSG_HELLO;
	m.u.hello.uid = 65534;
	m.u.hello.gid = 65534;
	m.u.hello.dlt = 1;
	n = probe_msg_encode(&m, buf);
	assert_int_equal(probe_msg_decode(buf, n, &d), (int)n);
	assert_int_equal(d.u.hello.uid, 65534);
	assert_int_equal(d.u.hello.dlt, 1);

	memset(&m, 0, sizeof(m));
	m.type = PROBE_MSG_END;
	m.u.end.start_s = 60;
	m.u.end.interval_s = 60;
	m.u.end.n_sites = 2;
	m.u.end.pcap_dropped = 7;
	n = probe_msg_encode(&m, buf);
	assert_int_equal(probe_msg_decode(buf, n, &d), (int)n);
	assert_true(d.u.end.pcap_dropped == 7);
	assert_int_equal(d.u.end.n_sites, 2);
}

static void test_every_cut_asks_for_more(void **state)
{
	uint8_t buf[2 * PROBE_MSG_MAX];
	struct probe_msg m = site_msg(), d;
	size_t n = probe_msg_encode(&m, buf);
	for (size_t cut = 0; cut < n; cut++)
		assert_int_equal(probe_msg_decode(buf, cut, &d), 0);
	/* Two messages back to back come apart at the right place. */
	memcpy(buf + n, buf, n);
	assert_int_equal(probe_msg_decode(buf, 2 * n - 1, &d), (int)n);
	assert_int_equal(probe_msg_decode(buf + n, n - 1, &d), 0);
	assert_int_equal(probe_msg_decode(buf + n, n, &d), (int)n);
}

static void test_lies_are_refused(void **state)
{
	uint8_t buf[PROBE_MSG_MAX], bad[PROBE_MSG_MAX];
	struct probe_msg m = site_msg(), d;
	size_t n = probe_msg_encode(&m, buf);
	static const struct { size_t at; uint8_t v; } lies[] = {
		{ 0, 'X' },          /* magic */
		{ 2, 2 },            /* version */
		{ 3, 0 }, { 3, 9 },  /* type */
		{ 7, 0xff },         /* length */
		{ 4, 1 },            /* length */
		{ 22, 1 },           /* padding */
		{ 16, 0 }, /* fixed below: interval 0 */
	};
	for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
		memcpy(bad, buf, n);
		bad[lies[i].at] = lies[i].v;
		if (lies[i].at == 16)
			memset(bad + 16, 0, 4);
		assert_int_equal(probe_msg_decode(bad, n, &d), -EBADMSG);
	}
	/* A negative, infinite RTT; more retransmissions than segments. */
	m.u.site.sum.icmp_rtt_max_ms = -1;
	n = probe_msg_encode(&m, buf);
	assert_int_equal(probe_msg_decode(buf, n, &d), -EBADMSG);
	m.u.site.sum.icmp_rtt_max_ms = INFINITY;
	n = probe_msg_encode(&m, buf);
	assert_int_equal(probe_msg_decode(buf, n, &d), -EBADMSG);
	m = site_msg();
	m.u.site.sum.tcp_retransmissions = 201;
	n = probe_msg_encode(&m, buf);
	assert_int_equal(probe_msg_decode(buf, n, &d), -EBADMSG);
	m = site_msg();
	m.u.site.sum.icmp_echo_answered = 11;
	n = probe_msg_encode(&m, buf);
	assert_int_equal(probe_msg_decode(buf, n, &d), -EBADMSG);
}

/* Random damage: an error, a request for more, or a whole message —
 * never a length past the buffer (ASan would see a read past it). */
static void test_random_damage(void **state)
{
	struct probe_msg m = site_msg(), d;
	uint8_t buf[PROBE_MSG_MAX];
	size_t n = probe_msg_encode(&m, buf);
	srand(42);
	for (int i = 0; i < 200000; i++) {
		size_t len = (size_t)rand() % (n + 1);
		uint8_t *b = malloc(len ? len : 1);
		memcpy(b, buf, len);
		for (int k = rand() % 4; k > 0 && len; k--)
			b[(size_t)rand() % len] = (uint8_t)rand();
		int rc = probe_msg_decode(b, len, &d);
		assert_true(rc == -EBADMSG || (rc >= 0 && (size_t)rc <= len));
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_every_cut_asks_for_more),
		cmocka_unit_test(test_lies_are_refused),
		cmocka_unit_test(test_random_damage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
