/*
 * test_profile_poll.c — rows to readings without an agent: a profile loaded
 * through config_load, its walk fed with hand-built replies through the
 * snmp_dev extra-walk hooks, then profile_poll_apply into a real model,
 * with a sink that records the sample sets.  Covers what the recordings do
 * not all show: ENTITY-MIB containment to an alias mapping and to an
 * abbreviated name, a port pattern, string indexes, row filters with
 * percent_of and aggregates, placeholders, the three threshold sources
 * and what a failed poll emits.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "collector/model.h"
#include "collector/profile_poll.h"
#include "collector/sink.h"
#include "common/config.h"
#include "common/log.h"
#include "common/optics.h"

static char dir[64];

/* Profile "t": Cisco-like sensors by entity, a name-pattern port, ONUs by
 * string index, and a filtered device aggregate. */
static const char profile_yaml[] =
	"name: t\nvendor: cisco\nmetrics:\n"
	"  - {metric: if.rx_power_dbm, value: 1.3.6.1.4.1.99.1.4, unit: dBm, precision: 1,\n"
	"     status: 1.3.6.1.4.1.99.1.5, port: entity, name: 1.3.6.1.2.1.47.1.1.1.1.7,\n"
	"     name_match: \"*Rx*\", thresholds: {low_alarm: 1.3.6.1.4.1.99.1.9, high_warn: -1}}\n"
	"  - {metric: if.tx_power_dbm, value: 1.3.6.1.4.1.99.2.4, unit: 0.001 dBm, port: name,\n"
	"     name: 1.3.6.1.4.1.99.2.2, port_pattern: \"^port ([a-z0-9]+)$\"}\n"
	"  - {metric: onu.rx_power_dbm, value: 1.3.6.1.4.1.99.3.9, unit: 0.01 dBm, port: string}\n"
	"  - {metric: device.disk_pct, value: 1.3.6.1.4.1.99.4.6, percent_of: 1.3.6.1.4.1.99.4.5,\n"
	"     where: {column: 1.3.6.1.4.1.99.4.2, equals: \"1.3.6.1.2.1.25.2.1.4\"},\n"
	"     unit: percent, port: device, aggregate: max}\n";

struct cell {
	const char *col;          /* column OID */
	oid idx[8];
	size_t idx_len;
	u_char type;
	long num;
	const char *text;         /* strings and OIDs (dotted) */
};

