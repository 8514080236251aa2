/*
 * if_walk.h — walk one device's interface tables, all columns in parallel.
 *
 * A poll asks for every needed column of ifTable/ifXTable side by side:
 * each GETBULK carries sysUpTime as its one non-repeater and, per column
 * still being walked, the last OID seen in it, so one reply returns several
 * whole rows (max-repetitions = (bulk_max_varbinds - 1) / columns).  SNMPv1
 * has no GETBULK: the same request as a GETNEXT returns one row per reply.
 * Columns end independently (short tables, agents that skip rows).
 *
 * Each reply's sysUpTime timestamps the counters it carries, so rates use
 * the agent's clock at the moment it read the counters.
 *
 * Only sysUpTime.0 is uptime: an agent without it answers the non-repeater
 * with the next object (sysContact, or sysORLastChange, another TimeTicks);
 * that is no uptime (`no_uptime`, rates then use our clock) and not
 * malformed.
 *
 * Replies are untrusted: a varbind outside its column, with the wrong type,
 * an index that does not increase or a multi-part index is counted in
 * `malformed` (the first one described in `malformed_what`, e.g. "ifSpeed
 * as OCTET STRING") and ends or skips that column; a reply that moves no
 * column forward ends the walk; a walk that reaches IF_WALK_MAX_ROWS stops
 * adding rows (`truncated`).  Nothing here can loop forever or crash on
 * what an agent sends.  No I/O: the caller sends the request and feeds the
 * reply.
 *
 * After the walk, if_walk_name_rows() gives every row a stable identity in
 * `name` (see there), so the caller keys interfaces by row name alone.
 */
#ifndef SERAT_IF_WALK_H
#define SERAT_IF_WALK_H

#include <stddef.h>
#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

enum if_col {
	IF_COL_NAME,        /* ifXTable ifName */
	IF_COL_ALIAS,       /* ifAlias */
	IF_COL_HC_IN_OCT,   /* ifHCInOctets */
	IF_COL_HC_IN_PKT,   /* ifHCInUcastPkts */
	IF_COL_HC_OUT_OCT,  /* ifHCOutOctets */
	IF_COL_HC_OUT_PKT,  /* ifHCOutUcastPkts */
	IF_COL_HIGH_SPEED,  /* ifHighSpeed, Mbit/s */
	IF_COL_DISC_TIME,   /* ifCounterDiscontinuityTime */
	IF_COL_DESCR,       /* ifTable ifDescr */
	IF_COL_SPEED,       /* ifSpeed, bit/s */
	IF_COL_ADMIN,       /* ifAdminStatus */
	IF_COL_OPER,        /* ifOperStatus */
	IF_COL_IN_OCT,      /* ifInOctets (32-bit) */
	IF_COL_IN_PKT,      /* ifInUcastPkts */
	IF_COL_IN_DISC,     /* ifInDiscards */
	IF_COL_IN_ERR,      /* ifInErrors */
	IF_COL_OUT_OCT,     /* ifOutOctets */
	IF_COL_OUT_PKT,     /* ifOutUcastPkts */
	IF_COL_OUT_DISC,    /* ifOutDiscards */
	IF_COL_OUT_ERR,     /* ifOutErrors */
	IF_COL_COUNT
};

enum if_walk_mode {
	IF_WALK_HC,         /* ifXTable names and 64-bit counters (v2c/v3) */
	IF_WALK_LEGACY,     /* ifTable only, 32-bit counters (v1, old agents) */
};

#define IF_WALK_MAX_ROWS 65536 /* a bound against agents that never end */

/* Extra columns for if_walk_begin's EXTRA (bits). */
#define IF_WALK_WITH_DESCR 1u       /* ifDescr in HC mode (some ifName empty) */
#define IF_WALK_WITH_COUNTERS32 2u  /* 32-bit octets/packets in HC mode (some
                                       interface lacks an HC counter) */

/* An interface's eight counters, in the order of the RRD data sources. */
enum if_counter {
	IF_CTR_IN_OCT, IF_CTR_OUT_OCT, IF_CTR_IN_PKT, IF_CTR_OUT_PKT,
	IF_CTR_IN_ERR, IF_CTR_OUT_ERR, IF_CTR_IN_DISC, IF_CTR_OUT_DISC,
	IF_CTR_COUNT
};

struct if_row {
	uint32_t ifindex;
	uint32_t present;           /* bit (1 << enum if_col) per value seen */
	uint32_t ticks;             /* sysUpTime of the reply with the counters */
	int have_ticks;
	double local_t;             /* our monotonic time of that reply */
	uint64_t val[IF_COL_COUNT]; /* numeric columns */
	char *name, *alias, *descr; /* owned by the walk; NULL if absent.
	                               Trailing NULs are dropped; a string
	                               with an embedded NUL has it written as
	                               the four characters \x00 (and a
	                               backslash as two), so names that differ
	                               after the NUL stay different */
};

