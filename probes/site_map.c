/*
 * site_map.c — a binary trie of prefixes (see site_map.h).
 *
 * Nodes live in one growable array and refer to each other by index
 * (0 = none; node 0 and 1 are the IPv4 and IPv6 roots), so growing the
 * array never leaves a dangling pointer.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "probes/site_map.h"

struct site_node {
	uint32_t child[2];
	int32_t site;          /* -1: no prefix ends here */
};

struct site_map {
	struct site_node *n;
	uint32_t used, alloc;
	unsigned prefixes;
};

static uint32_t site_node_new(struct site_map *m)
{
	if (m->used == m->alloc) {
		uint32_t na = m->alloc ? m->alloc * 2 : 64;
		struct site_node *nn = realloc(m->n, na * sizeof(*nn));
		if (nn == NULL)
			return 0;
		m->n = nn;
		m->alloc = na;
	}
	m->n[m->used].child[0] = m->n[m->used].child[1] = 0;
	m->n[m->used].site = -1;
	return m->used++;
}

struct site_map *site_map_new(void)
{
	struct site_map *m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	site_node_new(m);
	if (m->used != 1 || (site_node_new(m), m->used != 2)) {
		site_map_free(m);
		return NULL;
	}
	return m;
}

void site_map_free(struct site_map *m)
{
	if (m == NULL)
		return;
	free(m->n);
	free(m);
}

static int bit_at(const uint8_t *a, unsigned i)
{
	return (a[i / 8] >> (7 - i % 8)) & 1;
}

int site_map_add(struct site_map *m, const struct cidr *p, int site)
{
	uint32_t cur = p->version == 4 ? 0 : 1;

	for (unsigned i = 0; i < p->len; i++) {
		int b = bit_at(p->addr, i);
		if (m->n[cur].child[b] == 0) {
			uint32_t nn = site_node_new(m);
			if (nn == 0)
				return -ENOMEM;
			m->n[cur].child[b] = nn;
		}
		cur = m->n[cur].child[b];
	}
	if (m->n[cur].site >= 0)
		return m->n[cur].site == site ? 0 : -EEXIST;
	m->n[cur].site = site;
	m->prefixes++;
	return 0;
}

int site_map_lookup(const struct site_map *m, int version, const uint8_t *addr)
{
	unsigned bits = version == 4 ? 32 : 128;
	uint32_t cur = version == 4 ? 0 : 1;
	int best = m->n[cur].site;

	for (unsigned i = 0; i < bits; i++) {
		cur = m->n[cur].child[bit_at(addr, i)];
		if (cur == 0)
			break;
		if (m->n[cur].site >= 0)
			best = m->n[cur].site;
	}
	return best;
}

unsigned site_map_count(const struct site_map *m)
{
	return m->prefixes;
}
