/*
 * config.c — config_load(): the lifecycle of a serat_config and the second
 * validation pass.
 *
 * Loading is "parse, validate, print" (see docs/config.md): config_yaml.c
 * fills a struct serat_config field by field, reporting what is wrong with
 * each value where it stands; config_csv.c appends the CSV inventory; then
 * cfg_validate() checks what spans fields and files — duplicate names,
 * parents and their cycles, references from rules and maintenance windows
 * (resolved to indexes here), RRA steps against the interval, merged SNMP
 * settings.  Every error is collected (up to CFG_MAX_ERRORS) so one run of
 * check-config shows most mistakes; a config with any error is freed and
 * never returned.  Both readers build through config_build.c; this file
 * sits on top of them and nothing below calls back into it.
 *
 * Every check here is linear in the size of the inventory (name indexes,
 * one walk per parent chain): 100,000 devices check in about a second.
 */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "common/config.h"
#include "common/config_build.h"
#include "common/config_csv.h"
#include "common/config_yaml.h"
#include "common/profile.h"

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
	free(conf->language);
	config_free_strv(conf->http.kiosk_tokens);
	free(conf->http.auth_file);
	free(conf->http.tls_cert);
	free(conf->http.tls_key);
	cfg_snmp_settings_clear(&conf->snmp);
	free(conf->rrdcached);
	free(conf->rras);
	free(conf->inventory_csv);
	free(conf->probe.interface);
	free(conf->probe.filter);
	free(conf->probe.user);
	free(conf->probe.program);
	for (size_t i = 0; i < conf->n_sites; i++) {
		free(conf->sites[i].name);
		free(conf->sites[i].location);
		config_free_strv(conf->sites[i].subnets);
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
		free(d->profile);
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
		config_free_strv(conf->rules[i].channels);
	}
	free(conf->rules);
	for (size_t i = 0; i < conf->n_maintenance; i++) {
		struct maintenance_conf *mw = &conf->maintenance[i];
		free(mw->name);
		for (size_t j = 0; j < mw->n_targets; j++)
			free(mw->targets[j].name);
		free(mw->targets);
	}
	free(conf->maintenance);
	free(conf->external_url);
	for (size_t i = 0; i < conf->sla.n_uplinks; i++) {
		free(conf->sla.uplinks[i].target);
		free(conf->sla.uplinks[i].ifname);
	}
	free(conf->sla.uplinks);
	icmp_conf_clear(&conf->icmp);
	free(conf->profiles_dir);
	profile_set_free(conf->profiles);
	free(conf);
}

const char *channel_type_name(enum channel_type type)
{
	static const char *const names[] = { "webhook", "telegram", "slack", "http" };
	return (unsigned)type < CHANNEL_TYPE_COUNT ? names[type] : NULL;
}

/* DESIGN.md's archives; collector/rrd_store.c uses them too. */
static const struct rra_conf config_rras[] = {
	{ 60, 2 * 86400 }, { 300, 14 * 86400 }, { 1800, 60 * 86400 }, { 86400, 730 * 86400 },
};

const struct rra_conf *config_default_rras(size_t *n)
{
	*n = sizeof(config_rras) / sizeof(config_rras[0]);
	return config_rras;
}

static int config_set_defaults(struct serat_config *c)
{
	c->data_dir = strdup("/var/lib/serat");
	c->timezone = strdup("Asia/Jakarta");
	c->http_listen = strdup("127.0.0.1:8080");
	c->language = strdup("id");
	c->http.max_connections = 64;
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
		.drift_db = 3, .drift_window_s = 7 * 86400,
		.connect_timeout_ms = 10000, .timeout_ms = 30000,
	};
	c->probe.flow_memory_mb = 64;
	icmp_conf_defaults(&c->icmp);
	c->rras = malloc(sizeof(config_rras));
	if (c->data_dir == NULL || c->timezone == NULL || c->http_listen == NULL || c->rras == NULL ||
	    c->language == NULL)
		return -ENOMEM;
	memcpy(c->rras, config_rras, sizeof(config_rras));
	c->n_rras = sizeof(config_rras) / sizeof(config_rras[0]);
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

/*
 * The rules that need several fields: v1/v2c need a community; v3 needs a
 * user, a protocol needs its password and privacy needs authentication
 * (Net-SNMP has no noAuthPriv).  Password lengths are checked where they are
 * written, since that is where the user must fix them.
 */
static int cfg_snmp_validate(struct cfg_build *b, const struct snmp_settings *s,
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

static void cfg_check_devices(struct cfg_build *b)
{
	struct serat_config *c = b->conf;
	unsigned *stamp;

	/* Duplicate names, through the index the later checks use too. */
	for (size_t i = 0; i < c->n_devices; i++) {
		long first = cfg_index_put(&b->device_index, c->devices[i].name, (long)i);
		if (first == -ENOMEM) {
			b->enomem = 1;
			return;
		}
		if (first >= 0)
			cfg_error(b, &b->dev_info[i].name,
				  "duplicate device name '%s' (first defined at %s)",
				  c->devices[i].name, c->devices[first].origin);
	}

	for (size_t i = 0; i < c->n_devices; i++) {
		struct device_conf *d = &c->devices[i];
		if (d->parent == NULL)
			continue;
		d->parent_index = cfg_index_get(&b->device_index, d->parent);
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
	 * is reported once, at the device where it closed.  Each device is
	 * stamped once: linear.
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
		if (r->kind == CFG_REF_CHANNEL) {
			int found = 0;
			for (size_t j = 0; j < c->n_channels && !found; j++)
				found = strcmp(c->channels[j].name, r->name) == 0;
			if (!found)
				cfg_error(b, &r->mark, "%s '%s': channel '%s' does not exist",
					  r->owner_kind, r->owner_name, r->name);
			continue;
		}
		long dev = cfg_index_get(&b->device_index, r->name);
		long site = cfg_find_site(b, r->name);
		if (dev >= 0 && site >= 0)
			cfg_error(b, &r->mark, "%s '%s': target '%s' is both a device (%s) and a site",
				  r->owner_kind, r->owner_name, r->name, c->devices[dev].origin);
		else if (dev < 0 && site < 0)
			cfg_error(b, &r->mark, "%s '%s': target '%s' is neither a device nor a site",
				  r->owner_kind, r->owner_name, r->name);
		else if (r->target != NULL) {
			r->target->kind = dev >= 0 ? MAINT_TARGET_DEVICE : MAINT_TARGET_SITE;
			r->target->index = (size_t)(dev >= 0 ? dev : site);
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

struct serat_config *config_load(const char *path, char *err, size_t errlen)
{
	struct cfg_build b;
	struct serat_config *conf;

	conf = calloc(1, sizeof(*conf));
	cfg_build_init(&b, conf, err, errlen);
	if (conf == NULL || (conf->path = strdup(path)) == NULL ||
	    config_set_defaults(conf) < 0 || (b.dir = cfg_dirname(path)) == NULL) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s\n", path, strerror(ENOMEM));
		config_free(conf);
		free(b.dir);
		return NULL;
	}
	if (cfg_yaml_load(&b, path) == 0 && !b.enomem) {
		if (conf->inventory_csv != NULL && !cfg_full(&b))
			cfg_csv_load(&b);
		if (!cfg_full(&b))
			cfg_validate(&b);
		if (!cfg_full(&b) && !b.enomem)
			profile_config_load(&b);
	}
	if (b.enomem)
		cfg_note(&b, "%s: %s", path, strerror(ENOMEM));
	if (b.n_errors > 0 || b.enomem) {
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

