/*
 * icmp_probe.c — the ICMP echo prober on a libevent loop (contract and
 * definitions in icmp_probe.h).
 *
 * The algorithm, once: an interval timer (persistent, so it does not drift)
 * ends one interval and begins the next.  Beginning an interval bumps a
 * generation number and clears every target's requests; a one-shot send
 * timer then walks the send schedule — round r, target i — sending every
 * request that is due and re-arming itself for the next one (next due =
 * previous due + spacing, a new round no sooner than its period; a loop
 * that fell behind catches up at once rather than in a burst).  Each
 * request's sequence number indexes a 65,536-slot map that names its
 * target, its index within the interval and the generation it belongs to,
 * so a reply is matched in O(1) and one from an earlier interval is seen
 * for what it is.  No timer per request: a reply is classified when it
 * arrives (within the timeout or late), and whatever is still unanswered
 * when the interval ends is lost.  This is fping's shape — one socket per
 * family, preallocated state per target, one queue of sends — on seratd's
 * loop instead of a select() loop of its own.
 */
#include "config.h"

#include "probes/icmp_probe.h"

#include <errno.h>
#include <event2/event.h>
#include <linux/errqueue.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "probes/icmp_stats.h"

#define ICMP_SEQ_SLOTS 65536
/* Sends per timer callback at most: a tiny spacing must not starve the loop. */
#define ICMP_SEND_BURST 64
/* Messages read per socket callback at most, for the same reason. */
#define ICMP_READ_BURST 256
/* Messages per recvmmsg(): one call drains a burst of replies, and a short
 * count tells the queue is empty without another call failing EAGAIN. */
#define ICMP_RECV_VLEN 16
/* Our replies are 64 bytes; an IPv6 error quotes at most 1232.  Anything
 * longer is not a reply to us (MSG_TRUNC: counted as malformed). */
#define ICMP_MSG_BUF 2048
#define ICMP_WHY_LEN 512
#define NS_PER_MS 1000000LL
/*
 * While the next send is at most this far away, replies are read on the
 * send ticks instead of on a wake-up of their own: the RTT comes from the
 * kernel's receive stamp, so reading a reply a few milliseconds later does
 * not change it, and a tick that sends and reads costs one pass through the
 * loop instead of two (bench/README.md: this is what brings the CPU per
 * probe to fping's).  Longer gaps (between rounds) watch the sockets.
 */
#define ICMP_TICK_READ_MAX_NS (50 * NS_PER_MS)
#define NS_PER_US 1000LL

enum icmp_req_state { REQ_UNSENT, REQ_PENDING, REQ_RECEIVED, REQ_LATE, REQ_SEND_ERR };

struct icmp_req {
	int64_t sent_mono_ns;
	int64_t sent_real_ns;
	double rtt_ms;                  /* REQ_RECEIVED / REQ_LATE */
	uint8_t state;
};

struct icmp_tgt {
	char *name;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	struct icmp_req *req;           /* opts.count entries */
	unsigned sent, received, late, duplicates, stale, send_errors;
	unsigned errors[ICMP_ERR_COUNT];
};

/* Which request a sequence number was given to. */
struct icmp_slot {
	uint32_t tgt1;                  /* target index + 1; 0 = never used */
	uint32_t gen;
	uint32_t req;
};

/* Receive buffers for one recvmmsg() call. */
struct icmp_rx {
	struct mmsghdr mm[ICMP_RECV_VLEN];
	struct iovec iov[ICMP_RECV_VLEN];
	struct sockaddr_storage from[ICMP_RECV_VLEN];
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} ctl[ICMP_RECV_VLEN];
	uint8_t buf[ICMP_RECV_VLEN][ICMP_MSG_BUF];
};

struct icmp_sock {
	struct icmp_probe *p;
	int family;
	int fd;
	struct event *ev;
};

struct icmp_probe {
	struct event_base *base;
	struct icmp_probe_opts o;
	icmp_probe_cb *cb;
	void *arg;
	struct icmp_tgt *t;
	size_t n;
	struct icmp_sock s4, s6;
	enum icmp_sock_kind kind;
	char why[ICMP_WHY_LEN];
	uint16_t ident;                 /* raw sockets only */
	uint16_t seq_next;
	struct icmp_slot *slots;
	struct event *ev_send, *ev_interval;

