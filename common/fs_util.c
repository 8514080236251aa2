/*
 * fs_util.c — see fs_util.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "common/fs_util.h"

int fs_mkdirs(const char *dir, mode_t mode)
{
	char buf[PATH_MAX];
	size_t len = strlen(dir);

	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, dir, len + 1);
	/* Each prefix in turn; EEXIST is what most of them answer. */
	for (char *p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(buf, mode) != 0 && errno != EEXIST)
			return -errno;
		*p = saved;
		if (saved == '\0')
			return 0;
	}
}

/* A path that exists must be a directory. */
static int fs_check_isdir(const char *path, const char *what, char *why, size_t len)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		int e = errno;
		snprintf(why, len, "%s %s: %s", what, path, strerror(e));
		return -e;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, len, "%s %s is a file, not a directory", what, path);
		return -ENOTDIR;
	}
	return 0;
}

int data_dir_check(const char *dir, char *why, size_t len)
{
	struct stat st;
	struct statvfs vfs;
	char path[PATH_MAX];
	int r;

	if (dir == NULL || *dir == '\0') {
		snprintf(why, len, "data_dir is empty");
		return -EINVAL;
	}
	if (stat(dir, &st) != 0) {
		if (errno != ENOENT && errno != ENOTDIR) {
			r = -errno;
			snprintf(why, len, "data_dir %s: %s", dir, strerror(-r));
			return r;
		}
		r = fs_mkdirs(dir, 0755);
		if (r < 0) {
			snprintf(why, len, "data_dir %s does not exist and cannot be created: %s",
				 dir, strerror(-r));
			return r;
		}
	}
	if ((r = fs_check_isdir(dir, "data_dir", why, len)) < 0)
		return r;
	if (snprintf(path, sizeof(path), "%s/rrd", dir) >= (int)sizeof(path)) {
		snprintf(why, len, "data_dir %s: %s", dir, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	if (lstat(path, &st) == 0 && (r = fs_check_isdir(path, "the RRD directory", why, len)) < 0)
		return r;
	if (stat(dir, &st) != 0) {
		r = -errno;
		snprintf(why, len, "data_dir %s: %s", dir, strerror(-r));
		return r;
	}
	if (st.st_uid != geteuid()) {
		snprintf(why, len, "data_dir %s is owned by uid %ld, but seratd runs as uid %ld "
			 "(chown it, or run seratd as its owner)",
			 dir, (long)st.st_uid, (long)geteuid());
		return -EPERM;
	}
	if (statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) {
		snprintf(why, len, "data_dir %s is on a read-only filesystem", dir);
		return -EROFS;
	}
	/* The only honest writability test is writing. */
	if (snprintf(path, sizeof(path), "%s/.seratd-write-test.XXXXXX", dir) >= (int)sizeof(path)) {
		snprintf(why, len, "data_dir %s: %s", dir, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	int fd = mkstemp(path);
	if (fd < 0) {
		r = -errno;
		if (r == -EROFS)
			snprintf(why, len, "data_dir %s is on a read-only filesystem", dir);
		else
			snprintf(why, len, "data_dir %s is not writable: %s", dir, strerror(-r));
		return r;
	}
	close(fd);
	unlink(path);
	return 0;
}

int fd_limit_ensure(size_t need, char *why, size_t len)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
		int e = errno;
		snprintf(why, len, "cannot read the open-file limit: %s", strerror(e));
		return -e;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		snprintf(why, len, "seratd needs %zu open files (one socket per device, plus %d), "
			 "but the hard limit is %llu: raise LimitNOFILE= in seratd.service "
			 "or `ulimit -Hn`", need, FD_LIMIT_MARGIN, (unsigned long long)rl.rlim_max);
		return -EMFILE;
	}
	struct rlimit want = { (rlim_t)need, rl.rlim_max };
	if (setrlimit(RLIMIT_NOFILE, &want) != 0) {
		int e = errno;
		snprintf(why, len, "seratd needs %zu open files (one socket per device, plus %d), "
			 "the limit is %llu and raising it failed (%s): raise LimitNOFILE= in "
			 "seratd.service or `ulimit -n`", need, FD_LIMIT_MARGIN,
			 (unsigned long long)rl.rlim_cur, strerror(e));
		return -EMFILE;
	}
	return 0;
}
