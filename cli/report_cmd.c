/*
 * report_cmd.c — `serat report sla --config FILE --month YYYY-MM [--site S]
 * --format html|csv|json [--lang id|en] [--out FILE] [--events DB]`.
 *
 * Reads the event store and the RRD files directly; seratd need not run.
 * The output goes to a temporary file beside --out and is renamed into
 * place only when complete, so a reader never sees half a report.
 * --lang defaults to the config's `language` (id unless set).
 * SOURCE_DATE_EPOCH, when set, is the report's generated_at (reproducible
 * output for tests and archives).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/report_cmd.h"
#include "cli/serat_cmd.h"
#include "common/config.h"
#include "graphs/sla_model.h"
#include "graphs/sla_report.h"
#include "graphs/sla_time.h"

#define REPORT_USAGE \
	"usage: serat report sla --config FILE --month YYYY-MM [--site SITE]\n" \
	"                        --format html|csv|json [--lang id|en] [--out FILE]\n" \
	"                        [--events EVENTS.DB]\n"

#define REPORT_ERR_LEN (64 * 1024)

static int64_t report_now(int64_t *generated)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	int64_t now = (int64_t)time(NULL);
	char *end;

	*generated = now;
	if (sde && *sde) {
		long long v = strtoll(sde, &end, 10);
		if (*end == '\0' && v > 0)
			*generated = v;
	}
	return now;
}

/* Write the report to OUT (NULL = stdout) atomically. */
static int report_emit(const struct sla_model *m, enum sla_format fmt, enum sla_lang lang,
		       const char *out)
{
	char tmp[4096];
	FILE *f;
	int r;

	if (out == NULL || strcmp(out, "-") == 0)
		return sla_report_write(stdout, m, fmt, lang);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", out, (long)getpid()) >= (int)sizeof(tmp)) {
		fprintf(stderr, "serat report: %s: name too long\n", out);
		return -ENAMETOOLONG;
	}
	if ((f = fopen(tmp, "w")) == NULL) {
		r = -errno;
		fprintf(stderr, "serat report: %s: %s\n", tmp, strerror(-r));
		return r;
	}
	r = sla_report_write(f, m, fmt, lang);
	if (fclose(f) != 0 && r == 0)
		r = -EIO;
	if (r == 0 && rename(tmp, out) != 0)
		r = -errno;
	if (r < 0) {
		fprintf(stderr, "serat report: %s: %s\n", out, strerror(-r));
		unlink(tmp);
	}
	return r;
}

static int report_sla(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "month", required_argument, NULL, 'm' },
		{ "site", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "lang", required_argument, NULL, 'l' },
		{ "out", required_argument, NULL, 'o' },
		{ "events", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *cfg = NULL, *month = NULL, *out = NULL;
	struct sla_model_opts mo = { 0 };
	enum sla_format fmt = SLA_FMT_HTML;
	enum sla_lang lang = SLA_LANG_ID;
	struct serat_config *conf;
	struct sla_model *m = NULL;
	int have_fmt = 0, lang_set = 0, c, r;
	char *err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+c:m:s:f:l:o:e:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': cfg = optarg; break;
		case 'm': month = optarg; break;
		case 's': mo.site = optarg; break;
		case 'o': out = optarg; break;
		case 'e': mo.events_path = optarg; break;
		case 'f':
			if (sla_format_parse(optarg, &fmt) < 0) {
				fprintf(stderr, "serat report: --format must be html, csv or json, "
						"not '%s'\n", optarg);
				return SERAT_EXIT_USAGE;
			}
			have_fmt = 1;
			break;
		case 'l':
			if (sla_lang_parse(optarg, &lang) < 0) {
				fprintf(stderr, "serat report: --lang must be id or en, not '%s'\n",
					optarg);
				return SERAT_EXIT_USAGE;
			}
			lang_set = 1;
			break;
		case 'h':
			fputs(REPORT_USAGE, stdout);
			return SERAT_EXIT_OK;
		default:
			fputs(REPORT_USAGE, stderr);
			return SERAT_EXIT_USAGE;
		}
	}
	if (cfg == NULL || month == NULL || !have_fmt || optind != argc) {
		fputs(REPORT_USAGE, stderr);
		return SERAT_EXIT_USAGE;
	}
	if (sla_month_parse(month, &mo.year, &mo.month) < 0) {
		fprintf(stderr, "serat report: --month must be YYYY-MM, not '%s'\n", month);
		return SERAT_EXIT_USAGE;
	}
	if ((err = malloc(REPORT_ERR_LEN)) == NULL) {
		fprintf(stderr, "serat report: out of memory\n");
		return SERAT_EXIT_FAIL;
	}
	if ((conf = config_load(cfg, err, REPORT_ERR_LEN)) == NULL) {
		fputs(err, stderr);
		free(err);
		return SERAT_EXIT_FAIL;
	}
	mo.conf = conf;
	/* Without --lang, the config's `language` (dashboard, messages). */
	if (!lang_set && conf->language != NULL)
		sla_lang_parse(conf->language, &lang);
	mo.now = report_now(&mo.generated_at);
	r = sla_model_build(&m, &mo, err, REPORT_ERR_LEN);
	if (r < 0)
		fprintf(stderr, "serat report: %s\n", err);
	else
		r = report_emit(m, fmt, lang, out);
	sla_model_free(m);
	config_free(conf);
	free(err);
	return r < 0 ? SERAT_EXIT_FAIL : SERAT_EXIT_OK;
}

int report_cmd_main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(REPORT_USAGE, argc < 2 ? stderr : stdout);
		return argc < 2 ? SERAT_EXIT_USAGE : SERAT_EXIT_OK;
	}
	if (strcmp(argv[1], "sla") == 0)
		return report_sla(argc - 1, argv + 1);
	fprintf(stderr, "serat report: unknown report '%s' (there is: sla)\n", argv[1]);
	return SERAT_EXIT_USAGE;
}
