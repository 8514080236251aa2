/*
 * config_build.h — the config under construction, shared by the readers.
 *
 * config_load() is split by concern, and the dependencies point one way:
 *
 *   config.c  (load, second pass, free)  --> config_yaml.c, config_csv.c
 *   config_yaml.c, config_csv.c          --> config_build.c, config_secret.c
 *   config_secret.c                      --> config_build.c
 *
 * config_build.c holds what both readers need: the error collector (every
 * message "FILE:LINE:COL: ...", sanitised), the growing arrays and name
 * indexes of sites and devices, the value parsers, and the one parser of an
 * SNMP-SETTINGS field (YAML key or CSV column alike).  A struct cfg_build
 * holds the config being built plus the source positions the second pass
 * needs for its messages (a loaded config keeps no marks: only the loader
 * reports errors).  Nothing outside common/config*.c includes this header.
 */
#ifndef SERAT_CONFIG_BUILD_H
#define SERAT_CONFIG_BUILD_H

#include <stdarg.h>
#include <stddef.h>

#include "common/config.h"

/* After this many errors config_load stops collecting (and says so). */
#define CFG_MAX_ERRORS 50

/* The most bytes of a config, inventory or secret file read (a bigger one
 * is a mistake: a log, a disk image). */
#define CFG_MAX_FILE (64u << 20)

/* How much of a name that is not one we know is quoted in an error: enough
 * to recognise a typo, too little to echo a file's content. */
#define CFG_QUOTE_MAX 32

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
	struct maint_target *target;   /* CFG_REF_TARGET: resolved in place */
	struct cfg_mark mark;
};

/* The fields of an SNMP-SETTINGS block, in the order of cfg_snmp_keys. */
enum cfg_snmp_field {
	CFG_SF_VERSION, CFG_SF_COMMUNITY, CFG_SF_USER, CFG_SF_AUTH_PROTO, CFG_SF_AUTH_PASS,
	CFG_SF_PRIV_PROTO, CFG_SF_PRIV_PASS, CFG_SF_CONTEXT, CFG_SF_TIMEOUT, CFG_SF_RETRIES,
	CFG_SF_PORT, CFG_SF_COUNT
};

/* Their YAML keys, NULL-terminated ("version", "community", ...). */
extern const char *const cfg_snmp_keys[CFG_SF_COUNT + 1];

/* An SNMP block as written: the values plus which of them were set
 * (bit 1 << enum cfg_snmp_field). */
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
	struct cfg_mark profile;  /* where `profile:` was given */
};

/*
 * A string -> index hash table (open addressing).  Keys are borrowed: they
 * must outlive the index (names owned by the config do).  It keeps name
 * checks linear: a 100,000-row inventory is 100,000 lookups, not 5 * 10^9
 * compares.
 */
struct cfg_index {
	const char **keys;
	long *vals;
	size_t n, cap;
};

/* The value stored for KEY, or -1. */
long cfg_index_get(const struct cfg_index *ix, const char *key);
/* Store KEY -> VAL unless KEY is there: returns the value already stored,
 * -1 when added, -ENOMEM. */
long cfg_index_put(struct cfg_index *ix, const char *key, long val);
void cfg_index_cleanup(struct cfg_index *ix);

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
	struct cfg_mark spread_mark;   /* file NULL = poller.spread not set */
	struct cfg_mark inventory_mark;
	struct cfg_mark *rra_marks;       /* parallel to conf->rras; NULL = defaults */
	struct cfg_mark *site_marks;      /* parallel to conf->sites */
	size_t sites_cap;
	struct cfg_index site_index;      /* site name -> index */
	struct cfg_dev_info *dev_info;    /* parallel to conf->devices */
	size_t devices_cap;
	struct cfg_index device_index;    /* device name -> index (second pass) */
	struct cfg_mark *channel_marks;   /* parallel to conf->channels */
	struct cfg_mark *rule_marks;
	struct cfg_mark *maint_marks;
	struct cfg_mark *maint_start_marks;   /* parallel to conf->maintenance */
	struct cfg_ref *refs;
	size_t n_refs, refs_cap;
};

/* Start a build of CONF (which it does not own) reporting into ERR. */
void cfg_build_init(struct cfg_build *b, struct serat_config *conf, char *err, size_t errlen);
/* Free what the build owns (not the config). */
void cfg_build_cleanup(struct cfg_build *b);

/*
 * Report one error at MARK (NULL = whole config).  The message is
 * sanitised (text_sanitize): a value quoted from the input cannot put a
 * control character or escape sequence on the terminal.  Never pass a
 * secret: the callers pass names and positions.
 */
