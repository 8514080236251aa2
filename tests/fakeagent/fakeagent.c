/*
 * fakeagent.c — a fast fake SNMP agent that plays many devices at once.
 *
 * Role.  Real agents are too slow to benchmark a poller against (snmpsim
 * answers ~130-400 PDUs/s, snmpd ~3,000) and they cannot be told to misbehave
 * on cue.  This fixture serves the system group, ifNumber, ifTable and
 * ifXTable of N simulated switches from one single-threaded process, with
 * counters that advance at rates known in advance (written to a truth file so
 * tests can compare what the collector measured with what was sent), and with
 * faults injected on demand.  See docs/fakeagent.md for the user's view.
 *
 * Files.  This one holds main, the options, the epoll loop, the building of
 * replies and the faults; fa_ber.[ch] is the BER codec, fa_mib.[ch] the
 * simulated MIB (objects, rates, counters, lookups, truth file, reboot and
 * renumbering), fa_load.[ch] the --load generator, fa_common.[ch] the parsed
 * options and the helpers they all share.
 *
 * Shape.  Device i owns one UDP socket bound to BIND:(PORT_BASE + i); one
 * epoll loop serves all of them.  Each request is decoded by a small
 * hand-written BER decoder (every length is bounds-checked: the input is
 * untrusted) and the reply is encoded straight into one static buffer: the
 * varbinds forwards, then the message headers prepended in front of them, so
 * nothing is ever shifted or allocated on the fast path.  Net-SNMP's agent
 * library was rejected: its handler chain is what makes snmpd slow.
 *
 * The MIB is not stored: values are computed from CLOCK_MONOTONIC, read once
 * per request, so sysUpTime and every counter in one reply describe the same
 * instant (fa_mib.c).
 *
 * Faults (only on the devices named by --fault-devices, default all):
 * delayed replies (a min-heap of encoded replies, sent when due, so one slow
 * device never holds up another), dropped requests and corrupted replies (from
 * a seeded PRNG, so a run is reproducible), 32-bit counters about to wrap,
 * reboots (SIGUSR1 or --reboot-after: uptime and counters restart from 0),
 * ifIndex renumbering (SIGUSR2: +1000 to every ifIndex), an agent without
 * ifXTable, and a cap on GETBULK replies.
 *
 * --load turns the same binary into a load generator that keeps a window of
 * 60-varbind GETBULK requests in flight against an agent and prints the
 * replies per second: that is how the throughput figure in the docs is
 * measured.
 *
 * Signals only set flags; the loop acts on them between events.
 *
 * Command line (docs/fakeagent.md has the full contract):
 *   --port-base P --devices N [--ports K | --ports-list K1,K2,..]
 *   --community C (public)  --bind ADDR (127.0.0.1)  --truth FILE
 *   --seed S (1)  --pidfile F  --down-every K (7)  --max-varbinds M (100)
 *   --max-size BYTES (65507), --bulk-toobig (GETBULK past it: tooBig)
 *   faults, on --fault-devices LIST (default all): --delay-ms D, --drop PCT,
 *   --malformed PCT, --wrap32, --reboot-after S, --no-ifxtable,
 *   --quirks dup-names,unnamed,no-hc,nul-names,no-sysuptime,other-port,
 *   --hc-jump-after S;
 *   SIGUSR1 reboot, SIGUSR2 ifIndex += 1000, SIGHUP counter discontinuity,
 *   SIGTERM/SIGINT stats + exit 0.
 *   Prints "ready" on stdout once every socket is bound.
 *   --load [--seconds S] [--window W] [--max-rep R]: load generator mode.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fa_ber.h"
#include "fa_common.h"
#include "fa_load.h"
#include "fa_mib.h"

#define FA_HEAD 512             /* room in front of the varbinds for headers */
#define FA_MAX_COMMUNITY 255
#define FA_MAX_PENDING 100000   /* delayed replies held at once */

/* ---- state ---------------------------------------------------------- */

enum fa_malformed {
	MAL_NONE, MAL_TRUNCATE, MAL_BADLEN, MAL_REQID, MAL_TYPES, MAL_ORDER,
	MAL_NKINDS
};

struct fa_pending {
	int64_t due_ns;
	uint64_t seq;           /* FIFO among replies due at the same instant */
	unsigned dev;
	struct sockaddr_in to;
	size_t len;
	unsigned char *buf;
};

struct fa_stats {
	uint64_t requests, replies, dropped, malformed_sent, bad_community,
		bad_packets, unsupported, send_errors, queue_full;
};

struct fa_agent {
	struct fa_conf conf;
	struct fa_device *devs;
	int epfd;
	uint64_t rng;
	unsigned mal_next;
	struct fa_pending *heap;
	size_t heap_len;
	uint64_t heap_seq;
	int64_t start_ns;
	int reboot_timer_done;
	struct fa_stats st;
};

static volatile sig_atomic_t fa_sig_stop, fa_sig_reboot, fa_sig_renumber, fa_sig_disc;

