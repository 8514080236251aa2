/*
 * if_walk.c — column-parallel table walk.  See if_walk.h for the contract.
 *
 * Cost: one pass over each reply's varbinds; rows arrive in increasing
 * ifIndex order within a column, so the row lookup is a check of the last
 * row before falling back to a binary search.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "collector/if_walk.h"

struct if_col_def {
	oid prefix[11];
	size_t len;
	unsigned char type;        /* expected ASN type */
};

#define IF_TABLE 1, 3, 6, 1, 2, 1, 2, 2, 1
#define IFX_TABLE 1, 3, 6, 1, 2, 1, 31, 1, 1, 1

static const struct if_col_def if_walk_cols[IF_COL_COUNT] = {
	[IF_COL_NAME] = { { IFX_TABLE, 1 }, 11, ASN_OCTET_STR },
	[IF_COL_ALIAS] = { { IFX_TABLE, 18 }, 11, ASN_OCTET_STR },
	[IF_COL_HC_IN_OCT] = { { IFX_TABLE, 6 }, 11, ASN_COUNTER64 },
	[IF_COL_HC_IN_PKT] = { { IFX_TABLE, 7 }, 11, ASN_COUNTER64 },
	[IF_COL_HC_OUT_OCT] = { { IFX_TABLE, 10 }, 11, ASN_COUNTER64 },
	[IF_COL_HC_OUT_PKT] = { { IFX_TABLE, 11 }, 11, ASN_COUNTER64 },
	[IF_COL_HIGH_SPEED] = { { IFX_TABLE, 15 }, 11, ASN_GAUGE },
	[IF_COL_DISC_TIME] = { { IFX_TABLE, 19 }, 11, ASN_TIMETICKS },
	[IF_COL_DESCR] = { { IF_TABLE, 2 }, 10, ASN_OCTET_STR },
	[IF_COL_SPEED] = { { IF_TABLE, 5 }, 10, ASN_GAUGE },
	[IF_COL_ADMIN] = { { IF_TABLE, 7 }, 10, ASN_INTEGER },
	[IF_COL_OPER] = { { IF_TABLE, 8 }, 10, ASN_INTEGER },
	[IF_COL_IN_OCT] = { { IF_TABLE, 10 }, 10, ASN_COUNTER },
	[IF_COL_IN_PKT] = { { IF_TABLE, 11 }, 10, ASN_COUNTER },
	[IF_COL_IN_DISC] = { { IF_TABLE, 13 }, 10, ASN_COUNTER },
	[IF_COL_IN_ERR] = { { IF_TABLE, 14 }, 10, ASN_COUNTER },
	[IF_COL_OUT_OCT] = { { IF_TABLE, 16 }, 10, ASN_COUNTER },
	[IF_COL_OUT_PKT] = { { IF_TABLE, 17 }, 10, ASN_COUNTER },
	[IF_COL_OUT_DISC] = { { IF_TABLE, 19 }, 10, ASN_COUNTER },
	[IF_COL_OUT_ERR] = { { IF_TABLE, 20 }, 10, ASN_COUNTER },
};

static const oid if_walk_sysuptime[] = { 1, 3, 6, 1, 2, 1, 1, 3 };
static const oid if_walk_sysuptime0[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };

static const enum if_col if_walk_hc_cols[] = {
	IF_COL_NAME, IF_COL_ALIAS, IF_COL_HC_IN_OCT, IF_COL_HC_IN_PKT,
	IF_COL_HC_OUT_OCT, IF_COL_HC_OUT_PKT, IF_COL_HIGH_SPEED, IF_COL_DISC_TIME,
	IF_COL_ADMIN, IF_COL_OPER, IF_COL_IN_DISC, IF_COL_IN_ERR,
	IF_COL_OUT_DISC, IF_COL_OUT_ERR,
};
static const enum if_col if_walk_legacy_cols[] = {
	IF_COL_DESCR, IF_COL_SPEED, IF_COL_ADMIN, IF_COL_OPER,
	IF_COL_IN_OCT, IF_COL_IN_PKT, IF_COL_IN_DISC, IF_COL_IN_ERR,
	IF_COL_OUT_OCT, IF_COL_OUT_PKT, IF_COL_OUT_DISC, IF_COL_OUT_ERR,
};

void if_walk_init(struct if_walk *w)
{
	memset(w, 0, sizeof(*w));
}

static void if_walk_free_strings(struct if_walk *w)
{
	for (size_t i = 0; i < w->n_rows; i++) {
		free(w->rows[i].name);
		free(w->rows[i].alias);
		free(w->rows[i].descr);
	}
	w->n_rows = 0;
}

