/*
 * test_if_walk.c — the column-parallel walk against hand-built replies,
 * including the broken ones real agents send.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "collector/if_walk.h"

static const oid sysuptime0[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };

static netsnmp_pdu *reply_new(uint32_t ticks)
{
	netsnmp_pdu *p = snmp_pdu_create(SNMP_MSG_RESPONSE);
	u_long t = ticks;
	snmp_pdu_add_variable(p, sysuptime0, OID_LENGTH(sysuptime0), ASN_TIMETICKS,
			      &t, sizeof(t));
	return p;
}

/* Append column varbind: TABLE 2 = ifTable, 31 = ifXTable. */
static void add_col(netsnmp_pdu *p, int xtable, oid column, oid idx, u_char type,
		    const void *val, size_t len)
{
	oid name[12] = { 1, 3, 6, 1, 2, 1 };
	size_t n;
	if (xtable) {
		oid rest[] = { 31, 1, 1, 1, column, idx };
		memcpy(name + 6, rest, sizeof(rest));
		n = 12;
	} else {
		oid rest[] = { 2, 2, 1, column, idx };
		memcpy(name + 6, rest, sizeof(rest));
		n = 11;
	}
	snmp_pdu_add_variable(p, name, n, type, val, len);
}

static void add_u32(netsnmp_pdu *p, int x, oid col, oid idx, u_char type, u_long v)
{
	add_col(p, x, col, idx, type, &v, sizeof(v));
}

/* ifTable column numbers of the legacy columns. */
static const oid colnum[IF_COL_COUNT] = {
	[IF_COL_DESCR] = 2, [IF_COL_SPEED] = 5, [IF_COL_ADMIN] = 7, [IF_COL_OPER] = 8,
	[IF_COL_IN_OCT] = 10, [IF_COL_IN_PKT] = 11, [IF_COL_IN_DISC] = 13,
	[IF_COL_IN_ERR] = 14, [IF_COL_OUT_OCT] = 16, [IF_COL_OUT_PKT] = 17,
	[IF_COL_OUT_DISC] = 19, [IF_COL_OUT_ERR] = 20,
};

/* Feed one reply that answers a legacy-mode request row by row for the
 * given indexes (every column, in request order). */
static netsnmp_pdu *legacy_rows(struct if_walk *w, const oid *idx, size_t n, uint32_t ticks)
{
	netsnmp_pdu *p = reply_new(ticks);
	for (size_t r = 0; r < n; r++) {
		for (size_t c = 0; c < w->n_req; c++) {
			enum if_col col = w->req[c];
			if (col == IF_COL_DESCR)
				add_col(p, 0, 2, idx[r], ASN_OCTET_STR, "eth", 3);
			else if (col == IF_COL_SPEED)
				add_u32(p, 0, 5, idx[r], ASN_GAUGE, 100000000);
			else if (col == IF_COL_ADMIN || col == IF_COL_OPER)
				add_u32(p, 0, colnum[col], idx[r], ASN_INTEGER, 1);
			else
				add_u32(p, 0, colnum[col], idx[r], ASN_COUNTER, 1000 * idx[r] + col);
		}
	}
	return p;
}

/* Begin a walk of MODE and build (and drop) its first request, so W knows
 * which columns the next reply answers. */
static void walk_start(struct if_walk *w, enum if_walk_mode mode, unsigned max_vb, int cmd)
{
	if_walk_init(w);
	if_walk_begin(w, mode, max_vb, 0);
	netsnmp_pdu *req = snmp_pdu_create(cmd);
	if_walk_fill_request(w, req);
	snmp_free_pdu(req);
}

static void test_bulk_request_shape(void **state)
{
	struct if_walk w;
	if_walk_init(&w);
	if_walk_begin(&w, IF_WALK_HC, 60, 0);
	netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
	int n = if_walk_fill_request(&w, req);
	assert_int_equal(n, 14);
	assert_int_equal(req->non_repeaters, 1);
	assert_int_equal(req->max_repetitions, 59 / 14);
	size_t count = 0;
	for (netsnmp_variable_list *v = req->variables; v; v = v->next_variable)
		count++;
	assert_int_equal(count, 15);
	snmp_free_pdu(req);
	if_walk_cleanup(&w);
}

