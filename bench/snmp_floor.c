/*
 * snmp_floor.c — the floor under seratd's poll path: the least a Net-SNMP
 * client can do to walk the same interface columns.
 *
 *   snmp_floor --port-base P --devices N [--cycles C] [--max-varbinds M]
 *              [--max-in-flight K] [--community C] [--timeout-ms T] [--retries R]
 *
 * One single session (snmp_sess_open, SNMPv2c) per device on 127.0.0.1:P+i.
 * A cycle walks, on every device, the 14 columns seratd walks in HC mode
 * (collector/if_walk.c) column-parallel: each GETBULK carries sysUpTime.0 as
 * its non-repeater and per unfinished column the last OID seen, with
 * max-repetitions = (M - 1) / columns, so the packets on the wire are the
 * ones seratd sends.  Replies are only walked (column, index); no value is
 * decoded beyond what Net-SNMP's parser already did, nothing is stored.
 * Sockets are watched with poll(); snmp_sess_read2() parses, the callback
 * sends the next request.  At most K devices are walked at once.
 *
 * The first cycle opens the sessions and is a warm-up; the CPU time
 * (getrusage, user + system) of the remaining C cycles is printed as
 *
 *   floor devices=N interfaces=I cycles=C cpu_s=X wall_s=W us_per_if=U
 *
 * where I is the number of rows (interfaces) one cycle walked.  Part of the
 * poll-path benchmark (bench/poll_bench.sh); built on demand only.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#define NCOLS 14

#define IFX 1, 3, 6, 1, 2, 1, 31, 1, 1, 1
#define IFT 1, 3, 6, 1, 2, 1, 2, 2, 1
static const struct { oid prefix[11]; size_t len; } cols[NCOLS] = {
	{ { IFX, 1 }, 11 },   /* ifName */
	{ { IFX, 18 }, 11 },  /* ifAlias */
	{ { IFX, 6 }, 11 },   /* ifHCInOctets */
	{ { IFX, 7 }, 11 },   /* ifHCInUcastPkts */
	{ { IFX, 10 }, 11 },  /* ifHCOutOctets */
	{ { IFX, 11 }, 11 },  /* ifHCOutUcastPkts */
	{ { IFX, 15 }, 11 },  /* ifHighSpeed */
	{ { IFX, 19 }, 11 },  /* ifCounterDiscontinuityTime */
	{ { IFT, 7 }, 10 },   /* ifAdminStatus */
	{ { IFT, 8 }, 10 },   /* ifOperStatus */
	{ { IFT, 13 }, 10 },  /* ifInDiscards */
	{ { IFT, 14 }, 10 },  /* ifInErrors */
	{ { IFT, 19 }, 10 },  /* ifOutDiscards */
	{ { IFT, 20 }, 10 },  /* ifOutErrors */
};
static const oid sysuptime[] = { 1, 3, 6, 1, 2, 1, 1, 3 };

struct dev {
	void *sess;
	int fd;
	int busy;
	unsigned long rows;             /* ifName rows seen this cycle */
	unsigned done_mask;             /* bit per finished column */
	int started[NCOLS];
	oid last[NCOLS];
	int req[NCOLS], n_req;
};

static unsigned max_varbinds = 60;
static unsigned long failures;
static unsigned n_busy;

static void dev_finish(struct dev *d)
{
	d->busy = 0;
	n_busy--;
}

static int on_pdu(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *magic);

static void dev_send(struct dev *d)
{
	oid name[MAX_OID_LEN];
	netsnmp_pdu *pdu;

	d->n_req = 0;
	for (int c = 0; c < NCOLS; c++)
		if (!(d->done_mask & (1u << c)))
			d->req[d->n_req++] = c;
	if (d->n_req == 0) {
		dev_finish(d);
		return;
	}
	pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
	snmp_add_null_var(pdu, sysuptime, OID_LENGTH(sysuptime));
	for (int i = 0; i < d->n_req; i++) {
		int c = d->req[i];
		size_t len = cols[c].len;
		memcpy(name, cols[c].prefix, len * sizeof(oid));
		if (d->started[c])
			name[len++] = d->last[c];
		snmp_add_null_var(pdu, name, len);
	}
	pdu->non_repeaters = 1;
	long reps = (long)(max_varbinds - 1) / d->n_req;
	pdu->max_repetitions = reps < 1 ? 1 : reps;
	if (snmp_sess_async_send(d->sess, pdu, on_pdu, d) == 0) {
		snmp_free_pdu(pdu);
		failures++;
		dev_finish(d);
	}
}

static int on_pdu(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct dev *d = magic;
	(void)ss;
	(void)reqid;

	if (op == NETSNMP_CALLBACK_OP_RESEND)
		return 1;
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || pdu == NULL ||
	    pdu->errstat != SNMP_ERR_NOERROR) {
		failures++;
		dev_finish(d);
		return 1;
	}
	unsigned ended = 0, progress = 0;
	netsnmp_variable_list *vb = pdu->variables;
	if (vb != NULL)
		vb = vb->next_variable;         /* sysUpTime.0 */
	for (int j = 0; vb != NULL; vb = vb->next_variable, j++) {
		int c = d->req[j % d->n_req];
		if (ended & (1u << c))
			continue;
		if (vb->type == SNMP_ENDOFMIBVIEW || vb->type == SNMP_NOSUCHOBJECT ||
		    vb->type == SNMP_NOSUCHINSTANCE || vb->name_length != cols[c].len + 1 ||
		    snmp_oidtree_compare(vb->name, vb->name_length, cols[c].prefix,
					 cols[c].len) != 0) {
			ended |= 1u << c;
			continue;
		}
		d->started[c] = 1;
		d->last[c] = vb->name[cols[c].len];
		progress = 1;
		if (c == 0)
			d->rows++;
	}
	d->done_mask |= ended;
	if (!progress && !ended) {
		failures++;
		dev_finish(d);
		return 1;
	}
	dev_send(d);
	return 1;
}

