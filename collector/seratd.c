/*
 * seratd.c — the serat daemon: load the config, run the collector on one
 * libevent loop until SIGTERM.
 *
 *   seratd --config FILE [--foreground] [--cycles N] [--pidfile F] [--no-store]
 *
 * Signals are handled through libevent (the handler runs on the loop, not
 * in signal context).  SIGHUP loads the config again and swaps it in only
 * when it is valid; a bad one is logged and the running one kept.
 *
 * Exit codes: 0 clean stop, 1 bad configuration or start-up failure,
 * 2 usage error.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "collector/alert_engine.h"
#include "collector/alert_view.h"
#include "collector/collector.h"
#include "collector/lateness_probe.h"
#include "collector/model.h"
#include "collector/icmp_link.h"
#include "collector/probe_link.h"
#include "collector/rrd_sink.h"
#include "collector/http_server.h"
#include "collector/sink.h"
#include "collector/snmp_poll.h"
#include "collector/status_write.h"
#include "common/config.h"
#include "common/fs_util.h"
#include "common/log.h"

struct seratd {
	const char *config_path;
	const char *pidfile;
	unsigned cycles;
	int no_store;
	const char *lateness_log;      /* --lateness-log (bench/loop_lateness.sh) */
	struct event_base *base;
	struct serat_config *conf;     /* the running one; owned */
	struct model *model;           /* lives as long as seratd */
	struct sinks *sinks;           /* likewise */
	struct collector *collector;
	struct probe_link *probe;      /* the passive probe's child, if configured */
	struct icmp_link *icmp;        /* the active ICMP prober, if targets */
	struct collector_stats stats_past;  /* totals of collectors before a reload */
	struct event *ev_status;       /* writes status.json once per interval */
	struct http_server *http;      /* the dashboard; NULL if it could not start */
	struct log_complain status_complain;
};

/* seratd's counters for /metrics. */
static void seratd_health(void *arg, struct http_health *out)
{
	struct seratd *s = arg;
	struct collector_stats st = { 0 };
	if (s->collector)
		collector_get_stats(s->collector, &st);
	/* Counters keep counting across reloads (Prometheus' rate() wants
	 * them monotonic): earlier collectors' totals are in s->stats_past. */
	out->polls = s->stats_past.polls + st.polls;
	out->failures = s->stats_past.failures + st.failures;
	out->overruns = s->stats_past.overruns + st.overruns;
	out->last_cycle_s = st.last_cycle_s;
	struct rrd_store *store = rrd_sink_store(s->sinks);
	if (store != NULL) {
		struct rrd_store_stats rs;
		rrd_store_get_stats(store, &rs);
		out->rrd_errors = (long long)rs.errors;
		out->rrd_dropped = (long long)rs.dropped;
		/* Accepted and not yet finished with (dropped ones were
		 * never accepted). */
		out->rrd_queue = (long long)(rs.queued - rs.written - rs.skipped - rs.errors);
		if (out->rrd_queue < 0)
			out->rrd_queue = 0;
	} else {
		out->rrd_errors = out->rrd_queue = out->rrd_dropped = -1;
	}
}

static void seratd_usage(FILE *out)
{
	fprintf(out,
		"usage: seratd --config FILE [--foreground] [--cycles N] [--pidfile FILE] [--no-store]\n"
		"  -c, --config FILE   configuration (see serat.yaml(5))\n"
		"  -f, --foreground    stay in the foreground, log to stderr\n"
		"  -n, --cycles N      poll every device N times, then exit\n"
		"  -p, --pidfile FILE  write the daemon's PID to FILE\n"
		"      --no-store      do not write RRD files (benchmarks)\n"
		"      --lateness-log FILE  log a 100 ms timer's lateness (benchmarks)\n"
		"  -h, --help          this text\n"
		"  -V, --version       print the version\n");
}

static struct serat_config *seratd_load(const char *path)
{
	char err[8192];
	struct serat_config *conf = config_load(path, err, sizeof(err));
	if (conf == NULL) {
		/* One log line per error, as check-config prints them. */
		for (char *line = strtok(err, "\n"); line; line = strtok(NULL, "\n"))
			log_err("%s", line);
		return NULL;
	}
	char why[PATH_MAX + 256];
	if (data_dir_check(conf->data_dir, why, sizeof(why)) < 0 ||
	    fd_limit_ensure(conf->n_devices + FD_LIMIT_MARGIN, why, sizeof(why)) < 0) {
		log_err("%s", why);
		config_free(conf);
		return NULL;
	}
	/* A daemon runs in "/": a relative data_dir must mean what it meant
	 * where seratd was started. */
	char *abs = realpath(conf->data_dir, NULL);
	if (abs == NULL) {
		log_err("cannot resolve data_dir %s: %s", conf->data_dir, strerror(errno));
		config_free(conf);
		return NULL;
	}
	free(conf->data_dir);
	conf->data_dir = abs;
	return conf;
}