void cfg_error(struct cfg_build *b, const struct cfg_mark *mark, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cfg_verror(struct cfg_build *b, const struct cfg_mark *mark, const char *fmt, va_list ap);
/* A line without a position or error count ("FILE: out of memory"). */
void cfg_note(struct cfg_build *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True once no more errors are wanted (cap reached or out of memory). */
int cfg_full(const struct cfg_build *b);
/* "FILE:LINE" for device_conf.origin; NULL (and ENOMEM noted) on failure. */
char *cfg_origin(struct cfg_build *b, const char *file, unsigned line);
/* strdup that records ENOMEM in the build. */
char *cfg_strdup(struct cfg_build *b, const char *s);
/* The first CFG_QUOTE_MAX bytes of S, sanitised, "..." when cut, into BUF
 * (>= CFG_QUOTE_MAX + 4 bytes): for names we do not know. */
const char *cfg_quote_prefix(char *buf, size_t len, const char *s);

/* Append a site/device (zeroed, with its info slot); NULL on ENOMEM.  A
 * site's name must be set (and registered with cfg_index_site) by the
 * caller. */
struct site_conf *cfg_add_site(struct cfg_build *b, const struct cfg_mark *mark);
struct device_conf *cfg_add_device(struct cfg_build *b, struct cfg_dev_info **info);
/* Index site IDX under its name; 0 or -ENOMEM. */
int cfg_index_site(struct cfg_build *b, size_t idx);
long cfg_find_site(const struct cfg_build *b, const char *name);
int cfg_add_ref(struct cfg_build *b, enum cfg_ref_kind kind, const char *name,
		const char *owner_kind, const char *owner_name, const struct cfg_mark *mark,
		struct maint_target *target);

/* Value parsers shared by YAML and CSV; return 0 or -EINVAL. */
int cfg_parse_kind(const char *s, enum site_kind *kind);
int cfg_parse_uint(const char *s, unsigned long max, unsigned long *out);
/* "host", "host:port", "[v6]:port" or a bare IPv6 literal; *port 0 = none. */
int cfg_parse_address(const char *s, char **host, uint16_t *port);
int cfg_valid_host(const char *host);
/* A metric of the registry (common/metric.h) by name.  -EINVAL when there
 * is none; HINT then gets "did you mean A, B?" (up to three close names)
 * or "known: A, B, ..." (every name) for the message. */
int cfg_parse_metric(const char *s, enum metric_id *id, char *hint, size_t hintlen);
int cfg_parse_rule_op(const char *s, enum rule_op *op);
int cfg_parse_severity(const char *s, enum rule_severity *sev);

/*
 * Set field F of O from TEXT, written at MARK ("file:" secrets relative to
 * DIR).  WHO names the field for the message ("'timeout' in snmp of device
 * 'x'"); NULL when MARK already does (a CSV column).  A rejected value is
 * reported without quoting it — whatever the field, a swapped column may
 * have put a secret there — and a rejected secret is wiped before it is
 * freed.  Sets o->bad on an error.  0, -EINVAL or -ENOMEM.
 */
int cfg_snmp_set(struct cfg_build *b, struct cfg_snmp *o, enum cfg_snmp_field f,
		 const char *text, const struct cfg_mark *mark, const char *who, const char *dir);
/* Free (and wipe the secrets of) the heap fields of an snmp_settings. */
void cfg_snmp_settings_clear(struct snmp_settings *s);
/* Copy FROM's set fields over TO (duplicating strings); 0 or -ENOMEM. */
int cfg_snmp_merge(struct snmp_settings *to, const struct cfg_snmp *from);

/*
 * Resolve a secret as written (inline, "file:PATH" relative to DIR, or
 * "env:NAME") into *out (caller frees).  Reports at MARK on failure, naming
 * WHAT ("community") but never the secret.  0 or negative errno.
 * (config_secret.c)
 */
int cfg_secret_resolve(struct cfg_build *b, const char *text, const char *dir,
		       const struct cfg_mark *mark, const char *what, char **out);

/*
 * Read the regular file PATH whole (at most MAX bytes) into *DATA (caller
 * frees; NUL-terminated) and *LEN.  A FIFO, device, socket or directory is
 * refused without blocking (opened O_NONBLOCK, checked with fstat).  On
 * failure returns negative errno and writes the reason ("No such file or
 * directory", "a FIFO, not a regular file") into WHY.
 */
int cfg_read_file(const char *path, size_t max, char **data, size_t *len, char *why,
		  size_t whylen);

/* "dir/name" unless NAME is absolute or DIR empty.  Caller frees. */
char *cfg_path_join(const char *dir, const char *name);
/* Directory part of PATH ("" for a bare name).  Caller frees. */
char *cfg_dirname(const char *path);

/* Format MS as the shortest exact "90s", "5m", "2d", ... into BUF. */
void cfg_format_duration(uint64_t ms, char *buf, size_t len);

#endif
