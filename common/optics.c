/*
 * optics.c — unit conversion and placeholder readings.  See optics.h.
 *
 * The placeholder rules, in the order they are applied:
 *   1. the sensor's own status says unavailable (2) or nonoperational (3);
 *   2. a string that is not a finite number ("-Inf", "N/A", "");
 *   3. a huge negative sentinel (raw <= -1e6: Arista -1000000000,
 *      INT32_MIN from agents that mean "none");
 *   4. the vendor's table below (raw values, or dBm values after scaling);
 *   5. a linear power <= 0 (an empty cage reads 0 µW; Huawei sends -1);
 *   6. a power at or below -40 dBm (no receiver reads that low: it is
 *      Cisco's "dark" value and the log of a near-zero reading) or above
 *      +30 dBm (1 W: no pluggable transceiver sends that).
 * The thresholds for 6 are not a guess about one link: they bound what
 * pluggable optics physically do, so a real level is never dropped.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/optics.h"

#define OPTICS_FLOOR_DBM (-40.0)
#define OPTICS_CEIL_DBM 30.0
#define OPTICS_SENTINEL (-1e6)

static const char *const optics_unit_names[OPTICS_UNIT_COUNT] = {
	"dBm", "W", "mW", "uW", "celsius", "percent",
};

static const char *const optics_vendor_names[OPTICS_VENDOR_COUNT] = {
	"generic", "cisco", "arista", "huawei", "juniper", "mikrotik", "ufiber", "zte",
};

/* Per-vendor placeholders.  ON_DBM compares the value after conversion
 * (dBm for power), else the raw number; DIR OTHER matches any direction. */
struct optics_placeholder {
	enum optics_vendor vendor;
	enum optics_dir dir;
	int on_dbm;
	double v;
};

static const struct optics_placeholder optics_placeholders[] = {
	/* A dark Cisco port: receive -40.0 dBm, transmit 0.0 dBm (the laser
	 * is off, the DOM reads nothing). */
	{ OPTICS_VENDOR_CISCO, OPTICS_DIR_RX, 1, -40.0 },
	{ OPTICS_VENDOR_CISCO, OPTICS_DIR_TX, 1, 0.0 },
	/* Unused lanes of an Arista QSFP report -30.0 dBm. */
	{ OPTICS_VENDOR_ARISTA, OPTICS_DIR_OTHER, 1, -30.0 },
	/* Huawei: -1 in every optical column of a port without a module. */
	{ OPTICS_VENDOR_HUAWEI, OPTICS_DIR_OTHER, 0, -1 },
	/* Juniper, MikroTik and UFiber send 0 for an empty cage or an offline
	 * ONU, in units (0.01 dBm, 0.001 dBm) where 0 would be a real 0 dBm. */
	{ OPTICS_VENDOR_JUNIPER, OPTICS_DIR_OTHER, 0, 0 },
	{ OPTICS_VENDOR_MIKROTIK, OPTICS_DIR_OTHER, 0, 0 },
	{ OPTICS_VENDOR_UFIBER, OPTICS_DIR_OTHER, 0, 0 },
	/* ZTE OLTs are reported to give an offline ONU's receive level as
	 * 65535 (raw); no recording exists to check it. */
	{ OPTICS_VENDOR_ZTE, OPTICS_DIR_OTHER, 0, 65535 },
};

const char *optics_unit_name(enum optics_unit u)
{
	return (unsigned)u < OPTICS_UNIT_COUNT ? optics_unit_names[u] : NULL;
}

int optics_unit_is_power(enum optics_unit u)
{
	return u == OPTICS_UNIT_DBM || u == OPTICS_UNIT_W || u == OPTICS_UNIT_MW ||
	       u == OPTICS_UNIT_UW;
}

const char *optics_vendor_name(enum optics_vendor v)
{
	return (unsigned)v < OPTICS_VENDOR_COUNT ? optics_vendor_names[v] : NULL;
}

int optics_vendor_parse(const char *name, enum optics_vendor *v)
{
	for (int i = 0; i < OPTICS_VENDOR_COUNT; i++)
		if (strcmp(name, optics_vendor_names[i]) == 0) {
			*v = (enum optics_vendor)i;
			return 0;
		}
	return -EINVAL;
}

const char *optics_state_name(enum optics_state s)
{
	switch (s) {
	case OPTICS_OK: return "ok";
	case OPTICS_NO_READING: return "no_reading";
	default: return "unknown";
	}
}