/* ---- small utilities ------------------------------------------------ */

static uint64_t fa_rand(struct fa_agent *a)
{
	a->rng = fa_mix(a->rng);
	return a->rng;
}

/* True with probability pct/100. */
static int fa_chance(struct fa_agent *a, double pct)
{
	if (pct <= 0)
		return 0;
	if (pct >= 100)
		return 1;
	return (double)(fa_rand(a) >> 11) * (1.0 / 9007199254740992.0) * 100.0 < pct;
}

/* ---- building a reply ----------------------------------------------- */

/* Varbinds are written forwards from buf + FA_HEAD; headers go in front. */
struct fa_out {
	unsigned char *buf;
	size_t pos;             /* end of the varbinds written so far */
	size_t limit;           /* largest pos that still fits the message */
	unsigned nvb;
	enum fa_malformed mal;
};

static unsigned char fa_rbuf[FA_HEAD + FA_UDP_MAX + 1024];

/* Appends SEQUENCE{OID(body ob), value}; -ENOSPC (nothing written) when full. */
static int fa_put_raw(struct fa_out *o, const unsigned char *ob, size_t on,
		      const unsigned char *val, size_t vlen)
{
	size_t oh = 1 + ber_len_size(on);
	size_t content = oh + on + vlen;
	size_t total = 1 + ber_len_size(content) + content;
	unsigned char *p;

	if (o->pos + total > o->limit)
		return -ENOSPC;
	p = o->buf + o->pos;
	p += ber_put_hdr(p, T_SEQ, content);
	p += ber_put_hdr(p, T_OID, on);
	memcpy(p, ob, on);
	memcpy(p + on, val, vlen);
	if (o->mal == MAL_TYPES && vlen > 0)
		p[on] = p[on] == T_OCTETS ? T_IPADDR : T_OCTETS;
	o->pos += total;
	o->nvb++;
	return 0;
}

static int fa_put_vb(struct fa_out *o, const uint32_t *oid, int olen,
		     const unsigned char *val, size_t vlen)
{
	unsigned char ob[FA_MAX_OID * 5 + 16];
	size_t on;
	int i;

	on = ber_put_subid(ob, (uint64_t)oid[0] * 40 + oid[1]);
	for (i = 2; i < olen; i++)
		on += ber_put_subid(ob + on, oid[i]);
	return fa_put_raw(o, ob, on, val, vlen);
}

static int fa_put_ref(const struct fa_agent *a, const struct fa_device *d,
		      struct fa_out *o, const struct fa_ref *r, int64_t now)
{
	unsigned char ob[40], val[128];
	size_t on = fa_mib_oid_body(d, r, ob);

	return fa_put_raw(o, ob, on, val, fa_mib_value(&a->conf, d, r, now, val));
}

static int fa_put_exception(struct fa_out *o, const uint32_t *oid, int olen,
			    unsigned tag)
{
	unsigned char val[2] = { (unsigned char)tag, 0 };

	return fa_put_vb(o, oid, olen, val, 2);
}

/*
 * Wraps the varbinds in PDU and Message headers, prepending them.
 * Returns the start of the message and its length in *len.
 */
static unsigned char *fa_finish(const struct fa_agent *a, const struct fa_req *rq,
				struct fa_out *o, long err, long erridx,
				size_t *len)
{
	unsigned char tmp[64];
	size_t vbl = o->pos - FA_HEAD, pdul, msgl, n;
	unsigned char *p = o->buf + FA_HEAD;
	int64_t reqid = o->mal == MAL_REQID ? rq->reqid ^ 0x5a5a : rq->reqid;

	n = ber_put_hdr(tmp, T_SEQ, vbl);
	p -= n;
	memcpy(p, tmp, n);
	n = ber_put_int(tmp, T_INT, erridx);
	p -= n;
	memcpy(p, tmp, n);
	n = ber_put_int(tmp, T_INT, err);
	p -= n;
	memcpy(p, tmp, n);
	n = ber_put_int(tmp, T_INT, reqid);
	p -= n;
	memcpy(p, tmp, n);
	pdul = (size_t)(o->buf + o->pos - p);
	n = ber_put_hdr(tmp, PDU_RESPONSE, pdul);
	p -= n;
	memcpy(p, tmp, n);
	p -= a->conf.community_len;
	memcpy(p, a->conf.community, a->conf.community_len);
	n = ber_put_hdr(tmp, T_OCTETS, a->conf.community_len);
	p -= n;
	memcpy(p, tmp, n);
	n = ber_put_int(tmp, T_INT, rq->version);
	p -= n;
	memcpy(p, tmp, n);
	msgl = (size_t)(o->buf + o->pos - p);
	/* A length that claims more bytes than the datagram holds. */
	n = ber_put_hdr(tmp, T_SEQ, o->mal == MAL_BADLEN ? msgl + 1000 : msgl);
	p -= n;
	memcpy(p, tmp, n);
	*len = (size_t)(o->buf + o->pos - p);
	if (o->mal == MAL_TRUNCATE)
		*len /= 2;
	return p;
}

