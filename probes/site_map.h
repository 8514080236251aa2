/*
 * site_map.h — which site an address belongs to: longest prefix match over
 * the sites' IPv4 and IPv6 subnets.
 *
 * A binary trie per address family: a lookup walks at most 32 (IPv4) or
 * 128 (IPv6) nodes and remembers the last site it passed, so the most
 * specific subnet wins.  The probe looks a flow's two addresses up once,
 * when the flow is created, so the trie is off the per-packet path.
 */
#ifndef SERAT_PROBES_SITE_MAP_H
#define SERAT_PROBES_SITE_MAP_H

#include <stdint.h>

#include "common/cidr.h"

struct site_map;

struct site_map *site_map_new(void);      /* NULL on ENOMEM; caller frees */
void site_map_free(struct site_map *m);   /* NULL-safe */

/* Map prefix P to SITE (>= 0).  Returns 0, -EEXIST when P is already
 * mapped to another site, -ENOMEM. */
int site_map_add(struct site_map *m, const struct cidr *p, int site);

/* The site of the most specific prefix holding ADDR, or -1. */
int site_map_lookup(const struct site_map *m, int version, const uint8_t *addr);

/* Number of prefixes added. */
unsigned site_map_count(const struct site_map *m);

#endif
