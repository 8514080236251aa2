/*
 * alert_render.h — one alert message as the request bodies of one channel.
 *
 * Chooses the payload by channel type (alert_format.h): webhook and slack
 * give one body; telegram gives one sendMessage per part of the text split
 * under 4,096 characters; http expands the channel's template.  The
 * language is the channel's, else the config's.
 */
#ifndef SERAT_ALERT_RENDER_H
#define SERAT_ALERT_RENDER_H

#include "collector/alert_format.h"
#include "common/config.h"

/* Telegram's limit on a message's text. */
#define ALERT_TELEGRAM_MAX 4096

/*
 * Bodies for CH of the message ITEMS[0..N) under CONF.  *BODIES gets a new
 * NULL-terminated array (alert_strv_free), *CONTENT_TYPE a static string.
 * Returns the number of bodies (>= 1) or -ENOMEM.
 */
int alert_render(const struct serat_config *conf, const struct channel_conf *ch,
		 const struct alert_item *items, size_t n, char ***bodies,
		 const char **content_type);

#endif
