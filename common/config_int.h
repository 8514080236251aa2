/*
 * config_int.h — what the parts of the config loader share, and nobody else.
 *
 * config_load() is split by concern: config.c owns the lifecycle, the error
 * collector, the second (cross-field) validation pass and the summary;
 * config_yaml.c walks the libyaml node tree; config_csv.c reads the CSV
 * inventory; config_secret.c resolves "file:" and "env:" secrets.  They meet
 * in a struct cfg_build, which holds the config under construction plus the
 * source positions the second pass needs for its messages (a parsed config
 * keeps no marks: only the loader reports errors).
 */
#ifndef SERAT_CONFIG_INT_H
#define SERAT_CONFIG_INT_H

#include <stdarg.h>
#include <stddef.h>

#include "common/config.h"

/* After this many errors config_load stops collecting (and says so). */
#define CFG_MAX_ERRORS 50

/*
 * A place in an input file.  FILE is borrowed from the config (conf->path or
 * conf->inventory_csv), so it lives as long as the build.  A CSV mark has a
 * COLUMN name and no column number: "FILE:LINE: column 'NAME': ...".  COL 0
 * without a column gives "FILE:LINE: ..." (a whole CSV row); LINE 0 means
 * "no position" (e.g. a default value): the message is "FILE: ...".
 */
struct cfg_mark {
	const char *file;
	unsigned line;            /* 1-based */
	unsigned col;             /* 1-based; ignored for CSV marks */
	const char *column;       /* CSV column, or NULL for YAML */
};

/* A name used somewhere that must refer to something defined elsewhere. */
enum cfg_ref_kind { CFG_REF_CHANNEL, CFG_REF_TARGET };

struct cfg_ref {
	enum cfg_ref_kind kind;
	const char *name;         /* borrowed from the config */
	const char *owner_kind;   /* "rule", "maintenance" */
	const char *owner_name;   /* borrowed from the config */
	struct cfg_mark mark;
};

/* Which fields of an SNMP-SETTINGS block were written (for merging). */
enum {
	CFG_SNMP_VERSION = 1 << 0, CFG_SNMP_COMMUNITY = 1 << 1, CFG_SNMP_USER = 1 << 2,
	CFG_SNMP_AUTH_PROTO = 1 << 3, CFG_SNMP_AUTH_PASS = 1 << 4,
	CFG_SNMP_PRIV_PROTO = 1 << 5, CFG_SNMP_PRIV_PASS = 1 << 6,
	CFG_SNMP_CONTEXT = 1 << 7, CFG_SNMP_TIMEOUT = 1 << 8, CFG_SNMP_RETRIES = 1 << 9,
	CFG_SNMP_PORT = 1 << 10
};

/* An SNMP block as written: the values plus which of them were set. */
struct cfg_snmp {
	struct snmp_settings s;
	unsigned set;
	int bad;                  /* some field was reported: skip merged checks */
	struct cfg_mark mark;     /* the block itself (for merged-settings errors) */
};

/* Per-device positions, parallel to conf->devices. */
struct cfg_dev_info {
	struct cfg_mark name;
	struct cfg_mark parent;
	int has_snmp;             /* the device overrides some SNMP setting */
	int snmp_bad;             /* ... and one of them was already reported */
	struct cfg_mark snmp;
	int port_from_address;    /* the address carried ":PORT" */
};

struct cfg_build {
	struct serat_config *conf;
	char *out;                /* the caller's error buffer */
	size_t outlen, outused;
	unsigned n_errors;
	int enomem;               /* an allocation failed: give up quietly */

	char *dir;                /* directory of the config file ("" = cwd) */

	int have_global_snmp;
	int global_snmp_bad;
	struct cfg_mark global_snmp_mark;
	struct cfg_mark interval_mark;
	struct cfg_mark spread_mark;   /* file 0 = poller.spread not set */
	struct cfg_mark inventory_mark;
	struct cfg_mark *rra_marks;       /* parallel to conf->rras; NULL = defaults */
	struct cfg_mark *site_marks;      /* parallel to conf->sites */
	size_t sites_cap;
	struct cfg_dev_info *dev_info;    /* parallel to conf->devices */
	size_t devices_cap;
	struct cfg_mark *channel_marks;   /* parallel to conf->channels */
	struct cfg_mark *rule_marks;
	struct cfg_mark *maint_marks;
	struct cfg_ref *refs;
	size_t n_refs, refs_cap;
};

