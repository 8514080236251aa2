/*
 * optics_walk_bench.c — CPU per value of the profile walk beside the
 * interface walk, without the network and without storage.
 *
 * A 48-port device is simulated in process: each request the walk builds is
 * answered as an agent would (GETNEXT semantics per varbind, up to
 * max-repetitions rows per column, 48 rows per column), so the figures are
 * those of the real reply parsers on the real request pattern:
 *   if_walk       14 ifTable/ifXTable columns x 48 rows (fill + feed)
 *   profile_walk  3 JUNIPER-DOM columns x 48 rows (the snmp_dev extra-walk
 *                 hooks of profile_poll: fill + feed), then
 *   profile apply the same rows into readings (profile_poll_apply: join,
 *                 units to dBm, placeholders, thresholds, model update)
 * Reply construction is outside the timed sections.  Usage:
 *   bench/optics_walk_bench PROFILES_DIR [ROUNDS]
 * bench/optics_bench.sh runs it.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collector/if_walk.h"
#include "collector/model.h"
#include "collector/profile_poll.h"
#include "collector/sink.h"
#include "common/config.h"
#include "common/log.h"

#define PORTS 48

static double bench_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The value an agent would send for column OID NAME (prefix length LEN). */
static void bench_add_value(netsnmp_pdu *r, const oid *name, size_t len, unsigned row)
{
	static const oid ifx[] = { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1 };
	static const oid ift[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1 };
	char s[32];
	long v = -500 - (long)(row * 37 % 1200);
	unsigned long u = row * 1000ul;
	struct counter64 c64 = { 0, (u_long)(row * 123457u) };
	oid col = name[len - 1];

	if (len == 11 && memcmp(name, ifx, sizeof(ifx)) == 0) {
		if (col == 1 || col == 18) {
			snprintf(s, sizeof(s), "Gi0/%u", row);
			snmp_pdu_add_variable(r, name, len + 1, ASN_OCTET_STR, s, strlen(s));
		} else if (col == 6 || col == 7 || col == 10 || col == 11) {
			snmp_pdu_add_variable(r, name, len + 1, ASN_COUNTER64, &c64, sizeof(c64));
		} else {
			snmp_pdu_add_variable(r, name, len + 1, col == 19 ? ASN_TIMETICKS : ASN_GAUGE,
					      &u, sizeof(u));
		}
	} else if (len == 10 && memcmp(name, ift, sizeof(ift)) == 0) {
		long st = 1;
		if (col == 7 || col == 8)
			snmp_pdu_add_variable(r, name, len + 1, ASN_INTEGER, &st, sizeof(st));
		else
			snmp_pdu_add_variable(r, name, len + 1, ASN_COUNTER, &u, sizeof(u));
	} else {
		snmp_pdu_add_variable(r, name, len + 1, ASN_INTEGER, &v, sizeof(v));
	}
}

/*
 * Answer REQ: for each repetition, each varbind's next row (GETNEXT inside
 * its column: PLEN[i] is the column's prefix length, the rows 1..PORTS),
 * endOfMibView past the last row.  NON_REP leading varbinds get one answer.
 */