/* The agent's tables. */
static const struct cell cells[] = {
	/* entPhysicalContainedIn .4 and entPhysicalName .7 */
	{ "1.3.6.1.2.1.47.1.1.1.1.4", { 10 }, 1, ASN_INTEGER, 0, NULL },
	{ "1.3.6.1.2.1.47.1.1.1.1.4", { 11 }, 1, ASN_INTEGER, 10, NULL },
	{ "1.3.6.1.2.1.47.1.1.1.1.4", { 20 }, 1, ASN_INTEGER, 0, NULL },
	{ "1.3.6.1.2.1.47.1.1.1.1.4", { 21 }, 1, ASN_INTEGER, 20, NULL },
	{ "1.3.6.1.2.1.47.1.1.1.1.4", { 31 }, 1, ASN_INTEGER, 0, NULL },
	{ "1.3.6.1.2.1.47.1.1.1.1.7", { 10 }, 1, ASN_OCTET_STR, 0, "port ten" },
	{ "1.3.6.1.2.1.47.1.1.1.1.7", { 11 }, 1, ASN_OCTET_STR, 0, "Gi1/1 Rx Power Sensor" },
	{ "1.3.6.1.2.1.47.1.1.1.1.7", { 20 }, 1, ASN_OCTET_STR, 0, "GigabitEthernet1/2" },
	{ "1.3.6.1.2.1.47.1.1.1.1.7", { 21 }, 1, ASN_OCTET_STR, 0, "FS  Rx Power Sensor 1/2" },
	{ "1.3.6.1.2.1.47.1.1.1.1.7", { 31 }, 1, ASN_OCTET_STR, 0, "orphan Rx sensor" },
	/* entAliasMappingIdentifier: entity 10 is ifIndex 1 */
	{ "1.3.6.1.2.1.47.1.3.2.1.2", { 10, 0 }, 2, ASN_OBJECT_ID, 0, "1.3.6.1.2.1.2.2.1.1.1" },
	/* rx sensors: value .4 (precision 1), status .5, low alarm .9 */
	{ "1.3.6.1.4.1.99.1.4", { 11 }, 1, ASN_INTEGER, -47, NULL },
	{ "1.3.6.1.4.1.99.1.4", { 21 }, 1, ASN_INTEGER, -400, NULL },   /* dark Cisco */
	{ "1.3.6.1.4.1.99.1.4", { 31 }, 1, ASN_INTEGER, -62, NULL },
	{ "1.3.6.1.4.1.99.1.5", { 11 }, 1, ASN_INTEGER, 1, NULL },
	{ "1.3.6.1.4.1.99.1.5", { 21 }, 1, ASN_INTEGER, 1, NULL },
	{ "1.3.6.1.4.1.99.1.5", { 31 }, 1, ASN_INTEGER, 2, NULL },      /* unavailable */
	{ "1.3.6.1.4.1.99.1.9", { 11 }, 1, ASN_INTEGER, -190, NULL },
	{ "1.3.6.1.4.1.99.1.9", { 21 }, 1, ASN_INTEGER, -1, NULL },     /* placeholder */
	/* tx by name: "port xe1" in 0.001 dBm */
	{ "1.3.6.1.4.1.99.2.2", { 7 }, 1, ASN_OCTET_STR, 0, "port xe1" },
	{ "1.3.6.1.4.1.99.2.4", { 7 }, 1, ASN_INTEGER, -2150, NULL },
	/* ONUs by serial (length-prefixed) */
	{ "1.3.6.1.4.1.99.3.9", { 3, 'A', 'B', 'C' }, 4, ASN_INTEGER, -2481, NULL },
	{ "1.3.6.1.4.1.99.3.9", { 3, 'A', 'B', 'D' }, 4, ASN_INTEGER, 65535, NULL },
	/* storage: type .2, size .5, used .6; rows 1 (RAM), 2 and 3 (disks) */
	{ "1.3.6.1.4.1.99.4.2", { 1 }, 1, ASN_OBJECT_ID, 0, "1.3.6.1.2.1.25.2.1.2" },
	{ "1.3.6.1.4.1.99.4.2", { 2 }, 1, ASN_OBJECT_ID, 0, "1.3.6.1.2.1.25.2.1.4" },
	{ "1.3.6.1.4.1.99.4.2", { 3 }, 1, ASN_OBJECT_ID, 0, "1.3.6.1.2.1.25.2.1.4" },
	{ "1.3.6.1.4.1.99.4.5", { 1 }, 1, ASN_INTEGER, 100, NULL },
	{ "1.3.6.1.4.1.99.4.5", { 2 }, 1, ASN_INTEGER, 200, NULL },
	{ "1.3.6.1.4.1.99.4.5", { 3 }, 1, ASN_INTEGER, 400, NULL },
	{ "1.3.6.1.4.1.99.4.6", { 1 }, 1, ASN_INTEGER, 99, NULL },
	{ "1.3.6.1.4.1.99.4.6", { 2 }, 1, ASN_INTEGER, 50, NULL },
	{ "1.3.6.1.4.1.99.4.6", { 3 }, 1, ASN_INTEGER, 300, NULL },
};

static void add_cell(netsnmp_pdu *r, const struct cell *c)
{
	oid name[MAX_OID_LEN], val[MAX_OID_LEN];
	size_t len = MAX_OID_LEN, vlen = MAX_OID_LEN;
	read_objid(c->col, name, &len);
	memcpy(name + len, c->idx, c->idx_len * sizeof(oid));
	if (c->type == ASN_OCTET_STR) {
		snmp_pdu_add_variable(r, name, len + c->idx_len, ASN_OCTET_STR, c->text,
				      strlen(c->text));
	} else if (c->type == ASN_OBJECT_ID) {
		read_objid(c->text, val, &vlen);
		snmp_pdu_add_variable(r, name, len + c->idx_len, ASN_OBJECT_ID, val,
				      vlen * sizeof(oid));
	} else {
		snmp_pdu_add_variable(r, name, len + c->idx_len, ASN_INTEGER, &c->num, sizeof(long));
	}
}

