/*
 * status_file.c — the status snapshot's location.  See status_file.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "common/status_file.h"

int status_file_path(const char *data_dir, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/status.json", data_dir);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