	uint32_t gen;
	int sending;
	unsigned round;
	size_t next_tgt;
	int64_t interval_mono_ns;
	struct timespec interval_real;
	int64_t next_due_ns;
	unsigned intervals_done;
	int overrun_logged;
	int read_events_on;             /* sockets watched by the loop */

	struct icmp_probe_counters counters;
	double *rtts, *scratch;         /* opts.count each, for results */
	uint8_t pkt[ICMP_ECHO_HDR_LEN + ICMP_MAX_PAYLOAD];
	struct icmp_rx rx;
};

static int64_t icmp_now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void icmp_tv_from_ns(struct timeval *tv, int64_t ns)
{
	if (ns < 0)
		ns = 0;
	tv->tv_sec = (time_t)(ns / 1000000000LL);
	tv->tv_usec = (suseconds_t)((ns % 1000000000LL) / 1000);
}

/* ---- matching -------------------------------------------------------- */

/* Whether the address bytes A (4 or 16, as FAMILY) are target T's. */
static int icmp_tgt_is(const struct icmp_tgt *t, int family, const void *a)
{
	if (t->addr.ss_family != family)
		return 0;
	if (family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)&t->addr)->sin_addr, a, 4) == 0;
	return memcmp(&((const struct sockaddr_in6 *)&t->addr)->sin6_addr, a, 16) == 0;
}

static const void *icmp_sa_bytes(const struct sockaddr_storage *sa)
{
	if (sa->ss_family == AF_INET)
		return &((const struct sockaddr_in *)sa)->sin_addr;
	return &((const struct sockaddr_in6 *)sa)->sin6_addr;
}

/*
 * The target and request that sequence SEQ was sent to, provided it went to
 * address ADDR; NULL (counted as foreign) otherwise.  *STALE is set when the
 * request belongs to an interval already reported.
 */
static struct icmp_tgt *icmp_lookup(struct icmp_probe *p, int family, uint16_t seq,
				    const void *addr, struct icmp_req **req, int *stale)
{
	const struct icmp_slot *s = &p->slots[seq];
	struct icmp_tgt *t;

	if (s->tgt1 == 0 || s->tgt1 > p->n) {
		p->counters.foreign++;
		return NULL;
	}
	t = &p->t[s->tgt1 - 1];
	if (!icmp_tgt_is(t, family, addr)) {
		p->counters.foreign++;
		return NULL;
	}
	*stale = s->gen != p->gen;
	*req = &t->req[s->req];
	return t;
}

/*
 * The RTT of a reply to R read at MONO_NOW: the kernel's receive stamp
 * RX_REAL (0 = none) against the wall-clock send time, unless the clock
 * stepped in between (see icmp_probe.h).
 */
static double icmp_rtt_ms(const struct icmp_req *r, int64_t mono_now, int64_t rx_real)
{
	int64_t mono = mono_now - r->sent_mono_ns;
	int64_t kern = rx_real - r->sent_real_ns;

	if (rx_real != 0 && kern >= 0 && kern <= mono)
		return (double)kern / NS_PER_MS;
	return (double)mono / NS_PER_MS;
}

static void icmp_on_reply(struct icmp_probe *p, int family, const struct icmp_pkt *pkt,
			  const struct sockaddr_storage *from, int64_t rx_real)
{
	struct icmp_req *r;
	struct icmp_tgt *t;
	int stale;
	double rtt;

	if (from->ss_family != family) {
		p->counters.foreign++;
		return;
	}
	t = icmp_lookup(p, family, pkt->seq, icmp_sa_bytes(from), &r, &stale);
	if (t == NULL)
		return;
	if (stale) {
		t->stale++;
		return;
	}
	switch (r->state) {
	case REQ_PENDING:
		rtt = icmp_rtt_ms(r, icmp_now_ns(CLOCK_MONOTONIC), rx_real);
		r->rtt_ms = rtt;
		if (rtt <= (double)p->o.timeout_ms) {
			r->state = REQ_RECEIVED;
			t->received++;
		} else {
			r->state = REQ_LATE;
			t->late++;
		}
		break;
	case REQ_RECEIVED:
	case REQ_LATE:
		t->duplicates++;
		break;
	default:                        /* never sent: a forged sequence */
		p->counters.foreign++;
		break;
	}
}