static void test_legacy_walk_to_end(void **state)
{
	struct if_walk w;
	if_walk_init(&w);
	if_walk_begin(&w, IF_WALK_LEGACY, 100, 0);
	netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
	assert_int_equal(if_walk_fill_request(&w, req), 12);
	snmp_free_pdu(req);

	const oid idx[] = { 1, 2, 5 };
	netsnmp_pdu *rep = legacy_rows(&w, idx, 3, 500);
	assert_int_equal(if_walk_feed(&w, rep, 1.0), 1);
	snmp_free_pdu(rep);
	assert_int_equal(w.n_rows, 3);
	assert_int_equal(w.rows[2].ifindex, 5);
	assert_int_equal(w.rows[2].val[IF_COL_IN_OCT], 5000 + IF_COL_IN_OCT);
	assert_string_equal(w.rows[0].descr, "eth");
	assert_int_equal(w.rows[0].ticks, 500);
	assert_true(w.rows[0].have_ticks);

	/* Next request continues after index 5 in every column. */
	req = snmp_pdu_create(SNMP_MSG_GETBULK);
	assert_int_equal(if_walk_fill_request(&w, req), 12);
	netsnmp_variable_list *v = req->variables->next_variable;
	assert_int_equal(v->name_length, 11);
	assert_int_equal(v->name[10], 5);
	snmp_free_pdu(req);

	/* Every column ends: endOfMibView. */
	rep = reply_new(600);
	for (size_t c = 0; c < w.n_req; c++)
		add_col(rep, 0, 2, 1, SNMP_ENDOFMIBVIEW, NULL, 0);
	assert_int_equal(if_walk_feed(&w, rep, 2.0), 0);
	snmp_free_pdu(rep);
	assert_int_equal(w.malformed, 0);
	req = snmp_pdu_create(SNMP_MSG_GETBULK);
	assert_int_equal(if_walk_fill_request(&w, req), 0);
	snmp_free_pdu(req);
	if_walk_cleanup(&w);
}

static void test_walk_past_column_ends_it(void **state)
{
	struct if_walk w;
	walk_start(&w, IF_WALK_HC, 100, SNMP_MSG_GETBULK);
	/* First column (ifName) answers with the next column's OID: ended.
	 * All others answer from another table: ended too. */
	netsnmp_pdu *rep = reply_new(1);
	add_col(rep, 1, 2, 1, ASN_OCTET_STR, "x", 1);
	for (size_t c = 1; c < w.n_req; c++)
		add_u32(rep, 0, 99, 1, ASN_INTEGER, 0);
	assert_int_equal(if_walk_feed(&w, rep, 1.0), 0);
	snmp_free_pdu(rep);
	assert_int_equal(w.n_rows, 0);
	assert_false(if_walk_has_column(&w, IF_COL_NAME));
	if_walk_cleanup(&w);
}

static void test_out_of_order_and_wrong_type(void **state)
{
	struct if_walk w;
	if_walk_init(&w);
	if_walk_begin(&w, IF_WALK_LEGACY, 13, 0);   /* one row per reply */
	netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
	if_walk_fill_request(&w, req);
	assert_int_equal(req->max_repetitions, 1);
	snmp_free_pdu(req);
	const oid idx7[] = { 7 };
	netsnmp_pdu *rep = legacy_rows(&w, idx7, 1, 10);
	assert_int_equal(if_walk_feed(&w, rep, 1.0), 1);
	snmp_free_pdu(rep);

	/* Now the agent goes backwards (index 3) in every column but
	 * ifInOctets, which sends a string where a Counter32 belongs. */
	rep = reply_new(11);
	for (size_t c = 0; c < w.n_req; c++) {
		if (w.req[c] == IF_COL_IN_OCT)
			add_col(rep, 0, 10, 8, ASN_OCTET_STR, "zz", 2);
		else
			add_u32(rep, 0, colnum[w.req[c]], 3, ASN_INTEGER, 0);
	}
	int r = if_walk_feed(&w, rep, 2.0);
	snmp_free_pdu(rep);
	assert_int_equal(r, 1);              /* ifInOctets still walks */
	assert_int_equal(w.malformed, 12);   /* 11 out of order + 1 bad type */
	assert_int_equal(w.n_rows, 2);       /* row 8 exists, value absent */
	assert_false(w.rows[1].present & (1u << IF_COL_IN_OCT));
	if_walk_cleanup(&w);
}

