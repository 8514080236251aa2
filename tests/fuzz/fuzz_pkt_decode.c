/*
 * fuzz_pkt_decode.c — libFuzzer target for the passive probe's packet path:
 * the decoder, the flow table with Wireshark's TCP analysis and echo
 * pairing, and the per-site figures, i.e. everything the unprivileged
 * capture child does with an untrusted frame.
 *
 * Input: one byte choosing the link type (Ethernet, raw IP, Linux SLL,
 * SLL2), then the frame.  The frame goes through a fresh engine several
 * times: whole, as a snaplen cut of every length up to 128 bytes (the wire
 * length still the whole frame's), with a wire length that lies, and again
 * later so the flow state sees a second packet of its own flow.
 *
 * Built with --enable-fuzzing as the fuzzer, and always as
 * tests/fuzz/replay_pkt (fuzz_replay.c supplies main) so `make check`
 * replays tests/fuzz/corpus_pkt under gcc and, in the sanitizer build,
 * under ASan/UBSan.
 */
#include "config.h"

#include <pcap/dlt.h>
#include <stdint.h>
#include <stdlib.h>

#include "probes/probe_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int dlts[] = { DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL, 276 /* SLL2 */ };
	struct probe_engine *e;
	struct probe_summary s;
	const uint8_t *frame;
	size_t len;

	if (size < 1)
		return 0;
	e = probe_engine_new(1, 64 * 1024, NULL, NULL);
	if (e == NULL)
		return 0;
	(void)probe_engine_set_dlt(e, dlts[data[0] % 4]);
	frame = data + 1;
	len = size - 1;
	probe_engine_packet(e, frame, len, len, 1000000000LL);
	for (size_t cut = 0; cut < len && cut <= 128; cut++)
		probe_engine_packet(e, frame, cut, len, 1000000000LL + (int64_t)cut);
	probe_engine_packet(e, frame, len, len / 2, 1500000000LL);
	probe_engine_packet(e, frame, len, len + 65536, 1600000000LL);
	probe_engine_packet(e, frame, len, len, 2500000000LL);
	probe_engine_finish(e);
	probe_engine_total(e, &s);
	probe_engine_free(e);
	return 0;
}