/* Copies the request's varbinds with NULL values, for v1 errors. */
static void fa_echo(const struct fa_req *rq, struct fa_out *o)
{
	unsigned i;

	o->pos = FA_HEAD;
	o->nvb = 0;
	for (i = 0; i < rq->nvb; i++)
		if (fa_put_exception(o, rq->oid[i], rq->oidlen[i], T_NULL) < 0)
			break;
}

/*
 * Answers one request for device d at instant now.  Returns the encoded
 * reply (in fa_rbuf) and its length, or NULL when there is nothing to send.
 */
static unsigned char *fa_answer(struct fa_agent *a, const struct fa_device *d,
				struct fa_req *rq, int64_t now,
				enum fa_malformed mal, size_t *len)
{
	struct fa_out o;
	struct fa_ref r;
	int v1 = rq->version == 0, instance = 0;
	unsigned i, rep;
	long err = 0, erridx = 0;

	o.buf = fa_rbuf;
	o.pos = FA_HEAD;
	o.nvb = 0;
	o.mal = mal;
	/* Room for headers: version, community, reqid, err, erridx, lengths. */
	o.limit = FA_HEAD + a->conf.max_size - (a->conf.community_len + 40);

	/* Out-of-order replies: answer as if asked for an earlier OID, so
	 * the first returned OID does not increase. */
	if (mal == MAL_ORDER && rq->pdu == PDU_GET)
		o.mal = mal = MAL_REQID;
	if (mal == MAL_ORDER && rq->nvb > 0)
		rq->oidlen[0] = 2;

	switch (rq->pdu) {
	case PDU_GET:
	case PDU_GETNEXT:
		for (i = 0; i < rq->nvb; i++) {
			int rc;

			if (rq->pdu == PDU_GET)
				rc = fa_mib_get(&a->conf, d, rq->oid[i], rq->oidlen[i],
						v1, &r, &instance);
			else
				rc = fa_mib_next(&a->conf, d, rq->oid[i], rq->oidlen[i],
						 v1, &r);
			if (rc == 0)
				rc = fa_put_ref(a, d, &o, &r, now);
			else if (v1) {
				err = ERR_NOSUCHNAME;
				erridx = i + 1;
				break;
			} else {
				unsigned tag = rq->pdu == PDU_GETNEXT ? T_ENDOFMIBVIEW :
					instance ? T_NOSUCHINSTANCE : T_NOSUCHOBJECT;

				rc = fa_put_exception(&o, rq->oid[i], rq->oidlen[i], tag);
			}
			if (rc == -ENOSPC) {
				err = ERR_TOOBIG;
				erridx = 0;
				o.pos = FA_HEAD;
				break;
			}
		}
		if (err == ERR_NOSUCHNAME)
			fa_echo(rq, &o);
		break;
	case PDU_GETBULK: {
		static struct fa_ref cur[FA_MAX_REQ_VB];
		static unsigned char state[FA_MAX_REQ_VB];
		unsigned nonrep = (unsigned)rq->nonrep < rq->nvb ? (unsigned)rq->nonrep : rq->nvb;
		unsigned max = a->conf.max_varbinds;
		int full = 0;

		for (i = 0; i < nonrep && !full; i++) {
			if (o.nvb >= max)
				full = 1;
			else if (fa_mib_next(&a->conf, d, rq->oid[i], rq->oidlen[i],
					     0, &r) == 0)
				full = fa_put_ref(a, d, &o, &r, now) < 0;
			else
				full = fa_put_exception(&o, rq->oid[i], rq->oidlen[i],
							T_ENDOFMIBVIEW) < 0;
		}
		/* Each repeater walks on from its previous answer (cur[i],
		 * stepped in O(1)); state: 0 at the request OID, 1 at cur[i],
		 * 2 past the end after cur[i], 3 past the end at the request
		 * OID.  Stop once a whole repetition is past the end, as
		 * snmpd does. */
		memset(state, 0, rq->nvb);
		for (rep = 0; rep < (unsigned)rq->maxrep && !full; rep++) {
			int alive = 0;

			for (i = nonrep; i < rq->nvb && !full; i++) {
				int rc = -ENOENT;

				if (o.nvb >= max) {
					full = 1;
					break;
				}
				if (state[i] == 0)
					rc = fa_mib_next(&a->conf, d, rq->oid[i],
							 rq->oidlen[i], 0, &cur[i]);
				else if (state[i] == 1)
					rc = fa_mib_step(&a->conf, d, 0, &cur[i]);
				if (rc == 0) {
					state[i] = 1;
					alive = 1;
					full = fa_put_ref(a, d, &o, &cur[i], now) < 0;
				} else if (state[i] == 1 || state[i] == 2) {
					uint32_t last[FA_MAX_OID];
					int ll = fa_mib_ref_oid(d, &cur[i], last);

					state[i] = 2;
					full = fa_put_exception(&o, last, ll, T_ENDOFMIBVIEW) < 0;
				} else {
					state[i] = 3;
					full = fa_put_exception(&o, rq->oid[i], rq->oidlen[i],
								T_ENDOFMIBVIEW) < 0;
				}
			}
			if (!alive)
				break;
		}
		if (full && o.nvb < max && a->conf.bulk_toobig) {
			/* Out of room before the varbind cap: some old agents
			 * answer that with tooBig rather than a short reply. */
			err = ERR_TOOBIG;
			erridx = 0;
			o.pos = FA_HEAD;
		}
		break;
	}
	default:
		return NULL;
	}
	return fa_finish(a, rq, &o, err, erridx, len);
}

