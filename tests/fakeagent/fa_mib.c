/*
 * fa_mib.c — the simulated MIB: objects in OID order, rates, counters,
 * GET/GETNEXT/GETBULK lookups, the truth file, and the reboot and
 * renumbering of fault devices (contract in fa_mib.h).
 *
 * A value is computed from the clock:
 *
 *     counter(t) = initial + rate * (t - boot)      (64 bits; the 32-bit
 *                                                    columns are the low half)
 *
 * with t read by the caller once per request, so sysUpTime and every
 * counter in one reply describe the same instant.  Rates are a pure function
 * of (device, port), see fa_rate(); nothing per port is kept in memory, so
 * 10,000 devices cost a socket each and little else.
 *
 * Rates (device d, 1-based port p; 0 on every --down-every'th port):
 *   in octets/s = 1000 * (1 + (d*131 + p*17) % 997), out = 1.5 * in,
 *   packets = octets / 500; errors and discards small, on some ports
 *   (fa_rate()).  ifSpeed 1 Gbit/s, ifHighSpeed 1000.
 */
#include "config.h"

#include "fa_mib.h"

#include "fa_ber.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* ---- the MIB: what is served, in OID order -------------------------- */

enum fa_val {
	V_SYSDESCR, V_SYSOBJECTID, V_SYSUPTIME, V_SYSNAME, V_SYSORLASTCHANGE, V_IFNUMBER,
	V_IFINDEX, V_IFDESCR, V_IFTYPE, V_IFSPEED, V_IFADMIN, V_IFOPER,
	V_IFINOCTETS, V_IFINUCAST, V_IFINDISCARDS, V_IFINERRORS,
	V_IFOUTOCTETS, V_IFOUTUCAST, V_IFOUTDISCARDS, V_IFOUTERRORS,
	V_IFNAME, V_HCINOCTETS, V_HCINUCAST, V_HCOUTOCTETS, V_HCOUTUCAST,
	V_HIGHSPEED, V_IFALIAS, V_DISCONTINUITY, V_DOM_RX, V_DOM_TX, V_DOM_TEMP, V_COUNT
};

/* The counters each port keeps; index into fa_rate()/fa_initial(). */
enum fa_ctr {
	C_IN_OCT, C_IN_PKT, C_IN_DISC, C_IN_ERR,
	C_OUT_OCT, C_OUT_PKT, C_OUT_DISC, C_OUT_ERR,
};

struct fa_obj {
	uint32_t oid[14];
	int len;
	int column;     /* 1: a table column, rows are ifIndexes; 0: a scalar */
	int ifx;        /* in ifXTable (absent with --no-ifxtable) */
	int c64;        /* Counter64: invisible to SNMPv1, as in real agents */
	enum fa_val val;
	int optics;     /* served with --optics only */
};

