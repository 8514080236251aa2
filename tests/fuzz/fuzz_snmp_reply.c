/*
 * fuzz_snmp_reply.c — libFuzzer target for everything serat does with an
 * SNMP reply: Net-SNMP parses the message (community header, then the PDU),
 * and the reply is fed to an if_walk exactly as snmp_poll does, several
 * times over (an agent that keeps sending the same reply), in both walk
 * modes.  The walk must end, and nothing may read or write out of bounds.
 *
 * Built two ways: with --enable-fuzzing (clang -fsanitize=fuzzer) as the
 * fuzzer, and always as tests/fuzz/replay (fuzz_replay.c supplies main), so
 * `make check` replays the seed corpus in tests/fuzz/corpus/snmp_reply under
 * gcc and, in the sanitizer build, under ASan/UBSan.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/if_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_walk(const netsnmp_pdu *reply, enum if_walk_mode mode, unsigned max_vb)
{
	struct if_walk w;
	if_walk_init(&w);
	if_walk_begin(&w, mode, max_vb,
		      mode == IF_WALK_HC ? IF_WALK_WITH_DESCR | IF_WALK_WITH_COUNTERS32 : 0);
	for (int round = 0; round < 8; round++) {
		netsnmp_pdu *req = snmp_pdu_create(SNMP_MSG_GETBULK);
		int n = if_walk_fill_request(&w, req);
		snmp_free_pdu(req);
		if (n == 0)
			break;
		if (reply->errstat == SNMP_ERR_NOSUCHNAME)
			(void)if_walk_column_ended(&w, reply->errindex);
		else if (if_walk_feed(&w, reply, (double)round) <= 0)
			break;
	}
	/* The rows' identities and counters come from agent data too. */
	(void)if_walk_name_rows(&w, NULL);
	for (size_t i = 0; i < w.n_rows; i++) {
		uint64_t v;
		unsigned width;
		for (int k = 0; k < IF_CTR_COUNT; k++)
			(void)if_row_counter(&w.rows[i], (enum if_counter)k, &v, &width);
	}
	if_walk_cleanup(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	if (!initialised) {
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
		initialised = 1;
	}
	/* Net-SNMP's parsers take a non-const buffer. */
	u_char *buf = malloc(size ? size : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);

	u_char community[256];
	size_t community_len = sizeof(community);
	size_t len = size;
	long version = 0;
	u_char *pdu_data = snmp_comstr_parse(buf, &len, community, &community_len, &version);
	if (pdu_data != NULL) {
		netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_RESPONSE);
		pdu->version = version;
		if (snmp_pdu_parse(pdu, pdu_data, &len) == 0) {
			fuzz_walk(pdu, IF_WALK_HC, 60);
			fuzz_walk(pdu, IF_WALK_LEGACY, 13);
		}
		snmp_free_pdu(pdu);
	}
	free(buf);
	return 0;
}