/* ---- delayed replies: a binary min-heap on (due, seq) --------------- */

static int fa_pending_before(const struct fa_pending *x, const struct fa_pending *y)
{
	return x->due_ns < y->due_ns || (x->due_ns == y->due_ns && x->seq < y->seq);
}

static int fa_heap_push(struct fa_agent *a, const struct fa_pending *e)
{
	size_t i = a->heap_len, parent;

	if (a->heap_len >= FA_MAX_PENDING)
		return -ENOBUFS;
	a->heap[i] = *e;
	a->heap[i].seq = a->heap_seq++;
	while (i > 0) {
		struct fa_pending t;

		parent = (i - 1) / 2;
		if (!fa_pending_before(&a->heap[i], &a->heap[parent]))
			break;
		t = a->heap[i];
		a->heap[i] = a->heap[parent];
		a->heap[parent] = t;
		i = parent;
	}
	a->heap_len++;
	return 0;
}

static void fa_heap_pop(struct fa_agent *a)
{
	size_t i = 0, l, r, m;

	a->heap[0] = a->heap[--a->heap_len];
	for (;;) {
		struct fa_pending t;

		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < a->heap_len && fa_pending_before(&a->heap[l], &a->heap[m]))
			m = l;
		if (r < a->heap_len && fa_pending_before(&a->heap[r], &a->heap[m]))
			m = r;
		if (m == i)
			break;
		t = a->heap[i];
		a->heap[i] = a->heap[m];
		a->heap[m] = t;
		i = m;
	}
}

/* ---- the loop ------------------------------------------------------- */

