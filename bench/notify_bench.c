/*
 * notify_bench.c — 1,000 notifications through seratd's notifier: spool
 * (fsync on the worker thread), libcurl multi on a libevent loop, retries.
 *
 *   notify_bench --url URL [--n N] [--spool DIR]
 *
 * Queues N Alertmanager webhook payloads (one DeviceDown alert each, the
 * shape seratd sends) at once to one channel, runs the loop until every
 * one is delivered (retrying failures with the real backoff), and prints
 *
 *   delivered N attempts A drain_s S p99_s P cpu_s C cpu_us_per_notification U
 *
 * CPU is the whole process (all threads: the fsync worker too).  See
 * bench/README.md and bench/notify_bench.sh.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "collector/alert_format.h"
#include "collector/bg_worker.h"
#include "collector/notify.h"
#include "common/config.h"
#include "common/log.h"

struct nb {
	struct event_base *base;
	size_t n, done, delivered;
	unsigned long attempts;
	double start, t99;         /* when 99 % were final */
};

static double nb_clock(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nb_result(void *arg, const struct notify_result *r)
{
	struct nb *b = arg;

	b->attempts += r->attempts;
	b->delivered += r->outcome == NOTIFY_DELIVERED;
	if (++b->done * 100 == b->n * 99 || (b->t99 == 0 && b->done * 100 >= b->n * 99))
		b->t99 = nb_clock(CLOCK_MONOTONIC) - b->start;
	if (b->done == b->n)
		event_base_loopexit(b->base, NULL);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "n", required_argument, NULL, 'n' },
		{ "spool", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *url = NULL, *spool = "notify_bench.spool";
	struct nb b = { .n = 1000 };
	int c;

	while ((c = getopt_long(argc, argv, "u:n:s:", opts, NULL)) != -1) {
		switch (c) {
		case 'u': url = optarg; break;
		case 'n': b.n = (size_t)strtoul(optarg, NULL, 10); break;
		case 's': spool = optarg; break;
		default: goto usage;
		}
	}
	if (url == NULL || b.n == 0)
		goto usage;
	log_open("notify_bench", 0, LOG_ERR);

	struct channel_conf ch = { .name = "bench", .type = CHANNEL_WEBHOOK, .url = (char *)url,
				   .language = -1 };
	struct serat_config conf = { .channels = &ch, .n_channels = 1 };
	conf.alerts = (struct alerts_conf){ .retry_for_s = 3600, .connect_timeout_ms = 10000,
					    .timeout_ms = 30000, .group_window_ms = 0 };
	struct alert_item it = { .status = ALERT_FIRING, .alertname = "DeviceDown",
				 .device = "ngr-batangkabung", .site = "Nagari Batang Kabung",
				 .kind = "nagari", .severity = "critical", .cause = "kec-kototangah",
				 .detail = "no response from 10.30.1.2:161 (2 tries of 2 s)",
				 .starts_at = (double)time(NULL) };
	alert_fingerprint("DeviceDown", it.device, NULL, it.fingerprint);
	struct alert_msg m = { .receiver = "bench", .items = &it, .n = 1,
			       .external_url = "https://serat.example.go.id" };
	char *body = alert_fmt_webhook(&m);

	b.base = event_base_new();
	struct bg_worker *w = bg_worker_new(b.base, "bench");
	struct notify *n = notify_new(b.base, w, spool);
	if (body == NULL || w == NULL || n == NULL || notify_load_spool(n) < 0)
		return 1;
	notify_reload(n, &conf);
	notify_set_result_cb(n, nb_result, &b);

	double w0 = b.start = nb_clock(CLOCK_MONOTONIC), c0 = nb_clock(CLOCK_PROCESS_CPUTIME_ID);
	for (size_t i = 0; i < b.n; i++)
		if (notify_submit(n, "bench", "application/json", body, NULL) < 0)
			return 1;
	event_base_dispatch(b.base);
	bg_worker_drain(w);        /* the spool removals are part of the work */
	double drain = nb_clock(CLOCK_MONOTONIC) - w0;
	double cpu = nb_clock(CLOCK_PROCESS_CPUTIME_ID) - c0;
	printf("delivered %zu attempts %lu drain_s %.3f p99_s %.3f cpu_s %.3f "
	       "cpu_us_per_notification %.1f\n", b.delivered, b.attempts, drain, b.t99, cpu,
	       cpu * 1e6 / (double)b.n);
	notify_free(n);
	bg_worker_free(w);
	event_base_free(b.base);
	free(body);
	return b.delivered == b.n ? 0 : 1;
usage:
	fprintf(stderr, "usage: notify_bench --url URL [--n N] [--spool DIR]\n");
	return 2;
}