void if_walk_cleanup(struct if_walk *w)
{
	if_walk_free_strings(w);
	free(w->rows);
	w->rows = NULL;
	w->cap_rows = 0;
}

void if_walk_begin(struct if_walk *w, enum if_walk_mode mode, unsigned max_varbinds,
		   int with_descr)
{
	if_walk_free_strings(w);
	w->mode = mode;
	w->max_varbinds = max_varbinds < 2 ? 2 : max_varbinds;
	w->n_cols = 0;
	if (mode == IF_WALK_HC) {
		for (size_t i = 0; i < sizeof(if_walk_hc_cols) / sizeof(if_walk_hc_cols[0]); i++)
			w->cols[w->n_cols++] = if_walk_hc_cols[i];
		if (with_descr)
			w->cols[w->n_cols++] = IF_COL_DESCR;
	} else {
		for (size_t i = 0; i < sizeof(if_walk_legacy_cols) / sizeof(if_walk_legacy_cols[0]); i++)
			w->cols[w->n_cols++] = if_walk_legacy_cols[i];
	}
	memset(w->last_index, 0, sizeof(w->last_index));
	memset(w->started, 0, sizeof(w->started));
	memset(w->done, 0, sizeof(w->done));
	w->n_req = 0;
	w->malformed = 0;
	w->replies = 0;
}

int if_walk_fill_request(struct if_walk *w, netsnmp_pdu *pdu)
{
	oid name[MAX_OID_LEN];

	w->n_req = 0;
	for (size_t i = 0; i < w->n_cols; i++)
		if (!w->done[w->cols[i]])
			w->req[w->n_req++] = w->cols[i];
	if (w->n_req == 0)
		return 0;

	snmp_add_null_var(pdu, if_walk_sysuptime, OID_LENGTH(if_walk_sysuptime));
	for (size_t i = 0; i < w->n_req; i++) {
		const struct if_col_def *def = &if_walk_cols[w->req[i]];
		size_t len = def->len;
		memcpy(name, def->prefix, len * sizeof(oid));
		if (w->started[w->req[i]])
			name[len++] = w->last_index[w->req[i]];
		snmp_add_null_var(pdu, name, len);
	}
	if (pdu->command == SNMP_MSG_GETBULK) {
		pdu->non_repeaters = 1;
		long reps = (long)(w->max_varbinds - 1) / (long)w->n_req;
		pdu->max_repetitions = reps < 1 ? 1 : reps;
	}
	return (int)w->n_req;
}

/* The row for IFINDEX, created in order if new; NULL on allocation failure
 * or when the row bound is reached. */
static struct if_row *if_walk_row(struct if_walk *w, uint32_t ifindex)
{
	size_t lo = 0, hi = w->n_rows;

	if (hi > 0 && w->rows[hi - 1].ifindex < ifindex) {
		lo = hi;                        /* the common case: append */
	} else {
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (w->rows[mid].ifindex < ifindex)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < w->n_rows && w->rows[lo].ifindex == ifindex)
			return &w->rows[lo];
	}
	if (w->n_rows >= IF_WALK_MAX_ROWS)
		return NULL;
	if (w->n_rows == w->cap_rows) {
		size_t cap = w->cap_rows ? w->cap_rows * 2 : 32;
		struct if_row *rows = realloc(w->rows, cap * sizeof(*rows));
		if (rows == NULL)
			return NULL;
		w->rows = rows;
		w->cap_rows = cap;
	}
	memmove(&w->rows[lo + 1], &w->rows[lo], (w->n_rows - lo) * sizeof(*w->rows));
	w->n_rows++;
	struct if_row *row = &w->rows[lo];
	memset(row, 0, sizeof(*row));
	row->ifindex = ifindex;
	return row;
}

static char *if_walk_strdup(const netsnmp_variable_list *vb)
{
	char *s = malloc(vb->val_len + 1);
	if (s == NULL)
		return NULL;
	memcpy(s, vb->val.string, vb->val_len);
	s[vb->val_len] = '\0';
	/* A DisplayString may carry trailing NULs or an embedded one;
	 * names end at the first. */
	return s;
}

