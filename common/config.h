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
 *   language: id|en              default id (dashboard, graph legends)
 *   http: {kiosk_tokens: [TOKEN...], auth_file: FILE, tls_cert: FILE,
 *          tls_key: FILE, max_connections: N}   dashboard options
 *   log_level: error|warning|info|debug   default info
 *   snmp: SNMP-SETTINGS          defaults for every device
 *   poller: {max_in_flight: N, bulk_max_varbinds: N, spread: DURATION}
 *   rrd: {rrdcached: ADDR, rras: ["1m:2d", ...]}
 *   inventory: FILE.csv          relative to the config file's directory
 *   sites: [SITE...]             inline inventory (may be combined with CSV)
 *   channels: [CHANNEL...]       alert channels (docs/alerts.md)
 *   rules: [RULE...]             alert rules (see struct rule_conf)
 *   maintenance: [WINDOW...]     maintenance windows (struct maintenance_conf)
 *   external_url: URL            dashboard base URL used in messages
 *   alerts: {group_window, down_after, up_after, renotify, flap_changes,
 *            flap_window, retry_for, connect_timeout, timeout}
 *
 *   CHANNEL: {name, type (webhook|telegram|slack|http), url?, token?,
 *             chat_id?, api_url?, method?, headers?: {NAME: VALUE},
 *             body?, format? (json|form), rate_limit? (per minute),
 *             language?}
 *   sla: {targets: {KIND: PCT}, service_hours: {KIND: "Mon-Fri 07:30-16:00"},
 *         uplinks: {SITE-OR-DEVICE: IFNAME}}   the SLA report (docs/sla.md)
 *   profiles_dir: DIR            user device profiles (common/profile.h),
 *                                relative to the config file's directory
 *
 *   SNMP-SETTINGS: version (1|2c|3), community, user, auth_protocol
 *     (SHA|SHA-256), auth_password, priv_protocol (AES), priv_password,
 *     context, timeout (DURATION), retries, port
 *   SITE: {name, kind (core|opd|puskesmas|nagari|kecamatan|other),
 *          location?, devices: [DEVICE...]}
 *   DEVICE: {name, address (host, host:port or [v6]:port), parent?,
 *            snmp?: SNMP-SETTINGS,
 *            interfaces?: [GLOB...],   (no list = every interface)
 *            profile?: NAME,           (no profile = matched by the agent)
 *            optics_thresholds?: {rx_low_alarm, rx_low_warn, rx_high_warn,
 *                                 rx_high_alarm, tx_...: dBm},
 *            icmp?: true | [ADDR...]}  (and a SITE's icmp?: [ADDR...])
 *   icmp: {count, period, spacing, timeout, socket}   see config_icmp.h
 */
#ifndef SERAT_CONFIG_H
#define SERAT_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/config_icmp.h"
#include "common/metric.h"

struct profile_set;

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
	char **subnets;           /* NULL-terminated CIDR list (validated), or NULL:
				   * the passive probe maps addresses to sites by them */
	size_t n_subnets;
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
	char *profile;            /* `profile:` (common/profile.h), or NULL =
	                             matched by sysObjectID/sysDescr */
	/* `optics_thresholds:` levels in dBm, [0] receive, [1] transmit, each
	 * low_alarm, low_warn, high_warn, high_alarm; bit 4 * dir + k of
	 * optics_thr_set says which are given.  They win over the device's
	 * and the profile's (their source is "config"). */
	double optics_thr[2][4];
	uint8_t optics_thr_set;
};

/* Channel types: what the receiver speaks (docs/alerts.md). */
enum channel_type {
	CHANNEL_WEBHOOK,          /* Alertmanager webhook JSON, version 4 */
	CHANNEL_TELEGRAM,         /* Bot API sendMessage */
	CHANNEL_SLACK,            /* Slack-compatible incoming webhook */
	CHANNEL_HTTP,             /* method, headers, body from a template */
	CHANNEL_TYPE_COUNT
};

/* "webhook", "telegram", "slack", "http"; NULL when out of range. */
const char *channel_type_name(enum channel_type type);

struct channel_header {
	char *name;
	char *value;              /* may be a secret (file:/env:): never logged */
};

