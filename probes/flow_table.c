/*
 * flow_table.c — a fixed-size hash table of flows with LRU eviction.
 *
 * Layout: one array of entries, a power-of-two array of bucket heads,
 * chains through the entries (hnext) and one doubly linked LRU list
 * (lru_prev/lru_next), all as 1-based indices so that zeroed memory is an
 * empty table: both arrays come from calloc() and the kernel hands out
 * pages only as entries are first used, so a small capture costs little
 * even with a large cap.  New entries come from the untouched end of the
 * array until it is full; after that every new flow reuses the least
 * recently used one.  Lookups move an entry to the head of the LRU list.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probes/flow_table.h"

struct flow_table {
	struct flow_entry *e;     /* cap entries; index i is link value i + 1 */
	uint32_t *bucket;         /* link values; 0 = empty */
	uint32_t mask;            /* nbuckets - 1 */
	uint32_t cap, count;
	uint32_t lru_head, lru_tail;
	uint64_t evictions;
	size_t bytes;
};

#define ENT(ft, link) (&(ft)->e[(link) - 1])

struct flow_table *flow_table_new(size_t max_bytes)
{
	struct flow_table *ft;
	size_t cap, nb = 1;

	if (max_bytes < FLOW_TABLE_MIN_BYTES) {
		errno = EINVAL;
		return NULL;
	}
	/* Each entry costs itself plus at most two bucket heads (the bucket
	 * count is the next power of two). */
	cap = (max_bytes - sizeof(*ft)) / (sizeof(struct flow_entry) + 2 * sizeof(uint32_t));
	if (cap > UINT32_MAX / 4)
		cap = UINT32_MAX / 4;
	while (nb < cap)
		nb <<= 1;
	ft = calloc(1, sizeof(*ft));
	if (ft == NULL)
		return NULL;
	ft->e = calloc(cap, sizeof(struct flow_entry));
	ft->bucket = calloc(nb, sizeof(uint32_t));
	if (ft->e == NULL || ft->bucket == NULL) {
		flow_table_free(ft);
		errno = ENOMEM;
		return NULL;
	}
	ft->cap = (uint32_t)cap;
	ft->mask = (uint32_t)(nb - 1);
	ft->bytes = sizeof(*ft) + cap * sizeof(struct flow_entry) + nb * sizeof(uint32_t);
	return ft;
}

void flow_table_free(struct flow_table *ft)
{
	if (ft == NULL)
		return;
	free(ft->e);
	free(ft->bucket);
	free(ft);
}

size_t flow_table_capacity(const struct flow_table *ft) { return ft->cap; }
size_t flow_table_count(const struct flow_table *ft) { return ft->count; }
uint64_t flow_table_evictions(const struct flow_table *ft) { return ft->evictions; }
size_t flow_table_bytes(const struct flow_table *ft) { return ft->bytes; }

