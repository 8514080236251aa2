/*
 * config_build.c — what both config readers build with: the error
 * collector, growing arrays and name indexes, value parsers, the parser of
 * one SNMP-SETTINGS field, and whole-file reads.  See config_build.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>

#include "common/config.h"
#include "common/config_build.h"
#include "common/metric.h"
#include "common/text_safe.h"

static const char *const cfg_kind_names[SITE_KIND_COUNT] = {
	"core", "opd", "puskesmas", "nagari", "kecamatan", "other"
};

const char *site_kind_name(enum site_kind kind)
{
	if ((int)kind < 0 || kind >= SITE_KIND_COUNT)
		return NULL;
	return cfg_kind_names[kind];
}

static const char *const cfg_op_names[RULE_OP_COUNT] = { "<", "<=", ">", ">=", "==", "!=" };
static const char *const cfg_sev_names[RULE_SEV_COUNT] = { "critical", "warning", "info" };

const char *rule_op_name(enum rule_op op)
{
	return (unsigned)op < RULE_OP_COUNT ? cfg_op_names[op] : NULL;
}

const char *rule_severity_name(enum rule_severity sev)
{
	return (unsigned)sev < RULE_SEV_COUNT ? cfg_sev_names[sev] : NULL;
}

int rule_op_holds(enum rule_op op, double value, double threshold)
{
	switch (op) {
	case RULE_OP_LT: return value < threshold;
	case RULE_OP_LE: return value <= threshold;
	case RULE_OP_GT: return value > threshold;
	case RULE_OP_GE: return value >= threshold;
	case RULE_OP_EQ: return value == threshold;
	case RULE_OP_NE: return value != threshold;
	default: return 0;
	}
}

/* ---- the build ------------------------------------------------------- */

void cfg_build_init(struct cfg_build *b, struct serat_config *conf, char *err, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	b->conf = conf;
	b->out = err;
	b->outlen = errlen;
	if (err && errlen)
		err[0] = '\0';
}

void cfg_build_cleanup(struct cfg_build *b)
{
	free(b->dir);
	free(b->rra_marks);
	free(b->site_marks);
	cfg_index_cleanup(&b->site_index);
	free(b->dev_info);
	cfg_index_cleanup(&b->device_index);
	free(b->channel_marks);
	free(b->rule_marks);
	free(b->maint_marks);
	free(b->maint_start_marks);
	free(b->refs);
}

/* ---- errors ---------------------------------------------------------- */

int cfg_full(const struct cfg_build *b)
{
	return b->enomem || b->n_errors >= CFG_MAX_ERRORS;
}

/* Append one line to the caller's buffer, sanitised, truncating silently
 * (it stays terminated). */
static void cfg_emit(struct cfg_build *b, const char *fmt, va_list ap)
{
	char line[1400];
	size_t n;

	if (b->out == NULL || b->outlen == 0 || b->outused >= b->outlen - 1)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	text_sanitize_inplace(line);
	snprintf(b->out + b->outused, b->outlen - b->outused, "%s\n", line);
	n = strlen(line) + 1;
	b->outused += n;
	if (b->outused >= b->outlen)
		b->outused = b->outlen - 1;
}

