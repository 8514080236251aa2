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
 * Shape.  Device i owns one UDP socket bound to BIND:(PORT_BASE + i); one
 * epoll loop serves all of them.  Each request is decoded by a small
 * hand-written BER decoder (every length is bounds-checked: the input is
 * untrusted) and the reply is encoded straight into one static buffer: the
 * varbinds forwards, then the message headers prepended in front of them, so
 * nothing is ever shifted or allocated on the fast path.  Net-SNMP's agent
 * library was rejected: its handler chain is what makes snmpd slow.
 *
 * The MIB is not stored.  It is a static list of scalars and table columns in
 * OID order (fa_objs); a column's rows are the device's ifIndexes, which are
 * always the contiguous range base+1 .. base+ports, so GETNEXT is a scan of
 * ~30 objects plus O(1) arithmetic, and a value is computed from the clock:
 *
 *     counter(t) = initial + rate * (t - boot)      (64 bits; the 32-bit
 *                                                    columns are the low half)
 *
 * with t read from CLOCK_MONOTONIC once per request, so sysUpTime and every
 * counter in one reply describe the same instant.  Rates are a pure function
 * of (device, port), see fa_rate(); nothing per port is kept in memory, so
 * 10,000 devices cost a socket each and little else.
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
 *   --max-size BYTES (65507)
 *   faults, on --fault-devices LIST (default all): --delay-ms D, --drop PCT,
 *   --malformed PCT, --wrap32, --reboot-after S, --no-ifxtable;
 *   SIGUSR1 reboot, SIGUSR2 ifIndex += 1000, SIGTERM/SIGINT stats + exit 0.
 *   Prints "ready" on stdout once every socket is bound.
 *   --load [--seconds S] [--window W] [--max-rep R]: load generator mode.
 *
 * Rates (device d, 1-based port p; 0 on every --down-every'th port):
 *   in octets/s = 1000 * (1 + (d*131 + p*17) % 997), out = 1.5 * in,
 *   packets = octets / 500; errors and discards small, on some ports
 *   (fa_rate()).  ifSpeed 1 Gbit/s, ifHighSpeed 1000.
 */
#include "config.h"

#include <arpa/inet.h>
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

#define FA_MAX_OID 128          /* sub-identifiers, the SNMP limit */
#define FA_MAX_REQ_VB 512       /* varbinds accepted in one request */
#define FA_UDP_MAX 65507        /* largest UDP payload over IPv4 */
#define FA_HEAD 512             /* room in front of the varbinds for headers */
#define FA_MAX_COMMUNITY 255
#define FA_MAX_PENDING 100000   /* delayed replies held at once */
#define FA_RENUMBER_STEP 1000

/* BER tags used by SNMPv1/v2c. */
#define T_INT 0x02
#define T_OCTETS 0x04
#define T_NULL 0x05
#define T_OID 0x06
#define T_SEQ 0x30
#define T_IPADDR 0x40
#define T_COUNTER32 0x41
#define T_GAUGE32 0x42
#define T_TIMETICKS 0x43
#define T_COUNTER64 0x46
#define T_NOSUCHOBJECT 0x80
#define T_NOSUCHINSTANCE 0x81
#define T_ENDOFMIBVIEW 0x82
#define PDU_GET 0xa0
#define PDU_GETNEXT 0xa1
#define PDU_RESPONSE 0xa2
#define PDU_GETBULK 0xa5

#define ERR_TOOBIG 1
#define ERR_NOSUCHNAME 2

/* ---- the MIB: what is served, in OID order -------------------------- */

enum fa_val {
	V_SYSDESCR, V_SYSOBJECTID, V_SYSUPTIME, V_SYSNAME, V_IFNUMBER,
	V_IFINDEX, V_IFDESCR, V_IFTYPE, V_IFSPEED, V_IFADMIN, V_IFOPER,
	V_IFINOCTETS, V_IFINUCAST, V_IFINDISCARDS, V_IFINERRORS,
	V_IFOUTOCTETS, V_IFOUTUCAST, V_IFOUTDISCARDS, V_IFOUTERRORS,
	V_IFNAME, V_HCINOCTETS, V_HCINUCAST, V_HCOUTOCTETS, V_HCOUTUCAST,
	V_HIGHSPEED, V_IFALIAS, V_DISCONTINUITY,
};

/* The counters each port keeps; index into fa_rate()/fa_initial(). */
enum fa_ctr {
	C_IN_OCT, C_IN_PKT, C_IN_DISC, C_IN_ERR,
	C_OUT_OCT, C_OUT_PKT, C_OUT_DISC, C_OUT_ERR,
};

struct fa_obj {
	uint32_t oid[12];
	int len;
	int column;     /* 1: a table column, rows are ifIndexes; 0: a scalar */
	int ifx;        /* in ifXTable (absent with --no-ifxtable) */
	int c64;        /* Counter64: invisible to SNMPv1, as in real agents */
	enum fa_val val;
};

#define MIB2 1, 3, 6, 1, 2, 1
#define IFENTRY MIB2, 2, 2, 1
#define IFXENTRY MIB2, 31, 1, 1, 1
static const struct fa_obj fa_objs[] = {
	{ { MIB2, 1, 1, 0 }, 9, 0, 0, 0, V_SYSDESCR },
	{ { MIB2, 1, 2, 0 }, 9, 0, 0, 0, V_SYSOBJECTID },
	{ { MIB2, 1, 3, 0 }, 9, 0, 0, 0, V_SYSUPTIME },
	{ { MIB2, 1, 5, 0 }, 9, 0, 0, 0, V_SYSNAME },
	{ { MIB2, 2, 1, 0 }, 9, 0, 0, 0, V_IFNUMBER },
	{ { IFENTRY, 1 }, 10, 1, 0, 0, V_IFINDEX },
	{ { IFENTRY, 2 }, 10, 1, 0, 0, V_IFDESCR },
	{ { IFENTRY, 3 }, 10, 1, 0, 0, V_IFTYPE },
	{ { IFENTRY, 5 }, 10, 1, 0, 0, V_IFSPEED },
	{ { IFENTRY, 7 }, 10, 1, 0, 0, V_IFADMIN },
	{ { IFENTRY, 8 }, 10, 1, 0, 0, V_IFOPER },
	{ { IFENTRY, 10 }, 10, 1, 0, 0, V_IFINOCTETS },
	{ { IFENTRY, 11 }, 10, 1, 0, 0, V_IFINUCAST },
	{ { IFENTRY, 13 }, 10, 1, 0, 0, V_IFINDISCARDS },
	{ { IFENTRY, 14 }, 10, 1, 0, 0, V_IFINERRORS },
	{ { IFENTRY, 16 }, 10, 1, 0, 0, V_IFOUTOCTETS },
	{ { IFENTRY, 17 }, 10, 1, 0, 0, V_IFOUTUCAST },
	{ { IFENTRY, 19 }, 10, 1, 0, 0, V_IFOUTDISCARDS },
	{ { IFENTRY, 20 }, 10, 1, 0, 0, V_IFOUTERRORS },
	{ { IFXENTRY, 1 }, 11, 1, 1, 0, V_IFNAME },
	{ { IFXENTRY, 6 }, 11, 1, 1, 1, V_HCINOCTETS },
	{ { IFXENTRY, 7 }, 11, 1, 1, 1, V_HCINUCAST },
	{ { IFXENTRY, 10 }, 11, 1, 1, 1, V_HCOUTOCTETS },
	{ { IFXENTRY, 11 }, 11, 1, 1, 1, V_HCOUTUCAST },
	{ { IFXENTRY, 15 }, 11, 1, 1, 0, V_HIGHSPEED },
	{ { IFXENTRY, 18 }, 11, 1, 1, 0, V_IFALIAS },
	{ { IFXENTRY, 19 }, 11, 1, 1, 0, V_DISCONTINUITY },
};
#define FA_NOBJS ((int)(sizeof(fa_objs) / sizeof(fa_objs[0])))

/* Net-SNMP's "linux" sysObjectID: pollers that key on it see a known box. */
static const uint32_t fa_sysobjectid[] = { 1, 3, 6, 1, 4, 1, 8072, 3, 2, 10 };

/* ---- state ---------------------------------------------------------- */

enum fa_malformed {
	MAL_NONE, MAL_TRUNCATE, MAL_BADLEN, MAL_REQID, MAL_TYPES, MAL_ORDER,
	MAL_NKINDS
};

struct fa_device {
	int fd;
	unsigned index;
	unsigned udp_port;
	unsigned nports;
	uint32_t ifindex_base;  /* ifIndex of port p (1-based) is base + p */
	int64_t boot_ns;        /* CLOCK_MONOTONIC of the last (re)boot */
	int fault;              /* named by --fault-devices */
	int rebooted;           /* counters restarted from 0 */
};

struct fa_conf {
	unsigned port_base;
	unsigned ndevices;
	unsigned ports;
	unsigned *ports_list;
	unsigned nports_list;
	const char *community;
	size_t community_len;
	const char *bind_addr;
	const char *truth_file;
	const char *pidfile;
	uint64_t seed;
	unsigned down_every;
	const char *fault_devices;
	unsigned delay_ms;
	double drop_pct;
	double malformed_pct;
	int wrap32;
	double reboot_after;
	int no_ifxtable;
	unsigned max_varbinds;
	unsigned max_size;
	/* --load mode */
	int load;
	double load_seconds;
	unsigned load_window;
	unsigned load_maxrep;
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

/* A decoded request.  OIDs are copied out; values are ignored. */
struct fa_req {
	long version;
	unsigned pdu;
	int64_t reqid;
	long nonrep, maxrep;
	unsigned nvb;
	uint32_t oid[FA_MAX_REQ_VB][FA_MAX_OID];
	int oidlen[FA_MAX_REQ_VB];
};

/* An object instance: fa_objs[obj], row port0 (0-based) for columns. */
struct fa_ref {
	int obj;
	unsigned port0;
};

static volatile sig_atomic_t fa_sig_stop, fa_sig_reboot, fa_sig_renumber;

/* ---- small utilities ------------------------------------------------ */

static int64_t fa_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* splitmix64: tiny, good enough, and reproducible from --seed. */
static uint64_t fa_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

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

/* ---- the simulated devices ------------------------------------------ */

static int fa_port_down(const struct fa_conf *c, unsigned port1)
{
	return c->down_every && port1 % c->down_every == 0;
}

/*
 * Per-second rate of counter ctr on port port1 (1-based) of device dev.
 * The formula is the contract with the tests (docs/fakeagent.md); rates
 * differ between ports so a poller that mixes up rows is caught.
 */
static uint64_t fa_rate(const struct fa_conf *c, unsigned dev, unsigned port1,
			enum fa_ctr ctr)
{
	uint64_t in = 1000 * (1 + ((uint64_t)dev * 131 + (uint64_t)port1 * 17) % 997);

	if (fa_port_down(c, port1))
		return 0;
	switch (ctr) {
	case C_IN_OCT: return in;
	case C_OUT_OCT: return in * 3 / 2;
	case C_IN_PKT: return in / 500;
	case C_OUT_PKT: return in * 3 / 2 / 500;
	case C_IN_ERR: return port1 % 5 == 2 ? 1 + (dev + port1) % 3 : 0;
	case C_OUT_ERR: return port1 % 9 == 4 ? 1 : 0;
	case C_IN_DISC: return port1 % 4 == 1 ? 1 + dev % 5 : 0;
	case C_OUT_DISC: return port1 % 6 == 3 ? 2 : 0;
	}
	return 0;
}

static uint64_t fa_initial(const struct fa_agent *a, const struct fa_device *d,
			   unsigned port1, enum fa_ctr ctr)
{
	uint64_t h, r;

	if (d->rebooted)
		return 0;
	h = fa_mix(a->conf.seed ^ fa_mix(((uint64_t)d->index << 24) ^
					 ((uint64_t)port1 << 4) ^ ctr));
	if (a->conf.wrap32 && d->fault) {
		/* Low 32 bits wrap 3..9 s after start; high bits non-zero so
		 * the 64-bit column never looks like a fresh counter. */
		r = fa_rate(&a->conf, d->index, port1, ctr);
		return ((1 + (h >> 8) % 255) << 32) +
			((1ULL << 32) - r * (3 + h % 7));
	}
	/* Below 2^30: a Counter32 does not wrap for 20+ minutes unless asked. */
	return h % (1ULL << 30);
}

static uint64_t fa_counter(const struct fa_agent *a, const struct fa_device *d,
			   unsigned port1, enum fa_ctr ctr, int64_t el_ns)
{
	uint64_t r = fa_rate(&a->conf, d->index, port1, ctr);
	uint64_t s = (uint64_t)el_ns / 1000000000, ns = (uint64_t)el_ns % 1000000000;

	/* Split so rate * nanoseconds cannot overflow 64 bits. */
	return fa_initial(a, d, port1, ctr) + r * s + r * ns / 1000000000;
}

static void fa_port_name(char *buf, size_t sz, unsigned port1)
{
	snprintf(buf, sz, "Gi%u/%u", (port1 - 1) / 48, (port1 - 1) % 48 + 1);
}

static int fa_obj_visible(const struct fa_agent *a, const struct fa_device *d,
			  int i, int v1)
{
	if (fa_objs[i].ifx && a->conf.no_ifxtable && d->fault)
		return 0;
	if (fa_objs[i].c64 && v1)
		return 0;
	return 1;
}

/* ---- BER encoding --------------------------------------------------- */

static size_t ber_len_size(size_t len)
{
	if (len < 0x80)
		return 1;
	if (len < 0x100)
		return 2;
	if (len < 0x10000)
		return 3;
	return 4;
}

static size_t ber_put_hdr(unsigned char *p, unsigned tag, size_t len)
{
	p[0] = (unsigned char)tag;
	if (len < 0x80) {
		p[1] = (unsigned char)len;
		return 2;
	}
	if (len < 0x100) {
		p[1] = 0x81;
		p[2] = (unsigned char)len;
		return 3;
	}
	if (len < 0x10000) {
		p[1] = 0x82;
		p[2] = (unsigned char)(len >> 8);
		p[3] = (unsigned char)len;
		return 4;
	}
	p[1] = 0x83;
	p[2] = (unsigned char)(len >> 16);
	p[3] = (unsigned char)(len >> 8);
	p[4] = (unsigned char)len;
	return 5;
}

/* Signed INTEGER, minimal two's complement. */
static size_t ber_put_int(unsigned char *p, unsigned tag, int64_t v)
{
	unsigned char tmp[8];
	int n = 0, i;
	uint64_t u = (uint64_t)v;

	do {
		tmp[n++] = (unsigned char)u;
		u = (uint64_t)((int64_t)u >> 8);
	} while (n < 8 && !((u == 0 && !(tmp[n - 1] & 0x80)) ||
			    (u == UINT64_MAX && (tmp[n - 1] & 0x80))));
	p[0] = (unsigned char)tag;
	p[1] = (unsigned char)n;
	for (i = 0; i < n; i++)
		p[2 + i] = tmp[n - 1 - i];
	return 2 + (size_t)n;
}

/* Unsigned application types: a leading 0 when the top bit is set. */
static size_t ber_put_uint(unsigned char *p, unsigned tag, uint64_t v)
{
	unsigned char tmp[9];
	int n = 0, i;

	do {
		tmp[n++] = (unsigned char)v;
		v >>= 8;
	} while (v);
	if (tmp[n - 1] & 0x80)
		tmp[n++] = 0;
	p[0] = (unsigned char)tag;
	p[1] = (unsigned char)n;
	for (i = 0; i < n; i++)
		p[2 + i] = tmp[n - 1 - i];
	return 2 + (size_t)n;
}

static size_t ber_put_string(unsigned char *p, const char *s, size_t len)
{
	size_t h = ber_put_hdr(p, T_OCTETS, len);

	memcpy(p + h, s, len);
	return h + len;
}

static size_t ber_put_subid(unsigned char *p, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0, i;

	do {
		tmp[n++] = (unsigned char)(v & 0x7f);
		v >>= 7;
	} while (v);
	for (i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i] | (i + 1 < n ? 0x80 : 0);
	return n;
}

/* Full OID TLV; oids always have >= 2 sub-ids (the decoder ensures it). */
static size_t ber_put_oid(unsigned char *p, const uint32_t *oid, int len)
{
	unsigned char body[FA_MAX_OID * 5 + 8];
	size_t n, h;
	int i;

	n = ber_put_subid(body, (uint64_t)oid[0] * 40 + oid[1]);
	for (i = 2; i < len; i++)
		n += ber_put_subid(body + n, oid[i]);
	h = ber_put_hdr(p, T_OID, n);
	memcpy(p + h, body, n);
	return h + n;
}

/* ---- BER decoding (untrusted input) --------------------------------- */

static int ber_get(const unsigned char **pp, const unsigned char *end,
		   unsigned *tag, const unsigned char **val, size_t *len)
{
	const unsigned char *p = *pp;
	size_t l, n;

	if (end - p < 2)
		return -EBADMSG;
	*tag = *p++;
	if ((*tag & 0x1f) == 0x1f)
		return -EBADMSG;        /* multi-byte tags: never in SNMP */
	l = *p++;
	if (l & 0x80) {
		n = l & 0x7f;
		if (n == 0 || n > 4)    /* indefinite form is not allowed */
			return -EBADMSG;
		if ((size_t)(end - p) < n)
			return -EBADMSG;
		for (l = 0; n; n--)
			l = (l << 8) | *p++;
	}
	if (l > (size_t)(end - p))
		return -EBADMSG;
	*val = p;
	*len = l;
	*pp = p + l;
	return 0;
}

static int ber_get_int(const unsigned char **pp, const unsigned char *end,
		       int64_t *out)
{
	const unsigned char *v;
	unsigned tag;
	size_t len, i;
	uint64_t u;
	int rc = ber_get(pp, end, &tag, &v, &len);

	if (rc < 0)
		return rc;
	if (tag != T_INT || len < 1 || len > 8)
		return -EBADMSG;
	u = (v[0] & 0x80) ? UINT64_MAX : 0;
	for (i = 0; i < len; i++)
		u = (u << 8) | v[i];
	*out = (int64_t)u;
	return 0;
}

static int ber_get_oid(const unsigned char *v, size_t len, uint32_t *oid,
		       int *olen)
{
	uint64_t x = 0;
	int n = 0, first = 1;
	size_t i;

	if (len == 0)
		return -EBADMSG;
	for (i = 0; i < len; i++) {
		if (x > (UINT32_MAX >> 7) + 0xff)   /* generous; checked below */
			return -EBADMSG;
		x = (x << 7) | (v[i] & 0x7f);
		if (v[i] & 0x80)
			continue;
		if (first) {
			unsigned a = x < 40 ? 0 : x < 80 ? 1 : 2;

			if (x - a * 40 > UINT32_MAX)
				return -EBADMSG;
			oid[n++] = a;
			oid[n++] = (uint32_t)(x - a * 40);
			first = 0;
		} else {
			if (x > UINT32_MAX || n >= FA_MAX_OID)
				return -EBADMSG;
			oid[n++] = (uint32_t)x;
		}
		x = 0;
	}
	if (v[len - 1] & 0x80)
		return -EBADMSG;        /* last sub-id unterminated */
	*olen = n;
	return 0;
}

/*
 * Decodes Message{version, community, PDU{reqid, a, b, varbinds}}.
 * Returns 0, -EBADMSG for garbage, -EPROTONOSUPPORT for SNMPv3 and other
 * versions; *community points into the packet.
 */
static int fa_decode(const unsigned char *pkt, size_t n, struct fa_req *rq,
		     const unsigned char **community, size_t *community_len)
{
	const unsigned char *p = pkt, *end = pkt + n, *v, *pe, *vl, *vle;
	unsigned tag;
	size_t len;
	int64_t x;
	int rc;

	if ((rc = ber_get(&p, end, &tag, &v, &len)) < 0 || tag != T_SEQ)
		return -EBADMSG;
	p = v;
	end = v + len;
	if ((rc = ber_get_int(&p, end, &x)) < 0)
		return rc;
	if (x != 0 && x != 1)
		return -EPROTONOSUPPORT;
	rq->version = (long)x;
	if ((rc = ber_get(&p, end, &tag, &v, &len)) < 0 || tag != T_OCTETS)
		return -EBADMSG;
	*community = v;
	*community_len = len;
	if ((rc = ber_get(&p, end, &tag, &v, &len)) < 0)
		return -EBADMSG;
	rq->pdu = tag;
	p = v;
	pe = v + len;
	if ((rc = ber_get_int(&p, pe, &rq->reqid)) < 0)
		return rc;
	if ((rc = ber_get_int(&p, pe, &x)) < 0)
		return rc;
	rq->nonrep = x < 0 ? 0 : x > FA_MAX_REQ_VB ? FA_MAX_REQ_VB : (long)x;
	if ((rc = ber_get_int(&p, pe, &x)) < 0)
		return rc;
	rq->maxrep = x < 0 ? 0 : x > 65535 ? 65535 : (long)x;
	if ((rc = ber_get(&p, pe, &tag, &vl, &len)) < 0 || tag != T_SEQ)
		return -EBADMSG;
	vle = vl + len;
	rq->nvb = 0;
	while (vl < vle) {
		const unsigned char *q, *qe;

		if (rq->nvb >= FA_MAX_REQ_VB)
			return -EBADMSG;
		if ((rc = ber_get(&vl, vle, &tag, &q, &len)) < 0 || tag != T_SEQ)
			return -EBADMSG;
		qe = q + len;
		if ((rc = ber_get(&q, qe, &tag, &v, &len)) < 0 || tag != T_OID)
			return -EBADMSG;
		if (ber_get_oid(v, len, rq->oid[rq->nvb], &rq->oidlen[rq->nvb]) < 0)
			return -EBADMSG;
		if ((rc = ber_get(&q, qe, &tag, &v, &len)) < 0 || q != qe)
			return -EBADMSG;
		rq->nvb++;
	}
	return 0;
}

/* ---- MIB navigation ------------------------------------------------- */

/* <0, 0, >0 like memcmp; a proper prefix sorts first. */
static int oid_cmp(const uint32_t *a, int alen, const uint32_t *b, int blen)
{
	int i, n = alen < blen ? alen : blen;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return alen - blen;
}

/* The first instance after oid, or -ENOENT past the end of the MIB view. */
static int fa_next(const struct fa_agent *a, const struct fa_device *d,
		   const uint32_t *oid, int len, int v1, struct fa_ref *out)
{
	int i, j, n;

	for (i = 0; i < FA_NOBJS; i++) {
		const struct fa_obj *o = &fa_objs[i];
		int cmp = 0;

		if (!fa_obj_visible(a, d, i, v1))
			continue;
		if (!o->column) {
			if (oid_cmp(o->oid, o->len, oid, len) > 0) {
				out->obj = i;
				out->port0 = 0;
				return 0;
			}
			continue;
		}
		if (d->nports == 0)
			continue;
		n = len < o->len ? len : o->len;
		for (j = 0; j < n && !cmp; j++)
			if (o->oid[j] != oid[j])
				cmp = o->oid[j] < oid[j] ? -1 : 1;
		if (cmp < 0)
			continue;               /* column entirely before oid */
		if (cmp > 0 || len <= o->len) {
			out->obj = i;           /* oid before or at the column */
			out->port0 = 0;
			return 0;
		}
		/* oid is inside the column: first ifIndex > oid[o->len]. */
		if (oid[o->len] <= d->ifindex_base) {
			out->obj = i;
			out->port0 = 0;
			return 0;
		}
		if (oid[o->len] - d->ifindex_base < d->nports) {
			out->obj = i;
			out->port0 = oid[o->len] - d->ifindex_base;
			return 0;
		}
	}
	return -ENOENT;
}

/* Exact match; -ENOENT with *instance set when oid names a known object. */
static int fa_get(const struct fa_agent *a, const struct fa_device *d,
		  const uint32_t *oid, int len, int v1, struct fa_ref *out,
		  int *instance)
{
	int i;

	*instance = 0;
	for (i = 0; i < FA_NOBJS; i++) {
		const struct fa_obj *o = &fa_objs[i];
		int plen = o->column ? o->len : o->len - 1;

		if (!fa_obj_visible(a, d, i, v1))
			continue;
		if (len < plen || oid_cmp(o->oid, plen, oid, plen) != 0)
			continue;
		*instance = 1;
		if (!o->column) {
			if (len == o->len && oid[plen] == 0) {
				out->obj = i;
				out->port0 = 0;
				return 0;
			}
			return -ENOENT;
		}
		if (len == plen + 1 && oid[plen] > d->ifindex_base &&
		    oid[plen] - d->ifindex_base <= d->nports) {
			out->obj = i;
			out->port0 = oid[plen] - d->ifindex_base - 1;
			return 0;
		}
		return -ENOENT;
	}
	return -ENOENT;
}

/*
 * The instance after r, from r itself: the fast path of GETBULK, where each
 * repetition continues from the previous answer instead of searching.
 */
static int fa_step(const struct fa_agent *a, const struct fa_device *d,
		   int v1, struct fa_ref *r)
{
	int i;

	if (fa_objs[r->obj].column && r->port0 + 1 < d->nports) {
		r->port0++;
		return 0;
	}
	for (i = r->obj + 1; i < FA_NOBJS; i++) {
		if (!fa_obj_visible(a, d, i, v1) || (fa_objs[i].column && d->nports == 0))
			continue;
		r->obj = i;
		r->port0 = 0;
		return 0;
	}
	return -ENOENT;
}

static int fa_ref_oid(const struct fa_device *d, const struct fa_ref *r,
		      uint32_t *oid)
{
	const struct fa_obj *o = &fa_objs[r->obj];

	memcpy(oid, o->oid, sizeof(uint32_t) * (size_t)o->len);
	if (!o->column)
		return o->len;
	oid[o->len] = d->ifindex_base + r->port0 + 1;
	return o->len + 1;
}

/* Encodes the value TLV of r at instant now into p (<= 96 bytes). */
static size_t fa_value(const struct fa_agent *a, const struct fa_device *d,
		       const struct fa_ref *r, int64_t now, unsigned char *p)
{
	const struct fa_conf *c = &a->conf;
	int64_t el = now - d->boot_ns;
	unsigned port1 = r->port0 + 1;
	int down = fa_port_down(c, port1);
	char s[64];
	int n;

	if (el < 0)
		el = 0;
	switch (fa_objs[r->obj].val) {
	case V_SYSDESCR:
		n = snprintf(s, sizeof(s), "fakeagent device %u", d->index);
		return ber_put_string(p, s, (size_t)n);
	case V_SYSOBJECTID:
		return ber_put_oid(p, fa_sysobjectid, 10);
	case V_SYSUPTIME:
		return ber_put_uint(p, T_TIMETICKS, (uint32_t)(el / 10000000));
	case V_SYSNAME:
		n = snprintf(s, sizeof(s), "fake-d%04u", d->index);
		return ber_put_string(p, s, (size_t)n);
	case V_IFNUMBER:
		return ber_put_int(p, T_INT, d->nports);
	case V_IFINDEX:
		return ber_put_int(p, T_INT, (int64_t)d->ifindex_base + port1);
	case V_IFDESCR:
		n = snprintf(s, sizeof(s), "GigabitEthernet%u/%u",
			     (port1 - 1) / 48, (port1 - 1) % 48 + 1);
		return ber_put_string(p, s, (size_t)n);
	case V_IFTYPE:
		return ber_put_int(p, T_INT, 6);
	case V_IFSPEED:
		return ber_put_uint(p, T_GAUGE32, 1000000000);
	case V_IFADMIN:
		return ber_put_int(p, T_INT, 1);
	case V_IFOPER:
		return ber_put_int(p, T_INT, down ? 2 : 1);
	case V_IFINOCTETS:
		return ber_put_uint(p, T_COUNTER32, (uint32_t)fa_counter(a, d, port1, C_IN_OCT, el));
	case V_IFINUCAST:
		return ber_put_uint(p, T_COUNTER32, (uint32_t)fa_counter(a, d, port1, C_IN_PKT, el));
	case V_IFINDISCARDS:
		return ber_put_uint(p, T_COUNTER32, (uint32_t)fa_counter(a, d, port1, C_IN_DISC, el));
	case V_IFINERRORS:
		return ber_put_uint(p, T_COUNTER32, (uint32_t)fa_counter(a, d, port1, C_IN_ERR, el));
	case V_IFOUTOCTETS:
		return ber_put_uint(p, T_COUNTER32, (uint32_t)fa_counter(a, d, port1, C_OUT_OCT, el));
	case V_IFOUTUCAST:
		return ber_put_uint(p, T_COUNTER32, (uint32_t)fa_counter(a, d, port1, C_OUT_PKT, el));
	case V_IFOUTDISCARDS:
		return ber_put_uint(p, T_COUNTER32, (uint32_t)fa_counter(a, d, port1, C_OUT_DISC, el));
	case V_IFOUTERRORS:
		return ber_put_uint(p, T_COUNTER32, (uint32_t)fa_counter(a, d, port1, C_OUT_ERR, el));
	case V_IFNAME:
		fa_port_name(s, sizeof(s), port1);
		return ber_put_string(p, s, strlen(s));
	case V_HCINOCTETS:
		return ber_put_uint(p, T_COUNTER64, fa_counter(a, d, port1, C_IN_OCT, el));
	case V_HCINUCAST:
		return ber_put_uint(p, T_COUNTER64, fa_counter(a, d, port1, C_IN_PKT, el));
	case V_HCOUTOCTETS:
		return ber_put_uint(p, T_COUNTER64, fa_counter(a, d, port1, C_OUT_OCT, el));
	case V_HCOUTUCAST:
		return ber_put_uint(p, T_COUNTER64, fa_counter(a, d, port1, C_OUT_PKT, el));
	case V_HIGHSPEED:
		return ber_put_uint(p, T_GAUGE32, 1000);
	case V_IFALIAS:
		n = snprintf(s, sizeof(s), "uplink to opd-%u",
			     (d->index * 7 + port1) % 100);
		return ber_put_string(p, s, (size_t)n);
	case V_DISCONTINUITY:
		return ber_put_uint(p, T_TIMETICKS, 0);
	}
	p[0] = T_NULL;
	p[1] = 0;
	return 2;
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

/* BER bodies of every object's OID, encoded once: a column's rows only
 * append the ifIndex sub-id. */
static unsigned char fa_enc[FA_NOBJS][24];
static size_t fa_enc_len[FA_NOBJS];

static void fa_init_enc(void)
{
	int i, j;

	for (i = 0; i < FA_NOBJS; i++) {
		const struct fa_obj *ob = &fa_objs[i];
		size_t n = ber_put_subid(fa_enc[i], (uint64_t)ob->oid[0] * 40 + ob->oid[1]);

		for (j = 2; j < ob->len; j++)
			n += ber_put_subid(fa_enc[i] + n, ob->oid[j]);
		fa_enc_len[i] = n;
	}
}

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
	size_t on = fa_enc_len[r->obj];

	memcpy(ob, fa_enc[r->obj], on);
	if (fa_objs[r->obj].column)
		on += ber_put_subid(ob + on, d->ifindex_base + r->port0 + 1);
	return fa_put_raw(o, ob, on, val, fa_value(a, d, r, now, val));
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
				rc = fa_get(a, d, rq->oid[i], rq->oidlen[i], v1, &r, &instance);
			else
				rc = fa_next(a, d, rq->oid[i], rq->oidlen[i], v1, &r);
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
			else if (fa_next(a, d, rq->oid[i], rq->oidlen[i], 0, &r) == 0)
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
					rc = fa_next(a, d, rq->oid[i], rq->oidlen[i], 0, &cur[i]);
				else if (state[i] == 1)
					rc = fa_step(a, d, 0, &cur[i]);
				if (rc == 0) {
					state[i] = 1;
					alive = 1;
					full = fa_put_ref(a, d, &o, &cur[i], now) < 0;
				} else if (state[i] == 1 || state[i] == 2) {
					uint32_t last[FA_MAX_OID];
					int ll = fa_ref_oid(d, &cur[i], last);

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
	if (sendto(d->fd, buf, len, 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
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
	rc = fa_decode(pkt, n, &rq, &comm, &comm_len);
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

static int fa_write_truth(const struct fa_agent *a)
{
	const struct fa_conf *c = &a->conf;
	char tmp[PATH_MAX], name[32];
	unsigned i, p;
	FILE *f;

	if (!c->truth_file)
		return 0;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", c->truth_file) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "device\tudp_port\tifindex\tifname\toper\tin_bps\tout_bps\t"
		"in_pps\tout_pps\tin_err_ps\tout_err_ps\tin_disc_ps\t"
		"out_disc_ps\tspeed_mbps\n");
	for (i = 0; i < c->ndevices; i++) {
		const struct fa_device *d = &a->devs[i];

		for (p = 1; p <= d->nports; p++) {
			fa_port_name(name, sizeof(name), p);
			fprintf(f, "%u\t%u\t%u\t%s\t%s\t%" PRIu64 "\t%" PRIu64
				"\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64
				"\t%" PRIu64 "\t%" PRIu64 "\t1000\n",
				i, d->udp_port, d->ifindex_base + p, name,
				fa_port_down(c, p) ? "down" : "up",
				fa_rate(c, i, p, C_IN_OCT) * 8,
				fa_rate(c, i, p, C_OUT_OCT) * 8,
				fa_rate(c, i, p, C_IN_PKT),
				fa_rate(c, i, p, C_OUT_PKT),
				fa_rate(c, i, p, C_IN_ERR),
				fa_rate(c, i, p, C_OUT_ERR),
				fa_rate(c, i, p, C_IN_DISC),
				fa_rate(c, i, p, C_OUT_DISC));
		}
	}
	if (fclose(f) != 0)
		return -errno;
	if (rename(tmp, c->truth_file) < 0)
		return -errno;
	return 0;
}

static void fa_reboot(struct fa_agent *a, int64_t now)
{
	unsigned i;

	for (i = 0; i < a->conf.ndevices; i++)
		if (a->devs[i].fault) {
			a->devs[i].boot_ns = now;
			a->devs[i].rebooted = 1;
		}
	fprintf(stderr, "fakeagent: rebooted fault devices\n");
}

static void fa_renumber(struct fa_agent *a)
{
	unsigned i;
	int rc;

	for (i = 0; i < a->conf.ndevices; i++)
		if (a->devs[i].fault)
			a->devs[i].ifindex_base += FA_RENUMBER_STEP;
	fprintf(stderr, "fakeagent: renumbered ifIndex of fault devices\n");
	if ((rc = fa_write_truth(a)) < 0)
		fprintf(stderr, "fakeagent: %s: %s\n", a->conf.truth_file, strerror(-rc));
}

static void fa_on_signal(int sig)
{
	if (sig == SIGUSR1)
		fa_sig_reboot = 1;
	else if (sig == SIGUSR2)
		fa_sig_renumber = 1;
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
			fa_reboot(a, now);
		}
		if (fa_sig_renumber) {
			fa_sig_renumber = 0;
			fa_renumber(a);
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

static int fa_open_socket(const char *addr, unsigned port, int *fd_out)
{
	struct sockaddr_in sa;
	int fd, sz = 1 << 20, rc;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return -EINVAL;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* Bursts of requests from a poller must not overflow the default
	 * buffer and look like loss that was never injected. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (port != 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	*fd_out = fd;
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
	fa_init_enc();
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

/* ---- --load: a load generator for measuring throughput --------------- */

/*
 * Keeps `window` GETBULK requests in flight, round-robin over the devices:
 * 6 columns (ifHCIn/OutOctets, ifHCIn/OutUcastPkts, ifIn/OutErrors) times
 * max-repetitions (default 10) = 60 varbinds per reply, the shape of a
 * poller's interface walk.  Requests unanswered for a second are re-sent
 * and counted as lost.
 */
struct fa_loadgen {
	const struct fa_conf *conf;
	int fd;
	unsigned char req[512];
	size_t req_len;
	size_t reqid_off;       /* the 4 content bytes of request-id */
	struct sockaddr_in to;
	unsigned next_dev;
	int64_t *sent;          /* per window slot; the slot is the reqid */
};

/* Encodes the request once; only the request-id changes between sends. */
static void fa_load_encode(struct fa_loadgen *g)
{
	static const uint32_t cols[6][11] = {
		{ IFXENTRY, 6 }, { IFXENTRY, 7 }, { IFXENTRY, 10 }, { IFXENTRY, 11 },
		{ IFENTRY, 14 }, { IFENTRY, 20 },
	};
	static const int collen[6] = { 11, 11, 11, 11, 10, 10 };
	const struct fa_conf *c = g->conf;
	unsigned char vbs[256], pdu[320], msg[512], ob[64];
	size_t vl = 0, pl = 0, ml = 0, on, reqid_pdu, reqid_msg, h;
	unsigned i;

	for (i = 0; i < 6; i++) {
		on = ber_put_oid(ob, cols[i], collen[i]);
		vl += ber_put_hdr(vbs + vl, T_SEQ, on + 2);
		memcpy(vbs + vl, ob, on);
		vl += on;
		vbs[vl++] = T_NULL;
		vbs[vl++] = 0;
	}
	pdu[pl++] = T_INT;
	pdu[pl++] = 4;
	reqid_pdu = pl;
	memset(pdu + pl, 0, 4);
	pl += 4;
	pl += ber_put_int(pdu + pl, T_INT, 0);
	pl += ber_put_int(pdu + pl, T_INT, c->load_maxrep);
	pl += ber_put_hdr(pdu + pl, T_SEQ, vl);
	memcpy(pdu + pl, vbs, vl);
	pl += vl;
	ml += ber_put_int(msg + ml, T_INT, 1);
	ml += ber_put_string(msg + ml, c->community, c->community_len);
	ml += ber_put_hdr(msg + ml, PDU_GETBULK, pl);
	reqid_msg = ml + reqid_pdu;
	memcpy(msg + ml, pdu, pl);
	ml += pl;
	h = ber_put_hdr(g->req, T_SEQ, ml);
	memcpy(g->req + h, msg, ml);
	g->req_len = h + ml;
	g->reqid_off = h + reqid_msg;
}

static void fa_load_send(struct fa_loadgen *g, unsigned slot)
{
	unsigned char *r = g->req + g->reqid_off;

	r[0] = 0x10;    /* a positive 4-byte INTEGER whatever the slot */
	r[1] = (unsigned char)(slot >> 16);
	r[2] = (unsigned char)(slot >> 8);
	r[3] = (unsigned char)slot;
	g->to.sin_port = htons((uint16_t)(g->conf->port_base + g->next_dev));
	g->next_dev = (g->next_dev + 1) % g->conf->ndevices;
	sendto(g->fd, g->req, g->req_len, 0, (struct sockaddr *)&g->to, sizeof(g->to));
	g->sent[slot] = fa_now_ns();
}

static int fa_load(const struct fa_conf *c)
{
	static struct fa_req rq;
	static unsigned char pkt[FA_UDP_MAX + 1];
	struct fa_loadgen g;
	int64_t start, end, now, last_check;
	uint64_t replies = 0, varbinds = 0, lost = 0, bad = 0;
	unsigned i, w = c->load_window;
	int rc;

	memset(&g, 0, sizeof(g));
	g.conf = c;
	fa_load_encode(&g);
	g.to.sin_family = AF_INET;
	if (inet_pton(AF_INET, c->bind_addr, &g.to.sin_addr) != 1)
		return -EINVAL;
	if ((rc = fa_open_socket(c->bind_addr, 0, &g.fd)) < 0)
		return rc;
	g.sent = calloc(w, sizeof(*g.sent));
	if (!g.sent) {
		close(g.fd);
		return -ENOMEM;
	}
	start = last_check = fa_now_ns();
	end = start + (int64_t)(c->load_seconds * 1e9);
	for (i = 0; i < w; i++)
		fa_load_send(&g, i);
	while ((now = fa_now_ns()) < end) {
		const unsigned char *comm;
		size_t comm_len;
		ssize_t got = recv(g.fd, pkt, sizeof(pkt), MSG_DONTWAIT);

		if (got < 0) {
			struct timespec ts = { 0, 20000 };

			if (now - last_check > 100000000) {
				last_check = now;
				for (i = 0; i < w; i++)
					if (now - g.sent[i] > 1000000000) {
						lost++;
						fa_load_send(&g, i);
					}
			}
			nanosleep(&ts, NULL);
			continue;
		}
		/* Decoding every reply keeps the measurement honest: a
		 * garbled reply is counted as bad, not as throughput. */
		if (fa_decode(pkt, (size_t)got, &rq, &comm, &comm_len) < 0 ||
		    rq.pdu != PDU_RESPONSE || (rq.reqid >> 24) != 0x10 ||
		    (rq.reqid & 0xffffff) >= w) {
			bad++;
			continue;
		}
		replies++;
		varbinds += rq.nvb;
		fa_load_send(&g, (unsigned)(rq.reqid & 0xffffff));
	}
	printf("load: replies=%" PRIu64 " seconds=%.2f rate=%.0f pdu/s "
	       "varbinds_per_reply=%.1f lost=%" PRIu64 " bad=%" PRIu64 "\n",
	       replies, (double)(now - start) / 1e9,
	       (double)replies * 1e9 / (double)(now - start),
	       replies ? (double)varbinds / (double)replies : 0.0, lost, bad);
	free(g.sent);
	close(g.fd);
	return 0;
}

/* ---- main ----------------------------------------------------------- */

static void fa_usage(FILE *f)
{
	fprintf(f,
"usage: fakeagent --port-base P [--devices N] [--ports K | --ports-list K1,K2,..]\n"
"                 [--community C] [--bind ADDR] [--truth FILE] [--seed S]\n"
"                 [--pidfile F] [--down-every K] [--max-varbinds M] [--max-size B]\n"
"                 [--fault-devices LIST] [--delay-ms D] [--drop PCT]\n"
"                 [--malformed PCT] [--wrap32] [--reboot-after SECONDS]\n"
"                 [--no-ifxtable]\n"
"       fakeagent --load --port-base P [--devices N] [--community C]\n"
"                 [--seconds S] [--window W] [--max-rep R]\n"
"Signals: SIGUSR1 reboots the fault devices, SIGUSR2 renumbers their\n"
"ifIndexes (+1000), SIGTERM/SIGINT print statistics and exit 0.\n"
"See docs/fakeagent.md.\n");
}

enum {
	O_PORT_BASE = 256, O_DEVICES, O_PORTS, O_PORTS_LIST, O_COMMUNITY, O_BIND,
	O_TRUTH, O_SEED, O_PIDFILE, O_DOWN_EVERY, O_FAULT_DEVICES, O_DELAY,
	O_DROP, O_MALFORMED, O_WRAP32, O_REBOOT_AFTER, O_NO_IFX, O_MAX_VB,
	O_MAX_SIZE, O_LOAD, O_SECONDS, O_WINDOW, O_MAX_REP, O_HELP,
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
	{ "max-varbinds", required_argument, NULL, O_MAX_VB },
	{ "max-size", required_argument, NULL, O_MAX_SIZE },
	{ "load", no_argument, NULL, O_LOAD },
	{ "seconds", required_argument, NULL, O_SECONDS },
	{ "window", required_argument, NULL, O_WINDOW },
	{ "max-rep", required_argument, NULL, O_MAX_REP },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 },
};

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
		case O_NO_IFX:
			c->no_ifxtable = 1;
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
		rc = fa_load(&a->conf);
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
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGUSR1);
	sigdelset(&waitmask, SIGUSR2);

	if ((rc = fa_setup(a)) < 0) {
		fprintf(stderr, "fakeagent: setup: %s\n", strerror(-rc));
		return 1;
	}
	if ((rc = fa_write_truth(a)) < 0) {
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