static netsnmp_pdu *bench_answer(const netsnmp_pdu *req, const size_t *plen)
{
	netsnmp_pdu *r = snmp_pdu_create(SNMP_MSG_RESPONSE);
	const netsnmp_variable_list *vb;
	long reps = req->max_repetitions > 0 ? req->max_repetitions : 1;
	size_t i;

	for (vb = req->variables, i = 0; vb && (long)i < req->non_repeaters; vb = vb->next_variable, i++) {
		u_long t = 4242;
		static const oid up0[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
		snmp_pdu_add_variable(r, up0, OID_LENGTH(up0), ASN_TIMETICKS, &t, sizeof(t));
	}
	const netsnmp_variable_list *first = vb;
	size_t first_i = i;
	for (long k = 0; k < reps; k++) {
		size_t j = first_i;
		for (vb = first; vb; vb = vb->next_variable, j++) {
			oid name[MAX_OID_LEN];
			size_t len = plen[j];
			memcpy(name, vb->name, len * sizeof(oid));
			unsigned row = (vb->name_length > len ? (unsigned)vb->name[len] : 0) + 1 + (unsigned)k;
			if (row > PORTS) {
				snmp_pdu_add_variable(r, vb->name, vb->name_length, SNMP_ENDOFMIBVIEW,
						      NULL, 0);
				continue;
			}
			name[len] = row;
			bench_add_value(r, name, len, row);
		}
	}
	return r;
}

/* Column prefix length of each of REQ's varbinds: ifXTable 11, ifTable
 * 10, anything else (the profile's columns) PROFILE_LEN. */
static void bench_prefixes(const netsnmp_pdu *req, size_t *plen, size_t profile_len)
{
	static const oid ifx[] = { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1 };
	static const oid ift[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1 };
	size_t i = 0;
	for (const netsnmp_variable_list *vb = req->variables; vb; vb = vb->next_variable, i++) {
		if (vb->name_length >= 11 && memcmp(vb->name, ifx, sizeof(ifx)) == 0)
			plen[i] = 11;
		else if (vb->name_length >= 10 && memcmp(vb->name, ift, sizeof(ift)) == 0)
			plen[i] = 10;
		else
			plen[i] = profile_len;
	}
}

static unsigned long bench_values(netsnmp_pdu *const *reps, size_t n)
{
	unsigned long v = 0;
	for (size_t k = 0; k < n; k++)
		for (const netsnmp_variable_list *vb = reps[k]->variables; vb; vb = vb->next_variable)
			v += vb->type != SNMP_ENDOFMIBVIEW && vb->name_length != 9;  /* sysUpTime.0 */
	return v;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s PROFILES_DIR [ROUNDS]\n", argv[0]);
		return 2;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 2000;
	char path[] = "/tmp/optics_walk_bench.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL)
		return 1;
	fprintf(f, "data_dir: /tmp\nprofiles_dir: %s\nsnmp: {version: 2c, community: public}\n"
		"sites:\n  - name: lab\n    kind: other\n    devices:\n"
		"      - {name: sw, address: 127.0.0.1, profile: juniper-dom}\n", argv[1]);
	fclose(f);
	char err[4096];
	log_set_level(LOG_ERR);
	struct serat_config *conf = config_load(path, err, sizeof(err));
	unlink(path);
	if (conf == NULL) {
		fprintf(stderr, "%s", err);
		return 1;
	}
	init_snmp("optics_walk_bench");
	struct model *m = model_new();
	struct sinks *sinks = sinks_new();
	model_reconcile(m, conf);
	struct model_device *md = m->devices[0];
	struct profile_poll *pp = profile_poll_new(conf, &conf->devices[0]);
	struct snmp_extra_walk x;
	profile_poll_extra(pp, &x);
	struct if_walk iw;
	if_walk_init(&iw);

	/* The model knows the 48 interfaces (the interface walk of the same
	 * poll would have filled it), so ifIndex maps to a name. */
	size_t cursor = 0;
	md->generation = 1;
	for (unsigned p = 1; p <= PORTS; p++) {
		char name[16];
		snprintf(name, sizeof(name), "Gi0/%u", p);
		struct model_if *mi = model_device_if(md, name, &cursor);
		mi->ifindex = p;
		mi->seen = 1;
	}

	/* Record the replies of one walk each (the request pattern is the
	 * same every poll), then time walks that feed them: the clock is read
	 * once per walk, not per request. */
	netsnmp_pdu *rep_if[64], *rep_pw[64];
	size_t n_rep_if = 0, n_rep_pw = 0;
	size_t plen[256];
	if_walk_begin(&iw, IF_WALK_HC, 60, 0);
	for (int more = 1; more == 1 && n_rep_if < 64;) {
		netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
		if (if_walk_fill_request(&iw, req) == 0) {
			snmp_free_pdu(req);
			break;
		}
		bench_prefixes(req, plen, 0);
		rep_if[n_rep_if] = bench_answer(req, plen);
		more = if_walk_feed(&iw, rep_if[n_rep_if++], 0);
		snmp_free_pdu(req);
	}
	/* Values: the column varbinds of the replies (not sysUpTime, not the
	 * end-of-view markers), counted the same way for both walks. */
	unsigned long v_if = bench_values(rep_if, n_rep_if), v_pw;
	profile_poll_begin(pp);
	for (int more = 1; more == 1 && n_rep_pw < 64;) {
		netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
		if (x.fill(x.ctx, req, 60) == 0) {
			snmp_free_pdu(req);
			break;
		}
		bench_prefixes(req, plen, 14);   /* JUNIPER-DOM columns */
		rep_pw[n_rep_pw] = bench_answer(req, plen);
		more = x.feed(x.ctx, rep_pw[n_rep_pw++]);
		snmp_free_pdu(req);
	}

	v_pw = bench_values(rep_pw, n_rep_pw);
	double t0 = bench_cpu();
	for (int round = 0; round < rounds; round++) {
		if_walk_begin(&iw, IF_WALK_HC, 60, 0);
		for (size_t k = 0; k < n_rep_if; k++) {
			netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
			if_walk_fill_request(&iw, req);
			snmp_free_pdu(req);
			if_walk_feed(&iw, rep_if[k], 0);
		}
	}
	double t_if = bench_cpu() - t0;
	t0 = bench_cpu();
	for (int round = 0; round < rounds; round++) {
		profile_poll_begin(pp);
		for (size_t k = 0; k < n_rep_pw; k++) {
			netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
			x.fill(x.ctx, req, 60);
			snmp_free_pdu(req);
			x.feed(x.ctx, rep_pw[k]);
		}
	}
	double t_pw = bench_cpu() - t0;
	t0 = bench_cpu();
	for (int round = 0; round < rounds; round++)
		profile_poll_apply(pp, md, sinks, 0);
	double t_apply = bench_cpu() - t0;
	for (size_t k = 0; k < n_rep_if; k++)
		snmp_free_pdu(rep_if[k]);
	for (size_t k = 0; k < n_rep_pw; k++)
		snmp_free_pdu(rep_pw[k]);
	printf("optics_walk_bench: per walk: interface %zu requests, %lu values; "
	       "profile %zu requests, %lu values\n", n_rep_if, v_if, n_rep_pw, v_pw);
	size_t readings = md->n_readings;
	printf("optics_walk_bench: %d rounds of one %d-port device (%zu readings)\n", rounds, PORTS,
	       readings);
	double ns_if = t_if / rounds / (double)v_if * 1e9;
	double ns_pw = t_pw / rounds / (double)v_pw * 1e9;
	printf("  %-40s %9.3f us/poll %8.1f ns/value\n", "interface walk fill+feed",
	       t_if / rounds * 1e6, ns_if);
	printf("  %-40s %9.3f us/poll %8.1f ns/value\n", "profile walk fill+feed (juniper-dom)",
	       t_pw / rounds * 1e6, ns_pw);
	printf("  %-40s %9.3f us/poll %8.1f ns/reading\n", "profile apply (rows to 144 readings)",
	       t_apply / rounds * 1e6, t_apply / rounds / (double)(3 * PORTS) * 1e9);
	printf("  target: profile walk per value <= interface walk per value: %s (%.2fx)\n",
	       ns_pw <= ns_if ? "met" : "MISSED", ns_pw / ns_if);
	if_walk_cleanup(&iw);
	profile_poll_free(pp);
	sinks_free(sinks);
	model_free(m);
	config_free(conf);
	snmp_shutdown("optics_walk_bench");
	return 0;
}
