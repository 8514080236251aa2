/*
 * text_safe.h — make untrusted text inert before it reaches a terminal or a
 * log line.
 *
 * Agent strings (ifName, ifAlias, sysDescr, error text built from them) and
 * config or CSV values can hold anything: an ESC starting a terminal escape
 * sequence, a carriage return that overwrites what was printed before, a
 * NUL-truncated name, bytes that are not UTF-8.  text_sanitize() copies such
 * text replacing every C0 control character (including ESC, CR, LF, TAB),
 * DEL, every C1 control (U+0080..U+009F, which some terminals obey as CSI
 * and OSC) and every byte that is not part of well-formed UTF-8 by '?'.
 * Printable ASCII and well-formed UTF-8 pass unchanged, so names in any
 * script stay readable.  Pure: no I/O, no globals, no allocation.
 *
 * Machine formats do their own escaping instead (status.json keeps an ESC
 * as \u001b, see common/json_out.h): this is for text meant for people.
 */
#ifndef SERAT_TEXT_SAFE_H
#define SERAT_TEXT_SAFE_H

#include <stddef.h>

/*
 * Copy at most MAX bytes of SRC (NUL-terminated; NULL is taken as "") into
 * DST of DSTLEN bytes, sanitised as above.  When SRC is longer than MAX, or
 * the result does not fit DSTLEN, the copy is cut at a character boundary
 * and "..." appended, so a reader sees it was shortened.  DST is always
 * NUL-terminated when DSTLEN > 0; DSTLEN must be at least 4 for the "...".
 * Pass (size_t)-1 as MAX for "all of it".  Returns DST.
 */
char *text_sanitize(char *dst, size_t dstlen, const char *src, size_t max);

/* Sanitise S in place (the result is never longer).  NULL-safe. */
void text_sanitize_inplace(char *s);

/* True when S is NULL or needs no change (nothing text_sanitize replaces). */
int text_is_safe(const char *s);

/*
 * Length of the well-formed UTF-8 multi-byte sequence at P (2..4; RFC
 * 3629: no overlong forms, no surrogates), or 0 for anything else (ASCII
 * included).  Continuation bytes are checked in order, so a sequence cut
 * by a NUL is never read past it.  Shared with common/json_out.c.
 */
int text_utf8_len(const unsigned char *p);

#endif