static const struct fa_obj fa_objs[] = {
	{ { MIB2, 1, 1, 0 }, 9, 0, 0, 0, V_SYSDESCR, 0 },
	{ { MIB2, 1, 2, 0 }, 9, 0, 0, 0, V_SYSOBJECTID, 0 },
	{ { MIB2, 1, 3, 0 }, 9, 0, 0, 0, V_SYSUPTIME, 0 },
	{ { MIB2, 1, 5, 0 }, 9, 0, 0, 0, V_SYSNAME, 0 },
	{ { MIB2, 1, 8, 0 }, 9, 0, 0, 0, V_SYSORLASTCHANGE, 0 },
	{ { MIB2, 2, 1, 0 }, 9, 0, 0, 0, V_IFNUMBER, 0 },
	{ { IFENTRY, 1 }, 10, 1, 0, 0, V_IFINDEX, 0 },
	{ { IFENTRY, 2 }, 10, 1, 0, 0, V_IFDESCR, 0 },
	{ { IFENTRY, 3 }, 10, 1, 0, 0, V_IFTYPE, 0 },
	{ { IFENTRY, 5 }, 10, 1, 0, 0, V_IFSPEED, 0 },
	{ { IFENTRY, 7 }, 10, 1, 0, 0, V_IFADMIN, 0 },
	{ { IFENTRY, 8 }, 10, 1, 0, 0, V_IFOPER, 0 },
	{ { IFENTRY, 10 }, 10, 1, 0, 0, V_IFINOCTETS, 0 },
	{ { IFENTRY, 11 }, 10, 1, 0, 0, V_IFINUCAST, 0 },
	{ { IFENTRY, 13 }, 10, 1, 0, 0, V_IFINDISCARDS, 0 },
	{ { IFENTRY, 14 }, 10, 1, 0, 0, V_IFINERRORS, 0 },
	{ { IFENTRY, 16 }, 10, 1, 0, 0, V_IFOUTOCTETS, 0 },
	{ { IFENTRY, 17 }, 10, 1, 0, 0, V_IFOUTUCAST, 0 },
	{ { IFENTRY, 19 }, 10, 1, 0, 0, V_IFOUTDISCARDS, 0 },
	{ { IFENTRY, 20 }, 10, 1, 0, 0, V_IFOUTERRORS, 0 },
	{ { IFXENTRY, 1 }, 11, 1, 1, 0, V_IFNAME, 0 },
	{ { IFXENTRY, 6 }, 11, 1, 1, 1, V_HCINOCTETS, 0 },
	{ { IFXENTRY, 7 }, 11, 1, 1, 1, V_HCINUCAST, 0 },
	{ { IFXENTRY, 10 }, 11, 1, 1, 1, V_HCOUTOCTETS, 0 },
	{ { IFXENTRY, 11 }, 11, 1, 1, 1, V_HCOUTUCAST, 0 },
	{ { IFXENTRY, 15 }, 11, 1, 1, 0, V_HIGHSPEED, 0 },
	{ { IFXENTRY, 18 }, 11, 1, 1, 0, V_IFALIAS, 0 },
	{ { IFXENTRY, 19 }, 11, 1, 1, 0, V_DISCONTINUITY, 0 },
	/* JUNIPER-DOM-MIB jnxDomCurrentTable, by ifIndex (0.01 dBm, C) */
	{ { JNXDOMENTRY, 5 }, 14, 1, 0, 0, V_DOM_RX, 1 },
	{ { JNXDOMENTRY, 7 }, 14, 1, 0, 0, V_DOM_TX, 1 },
	{ { JNXDOMENTRY, 8 }, 14, 1, 0, 0, V_DOM_TEMP, 1 },
};
#define FA_NOBJS ((int)(sizeof(fa_objs) / sizeof(fa_objs[0])))

/* Net-SNMP's "linux" sysObjectID: pollers that key on it see a known box. */
static const uint32_t fa_sysobjectid[] = { 1, 3, 6, 1, 4, 1, 8072, 3, 2, 10 };
/* BER bodies of every object's OID, encoded once: a column's rows only
 * append the ifIndex sub-id. */
static unsigned char fa_enc[FA_NOBJS][24];
static size_t fa_enc_len[FA_NOBJS];

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

static uint64_t fa_initial(const struct fa_conf *c, const struct fa_device *d,
			   unsigned port1, enum fa_ctr ctr)
{
	uint64_t h, r;

	if (d->rebooted)
		return 0;
	h = fa_mix(c->seed ^ fa_mix(((uint64_t)d->index << 24) ^
					 ((uint64_t)port1 << 4) ^ ctr));
	if (c->wrap32 && d->fault) {
		/* Low 32 bits wrap 3..9 s after start; high bits non-zero so
		 * the 64-bit column never looks like a fresh counter. */
		r = fa_rate(c, d->index, port1, ctr);
		return ((1 + (h >> 8) % 255) << 32) +
			((1ULL << 32) - r * (3 + h % 7));
	}
	/* Below 2^30: a Counter32 does not wrap for 20+ minutes unless asked. */
	return h % (1ULL << 30);
}

static uint64_t fa_counter(const struct fa_conf *c, const struct fa_device *d,
			   unsigned port1, enum fa_ctr ctr, int64_t el_ns)
{
	uint64_t r = fa_rate(c, d->index, port1, ctr);
	uint64_t s = (uint64_t)el_ns / 1000000000, ns = (uint64_t)el_ns % 1000000000;

	/* Split so rate * nanoseconds cannot overflow 64 bits. */
	return fa_initial(c, d, port1, ctr) + d->disc_jump + r * s + r * ns / 1000000000;
}