static void fa_send(struct fa_agent *a, const struct fa_device *d,
		    const struct sockaddr_in *to, const unsigned char *buf,
		    size_t len)
{
	int fd = d->fd_reply >= 0 ? d->fd_reply : d->fd;

	if (sendto(fd, buf, len, 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		a->st.send_errors++;
	else
		a->st.replies++;
}

static void fa_handle_packet(struct fa_agent *a, struct fa_device *d,
			     const unsigned char *pkt, size_t n,
			     const struct sockaddr_in *from, int64_t now)
{
	static struct fa_req rq;        /* 256 KiB: keep it off the stack */
	const unsigned char *comm;
	size_t comm_len, len;
	enum fa_malformed mal = MAL_NONE;
	unsigned char *reply;
	int rc;

	a->st.requests++;
	rc = ber_decode(pkt, n, &rq, &comm, &comm_len);
	if (rc == -EPROTONOSUPPORT) {
		a->st.unsupported++;
		return;
	}
	if (rc < 0) {
		a->st.bad_packets++;
		return;
	}
	if (comm_len != a->conf.community_len ||
	    memcmp(comm, a->conf.community, comm_len) != 0) {
		a->st.bad_community++;  /* real agents stay silent */
		return;
	}
	if (rq.pdu != PDU_GET && rq.pdu != PDU_GETNEXT &&
	    (rq.pdu != PDU_GETBULK || rq.version == 0)) {
		a->st.unsupported++;
		return;
	}
	if (d->fault && fa_chance(a, a->conf.drop_pct)) {
		a->st.dropped++;
		return;
	}
	if (d->fault && fa_chance(a, a->conf.malformed_pct)) {
		mal = (enum fa_malformed)(1 + a->mal_next++ % (MAL_NKINDS - 1));
		a->st.malformed_sent++;
	}
	reply = fa_answer(a, d, &rq, now, mal, &len);
	if (!reply)
		return;
	if (d->fault && a->conf.delay_ms) {
		struct fa_pending e;

		e.due_ns = now + (int64_t)a->conf.delay_ms * 1000000;
		e.dev = d->index;
		e.to = *from;
		e.len = len;
		e.buf = malloc(len);
		if (!e.buf || fa_heap_push(a, &e) < 0) {
			free(e.buf);
			a->st.queue_full++;
			a->st.dropped++;
			return;
		}
		memcpy(e.buf, reply, len);
		return;
	}
	fa_send(a, d, from, reply, len);
}

static void fa_service(struct fa_agent *a, struct fa_device *d)
{
	static unsigned char pkt[FA_UDP_MAX + 1];
	int i;

	/* Bounded, so a flood on one device cannot starve the others. */
	for (i = 0; i < 64; i++) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(d->fd, pkt, sizeof(pkt), MSG_DONTWAIT,
				     (struct sockaddr *)&from, &fl);

		if (n < 0)
			break;
		fa_handle_packet(a, d, pkt, (size_t)n, &from, fa_now_ns());
	}
}

static void fa_flush_due(struct fa_agent *a, int64_t now)
{
	while (a->heap_len && a->heap[0].due_ns <= now) {
		struct fa_pending e = a->heap[0];

		fa_heap_pop(a);
		fa_send(a, &a->devs[e.dev], &e.to, e.buf, e.len);
		free(e.buf);
	}
}

static void fa_reboot(struct fa_agent *a, int64_t now)
{
	fa_mib_reboot(&a->conf, a->devs, now);
	fprintf(stderr, "fakeagent: rebooted fault devices\n");
}

static void fa_renumber(struct fa_agent *a)
{
	int rc;

	fa_mib_renumber(&a->conf, a->devs);
	fprintf(stderr, "fakeagent: renumbered ifIndex of fault devices\n");
	if ((rc = fa_mib_write_truth(&a->conf, a->devs)) < 0)
		fprintf(stderr, "fakeagent: %s: %s\n", a->conf.truth_file, strerror(-rc));
}

static void fa_on_signal(int sig)
{
	if (sig == SIGUSR1)
		fa_sig_reboot = 1;
	else if (sig == SIGUSR2)
		fa_sig_renumber = 1;
	else if (sig == SIGHUP)
		fa_sig_disc = 1;
	else
		fa_sig_stop = 1;
}

/* Milliseconds until the next timer, rounded up; -1 when none. */
static int fa_timeout_ms(const struct fa_agent *a, int64_t now)
{
	int64_t next = -1, t;

	if (a->heap_len)
		next = a->heap[0].due_ns;
	if (a->conf.reboot_after > 0 && !a->reboot_timer_done) {
		t = a->start_ns + (int64_t)(a->conf.reboot_after * 1e9);
		if (next < 0 || t < next)
			next = t;
	}
	if (next < 0)
		return -1;
	if (next <= now)
		return 0;
	t = (next - now + 999999) / 1000000;
	return t > INT_MAX ? INT_MAX : (int)t;
}

static int fa_run(struct fa_agent *a, const sigset_t *waitmask)
{
	struct epoll_event evs[256];
	int n, i;

	while (!fa_sig_stop) {
		int64_t now = fa_now_ns();

		n = epoll_pwait(a->epfd, evs, 256, fa_timeout_ms(a, now), waitmask);
		if (n < 0 && errno != EINTR)
			return -errno;
		for (i = 0; i < n; i++)
			fa_service(a, &a->devs[evs[i].data.u32]);
		now = fa_now_ns();
		if (fa_sig_reboot) {
			fa_sig_reboot = 0;
			if (a->conf.optics) {
				fa_mib_optics_step(&a->conf, a->devs);
				fprintf(stderr, "fakeagent: receive power of fault devices down 4 dB\n");
			} else {
				fa_reboot(a, now);
			}
		}
		if (fa_sig_renumber) {
			fa_sig_renumber = 0;
			fa_renumber(a);
		}
		if (fa_sig_disc) {
			fa_sig_disc = 0;
			fa_mib_discontinuity(&a->conf, a->devs, now);
			fprintf(stderr, "fakeagent: counter discontinuity on fault devices\n");
		}
		if (a->conf.reboot_after > 0 && !a->reboot_timer_done &&
		    now >= a->start_ns + (int64_t)(a->conf.reboot_after * 1e9)) {
			a->reboot_timer_done = 1;
			fa_reboot(a, now);
		}
		fa_flush_due(a, now);
	}
	return 0;
}

/* ---- set-up --------------------------------------------------------- */

/* Parses "0,3-5" into flags[0..n). */
static int fa_parse_list(const char *s, unsigned n, unsigned char *flags)
{
	while (*s) {
		char *e;
		unsigned long lo, hi;

		errno = 0;
		lo = strtoul(s, &e, 10);
		if (e == s || errno)
			return -EINVAL;
		hi = lo;
		if (*e == '-') {
			s = e + 1;
			hi = strtoul(s, &e, 10);
			if (e == s || errno || hi < lo)
				return -EINVAL;
		}
		if (hi >= n)
			return -ERANGE;
		for (; lo <= hi; lo++)
			flags[lo] = 1;
		if (*e == ',')
			e++;
		else if (*e)
			return -EINVAL;
		s = e;
	}
	return 0;
}

static int fa_parse_uint(const char *s, unsigned long max, unsigned *out)
{
	char *e;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &e, 10);
	if (e == s || *e || errno || v > max || *s == '-')
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

static int fa_parse_double(const char *s, double lo, double hi, double *out)
{
	char *e;
	double v;

	errno = 0;
	v = strtod(s, &e);
	if (e == s || *e || errno || !(v >= lo && v <= hi))
		return -EINVAL;
	*out = v;
	return 0;
}

static int fa_setup(struct fa_agent *a)
{
	struct fa_conf *c = &a->conf;
	unsigned char *flags;
	struct rlimit rl;
	unsigned i;
	int rc;

	/* One socket per device: lift the soft fd limit as far as allowed. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	a->devs = calloc(c->ndevices, sizeof(*a->devs));
	flags = calloc(c->ndevices, 1);
	a->heap = malloc(sizeof(*a->heap) * FA_MAX_PENDING);
	if (!a->devs || !flags || !a->heap) {
		free(flags);
		return -ENOMEM;
	}
	if (c->fault_devices) {
		if ((rc = fa_parse_list(c->fault_devices, c->ndevices, flags)) < 0) {
			fprintf(stderr, "fakeagent: bad --fault-devices '%s'\n", c->fault_devices);
			free(flags);
			return rc;
		}
	} else {
		memset(flags, 1, c->ndevices);
	}
	fa_mib_init();
	a->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (a->epfd < 0) {
		free(flags);
		return -errno;
	}
	a->start_ns = fa_now_ns();
	a->rng = fa_mix(c->seed);
	for (i = 0; i < c->ndevices; i++) {
		struct fa_device *d = &a->devs[i];
		struct epoll_event ev;

		d->index = i;
		d->udp_port = c->port_base + i;
		d->nports = c->nports_list ? c->ports_list[i % c->nports_list] : c->ports;
		d->boot_ns = a->start_ns;
		d->fault = flags[i];
		d->fd_reply = -1;
		/* A second socket on an ephemeral port: replies leave from
		 * an address the poller did not ask. */
		if (fa_quirk(c, d, FA_QUIRK_OTHER_PORT) &&
		    (rc = fa_open_socket(c->bind_addr, 0, &d->fd_reply)) < 0) {
			fprintf(stderr, "fakeagent: reply socket: %s\n", strerror(-rc));
			free(flags);
			return rc;
		}
		if ((rc = fa_open_socket(c->bind_addr, d->udp_port, &d->fd)) < 0) {
			fprintf(stderr, "fakeagent: %s:%u: %s\n", c->bind_addr,
				d->udp_port, strerror(-rc));
			free(flags);
			return rc;
		}
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.u32 = i;
		if (epoll_ctl(a->epfd, EPOLL_CTL_ADD, d->fd, &ev) < 0) {
			rc = -errno;
			free(flags);
			return rc;
		}
	}
	free(flags);
	return 0;
}

