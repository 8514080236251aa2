/*
 * name_escape.c — untrusted names to safe, unique path components.
 *
 * Agents choose their ifName; a hostile or broken one can send "../../etc",
 * "Gi0/1", bytes above 127 or a 300-byte string.  We keep the common
 * characters readable and %XX-escape the rest, so the mapping stays
 * injective (two interfaces never share an RRD file) without any state.
 * '%' itself is escaped, which is what makes decoding unambiguous; "%" alone
 * (never produced by a non-empty name) stands for the empty name.  '~' is
 * always escaped too, so a cut name ("prefix~HASH") can never equal an uncut
 * one.  See name_escape.h for the contract.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "common/name_escape.h"

#define NAME_ESCAPE_SUFFIX_LEN 9   /* "~" + 8 hex digits */

static const char name_escape_hex[] = "0123456789ABCDEF";

static int name_escape_keep(unsigned char c, size_t pos)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-')
		return 1;
	/* A leading '.' would make ".", ".." and hidden files. */
	return c == '.' && pos > 0;
}

static uint32_t name_escape_fnv1a(const unsigned char *p, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

int name_escape(const char *name, size_t len, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)name;
	char buf[NAME_ESCAPE_MAX + 1];
	size_t n = 0;
	size_t i;

	if (len == 0) {
		if (outlen < 2)
			return -ENOBUFS;
		memcpy(out, "%", 2);
		return 1;
	}
	/*
	 * Escape into a bounded buffer; stop at the first byte that would not
	 * fit, remembering whether we had to (then the name gets cut).
	 */
	for (i = 0; i < len; i++) {
		size_t need = name_escape_keep(p[i], i) ? 1 : 3;
		if (n + need > NAME_ESCAPE_MAX)
			break;
		if (need == 1) {
			buf[n++] = (char)p[i];
		} else {
			buf[n++] = '%';
			buf[n++] = name_escape_hex[p[i] >> 4];
			buf[n++] = name_escape_hex[p[i] & 0xf];
		}
	}
	if (i < len) {
		/*
		 * Too long: keep whole escapes up to MAX - suffix, then append a
		 * hash of the whole raw name.  Escapes are 1 or 3 bytes, so back
		 * off to the last boundary before the cut.
		 */
		size_t cut = 0;
		while (cut < n) {
			size_t step = buf[cut] == '%' ? 3 : 1;
			if (cut + step > NAME_ESCAPE_MAX - NAME_ESCAPE_SUFFIX_LEN)
				break;
			cut += step;
		}
		uint32_t h = name_escape_fnv1a(p, len);
		buf[cut++] = '~';
		for (int k = 7; k >= 0; k--)
			buf[cut++] = name_escape_hex[(h >> (4 * k)) & 0xf];
		n = cut;
	}
	if (outlen < n + 1)
		return -ENOBUFS;
	memcpy(out, buf, n);
	out[n] = '\0';
	return (int)n;
}
