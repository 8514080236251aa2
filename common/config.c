/*
 * config.c — config_load(): the lifecycle of a serat_config, the error
 * collector, value parsers shared by the YAML and CSV readers, the second
 * validation pass and the check-config summary.
 *
 * Loading is "parse, validate, print" (see docs/config.md): config_yaml.c
 * fills a struct serat_config field by field, reporting what is wrong with
 * each value where it stands; config_csv.c appends the CSV inventory; then
 * cfg_validate() checks what spans fields and files — duplicate names,
 * parents and their cycles, references from rules and maintenance windows,
 * RRA steps against the interval, merged SNMP settings.  Every error is
 * collected (up to CFG_MAX_ERRORS) so one run of check-config shows most
 * mistakes; a config with any error is freed and never returned.
 */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <arpa/inet.h>

#include "common/config.h"
#include "common/config_int.h"

static const char *const config_kind_names[SITE_KIND_COUNT] = {
	"core", "opd", "puskesmas", "nagari", "kecamatan", "other"
};

const char *site_kind_name(enum site_kind kind)
{
	if ((int)kind < 0 || kind >= SITE_KIND_COUNT)
		return NULL;
	return config_kind_names[kind];
}

/* ---- errors ---------------------------------------------------------- */

int cfg_full(const struct cfg_build *b)
{
	return b->enomem || b->n_errors >= CFG_MAX_ERRORS;
}

