/*
 * profile_walk.c — column-parallel walk of a profile's columns.  See
 * profile_walk.h for the contract.
 *
 * Cost per value: one prefix compare, one index compare with the column's
 * last, and an append (cells arrive in increasing index order within a
 * column, so they are stored sorted without a search).  Text values cost
 * one allocation; numeric ones none.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/profile_walk.h"

static const oid profile_walk_sysdescr[] = { 1, 3, 6, 1, 2, 1, 1, 1 };
static const oid profile_walk_sysoid[] = { 1, 3, 6, 1, 2, 1, 1, 2 };

void profile_walk_init(struct profile_walk *w)
{
	memset(w, 0, sizeof(*w));
}

/* Forget the cells (their strings freed), keeping each slot's array for
 * the next poll: a walk then allocates nothing but its strings. */
static void profile_walk_clear_cells(struct profile_walk *w)
{
	for (size_t c = 0; c < PROFILE_WALK_MAX_COLS; c++) {
		struct profile_walk_col *col = &w->cols[c];
		for (size_t i = 0; i < col->n; i++)
			free(col->cells[i].text);
		col->n = 0;
	}
	w->n_cells = 0;
}

void profile_walk_cleanup(struct profile_walk *w)
{
	profile_walk_clear_cells(w);
	for (size_t c = 0; c < PROFILE_WALK_MAX_COLS; c++) {
		free(w->cols[c].cells);
		w->cols[c].cells = NULL;
		w->cols[c].cap = 0;
	}
	w->n_cols = 0;
	w->phase = PROFILE_WALK_IDLE;
}

/* End the current walk: nothing is asked until the next begin. */
void profile_walk_reset(struct profile_walk *w)
{
	profile_walk_clear_cells(w);
	w->n_cols = 0;
	w->phase = PROFILE_WALK_IDLE;
}

void profile_walk_begin_ident(struct profile_walk *w)
{
	profile_walk_reset(w);
	w->phase = PROFILE_WALK_IDENT;
	w->ident_done = 0;
	w->sysdescr[0] = '\0';
	w->sysoid_len = 0;
	w->malformed = 0;
	w->replies = 0;
}

void profile_walk_begin(struct profile_walk *w, const struct profile *p)
{
	profile_walk_reset(w);
	w->phase = PROFILE_WALK_COLUMNS;
	w->n_cols = p->n_columns < PROFILE_WALK_MAX_COLS ? p->n_columns : PROFILE_WALK_MAX_COLS;
	for (size_t c = 0; c < w->n_cols; c++) {
		struct profile_walk_col *col = &w->cols[c];
		col->oid = &p->columns[c];
		col->started = col->done = 0;
		col->last.len = 0;
	}
	w->malformed = 0;
	w->replies = 0;
}

static void profile_walk_col_name(const struct profile_walk_col *col, oid *name, size_t *len)
{
	size_t n = col->oid->len;
	for (size_t i = 0; i < n; i++)
		name[i] = col->oid->sub[i];
	if (col->started)
		for (size_t i = 0; i < col->last.len; i++)
			name[n++] = col->last.sub[i];
	*len = n;
}

int profile_walk_fill_request(struct profile_walk *w, netsnmp_pdu *pdu, unsigned max_varbinds)
{
	oid name[MAX_OID_LEN];
	size_t len;

	w->n_req = 0;
	if (w->phase == PROFILE_WALK_IDENT) {
		if (w->ident_done)
			return 0;
		snmp_add_null_var(pdu, profile_walk_sysdescr, OID_LENGTH(profile_walk_sysdescr));
		snmp_add_null_var(pdu, profile_walk_sysoid, OID_LENGTH(profile_walk_sysoid));
		if (pdu->command == SNMP_MSG_GETBULK) {
			pdu->non_repeaters = 2;
			pdu->max_repetitions = 0;
		}
		return 2;
	}
	if (w->phase != PROFILE_WALK_COLUMNS)
		return 0;
	for (size_t c = 0; c < w->n_cols; c++)
		if (!w->cols[c].done)
			w->req[w->n_req++] = c;
	if (w->n_req == 0)
		return 0;
	for (size_t i = 0; i < w->n_req; i++) {
		profile_walk_col_name(&w->cols[w->req[i]], name, &len);
		snmp_add_null_var(pdu, name, len);
	}
	if (pdu->command == SNMP_MSG_GETBULK) {
		long reps = (long)(max_varbinds < 1 ? 1 : max_varbinds) / (long)w->n_req;
		pdu->non_repeaters = 0;
		pdu->max_repetitions = reps < 1 ? 1 : reps;
	}
	return (int)w->n_req;
}

