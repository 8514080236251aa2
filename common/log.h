/*
 * log.h — one logging path for every serat process.
 *
 * In the foreground (and in every CLI tool) messages go to stderr as
 * "seratd: warning: text"; as a daemon they go to syslog.  Levels are syslog's
 * (LOG_ERR .. LOG_DEBUG).  Messages above the configured level are dropped
 * before formatting, so debug logging on a hot path costs one comparison.
 *
 * struct log_complain implements collectd's "complain" idea: a failing
 * target is logged when it starts failing and then with exponential back-off,
 * and its recovery is logged once.  The back-off outlives a recovery (it is
 * reset only after a whole day without a failure), so a target that
 * flaps between good and bad polls cannot flood the log either.
 */
#ifndef SERAT_LOG_H
#define SERAT_LOG_H

#include <stdarg.h>
#include <syslog.h>
#include <time.h>

/* IDENT is kept by pointer (use a string literal). */
void log_open(const char *ident, int use_syslog, int level);
void log_set_level(int level);
int log_get_level(void);
/* Parses "error", "warning", "info", "debug"; returns the level or -1. */
int log_level_parse(const char *name);
const char *log_level_name(int level);

void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(int level, const char *fmt, va_list ap);

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

struct log_complain {
	time_t last;      /* when we last logged a failure; 0 = never */
	unsigned interval;/* seconds until the next repeat, doubles up to 1 day */
	time_t seen;      /* the latest failure, logged or not */
	int reported;     /* a failure was logged and its recovery not yet */
};

/* Log a failure at LEVEL if it is the first or the back-off has elapsed.
 * Returns 1 when it logged, 0 when the back-off held it back. */
int log_complain(struct log_complain *c, time_t now, int level, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* If a failure of C was logged, log the recovery once at LOG_INFO.
 * Returns 1 when it logged. */
int log_complain_clear(struct log_complain *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
