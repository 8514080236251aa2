/*
 * config_secret.c — resolve secrets written in the config.
 *
 * A community, a passphrase or a channel token may be written inline, as
 * "file:PATH" (relative to the directory of the file that names it; one
 * trailing newline, LF or CRLF, is stripped because editors add one) or as
 * "env:NAME" (what systemd's LoadCredential= and containers hand us).  The
 * value is resolved once, at load time, so a rotated secret takes effect on
 * SIGHUP and a missing one is a config error, not a poll failure at 3 a.m.
 * Messages name the file or variable, never the value.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config_build.h"

/* Secrets are short; a bigger file is a mistake (a key bundle, a log…). */
#define CFG_SECRET_MAX 4096

static int cfg_secret_file(struct cfg_build *b, const char *name, const char *dir,
			   const struct cfg_mark *mark, const char *what, char **out)
{
	char *path = cfg_path_join(dir, name);
	char *buf = NULL, why[128];
	size_t n = 0;
	int r;

	if (path == NULL) {
		b->enomem = 1;
		return -ENOMEM;
	}
	/* A FIFO or a device is refused, not waited on (cfg_read_file). */
	r = cfg_read_file(path, CFG_SECRET_MAX, &buf, &n, why, sizeof(why));
	if (r < 0) {
		cfg_error(b, mark, "%s: cannot read secret file '%s': %s", what, path,
			  r == -EFBIG ? strerror(EFBIG) : why);
		free(path);
		return r;
	}
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	if (n == 0 || strlen(buf) != n) {
		cfg_error(b, mark, "%s: secret file '%s' is empty or contains a NUL byte", what, path);
		explicit_bzero(buf, n);
		free(buf);
		free(path);
		return -EINVAL;
	}
	free(path);
	*out = buf;
	return 0;
}

int cfg_secret_resolve(struct cfg_build *b, const char *text, const char *dir,
		       const struct cfg_mark *mark, const char *what, char **out)
{
	*out = NULL;
	if (strncmp(text, "file:", 5) == 0) {
		if (text[5] == '\0') {
			cfg_error(b, mark, "%s: 'file:' needs a path", what);
			return -EINVAL;
		}
		return cfg_secret_file(b, text + 5, dir, mark, what, out);
	}
	if (strncmp(text, "env:", 4) == 0) {
		const char *v = getenv(text + 4);
		if (text[4] == '\0') {
			cfg_error(b, mark, "%s: 'env:' needs a variable name", what);
			return -EINVAL;
		}
		if (v == NULL || *v == '\0') {
			cfg_error(b, mark, "%s: environment variable '%s' is not set", what, text + 4);
			return -ENOENT;
		}
		*out = cfg_strdup(b, v);
		return *out ? 0 : -ENOMEM;
	}
	if (*text == '\0') {
		cfg_error(b, mark, "%s: empty secret", what);
		return -EINVAL;
	}
	*out = cfg_strdup(b, text);
	return *out ? 0 : -ENOMEM;
}
