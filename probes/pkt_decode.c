/*
 * pkt_decode.c — link, network and transport headers of one captured frame.
 *
 * Every read goes through pkt_need(), which compares an offset and a length
 * with the captured length before anything is touched; offsets only grow,
 * and every header length read from the packet is checked against both the
 * captured bytes and the length the enclosing header claims.  The decoder
 * walks the frame once, front to back, and stops at the transport header:
 * payload bytes are never read.
 */
#include "config.h"

#include <pcap/dlt.h>
#include <string.h>

#include "probes/pkt_decode.h"

/* The frame being decoded: captured bytes and the length on the wire. */
struct pkt_cursor {
	const uint8_t *data;
	size_t cap;     /* captured bytes */
	size_t wire;    /* bytes on the wire, >= cap */
};

enum {
	ETH_P_IPV4 = 0x0800, ETH_P_IPV6 = 0x86dd, ETH_P_8021Q = 0x8100,
	ETH_P_8021AD = 0x88a8, ETH_P_QINQ_OLD = 0x9100, ETH_P_QINQ_OLD2 = 0x9200,
};
enum {
	IPP_HOPOPTS = 0, IPP_ICMP = 1, IPP_TCP = 6, IPP_UDP = 17, IPP_ROUTING = 43,
	IPP_FRAGMENT = 44, IPP_ESP = 50, IPP_AH = 51, IPP_ICMPV6 = 58,
	IPP_NONE = 59, IPP_DSTOPTS = 60, IPP_MOBILITY = 135,
};

static int pkt_need(const struct pkt_cursor *c, size_t off, size_t len)
{
	return off <= c->cap && len <= c->cap - off;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

enum pkt_link pkt_link_from_dlt(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
		return PKT_LINK_ETHERNET;
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
	case DLT_IPV6:
#endif
		return PKT_LINK_RAW;
	case DLT_LINUX_SLL:
		return PKT_LINK_SLL;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		return PKT_LINK_SLL2;
#endif
	default:
		return PKT_LINK_UNSUPPORTED;
	}
}

const char *pkt_status_str(int status)
{
	switch (status) {
	case PKT_OK: return "ok";
	case PKT_NOT_IP: return "not IP";
	case PKT_ERR_TRUNCATED: return "truncated";
	case PKT_ERR_MALFORMED: return "malformed";
	case PKT_ERR_LINK: return "unsupported link type";
	default: return "unknown";
	}
}

/*
 * The transport header at OFF; L4LEN is what the IP header says follows it
 * (already checked against the wire length).
 */
static int pkt_l4(const struct pkt_cursor *c, size_t off, size_t l4len, uint8_t proto,
		  struct pkt_info *out)
{
	const uint8_t *p;

