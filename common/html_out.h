/*
 * html_out.h — text into HTML, safely.
 *
 * The dashboard (collector/http_*.c) and the SLA report (graphs/) both
 * write names that came from agents, the inventory or the event store into
 * HTML: one escaper for both, so neither can forget a character.
 */
#ifndef SERAT_HTML_OUT_H
#define SERAT_HTML_OUT_H

#include <stdio.h>

/* S (may be NULL) with & < > " ' escaped and control characters as '?'. */
void html_out_str(FILE *f, const char *s);

#endif