static void icmp_on_error(struct icmp_probe *p, int family, const struct icmp_pkt *pkt)
{
	struct icmp_req *r;
	struct icmp_tgt *t;
	int stale;

	if (!pkt->has_seq) {
		/* An ICMPv6 redirect names only the destination. */
		for (size_t i = 0; i < p->n; i++)
			if (icmp_tgt_is(&p->t[i], family, pkt->dst)) {
				p->t[i].errors[pkt->err]++;
				return;
			}
		p->counters.foreign++;
		return;
	}
	t = icmp_lookup(p, family, pkt->seq, pkt->dst, &r, &stale);
	if (t == NULL)
		return;
	if (stale)
		t->stale++;
	else
		t->errors[pkt->err]++;
}

/* ---- receiving ------------------------------------------------------- */

static int64_t icmp_cmsg_rx_ns(struct msghdr *msg)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
			struct timespec ts;
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
		}
	return 0;
}

/*
 * Drain a datagram socket's error queue: each entry is an ICMP error the
 * kernel matched to our socket, with the request we sent as data and its
 * destination as the address.
 */
static void icmp_drain_errqueue(struct icmp_probe *p, struct icmp_sock *s)
{
	for (int i = 0; i < ICMP_READ_BURST; i++) {
		/* The receive stamp comes along, then the error and its offender. */
		union {
			char buf[CMSG_SPACE(sizeof(struct timespec)) +
				 CMSG_SPACE(sizeof(struct sock_extended_err) +
					    sizeof(struct sockaddr_in6))];
			struct cmsghdr align;
		} ctl;
		struct sockaddr_storage dst;
		struct iovec iov = { p->rx.buf[0], sizeof(p->rx.buf[0]) };
		struct msghdr msg = { &dst, sizeof(dst), &iov, 1, ctl.buf, sizeof(ctl.buf), 0 };
		struct sock_extended_err ee;
		struct icmp_pkt pkt;
		int have = 0;
		ssize_t n;

		n = recvmsg(s->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
		if (n < 0)
			return;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c))
			if (((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
			     (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)) &&
			    c->cmsg_len >= CMSG_LEN(sizeof(ee))) {
				memcpy(&ee, CMSG_DATA(c), sizeof(ee));
				have = 1;
			}
		if (!have || (ee.ee_origin != SO_EE_ORIGIN_ICMP &&
			      ee.ee_origin != SO_EE_ORIGIN_ICMP6) ||
		    msg.msg_namelen < sizeof(sa_family_t) || dst.ss_family != s->family)
			continue;       /* a local error (e.g. EMSGSIZE): not an ICMP error */
		memset(&pkt, 0, sizeof(pkt));
		pkt.kind = ICMP_PKT_ERROR;
		pkt.type = ee.ee_type;
		pkt.code = ee.ee_code;
		pkt.err = icmp_err_classify(s->family, ee.ee_type);
		if (pkt.err == ICMP_ERR_COUNT)
			continue;
		if (icmp_parse_sent(s->family, p->rx.buf[0], (size_t)n, &pkt.id, &pkt.seq) < 0) {
			p->counters.malformed++;
			continue;
		}
		pkt.has_seq = 1;
		memcpy(pkt.dst, icmp_sa_bytes(&dst), s->family == AF_INET ? 4 : 16);
		icmp_on_error(p, s->family, &pkt);
	}
}

/* One received message, as a socket of S's kind delivers it. */
static void icmp_on_message(struct icmp_probe *p, struct icmp_sock *s, struct msghdr *msg,
			    size_t len)
{
	int raw = p->kind == ICMP_SOCK_RAW;
	struct icmp_pkt pkt;
	int r;

	if (msg->msg_flags & MSG_TRUNC) {
		p->counters.malformed++;
		return;
	}
	r = icmp_parse(s->family, raw && s->family == AF_INET, msg->msg_iov->iov_base, len, &pkt);
	if (r == -ENOMSG) {
		p->counters.ignored++;
		return;
	}
	if (r < 0) {
		p->counters.malformed++;
		return;
	}
	if (raw && pkt.has_seq && pkt.id != p->ident) {
		p->counters.foreign++;
		return;
	}
	if (pkt.kind == ICMP_PKT_ECHO_REPLY)
		icmp_on_reply(p, s->family, &pkt, msg->msg_name, icmp_cmsg_rx_ns(msg));
	else
		icmp_on_error(p, s->family, &pkt);
}

