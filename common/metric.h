/*
 * metric.h — the metric registry: every number serat measures, by name.
 *
 * A metric has a stable name ("if.in_bps"), a unit, the kind of object it
 * belongs to (a device, an interface, a site, a probe target) and where it
 * is stored (the RRD file kind and data source).  The collector and the
 * probes emit samples by metric id (collector/sink.h); alert rules in the
 * config name metrics by their registry name, and `serat check-config`
 * rejects a name that is not here; graphs and the API label values with
 * the name and unit.  docs/metrics.md is the user-facing table: keep it
 * and this registry in step (a unit test compares them).
 *
 * The registry is static and read-only: later parts (probes, optics) add
 * their rows to the table in metric.c and their ids to the enum below.
 * Ids are not stable across versions; names are.
 */
#ifndef SERAT_METRIC_H
#define SERAT_METRIC_H

#include <stddef.h>

enum metric_object {
	METRIC_OBJ_DEVICE,
	METRIC_OBJ_INTERFACE,
	METRIC_OBJ_SITE,          /* per-site link quality (probes) */
	METRIC_OBJ_TARGET,        /* an active probe target (ICMP) */
	METRIC_OBJ_ONU,           /* an optical network unit behind a PON port */
	METRIC_OBJ_COUNT
};

/* Where a metric is stored: which RRD file of its object. */
enum metric_rrd_file {
	METRIC_RRD_NONE,          /* not stored in RRD */
	METRIC_RRD_DEVICE,        /* <data_dir>/rrd/<device>/device.rrd */
	METRIC_RRD_INTERFACE,     /* <data_dir>/rrd/<device>/if/<ifName>.rrd */
	METRIC_RRD_SITE,          /* <data_dir>/site/<site>/probe.rrd */
	METRIC_RRD_TARGET,        /* <data_dir>/target/<owner>/<target>.rrd */
	METRIC_RRD_OPTICS,        /* <data_dir>/rrd/<device>/optics/<port>.rrd */
	METRIC_RRD_SENSORS,       /* <data_dir>/rrd/<device>/sensors.rrd */
	METRIC_RRD_ONU,           /* <data_dir>/rrd/<device>/onu/<onu>.rrd */
	METRIC_RRD_FILE_COUNT
};

enum metric_id {
	/* device (device.rrd, in this DS order) */
	METRIC_DEVICE_REACHABLE,
	METRIC_DEVICE_RTT_MS,
	METRIC_DEVICE_UPTIME_S,
	/* interface (if/<ifName>.rrd, in this DS order) */
	METRIC_IF_IN_BPS,
	METRIC_IF_OUT_BPS,
	METRIC_IF_IN_PPS,
	METRIC_IF_OUT_PPS,
	METRIC_IF_IN_ERRORS_PS,
	METRIC_IF_OUT_ERRORS_PS,
	METRIC_IF_IN_DISCARDS_PS,
	METRIC_IF_OUT_DISCARDS_PS,
	METRIC_IF_UTIL_PCT,
	METRIC_IF_OPER,
	/* site link quality from the passive probe (site/<site>/probe.rrd) */
	METRIC_SITE_PACKETS_PS,
	METRIC_SITE_BPS,
	METRIC_SITE_TCP_HANDSHAKES_PS,
	METRIC_SITE_HANDSHAKE_RTT_MS,
	METRIC_SITE_HANDSHAKE_RTT_P95_MS,
	METRIC_SITE_TCP_RETRANS_PCT,
	METRIC_SITE_ZERO_WINDOWS_PS,
	METRIC_SITE_ICMP_LOSS_PCT,
	METRIC_SITE_ICMP_RTT_MS,
	/* an active ICMP target (target/<owner>/<target>.rrd) */
	METRIC_TARGET_LOSS_PCT,
	METRIC_TARGET_RTT_MS,
	METRIC_TARGET_RTT_MIN_MS,
	METRIC_TARGET_RTT_MAX_MS,
	METRIC_TARGET_JITTER_MS,
	METRIC_TARGET_LATE,
	METRIC_TARGET_DUPLICATES,
	METRIC_TARGET_ERRORS,
	/* profile metrics (common/profile.h): a port's optics
	 * (optics/<port>.rrd, in this DS order) */
	METRIC_IF_RX_POWER_DBM,
	METRIC_IF_TX_POWER_DBM,
	METRIC_IF_MODULE_TEMP_C,
	/* device sensors (sensors.rrd, in this DS order) */
	METRIC_DEVICE_CPU_PCT,
	METRIC_DEVICE_MEM_PCT,
	METRIC_DEVICE_TEMPERATURE_C,
	METRIC_DEVICE_DISK_PCT,
	/* an ONU (onu/<name>.rrd) */
	METRIC_ONU_RX_POWER_DBM,
	METRIC_COUNT
};

/* The first metric of each stored object kind, and how many follow in DS
 * order: a sample set of an interface carries exactly these. */
#define METRIC_DEVICE_FIRST METRIC_DEVICE_REACHABLE
#define METRIC_DEVICE_N (METRIC_DEVICE_UPTIME_S - METRIC_DEVICE_REACHABLE + 1)
#define METRIC_IF_FIRST METRIC_IF_IN_BPS
#define METRIC_IF_N (METRIC_IF_OPER - METRIC_IF_IN_BPS + 1)
#define METRIC_SITE_FIRST METRIC_SITE_PACKETS_PS
#define METRIC_SITE_N (METRIC_SITE_ICMP_RTT_MS - METRIC_SITE_PACKETS_PS + 1)
#define METRIC_TARGET_FIRST METRIC_TARGET_LOSS_PCT
#define METRIC_TARGET_N (METRIC_TARGET_ERRORS - METRIC_TARGET_LOSS_PCT + 1)
#define METRIC_OPTICS_FIRST METRIC_IF_RX_POWER_DBM
#define METRIC_OPTICS_N (METRIC_IF_MODULE_TEMP_C - METRIC_IF_RX_POWER_DBM + 1)
#define METRIC_SENSORS_FIRST METRIC_DEVICE_CPU_PCT
#define METRIC_SENSORS_N (METRIC_DEVICE_DISK_PCT - METRIC_DEVICE_CPU_PCT + 1)
#define METRIC_ONU_FIRST METRIC_ONU_RX_POWER_DBM
#define METRIC_ONU_N 1

struct metric_def {
	enum metric_id id;
	const char *name;            /* stable, e.g. "if.in_bps" */
	const char *unit;            /* "bit/s", "%", "ms", "s", "1/s", "bool", "state" */
	enum metric_object object;
	enum metric_rrd_file rrd_file;
	const char *rrd_ds;          /* data source name in that file */
	double rrd_scale;            /* stored value = value * rrd_scale */
	const char *help;            /* one line, for docs and /metrics */
	double rrd_max;              /* the DS maximum, in the metric's unit; 0 = none.
	                                A value above it cannot be true: RRD stores
	                                it as unknown (a second line behind the
	                                collector's own ceiling, counter.h) */
};

/* The definition of ID; NULL for an id out of range.  Static storage. */
const struct metric_def *metric_get(enum metric_id id);

/* Lookup by registry name; NULL when there is no such metric. */
const struct metric_def *metric_find(const char *name);

/* "device", "interface", "site", "target", "onu"; NULL when out of range. */
const char *metric_object_name(enum metric_object object);

/* "-", "device", "if", "site", "target", "optics", "sensors", "onu" (the
 * docs' RRD file column); NULL when out of range. */
const char *metric_rrd_file_name(enum metric_rrd_file f);

#endif
