/*
 * pcap_child.c — live capture in an unprivileged process (pcap_child.h).
 *
 * One loop: poll() on the capture's selectable fd with a timeout that ends
 * at the next interval boundary of the wall clock, so an idle link still
 * produces its (empty) intervals on time.  Packets are read non-blocking
 * with pcap_dispatch() until the ring is empty.  Messages are written with
 * blocking writes: a reader that stops reading stalls the capture, whose
 * kernel buffer then drops (and pcap_stats counts those drops, which the
 * END message reports).
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "probes/pcap_child.h"
#include "probes/probe_engine.h"
#include "probes/probe_msg.h"

/* The snap length: Ethernet, 4 VLAN tags, IPv6 with extension headers and
 * a TCP header with options all fit; payload is never read. */
#define PCAP_CHILD_SNAPLEN 512

static volatile sig_atomic_t pcap_child_stop;

static void pcap_child_on_signal(int sig)
{
	(void)sig;
	pcap_child_stop = 1;
}

struct pcap_child {
	const struct pcap_child_conf *conf;
	pcap_t *p;
	struct probe_engine *e;
	int nano;                     /* timestamps in ns (else us) */
	int failed;                   /* a write failed: stop */
	unsigned intervals;
	struct pcap_stat last;        /* counters at the previous END */
};

static int pcap_child_send(struct pcap_child *c, const struct probe_msg *m)
{
	uint8_t buf[PROBE_MSG_MAX];
	size_t len = probe_msg_encode(m, buf), off = 0;

	while (off < len && !c->failed) {
		ssize_t w = write(c->conf->fd, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			/* The reader is gone (EPIPE) or broken: nothing to report to. */
			log_info("serat-probe: stopping: cannot write to the parent: %s",
				 w < 0 ? strerror(errno) : "closed");
			c->failed = 1;
			return -EPIPE;
		}
		off += (size_t)w;
	}
	return c->failed ? -EPIPE : 0;
}

static void pcap_child_emit(void *arg, struct probe_engine *e, int64_t start_ns)
{
	struct pcap_child *c = arg;
	struct probe_msg m;
	struct pcap_stat st;
	uint64_t start_s = (uint64_t)(start_ns / 1000000000LL);
	size_t n = probe_engine_n_sites(e);

	for (size_t i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		m.type = PROBE_MSG_SITE;
		m.u.site.start_s = start_s;
		m.u.site.interval_s = probe_engine_interval_s(e);
		m.u.site.site = (uint16_t)i;
		probe_engine_site_summary(e, i, &m.u.site.sum);
		if (pcap_child_send(c, &m) < 0)
			return;
	}
	memset(&st, 0, sizeof(st));
	(void)pcap_stats(c->p, &st);
	memset(&m, 0, sizeof(m));
	m.type = PROBE_MSG_END;
	m.u.end.start_s = start_s;
	m.u.end.interval_s = probe_engine_interval_s(e);
	m.u.end.n_sites = (uint16_t)n;
	m.u.end.decode_errors = probe_engine_interval_decode_errors(e);
	/* pcap's counters are 32-bit totals: the unsigned difference is this
	 * interval's share even across a wrap. */
	m.u.end.pcap_received = (uint32_t)(st.ps_recv - c->last.ps_recv);
	m.u.end.pcap_dropped = (uint32_t)((st.ps_drop + st.ps_ifdrop) -
					  (c->last.ps_drop + c->last.ps_ifdrop));
	m.u.end.flow_evictions = probe_engine_flow_evictions(e);
	c->last = st;
	(void)pcap_child_send(c, &m);
	c->intervals++;
}

static void pcap_child_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *data)
{
	struct pcap_child *c = (struct pcap_child *)arg;
	int64_t ts = (int64_t)h->ts.tv_sec * 1000000000LL +
		     (int64_t)h->ts.tv_usec * (c->nano ? 1 : 1000);
	probe_engine_packet(c->e, data, h->caplen, h->len, ts);
}

int pcap_child_drop_privileges(const char *user)
{
	struct passwd *pw = getpwnam(user);
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;

	if (pw == NULL) {
		log_err("serat-probe: no user '%s' to run as", user);
		return -ENOENT;
	}
	if (setgroups(1, &pw->pw_gid) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0) {
		int err = errno;
		log_err("serat-probe: cannot become user '%s': %s", user, strerror(err));
		return -err;
	}
	/* Trust, but verify: every id is the user's, and root is out of reach. */
	if (getresuid(&ruid, &euid, &suid) < 0 || getresgid(&rgid, &egid, &sgid) < 0 ||
	    ruid != pw->pw_uid || euid != pw->pw_uid || suid != pw->pw_uid ||
	    rgid != pw->pw_gid || egid != pw->pw_gid || sgid != pw->pw_gid ||
	    (pw->pw_uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))) {
		log_err("serat-probe: dropping privileges to '%s' did not take", user);
		return -EPERM;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		int err = errno;
		log_err("serat-probe: PR_SET_NO_NEW_PRIVS: %s", strerror(err));
		return -err;
	}
	return 0;
}

