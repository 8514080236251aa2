/*
 * test_optics.c — unit conversion to dBm, the placeholder table, thresholds
 * and drift, with the values of the lab recordings (../shared/recordings).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "common/optics.h"

static struct optics_raw raw(double v, enum optics_unit u, int exp10, int prec,
			     enum optics_vendor vendor, enum optics_dir dir)
{
	struct optics_raw r = { v, NULL, u, exp10, prec, 0, dir, vendor };
	return r;
}

static void assert_dbm(struct optics_raw r, double want)
{
	double v;
	assert_int_equal(optics_classify(&r, &v), OPTICS_OK);
	assert_true(fabs(v - want) < 0.005);
}

static void assert_none(struct optics_raw r)
{
	double v = 0;
	assert_int_equal(optics_classify(&r, &v), OPTICS_NO_READING);
	assert_true(isnan(v));
}

static void test_units(void **state)
{
	enum optics_unit u;
	int prec;
	(void)state;
	assert_int_equal(optics_unit_parse("dBm", &u, &prec), 0);
	assert_int_equal(u, OPTICS_UNIT_DBM);
	assert_int_equal(prec, 0);
	assert_int_equal(optics_unit_parse("0.01 dBm", &u, &prec), 0);
	assert_int_equal(prec, 2);
	assert_int_equal(optics_unit_parse("0.001dBm", &u, &prec), 0);
	assert_int_equal(prec, 3);
	assert_int_equal(optics_unit_parse("0.1 uW", &u, &prec), 0);
	assert_int_equal(u, OPTICS_UNIT_UW);
	assert_int_equal(prec, 1);
	assert_int_equal(optics_unit_parse("\xc2\xb5W", &u, &prec), 0);
	assert_int_equal(u, OPTICS_UNIT_UW);
	assert_int_equal(optics_unit_parse("1 mW", &u, &prec), 0);
	assert_int_equal(u, OPTICS_UNIT_MW);
	assert_int_equal(optics_unit_parse("W", &u, &prec), 0);
	assert_int_equal(optics_unit_parse("celsius", &u, &prec), 0);
	assert_int_equal(u, OPTICS_UNIT_CELSIUS);
	assert_int_equal(optics_unit_parse("dbm", &u, &prec), -EINVAL);
	assert_int_equal(optics_unit_parse("0.02 dBm", &u, &prec), -EINVAL);
	assert_int_equal(optics_unit_parse("0.5 dBm", &u, &prec), -EINVAL);
	assert_int_equal(optics_unit_parse("2 dBm", &u, &prec), -EINVAL);
	assert_int_equal(optics_unit_parse("0.000000001 dBm", &u, &prec), 0);
	assert_int_equal(optics_unit_parse("0.0000000001 dBm", &u, &prec), -EINVAL);
	assert_int_equal(optics_unit_parse("", &u, &prec), -EINVAL);
	assert_string_equal(optics_unit_name(OPTICS_UNIT_UW), "uW");
	assert_null(optics_unit_name(OPTICS_UNIT_COUNT));
}

static void test_entity_scale(void **state)
{
	int e;
	(void)state;
	assert_int_equal(optics_entity_scale_exp(9, &e), 0);
	assert_int_equal(e, 0);
	assert_int_equal(optics_entity_scale_exp(8, &e), 0);
	assert_int_equal(e, -3);
	assert_int_equal(optics_entity_scale_exp(7, &e), 0);
	assert_int_equal(e, -6);
	assert_int_equal(optics_entity_scale_exp(1, &e), 0);
	assert_int_equal(e, -24);
	assert_int_equal(optics_entity_scale_exp(17, &e), 0);
	assert_int_equal(e, 24);
	assert_int_equal(optics_entity_scale_exp(0, &e), -EINVAL);
	assert_int_equal(optics_entity_scale_exp(18, &e), -EINVAL);
}

/* The values of the recordings, converted as the issue states them. */
static void test_recorded_values(void **state)
{
	(void)state;
	/* -721 with precision 2 */
	assert_dbm(raw(-721, OPTICS_UNIT_DBM, 0, 2, OPTICS_VENDOR_GENERIC, OPTICS_DIR_RX), -7.21);
	/* Huawei S5720: 78 µW = -11.08 dBm; 252 µW = -5.99 dBm */
	assert_dbm(raw(78, OPTICS_UNIT_UW, 0, 0, OPTICS_VENDOR_HUAWEI, OPTICS_DIR_RX), -11.08);
	assert_dbm(raw(252, OPTICS_UNIT_UW, 0, 0, OPTICS_VENDOR_HUAWEI, OPTICS_DIR_TX), -5.99);
	/* MikroTik sfp1: -5673 and -4879 thousandths */
	assert_dbm(raw(-5673, OPTICS_UNIT_DBM, 0, 3, OPTICS_VENDOR_MIKROTIK, OPTICS_DIR_RX), -5.673);
	assert_dbm(raw(-4879, OPTICS_UNIT_DBM, 0, 3, OPTICS_VENDOR_MIKROTIK, OPTICS_DIR_TX), -4.879);
	/* Cisco 2960X: -47 precision 1, scale units(9) */
	assert_dbm(raw(-47, OPTICS_UNIT_DBM, 0, 1, OPTICS_VENDOR_CISCO, OPTICS_DIR_RX), -4.7);
	/* Arista: watts, milli, precision 4: 2210 = 0.221 mW = -6.56 dBm */
	assert_dbm(raw(2210, OPTICS_UNIT_W, -3, 4, OPTICS_VENDOR_ARISTA, OPTICS_DIR_TX), -6.56);
	/* UFiber ONU: -2481 hundredths */
	assert_dbm(raw(-2481, OPTICS_UNIT_DBM, 0, 2, OPTICS_VENDOR_UFIBER, OPTICS_DIR_RX), -24.81);
	/* mW and W */
	assert_dbm(raw(1, OPTICS_UNIT_MW, 0, 0, OPTICS_VENDOR_GENERIC, OPTICS_DIR_TX), 0);
	assert_dbm(raw(1, OPTICS_UNIT_W, 0, 3, OPTICS_VENDOR_GENERIC, OPTICS_DIR_TX), 0);
	assert_dbm(raw(100, OPTICS_UNIT_UW, 0, 0, OPTICS_VENDOR_GENERIC, OPTICS_DIR_TX), -10);
	/* a real 0 dBm is a reading where 0 is no placeholder */
	assert_dbm(raw(0, OPTICS_UNIT_DBM, 0, 2, OPTICS_VENDOR_GENERIC, OPTICS_DIR_TX), 0);
	assert_dbm(raw(0, OPTICS_UNIT_DBM, 0, 1, OPTICS_VENDOR_CISCO, OPTICS_DIR_RX), 0);
	/* Huawei's strings in 0.01 dBm */
	struct optics_raw s = raw(0, OPTICS_UNIT_DBM, 0, 2, OPTICS_VENDOR_HUAWEI, OPTICS_DIR_RX);
	s.text = "-1104.03";
	assert_dbm(s, -11.04);
	/* temperature: not a power, no dBm */
	double v;
	struct optics_raw t = raw(40, OPTICS_UNIT_CELSIUS, 0, 0, OPTICS_VENDOR_MIKROTIK,
				  OPTICS_DIR_OTHER);
	assert_int_equal(optics_classify(&t, &v), OPTICS_OK);
	assert_true(v == 40);
	assert_true(fabs(optics_power_to_dbm(78, OPTICS_UNIT_UW) + 11.079) < 0.001);
	assert_true(isinf(optics_power_to_dbm(0, OPTICS_UNIT_MW)));
	assert_true(isnan(optics_power_to_dbm(-1, OPTICS_UNIT_MW)));
}

