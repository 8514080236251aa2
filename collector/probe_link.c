/*
 * probe_link.c — start, read and restart the capture child.  See
 * probe_link.h.
 *
 * The child is trusted with nothing and believed in nothing: its messages
 * are decoded by probe_msg_decode() (fixed lengths, values range-checked),
 * a site index is checked against the list this side sent, and the first
 * malformed byte ends the child.  Reading is non-blocking on the loop; a
 * message split over two reads waits in the buffer.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collector/probe_link.h"
#include "common/log.h"
#include "probes/probe_msg.h"

#ifndef SERAT_LIBEXECDIR
#define SERAT_LIBEXECDIR "/usr/libexec"
#endif

#define PROBE_LINK_MAX_ARGS 64
#define PROBE_LINK_BACKOFF_MIN 5
#define PROBE_LINK_BACKOFF_MAX 300

struct probe_link {
	struct event_base *base;
	struct sinks *sinks;
	struct model *model;
	const struct serat_config *conf;

	char **argv;                  /* of the running (or wanted) child */
	size_t *site_of;              /* --site i → index into conf->sites */
	size_t n_sites;               /* sites passed with --site */
	pid_t pid;                    /* 0 = none */
	int fd;                       /* our end of the socketpair, -1 = none */
	struct event *ev_read;
	struct event *ev_retry;
	unsigned backoff_s;
	uint8_t buf[4 * PROBE_MSG_MAX];
	size_t len;
};

