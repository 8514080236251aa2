/*
 * graph_path.c — see graph_path.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/name_escape.h"
#include "graphs/graph_path.h"

int graph_rrd_local_path(const char *data_dir, const char *device, const char *ifname,
			 char *buf, size_t len)
{
	char dev[NAME_ESCAPE_MAX + 1], ifn[NAME_ESCAPE_MAX + 1];
	int n;

	if (name_escape(device, strlen(device), dev, sizeof(dev)) < 0)
		return -ENAMETOOLONG;
	if (ifname == NULL) {
		n = snprintf(buf, len, "%s/rrd/%s/device.rrd", data_dir, dev);
	} else {
		if (name_escape(ifname, strlen(ifname), ifn, sizeof(ifn)) < 0)
			return -ENAMETOOLONG;
		n = snprintf(buf, len, "%s/rrd/%s/if/%s.rrd", data_dir, dev, ifn);
	}
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* An rrdcached address that is not a unix socket. */
static int graph_daemon_is_tcp(const char *a)
{
	return a && a[0] && a[0] != '/' && strncmp(a, "unix:", 5) != 0;
}

int graph_rrd_path(const char *data_dir, const char *rrdcached, const char *device,
		   const char *ifname, char *buf, size_t len)
{
	int rc = graph_rrd_local_path(data_dir, device, ifname, buf, len);
	if (rc < 0 || !graph_daemon_is_tcp(rrdcached))
		return rc;
	size_t skip = strlen(data_dir) + 1;
	memmove(buf, buf + skip, strlen(buf + skip) + 1);
	return 0;
}