static void test_placeholders(void **state)
{
	(void)state;
	/* an empty cage reads 0 */
	assert_none(raw(0, OPTICS_UNIT_UW, 0, 0, OPTICS_VENDOR_GENERIC, OPTICS_DIR_RX));
	assert_none(raw(0, OPTICS_UNIT_DBM, 0, 3, OPTICS_VENDOR_MIKROTIK, OPTICS_DIR_RX));
	assert_none(raw(0, OPTICS_UNIT_DBM, 0, 2, OPTICS_VENDOR_JUNIPER, OPTICS_DIR_RX));
	assert_none(raw(0, OPTICS_UNIT_DBM, 0, 2, OPTICS_VENDOR_UFIBER, OPTICS_DIR_RX));
	assert_none(raw(0, OPTICS_UNIT_CELSIUS, 0, 0, OPTICS_VENDOR_MIKROTIK, OPTICS_DIR_OTHER));
	/* dark Cisco port: -40 dBm rx, 0 dBm tx */
	assert_none(raw(-400, OPTICS_UNIT_DBM, 0, 1, OPTICS_VENDOR_CISCO, OPTICS_DIR_RX));
	assert_none(raw(0, OPTICS_UNIT_DBM, 0, 1, OPTICS_VENDOR_CISCO, OPTICS_DIR_TX));
	/* unused Arista lanes */
	assert_none(raw(-300, OPTICS_UNIT_DBM, 0, 1, OPTICS_VENDOR_ARISTA, OPTICS_DIR_RX));
	/* Arista's sentinel in watts */
	assert_none(raw(-1000000000, OPTICS_UNIT_W, -3, 4, OPTICS_VENDOR_ARISTA, OPTICS_DIR_RX));
	assert_none(raw(-2147483648.0, OPTICS_UNIT_DBM, 0, 2, OPTICS_VENDOR_GENERIC, OPTICS_DIR_RX));
	/* Huawei -1 in µW and in 0.01 dBm */
	assert_none(raw(-1, OPTICS_UNIT_UW, 0, 0, OPTICS_VENDOR_HUAWEI, OPTICS_DIR_RX));
	assert_none(raw(-1, OPTICS_UNIT_DBM, 0, 2, OPTICS_VENDOR_HUAWEI, OPTICS_DIR_RX));
	/* ZTE offline ONU */
	assert_none(raw(65535, OPTICS_UNIT_DBM, 0, 3, OPTICS_VENDOR_ZTE, OPTICS_DIR_RX));
	/* strings */
	const char *texts[] = { "-Inf", "-inf", "inf", "NaN", "N/A", "", "  ", "--", "12abc" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct optics_raw r = raw(5, OPTICS_UNIT_DBM, 0, 2, OPTICS_VENDOR_GENERIC,
					  OPTICS_DIR_RX);
		r.text = texts[i];
		assert_none(r);
	}
	/* sensor status unavailable / nonoperational */
	struct optics_raw st = raw(-47, OPTICS_UNIT_DBM, 0, 1, OPTICS_VENDOR_CISCO, OPTICS_DIR_RX);
	st.sensor_status = 2;
	assert_none(st);
	st.sensor_status = 3;
	assert_none(st);
	st.sensor_status = 1;
	assert_dbm(st, -4.7);
	/* below any receiver, above any laser */
	assert_none(raw(-4500, OPTICS_UNIT_DBM, 0, 2, OPTICS_VENDOR_GENERIC, OPTICS_DIR_RX));
	assert_none(raw(0.01, OPTICS_UNIT_UW, 0, 0, OPTICS_VENDOR_GENERIC, OPTICS_DIR_RX));
	assert_none(raw(3500, OPTICS_UNIT_DBM, 0, 2, OPTICS_VENDOR_GENERIC, OPTICS_DIR_TX));
	assert_none(raw(NAN, OPTICS_UNIT_DBM, 0, 2, OPTICS_VENDOR_GENERIC, OPTICS_DIR_TX));
	/* the same numbers from a vendor without that convention are readings */
	assert_dbm(raw(-300, OPTICS_UNIT_DBM, 0, 1, OPTICS_VENDOR_CISCO, OPTICS_DIR_RX), -30);
	assert_dbm(raw(-3999, OPTICS_UNIT_DBM, 0, 2, OPTICS_VENDOR_GENERIC, OPTICS_DIR_RX), -39.99);
}

