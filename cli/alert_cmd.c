/*
 * alert_cmd.c — `serat alert test CHANNEL --config FILE`: send one test
 * message through CHANNEL exactly as seratd would (same payload, headers,
 * TLS verification and timeouts; no spool, no retry) and report the real
 * HTTP result: the status, and the body of an error.
 *
 * Exit status: 0 delivered (2xx), 1 failed (with the reason on stderr),
 * 2 usage error.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "cli/alert_cmd.h"
#include "cli/serat_cmd.h"
#include "collector/alert_render.h"
#include "collector/notify.h"
#include "common/config.h"
#include "common/log.h"

struct ac_state {
	struct event_base *base;
	struct notify *n;
	unsigned sent, failed;
};

static void ac_on_result(void *arg, const struct notify_result *r)
{
	struct ac_state *s = arg;

	if (r->outcome == NOTIFY_DELIVERED) {
		printf("%s: delivered (HTTP %ld, Idempotency-Key %s)\n", r->channel, r->http_status,
		       r->key);
		s->sent++;
	} else {
		if (r->http_status)
			fprintf(stderr, "serat: %s: HTTP %ld: %s\n", r->channel, r->http_status,
				r->error && r->error[0] ? r->error : "(empty body)");
		else
			fprintf(stderr, "serat: %s: %s\n", r->channel, r->error ? r->error : "failed");
		s->failed++;
	}
	if (notify_pending(s->n) <= 1)
		event_base_loopexit(s->base, NULL);
}

static int ac_usage(void)
{
	fprintf(stderr, "usage: serat alert test CHANNEL --config FILE\n");
	return SERAT_EXIT_USAGE;
}

static int ac_test(const struct serat_config *conf, const char *name)
{
	const struct channel_conf *ch = NULL;
	struct ac_state s = { 0 };
	struct alert_item it = { 0 };
	const char *ctype;
	char **bodies = NULL;
	int nb, rc = SERAT_EXIT_FAIL;

	for (size_t i = 0; i < conf->n_channels; i++)
		if (strcmp(conf->channels[i].name, name) == 0)
			ch = &conf->channels[i];
	if (ch == NULL) {
		fprintf(stderr, "serat: no channel '%s' in %s\n", name, conf->path);
		return SERAT_EXIT_FAIL;
	}
	it.status = ALERT_FIRING;
	it.alertname = "Test";
	it.severity = "info";
	it.starts_at = (double)time(NULL);
	alert_fingerprint("Test", NULL, NULL, it.fingerprint);
	if ((nb = alert_render(conf, ch, &it, 1, &bodies, &ctype)) < 0) {
		fprintf(stderr, "serat: cannot render the test message: %s\n", strerror(-nb));
		return SERAT_EXIT_FAIL;
	}
	if ((s.base = event_base_new()) == NULL ||
	    (s.n = notify_new(s.base, NULL, NULL)) == NULL)
		goto out;
	notify_set_one_shot(s.n, 1);
	notify_set_result_cb(s.n, ac_on_result, &s);
	notify_reload(s.n, conf);
	for (int i = 0; i < nb; i++)
		if (notify_submit(s.n, ch->name, ctype, bodies[i], NULL) < 0)
			goto out;
	event_base_dispatch(s.base);
	rc = s.failed == 0 && s.sent == (unsigned)nb ? SERAT_EXIT_OK : SERAT_EXIT_FAIL;
out:
	alert_strv_free(bodies);
	notify_free(s.n);
	if (s.base)
		event_base_free(s.base);
	return rc;
}

int alert_cmd_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL, *channel;
	struct serat_config *conf;
	char err[8192];
	int c, rc;

	if (argc < 2 || strcmp(argv[1], "test") != 0)
		return ac_usage();
	argc--;
	argv++;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'h':
			printf("usage: serat alert test CHANNEL --config FILE\n"
			       "exit status: 0 delivered, 1 failed, 2 usage error\n");
			return SERAT_EXIT_OK;
		default: return ac_usage();
		}
	}
	if (path == NULL || optind != argc - 1)
		return ac_usage();
	channel = argv[optind];
	if ((conf = config_load(path, err, sizeof(err))) == NULL) {
		fputs(err, stderr);
		return SERAT_EXIT_FAIL;
	}
	log_set_level(LOG_CRIT);   /* the result is printed, not logged */
	rc = ac_test(conf, channel);
	config_free(conf);
	return rc;
}