/*
 * Make CONF (takes ownership) the running config: a new collector for it,
 * the model reconciled with it by name, the sinks told.  The previous
 * collector is freed only once the new one exists and the model took the
 * new config, so a failed reload leaves the old config polling.  Its polls
 * in flight are dropped: no sample, no false outage.
 */
static int seratd_run_config(struct seratd *s, struct serat_config *conf)
{
	struct collector *c = collector_new(s->base, conf, s->sinks, s->cycles);
	if (c == NULL || model_reconcile(s->model, conf) < 0) {
		collector_free(c);
		config_free(conf);
		return -ENOMEM;
	}
	if (s->collector != NULL) {
		struct collector_stats st;
		collector_get_stats(s->collector, &st);
		s->stats_past.polls += st.polls;
		s->stats_past.failures += st.failures;
		s->stats_past.overruns += st.overruns;
	}
	collector_free(s->collector);
	if (s->conf != NULL) {
		/* Everyone who borrowed the old config moves to the new one
		 * before it is freed (they may compare the two). */
		sinks_reload(s->sinks, conf);
		if (s->http)
			http_server_reload(s->http, conf);
	}
	config_free(s->conf);
	s->conf = conf;
	s->collector = c;
	log_set_level(conf->log_level);
	collector_attach(c, s->model);
	collector_start(c);
	probe_link_configure(s->probe, conf);
	icmp_link_configure(s->icmp, conf);
	double interval = conf->interval_ms / 1000.0;
	struct timeval tv = { (time_t)interval, (suseconds_t)((interval - (time_t)interval) * 1e6) };
	event_add(s->ev_status, &tv);
	log_info("polling %zu devices every %.3g s", conf->n_devices, interval);
	return 0;
}

static void seratd_on_status(evutil_socket_t fd, short what, void *arg)
{
	struct seratd *s = arg;
	status_write(s->model, s->conf, &s->status_complain);
}

static void seratd_on_stop(evutil_socket_t sig, short what, void *arg)
{
	struct seratd *s = arg;
	log_info("signal %d: stopping", (int)sig);
	event_base_loopexit(s->base, NULL);
}

static void seratd_on_hup(evutil_socket_t sig, short what, void *arg)
{
	struct seratd *s = arg;
	log_info("SIGHUP: reloading %s", s->config_path);
	struct serat_config *conf = seratd_load(s->config_path);
	if (conf == NULL) {
		log_err("reload rejected: keeping the running configuration");
		return;
	}
	/* Devices and interfaces that remain keep their history: the next
	 * poll yields rates, not a gap. */
	if (seratd_run_config(s, conf) < 0)
		log_err("reload failed: out of memory; keeping the running configuration");
}

