/*
 * test_alert_format.c — message texts and channel payloads: Alertmanager v4
 * fields, Telegram escaping and splitting (never over the limit, never
 * inside a tag or entity, tags balanced in every part), plain-text
 * fallback, http templates, times in WIB.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "collector/alert_format.h"

/* 2026-12-02 06:05:00 UTC = 13:05 WIB */
#define T0 1796191500.0

static struct alert_item item(const char *name, const char *dev, enum alert_status st)
{
	struct alert_item it = {
		.status = st, .alertname = name, .device = dev, .site = "Kecamatan Koto Tangah",
		.kind = "kecamatan", .severity = "critical", .starts_at = T0,
		.ends_at = st == ALERT_RESOLVED ? T0 + 303 : 0,
	};
	alert_fingerprint(name, dev, NULL, it.fingerprint);
	return it;
}

static void test_text_languages_and_time(void **state)
{
	struct alert_item it = item("DeviceDown", "kec-kototangah", ALERT_FIRING);
	it.n_behind = 14;
	struct alert_msg m = { .receiver = "noc", .items = &it, .n = 1,
			       .external_url = "https://serat.example", .lang = ALERT_LANG_ID };
	char *s = alert_fmt_text(&m, 0);
	assert_non_null(strstr(s, "GANGGUAN"));
	assert_non_null(strstr(s, "perangkat kec-kototangah (Kecamatan Koto Tangah, kecamatan) tidak dapat dijangkau"));
	assert_non_null(strstr(s, "sejak 2026-12-02 13:05 WIB"));
	assert_non_null(strstr(s, "14 perangkat di belakangnya"));
	assert_non_null(strstr(s, "https://serat.example/device/kec-kototangah"));
	free(s);

	it = item("DeviceDown", "kec-kototangah", ALERT_RESOLVED);
	m.lang = ALERT_LANG_EN;
	s = alert_fmt_text(&m, 0);
	assert_non_null(strstr(s, "RECOVERED"));
	assert_non_null(strstr(s, "reachable again"));
	assert_non_null(strstr(s, "(lasted 5m 3s)"));
	free(s);
	char t[64];
	alert_fmt_time(T0, "UTC", t, sizeof(t));
	assert_string_equal(t, "2026-12-02 06:05 UTC");
	m.tz = "Asia/Makassar";
	s = alert_fmt_text(&m, 0);
	assert_non_null(strstr(s, "2026-12-02 14:05 WITA"));
	free(s);
}

static void test_html_escaping(void **state)
{
	struct alert_item it = item("DeviceDown", "<ONU-3>&sw_core", ALERT_FIRING);
	it.site = "Gi0/1.100 <lab>";
	struct alert_msg m = { .receiver = "tg", .items = &it, .n = 1, .lang = ALERT_LANG_EN };
	char *s = alert_fmt_text(&m, 1);
	assert_non_null(strstr(s, "&lt;ONU-3&gt;&amp;sw_core"));
	assert_non_null(strstr(s, "Gi0/1.100 &lt;lab&gt;"));
	assert_null(strstr(s, "<ONU"));
	char *plain = alert_html_to_plain(s);
	assert_non_null(strstr(plain, "<ONU-3>&sw_core"));
	assert_null(strstr(plain, "<b>"));
	free(plain);
	free(s);
}

/* Every part: within MAX, no tag or entity cut, tags balanced. */
static void check_parts(char **parts, int n, size_t max)
{
	for (int i = 0; i < n; i++) {
		const char *p = parts[i];
		int depth = 0;
		assert_true(strlen(p) <= max);
		for (const char *c = p; *c; c++) {
			if (*c == '<') {
				const char *gt = strchr(c, '>');
				assert_non_null(gt);
				depth += c[1] == '/' ? -1 : 1;
				assert_true(depth >= 0);
				c = gt;
			} else if (*c == '&') {
				const char *semi = strchr(c, ';');
				assert_non_null(semi);
				assert_true(semi - c < 8);
			}
		}
		assert_int_equal(depth, 0);
		/* no UTF-8 sequence cut at either end */
		assert_true(((unsigned char)p[0] & 0xC0) != 0x80);
	}
}

static void test_split(void **state)
{
	/* 5,000 characters in 50 lines of 100: two parts, cut at a line end. */
	char *text = malloc(5001);
	for (int l = 0; l < 50; l++) {
		memset(text + l * 100, 'a' + l % 26, 99);
		text[l * 100 + 99] = '\n';
	}
	text[5000] = '\0';
	char **parts;
	int n = alert_split_text(text, 4096, &parts);
	assert_int_equal(n, 2);
	check_parts(parts, n, 4096);
	assert_int_equal(strlen(parts[0]) + strlen(parts[1]), 5000);
	assert_int_equal(parts[0][strlen(parts[0]) - 1], '\n');
	alert_strv_free(parts);

	/* One huge line with tags, entities and multibyte characters. */
	FILE *f = open_memstream(&text, &(size_t){ 0 });
	free(text);
	fputs("<b>head</b> ", f);
	for (int i = 0; i < 600; i++)
		fputs("<b>x&amp;y \xe2\x80\x94</b> <a href=\"u\">l&lt;k</a> ", f);
	fputc('\n', f);
	fclose(f);
	size_t total = strlen(text);
	n = alert_split_text(text, 4096, &parts);
	assert_true(n >= (int)(total / 4096));
	check_parts(parts, n, 4096);
	alert_strv_free(parts);
	free(text);

	/* Found by the fuzzer: reopened tags leaving no room for text, and
	 * tags nested deeper than the splitter tracks. */
	const char *deep = "<b><i><u><s><code><pre><b><i><u><b>deep nesting without a close, "
			   "long enough to be cut more than once at this small limit\n";
	n = alert_split_text(deep, 80, &parts);
	assert_true(n >= 2);
	for (int i = 0; i < n; i++)
		assert_true(strlen(parts[i]) <= 80);
	alert_strv_free(parts);

	assert_int_equal(alert_split_text("short", 4096, &parts), 1);
	assert_string_equal(parts[0], "short");
	alert_strv_free(parts);
	assert_int_equal(alert_split_text("x", 10, &parts), -EINVAL);
}

