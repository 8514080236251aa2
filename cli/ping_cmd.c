/*
 * ping_cmd.c — `serat ping`, the ICMP prober on a libevent loop of its own
 * for one interval (see ping_cmd.h).  It is what tests and engineers use to
 * see what seratd's prober would measure; the figures are the prober's
 * own, not recomputed here.
 */
#include "config.h"

#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/ping_cmd.h"
#include "cli/serat_cmd.h"
#include "common/config.h"
#include "common/json_out.h"
#include "common/log.h"
#include "probes/icmp_probe.h"

#define PING_ERR_LEN (64 * 1024)

/* One target's figures, kept until the loop ends. */
struct ping_row {
	int done;
	struct icmp_probe_result r;     /* name/addr/rtt_ms point into the run */
	double *rtts;
};

struct ping_run {
	struct icmp_probe_target *targets;
	struct sockaddr_storage *addrs;
	char **names;
	size_t n;
	struct ping_row *rows;
	int nomem;
};

static void ping_usage(FILE *out)
{
	fprintf(out, "usage: serat ping [--config FILE] [--count N] [--period DUR] [--spacing DUR]\n"
		     "                  [--timeout DUR] [--interval DUR] [--socket auto|datagram|raw]\n"
		     "                  [--json] [--verbose] [TARGET...]\n"
		     "durations: 500ms, 1s, 2m (a bare number is seconds)\n"
		     "exit status: 0 every target answered, 1 some did not or probing failed, "
		     "2 usage error\n");
}

static void ping_on_result(const struct icmp_probe_result *r, void *arg)
{
	struct ping_run *run = arg;
	struct ping_row *row = &run->rows[r->target];

	free(row->rtts);
	row->r = *r;
	row->rtts = calloc(r->n_rtt ? r->n_rtt : 1, sizeof(*row->rtts));
	if (row->rtts == NULL) {
		run->nomem = 1;
		return;
	}
	if (r->n_rtt)
		memcpy(row->rtts, r->rtt_ms, r->n_rtt * sizeof(*row->rtts));
	row->r.rtt_ms = row->rtts;
	row->done = 1;
}

static int ping_add_target(struct ping_run *run, const char *name,
			   const struct sockaddr_storage *sa, socklen_t len)
{
	size_t i = run->n++;

	run->addrs[i] = *sa;
	run->names[i] = strdup(name);
	run->targets[i].name = run->names[i];
	run->targets[i].addr = (const struct sockaddr *)&run->addrs[i];
	run->targets[i].addrlen = len;
	return run->names[i] ? 0 : -ENOMEM;
}

static void ping_run_free(struct ping_run *run)
{
	for (size_t i = 0; i < run->n; i++) {
		free(run->names[i]);
		if (run->rows)
			free(run->rows[i].rtts);
	}
	free(run->names);
	free(run->addrs);
	free(run->targets);
	free(run->rows);
}

