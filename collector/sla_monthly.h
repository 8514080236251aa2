/*
 * sla_monthly.h — seratd's monthly SLA report (docs/sla.md).
 *
 * Once a minute (and right after start) it looks at the date in the
 * configured zone; when last month's report is missing from
 * <data_dir>/reports/ (YYYY-MM.json, written last) it builds it on its own
 * worker thread — never on the loop: the report reads SQLite and RRD files
 * — into YYYY-MM.html, .csv and .json (each a temporary file renamed when
 * complete), then hands a one-line summary (sites meeting / missing their
 * target, the link) to POST on the loop.  So a report is made at most once
 * per month, also when seratd was down on the 1st; a restart finds the
 * files and neither rebuilds nor posts again.  A month whose build failed
 * (logged) is not tried again until the next start or reload.
 *
 * For tests, the environment variable SERAT_NOW (Unix seconds) replaces
 * the clock for this decision and for the report's "now".
 *
 * The worker reloads the config from its file (a SIGHUP must not free it
 * under the job).
 */
#ifndef SERAT_SLA_MONTHLY_H
#define SERAT_SLA_MONTHLY_H

#include <event2/event.h>

#include "common/config.h"

/* Called on the loop once a report was written: MONTH "YYYY-MM", TEXT the
 * summary (with the link when external_url is set).  Both borrowed for
 * the call. */
typedef void (*sla_monthly_post_fn)(void *arg, const char *month, const char *text);

struct sla_monthly;

/* A scheduler on BASE for CONF (borrowed until the next reload or free).
 * NULL on failure (logged). */
struct sla_monthly *sla_monthly_new(struct event_base *base, const struct serat_config *conf,
				    sla_monthly_post_fn post, void *arg);

/* Use CONF from now on; failed months are tried again. */
void sla_monthly_reload(struct sla_monthly *s, const struct serat_config *conf);

/* Waits for a running build, then frees.  NULL-safe. */
void sla_monthly_free(struct sla_monthly *s);

#endif