static void test_thresholds(void **state)
{
	double v;
	(void)state;
	struct optics_raw r = raw(-1349, OPTICS_UNIT_DBM, 0, 2, OPTICS_VENDOR_JUNIPER, OPTICS_DIR_RX);
	assert_int_equal(optics_threshold(&r, &v), 1);
	assert_true(fabs(v + 13.49) < 1e-9);
	double placeholders[] = { 0, -1, -255 };
	for (size_t i = 0; i < 3; i++) {
		r = raw(placeholders[i], OPTICS_UNIT_DBM, 0, 1, OPTICS_VENDOR_GENERIC, OPTICS_DIR_RX);
		assert_int_equal(optics_threshold(&r, &v), 0);
		assert_true(isnan(v));
	}
	r = raw(-INFINITY, OPTICS_UNIT_DBM, 0, 0, OPTICS_VENDOR_GENERIC, OPTICS_DIR_RX);
	assert_int_equal(optics_threshold(&r, &v), 0);
	r.value = 0;
	r.text = "-Inf";
	assert_int_equal(optics_threshold(&r, &v), 0);
	/* Cisco 2960X published -2.0 (precision 1 of -20) */
	r = raw(-20, OPTICS_UNIT_DBM, 0, 1, OPTICS_VENDOR_CISCO, OPTICS_DIR_RX);
	assert_int_equal(optics_threshold(&r, &v), 1);
	assert_true(fabs(v + 2.0) < 1e-9);
}