/*
 * Whether a failed socket call reports an ICMP error that arrived earlier
 * (the socket's pending error, sk_err) rather than a failure of the call:
 * the kernel hands it to the next recvmsg() or sendto(), whatever it is
 * for.  On a raw socket the ICMP message itself is read as a packet too; on
 * a datagram socket it waits on the error queue.
 */
static int icmp_async_error(int e)
{
	switch (e) {
	case EHOSTUNREACH: case ENETUNREACH: case EHOSTDOWN: case ECONNREFUSED:
	case EREMOTEIO: case EPROTO: case EMSGSIZE: case ENOPROTOOPT: case ETIMEDOUT:
	case EOPNOTSUPP:
		return 1;
	default:
		return 0;
	}
}

/*
 * Read what S has queued.  WOKEN: the loop said S is readable (or has an
 * error); if nothing is there, the error queue must be.
 */
static void icmp_read(struct icmp_probe *p, struct icmp_sock *s, int woken)
{
	struct icmp_rx *rx = &p->rx;
	int got = 0, failed = 0, n;
	int fd = s->fd;

	for (int calls = 0; calls < ICMP_READ_BURST / ICMP_RECV_VLEN; calls++) {
		for (int i = 0; i < ICMP_RECV_VLEN; i++) {
			rx->iov[i].iov_base = rx->buf[i];
			rx->iov[i].iov_len = sizeof(rx->buf[i]);
			memset(&rx->mm[i], 0, sizeof(rx->mm[i]));
			rx->mm[i].msg_hdr.msg_name = &rx->from[i];
			rx->mm[i].msg_hdr.msg_namelen = sizeof(rx->from[i]);
			rx->mm[i].msg_hdr.msg_iov = &rx->iov[i];
			rx->mm[i].msg_hdr.msg_iovlen = 1;
			rx->mm[i].msg_hdr.msg_control = rx->ctl[i].buf;
			rx->mm[i].msg_hdr.msg_controllen = sizeof(rx->ctl[i].buf);
		}
		n = recvmmsg(fd, rx->mm, ICMP_RECV_VLEN, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (icmp_async_error(errno))
				failed = 1;
			else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				p->counters.recv_errors++;
			break;
		}
		got += n;
		for (int i = 0; i < n; i++)
			icmp_on_message(p, s, &rx->mm[i].msg_hdr, rx->mm[i].msg_len);
		if (n < ICMP_RECV_VLEN)
			break;          /* the queue is empty */
	}
	/* Woken without data, or told of an error: the error queue has it
	 * (and would keep the socket readable until drained). */
	if (p->kind == ICMP_SOCK_DGRAM && (failed || (woken && got == 0)))
		icmp_drain_errqueue(p, s);
}

static void icmp_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct icmp_sock *s = arg;

	icmp_read(s->p, s, 1);
}

/* Read both sockets now (not woken by the loop). */
static void icmp_drain(struct icmp_probe *p)
{
	if (p->s4.fd >= 0)
		icmp_read(p, &p->s4, 0);
	if (p->s6.fd >= 0)
		icmp_read(p, &p->s6, 0);
}

/* Watch the sockets on the loop (ON) or leave them to the send ticks. */
static void icmp_read_events(struct icmp_probe *p, int on)
{
	if (on == p->read_events_on)
		return;
	for (int i = 0; i < 2; i++) {
		struct event *ev = i ? p->s6.ev : p->s4.ev;
		if (ev && on)
			event_add(ev, NULL);
		else if (ev)
			event_del(ev);
	}
	p->read_events_on = on;
}

/* ---- sending --------------------------------------------------------- */

static struct icmp_sock *icmp_sock_for(struct icmp_probe *p, int family)
{
	return family == AF_INET6 ? &p->s6 : &p->s4;
}

/*
 * Send the packet in p->pkt to T.  A failure that is an earlier ICMP
 * error's pending report (icmp_async_error) belongs to another request:
 * collect that error from the error queue and send again, once.
 */