/* Answer REQ as an agent: per repetition, each asked column's next row. */
static netsnmp_pdu *answer(const netsnmp_pdu *req)
{
	netsnmp_pdu *r = snmp_pdu_create(SNMP_MSG_RESPONSE);
	for (long k = 0; k < req->max_repetitions; k++) {
		for (const netsnmp_variable_list *vb = req->variables; vb; vb = vb->next_variable) {
			/* the k-th cell after the asked OID in its column */
			long seen = 0;
			const struct cell *hit = NULL;
			for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]) && !hit; i++) {
				oid name[MAX_OID_LEN];
				size_t len = MAX_OID_LEN;
				read_objid(cells[i].col, name, &len);
				if (vb->name_length < len ||
				    snmp_oid_compare(vb->name, len, name, len) != 0)
					continue;
				memcpy(name + len, cells[i].idx, cells[i].idx_len * sizeof(oid));
				if (snmp_oid_compare(name, len + cells[i].idx_len, vb->name,
						     vb->name_length) > 0 && seen++ == k)
					hit = &cells[i];
			}
			if (hit)
				add_cell(r, hit);
			else
				snmp_pdu_add_variable(r, vb->name, vb->name_length, SNMP_ENDOFMIBVIEW,
						      NULL, 0);
		}
	}
	return r;
}

/* The recording sink. */
struct tap {
	int sets;
	double tx_xe1, onu_abc, onu_abd, disk;
	int tx_sets_unknown;
};

static void tap_sample(void *ctx, const struct sample_set *s)
{
	struct tap *t = ctx;
	t->sets++;
	for (size_t i = 0; i < s->n; i++) {
		if (s->metrics[i] == METRIC_IF_TX_POWER_DBM && s->name && strcmp(s->name, "xe1") == 0) {
			t->tx_xe1 = s->values[i];
			t->tx_sets_unknown += isnan(s->values[i]);
		}
		if (s->metrics[i] == METRIC_ONU_RX_POWER_DBM && strcmp(s->name, "ABC") == 0)
			t->onu_abc = s->values[i];
		if (s->metrics[i] == METRIC_ONU_RX_POWER_DBM && strcmp(s->name, "ABD") == 0)
			t->onu_abd = s->values[i];
		if (s->metrics[i] == METRIC_DEVICE_DISK_PCT)
			t->disk = s->values[i];
	}
}

static void tap_free(void *ctx)
{
	free(ctx);
}

static const struct sink_ops tap_ops = { .name = "tap", .sample = tap_sample, .free = tap_free };

static const struct model_reading *reading(const struct model_device *d, const char *name,
					   enum metric_id id)
{
	for (size_t i = 0; i < d->n_readings; i++) {
		const struct model_reading *r = &d->readings[i];
		if (r->metric == id && ((!name && !r->name) || (name && r->name && !strcmp(name, r->name))))
			return r;
	}
	return NULL;
}