static void test_drift(void **state)
{
	(void)state;
	double hist[] = { -5.0, -5.2, NAN, -4.9, -5.1, -5.0 };
	double med = optics_median(hist, 6);
	assert_true(fabs(med + 5.0) < 1e-9);
	double even[] = { 1, 2, 3, 4 };
	assert_true(optics_median(even, 4) == 2.5);
	double none[] = { NAN, INFINITY };
	assert_true(isnan(optics_median(none, 2)));
	assert_true(isnan(optics_median(NULL, 0)));
	/* 4 dB down on an up port: drift */
	assert_int_equal(optics_drift(-9.0, OPTICS_OK, 1, med, 3), 1);
	/* exactly 3 dB is not "more than" */
	assert_int_equal(optics_drift(-8.0, OPTICS_OK, 1, med, 3), 0);
	assert_int_equal(optics_drift(-6.0, OPTICS_OK, 1, med, 3), 0);
	/* a down port, an empty cage, no history */
	assert_int_equal(optics_drift(-9.0, OPTICS_OK, 0, med, 3), 0);
	assert_int_equal(optics_drift(NAN, OPTICS_NO_READING, 1, med, 3), 0);
	assert_int_equal(optics_drift(-9.0, OPTICS_OK, 1, NAN, 3), 0);
}

static void test_names(void **state)
{
	enum optics_vendor v;
	(void)state;
	for (int i = 0; i < OPTICS_VENDOR_COUNT; i++) {
		assert_int_equal(optics_vendor_parse(optics_vendor_name((enum optics_vendor)i), &v), 0);
		assert_int_equal(v, i);
	}
	assert_int_equal(optics_vendor_parse("cisc0", &v), -EINVAL);
	assert_null(optics_vendor_name(OPTICS_VENDOR_COUNT));
	assert_string_equal(optics_state_name(OPTICS_NO_READING), "no_reading");
	assert_string_equal(optics_state_name(OPTICS_OK), "ok");
	assert_string_equal(optics_state_name(OPTICS_UNKNOWN), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_entity_scale),
		cmocka_unit_test(test_recorded_values),
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_drift),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