static void fa_port_name(char *buf, size_t sz, unsigned port1)
{
	snprintf(buf, sz, "Gi%u/%u", (port1 - 1) / 48, (port1 - 1) % 48 + 1);
}

int fa_quirk(const struct fa_conf *c, const struct fa_device *d, unsigned q)
{
	return d->fault && (c->quirks & q);
}

static int fa_obj_visible(const struct fa_conf *c, const struct fa_device *d,
			  int i, int v1)
{
	if (fa_objs[i].ifx && c->no_ifxtable && d->fault)
		return 0;
	/* sysORLastChange exists only to be taken for uptime by mistake. */
	if (fa_objs[i].val == V_SYSORLASTCHANGE)
		return fa_quirk(c, d, FA_QUIRK_NO_SYSUPTIME);
	if (fa_objs[i].val == V_SYSUPTIME && fa_quirk(c, d, FA_QUIRK_NO_SYSUPTIME))
		return 0;
	if (fa_objs[i].c64 && v1)
		return 0;
	if (fa_objs[i].optics && !c->optics)
		return 0;
	return 1;
}
/* A row of a column may be absent (FA_QUIRK_NO_HC: no HC counters on even
 * ports). */
static int fa_row_visible(const struct fa_conf *c, const struct fa_device *d, int i,
			  unsigned port0)
{
	return !(fa_objs[i].c64 && fa_quirk(c, d, FA_QUIRK_NO_HC) && (port0 + 1) % 2 == 0);
}

/*
 * --optics levels of port port1: every 5th port (p % 5 == 2) is an empty
 * cage (0, Juniper's "nothing there"); others receive -5.00 .. -16.99 dBm
 * and send -3.00 .. -5.99 dBm, both fixed per port, and the receive level
 * drops by d->optics_drop after SIGUSR1.  Down ports keep their levels:
 * a poller must gate on oper status itself.
 */
static int fa_optics_value(const struct fa_device *d, unsigned port1, enum fa_val val)
{
	if (port1 % 5 == 2)
		return 0;
	switch (val) {
	case V_DOM_RX: return -500 - (int)((port1 * 37) % 1200) - d->optics_drop;
	case V_DOM_TX: return -300 - (int)((port1 * 13) % 300);
	default: return 30 + (int)(port1 % 10);
	}
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

int fa_mib_next(const struct fa_conf *c, const struct fa_device *d,
		const uint32_t *oid, int len, int v1, struct fa_ref *out)
{
	int i, j, n;

	for (i = 0; i < FA_NOBJS; i++) {
		const struct fa_obj *o = &fa_objs[i];
		int cmp = 0;

		if (!fa_obj_visible(c, d, i, v1))
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
			unsigned p0 = 0;        /* oid before or at the column */
			while (p0 < d->nports && !fa_row_visible(c, d, i, p0))
				p0++;
			if (p0 == d->nports)
				continue;
			out->obj = i;
			out->port0 = p0;
			return 0;
		}
		/* oid is inside the column: first ifIndex > oid[o->len]. */
		unsigned p0 = oid[o->len] <= d->ifindex_base ? 0 : oid[o->len] - d->ifindex_base;
		while (p0 < d->nports && !fa_row_visible(c, d, i, p0))
			p0++;
		if (p0 < d->nports) {
			out->obj = i;
			out->port0 = p0;
			return 0;
		}
	}
	return -ENOENT;
}

int fa_mib_get(const struct fa_conf *c, const struct fa_device *d,
	       const uint32_t *oid, int len, int v1, struct fa_ref *out,
	       int *instance)
{
	int i;

	*instance = 0;
	for (i = 0; i < FA_NOBJS; i++) {
		const struct fa_obj *o = &fa_objs[i];
		int plen = o->column ? o->len : o->len - 1;

		if (!fa_obj_visible(c, d, i, v1))
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
		    oid[plen] - d->ifindex_base <= d->nports &&
		    fa_row_visible(c, d, i, oid[plen] - d->ifindex_base - 1)) {
			out->obj = i;
			out->port0 = oid[plen] - d->ifindex_base - 1;
			return 0;
		}
		return -ENOENT;
	}
	return -ENOENT;
}

