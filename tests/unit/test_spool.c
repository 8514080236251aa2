/*
 * test_spool.c — the notification spool on a real directory: a write is
 * whole and survives, leftovers of a crash are cleaned, removal is final,
 * load returns oldest first, malformed files are set aside; and the worker
 * runs jobs in order with completions on the loop.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <event2/event.h>

#include "collector/bg_worker.h"
#include "collector/spool.h"

static char dir[256];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "%s/serat-spool-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static size_t count_files(const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name), sl = strlen(suffix);
		if (l >= sl && strcmp(de->d_name + l - sl, suffix) == 0)
			n++;
	}
	closedir(d);
	return n;
}

struct loaded {
	struct spool_entry *e[8];
	size_t n;
};

static void on_load(void *arg, struct spool_entry *e)
{
	struct loaded *l = arg;
	assert_true(l->n < 8);
	l->e[l->n++] = e;
}

static void test_write_load_remove(void **state)
{
	char key[40], key2[40];
	assert_int_equal(spool_new_key(key, sizeof(key)), 0);
	assert_int_equal(spool_new_key(key2, sizeof(key2)), 0);
	assert_int_equal(strlen(key), 32);
	assert_string_not_equal(key, key2);

	/* Bodies with newlines and a header-like line must come back exact. */
	const char *body = "{\"text\":\"a\\nb\"}\nlength 3\n\n";
	struct spool_entry *e1 = spool_entry_new("noc", key, 200.5, "application/json", body);
	struct spool_entry *e2 = spool_entry_new("tg", key2, 100.25, "application/json", "{}");
	assert_int_equal(spool_prepare(dir), 0);
	assert_int_equal(spool_write(dir, e1), 0);
	assert_int_equal(spool_write(dir, e2), 0);
	assert_int_equal(count_files(".msg"), 2);

	struct loaded l = { .n = 0 };
	assert_int_equal(spool_load(dir, on_load, &l), 2);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.e[0]->key, key2);          /* oldest first */
	assert_string_equal(l.e[1]->channel, "noc");
	assert_string_equal(l.e[1]->body, body);
	assert_int_equal(l.e[1]->body_len, strlen(body));
	assert_true(l.e[1]->created == 200.5);

	assert_int_equal(spool_remove(dir, key), 0);
	assert_int_equal(spool_remove(dir, key), 0);     /* already gone: fine */
	assert_int_equal(count_files(".msg"), 1);
	for (size_t i = 0; i < l.n; i++)
		spool_entry_free(l.e[i]);
	spool_entry_free(e1);
	spool_entry_free(e2);
	assert_int_equal(spool_remove(dir, key2), 0);
}

static void test_crash_leftovers_and_bad_files(void **state)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/tmp.abc", dir);
	f = fopen(p, "w");
	fputs("serat-spool 1\nchannel x\n", f);   /* a torn temporary file */
	fclose(f);
	snprintf(p, sizeof(p), "%s/def.msg", dir);
	f = fopen(p, "w");
	fputs("serat-spool 1\nchannel x\nkey def\ncreated 1\ntype a/b\nlength 99\n\nshort", f);
	fclose(f);
	assert_int_equal(spool_prepare(dir), 0);
	assert_int_equal(count_files("tmp.abc"), 0);
	struct loaded l = { .n = 0 };
	assert_int_equal(spool_load(dir, on_load, &l), 0);
	assert_int_equal(count_files(".msg"), 0);
	assert_int_equal(count_files(".bad"), 1);
}

static void test_parse_rejects(void **state)
{
	static const char *bad[] = {
		"",
		"serat-spool 2\n",
		"serat-spool 1\nchannel x\nkey ../etc\ncreated 1\ntype t\nlength 0\n\n",
		"serat-spool 1\nchannel x\nkey k\ncreated z\ntype t\nlength 0\n\n",
		"serat-spool 1\nchannel x\nkey k\ncreated 1\ntype t\nlength -1\n\n",
		"serat-spool 1\nchannel x\nkey k\ncreated 1\ntype t\nlength 1\n\n",
		"serat-spool 1\nchannel x\nkey k\ncreated 1\ntype t\nlength 0\n",
		"serat-spool 1\nchannel \nkey k\ncreated 1\ntype t\nlength 0\n\n",
		NULL
	};
	for (int i = 0; bad[i]; i++)
		assert_null(spool_parse(bad[i], strlen(bad[i])));
	const char *good = "serat-spool 1\nchannel x\nkey k\ncreated 1\ntype t\nlength 2\n\nab";
	struct spool_entry *e = spool_parse(good, strlen(good));
	assert_non_null(e);
	assert_string_equal(e->body, "ab");
	spool_entry_free(e);
	/* A key that could escape the directory is refused at write time. */
	struct spool_entry *w = spool_entry_new("c", "../x", 1, "t", "b");
	assert_int_equal(spool_write(dir, w), -EINVAL);
	spool_entry_free(w);
}

/* ---- bg_worker ---- */

struct job { int *log; int *n; int id; pthread_t ran_on; };

static int job_run(void *arg)
{
	struct job *j = arg;
	j->ran_on = pthread_self();
	return j->id;
}

static void job_done(void *arg, int rc)
{
	struct job *j = arg;
	assert_int_equal(rc, j->id);
	assert_false(pthread_equal(j->ran_on, pthread_self()));
	j->log[(*j->n)++] = j->id;
	free(j);
}

static void test_worker_order(void **state)
{
	struct event_base *base = event_base_new();
	struct bg_worker *w = bg_worker_new(base, "test");
	int log[100], n = 0;

	assert_non_null(w);
	for (int i = 0; i < 100; i++) {
		struct job *j = calloc(1, sizeof(*j));
		j->log = log;
		j->n = &n;
		j->id = i;
		assert_int_equal(bg_worker_submit(w, job_run, job_done, j), 0);
	}
	/* Completions arrive through the loop. */
	while (n < 100)
		event_base_loop(base, EVLOOP_ONCE);
	for (int i = 0; i < 100; i++)
		assert_int_equal(log[i], i);
	assert_int_equal(bg_worker_pending(w), 0);
	bg_worker_free(w);
	event_base_free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_load_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_leftovers_and_bad_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_rejects, setup, teardown),
		cmocka_unit_test(test_worker_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
