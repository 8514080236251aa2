/*
 * json_out.c — JSON strings and numbers written straight to a stream.
 * See json_out.h.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "common/json_out.h"
#include "common/text_safe.h"

/* The status writer emits ~150,000 tokens for 10,000 interfaces into one
 * stream that only it uses: stdio's per-call locking was 11 % of seratd's
 * poll-path CPU. */
#define putc putc_unlocked
#define fputs fputs_unlocked
#define fwrite fwrite_unlocked

void json_out_str(FILE *f, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	if (s == NULL) {
		fputs("null", f);
		return;
	}
	putc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; ) {
		unsigned char c = *p;
		if (c == '"' || c == '\\') {
			putc('\\', f);
			putc(c, f);
			p++;
		} else if (c < 0x20) {
			fputs("\\u00", f);
			putc(hex[c >> 4], f);
			putc(hex[c & 15], f);
			p++;
		} else if (c < 0x80) {
			putc(c, f);
			p++;
		} else {
			/* The checks above stop at the NUL: p[1..3] are read only
			 * while they are continuation bytes, never past it. */
			int n = text_utf8_len(p);
			if (n == 0) {
				putc('?', f);
				p++;
			} else {
				fwrite(p, 1, (size_t)n, f);
				p += n;
			}
		}
	}
	putc('"', f);
}

void json_out_num(FILE *f, double v)
{
	if (!isfinite(v)) {
		fputs("null", f);
		return;
	}
	if (fabs(v) >= 1e15) {
		fprintf(f, "%.17g", v);
		return;
	}
	/* Fixed point, 3 decimals: integer arithmetic, no printf. */
	char buf[32], *e = buf + sizeof(buf), *p = e;
	int neg = v < 0;
	uint64_t m = (uint64_t)llround(fabs(v) * 1000.0);
	unsigned frac = (unsigned)(m % 1000);
	uint64_t whole = m / 1000;
	if (frac != 0) {
		int digits = 3;
		while (frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		for (int i = 0; i < digits; i++) {
			*--p = (char)('0' + frac % 10);
			frac /= 10;
		}
		*--p = '.';
	}
	do {
		*--p = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole != 0);
	if (neg && m != 0)
		*--p = '-';
	fwrite(p, 1, (size_t)(e - p), f);
}

void json_out_key(FILE *f, const char *key)
{
	putc('"', f);
	fputs(key, f);
	fputs("\":", f);
}
