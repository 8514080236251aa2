/*
 * fuzz_profile_reply.c — libFuzzer target for the profile walk's reply
 * path: Net-SNMP parses the message, and the reply is fed to a
 * profile_walk as the identification reply and, several times over, as a
 * reply to the column walk of a profile with short and long columns
 * (JUNIPER-DOM by ifIndex, UFiber's ONU table by serial, ENTITY-MIB names),
 * then every cell is looked up.  The walk must end; nothing may read or
 * write out of bounds.
 *
 * Built with --enable-fuzzing as the fuzzer, and always as
 * tests/fuzz/replay_profile, which `make check` runs over the seed corpus
 * tests/fuzz/corpus/profile_reply (real replies of the lab recordings to
 * serat's profile requests; tests/fuzz/make-profile-seeds.sh).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/profile_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ENT 1, 3, 6, 1, 4, 1
static struct profile_oid fuzz_columns[] = {
	{ { ENT, 2636, 3, 60, 1, 1, 1, 1, 5 }, 14 },   /* JUNIPER-DOM rx */
	{ { ENT, 2636, 3, 60, 1, 1, 1, 1, 7 }, 14 },   /* JUNIPER-DOM tx */
	{ { ENT, 41112, 1, 5, 6, 2, 1, 1 }, 13 },      /* UFiber ONU serial */
	{ { ENT, 41112, 1, 5, 6, 2, 1, 9 }, 13 },      /* UFiber ONU level */
	{ { 1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1, 7 }, 12 },  /* entPhysicalName */
	{ { ENT, 14988, 1, 1, 19, 1, 1, 10 }, 13 },    /* mtxrOpticalRxPower */
	{ { 1, 3, 6, 1, 2, 1, 25, 2, 3, 1, 2 }, 11 },  /* hrStorageType */
};
#define FUZZ_NCOLS (sizeof(fuzz_columns) / sizeof(fuzz_columns[0]))

static void fuzz_profile(const netsnmp_pdu *reply, const struct profile *p)
{
	struct profile_walk w;
	profile_walk_init(&w);
	profile_walk_begin_ident(&w);
	netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
	profile_walk_fill_request(&w, req, 60);
	snmp_free_pdu(req);
	(void)profile_walk_feed(&w, reply);

	profile_walk_begin(&w, p);
	for (int round = 0; round < 8; round++) {
		req = snmp_pdu_create(SNMP_MSG_GETBULK);
		int n = profile_walk_fill_request(&w, req, round % 2 ? 60 : 7);
		snmp_free_pdu(req);
		if (n == 0)
			break;
		if (reply->errstat == SNMP_ERR_NOSUCHNAME)
			(void)profile_walk_column_ended(&w, reply->errindex);
		else if (profile_walk_feed(&w, reply) <= 0)
			break;
	}
	for (size_t c = 0; c < w.n_cols; c++)
		for (size_t i = 0; i < w.cols[c].n; i++)
			for (size_t k = 0; k < w.n_cols; k++)
				(void)profile_walk_lookup(&w, k, &w.cols[c].cells[i].idx);
	profile_walk_cleanup(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct profile p;
	if (p.columns == NULL) {
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
		p.columns = fuzz_columns;
		p.n_columns = FUZZ_NCOLS;
	}
	u_char *buf = malloc(size ? size : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	u_char community[256];
	size_t community_len = sizeof(community), len = size;
	long version = 0;
	u_char *pdu_data = snmp_comstr_parse(buf, &len, community, &community_len, &version);
	if (pdu_data != NULL) {
		netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_RESPONSE);
		pdu->version = version;
		if (snmp_pdu_parse(pdu, pdu_data, &len) == 0)
			fuzz_profile(pdu, &p);
		snmp_free_pdu(pdu);
	}
	free(buf);
	return 0;
}