static void test_no_progress_ends_walk(void **state)
{
	struct if_walk w;
	walk_start(&w, IF_WALK_LEGACY, 100, SNMP_MSG_GETBULK);
	netsnmp_pdu *rep = reply_new(1);   /* only sysUpTime: nothing moves */
	assert_int_equal(if_walk_feed(&w, rep, 1.0), -EPROTO);
	snmp_free_pdu(rep);
	netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
	assert_int_equal(if_walk_fill_request(&w, req), 0);
	snmp_free_pdu(req);
	if_walk_cleanup(&w);
}

static void test_v1_nosuchname_drops_column(void **state)
{
	struct if_walk w;
	if_walk_init(&w);
	if_walk_begin(&w, IF_WALK_LEGACY, 100, 0);
	netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETNEXT);
	assert_int_equal(if_walk_fill_request(&w, req), 12);
	snmp_free_pdu(req);
	assert_int_equal(if_walk_column_ended(&w, 2), 0);   /* ifDescr */
	assert_int_equal(if_walk_column_ended(&w, 1), -EPROTO);
	assert_int_equal(if_walk_column_ended(&w, 14), -EPROTO);
	req = snmp_pdu_create(SNMP_MSG_GETNEXT);
	assert_int_equal(if_walk_fill_request(&w, req), 11);
	snmp_free_pdu(req);
	if_walk_cleanup(&w);
}

static void test_counter64_and_names(void **state)
{
	struct if_walk w;
	walk_start(&w, IF_WALK_HC, 100, SNMP_MSG_GETBULK);
	netsnmp_pdu *rep = reply_new(42);
	struct counter64 c64 = { .high = 2, .low = 5 };
	for (size_t c = 0; c < w.n_req; c++) {
		enum if_col col = w.req[c];
		if (col == IF_COL_NAME)
			add_col(rep, 1, 1, 3, ASN_OCTET_STR, "Gi0/3", 5);
		else if (col == IF_COL_HC_IN_OCT)
			add_col(rep, 1, 6, 3, ASN_COUNTER64, &c64, sizeof(c64));
		else
			add_col(rep, 1, 99, 3, SNMP_ENDOFMIBVIEW, NULL, 0);
	}
	assert_int_equal(if_walk_feed(&w, rep, 1.0), 1);
	snmp_free_pdu(rep);
	assert_int_equal(w.n_rows, 1);
	assert_string_equal(w.rows[0].name, "Gi0/3");
	assert_true(w.rows[0].val[IF_COL_HC_IN_OCT] == ((2ull << 32) | 5));
	assert_true(if_walk_has_column(&w, IF_COL_HC_IN_OCT));
	if_walk_cleanup(&w);
}

/* A row built by hand, for the pure post-processing steps. */
static struct if_row *add_row(struct if_walk *w, uint32_t ifindex, const char *name,
			      const char *descr, uint32_t present)
{
	w->rows = realloc(w->rows, (w->n_rows + 1) * sizeof(*w->rows));
	assert_non_null(w->rows);
	w->cap_rows = w->n_rows + 1;
	struct if_row *r = &w->rows[w->n_rows++];
	memset(r, 0, sizeof(*r));
	r->ifindex = ifindex;
	r->name = name ? strdup(name) : NULL;
	r->descr = descr ? strdup(descr) : NULL;
	r->present = present;
	return r;
}

