/*
 * test_alert_optics.c — the OpticalDrift history (collector/alert_optics.h):
 * decimation to one sample per period, the ring forgetting the oldest,
 * no median before AE_DRIFT_MIN samples, non-finite values never kept, and
 * the drift decision on its median (a 4 dB step drifts, 2 dB does not).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "collector/alert_optics.h"
#include "common/optics.h"

static struct ae_drift_hist *new_hist(void)
{
	struct ae_drift_hist *h = calloc(1, sizeof(*h));
	assert_non_null(h);
	return h;
}

static void test_decimation(void **state)
{
	struct ae_drift_hist *h = new_hist();
	(void)state;
	assert_int_equal(ae_drift_hist_add(h, 1000, -5, 600), 1);
	assert_int_equal(ae_drift_hist_add(h, 1300, -5, 600), 0);   /* within the period */
	assert_int_equal(ae_drift_hist_add(h, 1600, -5, 600), 1);
	assert_int_equal(ae_drift_hist_add(h, 2200, NAN, 600), 0);  /* no reading */
	assert_int_equal(ae_drift_hist_add(h, 2200, -INFINITY, 600), 0);
	assert_int_equal(h->n, 2);
	free(h);
}

static void test_median_needs_history(void **state)
{
	struct ae_drift_hist *h = new_hist();
	(void)state;
	for (int i = 0; i < AE_DRIFT_MIN - 1; i++)
		ae_drift_hist_add(h, i, -5, 0);
	assert_true(isnan(ae_drift_hist_median(h)));
	/* a new port never drifts from its first readings */
	assert_int_equal(optics_drift(-20, OPTICS_OK, 1, ae_drift_hist_median(h), 3), 0);
	ae_drift_hist_add(h, 100, -7, 0);
	assert_float_equal(ae_drift_hist_median(h), -5, 1e-6);
	free(h);
}

static void test_ring_forgets(void **state)
{
	struct ae_drift_hist *h = new_hist();
	(void)state;
	for (int i = 0; i < AE_DRIFT_SLOTS; i++)
		ae_drift_hist_add(h, i, -5, 1);
	for (int i = 0; i < AE_DRIFT_SLOTS; i++)
		ae_drift_hist_add(h, AE_DRIFT_SLOTS + i, -9, 1);
	assert_int_equal(h->n, AE_DRIFT_SLOTS);
	assert_float_equal(ae_drift_hist_median(h), -9, 1e-6);
	free(h);
}

static void test_step_drifts(void **state)
{
	struct ae_drift_hist *h = new_hist();
	double med;
	(void)state;
	for (int i = 0; i < 20; i++)
		ae_drift_hist_add(h, i, -5.37 + (i % 3) * 0.01, 0);
	med = ae_drift_hist_median(h);
	assert_int_equal(optics_drift(-9.37, OPTICS_OK, 1, med, 3), 1);   /* 4 dB down */
	assert_int_equal(optics_drift(-7.37, OPTICS_OK, 1, med, 3), 0);   /* 2 dB */
	assert_int_equal(optics_drift(-9.37, OPTICS_OK, 0, med, 3), 0);   /* port down */
	assert_int_equal(optics_drift(NAN, OPTICS_NO_READING, 1, med, 3), 0); /* empty cage */
	/* half a ring of the new level moves the median: it becomes normal */
	for (int i = 0; i < 21; i++)
		ae_drift_hist_add(h, 100 + i, -9.37, 0);
	assert_int_equal(optics_drift(-9.37, OPTICS_OK, 1, ae_drift_hist_median(h), 3), 0);
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decimation),
		cmocka_unit_test(test_median_needs_history),
		cmocka_unit_test(test_ring_forgets),
		cmocka_unit_test(test_step_drifts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