	switch (proto) {
	case IPP_TCP: {
		size_t hlen;
		if (l4len < 20)
			return PKT_ERR_MALFORMED;
		if (!pkt_need(c, off, 20))
			return PKT_ERR_TRUNCATED;
		p = c->data + off;
		hlen = (size_t)(p[12] >> 4) * 4;
		if (hlen < 20 || hlen > l4len)
			return PKT_ERR_MALFORMED;
		if (!pkt_need(c, off, hlen))
			return PKT_ERR_TRUNCATED;
		out->l4 = PKT_L4_TCP;
		out->sport = rd16(p);
		out->dport = rd16(p + 2);
		out->seq = rd32(p + 4);
		out->ack = rd32(p + 8);
		out->tcp_flags = p[13] & 0x3f;
		out->window = rd16(p + 14);
		out->payload_len = (uint32_t)(l4len - hlen);
		/* Options: only the window scale matters to the analysis.  A
		 * bad option ends the walk; the header itself is still good,
		 * as Wireshark treats it. */
		for (size_t i = 20; i < hlen;) {
			uint8_t kind = p[i], olen;
			if (kind == 0)
				break;
			if (kind == 1) {
				i++;
				continue;
			}
			if (i + 1 >= hlen || (olen = p[i + 1]) < 2 || olen > hlen - i)
				break;
			if (kind == 3 && olen == 3)
				out->wscale = (int8_t)(p[i + 2] > 14 ? 14 : p[i + 2]);
			i += olen;
		}
		return PKT_OK;
	}
	case IPP_UDP: {
		uint16_t ulen;
		if (l4len < 8)
			return PKT_ERR_MALFORMED;
		if (!pkt_need(c, off, 8))
			return PKT_ERR_TRUNCATED;
		p = c->data + off;
		ulen = rd16(p + 4);
		/* 0 is legal only for IPv6 jumbograms: take the IP length. */
		if ((ulen != 0 && ulen < 8) || ulen > l4len)
			return PKT_ERR_MALFORMED;
		out->l4 = PKT_L4_UDP;
		out->sport = rd16(p);
		out->dport = rd16(p + 2);
		out->payload_len = (uint32_t)((ulen ? ulen : l4len) - 8);
		return PKT_OK;
	}
	case IPP_ICMP:
	case IPP_ICMPV6:
		if (l4len < 8)
			return PKT_ERR_MALFORMED;
		if (!pkt_need(c, off, 8))
			return PKT_ERR_TRUNCATED;
		p = c->data + off;
		out->l4 = proto == IPP_ICMP ? PKT_L4_ICMP : PKT_L4_ICMP6;
		out->icmp_type = p[0];
		out->icmp_code = p[1];
		out->icmp_id = rd16(p + 4);
		out->icmp_seq = rd16(p + 6);
		out->payload_len = (uint32_t)(l4len - 8);
		return PKT_OK;
	default:
		return PKT_OK;     /* another protocol: IP is all we know */
	}
}

/* The IP datagram's length from its header; 0 means "the rest of the wire
 * frame" (TSO captures, jumbograms), as Wireshark reads it. */
static int pkt_ip_len(const struct pkt_cursor *c, size_t off, size_t claimed,
		      size_t hlen, size_t *len)
{
	size_t avail = c->wire - off;
	if (claimed == 0)
		claimed = avail;
	if (claimed < hlen || claimed > avail)
		return PKT_ERR_MALFORMED;
	*len = claimed;
	return PKT_OK;
}

static int pkt_ipv4(const struct pkt_cursor *c, size_t off, struct pkt_info *out)
{
	const uint8_t *p;
	size_t hlen, total;
	uint16_t frag;
	int rc;

	if (!pkt_need(c, off, 20))
		return PKT_ERR_TRUNCATED;
	p = c->data + off;
	if (p[0] >> 4 != 4)
		return PKT_ERR_MALFORMED;
	hlen = (size_t)(p[0] & 0x0f) * 4;
	if (hlen < 20)
		return PKT_ERR_MALFORMED;
	if ((rc = pkt_ip_len(c, off, rd16(p + 2), hlen, &total)) < 0)
		return rc;
	if (!pkt_need(c, off, hlen))
		return PKT_ERR_TRUNCATED;
	out->ip_version = 4;
	out->ip_proto = p[9];
	memcpy(out->src, p + 12, 4);
	memcpy(out->dst, p + 16, 4);
	frag = rd16(p + 6);
	out->fragment = (frag & 0x3fff) != 0;     /* MF or an offset */
	if ((frag & 0x1fff) != 0)
		return PKT_OK;                    /* only the first has L4 */
	return pkt_l4(c, off + hlen, total - hlen, p[9], out);
}

