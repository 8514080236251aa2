/*
 * fa_mib.h — the MIB each simulated device serves: the system group,
 * ifNumber, ifTable and ifXTable, in OID order, with counters computed from
 * the clock (docs/fakeagent.md has the table of objects and the rates).
 *
 * The MIB is not stored.  It is a static list of scalars and table columns;
 * a column's rows are the device's ifIndexes, always the contiguous range
 * base+1 .. base+ports, so GETNEXT is a scan of ~30 objects plus O(1)
 * arithmetic.  The only per-device state is struct fa_device, owned by the
 * caller (the agent keeps an array of them); nothing here allocates.
 *
 * Lookups return a struct fa_ref (an object and a row), which the caller
 * encodes with fa_mib_oid_body() and fa_mib_value().  v1 != 0 hides the
 * Counter64 columns, as real agents do for SNMPv1.
 */
#ifndef FA_MIB_H
#define FA_MIB_H

#include <stddef.h>
#include <stdint.h>

#include "fa_common.h"

#define FA_RENUMBER_STEP 1000   /* added to the ifIndexes by a renumbering */

/* OID prefixes, for initialisers of uint32_t arrays. */
#define MIB2 1, 3, 6, 1, 2, 1
#define IFENTRY MIB2, 2, 2, 1
#define IFXENTRY MIB2, 31, 1, 1, 1
#define JNXDOMENTRY 1, 3, 6, 1, 4, 1, 2636, 3, 60, 1, 1, 1, 1

struct fa_device {
	int fd;
	int fd_reply;           /* FA_QUIRK_OTHER_PORT: replies go out here; else -1 */
	unsigned index;
	unsigned udp_port;
	unsigned nports;
	uint32_t ifindex_base;  /* ifIndex of port p (1-based) is base + p */
	int64_t boot_ns;        /* CLOCK_MONOTONIC of the last (re)boot */
	int fault;              /* named by --fault-devices */
	int rebooted;           /* counters restarted from 0 */
	uint64_t disc_jump;     /* added to every counter by discontinuities */
	uint32_t disc_ticks;    /* ifCounterDiscontinuityTime (sysUpTime of the last) */
	int optics_drop;        /* receive power lowered by this many 0.01 dB */
};

/* An object instance: object number obj, row port0 (0-based) for columns. */
struct fa_ref {
	int obj;
	unsigned port0;
};

/* True when quirk Q (FA_QUIRK_*) applies to device d. */
int fa_quirk(const struct fa_conf *c, const struct fa_device *d, unsigned q);

/* Encodes every object's OID once; call before the first reply. */
void fa_mib_init(void);

/* The first instance after oid, or -ENOENT past the end of the MIB view. */
int fa_mib_next(const struct fa_conf *c, const struct fa_device *d,
		const uint32_t *oid, int len, int v1, struct fa_ref *out);

/* Exact match; -ENOENT with *instance set when oid names a known object. */
int fa_mib_get(const struct fa_conf *c, const struct fa_device *d,
	       const uint32_t *oid, int len, int v1, struct fa_ref *out,
	       int *instance);

/*
 * Moves *r to the instance after it, or returns -ENOENT: the fast path of
 * GETBULK, where each repetition continues from the previous answer
 * instead of searching.
 */
int fa_mib_step(const struct fa_conf *c, const struct fa_device *d, int v1,
		struct fa_ref *r);

/* Writes r's OID into oid (room for FA_MAX_OID) and returns its length. */
int fa_mib_ref_oid(const struct fa_device *d, const struct fa_ref *r,
		   uint32_t *oid);

/* Writes the BER body (no tag, no length) of r's OID into ob (>= 40 bytes)
 * and returns its length. */
size_t fa_mib_oid_body(const struct fa_device *d, const struct fa_ref *r,
		       unsigned char *ob);

/* Encodes the value TLV of r at instant now (CLOCK_MONOTONIC ns) into p
 * (<= 96 bytes). */
size_t fa_mib_value(const struct fa_conf *c, const struct fa_device *d,
		    const struct fa_ref *r, int64_t now, unsigned char *p);

/* Writes the truth file (c->truth_file, if set) for devs[0..c->ndevices),
 * atomically via FILE.tmp.  Returns 0 or a negative errno. */
int fa_mib_write_truth(const struct fa_conf *c, const struct fa_device *devs);

/* Reboots the fault devices at now: uptime and counters restart from 0. */
void fa_mib_reboot(const struct fa_conf *c, struct fa_device *devs, int64_t now);

/* Adds FA_RENUMBER_STEP to the fault devices' ifIndexes. */
/* A counter discontinuity on the fault devices (a line card swapped, say):
 * every counter jumps forward by 10^12 and ifCounterDiscontinuityTime
 * takes the current sysUpTime; sysUpTime itself goes on.  NOW is
 * CLOCK_MONOTONIC in ns. */
void fa_mib_discontinuity(const struct fa_conf *c, struct fa_device *devs, int64_t now);

void fa_mib_renumber(const struct fa_conf *c, struct fa_device *devs);

/* --optics: the fault devices' receive power steps down by 4 dB on every
 * port (SIGUSR1 with --optics). */
void fa_mib_optics_step(const struct fa_conf *c, struct fa_device *devs);

#endif