struct channel_conf {
	char *name;
	enum channel_type type;
	char *url;                /* webhook, slack, http */
	char *token;              /* secret; Telegram bot token */
	char *chat_id;            /* Telegram */
	char *api_url;            /* Telegram API base; default https://api.telegram.org */
	char *method;             /* http: default POST */
	struct channel_header *headers;   /* http */
	size_t n_headers;
	char *body;               /* http: template (alert_fmt_template) */
	int form;                 /* http: body is application/x-www-form-urlencoded */
	unsigned rate_per_min;    /* 0 = unlimited; Telegram default 20 */
	int language;             /* -1 = the global `language`, else enum alert_lang */
	int report;               /* `report: true`: gets the monthly SLA summary */
};

/* The `alerts:` section: engine and delivery tuning. */
struct alerts_conf {
	unsigned group_window_ms;     /* alerts starting this close go out as one; 30s */
	unsigned down_after;          /* failed polls in a row before "down"; 2 */
	unsigned up_after;            /* good polls before "up" again; 1 */
	unsigned renotify_s;          /* repeat while still bad; 0 = never; default 0 */
	unsigned flap_changes;        /* this many state changes ... ; 6 */
	unsigned flap_window_s;       /* ... within this window = flapping; 0 = 10 intervals */
	unsigned retry_for_s;         /* give up a notification after; 24h */
	unsigned connect_timeout_ms;  /* 10s */
	unsigned timeout_ms;          /* whole request; 30s */
	unsigned drift_db;            /* OpticalDrift: rx this many dB below the
	                                 port's median; 3 */
	unsigned drift_window_s;      /* ... median over this window; 7 days
	                                 (shorter: for tests and labs) */
};

/*
 * Alert rules, parsed into typed values at load (the alert engine reads
 * them as they are; nothing is re-parsed at run time).
 *
 *   RULE: {name, metric, op, threshold, for?: DURATION (default 0),
 *          severity?: critical|warning|info (default warning),
 *          channels?: [CHANNEL-NAME...]}
 *
 * A rule fires when "<metric> <op> <threshold>" has held for `for_ms`, for
 * every object of the metric's kind (metric_get(metric)->object: a device,
 * an interface, ...).  check-config rejects a metric not in the registry
 * (common/metric.h, docs/metrics.md), with close names as a hint.
 */
enum rule_op { RULE_OP_LT, RULE_OP_LE, RULE_OP_GT, RULE_OP_GE, RULE_OP_EQ, RULE_OP_NE,
	       RULE_OP_COUNT };
enum rule_severity { RULE_SEV_CRITICAL, RULE_SEV_WARNING, RULE_SEV_INFO, RULE_SEV_COUNT };

/* "<", "<=", ...; "critical", ...: the config's spelling.  NULL when out of
 * range. */
const char *rule_op_name(enum rule_op op);
const char *rule_severity_name(enum rule_severity sev);
/* VALUE op THRESHOLD, e.g. rule_op_holds(RULE_OP_GT, 95.0, 90.0) == 1. */
int rule_op_holds(enum rule_op op, double value, double threshold);

struct rule_conf {
	char *name;               /* unique among rules */
	enum metric_id metric;    /* registry id: metric_get(metric) is never NULL */
	enum rule_op op;
	double threshold;         /* finite */
	uint64_t for_ms;          /* the condition must hold this long; 0 = at once */
	enum rule_severity severity;
	char **channels;          /* NULL-terminated names of channel_conf (each
	                             exists); NULL = every channel */
	size_t n_channels;
};

/*
 * Maintenance windows: alerts for the targets are held from start to end.
 *
 *   WINDOW: {name, targets: [DEVICE-OR-SITE...], start, end}
 *
 * start/end are ISO 8601, "YYYY-MM-DDTHH:MM[:SS]", local time in the
 * configured `timezone` (how people plan them), or with an explicit offset
 * ("...+07:00", "...Z").  A target names a device or a site (a site covers
 * all its devices); a name that is both is an error.
 */
enum maint_target_kind { MAINT_TARGET_DEVICE, MAINT_TARGET_SITE };

struct maint_target {
	char *name;                   /* as written */
	enum maint_target_kind kind;
	size_t index;                 /* into serat_config.devices or .sites */
};

