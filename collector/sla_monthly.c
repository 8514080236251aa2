/*
 * sla_monthly.c — last month's SLA report, made by seratd on its own
 * thread (see sla_monthly.h).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collector/bg_worker.h"
#include "collector/sla_monthly.h"
#include "common/fs_util.h"
#include "common/log.h"
#include "common/tz.h"
#include "graphs/sla_model.h"
#include "graphs/sla_report.h"

#define SM_CHECK_S 60

struct sla_monthly {
	struct event_base *base;
	const struct serat_config *conf;
	struct bg_worker *worker;
	struct event *ev_check;
	sla_monthly_post_fn post;
	void *arg;
	int busy;                  /* a build is queued or running */
	char failed[24];           /* month whose build failed, not retried */
};

/* One build: inputs copied on the loop, results read back there. */
struct sm_job {
	struct sla_monthly *s;
	char *conf_path, *dir;
	int year, month;
	int64_t now;
	char name[24];             /* "YYYY-MM" (room for any int) */
	unsigned meeting, missing, unknown;
	int lang_en;
};

/* The clock, or SERAT_NOW (tests). */
static int64_t sm_now(void)
{
	const char *v = getenv("SERAT_NOW");
	char *end;
	long long t;

	if (v && *v) {
		t = strtoll(v, &end, 10);
		if (*end == '\0' && t > 0)
			return t;
	}
	return (int64_t)time(NULL);
}

/* Write M as FMT to DIR/NAME.EXT: temporary file, fsync, rename. */
static int sm_write(const struct sla_model *m, const char *dir, const char *name,
		    const char *ext, enum sla_format fmt, enum sla_lang lang)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return -errno;
	r = sla_report_write(f, m, fmt, lang);
	if (r == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0))
		r = -errno;
	if (fclose(f) != 0 && r == 0)
		r = -EIO;
	if (r == 0 && rename(tmp, path) != 0)
		r = -errno;
	if (r < 0) {
		log_err("sla: %s: %s", path, strerror(-r));
		unlink(tmp);
	}
	return r;
}

/* Worker thread: the config read afresh, the model, three files (JSON last:
 * its presence says the month is done). */
static int sm_run(void *arg)
{
	struct sm_job *j = arg;
	struct sla_model_opts mo = { 0 };
	struct sla_model *m = NULL;
	struct serat_config *conf;
	enum sla_lang lang = SLA_LANG_ID;
	char err[1024];
	int r;

	if ((conf = config_load(j->conf_path, err, sizeof(err))) == NULL) {
		log_err("sla: cannot read %s for the %s report: %s", j->conf_path, j->name, err);
		return -EINVAL;
	}
	if (conf->language)
		sla_lang_parse(conf->language, &lang);
	j->lang_en = lang == SLA_LANG_EN;
	mo.conf = conf;
	mo.year = j->year;
	mo.month = j->month;
	mo.now = j->now;
	mo.generated_at = j->now;
	if ((r = sla_model_build(&m, &mo, err, sizeof(err))) < 0)
		log_err("sla: cannot build the %s report: %s", j->name, err);
	if (r == 0 && (r = sm_write(m, j->dir, j->name, "html", SLA_FMT_HTML, lang)) == 0 &&
	    (r = sm_write(m, j->dir, j->name, "csv", SLA_FMT_CSV, lang)) == 0)
		r = sm_write(m, j->dir, j->name, "json", SLA_FMT_JSON, lang);
	if (r == 0)
		sla_report_counts(m, &j->meeting, &j->missing, &j->unknown);
	sla_model_free(m);
	config_free(conf);
	return r;
}

static void sm_job_free(struct sm_job *j)
{
	if (j == NULL)
		return;
	free(j->conf_path);
	free(j->dir);
	free(j);
}