static ssize_t icmp_sendto(struct icmp_probe *p, struct icmp_sock *s, const struct icmp_tgt *t,
			   size_t len)
{
	ssize_t n = sendto(s->fd, p->pkt, len, 0, (const struct sockaddr *)&t->addr, t->addrlen);

	if (n >= 0 || !icmp_async_error(errno))
		return n;
	if (p->kind == ICMP_SOCK_DGRAM)
		icmp_drain_errqueue(p, s);
	return sendto(s->fd, p->pkt, len, 0, (const struct sockaddr *)&t->addr, t->addrlen);
}

static void icmp_send_one(struct icmp_probe *p, size_t ti, unsigned ri)
{
	struct icmp_tgt *t = &p->t[ti];
	struct icmp_req *r = &t->req[ri];
	uint16_t seq = p->seq_next++;
	struct icmp_slot *s = &p->slots[seq];
	int family = t->addr.ss_family;
	int len;

	s->tgt1 = (uint32_t)ti + 1;
	s->gen = p->gen;
	s->req = ri;
	len = icmp_echo_build(family, p->kind == ICMP_SOCK_RAW ? p->ident : 0, seq,
			      p->o.payload, p->pkt, sizeof(p->pkt));
	t->sent++;
	r->sent_real_ns = icmp_now_ns(CLOCK_REALTIME);
	r->sent_mono_ns = icmp_now_ns(CLOCK_MONOTONIC);
	if (len < 0 || icmp_sendto(p, icmp_sock_for(p, family), t, (size_t)len) < 0) {
		r->state = REQ_SEND_ERR;
		t->send_errors++;
		return;
	}
	r->state = REQ_PENDING;
}

/* Send request (round, next_tgt) and move the schedule on. */
static void icmp_send_next(struct icmp_probe *p, int64_t now)
{
	int64_t spacing = (int64_t)p->o.spacing_us * NS_PER_US;

	icmp_send_one(p, p->next_tgt, p->round);
	p->next_due_ns += spacing;
	if (p->next_due_ns < now - spacing)
		p->next_due_ns = now;   /* fell behind: go on from now, no burst */
	if (++p->next_tgt < p->n)
		return;
	p->next_tgt = 0;
	if (++p->round >= p->o.count) {
		p->sending = 0;
		p->counters.send_span_ms = (double)(icmp_now_ns(CLOCK_MONOTONIC) -
						    p->interval_mono_ns) / NS_PER_MS;
		return;
	}
	int64_t round_start = p->interval_mono_ns + (int64_t)p->round * p->o.period_ms * NS_PER_MS;
	if (p->next_due_ns < round_start)
		p->next_due_ns = round_start;
}

static void icmp_on_send(evutil_socket_t fd, short what, void *arg)
{
	struct icmp_probe *p = arg;
	int64_t now = icmp_now_ns(CLOCK_MONOTONIC);
	struct timeval tv;

	for (int i = 0; i < ICMP_SEND_BURST && p->sending && p->next_due_ns <= now; i++) {
		icmp_send_next(p, now);
		now = icmp_now_ns(CLOCK_MONOTONIC);
	}
	icmp_drain(p);
	if (!p->sending) {
		icmp_read_events(p, 1);
		return;
	}
	/* libevent measures the delay from its cached loop time, which is
	 * older than NOW after our sends: refresh it, or the timer fires
	 * early and costs a wake-up that sends nothing. */
	event_base_update_cache_time(p->base);
	now = icmp_now_ns(CLOCK_MONOTONIC);
	icmp_read_events(p, p->next_due_ns - now > ICMP_TICK_READ_MAX_NS);
	icmp_tv_from_ns(&tv, p->next_due_ns - now);
	evtimer_add(p->ev_send, &tv);
}

/* ---- intervals ------------------------------------------------------- */