static void test_apply(void **state)
{
	(void)state;
	char path[256], err[4096];
	snprintf(path, sizeof(path), "%s/p", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/p/t.yaml", dir);
	FILE *f = fopen(path, "w");
	fputs(profile_yaml, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/serat.yaml", dir);
	f = fopen(path, "w");
	fprintf(f, "data_dir: %s\nprofiles_dir: p\nsnmp: {version: 2c, community: c}\n"
		"sites:\n  - name: s\n    kind: other\n    devices:\n"
		"      - {name: sw, address: 127.0.0.1, profile: t,\n"
		"         optics_thresholds: {rx_low_warn: -15}}\n", dir);
	fclose(f);
	struct serat_config *conf = config_load(path, err, sizeof(err));
	if (conf == NULL)
		fail_msg("%s", err);

	struct model *m = model_new();
	assert_int_equal(model_reconcile(m, conf), 0);
	struct model_device *d = m->devices[0];
	d->generation = 1;
	size_t cur = 0;
	const char *ifs[] = { "Gi1/1", "Gi1/2" };
	for (unsigned i = 0; i < 2; i++) {
		struct model_if *mi = model_device_if(d, ifs[i], &cur);
		mi->ifindex = i + 1;
		mi->seen = 1;
		mi->oper = 1;
	}
	struct sinks *sinks = sinks_new();
	struct tap *tap = calloc(1, sizeof(*tap));
	assert_int_equal(sinks_add(sinks, &tap_ops, tap), 0);

	struct profile_poll *pp = profile_poll_new(conf, &conf->devices[0]);
	struct snmp_extra_walk x;
	profile_poll_extra(pp, &x);
	profile_poll_begin(pp);
	int more = 1, rounds = 0;
	while (more == 1 && rounds++ < 50) {
		netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
		if (x.fill(x.ctx, req, 30) == 0) {
			snmp_free_pdu(req);
			break;
		}
		netsnmp_pdu *rep = answer(req);
		more = x.feed(x.ctx, rep);
		snmp_free_pdu(req);
		snmp_free_pdu(rep);
	}
	assert_true(rounds < 50);
	profile_poll_apply(pp, d, sinks, 1000);
	assert_string_equal(d->profile, "t");
	assert_int_equal(d->malformed, 0);

	/* entity 11 -> contained in 10 -> alias ifIndex 1 -> Gi1/1 */
	const struct model_reading *r = reading(d, "Gi1/1", METRIC_IF_RX_POWER_DBM);
	assert_non_null(r);
	assert_int_equal(r->state, OPTICS_OK);
	assert_true(fabs(r->value + 4.7) < 1e-9);
	assert_true(r->thr[0] == -19.0 && r->thr_source[0] == MODEL_THR_DEVICE);
	assert_true(r->thr[1] == -15 && r->thr_source[1] == MODEL_THR_CONFIG);
	assert_true(r->thr[2] == -1 && r->thr_source[2] == MODEL_THR_PROFILE);
	assert_int_equal(r->thr_source[3], MODEL_THR_NONE);
	/* entity 21 -> 20 "GigabitEthernet1/2" = Gi1/2; -40.0 is Cisco's dark
	 * port; its -1 threshold is a placeholder */
	r = reading(d, "Gi1/2", METRIC_IF_RX_POWER_DBM);
	assert_non_null(r);
	assert_int_equal(r->state, OPTICS_NO_READING);
	assert_true(isnan(r->value));
	assert_int_equal(r->thr_source[0], MODEL_THR_NONE);
	/* entity 31 has no interface: named by its own name; unavailable */
	r = reading(d, "orphan Rx sensor", METRIC_IF_RX_POWER_DBM);
	assert_non_null(r);
	assert_int_equal(r->state, OPTICS_NO_READING);
	/* the name column with a pattern */
	r = reading(d, "xe1", METRIC_IF_TX_POWER_DBM);
	assert_non_null(r);
	assert_true(fabs(r->value + 2.15) < 1e-9);
	/* ONUs by serial; 65535 hundredths would be +655 dBm: above the
	 * +30 dBm ceiling, no reading */
	r = reading(d, "ABC", METRIC_ONU_RX_POWER_DBM);
	assert_true(fabs(r->value + 24.81) < 1e-9);
	assert_int_equal(reading(d, "ABD", METRIC_ONU_RX_POWER_DBM)->state, OPTICS_NO_READING);
	/* disks only (not the RAM row), the fullest: 300/400 */
	r = reading(d, NULL, METRIC_DEVICE_DISK_PCT);
	assert_non_null(r);
	assert_true(fabs(r->value - 75) < 1e-9);

	/* the sinks saw the same */
	assert_true(fabs(tap->tx_xe1 + 2.15) < 1e-9);
	assert_true(fabs(tap->onu_abc + 24.81) < 1e-9);
	assert_true(isnan(tap->onu_abd));
	assert_true(fabs(tap->disk - 75) < 1e-9);
	int sets = tap->sets;
	/* one set per object: Gi1/1, Gi1/2, orphan, xe1, ABC, ABD, the device */
	assert_int_equal(sets, 7);

	/* A failed poll: every reading unknown, emitted as gaps. */
	profile_poll_failed(pp, d, sinks, 1060);
	assert_int_equal(tap->sets, 2 * sets);
	assert_int_equal(tap->tx_sets_unknown, 1);
	assert_int_equal(reading(d, "xe1", METRIC_IF_TX_POWER_DBM)->state, OPTICS_UNKNOWN);

	profile_poll_free(pp);
	sinks_free(sinks);
	model_free(m);
	config_free(conf);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_profile_poll.XXXXXX");
	assert_non_null(mkdtemp(dir));
	log_set_level(LOG_ERR);
	snmp_poll_library_init("test_profile_poll");   /* no MIB files, no configs */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	snmp_poll_library_shutdown("test_profile_poll");
	return system(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