/* 40 key bytes as five words, mixed (a multiply-xorshift per word). */
static uint32_t flow_hash(const struct flow_key *k)
{
	uint64_t w[5], h = 0x9e3779b97f4a7c15ULL;
	_Static_assert(sizeof(struct flow_key) == sizeof(w), "flow_key is 40 bytes");
	memcpy(w, k, sizeof(w));
	for (int i = 0; i < 5; i++) {
		h ^= w[i];
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	return (uint32_t)(h ^ (h >> 29));
}

static void lru_unlink(struct flow_table *ft, uint32_t link)
{
	struct flow_entry *x = ENT(ft, link);
	if (x->lru_prev)
		ENT(ft, x->lru_prev)->lru_next = x->lru_next;
	else
		ft->lru_head = x->lru_next;
	if (x->lru_next)
		ENT(ft, x->lru_next)->lru_prev = x->lru_prev;
	else
		ft->lru_tail = x->lru_prev;
}

static void lru_push_head(struct flow_table *ft, uint32_t link)
{
	struct flow_entry *x = ENT(ft, link);
	x->lru_prev = 0;
	x->lru_next = ft->lru_head;
	if (ft->lru_head)
		ENT(ft, ft->lru_head)->lru_prev = link;
	else
		ft->lru_tail = link;
	ft->lru_head = link;
}

/* Unhook the least recently used entry and return its link. */
static uint32_t flow_evict(struct flow_table *ft)
{
	uint32_t link = ft->lru_tail;
	uint32_t *p = &ft->bucket[flow_hash(&ENT(ft, link)->key) & ft->mask];

	while (*p != link)
		p = &ENT(ft, *p)->hnext;
	*p = ENT(ft, link)->hnext;
	lru_unlink(ft, link);
	ft->evictions++;
	return link;
}

/* The entry for KEY, created (zeroed but for the key) when missing. */
static struct flow_entry *flow_get(struct flow_table *ft, const struct flow_key *key,
				   int *created)
{
	uint32_t *head = &ft->bucket[flow_hash(key) & ft->mask];
	uint32_t link;
	struct flow_entry *x;

	for (link = *head; link; link = ENT(ft, link)->hnext) {
		x = ENT(ft, link);
		if (memcmp(&x->key, key, sizeof(*key)) == 0) {
			if (ft->lru_head != link) {
				lru_unlink(ft, link);
				lru_push_head(ft, link);
			}
			*created = 0;
			return x;
		}
	}
	if (ft->count < ft->cap)
		link = ++ft->count;
	else
		link = flow_evict(ft);
	/* The eviction may have emptied our own bucket: reread its head. */
	x = ENT(ft, link);
	memset(x, 0, sizeof(*x));
	x->key = *key;
	x->site[0] = x->site[1] = -2;
	x->hnext = *head;
	*head = link;
	lru_push_head(ft, link);
	*created = 1;
	return x;
}

/* Order the two ends so that both directions give one key; *DIR says
 * whether the source is end a (0) or end b (1).  With SWAP_PORTS false the
 * port fields stay as given (echo identifier and sequence). */
static void flow_key_make(const struct pkt_info *pi, uint8_t proto, uint16_t sport,
			  uint16_t dport, int swap_ports, struct flow_key *k, int *dir)
{
	size_t alen = pi->ip_version == 4 ? 4 : 16;
	int c = memcmp(pi->src, pi->dst, alen);

	memset(k, 0, sizeof(*k));
	if (c == 0 && swap_ports)
		c = sport < dport ? -1 : sport > dport;
	*dir = c > 0;
	memcpy(k->a, *dir ? pi->dst : pi->src, alen);
	memcpy(k->b, *dir ? pi->src : pi->dst, alen);
	k->pa = swap_ports && *dir ? dport : sport;
	k->pb = swap_ports && *dir ? sport : dport;
	k->ip_version = pi->ip_version;
	k->proto = proto;
}

static int is_echo(const struct pkt_info *pi, int *request)
{
	if (pi->l4 == PKT_L4_ICMP && (pi->icmp_type == 8 || pi->icmp_type == 0)) {
		*request = pi->icmp_type == 8;
		return 1;
	}
	if (pi->l4 == PKT_L4_ICMP6 && (pi->icmp_type == 128 || pi->icmp_type == 129)) {
		*request = pi->icmp_type == 128;
		return 1;
	}
	return 0;
}

static void flow_echo(struct flow_table *ft, const struct pkt_info *pi, int request,
		      int64_t ts, struct flow_event *ev)
{
	struct flow_key k;
	struct flow_entry *x;

	flow_key_make(pi, pi->ip_proto, pi->icmp_id, pi->icmp_seq, 0, &k, &ev->dir);
	x = flow_get(ft, &k, &ev->created);
	ev->entry = x;
	x->kind = FLOW_ECHO;
	if (request) {
		/* A repeated request (same id and seq) starts the clock again. */
		ev->ev |= FLOW_EV_ECHO_REQUEST;
		x->u.echo_req_ts = ts;
		x->echo_req_dir = (uint8_t)ev->dir;
		x->echo_answered = 0;
		return;
	}
	ev->ev |= FLOW_EV_ECHO_REPLY;
	/* Answered once: a duplicate reply is a reply, not a second answer.
	 * A reply whose request was not seen has no RTT. */
	if (!ev->created && x->u.echo_req_ts && !x->echo_answered) {
		x->echo_answered = 1;
		ev->ev |= FLOW_EV_ECHO_ANSWERED;
		ev->rtt_ns = ts - x->u.echo_req_ts;
	}
}

void flow_table_packet(struct flow_table *ft, const struct pkt_info *pi, int64_t ts,
		       struct flow_event *ev)
{
	struct flow_key k;
	struct flow_entry *x;
	int request;

	memset(ev, 0, sizeof(*ev));
	if (is_echo(pi, &request)) {
		flow_echo(ft, pi, request, ts, ev);
		return;
	}
	/* Other ICMP messages have no flow.  Without reassembly a
	 * fragment's TCP length is unknown: Wireshark analyses the
	 * reassembled segment, we leave it out. */
	if (pi->l4 == PKT_L4_NONE || pi->l4 == PKT_L4_ICMP || pi->l4 == PKT_L4_ICMP6 ||
	    (pi->l4 == PKT_L4_TCP && pi->fragment))
		return;
	flow_key_make(pi, pi->ip_proto, pi->sport, pi->dport, 1, &k, &ev->dir);
	x = flow_get(ft, &k, &ev->created);
	ev->entry = x;
	if (pi->l4 != PKT_L4_TCP)
		return;
	if (x->kind != FLOW_TCP) {
		x->kind = FLOW_TCP;
		tcp_conv_init(&x->u.tcp);
	}
	if (pi->payload_len || (pi->tcp_flags & (PKT_TCP_SYN | PKT_TCP_FIN)))
		ev->ev |= FLOW_EV_DATA_SEGMENT;
	ev->tcp = tcp_analysis_segment(&x->u.tcp, ev->dir, pi, ts);
	if (ev->tcp & TCP_A_ANY_RETRANSMISSION)
		ev->ev |= FLOW_EV_RETRANS;
	if (ev->tcp & TCP_A_ZERO_WINDOW)
		ev->ev |= FLOW_EV_ZERO_WINDOW;
	if (ev->tcp & TCP_A_INITIAL_RTT) {
		ev->ev |= FLOW_EV_HANDSHAKE;
		ev->rtt_ns = x->u.tcp.first_rtt;
	}
}