/* Loop: the summary to the channels. */
static void sm_done(void *arg, int rc)
{
	struct sm_job *j = arg;
	struct sla_monthly *s = j->s;
	const char *url = s->conf->external_url;
	char text[512];

	s->busy = 0;
	if (rc < 0) {
		memcpy(s->failed, j->name, sizeof(s->failed));
	} else {
		log_info("sla: %s report written to %s", j->name, j->dir);
		snprintf(text, sizeof(text),
			 j->lang_en ? "SLA report %s: %u sites meet their target, %u miss it, %u without data%s%s%s%s"
				    : "Laporan SLA %s: %u situs memenuhi target, %u tidak, %u tanpa data%s%s%s%s",
			 j->name, j->meeting, j->missing, j->unknown, url ? " — " : "",
			 url ? url : "", url ? "/reports/" : "", url ? j->name : "");
		if (url)
			strncat(text, ".html", sizeof(text) - strlen(text) - 1);
		if (s->post)
			s->post(s->arg, j->name, text);
	}
	sm_job_free(j);
}

/* Last month (in the zone) is due when its JSON is missing. */
static void sm_check(evutil_socket_t fd, short what, void *arg)
{
	struct sla_monthly *s = arg;
	const struct serat_config *c = s->conf;
	struct sm_job *j;
	struct tm tm;
	struct stat st;
	char path[PATH_MAX];
	struct timeval every = { SM_CHECK_S, 0 };
	int64_t now = sm_now();
	int r;

	(void)fd;
	(void)what;
	event_add(s->ev_check, &every);
	if (s->busy || tz_localtime(c->timezone, (time_t)now, &tm) < 0)
		return;
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return;
	j->s = s;
	j->now = now;
	j->year = tm.tm_year + 1900 - (tm.tm_mon == 0);
	j->month = tm.tm_mon == 0 ? 12 : tm.tm_mon;
	snprintf(j->name, sizeof(j->name), "%04d-%02d", j->year % 10000, j->month);
	snprintf(path, sizeof(path), "%s/reports/%s.json", c->data_dir, j->name);
	if (strcmp(s->failed, j->name) == 0 || stat(path, &st) == 0) {
		sm_job_free(j);
		return;
	}
	/* The event store is created by its first record (the first poll
	 * that answers): until then there is nothing to report from, and no
	 * failure either; look again soon. */
	snprintf(path, sizeof(path), "%s/events.db", c->data_dir);
	if (stat(path, &st) != 0) {
		struct timeval soon = { 2, 0 };
		event_add(s->ev_check, &soon);
		sm_job_free(j);
		return;
	}
	j->conf_path = strdup(c->path);
	if (asprintf(&j->dir, "%s/reports", c->data_dir) < 0)
		j->dir = NULL;
	if (j->conf_path == NULL || j->dir == NULL) {
		sm_job_free(j);
		return;
	}
	if ((r = fs_mkdirs(j->dir, 0755)) < 0) {
		log_err("sla: cannot create %s: %s", j->dir, strerror(-r));
		memcpy(s->failed, j->name, sizeof(s->failed));
		sm_job_free(j);
		return;
	}
	log_info("sla: building the %s report", j->name);
	s->busy = 1;
	if (bg_worker_submit(s->worker, sm_run, sm_done, j) < 0) {
		s->busy = 0;
		sm_job_free(j);
	}
}

struct sla_monthly *sla_monthly_new(struct event_base *base, const struct serat_config *conf,
				    sla_monthly_post_fn post, void *arg)
{
	struct sla_monthly *s = calloc(1, sizeof(*s));
	struct timeval soon = { 0, 0 };

	if (s == NULL)
		goto fail;
	s->base = base;
	s->conf = conf;
	s->post = post;
	s->arg = arg;
	if ((s->worker = bg_worker_new(base, "sla")) == NULL ||
	    (s->ev_check = evtimer_new(base, sm_check, s)) == NULL ||
	    event_add(s->ev_check, &soon) < 0)
		goto fail;
	return s;
fail:
	log_err("sla: cannot start the monthly report");
	sla_monthly_free(s);
	return NULL;
}

void sla_monthly_reload(struct sla_monthly *s, const struct serat_config *conf)
{
	s->conf = conf;
	s->failed[0] = '\0';
}

void sla_monthly_free(struct sla_monthly *s)
{
	if (s == NULL)
		return;
	if (s->ev_check)
		event_free(s->ev_check);
	bg_worker_free(s->worker);   /* drains: sm_done runs and frees the job */
	free(s);
}
