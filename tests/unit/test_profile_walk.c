/*
 * test_profile_walk.c — the profile walk against hand-built replies: what
 * real agents send (multi-part and string indexes, strings, OIDs, 64-bit
 * counters) and what broken ones do (indexes that go back, foreign OIDs,
 * odd types, endless tables).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "collector/profile_walk.h"

/* Two columns: A = 1.3.6.1.4.1.99.1.1.5, B = 1.3.6.1.4.1.99.1.1.9 */
static struct profile_oid cols[2] = {
	{ { 1, 3, 6, 1, 4, 1, 99, 1, 1, 5 }, 10 },
	{ { 1, 3, 6, 1, 4, 1, 99, 1, 1, 9 }, 10 },
};
static struct profile prof = { .columns = cols, .n_columns = 2 };

static netsnmp_pdu *reply(void)
{
	return snmp_pdu_create(SNMP_MSG_RESPONSE);
}

/* Append column C's varbind at index IDX (N parts). */
static void add(netsnmp_pdu *p, int c, const oid *idx, size_t n, u_char type,
		const void *val, size_t len)
{
	oid name[MAX_OID_LEN];
	for (size_t i = 0; i < cols[c].len; i++)
		name[i] = cols[c].sub[i];
	memcpy(name + cols[c].len, idx, n * sizeof(oid));
	snmp_pdu_add_variable(p, name, cols[c].len + n, type, val, len);
}

static void add_int(netsnmp_pdu *p, int c, oid idx, long v)
{
	add(p, c, &idx, 1, ASN_INTEGER, &v, sizeof(v));
}

static void add_end(netsnmp_pdu *p, int c)
{
	oid idx = 4000000000u;
	add(p, c, &idx, 1, SNMP_ENDOFMIBVIEW, NULL, 0);
}

static int fill(struct profile_walk *w, long *reps)
{
	netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
	int n = profile_walk_fill_request(w, req, 60);
	*reps = req->max_repetitions;
	snmp_free_pdu(req);
	return n;
}

static void test_walk_two_columns(void **state)
{
	(void)state;
	struct profile_walk w;
	long reps;
	profile_walk_init(&w);
	profile_walk_begin(&w, &prof);
	assert_int_equal(fill(&w, &reps), 2);
	assert_int_equal(reps, 30);
	netsnmp_pdu *r = reply();
	add_int(r, 0, 1, -721);
	add(r, 1, (oid[]){ 1 }, 1, ASN_OCTET_STR, "-1104.03", 8);
	add_int(r, 0, 2, 0);
	add(r, 1, (oid[]){ 2 }, 1, ASN_OCTET_STR, "-Inf", 4);
	add_end(r, 0);
	add_end(r, 1);
	assert_int_equal(profile_walk_feed(&w, r), 0);
	snmp_free_pdu(r);
	assert_int_equal(w.cols[0].n, 2);
	assert_int_equal(w.cols[1].n, 2);
	struct profile_index i1 = { { 1 }, 1 };
	const struct profile_cell *c = profile_walk_lookup(&w, 0, &i1);
	assert_non_null(c);
	assert_true(c->num == -721);
	assert_null(c->text);
	c = profile_walk_lookup(&w, 1, &i1);
	assert_string_equal(c->text, "-1104.03");
	struct profile_index i9 = { { 9 }, 1 };
	assert_null(profile_walk_lookup(&w, 0, &i9));
	assert_null(profile_walk_lookup(&w, 7, &i1));
	assert_int_equal(w.malformed, 0);
	assert_int_equal(fill(&w, &reps), 0);
	profile_walk_cleanup(&w);
}

/* UFiber: the index is a length-prefixed serial; values of every type. */
static void test_string_index_and_types(void **state)
{
	(void)state;
	struct profile_walk w;
	long reps;
	profile_walk_init(&w);
	profile_walk_begin(&w, &prof);
	fill(&w, &reps);
	netsnmp_pdu *r = reply();
	oid serial[] = { 4, 'U', 'B', 'N', 'T' };
	long v = -2481;
	add(r, 0, serial, 5, ASN_INTEGER, &v, sizeof(v));
	oid type[] = { 1, 3, 6, 1, 2, 1, 25, 2, 1, 2 };
	add(r, 1, serial, 5, ASN_OBJECT_ID, type, sizeof(type));
	oid serial2[] = { 4, 'U', 'B', 'N', 'U' };
	struct counter64 c64 = { 1, 5 };
	add(r, 0, serial2, 5, ASN_COUNTER64, &c64, sizeof(c64));
	u_long g = 0xfffffffful;
	add(r, 1, serial2, 5, ASN_GAUGE, &g, sizeof(g));
	assert_int_equal(profile_walk_feed(&w, r), 1);
	snmp_free_pdu(r);
	struct profile_index ix = { { 4, 'U', 'B', 'N', 'T' }, 5 };
	assert_true(profile_walk_lookup(&w, 0, &ix)->num == -2481);
	assert_string_equal(profile_walk_lookup(&w, 1, &ix)->text, "1.3.6.1.2.1.25.2.1.2");
	struct profile_index iy = { { 4, 'U', 'B', 'N', 'U' }, 5 };
	assert_true(profile_walk_lookup(&w, 0, &iy)->num == 4294967296.0 + 5);
	assert_true(profile_walk_lookup(&w, 1, &iy)->num == 4294967295.0);
	/* The next request continues after the last index of each column. */
	netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
	assert_int_equal(profile_walk_fill_request(&w, req, 60), 2);
	assert_int_equal(req->variables->name_length, 15);
	assert_int_equal(req->variables->name[14], 'U');
	snmp_free_pdu(req);
	profile_walk_cleanup(&w);
}

