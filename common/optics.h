/*
 * optics.h — optical power readings: units to dBm, and "no light" as a state.
 *
 * Vendors publish transceiver power in many units: dBm with a precision
 * (Cisco -47 precision 1), thousandths of a dBm (MikroTik -5673), hundredths
 * (UFiber -2481, Juniper thresholds), microwatts (Huawei S5720: 78), or
 * watts with an SI scale and a precision (ENTITY-SENSOR-MIB: Arista 2210
 * milli precision 4 = 0.221 mW).  optics_to_dbm() turns a raw number into
 * dBm once, in one place.
 *
 * Many readings are not readings at all: an empty cage reads 0, a dark
 * Cisco port -40 dBm receive and 0 dBm transmit, unused Arista lanes -30 dBm,
 * Arista rx -1000000000, Huawei -1, some agents "-Inf" as a string, and a
 * sensor whose status is unavailable or nonoperational.  optics_classify()
 * maps all of them to OPTICS_NO_READING, so they are never graphed as a
 * level nor alerted on as one.  The per-vendor part is a table in optics.c.
 *
 * Everything here is pure: no I/O, no globals written, no allocation.
 */
#ifndef SERAT_OPTICS_H
#define SERAT_OPTICS_H

#include <stddef.h>

/* Units a profile can declare for a raw value. */
enum optics_unit {
	OPTICS_UNIT_DBM,          /* dBm (a precision gives 0.1, 0.01 ...) */
	OPTICS_UNIT_W,            /* watts */
	OPTICS_UNIT_MW,           /* milliwatts */
	OPTICS_UNIT_UW,           /* microwatts */
	OPTICS_UNIT_CELSIUS,
	OPTICS_UNIT_PERCENT,
	OPTICS_UNIT_COUNT
};

/* "dBm", "W", "mW", "uW", "celsius", "percent"; NULL when out of range. */
const char *optics_unit_name(enum optics_unit u);

/* True for the units of optical power (converted to dBm). */
int optics_unit_is_power(enum optics_unit u);

/*
 * Parse a profile's unit: an optional decimal factor and a unit, e.g.
 * "dBm", "0.01 dBm", "0.001dBm", "uW", "µW", "0.1 uW", "mW", "W",
 * "celsius", "percent".  The factor must be 1, 0.1, 0.01 ... (a power of
 * ten no smaller than 1e-9): it becomes *PRECISION (digits after the point).
 * Returns 0, or -EINVAL.
 */
int optics_unit_parse(const char *text, enum optics_unit *unit, int *precision);

/* Which way the light goes, for the placeholders that depend on it. */
enum optics_dir { OPTICS_DIR_RX, OPTICS_DIR_TX, OPTICS_DIR_OTHER };

/* Vendors with placeholder conventions of their own (see optics.c). */
enum optics_vendor {
	OPTICS_VENDOR_GENERIC,
	OPTICS_VENDOR_CISCO,
	OPTICS_VENDOR_ARISTA,
	OPTICS_VENDOR_HUAWEI,
	OPTICS_VENDOR_JUNIPER,
	OPTICS_VENDOR_MIKROTIK,
	OPTICS_VENDOR_UFIBER,
	OPTICS_VENDOR_ZTE,
	OPTICS_VENDOR_COUNT
};

/* "generic", "cisco", ...; NULL when out of range. */
const char *optics_vendor_name(enum optics_vendor v);
/* By name; -EINVAL when unknown. */
int optics_vendor_parse(const char *name, enum optics_vendor *v);

enum optics_state {
	OPTICS_OK,                /* a reading */
	OPTICS_NO_READING,        /* no light, not present, sensor unavailable */
	OPTICS_UNKNOWN,           /* not polled / not answered */
};

/* "ok", "no_reading", "unknown". */
const char *optics_state_name(enum optics_state s);

/*
 * ENTITY-SENSOR-MIB / CISCO-ENTITY-SENSOR-MIB scale (yocto(1) .. units(9) ..
 * yotta(17)) as a power of ten: (scale - 9) * 3.  -EINVAL out of range.
 */
int optics_entity_scale_exp(long scale, int *exp10);

/* What a profile knows about a raw value. */
struct optics_raw {
	double value;             /* the number as the agent sent it */
	const char *text;         /* the agent's string, when it sent one; else NULL */
	enum optics_unit unit;
	int exp10;                /* SI scale as a power of ten (0 = units) */
	int precision;            /* digits after the decimal point */
	int sensor_status;        /* entSensorStatus/entPhySensorOperStatus: 1 ok,
	                             2 unavailable, 3 nonoperational; 0 = none */
	enum optics_dir dir;
	enum optics_vendor vendor;
};

/*
 * The value in the unit's base (W, dBm, °C ...) with scale and precision
 * applied: value * 10^(exp10 - precision).  Pure.
 */
double optics_scaled(const struct optics_raw *raw);

/*
 * Convert a linear power in UNIT (W, mW or uW) to dBm: 10·log10(mW).
 * Returns -INFINITY for 0 and NAN for a negative power.
 */
double optics_power_to_dbm(double value, enum optics_unit unit);

/*
 * Classify RAW and, for OPTICS_OK, put the value into *OUT: dBm for power
 * units, the unit's base otherwise.  Placeholders (see the top of this
 * file) give OPTICS_NO_READING and leave *OUT NAN.
 */
enum optics_state optics_classify(const struct optics_raw *raw, double *out);

/*
 * A threshold published by a device, raw as sent, converted like a reading.
 * Placeholder thresholds (raw 0, -1, -255; -Inf; anything classify() calls
 * no reading) are not thresholds: returns 0 and *OUT NAN.  Returns 1 with
 * *OUT set for a real threshold.
 */
int optics_threshold(const struct optics_raw *raw, double *out);

/*
 * The median of the finite values of V (N of them), which it sorts in
 * place.  NAN when there is none.
 */
double optics_median(double *v, size_t n);

/*
 * Drift: 1 when receive power RX_DBM (state ST) is more than N_DB below
 * MEDIAN_DBM (the port's own 7-day median), the port is oper up and both
 * are real readings; else 0.  An empty cage, a port that is down and a
 * port without history never drift.
 */
int optics_drift(double rx_dbm, enum optics_state st, int oper_up, double median_dbm,
		 double n_db);

#endif