static void icmp_report(struct icmp_probe *p, size_t ti)
{
	struct icmp_tgt *t = &p->t[ti];
	struct icmp_probe_result res;
	struct icmp_rtt_summary sum;
	size_t k = 0;

	memset(&res, 0, sizeof(res));
	for (unsigned i = 0; i < p->o.count; i++) {
		const struct icmp_req *r = &t->req[i];
		if (r->state == REQ_UNSENT)
			continue;
		p->rtts[k++] = r->state == REQ_RECEIVED ? r->rtt_ms : NAN;
	}
	icmp_rtt_summarize(p->rtts, k, p->scratch, &sum);
	res.target = ti;
	res.name = t->name;
	res.addr = (const struct sockaddr *)&t->addr;
	res.start = p->interval_real;
	res.sent = t->sent;
	res.received = t->received;
	res.late = t->late;
	res.lost = t->sent - t->received - t->late;
	res.duplicates = t->duplicates;
	res.stale = t->stale;
	res.send_errors = t->send_errors;
	memcpy(res.errors, t->errors, sizeof(res.errors));
	res.loss_pct = icmp_loss_pct(res.sent, res.lost);
	res.rtt_min_ms = sum.min_ms;
	res.rtt_median_ms = sum.median_ms;
	res.rtt_max_ms = sum.max_ms;
	res.jitter_ms = sum.jitter_ms;
	res.rtt_ms = p->rtts;
	res.n_rtt = k;
	p->cb(&res, p->arg);
}

static void icmp_begin_interval(struct icmp_probe *p)
{
	p->gen++;
	for (size_t i = 0; i < p->n; i++) {
		struct icmp_tgt *t = &p->t[i];
		t->sent = t->received = t->late = t->duplicates = t->stale = t->send_errors = 0;
		memset(t->errors, 0, sizeof(t->errors));
		memset(t->req, 0, p->o.count * sizeof(*t->req));
	}
	p->interval_mono_ns = icmp_now_ns(CLOCK_MONOTONIC);
	clock_gettime(CLOCK_REALTIME, &p->interval_real);
	p->round = 0;
	p->next_tgt = 0;
	p->next_due_ns = p->interval_mono_ns;
	p->sending = p->n > 0;
	if (p->sending)
		event_active(p->ev_send, EV_TIMEOUT, 0);
}

static void icmp_stop(struct icmp_probe *p)
{
	p->sending = 0;
	if (p->ev_send)
		evtimer_del(p->ev_send);
	if (p->ev_interval)
		evtimer_del(p->ev_interval);
	icmp_read_events(p, 0);
}

static void icmp_on_interval(evutil_socket_t fd, short what, void *arg)
{
	struct icmp_probe *p = arg;

	/* Read what already arrived, so it is not taken for lost. */
	icmp_drain(p);
	if (p->sending && !p->overrun_logged) {
		log_warn("icmp: the interval ended before every request was sent (round %u of %u);"
			 " a longer interval, a shorter period or spacing, or fewer targets would fix it",
			 p->round + 1, p->o.count);
		p->overrun_logged = 1;
	}
	evtimer_del(p->ev_send);
	for (size_t i = 0; i < p->n; i++)
		icmp_report(p, i);
	p->intervals_done++;
	if (p->o.intervals != 0 && p->intervals_done >= p->o.intervals) {
		icmp_stop(p);
		return;
	}
	icmp_begin_interval(p);
}

int icmp_probe_start(struct icmp_probe *p)
{
	struct timeval tv;

	icmp_tv_from_ns(&tv, (int64_t)p->o.interval_ms * NS_PER_MS);
	if (evtimer_add(p->ev_interval, &tv) < 0)
		return -ENOMEM;
	icmp_read_events(p, 1);
	icmp_begin_interval(p);
	return 0;
}

/* ---- lifecycle ------------------------------------------------------- */

static int icmp_open_family(struct icmp_probe *p, struct icmp_sock *s, int family)
{
	s->p = p;
	s->family = family;
	s->fd = icmp_sock_open(family, p->kind);
	if (s->fd < 0)
		return s->fd;
	s->ev = event_new(p->base, s->fd, EV_READ | EV_PERSIST, icmp_on_read, s);
	return s->ev ? 0 : -ENOMEM;
}

