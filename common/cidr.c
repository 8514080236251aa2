/*
 * cidr.c — ADDRESS/LENGTH prefixes (see cidr.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cidr.h"

int cidr_parse(const char *s, struct cidr *out, const char **why)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned max, len;

	memset(out, 0, sizeof(*out));
	if (alen == 0 || alen >= sizeof(buf)) {
		*why = "not an IPv4 or IPv6 address";
		return -EINVAL;
	}
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET, buf, out->addr) == 1) {
		out->version = 4;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, out->addr) == 1) {
		out->version = 6;
		max = 128;
	} else {
		*why = "not an IPv4 or IPv6 address";
		return -EINVAL;
	}
	len = max;
	if (slash) {
		const char *p = slash + 1;
		char *end;
		unsigned long v;
		if (*p < '0' || *p > '9' || strlen(p) > 3) {
			*why = "prefix length out of range";
			return -EINVAL;
		}
		v = strtoul(p, &end, 10);
		if (*end != '\0' || v > max) {
			*why = "prefix length out of range";
			return -EINVAL;
		}
		len = (unsigned)v;
	}
	out->len = (uint8_t)len;
	for (unsigned bit = len; bit < max; bit++) {
		if (out->addr[bit / 8] & (0x80 >> (bit % 8))) {
			*why = "host bits set past the prefix length";
			return -EINVAL;
		}
	}
	return 0;
}

int cidr_contains(const struct cidr *p, int version, const uint8_t *addr)
{
	unsigned full = p->len / 8, rest = p->len % 8;

	if (version != p->version)
		return 0;
	if (memcmp(p->addr, addr, full) != 0)
		return 0;
	return rest == 0 || ((p->addr[full] ^ addr[full]) & (0xff00 >> rest) & 0xff) == 0;
}