static void test_webhook_v4(void **state)
{
	struct alert_item its[2] = { item("DeviceDown", "kec-a", ALERT_FIRING),
				     item("DeviceDown", "kec-b", ALERT_RESOLVED) };
	its[0].ifname = NULL;
	struct alert_msg m = { .receiver = "noc", .items = its, .n = 2,
			       .external_url = "http://dash", .lang = ALERT_LANG_EN };
	char *s = alert_fmt_webhook(&m);
	json_error_t err;
	json_t *j = json_loads(s, 0, &err);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "version")), "4");
	assert_string_equal(json_string_value(json_object_get(j, "status")), "firing");
	assert_string_equal(json_string_value(json_object_get(j, "receiver")), "noc");
	assert_string_equal(json_string_value(json_object_get(j, "externalURL")), "http://dash");
	assert_int_equal(json_integer_value(json_object_get(j, "truncatedAlerts")), 0);
	assert_non_null(json_object_get(j, "groupKey"));
	assert_true(json_is_object(json_object_get(j, "groupLabels")));
	json_t *cl = json_object_get(j, "commonLabels");
	assert_string_equal(json_string_value(json_object_get(cl, "alertname")), "DeviceDown");
	assert_null(json_object_get(cl, "device"));          /* differs */
	assert_true(json_is_object(json_object_get(j, "commonAnnotations")));
	json_t *a = json_array_get(json_object_get(j, "alerts"), 1);
	assert_string_equal(json_string_value(json_object_get(a, "status")), "resolved");
	json_t *l = json_object_get(a, "labels");
	assert_string_equal(json_string_value(json_object_get(l, "device")), "kec-b");
	assert_string_equal(json_string_value(json_object_get(l, "site")), "Kecamatan Koto Tangah");
	assert_string_equal(json_string_value(json_object_get(l, "kind")), "kecamatan");
	assert_string_equal(json_string_value(json_object_get(l, "severity")), "critical");
	assert_string_equal(json_string_value(json_object_get(a, "startsAt")), "2026-12-02T06:05:00Z");
	assert_string_equal(json_string_value(json_object_get(a, "endsAt")), "2026-12-02T06:10:03Z");
	assert_string_equal(json_string_value(json_object_get(a, "generatorURL")), "http://dash/device/kec-b");
	assert_string_equal(json_string_value(json_object_get(a, "fingerprint")), its[1].fingerprint);
	assert_non_null(json_object_get(json_object_get(a, "annotations"), "summary"));
	a = json_array_get(json_object_get(j, "alerts"), 0);
	assert_string_equal(json_string_value(json_object_get(a, "endsAt")), "0001-01-01T00:00:00Z");
	json_decref(j);
	free(s);

	/* A Latin-1 name still gives valid JSON. */
	its[0].device = "caf\xe9";
	m.n = 1;
	s = alert_fmt_webhook(&m);
	j = json_loads(s, 0, &err);
	assert_non_null(j);
	json_decref(j);
	free(s);
}

static void test_slack_telegram_template(void **state)
{
	struct alert_item it = item("DeviceDown", "sw<1>", ALERT_FIRING);
	struct alert_msg m = { .receiver = "mm", .items = &it, .n = 1, .lang = ALERT_LANG_EN,
			       .external_url = "http://d" };
	json_error_t err;
	char *s = alert_fmt_slack(&m);
	json_t *j = json_loads(s, 0, &err);
	assert_non_null(strstr(json_string_value(json_object_get(j, "text")), "sw&lt;1&gt;"));
	json_decref(j);
	free(s);

	s = alert_fmt_telegram("-100123", "<b>a</b>", 1);
	j = json_loads(s, 0, &err);
	assert_string_equal(json_string_value(json_object_get(j, "chat_id")), "-100123");
	assert_string_equal(json_string_value(json_object_get(j, "parse_mode")), "HTML");
	json_decref(j);
	free(s);

	s = alert_fmt_template("{\"to\":\"noc\",\"msg\":\"{{text}}\",\"n\":{{count}},\"x\":\"{{nope}}\"}", 0, &m);
	j = json_loads(s, 0, &err);
	assert_non_null(j);
	assert_non_null(strstr(json_string_value(json_object_get(j, "msg")), "sw<1>"));
	assert_int_equal(json_integer_value(json_object_get(j, "n")), 1);
	assert_string_equal(json_string_value(json_object_get(j, "x")), "{{nope}}");
	json_decref(j);
	free(s);
	s = alert_fmt_template("token=abc&device={{device}}&status={{status}}", 1, &m);
	assert_string_equal(s, "token=abc&device=sw%3C1%3E&status=firing");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_languages_and_time),
		cmocka_unit_test(test_html_escaping),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_webhook_v4),
		cmocka_unit_test(test_slack_telegram_template),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
