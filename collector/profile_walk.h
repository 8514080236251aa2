/*
 * profile_walk.h — walk a device profile's columns, all in parallel.
 *
 * Like if_walk (read that first), with what profiles need beyond it:
 * indexes of any length (entPhysicalIndex, ifIndex.onuId, a serial as a
 * length-prefixed string), values of any of the usual types (numbers,
 * strings such as Huawei's "-1104.03", OIDs such as hrStorageType), and an
 * identification step that reads sysDescr.0 and sysObjectID.0 for a device
 * whose profile must be matched.
 *
 * Each GETBULK carries, per column still being walked, the last OID seen
 * in it; max-repetitions = max_varbinds / columns.  SNMPv1's GETNEXT works
 * the same way, one row per reply.  Replies are untrusted: a varbind
 * outside its column or with an index that does not increase ends that
 * column (counted in `malformed` when it is not a plain end); a value of an
 * unexpected type is counted and skipped; the cell count is bounded; a
 * reply that moves no column forward ends the walk.  No I/O.
 */
#ifndef SERAT_PROFILE_WALK_H
#define SERAT_PROFILE_WALK_H

#include <stddef.h>
#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "common/profile.h"

#define PROFILE_WALK_MAX_INDEX 24    /* sub-identifiers of a row index */
#define PROFILE_WALK_MAX_CELLS 65536 /* per walk: a bound against endless agents */
#define PROFILE_WALK_MAX_COLS 64     /* columns of one profile */
#define PROFILE_WALK_MAX_TEXT 255    /* longer strings are cut */

struct profile_index {
	uint32_t sub[PROFILE_WALK_MAX_INDEX];
	uint8_t len;
};

struct profile_cell {
	struct profile_index idx;
	double num;                  /* numbers (NAN for text) */
	char *text;                  /* strings and OIDs as dotted text; else NULL */
};

struct profile_walk_col {
	const struct profile_oid *oid;
	struct profile_cell *cells;  /* in walk order = increasing index */
	size_t n, cap;
	int started, done;
	struct profile_index last;
};

enum profile_walk_phase { PROFILE_WALK_IDLE, PROFILE_WALK_IDENT, PROFILE_WALK_COLUMNS };

struct profile_walk {
	enum profile_walk_phase phase;
	size_t n_cols;
	struct profile_walk_col cols[PROFILE_WALK_MAX_COLS];
	size_t n_req;
	size_t req[PROFILE_WALK_MAX_COLS];   /* columns of the request in flight */
	size_t n_cells;
	unsigned malformed;
	unsigned replies;
	/* identification */
	int ident_done;
	char sysdescr[PROFILE_WALK_MAX_TEXT + 1];
	uint32_t sysoid[PROFILE_OID_MAX];
	size_t sysoid_len;
};

/* Zero W.  Call once; pair with profile_walk_cleanup. */
void profile_walk_init(struct profile_walk *w);
/* Free every cell and array; W can be begun again. */
void profile_walk_cleanup(struct profile_walk *w);
/* End the walk and forget its cells, keeping the arrays for the next. */
void profile_walk_reset(struct profile_walk *w);

/* Ask for sysDescr.0 and sysObjectID.0 (the next request). */
void profile_walk_begin_ident(struct profile_walk *w);

/* Walk P's columns (P borrowed; it must outlive the walk's use).  Cells of
 * a previous walk are freed.  At most PROFILE_WALK_MAX_COLS columns. */
void profile_walk_begin(struct profile_walk *w, const struct profile *p);

/*
 * Add the next request's varbinds to PDU (GETBULK or GETNEXT, made by the
 * caller); for GETBULK sets non_repeaters and max_repetitions from
 * MAX_VARBINDS.  Returns the number of varbinds, 0 when the walk is done.
 */
int profile_walk_fill_request(struct profile_walk *w, netsnmp_pdu *pdu, unsigned max_varbinds);

/* Feed the reply to the last request: 1 = another request is needed, 0 =
 * done, -EPROTO = no progress (the walk ends; cells so far are kept). */
int profile_walk_feed(struct profile_walk *w, const netsnmp_pdu *reply);

/* SNMPv1 noSuchName at ERRINDEX (1-based): that column has ended.
 * Returns 0, or -EPROTO when the index names no column. */
int profile_walk_column_ended(struct profile_walk *w, long errindex);

/* The position in column COL of the first cell whose index is not below
 * IDX (the column's count when none).  O(log n). */
size_t profile_walk_lower_bound(const struct profile_walk *w, size_t col,
				const struct profile_index *idx);

/* The cell of column COL at IDX, or NULL.  O(log n). */
const struct profile_cell *profile_walk_lookup(const struct profile_walk *w, size_t col,
					       const struct profile_index *idx);

#endif
