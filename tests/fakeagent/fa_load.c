/*
 * fa_load.c — the --load generator (contract in fa_load.h).
 */
#include "config.h"

#include "fa_load.h"

#include "fa_ber.h"
#include "fa_mib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * Keeps `window` GETBULK requests in flight, round-robin over the devices:
 * 6 columns (ifHCIn/OutOctets, ifHCIn/OutUcastPkts, ifIn/OutErrors) times
 * max-repetitions (default 10) = 60 varbinds per reply, the shape of a
 * poller's interface walk.  Requests unanswered for a second are re-sent
 * and counted as lost.
 */
struct fa_loadgen {
	const struct fa_conf *conf;
	int fd;
	unsigned char req[512];
	size_t req_len;
	size_t reqid_off;       /* the 4 content bytes of request-id */
	struct sockaddr_in to;
	unsigned next_dev;
	int64_t *sent;          /* per window slot; the slot is the reqid */
};

/* Encodes the request once; only the request-id changes between sends. */
static void fa_load_encode(struct fa_loadgen *g)
{
	static const uint32_t cols[6][11] = {
		{ IFXENTRY, 6 }, { IFXENTRY, 7 }, { IFXENTRY, 10 }, { IFXENTRY, 11 },
		{ IFENTRY, 14 }, { IFENTRY, 20 },
	};
	static const int collen[6] = { 11, 11, 11, 11, 10, 10 };
	const struct fa_conf *c = g->conf;
	unsigned char vbs[256], pdu[320], msg[512], ob[64];
	size_t vl = 0, pl = 0, ml = 0, on, reqid_pdu, reqid_msg, h;
	unsigned i;

	for (i = 0; i < 6; i++) {
		on = ber_put_oid(ob, cols[i], collen[i]);
		vl += ber_put_hdr(vbs + vl, T_SEQ, on + 2);
		memcpy(vbs + vl, ob, on);
		vl += on;
		vbs[vl++] = T_NULL;
		vbs[vl++] = 0;
	}
	pdu[pl++] = T_INT;
	pdu[pl++] = 4;
	reqid_pdu = pl;
	memset(pdu + pl, 0, 4);
	pl += 4;
	pl += ber_put_int(pdu + pl, T_INT, 0);
	pl += ber_put_int(pdu + pl, T_INT, c->load_maxrep);
	pl += ber_put_hdr(pdu + pl, T_SEQ, vl);
	memcpy(pdu + pl, vbs, vl);
	pl += vl;
	ml += ber_put_int(msg + ml, T_INT, 1);
	ml += ber_put_string(msg + ml, c->community, c->community_len);
	ml += ber_put_hdr(msg + ml, PDU_GETBULK, pl);
	reqid_msg = ml + reqid_pdu;
	memcpy(msg + ml, pdu, pl);
	ml += pl;
	h = ber_put_hdr(g->req, T_SEQ, ml);
	memcpy(g->req + h, msg, ml);
	g->req_len = h + ml;
	g->reqid_off = h + reqid_msg;
}

static void fa_load_send(struct fa_loadgen *g, unsigned slot)
{
	unsigned char *r = g->req + g->reqid_off;

	r[0] = 0x10;    /* a positive 4-byte INTEGER whatever the slot */
	r[1] = (unsigned char)(slot >> 16);
	r[2] = (unsigned char)(slot >> 8);
	r[3] = (unsigned char)slot;
	g->to.sin_port = htons((uint16_t)(g->conf->port_base + g->next_dev));
	g->next_dev = (g->next_dev + 1) % g->conf->ndevices;
	sendto(g->fd, g->req, g->req_len, 0, (struct sockaddr *)&g->to, sizeof(g->to));
	g->sent[slot] = fa_now_ns();
}

int fa_load_run(const struct fa_conf *c)
{
	static struct fa_req rq;
	static unsigned char pkt[FA_UDP_MAX + 1];
	struct fa_loadgen g;
	int64_t start, end, now, last_check;
	uint64_t replies = 0, varbinds = 0, lost = 0, bad = 0;
	unsigned i, w = c->load_window;
	int rc;

	memset(&g, 0, sizeof(g));
	g.conf = c;
	fa_load_encode(&g);
	g.to.sin_family = AF_INET;
	if (inet_pton(AF_INET, c->bind_addr, &g.to.sin_addr) != 1)
		return -EINVAL;
	if ((rc = fa_open_socket(c->bind_addr, 0, &g.fd)) < 0)
		return rc;
	g.sent = calloc(w, sizeof(*g.sent));
	if (!g.sent) {
		close(g.fd);
		return -ENOMEM;
	}
	start = last_check = fa_now_ns();
	end = start + (int64_t)(c->load_seconds * 1e9);
	for (i = 0; i < w; i++)
		fa_load_send(&g, i);
	while ((now = fa_now_ns()) < end) {
		const unsigned char *comm;
		size_t comm_len;
		ssize_t got = recv(g.fd, pkt, sizeof(pkt), MSG_DONTWAIT);

		if (got < 0) {
			struct timespec ts = { 0, 20000 };

			if (now - last_check > 100000000) {
				last_check = now;
				for (i = 0; i < w; i++)
					if (now - g.sent[i] > 1000000000) {
						lost++;
						fa_load_send(&g, i);
					}
			}
			nanosleep(&ts, NULL);
			continue;
		}
		/* Decoding every reply keeps the measurement honest: a
		 * garbled reply is counted as bad, not as throughput. */
		if (ber_decode(pkt, (size_t)got, &rq, &comm, &comm_len) < 0 ||
		    rq.pdu != PDU_RESPONSE || (rq.reqid >> 24) != 0x10 ||
		    (rq.reqid & 0xffffff) >= w) {
			bad++;
			continue;
		}
		replies++;
		varbinds += rq.nvb;
		fa_load_send(&g, (unsigned)(rq.reqid & 0xffffff));
	}
	printf("load: replies=%" PRIu64 " seconds=%.2f rate=%.0f pdu/s "
	       "varbinds_per_reply=%.1f lost=%" PRIu64 " bad=%" PRIu64 "\n",
	       replies, (double)(now - start) / 1e9,
	       (double)replies * 1e9 / (double)(now - start),
	       replies ? (double)varbinds / (double)replies : 0.0, lost, bad);
	free(g.sent);
	close(g.fd);
	return 0;
}
