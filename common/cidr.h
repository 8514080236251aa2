/*
 * cidr.h — parse an IPv4 or IPv6 prefix written as ADDRESS/LENGTH.
 *
 * Shared by the config loader (which validates site subnets) and the
 * probe's site map (which looks addresses up in them).  Pure; no
 * allocation.  A bare address is a host prefix (/32 or /128).  Bits set
 * past the prefix length are an error ("10.1.2.3/24" is most likely a typo
 * for 10.1.2.0/24 or 10.1.2.3/32, and guessing would misfile a site).
 */
#ifndef SERAT_COMMON_CIDR_H
#define SERAT_COMMON_CIDR_H

#include <stdint.h>

struct cidr {
	uint8_t version;      /* 4 or 6 */
	uint8_t len;          /* prefix length in bits */
	uint8_t addr[16];     /* IPv4 in the first 4 bytes; host bits zero */
};

/*
 * Parse S into *OUT.  Returns 0, or -EINVAL with a static English reason in
 * *WHY ("not an IPv4 or IPv6 address", "prefix length out of range",
 * "host bits set past the prefix length").
 */
int cidr_parse(const char *s, struct cidr *out, const char **why);

/* Whether ADDR (VERSION 4 or 6) is inside prefix P. */
int cidr_contains(const struct cidr *p, int version, const uint8_t *addr);

#endif
