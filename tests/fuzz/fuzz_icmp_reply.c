/*
 * fuzz_icmp_reply.c — libFuzzer target for the ICMP reply parser: whatever
 * a host on the path sends to the prober's sockets.  The first byte picks
 * the socket the bytes came from (bit 0: IPv6, bit 1: a raw IPv4 socket
 * with its IP header, bit 2: a datagram socket's error queue); the rest is
 * the message.  Nothing may read out of bounds, and what the parser
 * reports must be consistent with what it was given.
 *
 * Built with --enable-fuzzing as tests/fuzz/fuzz_icmp_reply, and always as
 * tests/fuzz/replay_icmp (fuzz_replay.c supplies main), so `make check`
 * replays tests/fuzz/corpus/icmp_reply.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "probes/icmp_packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct icmp_pkt pkt;
	uint16_t id, seq;
	int family, r;

	if (size < 1)
		return 0;
	family = data[0] & 1 ? AF_INET6 : AF_INET;
	if (data[0] & 4) {
		(void)icmp_parse_sent(family, data + 1, size - 1, &id, &seq);
		return 0;
	}
	r = icmp_parse(family, (data[0] & 2) != 0, data + 1, size - 1, &pkt);
	if (r == 0) {
		if (pkt.kind != ICMP_PKT_ECHO_REPLY && pkt.kind != ICMP_PKT_ERROR)
			abort();
		if (pkt.kind == ICMP_PKT_ERROR && icmp_err_class_name(pkt.err) == NULL)
			abort();
		if (pkt.kind == ICMP_PKT_ECHO_REPLY && pkt.data_len > size)
			abort();
	}
	return 0;
}