int fa_mib_step(const struct fa_conf *c, const struct fa_device *d, int v1,
		struct fa_ref *r)
{
	int i;

	if (fa_objs[r->obj].column) {
		unsigned p0 = r->port0 + 1;
		while (p0 < d->nports && !fa_row_visible(c, d, r->obj, p0))
			p0++;
		if (p0 < d->nports) {
			r->port0 = p0;
			return 0;
		}
	}
	for (i = r->obj + 1; i < FA_NOBJS; i++) {
		unsigned p0 = 0;
		if (!fa_obj_visible(c, d, i, v1) || (fa_objs[i].column && d->nports == 0))
			continue;
		while (fa_objs[i].column && p0 < d->nports && !fa_row_visible(c, d, i, p0))
			p0++;
		if (fa_objs[i].column && p0 == d->nports)
			continue;
		r->obj = i;
		r->port0 = p0;
		return 0;
	}
	return -ENOENT;
}

int fa_mib_ref_oid(const struct fa_device *d, const struct fa_ref *r,
		   uint32_t *oid)
{
	const struct fa_obj *o = &fa_objs[r->obj];

	memcpy(oid, o->oid, sizeof(uint32_t) * (size_t)o->len);
	if (!o->column)
		return o->len;
	oid[o->len] = d->ifindex_base + r->port0 + 1;
	return o->len + 1;
}

size_t fa_mib_value(const struct fa_conf *c, const struct fa_device *d,
		    const struct fa_ref *r, int64_t now, unsigned char *p)
{
	int64_t el = now - d->boot_ns;
	unsigned port1 = r->port0 + 1;
	int down = fa_port_down(c, port1);
	char s[64];
	int n;

	/* The counter columns: which counter, and 32 or 64 bits of it. */
	static const struct { unsigned char width; unsigned char ctr; } counters[V_COUNT] = {
		[V_IFINOCTETS] = { 32, C_IN_OCT }, [V_IFINUCAST] = { 32, C_IN_PKT },
		[V_IFINDISCARDS] = { 32, C_IN_DISC }, [V_IFINERRORS] = { 32, C_IN_ERR },
		[V_IFOUTOCTETS] = { 32, C_OUT_OCT }, [V_IFOUTUCAST] = { 32, C_OUT_PKT },
		[V_IFOUTDISCARDS] = { 32, C_OUT_DISC }, [V_IFOUTERRORS] = { 32, C_OUT_ERR },
		[V_HCINOCTETS] = { 64, C_IN_OCT }, [V_HCINUCAST] = { 64, C_IN_PKT },
		[V_HCOUTOCTETS] = { 64, C_OUT_OCT }, [V_HCOUTUCAST] = { 64, C_OUT_PKT },
	};
	enum fa_val val = fa_objs[r->obj].val;

	if (el < 0)
		el = 0;
	if (counters[val].width) {
		uint64_t v = fa_counter(c, d, port1, (enum fa_ctr)counters[val].ctr, el);
		/* --hc-jump-after: garbage in the 64-bit columns, nothing
		 * signalled (ifCounterDiscontinuityTime stays). */
		if (counters[val].width == 64 && d->fault && c->hc_jump_after > 0 &&
		    el >= (int64_t)(c->hc_jump_after * 1e9))
			v += 1ull << 50;
		return counters[val].width == 64 ? ber_put_uint(p, T_COUNTER64, v)
						 : ber_put_uint(p, T_COUNTER32, (uint32_t)v);
	}
	switch (val) {
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
		if (fa_quirk(c, d, FA_QUIRK_UNNAMED) && port1 % 3 == 0)
			return ber_put_string(p, "", 0);
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
	case V_IFNAME:
		if (fa_quirk(c, d, FA_QUIRK_UNNAMED) && port1 % 3 == 0)
			return ber_put_string(p, "", 0);
		if (fa_quirk(c, d, FA_QUIRK_NUL_NAMES)) {
			/* "eth0", a NUL, then the name: equal up to the NUL */
			memcpy(s, "eth0", 5);
			fa_port_name(s + 5, sizeof(s) - 5, port1);
			return ber_put_string(p, s, 5 + strlen(s + 5));
		}
		fa_port_name(s, sizeof(s), fa_quirk(c, d, FA_QUIRK_DUP_NAMES) && port1 % 4 == 2
			     ? port1 - 1 : port1);
		return ber_put_string(p, s, strlen(s));
	case V_SYSORLASTCHANGE:
		return ber_put_uint(p, T_TIMETICKS, 5);
	case V_HIGHSPEED:
		return ber_put_uint(p, T_GAUGE32, 1000);
	case V_IFALIAS:
		n = snprintf(s, sizeof(s), "uplink to opd-%u",
			     (d->index * 7 + port1) % 100);
		return ber_put_string(p, s, (size_t)n);
	case V_DISCONTINUITY:
		return ber_put_uint(p, T_TIMETICKS, d->disc_ticks);
	case V_DOM_RX:
	case V_DOM_TX:
	case V_DOM_TEMP:
		return ber_put_int(p, T_INT, fa_optics_value(d, port1, val));
	default:    /* the counter columns, above */
		break;
	}
	p[0] = T_NULL;
	p[1] = 0;
	return 2;
}
void fa_mib_init(void)
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