/* Report one error at MARK (NULL = whole config).  Never prints secrets: the
 * callers pass names and positions, never secret values. */
void cfg_error(struct cfg_build *b, const struct cfg_mark *mark, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cfg_verror(struct cfg_build *b, const struct cfg_mark *mark, const char *fmt, va_list ap);
/* True once no more errors are wanted (cap reached or out of memory). */
int cfg_full(const struct cfg_build *b);
/* "FILE:LINE" for device_conf.origin; NULL (and ENOMEM noted) on failure. */
char *cfg_origin(struct cfg_build *b, const char *file, unsigned line);
/* strdup that records ENOMEM in the build. */
char *cfg_strdup(struct cfg_build *b, const char *s);

/* Append a site/device (zeroed, with its info slot); NULL on ENOMEM. */
struct site_conf *cfg_add_site(struct cfg_build *b, const struct cfg_mark *mark);
struct device_conf *cfg_add_device(struct cfg_build *b, struct cfg_dev_info **info);
long cfg_find_site(const struct serat_config *conf, const char *name);
int cfg_add_ref(struct cfg_build *b, enum cfg_ref_kind kind, const char *name,
		const char *owner_kind, const char *owner_name, const struct cfg_mark *mark);

/* Value parsers shared by YAML and CSV; return 0 or -EINVAL. */
int cfg_parse_kind(const char *s, enum site_kind *kind);
int cfg_parse_snmp_version(const char *s, int *version);
int cfg_parse_auth_proto(const char *s, enum snmp_auth_proto *p);
int cfg_parse_priv_proto(const char *s, enum snmp_priv_proto *p);
int cfg_parse_uint(const char *s, unsigned long max, unsigned long *out);
/* "host", "host:port", "[v6]:port" or a bare IPv6 literal; *port 0 = none. */
int cfg_parse_address(const char *s, char **host, uint16_t *port);
int cfg_valid_host(const char *host);
/* Give DEV the glob list GLOBS (NULL-terminated, N entries; takes ownership). */
int cfg_set_interfaces(struct cfg_build *b, struct device_conf *dev, char **globs, size_t n);

/* Free the heap fields of an snmp_settings (not the struct). */
void cfg_snmp_settings_clear(struct snmp_settings *s);
/* Copy FROM's set fields over TO (duplicating strings); 0 or -ENOMEM. */
int cfg_snmp_merge(struct snmp_settings *to, const struct cfg_snmp *from);
/* Check settings that must hold together; reports at MARK prefixed WHO. */
int cfg_snmp_validate(struct cfg_build *b, const struct snmp_settings *s,
		      const struct cfg_mark *mark, const char *who);

/*
 * Resolve a secret as written (inline, "file:PATH" relative to DIR, or
 * "env:NAME") into *out (caller frees).  Reports at MARK on failure, naming
 * WHAT ("community") but never the secret.  0 or negative errno.
 */
int cfg_secret_resolve(struct cfg_build *b, const char *text, const char *dir,
		       const struct cfg_mark *mark, const char *what, char **out);

/* "dir/name" unless NAME is absolute or DIR empty.  Caller frees. */
char *cfg_path_join(const char *dir, const char *name);
/* Directory part of PATH ("" for a bare name).  Caller frees. */
char *cfg_dirname(const char *path);

/* config_yaml.c: walk PATH into b->conf.  0, or negative when it could not be
 * parsed at all (errors are already reported). */
int cfg_yaml_load(struct cfg_build *b, const char *path);

/* config_csv.c: read the CSV inventory at b->conf->inventory_csv. */
int cfg_csv_load(struct cfg_build *b);

/* Format MS as the shortest exact "90s", "5m", "2d", ... into BUF. */
void cfg_format_duration(uint64_t ms, char *buf, size_t len);

#endif