/* ---- main ----------------------------------------------------------- */

static void fa_usage(FILE *f)
{
	fprintf(f,
"usage: fakeagent --port-base P [--devices N] [--ports K | --ports-list K1,K2,..]\n"
"                 [--community C] [--bind ADDR] [--truth FILE] [--seed S]\n"
"                 [--pidfile F] [--down-every K] [--max-varbinds M] [--max-size B]\n"
"                 [--bulk-toobig]\n"
"                 [--fault-devices LIST] [--delay-ms D] [--drop PCT]\n"
"                 [--malformed PCT] [--wrap32] [--reboot-after SECONDS]\n"
"                 [--no-ifxtable] [--optics] [--quirks Q1,Q2,..] [--hc-jump-after SECONDS]\n"
"                 quirks: dup-names unnamed no-hc nul-names no-sysuptime other-port\n"
"       fakeagent --load --port-base P [--devices N] [--community C]\n"
"                 [--seconds S] [--window W] [--max-rep R]\n"
"Signals: SIGUSR1 reboots the fault devices (with --optics: lowers their\n"
"receive power by 4 dB instead), SIGUSR2 renumbers their\n"
"ifIndexes (+1000), SIGHUP makes their counters jump (a discontinuity),\n"
"SIGTERM/SIGINT print statistics and exit 0.\n"
"See docs/fakeagent.md.\n");
}

enum {
	O_PORT_BASE = 256, O_DEVICES, O_PORTS, O_PORTS_LIST, O_COMMUNITY, O_BIND,
	O_TRUTH, O_SEED, O_PIDFILE, O_DOWN_EVERY, O_FAULT_DEVICES, O_DELAY,
	O_DROP, O_MALFORMED, O_WRAP32, O_REBOOT_AFTER, O_NO_IFX, O_MAX_VB, O_BULK_TOOBIG,
	O_MAX_SIZE, O_LOAD, O_SECONDS, O_WINDOW, O_MAX_REP, O_HELP, O_QUIRKS, O_HC_JUMP, O_OPTICS,
};