/* -1, 0, 1 as A sorts before, with, after B. */
static int profile_index_cmp(const struct profile_index *a, const struct profile_index *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	for (size_t i = 0; i < n; i++)
		if (a->sub[i] != b->sub[i])
			return a->sub[i] < b->sub[i] ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len;
}

static char *profile_walk_text(const netsnmp_variable_list *vb)
{
	if (vb->type == ASN_OCTET_STR) {
		size_t n = vb->val_len > PROFILE_WALK_MAX_TEXT ? PROFILE_WALK_MAX_TEXT : vb->val_len;
		char *s = malloc(n + 1);
		if (s == NULL)
			return NULL;
		memcpy(s, vb->val.string, n);
		s[n] = '\0';      /* names end at the first NUL, as in if_walk */
		return s;
	}
	/* An OBJECT IDENTIFIER as dotted text, bounded. */
	size_t n = vb->val_len / sizeof(oid);
	char *s = malloc(PROFILE_WALK_MAX_TEXT + 1);
	if (s == NULL)
		return NULL;
	size_t used = 0;
	s[0] = '\0';
	for (size_t i = 0; i < n && used < PROFILE_WALK_MAX_TEXT; i++) {
		int r = snprintf(s + used, PROFILE_WALK_MAX_TEXT + 1 - used, "%s%lu",
				 i ? "." : "", (unsigned long)vb->val.objid[i]);
		if (r < 0)
			break;
		used += (size_t)r;
	}
	return s;
}

/* The value of VB into CELL: 0, or -EPROTO for a type we do not take. */
static int profile_walk_value(const netsnmp_variable_list *vb, struct profile_cell *cell)
{
	cell->text = NULL;
	cell->num = NAN;
	switch (vb->type) {
	case ASN_INTEGER:
		if (vb->val_len < sizeof(long))
			return -EPROTO;
		cell->num = (double)*vb->val.integer;
		return 0;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
		if (vb->val_len < sizeof(long))
			return -EPROTO;
		cell->num = (double)(*vb->val.integer & 0xffffffffL);
		return 0;
	case ASN_COUNTER64:
		if (vb->val_len < sizeof(struct counter64))
			return -EPROTO;
		cell->num = (double)vb->val.counter64->high * 4294967296.0 +
			    (double)(vb->val.counter64->low & 0xffffffffu);
		return 0;
	case ASN_OCTET_STR:
	case ASN_OBJECT_ID:
		if (vb->val_len > 0 && vb->val.string == NULL)
			return -EPROTO;
		cell->text = profile_walk_text(vb);
		return cell->text == NULL ? -ENOMEM : 0;
	default:
		return -EPROTO;
	}
}

static int profile_walk_append(struct profile_walk *w, struct profile_walk_col *col,
			       const struct profile_cell *cell)
{
	if (w->n_cells >= PROFILE_WALK_MAX_CELLS)
		return -ENOSPC;
	if (col->n == col->cap) {
		size_t cap = col->cap ? col->cap * 2 : 16;
		struct profile_cell *c = realloc(col->cells, cap * sizeof(*c));
		if (c == NULL)
			return -ENOMEM;
		col->cells = c;
		col->cap = cap;
	}
	col->cells[col->n++] = *cell;
	w->n_cells++;
	return 0;
}

static void profile_walk_feed_ident(struct profile_walk *w, const netsnmp_pdu *reply)
{
	for (const netsnmp_variable_list *vb = reply->variables; vb; vb = vb->next_variable) {
		if (vb->name_length == 9 && vb->name[8] == 0 &&
		    snmp_oidtree_compare(vb->name, vb->name_length, profile_walk_sysdescr, 8) == 0 &&
		    vb->type == ASN_OCTET_STR) {
			size_t n = vb->val_len > PROFILE_WALK_MAX_TEXT ? PROFILE_WALK_MAX_TEXT
				   : vb->val_len;
			memcpy(w->sysdescr, vb->val.string, n);
			w->sysdescr[n] = '\0';
		} else if (vb->name_length == 9 && vb->name[8] == 0 &&
			   snmp_oidtree_compare(vb->name, vb->name_length, profile_walk_sysoid,
						8) == 0 && vb->type == ASN_OBJECT_ID) {
			size_t n = vb->val_len / sizeof(oid);
			if (n > PROFILE_OID_MAX)
				n = PROFILE_OID_MAX;
			for (size_t i = 0; i < n; i++)
				w->sysoid[i] = (uint32_t)vb->val.objid[i];
			w->sysoid_len = n;
		} else if (vb->type != SNMP_ENDOFMIBVIEW && vb->type != SNMP_NOSUCHOBJECT &&
			   vb->type != SNMP_NOSUCHINSTANCE) {
			w->malformed++;
		}
	}
	w->ident_done = 1;
}

