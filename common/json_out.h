/*
 * json_out.h — streaming JSON output for large documents.
 *
 * Why not jansson here: status.json of a 10,000-interface network built as a
 * jansson tree cost about half of seratd's poll-path CPU and left ~2.5 KiB of
 * heap per interface behind (bench/README.md).  These primitives write
 * straight into a stdio stream.  jansson still reads every document: the
 * unit test round-trips every byte value through its parser.
 *
 * Strings may be any bytes (an agent's ifName or ifAlias): control
 * characters, '"' and '\\' are escaped, well-formed UTF-8 (RFC 3629: no
 * overlong forms, no surrogates) is kept, and every other byte becomes '?',
 * so the output is always valid JSON.
 */
#ifndef SERAT_JSON_OUT_H
#define SERAT_JSON_OUT_H

#include <stdio.h>

/* A JSON string for S, or null when S is NULL. */
void json_out_str(FILE *f, const char *s);

/*
 * A JSON number for V, or null when V is NaN or infinite.  Values below
 * 1e15 in magnitude are written with at most 3 decimals (trailing zeros
 * dropped), larger ones with %.17g.  Pure formatting; no locale.
 */
void json_out_num(FILE *f, double v);

/* "key": — KEY must be a plain ASCII literal (not escaped). */
void json_out_key(FILE *f, const char *key);

#endif