static const struct option fa_options[] = {
	{ "port-base", required_argument, NULL, O_PORT_BASE },
	{ "devices", required_argument, NULL, O_DEVICES },
	{ "ports", required_argument, NULL, O_PORTS },
	{ "ports-list", required_argument, NULL, O_PORTS_LIST },
	{ "community", required_argument, NULL, O_COMMUNITY },
	{ "bind", required_argument, NULL, O_BIND },
	{ "truth", required_argument, NULL, O_TRUTH },
	{ "seed", required_argument, NULL, O_SEED },
	{ "pidfile", required_argument, NULL, O_PIDFILE },
	{ "down-every", required_argument, NULL, O_DOWN_EVERY },
	{ "fault-devices", required_argument, NULL, O_FAULT_DEVICES },
	{ "delay-ms", required_argument, NULL, O_DELAY },
	{ "drop", required_argument, NULL, O_DROP },
	{ "malformed", required_argument, NULL, O_MALFORMED },
	{ "wrap32", no_argument, NULL, O_WRAP32 },
	{ "reboot-after", required_argument, NULL, O_REBOOT_AFTER },
	{ "no-ifxtable", no_argument, NULL, O_NO_IFX },
	{ "quirks", required_argument, NULL, O_QUIRKS },
	{ "hc-jump-after", required_argument, NULL, O_HC_JUMP },
	{ "optics", no_argument, NULL, O_OPTICS },
	{ "max-varbinds", required_argument, NULL, O_MAX_VB },
	{ "max-size", required_argument, NULL, O_MAX_SIZE },
	{ "bulk-toobig", no_argument, NULL, O_BULK_TOOBIG },
	{ "load", no_argument, NULL, O_LOAD },
	{ "seconds", required_argument, NULL, O_SECONDS },
	{ "window", required_argument, NULL, O_WINDOW },
	{ "max-rep", required_argument, NULL, O_MAX_REP },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 },
};

static int fa_parse_quirks(const char *s, unsigned *out)
{
	static const struct { const char *name; unsigned bit; } q[] = {
		{ "dup-names", FA_QUIRK_DUP_NAMES }, { "unnamed", FA_QUIRK_UNNAMED },
		{ "no-hc", FA_QUIRK_NO_HC }, { "nul-names", FA_QUIRK_NUL_NAMES },
		{ "no-sysuptime", FA_QUIRK_NO_SYSUPTIME }, { "other-port", FA_QUIRK_OTHER_PORT },
	};
	while (*s) {
		size_t n = strcspn(s, ","), i;
		for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
			if (strlen(q[i].name) == n && strncmp(q[i].name, s, n) == 0)
				break;
		if (i == sizeof(q) / sizeof(q[0])) {
			fprintf(stderr, "fakeagent: unknown quirk '%.*s'\n", (int)n, s);
			return -EINVAL;
		}
		*out |= q[i].bit;
		s += n + (s[n] == ',');
	}
	return 0;
}

static int fa_parse_ports_list(struct fa_conf *c, const char *s)
{
	unsigned n = 1, i = 0;
	const char *q;

	for (q = s; *q; q++)
		n += *q == ',';
	c->ports_list = calloc(n, sizeof(unsigned));
	if (!c->ports_list)
		return -ENOMEM;
	while (i < n) {
		char *e;
		unsigned long v;

		errno = 0;
		v = strtoul(s, &e, 10);
		if (e == s || errno || v > 100000 || (*e && *e != ','))
			return -EINVAL;
		c->ports_list[i++] = (unsigned)v;
		s = *e ? e + 1 : e;
	}
	c->nports_list = n;
	return 0;
}

