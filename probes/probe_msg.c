/*
 * probe_msg.c — encode and check the capture child's messages (probe_msg.h).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "probes/probe_msg.h"

#define PROBE_MAGIC 0x5350    /* "SP" */
#define PROBE_VERSION 1
#define HELLO_LEN (PROBE_MSG_HDR + 12)
#define SITE_LEN (PROBE_MSG_HDR + 16 + 9 * 8 + 5 * 8)
#define END_LEN (PROBE_MSG_HDR + 16 + 4 * 8)

struct probe_wr { uint8_t *p; };
struct probe_rd { const uint8_t *p; };

static void w16(struct probe_wr *w, uint16_t v) { w->p[0] = (uint8_t)(v >> 8); w->p[1] = (uint8_t)v; w->p += 2; }
static void w32(struct probe_wr *w, uint32_t v) { w16(w, (uint16_t)(v >> 16)); w16(w, (uint16_t)v); }
static void w64(struct probe_wr *w, uint64_t v) { w32(w, (uint32_t)(v >> 32)); w32(w, (uint32_t)v); }
static void wdbl(struct probe_wr *w, double d) { uint64_t b; memcpy(&b, &d, 8); w64(w, b); }

static uint16_t r16(struct probe_rd *r) { uint16_t v = (uint16_t)(r->p[0] << 8 | r->p[1]); r->p += 2; return v; }
static uint32_t r32(struct probe_rd *r) { uint32_t v = (uint32_t)r16(r) << 16; return v | r16(r); }
static uint64_t r64(struct probe_rd *r) { uint64_t v = (uint64_t)r32(r) << 32; return v | r32(r); }

/* A time in ms: NaN (no samples) or finite, >= 0. */
static int rdbl(struct probe_rd *r, double *d)
{
	uint64_t b = r64(r);
	memcpy(d, &b, 8);
	if (isnan(*d)) {
		*d = NAN;    /* one NaN, whatever payload bits came */
		return 0;
	}
	return isfinite(*d) && *d >= 0 ? 0 : -EBADMSG;
}

static size_t probe_msg_len(enum probe_msg_type t)
{
	switch (t) {
	case PROBE_MSG_HELLO: return HELLO_LEN;
	case PROBE_MSG_SITE: return SITE_LEN;
	case PROBE_MSG_END: return END_LEN;
	default: return 0;
	}
}

size_t probe_msg_encode(const struct probe_msg *m, uint8_t *buf)
{
	struct probe_wr w = { buf };
	size_t len = probe_msg_len(m->type);
	const struct probe_summary *s = &m->u.site.sum;

	_Static_assert(SITE_LEN <= PROBE_MSG_MAX, "PROBE_MSG_MAX too small");
	w16(&w, PROBE_MAGIC);
	buf[2] = PROBE_VERSION;
	buf[3] = (uint8_t)m->type;
	w.p += 2;
	w32(&w, (uint32_t)len);
	switch (m->type) {
	case PROBE_MSG_HELLO:
		w32(&w, m->u.hello.uid);
		w32(&w, m->u.hello.gid);
		w32(&w, (uint32_t)m->u.hello.dlt);
		break;
	case PROBE_MSG_SITE:
		w64(&w, m->u.site.start_s);
		w32(&w, m->u.site.interval_s);
		w16(&w, m->u.site.site);
		w16(&w, 0);
		w64(&w, s->packets);
		w64(&w, s->bytes);
		w64(&w, s->tcp_handshakes);
		w64(&w, s->tcp_segments);
		w64(&w, s->tcp_retransmissions);
		w64(&w, s->tcp_zero_windows);
		w64(&w, s->icmp_echo_requests);
		w64(&w, s->icmp_echo_replies);
		w64(&w, s->icmp_echo_answered);
		wdbl(&w, s->tcp_handshake_rtt_median_ms);
		wdbl(&w, s->tcp_handshake_rtt_p95_ms);
		wdbl(&w, s->icmp_rtt_min_ms);
		wdbl(&w, s->icmp_rtt_median_ms);
		wdbl(&w, s->icmp_rtt_max_ms);
		break;
	case PROBE_MSG_END:
		w64(&w, m->u.end.start_s);
		w32(&w, m->u.end.interval_s);
		w16(&w, m->u.end.n_sites);
		w16(&w, 0);
		w64(&w, m->u.end.decode_errors);
		w64(&w, m->u.end.pcap_received);
		w64(&w, m->u.end.pcap_dropped);
		w64(&w, m->u.end.flow_evictions);
		break;
	}
	return len;
}