static int seratd_write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		log_err("cannot write pidfile %s: %s", path, strerror(errno));
		return -errno;
	}
	fprintf(f, "%ld\n", (long)getpid());
	return fclose(f) == 0 ? 0 : -EIO;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "cycles", required_argument, NULL, 'n' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "no-store", no_argument, NULL, 'S' },
		{ "lateness-log", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct seratd s = { 0 };
	int foreground = 0, opt;

	while ((opt = getopt_long(argc, argv, "c:fn:p:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': s.config_path = optarg; break;
		case 'f': foreground = 1; break;
		case 'n': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end != '\0' || n < 1 || n > 1000000) {
				fprintf(stderr, "seratd: --cycles wants a positive number\n");
				return 2;
			}
			s.cycles = (unsigned)n;
			break;
		}
		case 'p': s.pidfile = optarg; break;
		case 'S': s.no_store = 1; break;
		case 'L': s.lateness_log = optarg; break;
		case 'h': seratd_usage(stdout); return 0;
		case 'V': printf("seratd %s\n", PACKAGE_VERSION); return 0;
		default: seratd_usage(stderr); return 2;
		}
	}
	if (s.config_path == NULL || optind != argc) {
		seratd_usage(stderr);
		return 2;
	}
	/* --cycles is a one-shot run: it always stays in the foreground. */
	if (s.cycles > 0)
		foreground = 1;
	log_open("seratd", !foreground, LOG_INFO);

	/* SIGHUP re-reads the file after daemon() moved us to "/". */
	char *config_abs = realpath(s.config_path, NULL);
	if (config_abs == NULL) {
		log_err("cannot open %s: %s", s.config_path, strerror(errno));
		return 1;
	}
	s.config_path = config_abs;
	struct serat_config *conf = seratd_load(s.config_path);
	if (conf == NULL) {
		free(config_abs);
		return 1;
	}
	if (!foreground && daemon(0, 0) != 0) {
		log_err("cannot detach: %s", strerror(errno));
		config_free(conf);
		return 1;
	}
	if (s.pidfile && seratd_write_pidfile(s.pidfile) < 0) {
		config_free(conf);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	/* A precise timer: the ICMP prober paces sends a millisecond apart,
	 * which libevent's default coarse clock (4 ms ticks) would bunch. */
	struct event_config *ecfg = event_config_new();
	if (ecfg != NULL)
		event_config_set_flag(ecfg, EVENT_BASE_FLAG_PRECISE_TIMER);
	s.base = ecfg ? event_base_new_with_config(ecfg) : NULL;
	if (ecfg != NULL)
		event_config_free(ecfg);
	if (s.base == NULL) {
		log_err("cannot create the event loop");
		config_free(conf);
		return 1;
	}
	struct event *ev_term = evsignal_new(s.base, SIGTERM, seratd_on_stop, &s);
	struct event *ev_int = evsignal_new(s.base, SIGINT, seratd_on_stop, &s);
	struct event *ev_hup = evsignal_new(s.base, SIGHUP, seratd_on_hup, &s);
	event_add(ev_term, NULL);
	event_add(ev_int, NULL);
	event_add(ev_hup, NULL);

	struct lateness_probe *probe = s.lateness_log
		? lateness_probe_new(s.base, s.lateness_log, 0.1) : NULL;
	snmp_poll_library_init("seratd");
	log_info("serat %s starting", PACKAGE_VERSION);
	/* Times on pages and graph axes in the configured zone (WIB by
	 * default); set before any thread starts.  A new timezone in a
	 * reloaded config applies at restart. */
	setenv("TZ", conf->timezone, 1);
	tzset();
	int rc = 1;
	s.model = model_new();
	s.sinks = sinks_new();
	s.ev_status = event_new(s.base, -1, EV_PERSIST, seratd_on_status, &s);
	s.probe = probe_link_new(s.base, s.sinks, s.model);
	s.icmp = icmp_link_new(s.base, s.sinks);
	if (s.model == NULL || s.sinks == NULL || s.ev_status == NULL || s.probe == NULL ||
	    s.icmp == NULL) {
		log_err("cannot start: out of memory");
		config_free(conf);
	} else if (!s.no_store && rrd_sink_add(s.sinks, conf) < 0) {
		config_free(conf);
	} else {
		/* Without alerts (the engine logs why) polling and graphs go on. */
		(void)alert_sink_add(s.sinks, s.base, s.model, conf);
		if (seratd_run_config(&s, conf) == 0) {
			rc = 0;
			/* The dashboard is not worth stopping the polling for: a busy
			 * port is logged and seratd polls on without it. */
			s.http = http_server_new(s.base, s.conf, s.model, seratd_health, &s);
			http_server_set_alerts(s.http, alert_sink_engine(s.sinks));
			event_base_dispatch(s.base);
		}
	}
	http_server_free(s.http);

	/* Stop polling first (a poll in flight is no sample), then make what
	 * was emitted durable: readers of status.json may open the RRD files
	 * right away (`seratd --cycles N && serat status`). */
	collector_free(s.collector);
	probe_link_free(s.probe);
	icmp_link_free(s.icmp);
	if (s.conf != NULL) {
		sinks_flush(s.sinks);
		status_write(s.model, s.conf, &s.status_complain);
		/* A one-shot run that could store nothing failed. */
		struct rrd_store *store = rrd_sink_store(s.sinks);
		if (s.cycles > 0 && store != NULL && rrd_store_stored_nothing(store)) {
			log_err("nothing could be stored under %s/rrd", s.conf->data_dir);
			rc = 1;
		}
	}
	sinks_free(s.sinks);
	model_free(s.model);
	config_free(s.conf);
	if (s.ev_status)
		event_free(s.ev_status);
	event_free(ev_term);
	event_free(ev_int);
	event_free(ev_hup);
	lateness_probe_free(probe);
	event_base_free(s.base);
	snmp_poll_library_shutdown("seratd");
	if (s.pidfile)
		unlink(s.pidfile);
	log_info("stopped");
	free(config_abs);
	return rc;
}
