/*
 * fa_ber.h — the BER codec of fakeagent: just enough ASN.1 for SNMPv1/v2c
 * GET, GETNEXT, GETBULK and their responses.
 *
 * Encoders write one TLV at p and return the number of bytes written; they
 * do no bounds checking, so the caller reserves room first (ber_len_size()
 * and the sizes noted below make that possible).  They allocate nothing.
 *
 * The decoder reads untrusted datagrams: every length is checked against
 * the end of the buffer before it is used, and anything outside the subset
 * SNMP needs (multi-byte tags, indefinite lengths, over-long integers or
 * OIDs) is rejected as -EBADMSG.  It copies OIDs out into the caller's
 * struct fa_req and allocates nothing; values in varbinds are skipped.
 */
#ifndef FA_BER_H
#define FA_BER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <string.h>

#define FA_MAX_OID 128          /* sub-identifiers, the SNMP limit */
#define FA_MAX_REQ_VB 512       /* varbinds accepted in one request */

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

/* error-status values. */
#define ERR_TOOBIG 1
#define ERR_NOSUCHNAME 2

/* A decoded request.  OIDs are copied out; values are ignored.  ~256 KiB:
 * callers keep it static, off the stack. */
struct fa_req {
	long version;
	unsigned pdu;
	int64_t reqid;
	long nonrep, maxrep;
	unsigned nvb;
	uint32_t oid[FA_MAX_REQ_VB][FA_MAX_OID];
	int oidlen[FA_MAX_REQ_VB];
};

/*
 * The small encoders are inline: they run for every varbind, and a call per
 * TLV across files cost ~4% of the agent's replies per second.
 *   ber_len_size: bytes taken by the length octets of len (1..4)
 *   ber_put_hdr: tag and length (2..5 bytes)
 *   ber_put_int: signed INTEGER-like TLV (<= 10 bytes)
 *   ber_put_uint: Counter, Gauge, TimeTicks (<= 11 bytes)
 *   ber_put_subid: one sub-identifier, base 128, no tag (<= 10 bytes)
 *   ber_put_string: OCTET STRING of len bytes copied from s
 */

static inline size_t ber_len_size(size_t len)
{
	if (len < 0x80)
		return 1;
	if (len < 0x100)
		return 2;
	if (len < 0x10000)
		return 3;
	return 4;
}

static inline size_t ber_put_hdr(unsigned char *p, unsigned tag, size_t len)
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
static inline size_t ber_put_int(unsigned char *p, unsigned tag, int64_t v)
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
static inline size_t ber_put_uint(unsigned char *p, unsigned tag, uint64_t v)
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

static inline size_t ber_put_subid(unsigned char *p, uint64_t v)
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

static inline size_t ber_put_string(unsigned char *p, const char *s, size_t len)
{
	size_t h = ber_put_hdr(p, T_OCTETS, len);

	memcpy(p + h, s, len);
	return h + len;
}

/* Full OID TLV of len >= 2 sub-ids (<= 5 * FA_MAX_OID + 5 bytes). */
size_t ber_put_oid(unsigned char *p, const uint32_t *oid, int len);

/*
 * Decodes the n bytes at pkt as Message{version, community, PDU{reqid, a, b,
 * varbinds}} into *rq.  Returns 0, -EBADMSG for garbage, -EPROTONOSUPPORT
 * for SNMPv3 and other versions.  *community points into pkt (valid as long
 * as pkt is).
 */
int ber_decode(const unsigned char *pkt, size_t n, struct fa_req *rq,
	       const unsigned char **community, size_t *community_len);

#endif