static void probe_link_argv_free(char **argv)
{
	for (size_t i = 0; argv != NULL && argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

static int probe_link_argv_same(char **a, char **b)
{
	if (a == NULL || b == NULL)
		return a == b;
	size_t i = 0;
	for (; a[i] != NULL && b[i] != NULL; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return a[i] == b[i];
}

/* The child's command line for CONF, and which config site each --site
 * is.  NULL on ENOMEM or when there are too many sites with subnets. */
static char **probe_link_build_argv(const struct serat_config *conf, size_t **site_of,
				    size_t *n_sites)
{
	const struct probe_conf *p = &conf->probe;
	char **argv = calloc(PROBE_LINK_MAX_ARGS + 2 * conf->n_sites, sizeof(*argv));
	size_t *map = calloc(conf->n_sites ? conf->n_sites : 1, sizeof(*map));
	size_t n = 0, ns = 0;
	char num[32];
	int bad = argv == NULL || map == NULL;

#define PROBE_ARG(s) do { if (!bad && (argv[n++] = strdup(s)) == NULL) bad = 1; } while (0)
	PROBE_ARG(p->program ? p->program : SERAT_LIBEXECDIR "/serat-probe");
	PROBE_ARG("--interface");
	PROBE_ARG(p->interface);
	if (p->filter != NULL) {
		PROBE_ARG("--filter");
		PROBE_ARG(p->filter);
	}
	snprintf(num, sizeof(num), "%u", (p->interval_ms ? p->interval_ms : conf->interval_ms) / 1000);
	PROBE_ARG("--interval");
	PROBE_ARG(num);
	PROBE_ARG("--user");
	PROBE_ARG(p->user ? p->user : "nobody");
	snprintf(num, sizeof(num), "%u", p->flow_memory_mb);
	PROBE_ARG("--flow-memory");
	PROBE_ARG(num);
	PROBE_ARG("--fd");
	PROBE_ARG("3");
	for (size_t i = 0; !bad && i < conf->n_sites; i++) {
		const struct site_conf *s = &conf->sites[i];
		if (s->n_subnets == 0)
			continue;
		size_t len = 0;
		for (size_t k = 0; k < s->n_subnets; k++)
			len += strlen(s->subnets[k]) + 1;
		char *list = malloc(len + 1), *q = list;
		if (list == NULL) {
			bad = 1;
			break;
		}
		for (size_t k = 0; k < s->n_subnets; k++)
			q += sprintf(q, "%s%s", k ? "," : "", s->subnets[k]);
		PROBE_ARG("--site");
		if (!bad)
			argv[n++] = list;
		else
			free(list);
		map[ns++] = i;
	}
#undef PROBE_ARG
	if (bad) {
		probe_link_argv_free(argv);
		free(map);
		return NULL;
	}
	*site_of = map;
	*n_sites = ns;
	return argv;
}

/* ---- the child ------------------------------------------------------- */

static void probe_link_stop_child(struct probe_link *pl)
{
	if (pl->ev_read != NULL) {
		event_free(pl->ev_read);
		pl->ev_read = NULL;
	}
	if (pl->fd >= 0) {
		close(pl->fd);
		pl->fd = -1;
	}
	if (pl->pid > 0) {
		/* SIGKILL: the interval in progress is not wanted, and a
		 * reload must not wait for it. */
		kill(pl->pid, SIGKILL);
		while (waitpid(pl->pid, NULL, 0) < 0 && errno == EINTR)
			;
		pl->pid = 0;
	}
	pl->len = 0;
}

static void probe_link_retry_later(struct probe_link *pl, const char *why)
{
	probe_link_stop_child(pl);
	if (pl->backoff_s == 0)
		pl->backoff_s = PROBE_LINK_BACKOFF_MIN;
	log_warn("probe: %s; starting it again in %u s", why, pl->backoff_s);
	struct timeval tv = { (time_t)pl->backoff_s, 0 };
	evtimer_add(pl->ev_retry, &tv);
	pl->backoff_s = pl->backoff_s * 2 > PROBE_LINK_BACKOFF_MAX ? PROBE_LINK_BACKOFF_MAX
								: pl->backoff_s * 2;
}

static void probe_link_site(struct probe_link *pl, const struct probe_msg *m)
{
	if (m->u.site.site >= pl->n_sites)
		return;         /* "every other address": no site to charge */
	size_t ci = pl->site_of[m->u.site.site];
	if (ci >= pl->model->n_sites)
		return;
	struct model_site *site = &pl->model->sites[ci];
	const struct probe_summary *s = &m->u.site.sum;
	double iv = m->u.site.interval_s > 0 ? m->u.site.interval_s : 1;
	static const enum metric_id ids[METRIC_SITE_N] = {
		METRIC_SITE_PACKETS_PS, METRIC_SITE_BPS, METRIC_SITE_TCP_HANDSHAKES_PS,
		METRIC_SITE_HANDSHAKE_RTT_MS, METRIC_SITE_HANDSHAKE_RTT_P95_MS,
		METRIC_SITE_TCP_RETRANS_PCT, METRIC_SITE_ZERO_WINDOWS_PS,
		METRIC_SITE_ICMP_LOSS_PCT, METRIC_SITE_ICMP_RTT_MS,
	};
	double v[METRIC_SITE_N] = {
		(double)s->packets / iv, (double)s->bytes * 8 / iv, (double)s->tcp_handshakes / iv,
		s->tcp_handshake_rtt_median_ms, s->tcp_handshake_rtt_p95_ms, s->tcp_retrans_pct,
		(double)s->tcp_zero_windows / iv, s->icmp_loss_pct, s->icmp_rtt_median_ms,
	};
	double t = (double)m->u.site.start_s + iv;
	struct sample_set set = {
		.object = METRIC_OBJ_SITE, .site = site->name, .t = t,
		.n = METRIC_SITE_N, .metrics = ids, .values = v,
	};
	site->probe_t = t;
	for (size_t k = 0; k < METRIC_SITE_N; k++)
		site->probe_last[k] = (float)v[k];
	sinks_emit_sample(pl->sinks, &set);
}

static void probe_link_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct probe_link *pl = arg;
	ssize_t n = read(fd, pl->buf + pl->len, sizeof(pl->buf) - pl->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		probe_link_retry_later(pl, n == 0 ? "the capture process exited"
						  : "cannot read from the capture process");
		return;
	}
	pl->len += (size_t)n;
	size_t off = 0;
	while (off < pl->len) {
		struct probe_msg m;
		int r = probe_msg_decode(pl->buf + off, pl->len - off, &m);
		if (r == 0)
			break;
		if (r < 0) {
			probe_link_retry_later(pl, "the capture process sent a malformed message");
			return;
		}
		off += (size_t)r;
		if (m.type == PROBE_MSG_HELLO) {
			log_info("probe: capturing on %s as uid %u", pl->conf->probe.interface,
				 m.u.hello.uid);
			pl->backoff_s = 0;
		} else if (m.type == PROBE_MSG_SITE) {
			probe_link_site(pl, &m);
		}
	}
	memmove(pl->buf, pl->buf + off, pl->len - off);
	pl->len -= off;
}

static int probe_link_start_child(struct probe_link *pl)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(sv[0]);
		close(sv[1]);
		return -e;
	}
	if (pid == 0) {
		/* The child: only fd 3 (and stdio for its log) survive exec. */
		if (dup2(sv[1], 3) < 0)
			_exit(127);
		execv(pl->argv[0], pl->argv);
		fprintf(stderr, "serat-probe: cannot run %s: %s\n", pl->argv[0], strerror(errno));
		_exit(127);
	}
	close(sv[1]);
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	pl->fd = sv[0];
	pl->pid = pid;
	pl->ev_read = event_new(pl->base, sv[0], EV_READ | EV_PERSIST, probe_link_on_read, pl);
	if (pl->ev_read == NULL || event_add(pl->ev_read, NULL) < 0) {
		probe_link_stop_child(pl);
		return -ENOMEM;
	}
	return 0;
}

