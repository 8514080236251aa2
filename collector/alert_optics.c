/*
 * alert_optics.c — the built-in optical rules (docs/alerts.md):
 *
 *   OpticalRxLow   if.rx_power_dbm below the port's low alarm threshold,
 *                  as the model resolved it (config optics_thresholds, else
 *                  the device's, else the profile's; its source is named);
 *   OpticalDrift   if.rx_power_dbm more than alerts.drift dB below the
 *                  port's own median over alerts.drift_window.
 *
 * Both only for a port that is oper up in the model's interface table: a
 * down port, an empty cage or a dark port (no reading: the sample carries
 * NAN) never raises them, and a port going down clears what it had.
 * The history is kept here, per (device, port), see alert_optics.h.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/alert_int.h"
#include "collector/alert_optics.h"
#include "common/optics.h"

#define AO_BUCKETS 512

int ae_drift_hist_add(struct ae_drift_hist *h, double t, double dbm, double period)
{
	if (!isfinite(dbm) || (h->n > 0 && t - h->last_t < period))
		return 0;
	h->v[h->pos] = (float)dbm;
	h->pos = (h->pos + 1) % AE_DRIFT_SLOTS;
	if (h->n < AE_DRIFT_SLOTS)
		h->n++;
	h->last_t = t;
	return 1;
}

double ae_drift_hist_median(const struct ae_drift_hist *h)
{
	double tmp[AE_DRIFT_SLOTS];

	if (h->n < AE_DRIFT_MIN)
		return NAN;
	for (unsigned i = 0; i < h->n; i++)
		tmp[i] = h->v[i];
	return optics_median(tmp, h->n);
}

static size_t ao_bucket(const char *device, const char *port)
{
	return ae_key_hash("drift", device, port) % AO_BUCKETS;
}

static struct ae_drift_hist *ao_hist(struct alert_engine *e, const char *device,
				     const char *port)
{
	struct ae_drift_hist *h;
	size_t b;

	if (e->drift == NULL && (e->drift = calloc(AO_BUCKETS, sizeof(*e->drift))) == NULL)
		return NULL;
	b = ao_bucket(device, port);
	for (h = e->drift[b]; h; h = h->next)
		if (strcmp(h->device, device) == 0 && strcmp(h->port, port) == 0)
			return h;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->device = strdup(device);
	h->port = strdup(port);
	if (h->device == NULL || h->port == NULL) {
		free(h->device);
		free(h->port);
		free(h);
		return NULL;
	}
	h->next = e->drift[b];
	e->drift[b] = h;
	return h;
}

void ae_optics_forget(struct alert_engine *e, int all)
{
	if (e->drift == NULL)
		return;
	for (size_t b = 0; b < AO_BUCKETS; b++)
		for (struct ae_drift_hist **pp = &e->drift[b], *h; (h = *pp) != NULL;) {
			if (!all && model_find_device(e->model, h->device) != NULL) {
				pp = &h->next;
				continue;
			}
			*pp = h->next;
			free(h->device);
			free(h->port);
			free(h);
		}
	if (all) {
		free(e->drift);
		e->drift = NULL;
	}
}

static const struct model_reading *ao_reading(const struct model_device *d, const char *port)
{
	for (size_t i = 0; i < d->n_readings; i++) {
		const struct model_reading *r = &d->readings[i];
		if (r->metric == METRIC_IF_RX_POWER_DBM && r->name && strcmp(r->name, port) == 0)
			return r;
	}
	return NULL;
}

static void ao_window(char *buf, size_t len, unsigned s)
{
	if (s % 86400 == 0)
		snprintf(buf, len, "%ud", s / 86400);
	else if (s % 3600 == 0)
		snprintf(buf, len, "%uh", s / 3600);
	else
		snprintf(buf, len, "%us", s);
}

void ae_optics_sample(struct alert_engine *e, const struct ae_rule *rule,
		      const struct sample_set *s)
{
	const struct alerts_conf *ac = &e->conf->alerts;
	const struct model_device *d;
	const struct model_if *i;
	double rx = NAN;
	char detail[160];
	int bad = 0;

	if (s->object != METRIC_OBJ_INTERFACE || s->device == NULL || s->name == NULL)
		return;
	for (size_t k = 0; k < s->n; k++)
		if (s->metrics[k] == METRIC_IF_RX_POWER_DBM)
			rx = s->values[k];
	if (isnan(rx))
		return;         /* no reading: a state, never a level */
	d = model_find_device(e->model, s->device);
	i = d ? model_device_find_if(d, s->name) : NULL;
	if (i == NULL || i->oper != 1) {
		/* Down (or unknown): never bad; what it had is over. */
		ae_rule_apply(e, rule, s, 0, NULL);
		return;
	}
	if (rule->optics == AE_OPTICS_FLOOR) {
		const struct model_reading *r = ao_reading(d, s->name);
		if (r == NULL || isnan(r->thr[0]))
			return;  /* no floor known: nothing to say */
		bad = rx < r->thr[0];
		snprintf(detail, sizeof(detail), "rx %.2f dBm < low_alarm %.2f dBm (%s)", rx,
			 r->thr[0], model_thr_source_name(r->thr_source[0]));
	} else {
		struct ae_drift_hist *h = ao_hist(e, s->device, s->name);
		double med, period = (double)ac->drift_window_s / AE_DRIFT_SLOTS;
		char win[24];

		if (h == NULL)
			return;
		med = ae_drift_hist_median(h);
		/* Judged against the history before this sample joins it. */
		bad = optics_drift(rx, OPTICS_OK, 1, med, ac->drift_db);
		ae_drift_hist_add(h, s->t, rx, period);
		ao_window(win, sizeof(win), ac->drift_window_s);
		/* Numbers and symbols: the headline carries the language. */
		snprintf(detail, sizeof(detail), "rx %.2f dBm, median (%s) %.2f dBm: -%.2f dB > %u dB",
			 rx, win, med, med - rx, ac->drift_db);
	}
	ae_rule_apply(e, rule, s, bad, bad ? detail : NULL);
}