static int pkt_ipv6(const struct pkt_cursor *c, size_t off, struct pkt_info *out)
{
	const uint8_t *p;
	size_t total, end;
	uint8_t nh;
	int rc;

	if (!pkt_need(c, off, 40))
		return PKT_ERR_TRUNCATED;
	p = c->data + off;
	if (p[0] >> 4 != 6)
		return PKT_ERR_MALFORMED;
	if ((rc = pkt_ip_len(c, off, rd16(p + 4) ? (size_t)rd16(p + 4) + 40 : 0, 40, &total)) < 0)
		return rc;
	out->ip_version = 6;
	memcpy(out->src, p + 8, 16);
	memcpy(out->dst, p + 24, 16);
	nh = p[6];
	end = off + total;
	off += 40;
	for (int n = 0;; n++) {
		size_t elen;
		out->ip_proto = nh;
		switch (nh) {
		case IPP_HOPOPTS:
		case IPP_ROUTING:
		case IPP_DSTOPTS:
		case IPP_MOBILITY:
		case IPP_AH:
		case IPP_FRAGMENT:
			break;
		case IPP_ESP:
		case IPP_NONE:
			return PKT_OK;            /* nothing we can read follows */
		default:
			return pkt_l4(c, off, end - off, nh, out);
		}
		if (n == PKT_MAX_IPV6_EXT || end - off < 8)
			return PKT_ERR_MALFORMED;
		if (!pkt_need(c, off, 8))
			return PKT_ERR_TRUNCATED;
		p = c->data + off;
		if (nh == IPP_FRAGMENT) {
			elen = 8;
			out->fragment = 1;
			if ((rd16(p + 2) & 0xfff8) != 0) {
				out->ip_proto = p[0];
				return PKT_OK;    /* a non-first fragment */
			}
		} else if (nh == IPP_AH) {
			elen = ((size_t)p[1] + 2) * 4;
		} else {
			elen = ((size_t)p[1] + 1) * 8;
		}
		if (elen > end - off)
			return PKT_ERR_MALFORMED;
		nh = p[0];
		off += elen;
	}
}

/* From an EtherType at OFF - 2 on: VLAN tags, then IP. */
static int pkt_ethertype(const struct pkt_cursor *c, size_t off, uint16_t type,
			 struct pkt_info *out)
{
	while (type == ETH_P_8021Q || type == ETH_P_8021AD || type == ETH_P_QINQ_OLD ||
	       type == ETH_P_QINQ_OLD2) {
		if (out->n_vlans == PKT_MAX_VLANS)
			return PKT_ERR_MALFORMED;
		if (!pkt_need(c, off, 4))
			return PKT_ERR_TRUNCATED;
		out->vlan[out->n_vlans++] = rd16(c->data + off) & 0x0fff;
		type = rd16(c->data + off + 2);
		off += 4;
	}
	if (type == ETH_P_IPV4)
		return pkt_ipv4(c, off, out);
	if (type == ETH_P_IPV6)
		return pkt_ipv6(c, off, out);
	return PKT_NOT_IP;
}

int pkt_decode(enum pkt_link link, const uint8_t *data, size_t caplen,
	       size_t wirelen, struct pkt_info *out)
{
	struct pkt_cursor c = { data, caplen, wirelen < caplen ? caplen : wirelen };

	memset(out, 0, sizeof(*out));
	out->wscale = -1;
	if (data == NULL)
		c.cap = 0;
	switch (link) {
	case PKT_LINK_ETHERNET:
		if (!pkt_need(&c, 0, 14))
			return PKT_ERR_TRUNCATED;
		return pkt_ethertype(&c, 14, rd16(data + 12), out);
	case PKT_LINK_SLL:
		if (!pkt_need(&c, 0, 16))
			return PKT_ERR_TRUNCATED;
		return pkt_ethertype(&c, 16, rd16(data + 14), out);
	case PKT_LINK_SLL2:
		if (!pkt_need(&c, 0, 20))
			return PKT_ERR_TRUNCATED;
		return pkt_ethertype(&c, 20, rd16(data), out);
	case PKT_LINK_RAW:
		if (!pkt_need(&c, 0, 1))
			return PKT_ERR_TRUNCATED;
		if (data[0] >> 4 == 4)
			return pkt_ipv4(&c, 0, out);
		if (data[0] >> 4 == 6)
			return pkt_ipv6(&c, 0, out);
		return PKT_ERR_MALFORMED;
	default:
		return PKT_ERR_LINK;
	}
}