/* pcap_create .. pcap_setfilter.  Returns the handle or NULL after logging. */
static pcap_t *pcap_child_open(const struct pcap_child_conf *conf, int *nano)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	pcap_t *p = pcap_create(conf->interface, errbuf);
	int rc;

	if (p == NULL) {
		log_err("serat-probe: %s: %s", conf->interface, errbuf);
		return NULL;
	}
	pcap_set_snaplen(p, PCAP_CHILD_SNAPLEN);
	pcap_set_promisc(p, 1);
	pcap_set_timeout(p, 100);
	pcap_set_buffer_size(p, (int)(conf->buffer_bytes > (1u << 30) ? (1u << 30) : conf->buffer_bytes));
	*nano = pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO) == 0;
	rc = pcap_activate(p);
	if (rc < 0) {
		log_err("serat-probe: %s: %s%s", conf->interface, pcap_geterr(p),
			rc == PCAP_ERROR_PERM_DENIED ?
			" (needs root or CAP_NET_RAW: setcap cap_net_raw+ep serat-probe)" : "");
		pcap_close(p);
		return NULL;
	}
	if (rc > 0)
		log_warn("serat-probe: %s: %s", conf->interface, pcap_geterr(p));
	*nano = *nano && pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
	if (conf->filter != NULL && *conf->filter) {
		if (pcap_compile(p, &prog, conf->filter, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
		    pcap_setfilter(p, &prog) < 0) {
			log_err("serat-probe: filter '%s': %s", conf->filter, pcap_geterr(p));
			pcap_close(p);
			return NULL;
		}
		pcap_freecode(&prog);
	}
	if (pcap_setnonblock(p, 1, errbuf) < 0) {
		log_err("serat-probe: %s: %s", conf->interface, errbuf);
		pcap_close(p);
		return NULL;
	}
	return p;
}

static int64_t pcap_child_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int pcap_child_loop(struct pcap_child *c)
{
	int64_t iv = (int64_t)c->conf->interval_s * 1000000000LL;
	struct pollfd pfd[2] = {
		{ .fd = pcap_get_selectable_fd(c->p), .events = POLLIN },
		{ .fd = c->conf->fd, .events = 0 },    /* POLLHUP/POLLERR only */
	};

	probe_engine_advance(c->e, pcap_child_now());
	while (!pcap_child_stop && !c->failed &&
	       (c->conf->max_intervals == 0 || c->intervals < c->conf->max_intervals)) {
		int64_t now = pcap_child_now();
		int64_t wait_ms = (iv - now % iv) / 1000000 + 1;
		int n = poll(pfd, 2, (int)(wait_ms > 1000 ? 1000 : wait_ms));

		if (n < 0 && errno != EINTR) {
			log_err("serat-probe: poll: %s", strerror(errno));
			return -errno;
		}
		if (pfd[1].revents & (POLLHUP | POLLERR))
			break;
		if (n > 0 && (pfd[0].revents & POLLIN))
			while (pcap_dispatch(c->p, -1, pcap_child_packet, (u_char *)c) > 0)
				;
		probe_engine_advance(c->e, pcap_child_now());
	}
	/* What the kernel already holds belongs to the interval in progress.
	 * With TPACKET_V3 a ring block reaches us only when it is full or its
	 * timeout (pcap_set_timeout, 100 ms) retires it: wait for that, until
	 * the ring stays quiet for five timeouts. */
	while (!c->failed && poll(pfd, 1, 500) > 0 && (pfd[0].revents & POLLIN))
		while (pcap_dispatch(c->p, -1, pcap_child_packet, (u_char *)c) > 0)
			;
	if (!c->failed && (c->conf->max_intervals == 0 || c->intervals < c->conf->max_intervals))
		probe_engine_finish(c->e);
	return c->failed ? -EPIPE : 0;
}

int pcap_child_run(const struct pcap_child_conf *conf)
{
	struct pcap_child c;
	struct probe_msg hello;
	struct sigaction sa;
	char name[24];
	int rc;

	memset(&c, 0, sizeof(c));
	c.conf = conf;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pcap_child_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	c.p = pcap_child_open(conf, &c.nano);
	if (c.p == NULL)
		return -EIO;
	if ((rc = pcap_child_drop_privileges(conf->user)) < 0) {
		pcap_close(c.p);
		return rc;
	}
	c.e = probe_engine_new(conf->interval_s, conf->flow_mem_bytes, pcap_child_emit, &c);
	if (c.e == NULL || probe_engine_set_dlt(c.e, pcap_datalink(c.p)) < 0) {
		log_err("serat-probe: %s: %s", conf->interface,
			c.e == NULL ? strerror(errno) : "unsupported link type");
		probe_engine_free(c.e);
		pcap_close(c.p);
		return -EINVAL;
	}
	for (size_t i = 0; i < conf->n_sites; i++) {
		snprintf(name, sizeof(name), "%zu", i);
		if ((rc = probe_engine_add_site(c.e, name, conf->sites[i].nets,
						conf->sites[i].n_nets)) < 0) {
			log_err("serat-probe: site %zu: %s", i, strerror(-rc));
			probe_engine_free(c.e);
			pcap_close(c.p);
			return rc;
		}
	}
	memset(&hello, 0, sizeof(hello));
	hello.type = PROBE_MSG_HELLO;
	hello.u.hello.uid = (uint32_t)getuid();
	hello.u.hello.gid = (uint32_t)getgid();
	hello.u.hello.dlt = pcap_datalink(c.p);
	rc = pcap_child_send(&c, &hello);
	if (rc == 0)
		rc = pcap_child_loop(&c);
	probe_engine_free(c.e);
	pcap_close(c.p);
	return rc;
}
