/*
 * alert_optics.h — the per-port receive power history behind the
 * OpticalDrift rule (alert_optics.c), pure enough to unit-test.
 *
 * Why a ring of samples and not a streaming quantile: the median of a
 * week must forget the week before, and a P² estimator cannot forget;
 * a decimated ring can.  One sample is kept per window/AE_DRIFT_SLOTS
 * (10 min for 7 days: 1008 floats, about 4 KiB per port with optics,
 * allocated when the port's first reading arrives, freed with its device).
 * A poll slower than the slot period keeps one sample per poll, so the
 * ring then spans up to 1008 polls.
 */
#ifndef SERAT_ALERT_OPTICS_H
#define SERAT_ALERT_OPTICS_H

#include <stddef.h>

#define AE_DRIFT_SLOTS 1008
/* Fewer samples than this: no median yet (a port seen for an hour at the
 * default window), so a new port cannot drift from its first readings. */
#define AE_DRIFT_MIN 6

struct ae_drift_hist {
	struct ae_drift_hist *next;   /* hash chain (alert_optics.c) */
	char *device, *port;          /* owned */
	double last_t;                /* wall time of the newest sample; 0 = none */
	unsigned n, pos;              /* samples held; next slot to write */
	float v[AE_DRIFT_SLOTS];
};

/*
 * Keep DBM, read at wall time T, when PERIOD seconds have passed since the
 * last kept sample (or there is none).  Non-finite values are never kept.
 * Returns 1 when kept, else 0.
 */
int ae_drift_hist_add(struct ae_drift_hist *h, double t, double dbm, double period);

/* The median of what H holds; NAN with fewer than AE_DRIFT_MIN samples. */
double ae_drift_hist_median(const struct ae_drift_hist *h);

#endif