/* Store one varbind of column COL; returns 0, or -EPROTO if it is rejected. */
static int if_walk_store(struct if_walk *w, enum if_col col, struct if_row *row,
			 const netsnmp_variable_list *vb, uint32_t ticks, int have_ticks,
			 double local_t)
{
	const struct if_col_def *def = &if_walk_cols[col];
	unsigned char type = vb->type;

	/* Agents disagree about Gauge32 vs Unsigned32 (same tag) and some send
	 * INTEGER for gauges; accept the numeric family for numeric columns. */
	if (def->type == ASN_OCTET_STR) {
		if (type != ASN_OCTET_STR)
			return -EPROTO;
		char **slot = col == IF_COL_NAME ? &row->name
			      : col == IF_COL_ALIAS ? &row->alias : &row->descr;
		free(*slot);
		*slot = if_walk_strdup(vb);
	} else if (def->type == ASN_COUNTER64) {
		if (type != ASN_COUNTER64 || vb->val_len < sizeof(struct counter64))
			return -EPROTO;
		row->val[col] = ((uint64_t)vb->val.counter64->high << 32) |
				(uint64_t)(vb->val.counter64->low & 0xffffffffu);
	} else {
		if (type != ASN_COUNTER && type != ASN_GAUGE && type != ASN_INTEGER &&
		    type != ASN_TIMETICKS)
			return -EPROTO;
		if (def->type == ASN_COUNTER && type != ASN_COUNTER)
			return -EPROTO;
		long v = *vb->val.integer;
		row->val[col] = type == ASN_INTEGER ? (uint64_t)v : (uint64_t)(v & 0xffffffffL);
	}
	row->present |= 1u << col;
	if (col == IF_COL_HC_IN_OCT || col == IF_COL_IN_OCT ||
	    (!(row->present & ((1u << IF_COL_HC_IN_OCT) | (1u << IF_COL_IN_OCT))) &&
	     !row->have_ticks)) {
		/* Counters are timed by the reply that carried in-octets. */
		row->ticks = ticks;
		row->have_ticks = have_ticks;
		row->local_t = local_t;
	}
	return 0;
}

int if_walk_feed(struct if_walk *w, const netsnmp_pdu *reply, double local_t)
{
	const netsnmp_variable_list *vb = reply->variables;
	uint32_t ticks = 0;
	int have_ticks = 0;
	int progress = 0;
	unsigned char ended[IF_COL_COUNT] = { 0 };

	w->replies++;
	if (vb != NULL && vb->type == ASN_TIMETICKS &&
	    snmp_oid_compare(vb->name, vb->name_length, if_walk_sysuptime0,
			     OID_LENGTH(if_walk_sysuptime0)) == 0) {
		ticks = (uint32_t)*vb->val.integer;
		have_ticks = 1;
	} else if (vb != NULL) {
		w->malformed++;
	}
	if (vb != NULL)
		vb = vb->next_variable;

	for (size_t j = 0; vb != NULL; vb = vb->next_variable, j++) {
		enum if_col col = w->req[j % w->n_req];
		const struct if_col_def *def = &if_walk_cols[col];

		if (ended[col] || w->done[col])
			continue;
		if (vb->type == SNMP_ENDOFMIBVIEW || vb->type == SNMP_NOSUCHOBJECT ||
		    vb->type == SNMP_NOSUCHINSTANCE ||
		    vb->name_length <= def->len ||
		    snmp_oidtree_compare(vb->name, vb->name_length, def->prefix, def->len) != 0) {
			ended[col] = 1;         /* walked past the column */
			continue;
		}
		uint32_t idx = (uint32_t)vb->name[def->len];
		if (vb->name_length != def->len + 1 ||
		    (w->started[col] && idx <= w->last_index[col])) {
			/* A multi-part index or an OID that does not increase:
			 * the agent is broken; stop walking this column. */
			w->malformed++;
			ended[col] = 1;
			continue;
		}
		w->started[col] = 1;
		w->last_index[col] = idx;
		progress = 1;
		struct if_row *row = if_walk_row(w, idx);
		if (row == NULL) {
			ended[col] = 1;
			continue;
		}
		if (if_walk_store(w, col, row, vb, ticks, have_ticks, local_t) < 0)
			w->malformed++;
	}

	int more = 0;
	for (size_t i = 0; i < w->n_req; i++) {
		if (ended[w->req[i]])
			w->done[w->req[i]] = 1;
		progress |= ended[w->req[i]];
		more |= !w->done[w->req[i]];
	}
	if (!progress) {
		for (size_t i = 0; i < w->n_cols; i++)
			w->done[w->cols[i]] = 1;
		return -EPROTO;
	}
	return more;
}

int if_walk_column_ended(struct if_walk *w, long errindex)
{
	/* Position 1 is sysUpTime; columns start at 2. */
	if (errindex < 2 || (size_t)(errindex - 2) >= w->n_req)
		return -EPROTO;
	w->done[w->req[errindex - 2]] = 1;
	return 0;
}

int if_walk_has_column(const struct if_walk *w, enum if_col col)
{
	for (size_t i = 0; i < w->n_rows; i++)
		if (w->rows[i].present & (1u << col))
			return 1;
	return 0;
}