#define HC_OCT ((1u << IF_COL_HC_IN_OCT) | (1u << IF_COL_HC_OUT_OCT))

static void test_duplicate_names_get_identities(void **state)
{
	struct if_walk w;
	struct if_walk_names out;
	if_walk_init(&w);
	add_row(&w, 3, "eth0", NULL, HC_OCT);
	add_row(&w, 5, "Gi0/1", NULL, HC_OCT);
	add_row(&w, 7, "eth0", NULL, HC_OCT);
	add_row(&w, 9, "eth0", "other", HC_OCT);
	assert_int_equal(if_walk_name_rows(&w, &out), 0);
	assert_string_equal(w.rows[0].name, "eth0#ifIndex.3");
	assert_string_equal(w.rows[1].name, "Gi0/1");
	assert_string_equal(w.rows[2].name, "eth0#ifIndex.7");
	assert_string_equal(w.rows[3].name, "eth0#ifIndex.9");
	assert_int_equal(out.duplicates, 3);
	assert_int_equal(out.unnamed, 0);
	assert_string_equal(out.first_duplicate, "eth0");
	if_walk_cleanup(&w);

	/* Deterministic: the same rows in another order give the same
	 * identities per ifIndex (a poll after a restart). */
	if_walk_init(&w);
	add_row(&w, 9, "eth0", NULL, HC_OCT);
	add_row(&w, 3, "eth0", NULL, HC_OCT);
	assert_int_equal(if_walk_name_rows(&w, NULL), 0);
	assert_string_equal(w.rows[0].name, "eth0#ifIndex.9");
	assert_string_equal(w.rows[1].name, "eth0#ifIndex.3");
	if_walk_cleanup(&w);
}

static void test_unnamed_rows(void **state)
{
	struct if_walk w;
	struct if_walk_names out;
	if_walk_init(&w);
	add_row(&w, 54, NULL, NULL, HC_OCT);                   /* counters, no name */
	add_row(&w, 55, "", "", 1u << IF_COL_IN_ERR);          /* 32-bit errors only */
	add_row(&w, 56, "", "ge-0/0/1", HC_OCT);               /* ifDescr fallback */
	add_row(&w, 57, NULL, NULL, 1u << IF_COL_OPER);        /* no counter: skipped */
	assert_int_equal(if_walk_name_rows(&w, &out), 0);
	assert_string_equal(w.rows[0].name, "ifIndex.54");
	assert_string_equal(w.rows[1].name, "ifIndex.55");
	assert_string_equal(w.rows[2].name, "ge-0/0/1");
	assert_null(w.rows[3].name);
	assert_int_equal(out.unnamed, 2);
	assert_int_equal(out.duplicates, 0);
	if_walk_cleanup(&w);
}

static void test_embedded_nul_names(void **state)
{
	struct if_walk w;
	walk_start(&w, IF_WALK_HC, 100, SNMP_MSG_GETBULK);
	netsnmp_pdu *rep = reply_new(42);
	/* Two names that differ only after a NUL, one with trailing NULs and
	 * a backslash: all in one column, three rows. */
	static const struct { const char *s; size_t len; } names[] = {
		{ "eth0\0a", 6 }, { "eth0\0b\\", 7 }, { "eth1\0\0\0", 7 },
	};
	for (oid i = 0; i < 3; i++) {
		add_col(rep, 1, 1, i + 1, ASN_OCTET_STR, names[i].s, names[i].len);
		for (size_t c = 1; c < w.n_req; c++)
			add_col(rep, 1, 99, 1, SNMP_ENDOFMIBVIEW, NULL, 0);
	}
	assert_int_equal(if_walk_feed(&w, rep, 1.0), 1);
	snmp_free_pdu(rep);
	assert_int_equal(w.n_rows, 3);
	assert_string_equal(w.rows[0].name, "eth0\\x00a");
	assert_string_equal(w.rows[1].name, "eth0\\x00b\\\\");
	assert_string_equal(w.rows[2].name, "eth1");
	assert_int_equal(w.malformed, 0);
	if_walk_cleanup(&w);
}