static int fa_parse_args(struct fa_conf *c, int argc, char **argv)
{
	int opt, have_port_base = 0;
	unsigned u;

	memset(c, 0, sizeof(*c));
	c->ndevices = 1;
	c->ports = 48;
	c->community = "public";
	c->bind_addr = "127.0.0.1";
	c->seed = 1;
	c->down_every = 7;
	c->max_varbinds = 100;
	c->max_size = FA_UDP_MAX;
	c->load_seconds = 5;
	c->load_window = 32;
	c->load_maxrep = 10;
	while ((opt = getopt_long(argc, argv, "h", fa_options, NULL)) != -1) {
		int rc = 0;

		switch (opt) {
		case O_PORT_BASE:
			rc = fa_parse_uint(optarg, 65535, &c->port_base);
			have_port_base = 1;
			break;
		case O_DEVICES:
			rc = fa_parse_uint(optarg, 65535, &c->ndevices);
			break;
		case O_PORTS:
			rc = fa_parse_uint(optarg, 100000, &c->ports);
			break;
		case O_PORTS_LIST:
			rc = fa_parse_ports_list(c, optarg);
			break;
		case O_COMMUNITY:
			c->community = optarg;
			break;
		case O_BIND:
			c->bind_addr = optarg;
			break;
		case O_TRUTH:
			c->truth_file = optarg;
			break;
		case O_SEED:
			rc = fa_parse_uint(optarg, UINT_MAX, &u);
			c->seed = u;
			break;
		case O_PIDFILE:
			c->pidfile = optarg;
			break;
		case O_DOWN_EVERY:
			rc = fa_parse_uint(optarg, 100000, &c->down_every);
			break;
		case O_FAULT_DEVICES:
			c->fault_devices = optarg;
			break;
		case O_DELAY:
			rc = fa_parse_uint(optarg, 3600000, &c->delay_ms);
			break;
		case O_DROP:
			rc = fa_parse_double(optarg, 0, 100, &c->drop_pct);
			break;
		case O_MALFORMED:
			rc = fa_parse_double(optarg, 0, 100, &c->malformed_pct);
			break;
		case O_WRAP32:
			c->wrap32 = 1;
			break;
		case O_REBOOT_AFTER:
			rc = fa_parse_double(optarg, 0, 1e7, &c->reboot_after);
			break;
		case O_QUIRKS:
			rc = fa_parse_quirks(optarg, &c->quirks);
			break;
		case O_HC_JUMP:
			rc = fa_parse_double(optarg, 0, 1e7, &c->hc_jump_after);
			break;
		case O_NO_IFX:
			c->no_ifxtable = 1;
			break;
		case O_OPTICS:
			c->optics = 1;
			break;
		case O_BULK_TOOBIG:
			c->bulk_toobig = 1;
			break;
		case O_MAX_VB:
			rc = fa_parse_uint(optarg, 100000, &c->max_varbinds);
			if (rc == 0 && c->max_varbinds == 0)
				rc = -EINVAL;
			break;
		case O_MAX_SIZE:
			rc = fa_parse_uint(optarg, FA_UDP_MAX, &c->max_size);
			if (rc == 0 && c->max_size < 484)   /* SNMP's minimum */
				rc = -EINVAL;
			break;
		case O_LOAD:
			c->load = 1;
			break;
		case O_SECONDS:
			rc = fa_parse_double(optarg, 0.1, 3600, &c->load_seconds);
			break;
		case O_WINDOW:
			rc = fa_parse_uint(optarg, 65536, &c->load_window);
			if (rc == 0 && c->load_window == 0)
				rc = -EINVAL;
			break;
		case O_MAX_REP:
			rc = fa_parse_uint(optarg, 1000, &c->load_maxrep);
			break;
		case 'h':
		case O_HELP:
			fa_usage(stdout);
			return 1;
		default:
			fa_usage(stderr);
			return -EINVAL;
		}
		if (rc < 0) {
			fprintf(stderr, "fakeagent: bad value '%s' for --%s\n", optarg,
				fa_options[opt - O_PORT_BASE].name);
			return -EINVAL;
		}
	}
	if (optind != argc || !have_port_base || c->port_base == 0) {
		fa_usage(stderr);
		return -EINVAL;
	}
	if (c->ndevices == 0 || c->port_base + c->ndevices - 1 > 65535) {
		fprintf(stderr, "fakeagent: ports %u..%u do not fit\n", c->port_base,
			c->port_base + c->ndevices - 1);
		return -EINVAL;
	}
	c->community_len = strlen(c->community);
	if (c->community_len > FA_MAX_COMMUNITY) {
		fprintf(stderr, "fakeagent: community too long\n");
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct fa_agent agent;
	struct fa_agent *a = &agent;
	struct sigaction sa;
	sigset_t block, waitmask;
	int rc;

	rc = fa_parse_args(&a->conf, argc, argv);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	if (a->conf.load) {
		rc = fa_load_run(&a->conf);
		if (rc < 0)
			fprintf(stderr, "fakeagent: load: %s\n", strerror(-rc));
		return rc < 0 ? 1 : 0;
	}

	/* Signals are blocked except inside epoll_pwait, so a flag set by a
	 * handler is always seen before the loop sleeps again. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fa_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGUSR1);
	sigdelset(&waitmask, SIGUSR2);
	sigdelset(&waitmask, SIGHUP);

	if ((rc = fa_setup(a)) < 0) {
		fprintf(stderr, "fakeagent: setup: %s\n", strerror(-rc));
		return 1;
	}
	if ((rc = fa_mib_write_truth(&a->conf, a->devs)) < 0) {
		fprintf(stderr, "fakeagent: %s: %s\n", a->conf.truth_file, strerror(-rc));
		return 1;
	}
	if (a->conf.pidfile) {
		FILE *f = fopen(a->conf.pidfile, "w");

		if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
			fprintf(stderr, "fakeagent: %s: %s\n", a->conf.pidfile, strerror(errno));
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);

	rc = fa_run(a, &waitmask);
	fprintf(stderr, "fakeagent: requests=%" PRIu64 " replies=%" PRIu64
		" dropped=%" PRIu64 " malformed_sent=%" PRIu64
		" bad_community=%" PRIu64 " bad_packets=%" PRIu64
		" unsupported=%" PRIu64 " send_errors=%" PRIu64
		" pending=%zu\n",
		a->st.requests, a->st.replies, a->st.dropped, a->st.malformed_sent,
		a->st.bad_community, a->st.bad_packets, a->st.unsupported,
		a->st.send_errors, a->heap_len);
	if (a->conf.pidfile)
		unlink(a->conf.pidfile);
	if (rc < 0) {
		fprintf(stderr, "fakeagent: %s\n", strerror(-rc));
		return 1;
	}
	return 0;
}