struct maintenance_conf {
	char *name;               /* unique among windows */
	struct maint_target *targets;
	size_t n_targets;         /* >= 1 */
	time_t start;             /* Unix time; the window is [start, end) */
	time_t end;               /* > start */
};

/* The `sla:` section, for the monthly report (docs/sla.md). */
struct sla_hours_conf {
	unsigned days;            /* bit tm_wday (0 Sunday); 0 = around the clock */
	unsigned start_min;       /* [start_min, end_min) after local midnight */
	unsigned end_min;         /* up to 1440 */
};

struct sla_uplink_conf {
	char *target;             /* a site (its first device) or a device name */
	char *ifname;             /* the interface that carries the site's traffic */
};

struct sla_conf {
	double target_pct[SITE_KIND_COUNT];        /* 0 = the kind's default */
	struct sla_hours_conf hours[SITE_KIND_COUNT];
	struct sla_uplink_conf *uplinks;
	size_t n_uplinks;
};

struct serat_config {
	char *path;               /* the file it was loaded from */
	char *data_dir;
	unsigned interval_ms;
	char *timezone;           /* zone name or POSIX TZ string (common/tz.h) */
	char *http_listen;
	char *language;           /* "id" or "en" */
	struct http_conf {
		char **kiosk_tokens;      /* NULL-terminated, or NULL; secrets */
		size_t n_kiosk_tokens;
		char *auth_file;          /* "user:crypt-hash" lines, or NULL */
		char *tls_cert, *tls_key; /* PEM files; both or neither */
		unsigned max_connections; /* default 64 */
	} http;
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
	} *rras;                  /* never empty: config_default_rras() if unset */
	size_t n_rras;

	char *inventory_csv;      /* resolved path, or NULL */

	/* The passive probe (probes/, docs/probes.md): off while interface is
	 * NULL.  seratd runs `program` (default: serat-probe in libexecdir)
	 * on INTERFACE with FILTER, one --site per site that has subnets. */
	struct probe_conf {
		char *interface;          /* capture interface (mirror/SPAN port) */
		char *filter;             /* BPF, may be NULL */
		unsigned interval_ms;     /* 0 = the poll interval */
		char *user;               /* unprivileged user; default nobody */
		unsigned flow_memory_mb;  /* flow table cap; default 64 */
		char *program;            /* path of serat-probe, NULL = default */
	} probe;

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

	char *external_url;       /* dashboard base URL for links in messages, or NULL */
	struct alerts_conf alerts;
	struct sla_conf sla;
	struct icmp_conf icmp;          /* ICMP probe settings and targets */

	char *profiles_dir;       /* user profiles, or NULL (common/profile.h) */
	struct profile_set *profiles;   /* shipped + user; NULL when none */
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
 * The default archives (DESIGN.md: 1 min for 2 days, 5 min for 2 weeks,
 * 30 min for 2 months, 1 day for 2 years), for a config without rrd.rras
 * and for code that has no config.  Static storage; *N gets the count.
 */
const struct rra_conf *config_default_rras(size_t *n);

/*
 * A human summary for check-config, one "key: value" line each: the path,
 * sites by kind, devices by SNMP version, interfaces watched, channels,
 * rules, maintenance windows, interval, data_dir, the rrd target and RRAs
 * (see docs/config.md).  Never includes secrets.  Caller frees; NULL on
 * ENOMEM.
 */
char *config_summary(const struct serat_config *conf);

/*
 * The whole parsed config, normalised, for `serat check-config --print`:
 * every default filled in, durations in their largest exact unit, devices
 * under their sites with their merged SNMP settings, secrets (communities,
 * passphrases, tokens, and a channel URL's path and query) as "<secret>",
 * times as ISO 8601 in the configured zone.  YAML-like, deterministic (the
 * same config prints the same bytes), strings quoted and escaped when they
 * hold anything but plain characters.  See docs/config.md.  Caller frees;
 * NULL on ENOMEM.
 */
char *config_print(const struct serat_config *conf);

/* Service hours as written in the config: "Mon-Fri 07:30-16:00", "24/7"
 * (days 0).  Pure. */
void config_sla_hours_text(const struct sla_hours_conf *h, char *buf, size_t len);

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
