/*
 * alert_render.c — pick the payload of a channel type (see alert_render.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "collector/alert_render.h"

static int ar_one(char *body, char ***bodies)
{
	char **v;

	if (body == NULL || (v = calloc(2, sizeof(*v))) == NULL) {
		free(body);
		return -ENOMEM;
	}
	v[0] = body;
	*bodies = v;
	return 1;
}

static int ar_telegram(const struct channel_conf *ch, const struct alert_msg *m, char ***bodies)
{
	char *text = alert_fmt_text(m, 1), **parts;
	int np;

	if (text == NULL)
		return -ENOMEM;
	np = alert_split_text(text, ALERT_TELEGRAM_MAX, &parts);
	free(text);
	if (np < 0)
		return np;
	for (int i = 0; i < np; i++) {
		char *b = alert_fmt_telegram(ch->chat_id, parts[i], 1);
		if (b == NULL) {
			alert_strv_free(parts);
			return -ENOMEM;
		}
		free(parts[i]);
		parts[i] = b;
	}
	*bodies = parts;
	return np;
}

int alert_render(const struct serat_config *conf, const struct channel_conf *ch,
		 const struct alert_item *items, size_t n, char ***bodies,
		 const char **content_type)
{
	struct alert_msg m = {
		.receiver = ch->name, .items = items, .n = n, .external_url = conf->external_url,
		.lang = ch->language >= 0 ? (enum alert_lang)ch->language
			: conf->language && strcmp(conf->language, "en") == 0 ? ALERT_LANG_EN
									   : ALERT_LANG_ID,
		.tz = conf->timezone,
	};

	*bodies = NULL;
	*content_type = "application/json";
	switch (ch->type) {
	case CHANNEL_WEBHOOK:
		return ar_one(alert_fmt_webhook(&m), bodies);
	case CHANNEL_SLACK:
		return ar_one(alert_fmt_slack(&m), bodies);
	case CHANNEL_TELEGRAM:
		return ar_telegram(ch, &m, bodies);
	case CHANNEL_HTTP:
		if (ch->form)
			*content_type = "application/x-www-form-urlencoded";
		return ar_one(alert_fmt_template(ch->body ? ch->body : "{{text}}", ch->form, &m),
			      bodies);
	default:
		return -EINVAL;
	}
}