static void test_only_sysuptime0_is_uptime(void **state)
{
	struct if_walk w;
	walk_start(&w, IF_WALK_LEGACY, 100, SNMP_MSG_GETBULK);
	/* An agent without sysUpTime answers the non-repeater with the next
	 * object: sysORLastChange.0, a TimeTicks too. */
	static const oid orlastchange[] = { 1, 3, 6, 1, 2, 1, 1, 8, 0 };
	netsnmp_pdu *rep = snmp_pdu_create(SNMP_MSG_RESPONSE);
	u_long t = 777;
	snmp_pdu_add_variable(rep, orlastchange, OID_LENGTH(orlastchange), ASN_TIMETICKS,
			      &t, sizeof(t));
	for (size_t c = 0; c < w.n_req; c++)
		add_u32(rep, 0, colnum[w.req[c]], 1,
			w.req[c] >= IF_COL_IN_OCT ? ASN_COUNTER : ASN_INTEGER, 1);
	assert_int_equal(if_walk_feed(&w, rep, 1.0), 1);
	snmp_free_pdu(rep);
	assert_false(w.have_uptime);
	assert_true(w.no_uptime);
	assert_false(w.rows[0].have_ticks);
	/* Only the string column was malformed (a number as ifDescr), not
	 * the missing sysUpTime. */
	assert_int_equal(w.malformed, 1);
	assert_string_equal(w.malformed_what, "ifDescr as INTEGER");
	if_walk_cleanup(&w);

	/* An answer that goes back (sysDescr.0, before sysUpTime) is broken,
	 * not a missing sysUpTime. */
	static const oid sysdescr[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
	walk_start(&w, IF_WALK_LEGACY, 100, SNMP_MSG_GETBULK);
	rep = snmp_pdu_create(SNMP_MSG_RESPONSE);
	snmp_pdu_add_variable(rep, sysdescr, OID_LENGTH(sysdescr), ASN_OCTET_STR, "x", 1);
	for (size_t c = 0; c < w.n_req; c++)
		add_col(rep, 0, 2, 1, SNMP_ENDOFMIBVIEW, NULL, 0);
	if_walk_feed(&w, rep, 1.0);
	snmp_free_pdu(rep);
	assert_int_equal(w.malformed, 1);
	assert_false(w.no_uptime);
	assert_string_equal(w.malformed_what, "sysUpTime answered with a wrong OID");
	if_walk_cleanup(&w);

	walk_start(&w, IF_WALK_LEGACY, 100, SNMP_MSG_GETBULK);
	rep = reply_new(1234);
	for (size_t c = 0; c < w.n_req; c++)
		add_col(rep, 0, 2, 1, SNMP_ENDOFMIBVIEW, NULL, 0);
	if_walk_feed(&w, rep, 1.0);
	snmp_free_pdu(rep);
	assert_true(w.have_uptime);
	assert_int_equal(w.uptime_ticks, 1234);
	assert_false(w.no_uptime);
	if_walk_cleanup(&w);
}

static void test_malformed_names_column_and_type(void **state)
{
	struct if_walk w;
	walk_start(&w, IF_WALK_LEGACY, 100, SNMP_MSG_GETBULK);
	netsnmp_pdu *rep = reply_new(5);
	for (size_t c = 0; c < w.n_req; c++) {
		if (w.req[c] == IF_COL_SPEED)
			add_col(rep, 0, 5, 1, ASN_OCTET_STR, "1G", 2);
		else
			add_col(rep, 0, 2, 1, SNMP_ENDOFMIBVIEW, NULL, 0);
	}
	if_walk_feed(&w, rep, 1.0);
	snmp_free_pdu(rep);
	assert_int_equal(w.malformed, 1);
	assert_string_equal(w.malformed_what, "ifSpeed as OCTET STRING");
	if_walk_cleanup(&w);
}

static void test_counter_fallback_per_counter(void **state)
{
	struct if_walk w;
	uint64_t v;
	unsigned width;
	if_walk_init(&w);
	struct if_row *r = add_row(&w, 1, "eth0", NULL,
				   (1u << IF_COL_HC_IN_OCT) | (1u << IF_COL_OUT_OCT) |
				   (1u << IF_COL_IN_PKT) | (1u << IF_COL_IN_ERR));
	r->val[IF_COL_HC_IN_OCT] = 1ull << 40;
	r->val[IF_COL_OUT_OCT] = 77;
	r->val[IF_COL_IN_PKT] = 5;
	r->val[IF_COL_IN_ERR] = 3;
	assert_int_equal(if_row_counter(r, IF_CTR_IN_OCT, &v, &width), 0);
	assert_true(v == 1ull << 40 && width == 64);
	assert_int_equal(if_row_counter(r, IF_CTR_OUT_OCT, &v, &width), 0);
	assert_true(v == 77 && width == 32);
	assert_int_equal(if_row_counter(r, IF_CTR_IN_PKT, &v, &width), 0);
	assert_true(v == 5 && width == 32);
	assert_int_equal(if_row_counter(r, IF_CTR_OUT_PKT, &v, &width), -ENOENT);
	assert_int_equal(if_row_counter(r, IF_CTR_IN_ERR, &v, &width), 0);
	assert_true(v == 3 && width == 32);
	assert_true(if_row_lacks_hc(r));
	r->present |= (1u << IF_COL_HC_OUT_OCT) | (1u << IF_COL_HC_IN_PKT) |
		      (1u << IF_COL_HC_OUT_PKT);
	assert_false(if_row_lacks_hc(r));
	if_walk_cleanup(&w);

	/* With the flag, an HC walk asks for the 32-bit columns too. */
	if_walk_init(&w);
	if_walk_begin(&w, IF_WALK_HC, 100, IF_WALK_WITH_COUNTERS32 | IF_WALK_WITH_DESCR);
	assert_int_equal(w.n_cols, 14 + 1 + 4);
	if_walk_cleanup(&w);
}

static void test_row_cap_is_reported(void **state)
{
	struct if_walk w;
	if_walk_init(&w);
	if_walk_begin(&w, IF_WALK_LEGACY, 100, 0);
	netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETNEXT);
	if_walk_fill_request(&w, req);
	snmp_free_pdu(req);
	/* Leave only ifDescr (v1 noSuchName ends the others). */
	while (w.n_req > 1) {
		assert_int_equal(if_walk_column_ended(&w, 3), 0);
		req = snmp_pdu_create(SNMP_MSG_GETNEXT);
		if_walk_fill_request(&w, req);
		snmp_free_pdu(req);
	}
	netsnmp_pdu *rep = reply_new(1);
	for (oid i = 1; i <= IF_WALK_MAX_ROWS + 2; i++)
		add_col(rep, 0, 2, i, ASN_OCTET_STR, "x", 1);
	if_walk_feed(&w, rep, 1.0);
	snmp_free_pdu(rep);
	assert_int_equal(w.n_rows, IF_WALK_MAX_ROWS);
	assert_true(w.truncated);
	if_walk_cleanup(&w);
}

int main(void)
{
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bulk_request_shape),
		cmocka_unit_test(test_legacy_walk_to_end),
		cmocka_unit_test(test_walk_past_column_ends_it),
		cmocka_unit_test(test_out_of_order_and_wrong_type),
		cmocka_unit_test(test_no_progress_ends_walk),
		cmocka_unit_test(test_v1_nosuchname_drops_column),
		cmocka_unit_test(test_counter64_and_names),
		cmocka_unit_test(test_duplicate_names_get_identities),
		cmocka_unit_test(test_unnamed_rows),
		cmocka_unit_test(test_embedded_nul_names),
		cmocka_unit_test(test_only_sysuptime0_is_uptime),
		cmocka_unit_test(test_malformed_names_column_and_type),
		cmocka_unit_test(test_counter_fallback_per_counter),
		cmocka_unit_test(test_row_cap_is_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