struct if_walk {
	enum if_walk_mode mode;
	unsigned max_varbinds;
	/* Columns of this walk, and the last index seen in each. */
	size_t n_cols;
	enum if_col cols[IF_COL_COUNT];
	uint32_t last_index[IF_COL_COUNT];
	unsigned char started[IF_COL_COUNT], done[IF_COL_COUNT];
	/* The columns, in order, of the request in flight. */
	size_t n_req;
	enum if_col req[IF_COL_COUNT];
	/* Rows, sorted by ifIndex. */
	struct if_row *rows;
	size_t n_rows, cap_rows;
	unsigned malformed;         /* varbinds rejected in this walk */
	char malformed_what[96];    /* the first of them, e.g. "ifSpeed as OCTET STRING" */
	unsigned replies;
	int truncated;              /* rows beyond IF_WALK_MAX_ROWS were dropped */
	int have_uptime;            /* some reply carried sysUpTime.0 */
	uint32_t uptime_ticks;      /* sysUpTime.0 of the first reply that had it */
	int no_uptime;              /* a reply came without sysUpTime.0 */
};

/* What if_walk_name_rows() did, for the caller's log-once messages. */
struct if_walk_names {
	unsigned duplicates;        /* rows renamed NAME#ifIndex.N */
	unsigned unnamed;           /* rows named ifIndex.N */
	char first_duplicate[64];   /* one duplicated name, for the message */
};

/* Zero W; it owns nothing yet.  Call once per device. */
void if_walk_init(struct if_walk *w);
/* Frees the rows; W can be reused after if_walk_begin. */
void if_walk_cleanup(struct if_walk *w);

/*
 * Start a new walk: forget last poll's rows (the array is kept for reuse),
 * choose the columns of MODE plus, in HC mode, the EXTRA ones
 * (IF_WALK_WITH_* bits; 1 is ifDescr, so a boolean "with descr" works).
 */
void if_walk_begin(struct if_walk *w, enum if_walk_mode mode, unsigned max_varbinds,
		   unsigned extra);

/*
 * Add the next request's varbinds to PDU (a GETBULK or GETNEXT created by
 * the caller).  For GETBULK sets non_repeaters and max_repetitions.
 * Returns the number of columns asked, 0 when the walk is complete.
 */
int if_walk_fill_request(struct if_walk *w, netsnmp_pdu *pdu);

/*
 * Feed the reply to the last request.  LOCAL_T is our monotonic time of
 * receipt.  Returns 1 when another request is needed, 0 when the walk is
 * complete, -EPROTO when the reply made no progress (walk ended; rows so far
 * are kept).
 */
int if_walk_feed(struct if_walk *w, const netsnmp_pdu *reply, double local_t);

/*
 * An SNMPv1 noSuchName error at ERRINDEX (1-based varbind position) means
 * that column has ended: mark it done so the next request leaves it out.
 * Returns 0, or -EPROTO when the index names no column.
 */
int if_walk_column_ended(struct if_walk *w, long errindex);

/* True when some row carries any value of COL. */
int if_walk_has_column(const struct if_walk *w, enum if_col col);

/* "ifHCInOctets", "ifSpeed", ...: the MIB name of COL. */
const char *if_col_name(enum if_col col);

/*
 * Counter K of ROW: the 64-bit column when the row has it, else the 32-bit
 * one (per interface and per counter: RFC 2863 asks for HC counters only
 * above 20 Mbit/s, so slow ports often lack them).  Sets *VAL and *WIDTH
 * (32 or 64) and returns 0, or -ENOENT when the row has neither.
 */
int if_row_counter(const struct if_row *row, enum if_counter k, uint64_t *val,
		   unsigned *width);

/*
 * True when ROW is an interface that lacks the 64-bit column of one of its
 * octet/packet counters (the walk should add IF_WALK_WITH_COUNTERS32).
 */
int if_row_lacks_hc(const struct if_row *row);

/*
 * Give every row of the finished walk its identity in `name` (replacing the
 * ifName the agent sent), a pure function of the rows, so the same on every
 * poll and after a restart:
 *   - the ifName, or the ifDescr when the ifName is absent or empty;
 *   - `ifIndex.N` for a row with neither but with counters (kept, not
 *     dropped); a row with no name and no counter stays NULL (skip it);
 *   - when several rows share a name, each of them is `NAME#ifIndex.N`
 *     (all of them, not all but the first: when one goes away the others
 *     keep their identity, and no row ever inherits another's counters).
 * Fills *OUT (may be NULL) with what was done.  Returns 0 or -ENOMEM (rows
 * whose name could not be built are left NULL).
 */
int if_walk_name_rows(struct if_walk *w, struct if_walk_names *out);

#endif
