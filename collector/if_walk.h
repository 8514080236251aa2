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
 * Replies are untrusted: a varbind outside its column, with the wrong type,
 * an index that does not increase or a multi-part index is counted in
 * `malformed` and ends or skips that column; a reply that moves no column
 * forward ends the walk.  Nothing here can loop forever or crash on what an
 * agent sends.  No I/O: the caller sends the request and feeds the reply.
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

struct if_row {
	uint32_t ifindex;
	uint32_t present;           /* bit (1 << enum if_col) per value seen */
	uint32_t ticks;             /* sysUpTime of the reply with the counters */
	int have_ticks;
	double local_t;             /* our monotonic time of that reply */
	uint64_t val[IF_COL_COUNT]; /* numeric columns */
	char *name, *alias, *descr; /* owned by the walk; NULL if absent */
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
	unsigned replies;
};

/* Zero W; it owns nothing yet.  Call once per device. */
void if_walk_init(struct if_walk *w);
/* Frees the rows; W can be reused after if_walk_begin. */
void if_walk_cleanup(struct if_walk *w);

/*
 * Start a new walk: forget last poll's rows (the array is kept for reuse),
 * choose the columns of MODE (plus ifDescr in HC mode when WITH_DESCR).
 */
void if_walk_begin(struct if_walk *w, enum if_walk_mode mode, unsigned max_varbinds,
		   int with_descr);

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

#endif