int optics_unit_parse(const char *text, enum optics_unit *unit, int *precision)
{
	const char *p = text;
	int prec = 0;

	if (p[0] == '0' || p[0] == '1') {
		/* A factor: "1", "0.1", "0.01", ... then the unit. */
		if (p[0] == '1') {
			p++;
		} else if (p[1] == '.') {
			p += 2;
			while (*p == '0') {
				prec++;
				p++;
			}
			if (*p != '1' || prec > 8)
				return -EINVAL;
			prec++;
			p++;
		} else {
			return -EINVAL;
		}
		while (*p == ' ')
			p++;
	}
	for (int i = 0; i < OPTICS_UNIT_COUNT; i++)
		if (strcmp(p, optics_unit_names[i]) == 0) {
			*unit = (enum optics_unit)i;
			*precision = prec;
			return 0;
		}
	if (strcmp(p, "\xc2\xb5W") == 0) {          /* µW */
		*unit = OPTICS_UNIT_UW;
		*precision = prec;
		return 0;
	}
	return -EINVAL;
}

int optics_entity_scale_exp(long scale, int *exp10)
{
	if (scale < 1 || scale > 17)
		return -EINVAL;
	*exp10 = (int)(scale - 9) * 3;
	return 0;
}

double optics_scaled(const struct optics_raw *raw)
{
	/* Powers of ten from a table (pow() costs more than the rest of a
	 * reading); dividing by 100 gives -7.21 exactly where multiplying by
	 * 0.01 does not, and tests compare with the recorded values. */
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
				      1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
				      1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28,
				      1e29, 1e30, 1e31, 1e32, 1e33 };
	int e = raw->exp10 - raw->precision;
	int a = e < 0 ? -e : e;
	double f = a < (int)(sizeof(p10) / sizeof(p10[0])) ? p10[a] : pow(10, a);
	return e < 0 ? raw->value / f : raw->value * f;
}

double optics_power_to_dbm(double value, enum optics_unit unit)
{
	double mw;

	switch (unit) {
	case OPTICS_UNIT_W: mw = value * 1000; break;
	case OPTICS_UNIT_MW: mw = value; break;
	case OPTICS_UNIT_UW: mw = value / 1000; break;
	default: return value;
	}
	if (mw < 0)
		return NAN;
	if (mw == 0)
		return -INFINITY;
	return 10 * log10(mw);
}

/* Rule 4 of the top comment. */
static int optics_vendor_placeholder(const struct optics_raw *raw, double converted)
{
	for (size_t i = 0; i < sizeof(optics_placeholders) / sizeof(optics_placeholders[0]); i++) {
		const struct optics_placeholder *p = &optics_placeholders[i];
		if (p->vendor != raw->vendor)
			continue;
		if (p->dir != OPTICS_DIR_OTHER && p->dir != raw->dir)
			continue;
		if (p->on_dbm && !optics_unit_is_power(raw->unit))
			continue;
		double v = p->on_dbm ? converted : raw->value;
		/* Placeholders are exact by nature; compare at the published
		 * precision so -40.0 from "-400 precision 1" matches. */
		if (fabs(v - p->v) < 1e-9)
			return 1;
	}
	return 0;
}

enum optics_state optics_classify(const struct optics_raw *in, double *out)
{
	struct optics_raw raw = *in;

	*out = NAN;
	if (raw.sensor_status == 2 || raw.sensor_status == 3)
		return OPTICS_NO_READING;
	if (raw.text != NULL) {
		char *end;
		const char *s = raw.text;
		while (*s == ' ')
			s++;
		raw.value = strtod(s, &end);
		while (*end == ' ')
			end++;
		if (end == s || *end != '\0')
			return OPTICS_NO_READING;
	}
	if (!isfinite(raw.value) || raw.value <= OPTICS_SENTINEL)
		return OPTICS_NO_READING;
	double v = optics_scaled(&raw);
	if (!optics_unit_is_power(raw.unit)) {
		if (optics_vendor_placeholder(&raw, v))
			return OPTICS_NO_READING;
		*out = v;
		return OPTICS_OK;
	}
	if (raw.unit != OPTICS_UNIT_DBM) {
		if (v <= 0)
			return OPTICS_NO_READING;
		v = optics_power_to_dbm(v, raw.unit);
	}
	if (optics_vendor_placeholder(&raw, v) || !isfinite(v) || v <= OPTICS_FLOOR_DBM ||
	    v > OPTICS_CEIL_DBM)
		return OPTICS_NO_READING;
	*out = v;
	return OPTICS_OK;
}

int optics_threshold(const struct optics_raw *raw, double *out)
{
	*out = NAN;
	if (raw->text == NULL && (raw->value == 0 || raw->value == -1 || raw->value == -255))
		return 0;
	double v;
	if (optics_classify(raw, &v) != OPTICS_OK)
		return 0;
	*out = v;
	return 1;
}

static int optics_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double optics_median(double *v, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]))
			v[k++] = v[i];
	if (k == 0)
		return NAN;
	qsort(v, k, sizeof(*v), optics_cmp);
	return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

int optics_drift(double rx_dbm, enum optics_state st, int oper_up, double median_dbm,
		 double n_db)
{
	if (st != OPTICS_OK || !oper_up || !isfinite(rx_dbm) || !isfinite(median_dbm))
		return 0;
	return rx_dbm < median_dbm - n_db;
}
