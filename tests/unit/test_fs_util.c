/*
 * test_fs_util.c — data_dir_check and fd_limit_ensure, the cases a unit
 * test can make as any user: a data_dir created when missing, a file where
 * data_dir or its rrd/ should be, a path through a file, a directory that
 * is not ours (when root: chown), no probe file left behind; the soft
 * open-file limit raised within the hard one, and refused beyond it.  The
 * daemon-level cases (read-only mount, not writable as a plain user) are in
 * tests/integration/storage_datadir.sh.
 */
#include "config.h"

#include <errno.h>
#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/fs_util.h"

static char base[PATH_MAX];

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	(void)state;
	snprintf(base, sizeof(base), "%s/fs_util.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

static void touch(const char *path)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void test_data_dir(void **state)
{
	char dir[PATH_MAX + 64], why[512];
	struct stat st;
	(void)state;

	/* Missing: created (with its parents), usable, nothing left in it. */
	snprintf(dir, sizeof(dir), "%s/a/b/data", base);
	assert_int_equal(data_dir_check(dir, why, sizeof(why)), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(count_entries(dir), 0);

	/* data_dir/rrd is a file. */
	char rrd[PATH_MAX + 80];
	snprintf(rrd, sizeof(rrd), "%s/rrd", dir);
	touch(rrd);
	assert_int_equal(data_dir_check(dir, why, sizeof(why)), -ENOTDIR);
	assert_non_null(strstr(why, "is a file, not a directory"));

	/* data_dir itself is a file. */
	snprintf(dir, sizeof(dir), "%s/file", base);
	touch(dir);
	assert_int_equal(data_dir_check(dir, why, sizeof(why)), -ENOTDIR);
	assert_non_null(strstr(why, "is a file, not a directory"));

	/* A path through a file cannot be created. */
	snprintf(dir, sizeof(dir), "%s/file/data", base);
	assert_int_equal(data_dir_check(dir, why, sizeof(why)), -ENOTDIR);
	assert_non_null(strstr(why, "cannot be created"));

	/* Someone else's directory (root can give it away). */
	if (geteuid() == 0) {
		snprintf(dir, sizeof(dir), "%s/theirs", base);
		assert_int_equal(mkdir(dir, 0777), 0);
		assert_int_equal(chown(dir, 65534, 65534), 0);
		assert_int_equal(data_dir_check(dir, why, sizeof(why)), -EPERM);
		assert_non_null(strstr(why, "is owned by uid 65534"));
	}
	assert_int_equal(data_dir_check("", why, sizeof(why)), -EINVAL);
}

static void test_fd_limit(void **state)
{
	struct rlimit orig, rl;
	char why[512];
	(void)state;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &orig), 0);
	if (orig.rlim_max != RLIM_INFINITY && orig.rlim_max < 200)
		skip();
	/* Soft 64: raised to what is needed, the hard limit untouched. */
	rl.rlim_cur = 64;
	rl.rlim_max = orig.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	assert_int_equal(fd_limit_ensure(150, why, sizeof(why)), 0);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 150);
	assert_int_equal(rl.rlim_max, orig.rlim_max);
	/* Enough already: nothing changes (never lowered). */
	assert_int_equal(fd_limit_ensure(100, why, sizeof(why)), 0);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 150);
	/* Hard limit too low: refused, with both numbers. */
	rl.rlim_cur = 64;
	rl.rlim_max = 180;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	assert_int_equal(fd_limit_ensure(400, why, sizeof(why)), -EMFILE);
	assert_non_null(strstr(why, "needs 400 open files"));
	assert_non_null(strstr(why, "hard limit is 180"));
	assert_non_null(strstr(why, "LimitNOFILE"));
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_data_dir, setup, teardown),
		cmocka_unit_test(test_fd_limit),
	};
	return cmocka_run_group_tests_name("fs_util", tests, NULL, NULL);
}