static void cfg_emitf(struct cfg_build *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void cfg_emitf(struct cfg_build *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_emit(b, fmt, ap);
	va_end(ap);
}

void cfg_note(struct cfg_build *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_emit(b, fmt, ap);
	va_end(ap);
}

void cfg_verror(struct cfg_build *b, const struct cfg_mark *mark, const char *fmt, va_list ap)
{
	/* Room for an unknown metric's hint: every registry name. */
	char msg[2048];

	if (cfg_full(b))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (mark == NULL || mark->line == 0)
		cfg_emitf(b, "%s: %s", mark && mark->file ? mark->file : b->conf->path, msg);
	else if (mark->column != NULL)
		cfg_emitf(b, "%s:%u: column '%s': %s", mark->file, mark->line, mark->column, msg);
	else if (mark->col == 0)
		cfg_emitf(b, "%s:%u: %s", mark->file, mark->line, msg);
	else
		cfg_emitf(b, "%s:%u:%u: %s", mark->file, mark->line, mark->col, msg);
	if (++b->n_errors == CFG_MAX_ERRORS)
		cfg_emitf(b, "%s: too many errors, stopping", b->conf->path);
}

void cfg_error(struct cfg_build *b, const struct cfg_mark *mark, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_verror(b, mark, fmt, ap);
	va_end(ap);
}

const char *cfg_quote_prefix(char *buf, size_t len, const char *s)
{
	return text_sanitize(buf, len, s, CFG_QUOTE_MAX);
}

char *cfg_origin(struct cfg_build *b, const char *file, unsigned line)
{
	size_t len = strlen(file) + 16;
	char *p = malloc(len);

	if (p == NULL) {
		b->enomem = 1;
		return NULL;
	}
	snprintf(p, len, "%s:%u", file, line);
	return p;
}

char *cfg_strdup(struct cfg_build *b, const char *s)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		b->enomem = 1;
	return d;
}

/* ---- name index ------------------------------------------------------ */

static size_t cfg_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;    /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

long cfg_index_get(const struct cfg_index *ix, const char *key)
{
	if (ix->cap == 0)
		return -1;
	for (size_t i = cfg_hash(key) & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
		if (ix->keys[i] == NULL)
			return -1;
		if (strcmp(ix->keys[i], key) == 0)
			return ix->vals[i];
	}
}

long cfg_index_put(struct cfg_index *ix, const char *key, long val)
{
	size_t i;

	/* Keep the table at most half full: probes stay short. */
	if ((ix->n + 1) * 2 > ix->cap) {
		struct cfg_index big = { NULL, NULL, 0, ix->cap ? ix->cap * 2 : 64 };
		big.keys = calloc(big.cap, sizeof(*big.keys));
		big.vals = calloc(big.cap, sizeof(*big.vals));
		if (big.keys == NULL || big.vals == NULL) {
			cfg_index_cleanup(&big);
			return -ENOMEM;
		}
		for (size_t j = 0; j < ix->cap; j++)
			if (ix->keys[j] != NULL)
				cfg_index_put(&big, ix->keys[j], ix->vals[j]);
		cfg_index_cleanup(ix);
		*ix = big;
	}
	for (i = cfg_hash(key) & (ix->cap - 1); ix->keys[i] != NULL; i = (i + 1) & (ix->cap - 1))
		if (strcmp(ix->keys[i], key) == 0)
			return ix->vals[i];
	ix->keys[i] = key;
	ix->vals[i] = val;
	ix->n++;
	return -1;
}

void cfg_index_cleanup(struct cfg_index *ix)
{
	free(ix->keys);
	free(ix->vals);
	memset(ix, 0, sizeof(*ix));
}

/* ---- growing arrays -------------------------------------------------- */

/* Grow *ARR (of SIZE-byte elements) so index N fits; zero the new room. */
static int cfg_grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	while (ncap <= n)
		ncap *= 2;
	p = realloc(*arr, ncap * size);
	if (p == NULL)
		return -ENOMEM;
	memset((char *)p + *cap * size, 0, (ncap - *cap) * size);
	*arr = p;
	*cap = ncap;
	return 0;
}

struct site_conf *cfg_add_site(struct cfg_build *b, const struct cfg_mark *mark)
{
	struct serat_config *c = b->conf;
	size_t cap = b->sites_cap;

	if (cfg_grow((void **)&c->sites, &cap, c->n_sites, sizeof(*c->sites)) < 0 ||
	    cfg_grow((void **)&b->site_marks, &b->sites_cap, c->n_sites, sizeof(*b->site_marks)) < 0) {
		b->enomem = 1;
		return NULL;
	}
	b->site_marks[c->n_sites] = *mark;
	return &c->sites[c->n_sites++];
}

int cfg_index_site(struct cfg_build *b, size_t idx)
{
	const char *name = b->conf->sites[idx].name;

	if (name == NULL || cfg_index_put(&b->site_index, name, (long)idx) == -ENOMEM) {
		b->enomem = 1;
		return -ENOMEM;
	}
	return 0;
}

