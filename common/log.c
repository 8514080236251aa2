/*
 * log.c — stderr or syslog output with levels and failure back-off.
 * See log.h for the contract.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/log.h"

static const char *log_ident = "serat";
static int log_use_syslog;
static int log_level = LOG_INFO;

void log_open(const char *ident, int use_syslog, int level)
{
	log_ident = ident;
	log_use_syslog = use_syslog;
	log_level = level;
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_set_level(int level) { log_level = level; }
int log_get_level(void) { return log_level; }

static const struct {
	const char *name;
	int level;
} log_levels[] = {
	{ "error", LOG_ERR }, { "warning", LOG_WARNING },
	{ "info", LOG_INFO }, { "debug", LOG_DEBUG },
};

int log_level_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (strcasecmp(name, log_levels[i].name) == 0)
			return log_levels[i].level;
	return -1;
}

const char *log_level_name(int level)
{
	for (size_t i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (log_levels[i].level == level)
			return log_levels[i].name;
	return level < LOG_ERR ? "error" : "debug";
}

void log_vmsg(int level, const char *fmt, va_list ap)
{
	if (level > log_level)
		return;
	if (log_use_syslog) {
		vsyslog(level, fmt, ap);
		return;
	}
	char buf[2048];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	fprintf(stderr, "%s: %s: %s\n", log_ident, log_level_name(level), buf);
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

int log_complain(struct log_complain *c, time_t now, int level, const char *fmt, ...)
{
	if (c->seen != 0 && now >= c->seen + 86400)
		c->last = 0;            /* a day without failure: start afresh */
	c->seen = now;
	if (c->last != 0 && now < c->last + (time_t)c->interval)
		return 0;
	/* First failure: repeat after 1 minute, then 2, 4, ... up to a day. */
	c->interval = c->last == 0 ? 60 : (c->interval >= 43200 ? 86400 : c->interval * 2);
	c->last = now;
	c->reported = 1;
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
	return 1;
}

int log_complain_clear(struct log_complain *c, const char *fmt, ...)
{
	if (!c->reported)
		return 0;
	c->reported = 0;        /* last and interval stay: see log.h */
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(LOG_INFO, fmt, ap);
	va_end(ap);
	return 1;
}
