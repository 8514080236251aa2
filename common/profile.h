/*
 * profile.h — device profiles: the extra OIDs a kind of device is polled for.
 *
 * A profile is one YAML file (shipped in etc/profiles/, installed under
 * $(pkgdatadir)/profiles; user profiles in the directory named by the
 * config's `profiles_dir:`, whose profiles replace shipped ones of the same
 * name).  It says which devices it is for (sysObjectID prefixes, sysDescr
 * globs; a device may also name its profile with `profile:`) and lists
 * metrics, each read from a table column and mapped to a registry metric
 * (common/metric.h): optical power per port or ONU, sensors, CPU, memory.
 * docs/profiles.md is the user's guide; the schema in short:
 *
 *   name: NAME                        unique among profiles
 *   vendor: generic|cisco|arista|huawei|juniper|mikrotik|ufiber|zte
 *                                     whose placeholder conventions apply
 *   match: {sysobjectid: [OID...], sysdescr: [GLOB...]}
 *   metrics:
 *     - metric: if.rx_power_dbm       a registry name of a profile metric
 *       value: OID                    the table column of the value
 *       type: gauge                   gauge (counter: reserved, rejected)
 *       unit: "0.01 dBm"              dBm, W, mW, uW, celsius, percent, with an
 *                                     optional 0.1 / 0.01 ... factor
 *       scale: N | OID                SI exponent enum (ENTITY-SENSOR) or column
 *       precision: N | OID            digits after the point, or a column
 *       status: OID                   sensor status column (1 ok, 2, 3 = none)
 *       where: {column: OID, equals: TEXT}   keep rows whose column reads TEXT
 *       port: index|name|string|device|entity   how a row names its object
 *       name: OID                     column holding the name (port: name)
 *       name_match: GLOB              keep rows whose name matches
 *       port_pattern: REGEX           group 1 of it, applied to the name, is
 *                                     the port (else the whole name)
 *       percent_of: OID               value is 100 * value / this column
 *       aggregate: avg|max            port: device rows into one value
 *       thresholds: {low_alarm, low_warn, high_warn, high_alarm: N | OID}
 *       threshold_table: {severity: OID, relation: OID, value: OID}
 *                                     a table of the device's thresholds per
 *                                     row (severity 10 minor = warn, 20/30 =
 *                                     alarm; relation 1/2 low, 3/4 high)
 *
 * OIDs are numeric and dotted; the loader rejects unknown keys, bad OIDs,
 * bad types and units, metrics that are no profile metric, with
 * FILE:LINE:COL.  A loaded profile set is immutable and owned by the config.
 */
#ifndef SERAT_PROFILE_H
#define SERAT_PROFILE_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "common/metric.h"
#include "common/optics.h"

#define PROFILE_OID_MAX 32       /* sub-identifiers of a column OID */

struct profile_oid {
	uint32_t sub[PROFILE_OID_MAX];
	size_t len;
};

/* Parse a dotted numeric OID ("1.3.6.1.2.1", a leading dot allowed) of at
 * most MAX sub-identifiers.  Returns 0 or -EINVAL.  Pure. */
int profile_oid_parse(const char *text, uint32_t *sub, size_t max, size_t *len);

enum profile_port {
	PROFILE_PORT_INDEX,          /* the row index is an ifIndex */
	PROFILE_PORT_NAME,           /* the `name` column names the port/ONU */
	PROFILE_PORT_STRING,         /* the index is a length-prefixed string */
	PROFILE_PORT_DEVICE,         /* device-wide: rows aggregated */
	PROFILE_PORT_ENTITY,         /* the index is an entPhysicalIndex: up its
	                                entPhysicalContainedIn chain to an
	                                entAliasMappingIdentifier (-> ifIndex) or
	                                an entity named like an interface */
};

enum profile_agg { PROFILE_AGG_AVG, PROFILE_AGG_MAX };

enum profile_thr { PROFILE_THR_LOW_ALARM, PROFILE_THR_LOW_WARN, PROFILE_THR_HIGH_WARN,
		   PROFILE_THR_HIGH_ALARM, PROFILE_THR_COUNT };

/* "low_alarm", ... */
const char *profile_thr_name(enum profile_thr t);

/* Column references are indexes into profile.columns; -1 = none. */
struct profile_metric {
	enum metric_id metric;
	enum optics_dir dir;         /* from the metric: rx, tx or other */
	int value_col;
	enum optics_unit unit;
	int precision;               /* fixed, when precision_col < 0 */
	int exp10;                   /* fixed SI exponent, when scale_col < 0 */
	int scale_col, precision_col, status_col;
	int where_col;
	char *where_equals;
	enum profile_port port;
	int name_col;
	char *name_match;            /* fnmatch glob, or NULL */
	char *port_pattern;          /* as written, or NULL */
	regex_t port_re;             /* compiled when port_pattern */
	int percent_col;
	int ent_parent_col, ent_alias_col, ent_name_col;   /* port: entity */
	enum profile_agg agg;
	int thr_col[PROFILE_THR_COUNT];
	/* threshold_table (CISCO-ENTITY-SENSOR-MIB entSensorThresholdTable):
	 * rows indexed by this row's index and a threshold number */
	int thr_sev_col, thr_rel_col, thr_val_col;
	double thr_value[PROFILE_THR_COUNT];   /* NAN = none (profile-fixed, in the
	                                          metric's unit after conversion) */
};

struct profile {
	char *name;
	char *origin;                /* "FILE:LINE" */
	enum optics_vendor vendor;
	struct profile_oid *sysoids;
	size_t n_sysoids;
	char **sysdescrs;            /* globs */
	size_t n_sysdescrs;
	struct profile_oid *columns; /* distinct columns walked, in first use order */
	size_t n_columns;
	struct profile_metric *metrics;
	size_t n_metrics;
};

struct profile_set {
	struct profile **profiles;   /* load order (shipped, then user) */
	size_t n;
};

/* NULL-safe. */
void profile_set_free(struct profile_set *s);

/* By name; NULL when absent. */
const struct profile *profile_set_find(const struct profile_set *s, const char *name);

/*
 * The profile for a device that names none: the longest sysObjectID prefix
 * that matches SYSOID, else the first profile whose sysDescr glob matches
 * SYSDESCR (either may be NULL/0 when the agent did not say).  NULL when
 * nothing matches.
 */
const struct profile *profile_set_match(const struct profile_set *s, const uint32_t *sysoid,
					size_t sysoid_len, const char *sysdescr);

struct cfg_build;

/*
 * Load every *.yaml file of DIR (in name order) into the build's config
 * (conf->profiles, created on first use).  A profile named like one loaded
 * before replaces it.  A missing DIR is an error when REQUIRED, else
 * nothing.  Errors go to the build as FILE:LINE:COL.  Returns 0, or a
 * negative errno after reporting.
 */
int profile_load_dir(struct cfg_build *b, const char *dir, int required);

/*
 * The config loader's hook: load the shipped profiles (SERAT_PROFILES_DIR,
 * when it exists) and the config's profiles_dir, then check that every
 * device's `profile:` names a loaded profile.
 */
void profile_config_load(struct cfg_build *b);

#endif