long cfg_find_site(const struct cfg_build *b, const char *name)
{
	return cfg_index_get(&b->site_index, name);
}

struct device_conf *cfg_add_device(struct cfg_build *b, struct cfg_dev_info **info)
{
	struct serat_config *c = b->conf;
	size_t cap = b->devices_cap;
	struct device_conf *d;

	if (cfg_grow((void **)&c->devices, &cap, c->n_devices, sizeof(*c->devices)) < 0 ||
	    cfg_grow((void **)&b->dev_info, &b->devices_cap, c->n_devices, sizeof(*b->dev_info)) < 0) {
		b->enomem = 1;
		return NULL;
	}
	d = &c->devices[c->n_devices];
	d->parent_index = -1;
	*info = &b->dev_info[c->n_devices];
	c->n_devices++;
	return d;
}

int cfg_add_ref(struct cfg_build *b, enum cfg_ref_kind kind, const char *name,
		const char *owner_kind, const char *owner_name, const struct cfg_mark *mark,
		struct maint_target *target)
{
	if (cfg_grow((void **)&b->refs, &b->refs_cap, b->n_refs, sizeof(*b->refs)) < 0) {
		b->enomem = 1;
		return -ENOMEM;
	}
	b->refs[b->n_refs++] = (struct cfg_ref){ kind, name, owner_kind, owner_name, target, *mark };
	return 0;
}

/* ---- files and paths ------------------------------------------------- */

char *cfg_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup("");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

char *cfg_path_join(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *p;

	if (name[0] == '/' || dir[0] == '\0')
		return strdup(name);
	if ((p = malloc(len)) != NULL)
		snprintf(p, len, "%s%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/", name);
	return p;
}

static const char *cfg_file_type(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

int cfg_read_file(const char *path, size_t max, char **data, size_t *len, char *why,
		  size_t whylen)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	int fd, err = 0;

	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer forever.  The check-config of a mistyped path must return. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		snprintf(why, whylen, "%s", strerror(err));
		return -err;
	}
	if (fstat(fd, &st) < 0) {
		err = errno;
		snprintf(why, whylen, "%s", strerror(err));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		snprintf(why, whylen, "%s, not a regular file", cfg_file_type(st.st_mode));
		goto fail;
	}
	if ((uint64_t)st.st_size > max) {
		err = EFBIG;
		snprintf(why, whylen, "too large (over %zu bytes)", max);
		goto fail;
	}
	/* The size is a hint: read until EOF, up to MAX, whatever it says. */
	size_t cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap + 1)) == NULL) {
		err = ENOMEM;
		snprintf(why, whylen, "%s", strerror(err));
		goto fail;
	}
	for (;;) {
		if (n == cap) {
			char *p;
			if (cap > max) {
				err = EFBIG;
				snprintf(why, whylen, "too large (over %zu bytes)", max);
				goto fail;
			}
			cap *= 2;
			if ((p = realloc(buf, cap + 1)) == NULL) {
				err = ENOMEM;
				snprintf(why, whylen, "%s", strerror(err));
				goto fail;
			}
			buf = p;
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = errno;
			snprintf(why, whylen, "%s", strerror(err));
			goto fail;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
fail:
	free(buf);
	close(fd);
	return -err;
}

/* ---- value parsers --------------------------------------------------- */

int parse_duration_ms(const char *text, uint64_t *ms)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
		{ "d", 86400000 }, { "w", 7 * 86400000ULL }, { "M", 30 * 86400000ULL },
		{ "y", 365 * 86400000ULL },
	};
	uint64_t n = 0;
	const char *p = text;

	if (text == NULL || *p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		uint64_t digit = (uint64_t)(*p - '0');
		if (n > (UINT64_MAX - digit) / 10)
			return -EINVAL;
		n = n * 10 + digit;
	}
	if (*p == '\0') {     /* a bare number is seconds */
		if (n > UINT64_MAX / 1000)
			return -EINVAL;
		*ms = n * 1000;
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].unit) != 0)
			continue;
		if (n > UINT64_MAX / units[i].ms)
			return -EINVAL;
		*ms = n * units[i].ms;
		return 0;
	}
	return -EINVAL;
}