static void dev_begin(struct dev *d)
{
	d->busy = 1;
	n_busy++;
	d->rows = 0;
	d->done_mask = 0;
	memset(d->started, 0, sizeof(d->started));
	dev_send(d);
}

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* One cycle over every device, at most MAX_IN_FLIGHT at once.  Returns the
 * interfaces walked. */
static unsigned long run_cycle(struct dev *devs, unsigned n, unsigned max_in_flight,
			       struct pollfd *pfd, struct dev **pdev)
{
	unsigned next = 0;
	unsigned long rows = 0;
	double last_timeout = now_mono();

	while (next < n || n_busy > 0) {
		while (next < n && n_busy < max_in_flight)
			dev_begin(&devs[next++]);
		unsigned np = 0;
		for (unsigned i = 0; i < n; i++) {
			if (!devs[i].busy)
				continue;
			pfd[np].fd = devs[i].fd;
			pfd[np].events = POLLIN;
			pdev[np++] = &devs[i];
		}
		if (np == 0)
			continue;
		int rc = poll(pfd, np, 100);
		if (rc < 0 && errno != EINTR)
			break;
		for (unsigned k = 0; rc > 0 && k < np; k++) {
			if (!(pfd[k].revents & POLLIN))
				continue;
			netsnmp_large_fd_set fds;
			netsnmp_large_fd_set_init(&fds, pfd[k].fd + 1);
			NETSNMP_LARGE_FD_SET(pfd[k].fd, &fds);
			snmp_sess_read2(pdev[k]->sess, &fds);
			netsnmp_large_fd_set_cleanup(&fds);
		}
		double t = now_mono();
		if (t - last_timeout >= 0.1) {
			last_timeout = t;
			for (unsigned i = 0; i < n; i++)
				if (devs[i].busy)
					snmp_sess_timeout(devs[i].sess);
		}
	}
	for (unsigned i = 0; i < n; i++)
		rows += devs[i].rows;
	return rows;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port-base", required_argument, NULL, 'p' },
		{ "devices", required_argument, NULL, 'n' },
		{ "cycles", required_argument, NULL, 'c' },
		{ "max-varbinds", required_argument, NULL, 'm' },
		{ "max-in-flight", required_argument, NULL, 'k' },
		{ "community", required_argument, NULL, 'C' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "retries", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned port_base = 0, n = 1, cycles = 5, max_in_flight = 64, retries = 1;
	unsigned timeout_ms = 2000;
	const char *community = "public";
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'p': port_base = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'n': n = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'c': cycles = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'm': max_varbinds = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'k': max_in_flight = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'C': community = optarg; break;
		case 't': timeout_ms = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'r': retries = (unsigned)strtoul(optarg, NULL, 10); break;
		default:
			fprintf(stderr, "usage: snmp_floor --port-base P --devices N [--cycles C]"
				" [--max-varbinds M] [--max-in-flight K] [--community C]"
				" [--timeout-ms T] [--retries R]\n");
			return 2;
		}
	}
	if (port_base == 0 || port_base + n > 65536 || n == 0 || cycles == 0 ||
	    max_varbinds < NCOLS + 1 || max_in_flight == 0) {
		fprintf(stderr, "snmp_floor: bad arguments\n");
		return 2;
	}

	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	setenv("MIBS", "", 1);
	init_snmp("snmp_floor");

	struct dev *devs = calloc(n, sizeof(*devs));
	struct pollfd *pfd = calloc(n, sizeof(*pfd));
	struct dev **pdev = calloc(n, sizeof(*pdev));
	if (devs == NULL || pfd == NULL || pdev == NULL)
		return 1;
	for (unsigned i = 0; i < n; i++) {
		netsnmp_session ss;
		char peer[64];
		snmp_sess_init(&ss);
		snprintf(peer, sizeof(peer), "udp:127.0.0.1:%u", port_base + i);
		ss.peername = peer;
		ss.version = SNMP_VERSION_2c;
		ss.community = (u_char *)community;
		ss.community_len = strlen(community);
		ss.timeout = (long)timeout_ms * 1000L;
		ss.retries = (int)retries;
		devs[i].sess = snmp_sess_open(&ss);
		if (devs[i].sess == NULL) {
			fprintf(stderr, "snmp_floor: cannot open %s\n", peer);
			return 1;
		}
		devs[i].fd = snmp_sess_transport(devs[i].sess)->sock;
	}

	unsigned long rows = run_cycle(devs, n, max_in_flight, pfd, pdev);   /* warm-up */
	failures = 0;
	double c0 = cpu_s(), w0 = now_mono();
	for (unsigned k = 0; k < cycles; k++)
		rows = run_cycle(devs, n, max_in_flight, pfd, pdev);
	double cpu = cpu_s() - c0, wall = now_mono() - w0;

	printf("floor devices=%u interfaces=%lu cycles=%u cpu_s=%.4f wall_s=%.3f "
	       "us_per_if=%.3f failures=%lu\n",
	       n, rows, cycles, cpu, wall,
	       rows ? cpu / ((double)rows * cycles) * 1e6 : 0.0, failures);
	for (unsigned i = 0; i < n; i++)
		snmp_sess_close(devs[i].sess);
	free(devs);
	free(pfd);
	free(pdev);
	snmp_shutdown("snmp_floor");
	return failures ? 1 : 0;
}