size_t fa_mib_oid_body(const struct fa_device *d, const struct fa_ref *r,
		       unsigned char *ob)
{
	size_t on = fa_enc_len[r->obj];

	memcpy(ob, fa_enc[r->obj], on);
	if (fa_objs[r->obj].column)
		on += ber_put_subid(ob + on, d->ifindex_base + r->port0 + 1);
	return on;
}

/* The name a poller should give port p: the quirks' identities (the
 * contract with serat's if_walk_name_rows, docs/architecture.md). */
static void fa_truth_name(const struct fa_conf *c, const struct fa_device *d, unsigned p,
			  char *buf, size_t sz)
{
	char base[32];
	unsigned ifindex = d->ifindex_base + p;

	if (fa_quirk(c, d, FA_QUIRK_UNNAMED) && p % 3 == 0) {
		snprintf(buf, sz, "ifIndex.%u", ifindex);
	} else if (fa_quirk(c, d, FA_QUIRK_NUL_NAMES)) {
		fa_port_name(base, sizeof(base), p);
		snprintf(buf, sz, "eth0\\x00%s", base);
	} else if (fa_quirk(c, d, FA_QUIRK_DUP_NAMES) &&
		   ((p % 4 == 2) || (p % 4 == 1 && p + 1 <= d->nports))) {
		fa_port_name(base, sizeof(base), p % 4 == 2 ? p - 1 : p);
		snprintf(buf, sz, "%s#ifIndex.%u", base, ifindex);
	} else {
		fa_port_name(buf, sz, p);
	}
}

int fa_mib_write_truth(const struct fa_conf *c, const struct fa_device *devs)
{
	char tmp[PATH_MAX], name[48];
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
		const struct fa_device *d = &devs[i];

		for (p = 1; p <= d->nports; p++) {
			fa_truth_name(c, d, p, name, sizeof(name));
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

void fa_mib_reboot(const struct fa_conf *c, struct fa_device *devs, int64_t now)
{
	unsigned i;

	for (i = 0; i < c->ndevices; i++)
		if (devs[i].fault) {
			devs[i].boot_ns = now;
			devs[i].rebooted = 1;
		}
}

void fa_mib_discontinuity(const struct fa_conf *c, struct fa_device *devs, int64_t now)
{
	unsigned i;

	for (i = 0; i < c->ndevices; i++)
		if (devs[i].fault) {
			devs[i].disc_jump += 1000000000000ULL;
			devs[i].disc_ticks = (uint32_t)((now - devs[i].boot_ns) / 10000000);
		}
}

void fa_mib_optics_step(const struct fa_conf *c, struct fa_device *devs)
{
	for (unsigned i = 0; i < c->ndevices; i++)
		if (devs[i].fault)
			devs[i].optics_drop += 400;
}

void fa_mib_renumber(const struct fa_conf *c, struct fa_device *devs)
{
	unsigned i;

	for (i = 0; i < c->ndevices; i++)
		if (devs[i].fault)
			devs[i].ifindex_base += FA_RENUMBER_STEP;
}