void cfg_format_duration(uint64_t ms, char *buf, size_t len)
{
	static const struct { char unit; uint64_t ms; } units[] = {
		{ 'y', 365 * 86400000ULL }, { 'M', 30 * 86400000ULL }, { 'w', 7 * 86400000ULL },
		{ 'd', 86400000 }, { 'h', 3600000 }, { 'm', 60000 }, { 's', 1000 },
	};

	if (ms != 0)
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (ms % units[i].ms == 0) {
				snprintf(buf, len, "%llu%c",
					 (unsigned long long)(ms / units[i].ms), units[i].unit);
				return;
			}
	snprintf(buf, len, "%llums", (unsigned long long)ms);
}

int cfg_parse_kind(const char *s, enum site_kind *kind)
{
	for (int k = 0; k < SITE_KIND_COUNT; k++)
		if (strcmp(s, cfg_kind_names[k]) == 0) {
			*kind = (enum site_kind)k;
			return 0;
		}
	return -EINVAL;
}

/* Find S in NAMES (N entries); its index or -1. */
static int cfg_lookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

int cfg_parse_rule_op(const char *s, enum rule_op *op)
{
	int i = cfg_lookup(cfg_op_names, RULE_OP_COUNT, s);

	if (i < 0)
		return -EINVAL;
	*op = (enum rule_op)i;
	return 0;
}

int cfg_parse_severity(const char *s, enum rule_severity *sev)
{
	int i = cfg_lookup(cfg_sev_names, RULE_SEV_COUNT, s);

	if (i < 0)
		return -EINVAL;
	*sev = (enum rule_severity)i;
	return 0;
}