int profile_walk_feed(struct profile_walk *w, const netsnmp_pdu *reply)
{
	unsigned char ended[PROFILE_WALK_MAX_COLS] = { 0 };
	int progress = 0;

	w->replies++;
	if (w->phase == PROFILE_WALK_IDENT) {
		profile_walk_feed_ident(w, reply);
		return 0;
	}
	if (w->phase != PROFILE_WALK_COLUMNS || w->n_req == 0)
		return 0;
	size_t j = 0;
	for (const netsnmp_variable_list *vb = reply->variables; vb; vb = vb->next_variable, j++) {
		size_t c = w->req[j % w->n_req];
		struct profile_walk_col *col = &w->cols[c];
		const struct profile_oid *o = col->oid;

		if (ended[c] || col->done)
			continue;
		if (vb->type == SNMP_ENDOFMIBVIEW || vb->type == SNMP_NOSUCHOBJECT ||
		    vb->type == SNMP_NOSUCHINSTANCE || vb->name_length <= o->len) {
			ended[c] = 1;
			continue;
		}
		int inside = 1;
		for (size_t i = 0; i < o->len && inside; i++)
			inside = vb->name[i] == o->sub[i];
		if (!inside) {
			ended[c] = 1;            /* walked past the column */
			continue;
		}
		struct profile_cell cell;
		size_t ilen = vb->name_length - o->len;
		if (ilen > PROFILE_WALK_MAX_INDEX) {
			w->malformed++;          /* an index longer than any table's */
			continue;
		}
		cell.idx.len = (uint8_t)ilen;
		for (size_t i = 0; i < ilen; i++)
			cell.idx.sub[i] = (uint32_t)vb->name[o->len + i];
		if (col->started && profile_index_cmp(&cell.idx, &col->last) <= 0) {
			/* An OID that does not increase: the agent is broken,
			 * and following it could loop. */
			w->malformed++;
			ended[c] = 1;
			continue;
		}
		col->started = 1;
		col->last = cell.idx;
		progress = 1;
		int r = profile_walk_value(vb, &cell);
		if (r == -EPROTO) {
			w->malformed++;
			continue;
		}
		if (r < 0 || profile_walk_append(w, col, &cell) < 0) {
			free(cell.text);
			ended[c] = 1;
		}
	}
	int more = 0;
	for (size_t i = 0; i < w->n_req; i++) {
		size_t c = w->req[i];
		if (ended[c])
			w->cols[c].done = 1;
		progress |= ended[c];
		more |= !w->cols[c].done;
	}
	if (!progress) {
		for (size_t c = 0; c < w->n_cols; c++)
			w->cols[c].done = 1;
		return -EPROTO;
	}
	return more;
}

int profile_walk_column_ended(struct profile_walk *w, long errindex)
{
	if (w->phase == PROFILE_WALK_IDENT) {
		w->ident_done = 1;
		return 0;
	}
	if (errindex < 1 || (size_t)(errindex - 1) >= w->n_req)
		return -EPROTO;
	w->cols[w->req[errindex - 1]].done = 1;
	return 0;
}

size_t profile_walk_lower_bound(const struct profile_walk *w, size_t col,
				const struct profile_index *idx)
{
	if (col >= w->n_cols)
		return 0;
	const struct profile_walk_col *c = &w->cols[col];
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (profile_index_cmp(&c->cells[mid].idx, idx) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct profile_cell *profile_walk_lookup(const struct profile_walk *w, size_t col,
					       const struct profile_index *idx)
{
	if (col >= w->n_cols)
		return NULL;
	const struct profile_walk_col *c = &w->cols[col];
	size_t i = profile_walk_lower_bound(w, col, idx);
	return i < c->n && profile_index_cmp(&c->cells[i].idx, idx) == 0 ? &c->cells[i] : NULL;
}