static void ping_addr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	socklen_t sl = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						 : sizeof(struct sockaddr_in);
	if (getnameinfo(sa, sl, buf, (socklen_t)len, NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(buf, len, "?");
}

/* ,"KEY":NUMBER (null when V is NaN). */
static void ping_json_num(FILE *f, const char *key, double v)
{
	fputs(",", f);
	json_out_key(f, key);
	json_out_num(f, v);
}

static void ping_json_row(FILE *f, const struct ping_row *row)
{
	const struct icmp_probe_result *r = &row->r;
	char addr[64];

	ping_addr_str(r->addr, addr, sizeof(addr));
	fputs("{", f);
	json_out_key(f, "name");
	json_out_str(f, r->name);
	fputs(",", f);
	json_out_key(f, "address");
	json_out_str(f, addr);
	fprintf(f, ",\"sent\":%u,\"received\":%u,\"late\":%u,\"lost\":%u,\"duplicates\":%u,"
		   "\"stale\":%u,\"send_errors\":%u,", r->sent, r->received, r->late, r->lost,
		r->duplicates, r->stale, r->send_errors);
	json_out_key(f, "loss_pct");
	json_out_num(f, r->loss_pct);
	ping_json_num(f, "rtt_min_ms", r->rtt_min_ms);
	ping_json_num(f, "rtt_median_ms", r->rtt_median_ms);
	ping_json_num(f, "rtt_max_ms", r->rtt_max_ms);
	ping_json_num(f, "jitter_ms", r->jitter_ms);
	fputs(",\"errors\":{", f);
	for (int e = 0; e < ICMP_ERR_COUNT; e++)
		fprintf(f, "%s\"%s\":%u", e ? "," : "", icmp_err_class_name(e), r->errors[e]);
	fputs("},\"rtts_ms\":[", f);
	for (size_t i = 0; i < r->n_rtt; i++) {
		if (i)
			fputs(",", f);
		json_out_num(f, r->rtt_ms[i]);
	}
	fputs("]}", f);
}

static void ping_print_json(const struct ping_run *run, struct icmp_probe *p,
			    const struct icmp_probe_opts *o)
{
	const struct icmp_probe_counters *c = icmp_probe_counters(p);
	const char *why;
	enum icmp_sock_kind k = icmp_probe_socket(p, &why);

	fputs("{", stdout);
	json_out_key(stdout, "socket");
	json_out_str(stdout, icmp_sock_kind_name(k));
	fputs(",", stdout);
	json_out_key(stdout, "socket_reason");
	json_out_str(stdout, why);
	printf(",\"count\":%u,\"period_ms\":%u", o->count, o->period_ms);
	ping_json_num(stdout, "spacing_ms", o->spacing_us / 1000.0);
	printf(",\"timeout_ms\":%u,\"interval_ms\":%u,\"targets\":[", o->timeout_ms,
	       o->interval_ms);
	for (size_t i = 0; i < run->n; i++) {
		if (i)
			fputs(",", stdout);
		ping_json_row(stdout, &run->rows[i]);
	}
	printf("],\"counters\":{\"malformed\":%llu,\"foreign\":%llu,\"ignored\":%llu,"
	       "\"recv_errors\":%llu", (unsigned long long)c->malformed,
	       (unsigned long long)c->foreign, (unsigned long long)c->ignored,
	       (unsigned long long)c->recv_errors);
	ping_json_num(stdout, "send_span_ms", c->send_span_ms);
	fputs("}}\n", stdout);
}

static void ping_print_text(const struct ping_run *run)
{
	for (size_t i = 0; i < run->n; i++) {
		const struct icmp_probe_result *r = &run->rows[i].r;
		printf("%-24s sent %u recv %u late %u lost %u (%.0f%%) dup %u",
		       r->name, r->sent, r->received, r->late, r->lost,
		       isnan(r->loss_pct) ? 0.0 : r->loss_pct, r->duplicates);
		if (r->received)
			printf(" rtt min/med/max %.3f/%.3f/%.3f ms", r->rtt_min_ms,
			       r->rtt_median_ms, r->rtt_max_ms);
		if (!isnan(r->jitter_ms))
			printf(" jitter %.3f ms", r->jitter_ms);
		for (int e = 0; e < ICMP_ERR_COUNT; e++)
			if (r->errors[e])
				printf(" %s %u", icmp_err_class_name(e), r->errors[e]);
		printf("\n");
	}
}

/* A duration option into *MS within [MIN, MAX]; 0 or -1 (reported). */
static int ping_duration(const char *opt, const char *text, uint64_t min, uint64_t max,
			 uint64_t *ms)
{
	if (parse_duration_ms(text, ms) < 0 || *ms < min || *ms > max) {
		fprintf(stderr, "serat ping: --%s: invalid duration '%s' (e.g. 10ms, 1s)\n", opt,
			text);
		return -1;
	}
	return 0;
}

/* --spacing: like a duration, but fractions and "us" are allowed
 * ("0.5ms", "250us"): fping-style pacing goes below a millisecond. */
static int ping_spacing_us(const char *text, unsigned *us)
{
	static const struct { const char *unit; double us; } units[] = {
		{ "us", 1 }, { "ms", 1000 }, { "s", 1e6 }, { "", 1e6 },
	};
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (end == text || errno != 0 || !(v >= 0) || *text < '0' || *text > '9')
		goto bad;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].unit) == 0) {
			v *= units[i].us;
			if (v < 100 || v > 60e6)
				goto bad;
			*us = (unsigned)(v + 0.5);
			return 0;
		}
