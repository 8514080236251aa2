/*
 * pkt_decode.h — a pure, bounds-checked decoder for captured packets.
 *
 * Contract: pkt_decode() reads at most CAPLEN bytes of DATA, never writes
 * outside *OUT, allocates nothing, keeps no state and does no I/O, so it can
 * run on untrusted bytes in the unprivileged probe child and under libFuzzer.
 * It understands the link layers a SPAN port or a capture file gives us
 * (Ethernet with any number of 802.1Q / QinQ tags up to PKT_MAX_VLANS, raw
 * IP, Linux cooked SLL and SLL2), IPv4 (options; a non-first fragment has no
 * transport header), IPv6 with its extension headers (hop-by-hop, routing,
 * fragment, destination options, AH), and TCP, UDP, ICMP and ICMPv6 headers.
 *
 * Lengths come from the headers, not from the capture: the TCP payload
 * length is the IP length minus the headers, as on the wire, so a snaplen
 * cut (CAPLEN < WIRELEN) still gives the right sequence arithmetic and
 * Ethernet padding is not mistaken for payload.  A header that claims more
 * than the frame carried on the wire, or less than its own minimum, is
 * malformed; a header we need that the capture cut off is truncated.
 */
#ifndef SERAT_PROBES_PKT_DECODE_H
#define SERAT_PROBES_PKT_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* The link layers we decode; pkt_link_from_dlt() maps libpcap's DLT_*. */
enum pkt_link {
	PKT_LINK_UNSUPPORTED = 0,
	PKT_LINK_ETHERNET,
	PKT_LINK_RAW,      /* IPv4 or IPv6, told apart by the version nibble */
	PKT_LINK_SLL,      /* Linux cooked capture v1 (tcpdump -i any) */
	PKT_LINK_SLL2,     /* Linux cooked capture v2 */
};

/* The result of pkt_decode(): >= 0 decoded, < 0 counted and skipped. */
enum pkt_status {
	PKT_OK = 0,              /* IPv4 or IPv6; see l4 for what follows */
	PKT_NOT_IP = 1,          /* a well-formed frame that is not IP (ARP, LLDP...) */
	PKT_ERR_TRUNCATED = -1,  /* a header we need is past the captured bytes */
	PKT_ERR_MALFORMED = -2,  /* a header contradicts itself or the frame */
	PKT_ERR_LINK = -3,       /* a link type we do not decode */
};

enum pkt_l4 {
	PKT_L4_NONE = 0,   /* no transport header: non-first fragment, ESP, other */
	PKT_L4_TCP,
	PKT_L4_UDP,
	PKT_L4_ICMP,
	PKT_L4_ICMP6,
};

/* TCP flag bits as in the header. */
enum {
	PKT_TCP_FIN = 0x01, PKT_TCP_SYN = 0x02, PKT_TCP_RST = 0x04,
	PKT_TCP_PSH = 0x08, PKT_TCP_ACK = 0x10, PKT_TCP_URG = 0x20,
};

#define PKT_MAX_VLANS 4        /* more tags than this is malformed */
#define PKT_MAX_IPV6_EXT 16    /* more extension headers than this is malformed */

struct pkt_info {
	uint8_t ip_version;       /* 4 or 6 when PKT_OK */
	uint8_t n_vlans;
	uint16_t vlan[PKT_MAX_VLANS]; /* VLAN IDs, outermost first */
	uint8_t src[16], dst[16]; /* IPv4 in the first 4 bytes, rest zero */
	uint8_t ip_proto;         /* the last next-header / protocol value */
	uint8_t fragment;         /* part of a fragmented datagram */
	enum pkt_l4 l4;
	uint16_t sport, dport;    /* TCP and UDP */
	/* TCP */
	uint32_t seq, ack;
	uint8_t tcp_flags;
	uint16_t window;          /* as in the header, not scaled */
	int8_t wscale;            /* window scale option (SYN), -1 when absent */
	uint32_t payload_len;     /* TCP/UDP payload, from the IP length */
	/* ICMP / ICMPv6 */
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id, icmp_seq; /* echo request/reply only */
};

/* libpcap DLT_* (pcap_datalink()) to our link type; PKT_LINK_UNSUPPORTED
 * for anything else. */
enum pkt_link pkt_link_from_dlt(int dlt);

/*
 * Decode one captured frame.  CAPLEN bytes are in DATA; WIRELEN is the
 * frame's length on the wire (pcap's len, >= caplen; pass caplen if
 * unknown).  Fills *OUT (always zeroed first) and returns a pkt_status.
 */
int pkt_decode(enum pkt_link link, const uint8_t *data, size_t caplen,
	       size_t wirelen, struct pkt_info *out);

/* A short English name for a pkt_status ("truncated", ...). */
const char *pkt_status_str(int status);

#endif
