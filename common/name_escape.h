/*
 * name_escape.h — turn an untrusted name (an agent's ifName, a device name)
 * into one safe path component.
 *
 * Bytes in [A-Za-z0-9_-] and '.' (except as the first byte) are kept; every
 * other byte becomes "%XX" (uppercase hex).  The mapping is injective, so two
 * interfaces never share a file, and the result never contains '/', ':' (RRD
 * graph syntax), starts with '.', or is empty ("%" stands for "").  Names
 * whose escaped form is longer than NAME_ESCAPE_MAX are cut and get a
 * "~XXXXXXXX" FNV-1a suffix of the whole name so they stay unique.
 */
#ifndef SERAT_NAME_ESCAPE_H
#define SERAT_NAME_ESCAPE_H

#include <stddef.h>

#define NAME_ESCAPE_MAX 200   /* bytes, before ".rrd"; well under NAME_MAX */

/*
 * Escape NAME (LEN bytes, may contain NUL) into OUT (OUTLEN >= NAME_ESCAPE_MAX
 * + 1).  Returns the length written, or -ENOBUFS when OUTLEN is too small.
 * Pure.
 */
int name_escape(const char *name, size_t len, char *out, size_t outlen);

#endif