static void probe_link_on_retry(evutil_socket_t fd, short what, void *arg)
{
	struct probe_link *pl = arg;
	int rc = probe_link_start_child(pl);
	if (rc < 0)
		probe_link_retry_later(pl, strerror(-rc));
}

/* ---- lifecycle ------------------------------------------------------- */

struct probe_link *probe_link_new(struct event_base *base, struct sinks *sinks,
				  struct model *model)
{
	struct probe_link *pl = calloc(1, sizeof(*pl));
	if (pl == NULL)
		return NULL;
	pl->base = base;
	pl->sinks = sinks;
	pl->model = model;
	pl->fd = -1;
	pl->ev_retry = evtimer_new(base, probe_link_on_retry, pl);
	if (pl->ev_retry == NULL) {
		free(pl);
		return NULL;
	}
	return pl;
}

int probe_link_configure(struct probe_link *pl, const struct serat_config *conf)
{
	pl->conf = conf;
	if (conf->probe.interface == NULL) {
		if (pl->argv != NULL)
			log_info("probe: no longer configured; stopped");
		probe_link_stop_child(pl);
		evtimer_del(pl->ev_retry);
		probe_link_argv_free(pl->argv);
		pl->argv = NULL;
		return 0;
	}
	size_t *site_of, n_sites;
	char **argv = probe_link_build_argv(conf, &site_of, &n_sites);
	if (argv == NULL) {
		log_err("probe: out of memory");
		return -ENOMEM;
	}
	free(pl->site_of);
	pl->site_of = site_of;
	pl->n_sites = n_sites;
	if ((pl->pid > 0 || evtimer_pending(pl->ev_retry, NULL)) &&
	    probe_link_argv_same(argv, pl->argv)) {
		probe_link_argv_free(argv);
		return 0;
	}
	probe_link_stop_child(pl);
	evtimer_del(pl->ev_retry);
	probe_link_argv_free(pl->argv);
	pl->argv = argv;
	pl->backoff_s = 0;
	log_info("probe: starting %s on %s for %zu sites", argv[0], conf->probe.interface, n_sites);
	int rc = probe_link_start_child(pl);
	if (rc < 0)
		probe_link_retry_later(pl, strerror(-rc));
	return rc;
}

void probe_link_free(struct probe_link *pl)
{
	if (pl == NULL)
		return;
	probe_link_stop_child(pl);
	if (pl->ev_retry)
		event_free(pl->ev_retry);
	probe_link_argv_free(pl->argv);
	free(pl->site_of);
	free(pl);
}