static void cfg_emit(struct cfg_build *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append to the caller's buffer, truncating silently (it stays terminated). */
static void cfg_emit(struct cfg_build *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->out == NULL || b->outlen == 0 || b->outused >= b->outlen - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->out + b->outused, b->outlen - b->outused, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	b->outused += (size_t)n;
	if (b->outused >= b->outlen)
		b->outused = b->outlen - 1;
}

void cfg_verror(struct cfg_build *b, const struct cfg_mark *mark, const char *fmt, va_list ap)
{
	char msg[1024];

	if (cfg_full(b))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (mark == NULL || mark->line == 0)
		cfg_emit(b, "%s: %s\n", mark && mark->file ? mark->file : b->conf->path, msg);
	else if (mark->column != NULL)
		cfg_emit(b, "%s:%u: column '%s': %s\n", mark->file, mark->line, mark->column, msg);
	else if (mark->col == 0)
		cfg_emit(b, "%s:%u: %s\n", mark->file, mark->line, msg);
	else
		cfg_emit(b, "%s:%u:%u: %s\n", mark->file, mark->line, mark->col, msg);
	if (++b->n_errors == CFG_MAX_ERRORS)
		cfg_emit(b, "%s: too many errors, stopping\n", b->conf->path);
}

void cfg_error(struct cfg_build *b, const struct cfg_mark *mark, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_verror(b, mark, fmt, ap);
	va_end(ap);
}

char *cfg_origin(struct cfg_build *b, const char *file, unsigned line)
{
	char buf[64];
	size_t len = strlen(file) + sizeof(buf);
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

long cfg_find_site(const struct serat_config *conf, const char *name)
{
	for (size_t i = 0; i < conf->n_sites; i++)
		if (conf->sites[i].name && strcmp(conf->sites[i].name, name) == 0)
			return (long)i;
	return -1;
}

int cfg_add_ref(struct cfg_build *b, enum cfg_ref_kind kind, const char *name,
		const char *owner_kind, const char *owner_name, const struct cfg_mark *mark)
{
	if (cfg_grow((void **)&b->refs, &b->refs_cap, b->n_refs, sizeof(*b->refs)) < 0) {
		b->enomem = 1;
		return -ENOMEM;
	}
	b->refs[b->n_refs++] = (struct cfg_ref){ kind, name, owner_kind, owner_name, *mark };
	return 0;
}

/* ---- paths ----------------------------------------------------------- */

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
		if (strcmp(s, config_kind_names[k]) == 0) {
			*kind = (enum site_kind)k;
			return 0;
		}
	return -EINVAL;
}

int cfg_parse_snmp_version(const char *s, int *version)
{
	if (strcmp(s, "1") == 0)
		*version = 1;
	else if (strcmp(s, "2c") == 0 || strcmp(s, "2") == 0)
		*version = 2;
	else if (strcmp(s, "3") == 0)
		*version = 3;
	else
		return -EINVAL;
	return 0;
}

int cfg_parse_auth_proto(const char *s, enum snmp_auth_proto *p)
{
	if (strcmp(s, "SHA") == 0)
		*p = SNMP_AUTH_SHA;
	else if (strcmp(s, "SHA-256") == 0)
		*p = SNMP_AUTH_SHA256;
	else
		return -EINVAL;
	return 0;
}

int cfg_parse_priv_proto(const char *s, enum snmp_priv_proto *p)
{
	if (strcmp(s, "AES") != 0)
		return -EINVAL;
	*p = SNMP_PRIV_AES;
	return 0;
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

void cfg_snmp_settings_clear(struct snmp_settings *s)
{
	free(s->community);
	free(s->user);
	free(s->auth_password);
	free(s->priv_password);
	free(s->context);
	s->community = s->user = s->auth_password = s->priv_password = s->context = NULL;
}

static int cfg_copy_str(char **to, const char *from)
{
	char *d = NULL;

	if (from != NULL && (d = strdup(from)) == NULL)
		return -ENOMEM;
	free(*to);
	*to = d;
	return 0;
}

int cfg_snmp_merge(struct snmp_settings *to, const struct cfg_snmp *from)
{
	const struct snmp_settings *f = &from->s;
	unsigned set = from->set;
	int r = 0;

	if (set & CFG_SNMP_VERSION)
		to->version = f->version;
	if (set & CFG_SNMP_COMMUNITY)
		r |= cfg_copy_str(&to->community, f->community);
	if (set & CFG_SNMP_USER)
		r |= cfg_copy_str(&to->user, f->user);
	if (set & CFG_SNMP_AUTH_PROTO)
		to->auth_proto = f->auth_proto;
	if (set & CFG_SNMP_AUTH_PASS)
		r |= cfg_copy_str(&to->auth_password, f->auth_password);
	if (set & CFG_SNMP_PRIV_PROTO)
		to->priv_proto = f->priv_proto;
	if (set & CFG_SNMP_PRIV_PASS)
		r |= cfg_copy_str(&to->priv_password, f->priv_password);
	if (set & CFG_SNMP_CONTEXT)
		r |= cfg_copy_str(&to->context, f->context);
	if (set & CFG_SNMP_TIMEOUT)
		to->timeout_ms = f->timeout_ms;
	if (set & CFG_SNMP_RETRIES)
		to->retries = f->retries;
	if (set & CFG_SNMP_PORT)
		to->port = f->port;
	return r ? -ENOMEM : 0;
}

/*
 * The rules that need several fields: v1/v2c need a community; v3 needs a
 * user, a protocol needs its password and privacy needs authentication
 * (Net-SNMP has no noAuthPriv).  Password lengths are checked where they are
 * written, since that is where the user must fix them.
 */
int cfg_snmp_validate(struct cfg_build *b, const struct snmp_settings *s,
		      const struct cfg_mark *mark, const char *who)
{
	unsigned before = b->n_errors;

	if (s->version != 3) {
		if (s->community == NULL)
			cfg_error(b, mark, "%sSNMP v%s needs a community", who,
				  s->version == 1 ? "1" : "2c");
		return b->n_errors == before ? 0 : -EINVAL;
	}
	if (s->user == NULL)
		cfg_error(b, mark, "%sSNMP v3 needs a user", who);
	if (s->auth_proto != SNMP_AUTH_NONE && s->auth_password == NULL)
		cfg_error(b, mark, "%sauth_protocol needs an auth_password", who);
	if (s->auth_proto == SNMP_AUTH_NONE && s->auth_password != NULL)
		cfg_error(b, mark, "%sauth_password needs an auth_protocol", who);
	if (s->priv_proto != SNMP_PRIV_NONE && s->priv_password == NULL)
		cfg_error(b, mark, "%spriv_protocol needs a priv_password", who);
	if (s->priv_proto == SNMP_PRIV_NONE && s->priv_password != NULL)
		cfg_error(b, mark, "%spriv_password needs a priv_protocol", who);
	if (s->priv_proto != SNMP_PRIV_NONE && s->auth_proto == SNMP_AUTH_NONE)
		cfg_error(b, mark, "%sprivacy (authPriv) needs auth_protocol and auth_password too", who);
	return b->n_errors == before ? 0 : -EINVAL;
}

int cfg_set_interfaces(struct cfg_build *b, struct device_conf *dev, char **globs, size_t n)
{
	/* Takes ownership of GLOBS (NULL-terminated, N entries). */
	dev->interfaces = globs;
	dev->n_interfaces = n;
	(void)b;
	return 0;
}

/* ---- lifecycle ------------------------------------------------------- */

static void config_free_strv(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

void config_free(struct serat_config *conf)
{
	if (conf == NULL)
		return;
	free(conf->path);
	free(conf->data_dir);
	free(conf->timezone);
	free(conf->http_listen);
	cfg_snmp_settings_clear(&conf->snmp);
	free(conf->rrdcached);
	free(conf->rras);
	free(conf->inventory_csv);
	for (size_t i = 0; i < conf->n_sites; i++) {
		free(conf->sites[i].name);
		free(conf->sites[i].location);
	}
	free(conf->sites);
	for (size_t i = 0; i < conf->n_devices; i++) {
		struct device_conf *d = &conf->devices[i];
		free(d->name);
		free(d->host);
		free(d->parent);
		cfg_snmp_settings_clear(&d->snmp);
		config_free_strv(d->interfaces);
		free(d->origin);
	}
	free(conf->devices);
	for (size_t i = 0; i < conf->n_channels; i++) {
		struct channel_conf *ch = &conf->channels[i];
		free(ch->name);
		free(ch->url);
		free(ch->token);
		free(ch->chat_id);
		free(ch->api_url);
		free(ch->method);
		for (size_t h = 0; h < ch->n_headers; h++) {
			free(ch->headers[h].name);
			free(ch->headers[h].value);
		}
		free(ch->headers);
		free(ch->body);
	}
	free(conf->channels);
	for (size_t i = 0; i < conf->n_rules; i++) {
		free(conf->rules[i].name);
		free(conf->rules[i].metric);
		free(conf->rules[i].op);
		free(conf->rules[i].severity);
		config_free_strv(conf->rules[i].channels);
	}
	free(conf->rules);
	for (size_t i = 0; i < conf->n_maintenance; i++) {
		free(conf->maintenance[i].name);
		config_free_strv(conf->maintenance[i].targets);
		free(conf->maintenance[i].start);
		free(conf->maintenance[i].end);
	}
	free(conf->maintenance);
	free(conf->external_url);
	free(conf);
}

const char *channel_type_name(enum channel_type type)
{
	static const char *const names[] = { "webhook", "telegram", "slack", "http" };
	return (unsigned)type < CHANNEL_TYPE_COUNT ? names[type] : NULL;
}

static const struct rra_conf config_default_rras[] = {
	{ 60, 2 * 86400 }, { 300, 14 * 86400 }, { 1800, 60 * 86400 }, { 86400, 730 * 86400 },
};

static int config_set_defaults(struct serat_config *c)
{
	c->data_dir = strdup("/var/lib/serat");
	c->timezone = strdup("Asia/Jakarta");
	c->http_listen = strdup("127.0.0.1:8080");
	c->interval_ms = 60000;
	c->log_level = LOG_INFO;
	c->snmp.version = 2;
	c->snmp.timeout_ms = 2000;
	c->snmp.retries = 1;
	c->snmp.port = 161;
	c->max_in_flight = 64;
	c->bulk_max_varbinds = 60;
	c->alerts = (struct alerts_conf){
		.group_window_ms = 30000, .down_after = 2, .up_after = 1, .renotify_s = 0,
		.flap_changes = 6, .flap_window_s = 0, .retry_for_s = 86400,
		.connect_timeout_ms = 10000, .timeout_ms = 30000,
	};
	c->rras = malloc(sizeof(config_default_rras));
	if (c->data_dir == NULL || c->timezone == NULL || c->http_listen == NULL || c->rras == NULL)
		return -ENOMEM;
	memcpy(c->rras, config_default_rras, sizeof(config_default_rras));
	c->n_rras = sizeof(config_default_rras) / sizeof(config_default_rras[0]);
	return 0;
}

/* ---- second pass ----------------------------------------------------- */

/* Turns start within the first quarter of the interval unless told
 * otherwise: no burst at second 0, yet a whole cycle is sampled close
 * together and three quarters of the interval are left for slow devices
 * and retries (a 60 s cycle is complete within ~20 s, bench/README.md). */
static void cfg_check_spread(struct cfg_build *b)
{
	struct serat_config *c = b->conf;
	if (b->spread_mark.file == NULL) {
		c->spread_ms = c->interval_ms / 4;
		return;
	}
	if (c->spread_ms > c->interval_ms) {
		char iv[32], sp[32];
		cfg_format_duration(c->interval_ms, iv, sizeof(iv));
		cfg_format_duration(c->spread_ms, sp, sizeof(sp));
		cfg_error(b, &b->spread_mark, "'spread' in poller (%s) is longer than the interval %s",
			  sp, iv);
	}
}

static void cfg_check_rras(struct cfg_build *b)
{
	struct serat_config *c = b->conf;
	char iv[32], st[32];

	cfg_format_duration(c->interval_ms, iv, sizeof(iv));
	for (size_t i = 0; i < c->n_rras; i++) {
		uint64_t step_ms = (uint64_t)c->rras[i].step_s * 1000;
		const struct cfg_mark *m = b->rra_marks ? &b->rra_marks[i] : &b->interval_mark;

		cfg_format_duration(step_ms, st, sizeof(st));
		if (step_ms < c->interval_ms)
			cfg_error(b, m, "RRA step %s is shorter than the interval %s%s", st, iv,
				  b->rra_marks ? "" : " (default rrd.rras; set your own)");
		else if (step_ms % c->interval_ms != 0)
			cfg_error(b, m, "RRA step %s is not a multiple of the interval %s%s", st, iv,
				  b->rra_marks ? "" : " (default rrd.rras; set your own)");
	}
}

static void cfg_check_devices(struct cfg_build *b)
{
	struct serat_config *c = b->conf;
	unsigned *stamp;

	/* Duplicate names: quadratic, but 200 devices is 20,000 compares once. */
	for (size_t i = 0; i < c->n_devices; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->devices[i].name, c->devices[j].name) == 0) {
				cfg_error(b, &b->dev_info[i].name,
					  "duplicate device name '%s' (first defined at %s)",
					  c->devices[i].name, c->devices[j].origin);
				break;
			}

	for (size_t i = 0; i < c->n_devices; i++) {
		struct device_conf *d = &c->devices[i];
		if (d->parent == NULL)
			continue;
		d->parent_index = config_find_device(c, d->parent);
		if (d->parent_index < 0)
			cfg_error(b, &b->dev_info[i].parent, "device '%s': parent '%s' does not exist",
				  d->name, d->parent);
		else if ((size_t)d->parent_index == i)
			cfg_error(b, &b->dev_info[i].parent, "device '%s' is its own parent", d->name);
	}

	/*
	 * Cycles: every device has at most one parent, so following parents from
	 * each unvisited device either ends at a root, reaches a device seen on an
	 * earlier walk (no new cycle), or comes back to this walk: a cycle, which
	 * is reported once, at the device where it closed.
	 */
	stamp = calloc(c->n_devices ? c->n_devices : 1, sizeof(*stamp));
	if (stamp == NULL) {
		b->enomem = 1;
		return;
	}
	for (size_t i = 0; i < c->n_devices; i++) {
		long k = (long)i;
		if (stamp[i])
			continue;
		while (k >= 0 && stamp[k] == 0) {
			stamp[k] = (unsigned)i + 1;
			k = c->devices[k].parent_index;
		}
		if (k >= 0 && stamp[k] == (unsigned)i + 1 && c->devices[k].parent_index != k) {
			char path[512];
			size_t used = 0;
			long m = k;
			do {
				int n = snprintf(path + used, sizeof(path) - used, "%s -> ",
						 c->devices[m].name);
				if (n < 0 || (size_t)n >= sizeof(path) - used)
					break;
				used += (size_t)n;
				m = c->devices[m].parent_index;
			} while (m != k);
			snprintf(path + used, sizeof(path) - used, "%s", c->devices[k].name);
			cfg_error(b, &b->dev_info[k].parent, "device '%s': parent cycle %s",
				  c->devices[k].name, path);
		}
	}
	free(stamp);
}

static void cfg_check_snmp(struct cfg_build *b)
{
	struct serat_config *c = b->conf;
	size_t inherit = 0;
	char who[300];

	for (size_t i = 0; i < c->n_devices; i++) {
		if (!b->dev_info[i].has_snmp) {
			inherit++;
			continue;
		}
		/* A field already reported would only echo here as "missing". */
		if (b->dev_info[i].snmp_bad)
			continue;
		snprintf(who, sizeof(who), "device '%s': ", c->devices[i].name);
		cfg_snmp_validate(b, &c->devices[i].snmp, &b->dev_info[i].snmp, who);
	}
	/* Report a flaw of the global block once, not once per device. */
	if (inherit > 0 && !b->global_snmp_bad)
		cfg_snmp_validate(b, &c->snmp,
				  b->have_global_snmp ? &b->global_snmp_mark : NULL,
				  b->have_global_snmp ? "snmp: " : "no 'snmp' section: ");
}

static void cfg_check_refs(struct cfg_build *b)
{
	struct serat_config *c = b->conf;

	for (size_t i = 0; i < b->n_refs; i++) {
		const struct cfg_ref *r = &b->refs[i];
		int found = 0;
		if (r->kind == CFG_REF_CHANNEL) {
			for (size_t j = 0; j < c->n_channels && !found; j++)
				found = strcmp(c->channels[j].name, r->name) == 0;
			if (!found)
				cfg_error(b, &r->mark, "%s '%s': channel '%s' does not exist",
					  r->owner_kind, r->owner_name, r->name);
		} else {
			found = config_find_device(c, r->name) >= 0 || cfg_find_site(c, r->name) >= 0;
			if (!found)
				cfg_error(b, &r->mark, "%s '%s': target '%s' is neither a device nor a site",
					  r->owner_kind, r->owner_name, r->name);
		}
	}
}

static void cfg_validate(struct cfg_build *b)
{
	cfg_check_rras(b);
	cfg_check_spread(b);
	cfg_check_devices(b);
	cfg_check_snmp(b);
	cfg_check_refs(b);
}

static void cfg_build_cleanup(struct cfg_build *b)
{
	free(b->dir);
	free(b->rra_marks);
	free(b->site_marks);
	free(b->dev_info);
	free(b->channel_marks);
	free(b->rule_marks);
	free(b->maint_marks);
	free(b->refs);
}

struct serat_config *config_load(const char *path, char *err, size_t errlen)
{
	struct cfg_build b;
	struct serat_config *conf;

	memset(&b, 0, sizeof(b));
	b.out = err;
	b.outlen = errlen;
	if (err && errlen)
		err[0] = '\0';
	conf = calloc(1, sizeof(*conf));
	if (conf == NULL || (conf->path = strdup(path)) == NULL ||
	    config_set_defaults(conf) < 0 || (b.dir = cfg_dirname(path)) == NULL) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s\n", path, strerror(ENOMEM));
		config_free(conf);
		free(b.dir);
		return NULL;
	}
	b.conf = conf;
	if (cfg_yaml_load(&b, path) == 0 && !b.enomem) {
		if (conf->inventory_csv != NULL && !cfg_full(&b))
			cfg_csv_load(&b);
		if (!cfg_full(&b))
			cfg_validate(&b);
	}
	if (b.enomem)
		cfg_emit(&b, "%s: %s\n", path, strerror(ENOMEM));
	if (b.n_errors > 0 || b.enomem) {
		if (b.n_errors == 0 && !b.enomem)
			cfg_emit(&b, "%s: invalid configuration\n", path);
		cfg_build_cleanup(&b);
		config_free(conf);
		return NULL;
	}
	cfg_build_cleanup(&b);
	return conf;
}

/* ---- queries --------------------------------------------------------- */

long config_find_device(const struct serat_config *conf, const char *name)
{
	if (conf == NULL || name == NULL)
		return -1;
	for (size_t i = 0; i < conf->n_devices; i++)
		if (conf->devices[i].name && strcmp(conf->devices[i].name, name) == 0)
			return (long)i;
	return -1;
}

int device_watches_interface(const struct device_conf *dev, const char *ifname)
{
	if (dev->interfaces == NULL)
		return 1;
	for (size_t i = 0; i < dev->n_interfaces; i++)
		if (fnmatch(dev->interfaces[i], ifname, 0) == 0)
			return 1;
	return 0;
}

/* ---- summary --------------------------------------------------------- */

struct cfg_sbuf {
	char *p;
	size_t len, cap;
	int failed;
};

static void cfg_sbuf_add(struct cfg_sbuf *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void cfg_sbuf_add(struct cfg_sbuf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(s->p ? s->p + s->len : NULL, s->p ? s->cap - s->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			s->failed = 1;
			return;
		}
		if (s->p && (size_t)n < s->cap - s->len) {
			s->len += (size_t)n;
			return;
		}
		size_t ncap = s->cap ? s->cap * 2 : 1024;
		while (ncap < s->len + (size_t)n + 1)
			ncap *= 2;
		char *np = realloc(s->p, ncap);
		if (np == NULL) {
			s->failed = 1;
			return;
		}
		s->p = np;
		s->cap = ncap;
	}
}

char *config_summary(const struct serat_config *conf)
{
	struct cfg_sbuf s = { NULL, 0, 0, 0 };
	size_t kinds[SITE_KIND_COUNT] = { 0 };
	size_t with_list = 0, v[4] = { 0 };
	char buf[32], buf2[32];
	const char *sep = "";

	for (size_t i = 0; i < conf->n_sites; i++)
		kinds[conf->sites[i].kind]++;
	for (size_t i = 0; i < conf->n_devices; i++) {
		if (conf->devices[i].interfaces != NULL)
			with_list++;
		if (conf->devices[i].snmp.version >= 1 && conf->devices[i].snmp.version <= 3)
			v[conf->devices[i].snmp.version]++;
	}

	cfg_sbuf_add(&s, "%s: configuration ok\n", conf->path);
	cfg_sbuf_add(&s, "sites: %zu", conf->n_sites);
	if (conf->n_sites > 0) {
		cfg_sbuf_add(&s, " (");
		for (int k = 0; k < SITE_KIND_COUNT; k++)
			if (kinds[k] > 0) {
				cfg_sbuf_add(&s, "%s%s %zu", sep, config_kind_names[k], kinds[k]);
				sep = ", ";
			}
		cfg_sbuf_add(&s, ")");
	}
	cfg_sbuf_add(&s, "\ndevices: %zu (snmp v1 %zu, v2c %zu, v3 %zu)\n",
		     conf->n_devices, v[1], v[2], v[3]);
	cfg_sbuf_add(&s, "interfaces watched: %zu devices with interface lists, %zu devices all\n",
		     with_list, conf->n_devices - with_list);
	cfg_sbuf_add(&s, "channels: %zu\nrules: %zu\nmaintenance windows: %zu\n",
		     conf->n_channels, conf->n_rules, conf->n_maintenance);
	cfg_format_duration(conf->interval_ms, buf, sizeof(buf));
	cfg_sbuf_add(&s, "interval: %s\n", buf);
	cfg_sbuf_add(&s, "data_dir: %s\n", conf->data_dir);
	if (conf->rrdcached)
		cfg_sbuf_add(&s, "rrd: rrdcached %s\n", conf->rrdcached);
	else
		cfg_sbuf_add(&s, "rrd: direct (librrd)\n");
	cfg_sbuf_add(&s, "rras:");
	for (size_t i = 0; i < conf->n_rras; i++) {
		cfg_format_duration((uint64_t)conf->rras[i].step_s * 1000, buf, sizeof(buf));
		cfg_format_duration((uint64_t)conf->rras[i].span_s * 1000, buf2, sizeof(buf2));
		cfg_sbuf_add(&s, " %s:%s", buf, buf2);
	}
	cfg_sbuf_add(&s, "\n");
	if (s.failed) {
		free(s.p);
		return NULL;
	}
	return s.p;
}
