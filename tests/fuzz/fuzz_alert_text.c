/*
 * fuzz_alert_text.c — libFuzzer target for the alert path's parsers and
 * text surgery, which see bytes from outside: spool files read back at
 * start (spool_parse), and names from agents and inventories cut into
 * Telegram messages (alert_split_text, alert_html_to_plain,
 * alert_html_escape).
 *
 * Invariants checked (abort on violation): a parsed spool entry has a key
 * and a terminated body; every part of a split is at most the limit; the
 * plain text is never longer than the HTML; escaped text has no < > ".  The first input byte picks the split
 * limit (64..4096).  Corpus: tests/fuzz/corpus/alert_text, replayed by
 * `make check` (tests/integration/alert_fuzz_corpus.sh).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/alert_format.h"
#include "collector/spool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spool_entry *e = spool_parse((const char *)data, size);
	char *s, **parts, *t;
	size_t max;
	int n;

	if (e != NULL) {
		/* A parsed entry is usable as is: a key, a terminated body. */
		if (e->key[0] == '\0' || e->body[e->body_len] != '\0')
			abort();
		spool_entry_free(e);
	}
	if (size == 0)
		return 0;
	max = 64 + (size_t)data[0] * 16;
	if ((s = malloc(size)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	n = alert_split_text(s, max, &parts);
	if (n >= 0) {
		for (int i = 0; i < n; i++)
			if (strlen(parts[i]) > max)
				abort();
		alert_strv_free(parts);
	}
	if ((t = alert_html_to_plain(s)) != NULL) {
		if (strlen(t) > strlen(s))
			abort();
		free(t);
	}
	if ((t = alert_html_escape(s, 1)) != NULL) {
		if (strchr(t, '<') || strchr(t, '>') || strchr(t, '"'))
			abort();
		free(t);
	}
	free(s);
	return 0;
}