static void icmp_close_family(struct icmp_sock *s)
{
	if (s->ev)
		event_free(s->ev);
	s->ev = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* Open a socket for each family in use; 0 or negative errno (with ERR). */
static int icmp_open_sockets(struct icmp_probe *p, int need4, int need6, char *err, size_t errlen)
{
	int r = 0;

	if (need4 && (r = icmp_open_family(p, &p->s4, AF_INET)) < 0) {
		snprintf(err, errlen, "cannot open an IPv4 %s ICMP socket: %s",
			 icmp_sock_kind_name(p->kind), strerror(-r));
		return r;
	}
	if (need6 && (r = icmp_open_family(p, &p->s6, AF_INET6)) < 0) {
		snprintf(err, errlen, "cannot open an IPv6 %s ICMP socket: %s",
			 icmp_sock_kind_name(p->kind), strerror(-r));
		return r;
	}
	return 0;
}

/* Choose the socket kind and open the sockets (see icmp_sock.h). */
static int icmp_probe_sockets(struct icmp_probe *p, int need4, int need6, char *err,
			      size_t errlen)
{
	struct icmp_sock_facts f;
	int r;

	if ((r = icmp_sock_facts_read(&f)) < 0) {
		snprintf(err, errlen, "cannot read the process's groups: %s", strerror(-r));
		return r;
	}
	p->kind = icmp_sock_choose(&f, p->o.sock_pref, p->why, sizeof(p->why));
	if (p->kind == ICMP_SOCK_NONE) {
		snprintf(err, errlen, "%s", p->why);
		icmp_sock_facts_cleanup(&f);
		return -EPERM;
	}
	r = icmp_open_sockets(p, need4, need6, err, errlen);
	/* The sysctl said yes, the kernel no (e.g. another namespace's view). */
	if (r < 0 && p->kind == ICMP_SOCK_DGRAM && p->o.sock_pref == ICMP_SOCK_AUTO &&
	    f.cap_net_raw) {
		log_info("icmp: %s; trying raw sockets", err);
		icmp_close_family(&p->s4);
		icmp_close_family(&p->s6);
		p->kind = ICMP_SOCK_RAW;
		snprintf(p->why, sizeof(p->why), "raw ICMP sockets: datagram sockets failed (%s)"
			 " and the process has CAP_NET_RAW", strerror(-r));
		r = icmp_open_sockets(p, need4, need6, err, errlen);
	}
	icmp_sock_facts_cleanup(&f);
	return r;
}

static uint16_t icmp_random_ident(void)
{
	uint16_t id;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != (ssize_t)sizeof(id))
		id = (uint16_t)(getpid() ^ (unsigned)icmp_now_ns(CLOCK_MONOTONIC));
	return id;
}

static int icmp_probe_check_opts(const struct icmp_probe_opts *o, char *err, size_t errlen)
{
	if (o->count < 1 || o->count > 1000)
		snprintf(err, errlen, "count must be from 1 to 1000");
	else if (o->spacing_us < 100)
		snprintf(err, errlen, "spacing must be at least 0.1 ms");
	else if (o->timeout_ms < 1)
		snprintf(err, errlen, "timeout must be at least 1 ms");
	else if (o->interval_ms < 1)
		snprintf(err, errlen, "interval must be at least 1 ms");
	else if (o->payload > ICMP_MAX_PAYLOAD)
		snprintf(err, errlen, "payload must be at most %d bytes", ICMP_MAX_PAYLOAD);
	else
		return 0;
	return -EINVAL;
}