/* Levenshtein distance of A and B, capped: anything above 9 is 9. */
static unsigned cfg_distance(const char *a, const char *b)
{
	unsigned row[64], la = (unsigned)strlen(a), lb = (unsigned)strlen(b);

	if (la >= 63 || lb >= 63)
		return 9;
	for (unsigned j = 0; j <= lb; j++)
		row[j] = j;
	for (unsigned i = 1; i <= la; i++) {
		unsigned diag = row[0];
		row[0] = i;
		for (unsigned j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb] > 9 ? 9 : row[lb];
}

int cfg_parse_metric(const char *s, enum metric_id *id, char *hint, size_t hintlen)
{
	const struct metric_def *m = metric_find(s);
	size_t used = 0, shown = 0, ls = strlen(s);
	int pass;

	if (m != NULL) {
		*id = m->id;
		return 0;
	}
	/* Close names: a small edit away ("if.util_pc"), or starting with what
	 * was written ("if.util" -> if.util_pct).  None close: all of them,
	 * straight from the registry, so the hint never goes stale. */
	for (pass = 0; pass < 2 && shown == 0; pass++) {
		used = 0;
		int n = snprintf(hint, hintlen, "%s", pass ? "known: " : "did you mean ");
		if (n < 0 || (size_t)n >= hintlen)
			break;
		used = (size_t)n;
		for (int i = 0; i < METRIC_COUNT && (pass || shown < 3); i++) {
			const char *name = metric_get((enum metric_id)i)->name;
			if (!pass && cfg_distance(s, name) > 3 && !(ls >= 4 && strncmp(name, s, ls) == 0))
				continue;
			n = snprintf(hint + used, hintlen - used, "%s%s", shown ? ", " : "", name);
			if (n < 0 || (size_t)n >= hintlen - used)
				break;
			used += (size_t)n;
			shown++;
		}
	}
	if (pass == 1 && shown > 0 && used + 1 < hintlen)   /* close names found */
		memcpy(hint + used, "?", 2);
	return -EINVAL;
}

int cfg_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (*s == '\0')
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		unsigned long digit = (unsigned long)(*s - '0');
		if (v > (ULONG_MAX - digit) / 10)
			return -EINVAL;
		v = v * 10 + digit;
	}
	if (v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* A DNS name or an IPv4 literal: letters, digits, '-', '.', '_'. */
int cfg_valid_host(const char *host)
{
	if (*host == '\0' || strlen(host) > 253)
		return 0;
	for (const char *p = host; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_'))
			return 0;
	return 1;
}

int cfg_parse_address(const char *s, char **host, uint16_t *port)
{
	struct in6_addr a6;
	const char *colon;
	unsigned long p = 0;
	char *h;

	*host = NULL;
	*port = 0;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (close == NULL)
			return -EINVAL;
		h = strndup(s + 1, (size_t)(close - s - 1));
		if (h == NULL)
			return -ENOMEM;
		if (inet_pton(AF_INET6, h, &a6) != 1 ||
		    (close[1] != '\0' && (close[1] != ':' ||
		     cfg_parse_uint(close + 2, 65535, &p) < 0 || p == 0))) {
			free(h);
			return -EINVAL;
		}
		*host = h;
		*port = (uint16_t)p;
		return 0;
	}
	colon = strchr(s, ':');
	if (colon != NULL && strchr(colon + 1, ':') != NULL) {
		/* Two colons: a bare IPv6 literal, no port possible. */
		if (inet_pton(AF_INET6, s, &a6) != 1)
			return -EINVAL;
		*host = strdup(s);
		return *host ? 0 : -ENOMEM;
	}
	h = colon ? strndup(s, (size_t)(colon - s)) : strdup(s);
	if (h == NULL)
		return -ENOMEM;
	if (!cfg_valid_host(h) ||
	    (colon && (cfg_parse_uint(colon + 1, 65535, &p) < 0 || p == 0))) {
		free(h);
		return -EINVAL;
	}
	*host = h;
	*port = (uint16_t)p;
	return 0;
}

/* ---- SNMP settings --------------------------------------------------- */

const char *const cfg_snmp_keys[CFG_SF_COUNT + 1] = {
	"version", "community", "user", "auth_protocol", "auth_password", "priv_protocol",
	"priv_password", "context", "timeout", "retries", "port", NULL
};

static void cfg_free_secret(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

void cfg_snmp_settings_clear(struct snmp_settings *s)
{
	cfg_free_secret(s->community);
	free(s->user);
	cfg_free_secret(s->auth_password);
	cfg_free_secret(s->priv_password);
	free(s->context);
	s->community = s->user = s->auth_password = s->priv_password = s->context = NULL;
}

/* A passphrase Net-SNMP accepts: it refuses one under 8 characters. */
static int cfg_snmp_password(struct cfg_build *b, const char *text, const struct cfg_mark *mark,
			     const char *who, const char *dir, const char *key, char **out)
{
	char *v;
	int r = cfg_secret_resolve(b, text, dir, mark, key, &v);

	if (r < 0)
		return r;
	if (strlen(v) < 8) {
		cfg_error(b, mark, "%s%smust be at least 8 characters (Net-SNMP requires it)",
			  who ? who : "", who ? " " : "");
		cfg_free_secret(v);
		return -EINVAL;
	}
	cfg_free_secret(*out);
	*out = v;
	return 0;
}

int cfg_snmp_set(struct cfg_build *b, struct cfg_snmp *o, enum cfg_snmp_field f,
		 const char *text, const struct cfg_mark *mark, const char *who, const char *dir)
{
	struct snmp_settings *s = &o->s;
	const char *w = who ? who : "", *sp = who ? " " : "";
	const char *key = cfg_snmp_keys[f];
	unsigned before = b->n_errors;
	unsigned long u;
	uint64_t ms;
	char *d;

	switch (f) {
	case CFG_SF_VERSION:
		if (strcmp(text, "1") == 0)
			s->version = 1;
		else if (strcmp(text, "2c") == 0 || strcmp(text, "2") == 0)
			s->version = 2;
		else if (strcmp(text, "3") == 0)
			s->version = 3;
		else
			cfg_error(b, mark, "%s%smust be 1, 2c or 3", w, sp);
		break;
	case CFG_SF_COMMUNITY:
		if (cfg_secret_resolve(b, text, dir, mark, key, &d) == 0) {
			cfg_free_secret(s->community);
			s->community = d;
		}
		break;
	case CFG_SF_USER:
	case CFG_SF_CONTEXT:
		if ((d = cfg_strdup(b, text)) == NULL)
			return -ENOMEM;
		free(f == CFG_SF_USER ? s->user : s->context);
		*(f == CFG_SF_USER ? &s->user : &s->context) = d;
		break;
	case CFG_SF_AUTH_PROTO:
		if (strcmp(text, "SHA") == 0)
			s->auth_proto = SNMP_AUTH_SHA;
		else if (strcmp(text, "SHA-256") == 0)
			s->auth_proto = SNMP_AUTH_SHA256;
		else
			cfg_error(b, mark, "%s%smust be SHA or SHA-256", w, sp);
		break;
	case CFG_SF_PRIV_PROTO:
		if (strcmp(text, "AES") == 0)
			s->priv_proto = SNMP_PRIV_AES;
		else
			cfg_error(b, mark, "%s%smust be AES", w, sp);
		break;
	case CFG_SF_AUTH_PASS:
		cfg_snmp_password(b, text, mark, who, dir, key, &s->auth_password);
		break;
	case CFG_SF_PRIV_PASS:
		cfg_snmp_password(b, text, mark, who, dir, key, &s->priv_password);
		break;
	case CFG_SF_TIMEOUT:
		if (parse_duration_ms(text, &ms) < 0 || ms == 0 || ms > 60000)
			cfg_error(b, mark, "%s%smust be a duration from 1ms to 60s (e.g. 2s, 1500ms)",
				  w, sp);
		else
			s->timeout_ms = (unsigned)ms;
		break;
	case CFG_SF_RETRIES:
		if (cfg_parse_uint(text, 20, &u) < 0)
			cfg_error(b, mark, "%s%smust be a whole number from 0 to 20", w, sp);
		else
			s->retries = (unsigned)u;
		break;
	case CFG_SF_PORT:
		if (cfg_parse_uint(text, 65535, &u) < 0 || u == 0)
			cfg_error(b, mark, "%s%smust be a whole number from 1 to 65535", w, sp);
		else
			s->port = (uint16_t)u;
		break;
	default:
		return -EINVAL;
	}
	if (b->enomem)
		return -ENOMEM;
	if (b->n_errors != before) {
		o->bad = 1;
		return -EINVAL;
	}
	o->set |= 1u << f;
	return 0;
}

/* Replace *TO by a copy of FROM; the old value may be a secret: wiped. */
static int cfg_copy_str(char **to, const char *from)
{
	char *d = NULL;

	if (from != NULL && (d = strdup(from)) == NULL)
		return -ENOMEM;
	cfg_free_secret(*to);
	*to = d;
	return 0;
}

int cfg_snmp_merge(struct snmp_settings *to, const struct cfg_snmp *from)
{
	const struct snmp_settings *f = &from->s;
	unsigned set = from->set;
	int r = 0;

	if (set & (1u << CFG_SF_VERSION))
		to->version = f->version;
	if (set & (1u << CFG_SF_COMMUNITY))
		r |= cfg_copy_str(&to->community, f->community);
	if (set & (1u << CFG_SF_USER))
		r |= cfg_copy_str(&to->user, f->user);
	if (set & (1u << CFG_SF_AUTH_PROTO))
		to->auth_proto = f->auth_proto;
	if (set & (1u << CFG_SF_AUTH_PASS))
		r |= cfg_copy_str(&to->auth_password, f->auth_password);
	if (set & (1u << CFG_SF_PRIV_PROTO))
		to->priv_proto = f->priv_proto;
	if (set & (1u << CFG_SF_PRIV_PASS))
		r |= cfg_copy_str(&to->priv_password, f->priv_password);
	if (set & (1u << CFG_SF_CONTEXT))
		r |= cfg_copy_str(&to->context, f->context);
	if (set & (1u << CFG_SF_TIMEOUT))
		to->timeout_ms = f->timeout_ms;
	if (set & (1u << CFG_SF_RETRIES))
		to->retries = f->retries;
	if (set & (1u << CFG_SF_PORT))
		to->port = f->port;
	return r ? -ENOMEM : 0;
}
