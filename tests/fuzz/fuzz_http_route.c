/*
 * fuzz_http_route.c — libFuzzer target for the dashboard's URL parser
 * (collector/http_route.c).  The input is a request target,
 * "PATH?k=v&k=v...": the harness splits and percent-decodes it as
 * libmicrohttpd would (bounded to HTTP_ARGS_MAX + 1 arguments so the
 * overflow path is reached) and hands path and arguments to
 * http_route_parse, whose answer must be 0 or a 4xx, with every name it
 * accepted bounded and free of control bytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/http_route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_assets[] = { "serat.css", "serat.js", NULL };

static int fuzz_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* In-place percent and '+' decoding; stops at NUL. */
static void fuzz_decode(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s == '%' && fuzz_hex(s[1]) >= 0 && fuzz_hex(s[2]) >= 0) {
			*o++ = (char)(fuzz_hex(s[1]) * 16 + fuzz_hex(s[2]));
			s += 2;
		} else {
			*o++ = *s == '+' ? ' ' : *s;
		}
	}
	*o = '\0';
}

/* N is a HTTP_NAME_MAX + 1 array: it must hold a terminated name. */
static void fuzz_check_name(const char *n)
{
	size_t len = strnlen(n, HTTP_NAME_MAX + 1);
	if (len > HTTP_NAME_MAX)
		abort();
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)n[i] < 0x20)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_arg args[HTTP_ARGS_MAX + 1];
	struct http_route r;
	size_t n = 0;
	char *buf = malloc(size + 1);

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *q = strchr(buf, '?');
	if (q) {
		*q++ = '\0';
		for (char *save = NULL, *kv = strtok_r(q, "&", &save);
		     kv && n <= HTTP_ARGS_MAX; kv = strtok_r(NULL, "&", &save)) {
			char *eq = strchr(kv, '=');
			if (eq)
				*eq++ = '\0';
			fuzz_decode(kv);
			if (eq)
				fuzz_decode(eq);
			args[n].key = kv;
			args[n].value = eq;
			n++;
		}
	}
	fuzz_decode(buf);
	int rc = http_route_parse(buf, args, n, fuzz_assets, &r);
	if (rc != 0 && (rc < 400 || rc > 499))
		abort();
	if (rc == 0) {
		fuzz_check_name(r.site);
		fuzz_check_name(r.device);
		fuzz_check_name(r.ifname);
		if ((unsigned)r.kind >= HR_KIND_COUNT)
			abort();
		if (r.kind == HR_GRAPH) {
			struct graph_request g = { .kind = r.graph, .rrd_path = "x", .period = r.period,
						   .start = r.start, .end = r.end, .width = r.width,
						   .height = r.height, .format = r.format,
						   .theme = r.theme };
			if (graph_request_check(&g) != 0)
				abort();
		}
	}
	free(buf);
	return 0;
}