struct icmp_probe *icmp_probe_new(struct event_base *base, const struct icmp_probe_opts *opts,
				  const struct icmp_probe_target *targets, size_t n,
				  icmp_probe_cb *cb, void *arg, char *err, size_t errlen)
{
	struct icmp_probe *p;
	int need4 = 0, need6 = 0;

	if (icmp_probe_check_opts(opts, err, errlen) < 0)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int fam = targets[i].addr->sa_family;
		if ((fam != AF_INET && fam != AF_INET6) ||
		    targets[i].addrlen > sizeof(struct sockaddr_storage)) {
			snprintf(err, errlen, "target '%s': not an IPv4 or IPv6 address",
				 targets[i].name);
			return NULL;
		}
		need4 |= fam == AF_INET;
		need6 |= fam == AF_INET6;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		goto enomem;
	p->base = base;
	p->o = *opts;
	if (p->o.payload == 0)
		p->o.payload = ICMP_DEFAULT_PAYLOAD;
	p->cb = cb;
	p->arg = arg;
	p->s4.fd = p->s6.fd = -1;
	p->ident = icmp_random_ident();
	p->seq_next = (uint16_t)icmp_random_ident();
	p->slots = calloc(ICMP_SEQ_SLOTS, sizeof(*p->slots));
	p->t = calloc(n ? n : 1, sizeof(*p->t));
	p->rtts = calloc(p->o.count, sizeof(*p->rtts));
	p->scratch = calloc(p->o.count, sizeof(*p->scratch));
	p->ev_send = evtimer_new(base, icmp_on_send, p);
	p->ev_interval = event_new(base, -1, EV_PERSIST, icmp_on_interval, p);
	if (!p->slots || !p->t || !p->rtts || !p->scratch || !p->ev_send || !p->ev_interval)
		goto enomem;
	p->n = n;
	for (size_t i = 0; i < n; i++) {
		struct icmp_tgt *t = &p->t[i];
		memcpy(&t->addr, targets[i].addr, targets[i].addrlen);
		t->addrlen = targets[i].addrlen;
		t->name = strdup(targets[i].name ? targets[i].name : "");
		t->req = calloc(p->o.count, sizeof(*t->req));
		if (t->name == NULL || t->req == NULL)
			goto enomem;
	}
	if (icmp_probe_sockets(p, need4, need6, err, errlen) < 0) {
		icmp_probe_free(p);
		return NULL;
	}
	log_info("icmp: %zu targets, %s", n, p->why);
	return p;
enomem:
	snprintf(err, errlen, "out of memory");
	icmp_probe_free(p);
	return NULL;
}

void icmp_probe_result_values(const struct icmp_probe_result *r, double v[METRIC_TARGET_N])
{
	unsigned errors = 0;

	for (int e = 0; e < ICMP_ERR_COUNT; e++)
		errors += r->errors[e];
	v[METRIC_TARGET_LOSS_PCT - METRIC_TARGET_FIRST] = r->loss_pct;
	v[METRIC_TARGET_RTT_MS - METRIC_TARGET_FIRST] = r->rtt_median_ms;
	v[METRIC_TARGET_RTT_MIN_MS - METRIC_TARGET_FIRST] = r->rtt_min_ms;
	v[METRIC_TARGET_RTT_MAX_MS - METRIC_TARGET_FIRST] = r->rtt_max_ms;
	v[METRIC_TARGET_JITTER_MS - METRIC_TARGET_FIRST] = r->jitter_ms;
	v[METRIC_TARGET_LATE - METRIC_TARGET_FIRST] = r->late;
	v[METRIC_TARGET_DUPLICATES - METRIC_TARGET_FIRST] = r->duplicates;
	v[METRIC_TARGET_ERRORS - METRIC_TARGET_FIRST] = errors;
}

enum icmp_sock_kind icmp_probe_socket(const struct icmp_probe *p, const char **why)
{
	if (why)
		*why = p->why;
	return p->kind;
}

const struct icmp_probe_counters *icmp_probe_counters(const struct icmp_probe *p)
{
	return &p->counters;
}

void icmp_probe_free(struct icmp_probe *p)
{
	if (p == NULL)
		return;
	icmp_stop(p);
	icmp_close_family(&p->s4);
	icmp_close_family(&p->s6);
	if (p->ev_send)
		event_free(p->ev_send);
	if (p->ev_interval)
		event_free(p->ev_interval);
	for (size_t i = 0; p->t && i < p->n; i++) {
		free(p->t[i].name);
		free(p->t[i].req);
	}
	free(p->t);
	free(p->slots);
	free(p->rtts);
	free(p->scratch);
	free(p);
}

void icmp_probe_opts_from_conf(struct icmp_probe_opts *o, const struct icmp_conf *c,
			       unsigned interval_ms, unsigned intervals)
{
	static const enum icmp_sock_pref prefs[] = {
		[ICMP_SOCKET_AUTO] = ICMP_SOCK_AUTO,
		[ICMP_SOCKET_DATAGRAM] = ICMP_SOCK_PREF_DGRAM,
		[ICMP_SOCKET_RAW] = ICMP_SOCK_PREF_RAW,
	};
	memset(o, 0, sizeof(*o));
	o->count = c->count;
	o->period_ms = c->period_ms;
	o->spacing_us = c->spacing_ms * 1000;
	o->timeout_ms = c->timeout_ms;
	o->sock_pref = prefs[c->socket];
	o->interval_ms = interval_ms;
	o->intervals = intervals;
}