bad:
	fprintf(stderr, "serat ping: --spacing: invalid '%s' (from 100us to 60s, e.g. 10ms, 0.5ms)\n",
		text);
	return -1;
}

struct ping_args {
	const char *config;
	const char *count, *period, *spacing, *timeout, *interval, *socket;
	int json, verbose;
};

/* Options over FILE's (or the default) icmp settings into O; 0 or -1. */
static int ping_settings(const struct ping_args *a, const struct serat_config *conf,
			 struct icmp_probe_opts *o)
{
	struct icmp_conf def;
	const struct icmp_conf *c = conf ? &conf->icmp : &def;
	uint64_t ms;
	char *end;

	icmp_conf_defaults(&def);
	icmp_probe_opts_from_conf(o, c, 0, 1);
	if (a->count) {
		unsigned long n = strtoul(a->count, &end, 10);
		if (*a->count == '\0' || *end != '\0' || n < 1 || n > 1000) {
			fprintf(stderr, "serat ping: --count must be from 1 to 1000\n");
			return -1;
		}
		o->count = (unsigned)n;
	}
	if (a->period) {
		if (ping_duration("period", a->period, 0, 3600000, &ms) < 0)
			return -1;
		o->period_ms = (unsigned)ms;
	}
	if (a->spacing && ping_spacing_us(a->spacing, &o->spacing_us) < 0)
		return -1;
	if (a->timeout) {
		if (ping_duration("timeout", a->timeout, 1, 600000, &ms) < 0)
			return -1;
		o->timeout_ms = (unsigned)ms;
	}
	if (a->interval) {
		if (ping_duration("interval", a->interval, 1, 86400000, &ms) < 0)
			return -1;
		o->interval_ms = (unsigned)ms;
	}
	if (a->socket && icmp_sock_pref_parse(a->socket, &o->sock_pref) < 0) {
		fprintf(stderr, "serat ping: --socket must be auto, datagram or raw\n");
		return -1;
	}
	return 0;
}

/* Collect targets from the command line or CONF into RUN; 0 or -1. */
static int ping_targets(struct ping_run *run, const struct serat_config *conf, int argc,
			char **argv)
{
	size_t max = argc > 0 ? (size_t)argc : (conf ? conf->icmp.n_targets : 0);
	char err[512];

	if (max == 0) {
		fprintf(stderr, "serat ping: no targets (name some, or use a config with icmp targets)\n");
		return -1;
	}
	run->targets = calloc(max, sizeof(*run->targets));
	run->addrs = calloc(max, sizeof(*run->addrs));
	run->names = calloc(max, sizeof(*run->names));
	run->rows = calloc(max, sizeof(*run->rows));
	if (!run->targets || !run->addrs || !run->names || !run->rows) {
		fprintf(stderr, "serat ping: out of memory\n");
		return -1;
	}
	for (int i = 0; i < argc; i++) {
		struct sockaddr_storage sa;
		socklen_t len;
		if (icmp_resolve(argv[i], &sa, &len, err, sizeof(err)) < 0) {
			fprintf(stderr, "serat ping: %s\n", err);
			return -1;
		}
		if (ping_add_target(run, argv[i], &sa, len) < 0)
			return -1;
	}
	for (size_t i = 0; argc == 0 && i < conf->icmp.n_targets; i++) {
		const struct icmp_target_conf *t = &conf->icmp.targets[i];
		if (ping_add_target(run, t->name, &t->addr, t->addrlen) < 0)
			return -1;
	}
	return 0;
}

