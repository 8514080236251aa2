/*
 * if_walk.c — column-parallel table walk.  See if_walk.h for the contract.
 *
 * Cost: one pass over each reply's varbinds; rows arrive in increasing
 * ifIndex order within a column, so the row lookup is a check of the last
 * row before falling back to a binary search.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
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

static const char *const if_walk_col_names[IF_COL_COUNT] = {
	[IF_COL_NAME] = "ifName", [IF_COL_ALIAS] = "ifAlias",
	[IF_COL_HC_IN_OCT] = "ifHCInOctets", [IF_COL_HC_IN_PKT] = "ifHCInUcastPkts",
	[IF_COL_HC_OUT_OCT] = "ifHCOutOctets", [IF_COL_HC_OUT_PKT] = "ifHCOutUcastPkts",
	[IF_COL_HIGH_SPEED] = "ifHighSpeed", [IF_COL_DISC_TIME] = "ifCounterDiscontinuityTime",
	[IF_COL_DESCR] = "ifDescr", [IF_COL_SPEED] = "ifSpeed",
	[IF_COL_ADMIN] = "ifAdminStatus", [IF_COL_OPER] = "ifOperStatus",
	[IF_COL_IN_OCT] = "ifInOctets", [IF_COL_IN_PKT] = "ifInUcastPkts",
	[IF_COL_IN_DISC] = "ifInDiscards", [IF_COL_IN_ERR] = "ifInErrors",
	[IF_COL_OUT_OCT] = "ifOutOctets", [IF_COL_OUT_PKT] = "ifOutUcastPkts",
	[IF_COL_OUT_DISC] = "ifOutDiscards", [IF_COL_OUT_ERR] = "ifOutErrors",
};

/* Counter k: its 64-bit column (or -1) and its 32-bit one. */
static const int if_walk_ctr_hc[IF_CTR_COUNT] = {
	IF_COL_HC_IN_OCT, IF_COL_HC_OUT_OCT, IF_COL_HC_IN_PKT, IF_COL_HC_OUT_PKT,
	-1, -1, -1, -1,
};
static const enum if_col if_walk_ctr_32[IF_CTR_COUNT] = {
	IF_COL_IN_OCT, IF_COL_OUT_OCT, IF_COL_IN_PKT, IF_COL_OUT_PKT,
	IF_COL_IN_ERR, IF_COL_OUT_ERR, IF_COL_IN_DISC, IF_COL_OUT_DISC,
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
		   unsigned extra)
{
	if_walk_free_strings(w);
	w->mode = mode;
	w->max_varbinds = max_varbinds < 2 ? 2 : max_varbinds;
	w->n_cols = 0;
	if (mode == IF_WALK_HC) {
		for (size_t i = 0; i < sizeof(if_walk_hc_cols) / sizeof(if_walk_hc_cols[0]); i++)
			w->cols[w->n_cols++] = if_walk_hc_cols[i];
		if (extra & IF_WALK_WITH_DESCR)
			w->cols[w->n_cols++] = IF_COL_DESCR;
		if (extra & IF_WALK_WITH_COUNTERS32)
			for (int k = IF_CTR_IN_OCT; k <= IF_CTR_OUT_PKT; k++)
				w->cols[w->n_cols++] = if_walk_ctr_32[k];
	} else {
		for (size_t i = 0; i < sizeof(if_walk_legacy_cols) / sizeof(if_walk_legacy_cols[0]); i++)
			w->cols[w->n_cols++] = if_walk_legacy_cols[i];
	}
	memset(w->last_index, 0, sizeof(w->last_index));
	memset(w->started, 0, sizeof(w->started));
	memset(w->done, 0, sizeof(w->done));
	w->n_req = 0;
	w->malformed = 0;
	w->malformed_what[0] = '\0';
	w->replies = 0;
	w->truncated = 0;
	w->have_uptime = 0;
	w->uptime_ticks = 0;
	w->no_uptime = 0;
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
	if (w->n_rows >= IF_WALK_MAX_ROWS) {
		w->truncated = 1;
		return NULL;
	}
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

/* A copy of an untrusted string: trailing NULs dropped (a fixed-size
 * DisplayString), an embedded NUL kept visible as \x00 (see if_walk.h). */
static char *if_walk_strdup(const netsnmp_variable_list *vb)
{
	const unsigned char *v = vb->val.string;
	size_t len = vb->val_len, extra = 0;

	while (len > 0 && v[len - 1] == '\0')
		len--;
	int has_nul = memchr(v, '\0', len) != NULL;
	for (size_t i = 0; has_nul && i < len; i++)
		extra += v[i] == '\0' ? 3 : v[i] == '\\' ? 1 : 0;
	char *s = malloc(len + extra + 1), *o = s;
	if (s == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (has_nul && v[i] == '\0') {
			memcpy(o, "\\x00", 4);
			o += 4;
		} else {
			if (has_nul && v[i] == '\\')
				*o++ = '\\';
			*o++ = (char)v[i];
		}
	}
	*o = '\0';
	return s;
}

static const char *if_walk_type_name(unsigned char type)
{
	switch (type) {
	case ASN_INTEGER: return "INTEGER";
	case ASN_OCTET_STR: return "OCTET STRING";
	case ASN_NULL: return "NULL";
	case ASN_OBJECT_ID: return "OBJECT IDENTIFIER";
	case ASN_IPADDRESS: return "IpAddress";
	case ASN_COUNTER: return "Counter32";
	case ASN_GAUGE: return "Gauge32";
	case ASN_TIMETICKS: return "TimeTicks";
	case ASN_OPAQUE: return "Opaque";
	case ASN_COUNTER64: return "Counter64";
	case SNMP_NOSUCHOBJECT: return "noSuchObject";
	case SNMP_NOSUCHINSTANCE: return "noSuchInstance";
	case SNMP_ENDOFMIBVIEW: return "endOfMibView";
	default: return "an unknown type";
	}
}

/* Count a rejected varbind; the first of the walk is described. */
static void if_walk_reject(struct if_walk *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void if_walk_reject(struct if_walk *w, const char *fmt, ...)
{
	if (w->malformed++ == 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(w->malformed_what, sizeof(w->malformed_what), fmt, ap);
		va_end(ap);
	}
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
	if (vb != NULL) {
		int up0 = snmp_oid_compare(vb->name, vb->name_length, if_walk_sysuptime0,
					   OID_LENGTH(if_walk_sysuptime0)) == 0;
		if (up0 && vb->type == ASN_TIMETICKS) {
			ticks = (uint32_t)*vb->val.integer;
			have_ticks = 1;
			if (!w->have_uptime) {
				w->have_uptime = 1;
				w->uptime_ticks = ticks;
			}
		} else if (up0 && vb->type != SNMP_NOSUCHOBJECT &&
			   vb->type != SNMP_NOSUCHINSTANCE && vb->type != SNMP_ENDOFMIBVIEW) {
			if_walk_reject(w, "sysUpTime.0 as %s", if_walk_type_name(vb->type));
		} else if (!up0 && (snmp_oid_compare(vb->name, vb->name_length, if_walk_sysuptime,
						      OID_LENGTH(if_walk_sysuptime)) <= 0 ||
				    snmp_oidtree_compare(vb->name, vb->name_length, if_walk_sysuptime,
							 OID_LENGTH(if_walk_sysuptime)) == 0)) {
			/* Not the object after sysUpTime: an OID that does
			 * not increase, or another instance of it. */
			if_walk_reject(w, "sysUpTime answered with a wrong OID");
		} else {
			/* The object after sysUpTime (sysContact.0, or
			 * sysORLastChange.0, a TimeTicks too): the agent has
			 * none.  Not malformed; its rows go on our clock. */
			w->no_uptime = 1;
		}
		vb = vb->next_variable;
	}

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
			if (vb->name_length != def->len + 1)
				if_walk_reject(w, "%s with a multi-part index",
					       if_walk_col_names[col]);
			else
				if_walk_reject(w, "%s index not increasing (%u after %u)",
					       if_walk_col_names[col], idx, w->last_index[col]);
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
			if_walk_reject(w, "%s as %s", if_walk_col_names[col],
				       if_walk_type_name(vb->type));
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

const char *if_col_name(enum if_col col)
{
	return (unsigned)col < IF_COL_COUNT ? if_walk_col_names[col] : "?";
}

int if_row_counter(const struct if_row *row, enum if_counter k, uint64_t *val,
		   unsigned *width)
{
	if ((unsigned)k >= IF_CTR_COUNT)
		return -ENOENT;
	int hc = if_walk_ctr_hc[k];
	if (hc >= 0 && (row->present & (1u << hc))) {
		*val = row->val[hc];
		*width = 64;
		return 0;
	}
	if (row->present & (1u << if_walk_ctr_32[k])) {
		*val = row->val[if_walk_ctr_32[k]];
		*width = 32;
		return 0;
	}
	return -ENOENT;
}

int if_row_lacks_hc(const struct if_row *row)
{
	for (int k = IF_CTR_IN_OCT; k <= IF_CTR_OUT_PKT; k++)
		if (!(row->present & (1u << if_walk_ctr_hc[k])))
			return 1;
	return 0;
}

/* ---- identities ------------------------------------------------------ */

static int if_walk_has_counter(const struct if_row *row)
{
	uint64_t v;
	unsigned width;
	for (int k = 0; k < IF_CTR_COUNT; k++)
		if (if_row_counter(row, (enum if_counter)k, &v, &width) == 0)
			return 1;
	return 0;
}

static int if_walk_name_cmp(const void *a, const void *b)
{
	const struct if_row *ra = *(const struct if_row *const *)a;
	const struct if_row *rb = *(const struct if_row *const *)b;
	int c = strcmp(ra->name, rb->name);
	/* ifIndex breaks ties, so the order (and the log) is deterministic. */
	return c != 0 ? c : (ra->ifindex > rb->ifindex) - (ra->ifindex < rb->ifindex);
}

/* ROW's name becomes BASE#ifIndex.N (ifIndex.N when BASE is NULL);
 * -ENOMEM leaves it NULL. */
static int if_walk_rename(struct if_row *row, const char *base)
{
	char *n;
	int len = base ? snprintf(NULL, 0, "%s#ifIndex.%u", base, row->ifindex)
		       : snprintf(NULL, 0, "ifIndex.%u", row->ifindex);
	n = malloc((size_t)len + 1);
	if (n != NULL) {
		if (base)
			snprintf(n, (size_t)len + 1, "%s#ifIndex.%u", base, row->ifindex);
		else
			snprintf(n, (size_t)len + 1, "ifIndex.%u", row->ifindex);
	}
	free(row->name);
	row->name = n;
	return n ? 0 : -ENOMEM;
}

int if_walk_name_rows(struct if_walk *w, struct if_walk_names *out)
{
	struct if_walk_names dummy;
	int rc = 0;

	if (out == NULL)
		out = &dummy;
	memset(out, 0, sizeof(*out));
	/* 1. The base name: ifName, ifDescr, or ifIndex.N for a row that
	 * has counters but no name at all. */
	size_t named = 0;
	for (size_t i = 0; i < w->n_rows; i++) {
		struct if_row *r = &w->rows[i];
		if (r->name == NULL || r->name[0] == '\0') {
			free(r->name);
			r->name = NULL;
			if (r->descr != NULL && r->descr[0] != '\0') {
				r->name = strdup(r->descr);
				if (r->name == NULL)
					rc = -ENOMEM;
			} else if (if_walk_has_counter(r)) {
				out->unnamed++;
				if (if_walk_rename(r, NULL) < 0)
					rc = -ENOMEM;
			}
		}
		named += r->name != NULL;
	}
	if (named < 2)
		return rc;
	/* 2. Duplicates: sort pointers by (name, ifIndex), rename every
	 * member of a run of equal names. */
	struct if_row **by = malloc(named * sizeof(*by));
	if (by == NULL)
		return -ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < w->n_rows; i++)
		if (w->rows[i].name != NULL)
			by[n++] = &w->rows[i];
	qsort(by, n, sizeof(*by), if_walk_name_cmp);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && strcmp(by[j]->name, by[i]->name) == 0)
			j++;
		if (j - i > 1) {
			if (out->first_duplicate[0] == '\0')
				snprintf(out->first_duplicate, sizeof(out->first_duplicate),
					 "%s", by[i]->name);
			/* Every member is renamed, the first one's text
			 * too: build from a copy. */
			char *copy = strdup(by[i]->name);
			for (size_t k = i; k < j; k++) {
				if (copy == NULL) {
					free(by[k]->name);
					by[k]->name = NULL;
					rc = -ENOMEM;
				} else if (if_walk_rename(by[k], copy) < 0) {
					rc = -ENOMEM;
				}
				out->duplicates++;
			}
			free(copy);
		}
		i = j;
	}
	free(by);
	return rc;
}
