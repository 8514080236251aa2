/*
 * rrd_backend_direct.c — RRD files written by librrd in this process, and
 * the helpers both backends share.  See rrd_backend.h.
 *
 * librrd's error buffer is per thread in the _r API (librrd is built
 * thread-safe since 1.4): we clear it and errno before each call and read
 * both right after a failure, on the writer thread.  librrd does not always
 * say why (a full disk during create came back as an empty message, which
 * serat 0.1 logged as "unknown error"), so errno is kept as the cause.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <rrd.h>

#include "collector/rrd_backend.h"
#include "common/fs_util.h"

int rrd_backend_error(int saved_errno, char *err, size_t errlen)
{
	const char *text = rrd_test_error() ? rrd_get_error() : NULL;
	int rc = saved_errno;

	if (rc == 0 && text != NULL) {
		/* librrd often formats strerror() into its text and then
		 * clobbers errno: recover the few causes that matter. */
		static const int known[] = { ENOSPC, EDQUOT, EROFS, EACCES, ENOENT, EIO };
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strstr(text, strerror(known[i])) != NULL) {
				rc = known[i];
				break;
			}
	}
	if (rc == 0)
		rc = EIO;
	if (text != NULL && *text != '\0')
		snprintf(err, errlen, "%s", text);
	else
		snprintf(err, errlen, "%s", strerror(rc));
	/* Name a full disk plainly even when librrd's text hides it. */
	if ((rc == ENOSPC || rc == EDQUOT) && strstr(err, strerror(rc)) == NULL) {
		size_t l = strlen(err);
		snprintf(err + l, errlen - l, ": %s", strerror(rc));
	}
	rrd_clear_error();
	return -rc;
}

int rrd_backend_mkdir_parents(const char *path)
{
	char dir[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, len + 1);
	char *slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return 0;
	*slash = '\0';
	return fs_mkdirs(dir, 0755);
}

void rrd_backend_free(struct rrd_backend *b)
{
	if (b != NULL)
		b->ops->free(b);
}

/* ---- direct ------------------------------------------------------------ */

static int rrd_direct_ready(struct rrd_backend *b, int force, long *retry_ms)
{
	(void)b;
	(void)force;
	(void)retry_ms;
	return 0;
}

static int rrd_direct_last(struct rrd_backend *b, const char *path, time_t *last,
			   char *err, size_t errlen)
{
	struct stat st;
	(void)b;
	if (stat(path, &st) != 0) {
		int e = errno;
		snprintf(err, errlen, "%s", strerror(e));
		return -e;
	}
	rrd_clear_error();
	errno = 0;
	*last = rrd_last_r(path);
	if (*last < 0)
		return rrd_backend_error(errno, err, errlen);
	return 0;
}

static int rrd_direct_create(struct rrd_backend *b, const char *path, unsigned step_s,
			     time_t start, const struct rrd_layout_args *args,
			     char *err, size_t errlen)
{
	(void)b;
	int r = rrd_backend_mkdir_parents(path);
	if (r < 0) {
		snprintf(err, errlen, "creating its directory: %s", strerror(-r));
		return r;
	}
	rrd_clear_error();
	errno = 0;
	if (rrd_create_r2(path, step_s, start, 1, NULL, NULL, args->argc, args->argv) == 0)
		return 0;
	int e = errno;
	/* librrd 1.7 says nothing when a write of the new file fails, and its
	 * clean-up (unlink of the temporary file) leaves errno at ENOENT: a
	 * full disk came out as "No such file or directory".  Ask the
	 * filesystem whether the file could have fitted. */
	struct statvfs vfs;
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	if ((!rrd_test_error() || e == ENOENT || e == 0) && statvfs(dir, &vfs) == 0 &&
	    (unsigned long long)vfs.f_bavail * vfs.f_frsize < rrd_layout_args_bytes(args)) {
		rrd_clear_error();
		snprintf(err, errlen, "%s (the file needs %zu bytes, %llu are free)",
			 strerror(ENOSPC), rrd_layout_args_bytes(args),
			 (unsigned long long)vfs.f_bavail * vfs.f_frsize);
		return -ENOSPC;
	}
	return rrd_backend_error(e, err, errlen);
}

static int rrd_direct_update(struct rrd_backend *b, const char *path, const char *line,
			     void *tag, char *err, size_t errlen)
{
	const char *argv[1] = { line };
	(void)b;
	(void)tag;
	rrd_clear_error();
	errno = 0;
	if (rrd_update_r(path, NULL, 1, argv) != 0)
		return rrd_backend_error(errno, err, errlen);
	return 0;
}

static size_t rrd_direct_pending(struct rrd_backend *b)
{
	(void)b;
	return 0;
}

static int rrd_direct_commit(struct rrd_backend *b, rrd_backend_done_fn done, void *ctx)
{
	(void)b;
	(void)done;
	(void)ctx;
	return 0;
}

static void rrd_direct_discard(struct rrd_backend *b)
{
	(void)b;
}

static void rrd_direct_free(struct rrd_backend *b)
{
	free(b);
}

static const struct rrd_backend_ops rrd_direct_ops = {
	.name = "direct",
	.ready = rrd_direct_ready,
	.last = rrd_direct_last,
	.create = rrd_direct_create,
	.update = rrd_direct_update,
	.pending = rrd_direct_pending,
	.commit = rrd_direct_commit,
	.discard = rrd_direct_discard,
	.flush = NULL,
	.free = rrd_direct_free,
};

struct rrd_backend *rrd_backend_direct_new(void)
{
	struct rrd_backend *b = calloc(1, sizeof(*b));
	if (b == NULL)
		return NULL;
	b->ops = &rrd_direct_ops;
	b->files_local = 1;
	return b;
}
