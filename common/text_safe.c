/*
 * text_safe.c — replace control characters and broken UTF-8.  See
 * text_safe.h.
 */
#include "config.h"

#include <string.h>

#include "common/text_safe.h"

int text_utf8_len(const unsigned char *p)
{
	unsigned char c = p[0];

	if (c >= 0xC2 && c <= 0xDF)
		return (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 &&
		       (p[3] & 0xC0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/*
 * Length of the character at P: 1..4 for a printable ASCII byte or a
 * well-formed UTF-8 sequence that is not a C1 control, 0 for a byte to
 * replace, -2 for a C1 control (U+0080..U+009F: two bytes, one '?').
 */
static int text_char_len(const unsigned char *p)
{
	int n;

	if (p[0] >= 0x20 && p[0] < 0x7F)
		return 1;
	n = text_utf8_len(p);
	return n == 2 && p[0] == 0xC2 && p[1] < 0xA0 ? -2 : n;
}

char *text_sanitize(char *dst, size_t dstlen, const char *src, size_t max)
{
	const unsigned char *p = (const unsigned char *)(src ? src : "");
	size_t in = 0, out = 0;
	int cut = 0;

	if (dstlen == 0)
		return dst;
	while (p[in] != '\0') {
		int n = text_char_len(p + in);
		size_t take = n > 0 ? (size_t)n : n == 0 ? 1 : (size_t)-n;

		/* Room for this character and, should more follow, "...". */
		if (in + take > max || out + (n > 0 ? take : 1) + 1 > dstlen) {
			cut = 1;
			break;
		}
		if (n <= 0)
			dst[out++] = '?';
		else {
			memcpy(dst + out, p + in, take);
			out += take;
		}
		in += take;
	}
	if (cut && dstlen >= 4) {
		/* Give back whole characters until "..." fits. */
		while (out + 4 > dstlen) {
			do
				out--;
			while (out > 0 && ((unsigned char)dst[out] & 0xC0) == 0x80);
		}
		memcpy(dst + out, "...", 3);
		out += 3;
	}
	dst[out] = '\0';
	return dst;
}

void text_sanitize_inplace(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t in = 0, out = 0;

	if (s == NULL)
		return;
	while (p[in] != '\0') {
		int n = text_char_len(p + in);
		if (n <= 0) {
			p[out++] = '?';
			in += n == 0 ? 1 : (size_t)-n;
		} else {
			memmove(p + out, p + in, (size_t)n);
			out += (size_t)n;
			in += (size_t)n;
		}
	}
	p[out] = '\0';
}

int text_is_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL)
		return 1;
	while (*p) {
		int n = text_char_len(p);
		if (n <= 0)
			return 0;
		p += n;
	}
	return 1;
}
