/*
 * alert_format.h — what a notification says, and how each channel wants it.
 *
 * Pure functions (no I/O, no globals; times are converted with common/tz.h,
 * which switches TZ for the call): the alert engine describes what happened as a struct
 * alert_msg, and these turn it into
 *
 *   - human text, Indonesian or English (`language: id|en`), with times in
 *     the configured zone (WIB by default), what broke and since when, the
 *     root cause and a link to the dashboard page (alert_text.c);
 *   - the payload of each channel type (alert_payload.c): Alertmanager's
 *     webhook JSON version 4, Telegram sendMessage JSON (HTML parse mode,
 *     & < > escaped, split under 4,096 characters on line boundaries, a
 *     plain-text fallback), Slack-compatible incoming-webhook JSON, and a
 *     user template (JSON or form) for `http` channels.
 *
 * Every returned string is malloc'd: the caller frees.  NULL means ENOMEM.
 */
#ifndef SERAT_ALERT_FORMAT_H
#define SERAT_ALERT_FORMAT_H

#include <stddef.h>

enum alert_status { ALERT_FIRING, ALERT_RESOLVED };
enum alert_lang { ALERT_LANG_ID, ALERT_LANG_EN };

/* One alert: a device down, a whole network unreachable, a flapping
 * interface, a threshold rule... */
struct alert_item {
	enum alert_status status;
	const char *alertname;    /* "DeviceDown", "CoreUnreachable", "InterfaceDown",
	                             "Flapping", "Rebooted", "Test", or a rule name */
	const char *device;       /* may be NULL (Test) */
	const char *site;
	const char *kind;         /* site kind: "core", "nagari"... */
	const char *ifname;       /* NULL unless an interface alert */
	const char *severity;     /* "critical", "warning", "info" */
	const char *cause;        /* root-cause device; NULL = the device itself */
	const char *detail;       /* e.g. the poll error, or "value 93.2 > 90"; may be NULL */
	double starts_at;         /* wall clock */
	double ends_at;           /* 0 while firing */
	size_t n_behind;          /* devices behind it, unreachable with it */
	char fingerprint[17];     /* alert_fingerprint() */
};

struct alert_msg {
	const char *receiver;     /* the channel's name */
	const struct alert_item *items;
	size_t n;
	const char *external_url; /* dashboard base URL; NULL = no links */
	enum alert_lang lang;
	const char *tz;           /* zone for times; NULL = Asia/Jakarta */
};

/* 16 hex digits identifying ALERTNAME on DEVICE/IFNAME (NULLs allowed):
 * FNV-1a 64, stable across restarts and versions. */
void alert_fingerprint(const char *alertname, const char *device, const char *ifname,
		       char out[17]);

/* "2026-12-02 13:05 WIB": T in zone TZ (the config's `timezone`; NULL =
 * Asia/Jakarta), through common/tz.h.  Returns the length (0: no room). */
size_t alert_fmt_time(double t, const char *tz, char *buf, size_t len);

/* "5m 3s", "2h 10m", "3d 4h" for a duration in seconds. */
size_t alert_fmt_duration(double s, char *buf, size_t len);

/* The message text; HTML (Telegram's subset: <b>, <a>, with & < > escaped
 * in every name) when HTML is 1, plain text otherwise.  Lines end in \n. */
char *alert_fmt_text(const struct alert_msg *m, int html);

/* S with & < > (and " when QUOTE) escaped as HTML entities. */
char *alert_html_escape(const char *s, int quote);

/* Alertmanager webhook payload, version 4 (receivers written for
 * Alertmanager work unchanged). */
char *alert_fmt_webhook(const struct alert_msg *m);

/* Slack-compatible incoming webhook: {"text": ...} with & < > escaped as
 * Slack requires (Mattermost and Rocket.Chat take the same). */
char *alert_fmt_slack(const struct alert_msg *m);

/* Telegram sendMessage body for CHAT_ID and TEXT; HTML parse mode when HTML. */
char *alert_fmt_telegram(const char *chat_id, const char *text, int html);

/*
 * Split TEXT into parts of at most MAX bytes (Telegram counts characters;
 * bytes are never fewer), cutting at line ends.  A single line longer than
 * MAX is cut at a space (else anywhere) outside any tag, entity or UTF-8
 * sequence, and the tags open at the cut are closed and reopened.  *PARTS
 * gets a new NULL-terminated array (free with alert_strv_free).  Returns
 * the number of parts, or -ENOMEM / -EINVAL (MAX < 64).
 */
int alert_split_text(const char *text, size_t max, char ***parts);

void alert_strv_free(char **v);

/* TEXT without its HTML tags and with entities decoded: the plain-text
 * resend when Telegram says "can't parse entities". */
char *alert_html_to_plain(const char *text);

/*
 * Expand an `http` channel's body template: {{text}} (plain text),
 * {{status}} (firing/resolved), {{alertname}}, {{device}}, {{site}},
 * {{severity}}, {{count}} (number of alerts), {{url}} (external_url) —
 * taken from the first item.  Values are JSON-escaped (without quotes:
 * the template writes them) when FORM is 0, or URL-encoded when FORM is 1.
 * An unknown {{name}} is kept as written.
 */
char *alert_fmt_template(const char *tmpl, int form, const struct alert_msg *m);

#endif
