/*
 * config.h — serat's configuration and inventory, parsed and validated.
 *
 * One YAML file (libyaml), optionally pointing at a CSV inventory, becomes one
 * immutable struct serat_config.  The daemon never edits a loaded config: a
 * SIGHUP builds a new one with config_load() and swaps it in only when valid.
 *
 * Errors are reported as "FILE:LINE:COL: message" (CSV: "FILE:LINE: column
 * 'name': message"), one line each, through the caller's error buffer, so that
 * `serat check-config` and seratd print them identically.  Secrets (community,
 * auth/priv passphrases, channel tokens) are resolved at load time from inline
 * text, "file:PATH" or "env:NAME"; they are never printed by config_summary()
 * or logged.
 *
 * Schema (see man/serat.yaml.5 for the user-facing description):
 *
 *   data_dir: PATH               default /var/lib/serat; relative to the
 *                                config file's directory
 *   interval: DURATION           default 60s; units s, m, h; minimum 1s
 *   timezone: TZ                 default Asia/Jakarta
 *   http_listen: HOST:PORT       default 127.0.0.1:8080
 *   log_level: error|warning|info|debug   default info
 *   snmp: SNMP-SETTINGS          defaults for every device
 *   poller: {max_in_flight: N, bulk_max_varbinds: N, spread: DURATION}
 *   rrd: {rrdcached: ADDR, rras: ["1m:2d", ...]}
 *   inventory: FILE.csv          relative to the config file's directory
 *   sites: [SITE...]             inline inventory (may be combined with CSV)
 *   channels: [CHANNEL...]       alert channels (engine arrives later)
 *   rules: [RULE...]             alert rules (engine arrives later)
 *   maintenance: [WINDOW...]     maintenance windows (engine arrives later)
 *   icmp: {count, period, spacing, timeout, socket}   see config_icmp.h
 *
 *   SNMP-SETTINGS: version (1|2c|3), community, user, auth_protocol
 *     (SHA|SHA-256), auth_password, priv_protocol (AES), priv_password,
 *     context, timeout (DURATION), retries, port
 *   SITE: {name, kind (core|opd|puskesmas|nagari|kecamatan|other),
 *          location?, devices: [DEVICE...]}
 *   DEVICE: {name, address (host, host:port or [v6]:port), parent?,
 *            snmp?: SNMP-SETTINGS,
 *            interfaces?: [GLOB...],   (no list = every interface)
 *            icmp?: true | [ADDR...]}  (and a SITE's icmp?: [ADDR...])
 */
#ifndef SERAT_CONFIG_H
#define SERAT_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "common/config_icmp.h"

enum site_kind {
	SITE_CORE,
	SITE_OPD,
	SITE_PUSKESMAS,
	SITE_NAGARI,
	SITE_KECAMATAN,
	SITE_OTHER,
	SITE_KIND_COUNT
};

/* "core", "opd", ...; NULL for an out-of-range kind. */
const char *site_kind_name(enum site_kind kind);

enum snmp_auth_proto { SNMP_AUTH_NONE, SNMP_AUTH_SHA, SNMP_AUTH_SHA256 };
enum snmp_priv_proto { SNMP_PRIV_NONE, SNMP_PRIV_AES };

/* Protocol settings: the global defaults merged with a device's overrides. */
struct snmp_settings {
	int version;              /* 1, 2 (for 2c) or 3 */
	char *community;          /* v1/v2c; secret */
	char *user;               /* v3 securityName */
	enum snmp_auth_proto auth_proto;
	char *auth_password;      /* secret */
	enum snmp_priv_proto priv_proto;
	char *priv_password;      /* secret */
	char *context;            /* v3 context name, may be NULL */
	unsigned timeout_ms;      /* per try; default 2000 */
	unsigned retries;         /* default 1 */
	uint16_t port;            /* agent port; default 161 (devices: see
	                             device_conf.port, which wins) */
};

struct site_conf {
	char *name;
	enum site_kind kind;
	char *location;           /* free text or "lat,lon"; may be NULL */
};