static int probe_msg_site(struct probe_rd *r, struct probe_msg *m)
{
	struct probe_summary *s = &m->u.site.sum;

	m->u.site.start_s = r64(r);
	m->u.site.interval_s = r32(r);
	m->u.site.site = r16(r);
	if (r16(r) != 0 || m->u.site.interval_s == 0)
		return -EBADMSG;
	s->packets = r64(r);
	s->bytes = r64(r);
	s->tcp_handshakes = r64(r);
	s->tcp_segments = r64(r);
	s->tcp_retransmissions = r64(r);
	s->tcp_zero_windows = r64(r);
	s->icmp_echo_requests = r64(r);
	s->icmp_echo_replies = r64(r);
	s->icmp_echo_answered = r64(r);
	if (rdbl(r, &s->tcp_handshake_rtt_median_ms) < 0 || rdbl(r, &s->tcp_handshake_rtt_p95_ms) < 0 ||
	    rdbl(r, &s->icmp_rtt_min_ms) < 0 || rdbl(r, &s->icmp_rtt_median_ms) < 0 ||
	    rdbl(r, &s->icmp_rtt_max_ms) < 0)
		return -EBADMSG;
	/* What cannot be true of honest figures. */
	if (s->tcp_retransmissions > s->tcp_segments || s->icmp_echo_answered > s->icmp_echo_replies ||
	    s->icmp_echo_answered > s->icmp_echo_requests)
		return -EBADMSG;
	s->tcp_retrans_pct = s->tcp_segments ?
		100.0 * (double)s->tcp_retransmissions / (double)s->tcp_segments : NAN;
	s->icmp_loss_pct = s->icmp_echo_requests ?
		100.0 * (double)(s->icmp_echo_requests - s->icmp_echo_answered) /
		(double)s->icmp_echo_requests : NAN;
	return 0;
}

int probe_msg_decode(const uint8_t *buf, size_t len, struct probe_msg *m)
{
	struct probe_rd r = { buf + 4 };
	size_t want;
	uint32_t mlen;

	memset(m, 0, sizeof(*m));
	if (len >= 2 && (buf[0] << 8 | buf[1]) != PROBE_MAGIC)
		return -EBADMSG;
	if (len >= 3 && buf[2] != PROBE_VERSION)
		return -EBADMSG;
	if (len >= 4 && (want = probe_msg_len((enum probe_msg_type)buf[3])) == 0)
		return -EBADMSG;
	if (len < PROBE_MSG_HDR)
		return 0;
	mlen = r32(&r);
	if (mlen != want)
		return -EBADMSG;
	if (len < mlen)
		return 0;
	m->type = (enum probe_msg_type)buf[3];
	switch (m->type) {
	case PROBE_MSG_HELLO:
		m->u.hello.uid = r32(&r);
		m->u.hello.gid = r32(&r);
		m->u.hello.dlt = (int32_t)r32(&r);
		break;
	case PROBE_MSG_SITE:
		if (probe_msg_site(&r, m) < 0)
			return -EBADMSG;
		break;
	case PROBE_MSG_END:
		m->u.end.start_s = r64(&r);
		m->u.end.interval_s = r32(&r);
		m->u.end.n_sites = r16(&r);
		if (r16(&r) != 0 || m->u.end.interval_s == 0)
			return -EBADMSG;
		m->u.end.decode_errors = r64(&r);
		m->u.end.pcap_received = r64(&r);
		m->u.end.pcap_dropped = r64(&r);
		m->u.end.flow_evictions = r64(&r);
		break;
	}
	return (int)mlen;
}