static void test_broken_agents(void **state)
{
	(void)state;
	struct profile_walk w;
	long reps;
	profile_walk_init(&w);
	profile_walk_begin(&w, &prof);
	fill(&w, &reps);
	netsnmp_pdu *r = reply();
	add_int(r, 0, 5, 1);
	add_int(r, 1, 5, 1);
	add_int(r, 0, 4, 1);          /* goes back: column A ends, malformed */
	u_char ip[4] = { 127, 0, 0, 1 };
	add(r, 1, (oid[]){ 6 }, 1, ASN_IPADDRESS, ip, 4);   /* odd type: skipped */
	add_int(r, 0, 9, 1);          /* A already ended: ignored */
	oid longidx[PROFILE_WALK_MAX_INDEX + 1] = { 0 };
	long one = 1;
	add(r, 1, longidx, PROFILE_WALK_MAX_INDEX + 1, ASN_INTEGER, &one, sizeof(one));
	assert_int_equal(profile_walk_feed(&w, r), 1);
	snmp_free_pdu(r);
	assert_int_equal(w.cols[0].n, 1);
	assert_true(w.cols[0].done);
	assert_int_equal(w.cols[1].n, 1);
	assert_int_equal(w.malformed, 3);
	/* A reply outside the column ends it; then the walk is over. */
	netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
	assert_int_equal(profile_walk_fill_request(&w, req, 60), 1);
	snmp_free_pdu(req);
	r = reply();
	static const oid other[] = { 1, 3, 6, 1, 4, 1, 99, 1, 1, 10, 1 };
	snmp_pdu_add_variable(r, other, OID_LENGTH(other), ASN_INTEGER, &one, sizeof(one));
	assert_int_equal(profile_walk_feed(&w, r), 0);
	snmp_free_pdu(r);
	/* An empty reply moves nothing: the walk ends with -EPROTO. */
	profile_walk_begin(&w, &prof);
	fill(&w, &reps);
	r = reply();
	assert_int_equal(profile_walk_feed(&w, r), -EPROTO);
	assert_int_equal(fill(&w, &reps), 0);
	snmp_free_pdu(r);
	/* SNMPv1 noSuchName at position 2 ends column B only. */
	profile_walk_begin(&w, &prof);
	fill(&w, &reps);
	assert_int_equal(profile_walk_column_ended(&w, 2), 0);
	assert_int_equal(profile_walk_column_ended(&w, 3), -EPROTO);
	assert_int_equal(profile_walk_column_ended(&w, 0), -EPROTO);
	assert_int_equal(fill(&w, &reps), 1);
	profile_walk_cleanup(&w);
}

/* An agent that never ends a table stops at the cell bound. */
static void test_endless(void **state)
{
	(void)state;
	struct profile_walk w;
	long reps;
	profile_walk_init(&w);
	profile_walk_begin(&w, &prof);
	oid next = 1;
	int rounds = 0, more = 1;
	while (more == 1 && rounds < 10000) {
		fill(&w, &reps);
		netsnmp_pdu *r = reply();
		for (int k = 0; k < 60; k++) {
			add_int(r, 0, next, 1);
			add_int(r, 1, next, 1);
			next++;
		}
		more = profile_walk_feed(&w, r);
		snmp_free_pdu(r);
		rounds++;
	}
	assert_true(rounds < 10000);
	assert_int_equal(w.n_cells, PROFILE_WALK_MAX_CELLS);
	profile_walk_cleanup(&w);
}

static void test_ident(void **state)
{
	(void)state;
	struct profile_walk w;
	long reps;
	profile_walk_init(&w);
	profile_walk_begin_ident(&w);
	netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
	assert_int_equal(profile_walk_fill_request(&w, req, 60), 2);
	assert_int_equal(req->non_repeaters, 2);
	snmp_free_pdu(req);
	netsnmp_pdu *r = reply();
	static const oid descr0[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
	static const oid oid0[] = { 1, 3, 6, 1, 2, 1, 1, 2, 0 };
	static const oid mt[] = { 1, 3, 6, 1, 4, 1, 14988, 1 };
	snmp_pdu_add_variable(r, descr0, 9, ASN_OCTET_STR, "RouterOS RB952", 14);
	snmp_pdu_add_variable(r, oid0, 9, ASN_OBJECT_ID, mt, sizeof(mt));
	assert_int_equal(profile_walk_feed(&w, r), 0);
	snmp_free_pdu(r);
	assert_string_equal(w.sysdescr, "RouterOS RB952");
	assert_int_equal(w.sysoid_len, 8);
	assert_int_equal(w.sysoid[6], 14988);
	assert_int_equal(w.malformed, 0);
	assert_int_equal(fill(&w, &reps), 0);
	/* An agent without them answers past the system group: noted, no crash. */
	profile_walk_begin_ident(&w);
	r = reply();
	static const oid up0[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
	u_long t = 5;
	snmp_pdu_add_variable(r, up0, 9, ASN_TIMETICKS, &t, sizeof(t));
	assert_int_equal(profile_walk_feed(&w, r), 0);
	assert_int_equal(w.malformed, 1);
	assert_string_equal(w.sysdescr, "");
	snmp_free_pdu(r);
	profile_walk_cleanup(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_two_columns),
		cmocka_unit_test(test_string_index_and_types),
		cmocka_unit_test(test_broken_agents),
		cmocka_unit_test(test_endless),
		cmocka_unit_test(test_ident),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