/* Probe RUN's targets for one interval with O and print; an exit code. */
static int ping_probe(struct ping_run *run, struct icmp_probe_opts *o, int json)
{
	struct event_config *ec = event_config_new();
	struct event_base *base = NULL;
	struct icmp_probe *p = NULL;
	int rc = SERAT_EXIT_FAIL;
	char err[1024];
	const char *why;

	/* The precise timer (CLOCK_MONOTONIC, timerfd): without it libevent
	 * reads CLOCK_MONOTONIC_COARSE, which advances a jiffy (4 ms) at a
	 * time, so a 1 ms spacing would come out as bursts every 4 ms after
	 * three wake-ups that send nothing. */
	if (ec)
		event_config_set_flag(ec, EVENT_BASE_FLAG_PRECISE_TIMER);
	base = ec ? event_base_new_with_config(ec) : NULL;
	if (base == NULL) {
		fprintf(stderr, "serat ping: cannot create an event loop\n");
		goto out;
	}
	if (o->interval_ms == 0)
		o->interval_ms = (unsigned)icmp_conf_span_ms(o->count, o->period_ms, o->spacing_us,
							      o->timeout_ms, run->n) + o->timeout_ms;
	p = icmp_probe_new(base, o, run->targets, run->n, ping_on_result, run, err, sizeof(err));
	if (p == NULL) {
		fprintf(stderr, "serat ping: %s\n", err);
		goto out;
	}
	icmp_probe_socket(p, &why);
	if (!json)
		fprintf(stderr, "serat ping: %s\n", why);
	if (icmp_probe_start(p) < 0) {
		fprintf(stderr, "serat ping: cannot start the prober\n");
		goto out;
	}
	event_base_dispatch(base);
	if (run->nomem) {
		fprintf(stderr, "serat ping: out of memory\n");
		goto out;
	}
	if (json)
		ping_print_json(run, p, o);
	else
		ping_print_text(run);
	rc = SERAT_EXIT_OK;
	for (size_t i = 0; i < run->n; i++)
		if (!run->rows[i].done || run->rows[i].r.received == 0)
			rc = SERAT_EXIT_FAIL;
	if (fflush(stdout) != 0)
		rc = SERAT_EXIT_FAIL;
out:
	icmp_probe_free(p);
	if (base)
		event_base_free(base);
	if (ec)
		event_config_free(ec);
	return rc;
}

int ping_cmd_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "count", required_argument, NULL, 'n' },
		{ "period", required_argument, NULL, 'p' },
		{ "spacing", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' },
		{ "socket", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ping_args a;
	struct serat_config *conf = NULL;
	struct ping_run run;
	struct icmp_probe_opts o;
	int c, rc = SERAT_EXIT_FAIL;

	memset(&a, 0, sizeof(a));
	memset(&run, 0, sizeof(run));
	optind = 1;
	while ((c = getopt_long(argc, argv, "+c:n:p:s:t:i:S:jvh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': a.config = optarg; break;
		case 'n': a.count = optarg; break;
		case 'p': a.period = optarg; break;
		case 's': a.spacing = optarg; break;
		case 't': a.timeout = optarg; break;
		case 'i': a.interval = optarg; break;
		case 'S': a.socket = optarg; break;
		case 'j': a.json = 1; break;
		case 'v': a.verbose = 1; break;
		case 'h':
			ping_usage(stdout);
			return SERAT_EXIT_OK;
		default:
			ping_usage(stderr);
			return SERAT_EXIT_USAGE;
		}
	}
	if (a.verbose)
		log_set_level(LOG_INFO);
	if (a.config) {
		char *err = malloc(PING_ERR_LEN);
		if (err == NULL) {
			fprintf(stderr, "serat ping: out of memory\n");
			return SERAT_EXIT_FAIL;
		}
		conf = config_load(a.config, err, PING_ERR_LEN);
		if (conf == NULL)
			fputs(err, stderr);
		free(err);
		if (conf == NULL)
			return SERAT_EXIT_FAIL;
	}
	if (ping_settings(&a, conf, &o) < 0) {
		rc = SERAT_EXIT_USAGE;
		goto out;
	}
	if (ping_targets(&run, conf, argc - optind, argv + optind) < 0)
		goto out;
	rc = ping_probe(&run, &o, a.json);
out:
	ping_run_free(&run);
	config_free(conf);
	return rc;
}
