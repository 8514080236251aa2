/*
 * probe_msg_dump.c — read serat-probe's messages from stdin, check them
 * with the real parser, and print one line each (for tests):
 *   hello uid=U gid=G dlt=D
 *   site I start=S packets=N bytes=N handshakes=N retrans=N echo_req=N echo_rep=N echo_ans=N
 *   end start=S sites=N received=N dropped=N decode_errors=N
 * Exits 1 at the first malformed message or a stream ending mid-message.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probes/probe_msg.h"

int main(void)
{
	uint8_t buf[4096];
	size_t have = 0;
	struct probe_msg m;

	for (;;) {
		ssize_t r = read(0, buf + have, sizeof(buf) - have);
		int n;
		if (r <= 0)
			return have == 0 ? 0 : 1;
		have += (size_t)r;
		while ((n = probe_msg_decode(buf, have, &m)) > 0) {
			if (m.type == PROBE_MSG_HELLO)
				printf("hello uid=%u gid=%u dlt=%d\n", m.u.hello.uid, m.u.hello.gid,
				       m.u.hello.dlt);
			else if (m.type == PROBE_MSG_SITE)
				printf("site %u start=%llu packets=%llu bytes=%llu handshakes=%llu "
				       "retrans=%llu echo_req=%llu echo_rep=%llu echo_ans=%llu\n",
				       m.u.site.site, (unsigned long long)m.u.site.start_s,
				       (unsigned long long)m.u.site.sum.packets,
				       (unsigned long long)m.u.site.sum.bytes,
				       (unsigned long long)m.u.site.sum.tcp_handshakes,
				       (unsigned long long)m.u.site.sum.tcp_retransmissions,
				       (unsigned long long)m.u.site.sum.icmp_echo_requests,
				       (unsigned long long)m.u.site.sum.icmp_echo_replies,
				       (unsigned long long)m.u.site.sum.icmp_echo_answered);
			else
				printf("end start=%llu sites=%u received=%llu dropped=%llu decode_errors=%llu\n",
				       (unsigned long long)m.u.end.start_s, m.u.end.n_sites,
				       (unsigned long long)m.u.end.pcap_received,
				       (unsigned long long)m.u.end.pcap_dropped,
				       (unsigned long long)m.u.end.decode_errors);
			fflush(stdout);
			memmove(buf, buf + n, have - (size_t)n);
			have -= (size_t)n;
		}
		if (n < 0) {
			fprintf(stderr, "probe_msg_dump: malformed message\n");
			return 1;
		}
	}
}