struct device_conf {
	char *name;               /* unique; also the RRD directory name */
	size_t site;              /* index into serat_config.sites */
	char *host;               /* as written: name, IPv4 or IPv6 literal */
	uint16_t port;            /* address port, else snmp.port, else 161 */
	char *parent;             /* upstream device name, or NULL */
	long parent_index;        /* index into devices, -1 for none (resolved) */
	struct snmp_settings snmp;
	char **interfaces;        /* NULL-terminated glob list; NULL = all */
	size_t n_interfaces;
	char *origin;             /* "FILE:LINE" where it was defined */
};

enum channel_type { CHANNEL_TELEGRAM, CHANNEL_SLACK, CHANNEL_GENERIC, CHANNEL_TEMPLATE };

struct channel_conf {
	char *name;
	enum channel_type type;
	char *url;
	char *token;              /* secret; Telegram bot token or bearer */
	char *chat_id;            /* Telegram */
	char *template;           /* CHANNEL_TEMPLATE body */
};

struct rule_conf {
	char *name;
	char *metric;             /* e.g. "device.reachable", "if.util" */
	char *op;                 /* "<", "<=", ">", ">=", "==", "!=" */
	double threshold;
	unsigned for_s;           /* condition must hold this long */
	char *severity;           /* "critical", "warning", "info" */
	char **channels;          /* NULL-terminated names of channel_conf */
	size_t n_channels;
};

struct maintenance_conf {
	char *name;
	char **targets;           /* device or site names, NULL-terminated */
	size_t n_targets;
	char *start;              /* ISO 8601 local time, validated */
	char *end;
};

struct serat_config {
	char *path;               /* the file it was loaded from */
	char *data_dir;
	unsigned interval_ms;
	char *timezone;
	char *http_listen;
	int log_level;            /* LOG_ERR .. LOG_DEBUG (syslog.h) */

	struct snmp_settings snmp;      /* global defaults */
	unsigned max_in_flight;         /* devices polled at once; default 64 */
	unsigned bulk_max_varbinds;     /* per GETBULK response; default 60 */
	unsigned spread_ms;             /* turns start over this much of each
	                                   interval; default a quarter of it */

	char *rrdcached;          /* "unix:/path" or "host:port"; NULL = direct */
	struct rra_conf {
		unsigned step_s;  /* consolidation step in seconds */
		unsigned span_s;  /* how long it is kept */
	} *rras;
	size_t n_rras;

	char *inventory_csv;      /* resolved path, or NULL */

	struct site_conf *sites;
	size_t n_sites;
	struct device_conf *devices;
	size_t n_devices;
	struct channel_conf *channels;
	size_t n_channels;
	struct rule_conf *rules;
	size_t n_rules;
	struct maintenance_conf *maintenance;
	size_t n_maintenance;
	struct icmp_conf icmp;          /* ICMP probe settings and targets */
};

/*
 * Load and validate PATH.  On success returns a new config (caller frees with
 * config_free).  On failure returns NULL and writes every error found, one per
 * line, "FILE:LINE:COL: message", into err (truncated to errlen, always
 * NUL-terminated).  Validation continues past the first error where it can,
 * so one run shows most mistakes.
 */
struct serat_config *config_load(const char *path, char *err, size_t errlen);

/* NULL-safe; frees everything the config owns. */
void config_free(struct serat_config *conf);

/*
 * A human summary for check-config, one "key: value" line each: the path,
 * sites by kind, devices by SNMP version, interfaces watched, channels,
 * rules, maintenance windows, interval, data_dir, the rrd target and RRAs
 * (see docs/config.md).  Never includes secrets.  Caller frees; NULL on
 * ENOMEM.
 */
char *config_summary(const struct serat_config *conf);

/* Device lookup by name; -1 when absent. */
long config_find_device(const struct serat_config *conf, const char *name);

/* True when IFNAME matches the device's interface globs (or it has none). */
int device_watches_interface(const struct device_conf *dev, const char *ifname);

/*
 * Parse a duration ("1500ms", "90s", "5m", "2h", "2d", "2w", "1M" = 30 d,
 * "1y" = 365 d, a bare number = seconds) into milliseconds.  Returns 0 or
 * -EINVAL (also on overflow; *ms is then untouched).  Pure.
 */
int parse_duration_ms(const char *text, uint64_t *ms);

#endif
