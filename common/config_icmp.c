/*
 * config_icmp.c — ICMP targets and settings of the configuration (schema
 * in config_icmp.h): defaults, address resolution at load time, duplicate
 * and schedule checks.  The YAML side is the two yw_icmp_* helpers in
 * config_yaml.c.
 */
#include "config.h"

#include "common/config_icmp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/config_build.h"

void icmp_conf_defaults(struct icmp_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->count = 5;
	c->period_ms = 1000;
	c->spacing_ms = 10;
	c->timeout_ms = 1000;
	c->socket = ICMP_SOCKET_AUTO;
}

void icmp_conf_clear(struct icmp_conf *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n_targets; i++) {
		free(c->targets[i].name);
		free(c->targets[i].host);
		free(c->targets[i].origin);
	}
	free(c->targets);
	c->targets = NULL;
	c->n_targets = c->cap_targets = 0;
}

uint64_t icmp_conf_span_ms(unsigned count, unsigned period_ms, unsigned spacing_us,
			   unsigned timeout_ms, size_t n)
{
	uint64_t round_us = (uint64_t)n * spacing_us;
	uint64_t step_us = (uint64_t)period_ms * 1000;

	if (step_us < round_us)
		step_us = round_us;
	return ((uint64_t)(count ? count - 1 : 0) * step_us + round_us + 999) / 1000 + timeout_ms;
}

/* Only digits and dots: meant as an IPv4 literal, never a DNS name. */
static int icmp_looks_ipv4(const char *s)
{
	return strspn(s, "0123456789.") == strlen(s);
}

int icmp_resolve(const char *host, struct sockaddr_storage *sa, socklen_t *len, char *err,
		 size_t errlen)
{
	struct addrinfo hints, *res = NULL;
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST;
	r = getaddrinfo(host, NULL, &hints, &res);
	if (r != 0) {
		if (strchr(host, ':') != NULL) {
			snprintf(err, errlen, "'%s' is not an IPv6 address", host);
			return -EINVAL;
		}
		if (icmp_looks_ipv4(host)) {
			snprintf(err, errlen, "'%s' is not an IPv4 address", host);
			return -EINVAL;
		}
		if (!cfg_valid_host(host)) {
			snprintf(err, errlen, "'%s' is not a host name or address", host);
			return -EINVAL;
		}
		hints.ai_flags = 0;
		r = getaddrinfo(host, NULL, &hints, &res);
	}
	if (r != 0) {
		snprintf(err, errlen, "cannot resolve '%s': %s", host, gai_strerror(r));
		return -EHOSTUNREACH;
	}
	if (res->ai_addrlen > sizeof(*sa) ||
	    (res->ai_family != AF_INET && res->ai_family != AF_INET6)) {
		freeaddrinfo(res);
		snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 host", host);
		return -EAFNOSUPPORT;
	}
	memset(sa, 0, sizeof(*sa));
	memcpy(sa, res->ai_addr, res->ai_addrlen);
	*len = (socklen_t)res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static int icmp_same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		      &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
}

void cfg_icmp_add_target(struct cfg_build *b, const char *host, long dev, size_t site,
			 int as_device, const struct cfg_mark *mark)
{
	struct icmp_conf *c = &b->conf->icmp;
	const char *owner = dev >= 0 ? b->conf->devices[dev].name : b->conf->sites[site].name;
	struct icmp_target_conf *t;
	struct sockaddr_storage sa;
	socklen_t len;
	char err[512];

	if (owner == NULL)
		return;                 /* out of memory, already noted */
	if (icmp_resolve(host, &sa, &len, err, sizeof(err)) < 0) {
		cfg_error(b, mark, "icmp target of %s '%s': %s", dev >= 0 ? "device" : "site",
			  owner, err);
		return;
	}
	for (size_t i = 0; i < c->n_targets; i++)
		if (icmp_same_addr(&c->targets[i].addr, &sa)) {
			cfg_error(b, mark, "icmp target '%s' is probed twice (first as '%s' at %s)",
				  host, c->targets[i].name, c->targets[i].origin);
			return;
		}
	if (c->n_targets == c->cap_targets) {
		size_t cap = c->cap_targets ? c->cap_targets * 2 : 16;
		void *p = realloc(c->targets, cap * sizeof(*c->targets));
		if (p == NULL) {
			b->enomem = 1;
			return;
		}
		c->targets = p;
		c->cap_targets = cap;
	}
	t = &c->targets[c->n_targets++];
	memset(t, 0, sizeof(*t));
	t->device = dev;
	t->site = site;
	t->addr = sa;
	t->addrlen = len;
	t->host = cfg_strdup(b, host);
	t->origin = cfg_origin(b, mark->file, mark->line);
	if (as_device) {
		t->name = cfg_strdup(b, owner);
	} else if ((t->name = malloc(strlen(owner) + strlen(host) + 2)) != NULL) {
		sprintf(t->name, "%s/%s", owner, host);
	} else {
		b->enomem = 1;
	}
}

void cfg_icmp_check(struct cfg_build *b, const struct cfg_mark *mark)
{
	const struct serat_config *conf = b->conf;
	const struct icmp_conf *c = &conf->icmp;
	uint64_t need;
	char iv[32];

	if (c->n_targets == 0)
		return;
	need = icmp_conf_span_ms(c->count, c->period_ms, c->spacing_ms * 1000, c->timeout_ms,
				 c->n_targets);
	if (need <= conf->interval_ms)
		return;
	cfg_format_duration(conf->interval_ms, iv, sizeof(iv));
	cfg_error(b, mark, "icmp: %u requests to each of %zu targets need %.2fs (count, period, "
		  "spacing and timeout), more than the interval %s", c->count, c->n_targets,
		  (double)need / 1000, iv);
}
