/*
 * fa_ber.c — bounds-checked BER decoding of fakeagent's SNMPv1/v2c
 * requests, and the OID encoder (contract in fa_ber.h; the small encoders
 * are inline there).  Hand-written rather than Net-SNMP's: the agent's
 * fast path must not allocate, and the decoder is small enough to check
 * every length by eye.
 */
#include "config.h"

#include "fa_ber.h"

#include <errno.h>
#include <string.h>

/* ---- BER encoding --------------------------------------------------- */

/* Oids always have >= 2 sub-ids (the decoder ensures it). */
size_t ber_put_oid(unsigned char *p, const uint32_t *oid, int len)
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
int ber_decode(const unsigned char *pkt, size_t n, struct fa_req *rq,
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
