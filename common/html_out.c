/*
 * html_out.c — see html_out.h.
 */
#include "config.h"

#include "common/html_out.h"

void html_out_str(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			/* A control character has no business in a page (and
			 * ESC sequences none in a terminal that views it). */
			fputc((unsigned char)*s < 0x20 ? '?' : *s, f);
		}
	}
}
