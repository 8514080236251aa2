/*
 * test_rrd_store.c — rrd_store writes what it is given, where it should.
 *
 * Each test gets a fresh directory under $TMPDIR (so an rrdcached started
 * with -B -b $TMPDIR accepts the paths), writes through a real rrd_store,
 * flushes, and reads the files back with librrd (rrd_lastupdate_r,
 * rrd_fetch_r): values, NAN as unknown, skipped stale timestamps, created
 * counts, and that hostile names stay inside data_dir.  When
 * RRDCACHED_ADDRESS is set, the same write/read tests run again through
 * that rrdcached (rrd_store_flush also flushes the daemon, so the files are
 * complete when we read them).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <rrd.h>

#include "collector/rrd_store.h"

struct test_ctx {
	char dir[PATH_MAX];
	const char *rrdcached;   /* NULL = direct */
};

static const struct rra_conf test_rras[] = {
	{ 1, 3600 },     /* one row per update at step 1 */
	{ 60, 86400 },
};

static int test_rm_rf(const char *dir)
{
	char cmd[PATH_MAX + 32];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static int test_setup(void **state, const char *rrdcached)
{
	struct test_ctx *ctx = calloc(1, sizeof(*ctx));
	const char *tmp = getenv("TMPDIR");
	char tmpl[PATH_MAX];

	if (ctx == NULL)
		return -1;
	snprintf(tmpl, sizeof(tmpl), "%s/rrd_store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(tmpl) == NULL || realpath(tmpl, ctx->dir) == NULL) {
		free(ctx);
		return -1;
	}
	ctx->rrdcached = rrdcached;
	*state = ctx;
	return 0;
}

static int test_setup_direct(void **state) { return test_setup(state, NULL); }
static int test_setup_daemon(void **state)
{
	return test_setup(state, getenv("RRDCACHED_ADDRESS"));
}

static int test_teardown(void **state)
{
	struct test_ctx *ctx = *state;
	if (getenv("KEEP_TMP") == NULL)
		test_rm_rf(ctx->dir);
	free(ctx);
	return 0;
}

static struct rrd_store *test_store(const struct test_ctx *ctx, size_t queue_max)
{
	struct rrd_store_opts opts = {
		.data_dir = ctx->dir,
		.rrdcached = ctx->rrdcached,
		.step_s = 1,
		.rras = test_rras,
		.n_rras = sizeof(test_rras) / sizeof(test_rras[0]),
		.queue_max = queue_max,
	};
	struct rrd_store *store = rrd_store_new(&opts);
	assert_non_null(store);
	return store;
}

/* A whole second a little in the past, so every update is "recent". */
static time_t test_t0(void)
{
	return time(NULL) - 600;
}

static void test_if_values(double *v, double base)
{
	for (int i = 0; i < IF_DS_COUNT; i++)
		v[i] = base + 0.01 * i;   /* under every DS maximum (oper's is 1) */
}

static void test_write_read(void **state)
{
	struct test_ctx *ctx = *state;
	struct rrd_store *store = test_store(ctx, 0);
	struct rrd_store_stats st;
	char path[PATH_MAX];
	double v[IF_DS_COUNT];
	time_t t0 = test_t0();

	for (int i = 1; i <= 5; i++) {
		test_if_values(v, 0.1 * i);
		if (i == 3)
			v[IF_DS_UTIL] = NAN;           /* unknown, not zero */
		assert_int_equal(rrd_store_update(store, RRD_KIND_INTERFACE, "sw1",
						  "Gi0/1", (double)(t0 + i), v), 0);
	}
	double dv[DEV_DS_COUNT] = { 1, 0.0125, 86400 };
	assert_int_equal(rrd_store_update(store, RRD_KIND_DEVICE, "sw1", NULL,
					  (double)t0 + 1.5, dv), 0);
	assert_int_equal(rrd_store_flush(store), 0);
	rrd_store_get_stats(store, &st);
	assert_int_equal(st.queued, 6);
	assert_int_equal(st.written, 6);
	assert_int_equal(st.created, 2);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.errors, 0);

	/* The interface file: escaped name, last values as written. */
	assert_int_equal(rrd_store_path(store, "sw1", "Gi0/1", path, sizeof(path)), 0);
	char expect[PATH_MAX + 64];
	snprintf(expect, sizeof(expect), "%s/rrd/sw1/if/Gi0%%2F1.rrd", ctx->dir);
	assert_string_equal(path, expect);

	time_t last;
	unsigned long n_ds;
	char **names, **lastv;
	rrd_clear_error();
	assert_int_equal(rrd_lastupdate_r(path, &last, &n_ds, &names, &lastv), 0);
	assert_int_equal(last, t0 + 5);
	assert_int_equal(n_ds, IF_DS_COUNT);
	assert_int_equal(rrd_layout_ds_count(METRIC_RRD_INTERFACE), IF_DS_COUNT);
	for (unsigned long i = 0; i < n_ds; i++) {
		char want[32];
		snprintf(want, sizeof(want), "%g", 0.5 + 0.01 * (double)i);
		assert_string_equal(names[i], rrd_layout_ds(METRIC_RRD_INTERFACE, i)->rrd_ds);
		assert_string_equal(lastv[i], want);
		free(names[i]);
		free(lastv[i]);
	}
	free(names);
	free(lastv);

	/* Fetch the 1 s RRA: one row per update, NAN where we sent NAN. */
	time_t start = t0, end = t0 + 5;
	unsigned long step = 1;
	rrd_value_t *data;
	rrd_clear_error();
	assert_int_equal(rrd_fetch_r(path, "AVERAGE", &start, &end, &step, &n_ds,
				     &names, &data), 0);
	assert_int_equal(step, 1);
	assert_int_equal(n_ds, IF_DS_COUNT);
	int rows = 0;
	for (time_t t = start + (time_t)step; t <= end; t += (time_t)step, rows++) {
		rrd_value_t *row = data + (size_t)rows * n_ds;
		int i = (int)(t - t0);
		if (i < 1 || i > 5)
			continue;
		for (unsigned long d = 0; d < n_ds; d++) {
			if (i == 3 && d == IF_DS_UTIL)
				assert_true(isnan(row[d]));
			else
				assert_true(fabs(row[d] - (0.1 * i + 0.01 * (double)d)) < 1e-9);
		}
	}
	assert_true(rows >= 5);
	for (unsigned long i = 0; i < n_ds; i++)
		free(names[i]);
	free(names);
	free(data);

	/* The device file. */
	assert_int_equal(rrd_store_path(store, "sw1", NULL, path, sizeof(path)), 0);
	rrd_clear_error();
	assert_int_equal(rrd_lastupdate_r(path, &last, &n_ds, &names, &lastv), 0);
	assert_int_equal(n_ds, DEV_DS_COUNT);
	assert_string_equal(names[0], "reachable");
	assert_string_equal(lastv[1], "0.0125");
	for (unsigned long i = 0; i < n_ds; i++) {
		free(names[i]);
		free(lastv[i]);
	}
	free(names);
	free(lastv);

	rrd_store_free(store);
}

static void test_skip_stale(void **state)
{
	struct test_ctx *ctx = *state;
	struct rrd_store *store = test_store(ctx, 0);
	struct rrd_store_stats st;
	double v[IF_DS_COUNT];
	double t0 = (double)test_t0();

	test_if_values(v, 1);
	/* Two polls in one second: both land (milliseconds). */
	assert_int_equal(rrd_store_update(store, RRD_KIND_INTERFACE, "r1", "eth0", t0 + 1.100, v), 0);
	assert_int_equal(rrd_store_update(store, RRD_KIND_INTERFACE, "r1", "eth0", t0 + 1.600, v), 0);
	/* Not newer: equal, older, equal to the millisecond. */
	assert_int_equal(rrd_store_update(store, RRD_KIND_INTERFACE, "r1", "eth0", t0 + 1.600, v), 0);
	assert_int_equal(rrd_store_update(store, RRD_KIND_INTERFACE, "r1", "eth0", t0 + 1.0, v), 0);
	assert_int_equal(rrd_store_update(store, RRD_KIND_INTERFACE, "r1", "eth0", t0 + 1.6002, v), 0);
	assert_int_equal(rrd_store_update(store, RRD_KIND_INTERFACE, "r1", "eth0", t0 + 2.0, v), 0);
	rrd_store_flush(store);
	rrd_store_get_stats(store, &st);
	assert_int_equal(st.written, 3);
	assert_int_equal(st.skipped, 3);
	assert_int_equal(st.errors, 0);
	rrd_store_free(store);

	/* A new store (a restart) learns the file's last update from the file. */
	store = test_store(ctx, 0);
	assert_int_equal(rrd_store_update(store, RRD_KIND_INTERFACE, "r1", "eth0", t0 + 1.5, v), 0);
	assert_int_equal(rrd_store_update(store, RRD_KIND_INTERFACE, "r1", "eth0", t0 + 3.0, v), 0);
	rrd_store_flush(store);
	rrd_store_get_stats(store, &st);
	assert_int_equal(st.created, 0);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(st.written, 1);
	assert_int_equal(st.errors, 0);
	rrd_store_free(store);
}

static void test_traversal(void **state)
{
	struct test_ctx *ctx = *state;
	struct rrd_store *store = test_store(ctx, 0);
	static const char *const devs[] = { "../../etc", "..", ".", "/", "a:b", "" };
	static const char *const ifs[] = { "../passwd", "..", "/etc/passwd", ":", "" };
	double v[IF_DS_COUNT], dv[DEV_DS_COUNT] = { 1, 0, 0 };
	char path[PATH_MAX], real[PATH_MAX], prefix[PATH_MAX + 8];
	double t = (double)test_t0();
	struct rrd_store_stats st;

	test_if_values(v, 7);
	snprintf(prefix, sizeof(prefix), "%s/rrd/", ctx->dir);
	for (size_t d = 0; d < sizeof(devs) / sizeof(devs[0]); d++) {
		assert_int_equal(rrd_store_update(store, RRD_KIND_DEVICE, devs[d], NULL, t, dv), 0);
		for (size_t i = 0; i < sizeof(ifs) / sizeof(ifs[0]); i++)
			assert_int_equal(rrd_store_update(store, RRD_KIND_INTERFACE, devs[d],
							  ifs[i], t, v), 0);
	}
	rrd_store_flush(store);
	rrd_store_get_stats(store, &st);
	assert_int_equal(st.errors, 0);
	assert_int_equal(st.created, st.written);
	assert_int_equal(st.written, 6 * 6);

	for (size_t d = 0; d < sizeof(devs) / sizeof(devs[0]); d++) {
		for (size_t i = 0; i <= sizeof(ifs) / sizeof(ifs[0]); i++) {
			const char *ifn = i < sizeof(ifs) / sizeof(ifs[0]) ? ifs[i] : NULL;
			assert_int_equal(rrd_store_path(store, devs[d], ifn, path, sizeof(path)), 0);
			assert_null(strstr(path + strlen(ctx->dir), "/."));
			assert_non_null(realpath(path, real));
			assert_memory_equal(real, prefix, strlen(prefix));
		}
	}
	/* Too small a buffer is an error, not a truncated path. */
	assert_int_equal(rrd_store_path(store, "sw1", "eth0", path, 10), -ENAMETOOLONG);
	rrd_store_free(store);
}

/* Default RRAs (DESIGN.md) at a 60 s step. */
static void test_default_rras(void **state)
{
	struct test_ctx *ctx = *state;
	struct rrd_store_opts opts = { .data_dir = ctx->dir, .rrdcached = ctx->rrdcached,
				       .step_s = 60 };
	struct rrd_store *store = rrd_store_new(&opts);
	double dv[DEV_DS_COUNT] = { 1, 0.01, 5 };
	char path[PATH_MAX];

	assert_non_null(store);
	assert_int_equal(rrd_store_update(store, RRD_KIND_DEVICE, "core", NULL,
					  (double)test_t0(), dv), 0);
	rrd_store_flush(store);
	assert_int_equal(rrd_store_path(store, "core", NULL, path, sizeof(path)), 0);
	rrd_store_free(store);

	rrd_clear_error();
	rrd_info_t *info = rrd_info_r(path), *p;
	assert_non_null(info);
	int n_rra = 0, ok_rows = 0;
	for (p = info; p; p = p->next) {
		if (strcmp(p->key, "step") == 0)
			assert_int_equal(p->value.u_cnt, 60);
		if (strcmp(p->key, "ds[rtt].minimal_heartbeat") == 0)
			assert_int_equal(p->value.u_cnt, 120);
		if (strncmp(p->key, "rra[", 4) == 0 && strstr(p->key, "].cf"))
			n_rra++;
		if (strncmp(p->key, "rra[", 4) == 0 && strstr(p->key, "].rows")) {
			unsigned long r = p->value.u_cnt;
			ok_rows += r == 2880 || r == 4032 || r == 730;
		}
	}
	rrd_info_free(info);
	assert_int_equal(n_rra, 8);
	assert_int_equal(ok_rows, 8);   /* 2880, 4032, 2880, 730, each twice */
}

/* rrdcached unreachable: the queue buffers, overflows, and flush returns. */
static void test_daemon_down(void **state)
{
	struct test_ctx *ctx = *state;
	char addr[PATH_MAX + 32];
	double v[IF_DS_COUNT];
	struct rrd_store_stats st;
	int nobufs = 0;

	snprintf(addr, sizeof(addr), "unix:%s/no-such-socket", ctx->dir);
	ctx->rrdcached = addr;
	struct rrd_store *store = test_store(ctx, 3);
	ctx->rrdcached = NULL;
	test_if_values(v, 1);
	for (int i = 0; i < 10; i++) {
		int r = rrd_store_update(store, RRD_KIND_INTERFACE, "x", "y",
					 (double)test_t0() + i, v);
		assert_true(r == 0 || r == -ENOBUFS);
		nobufs += r == -ENOBUFS;
	}
	assert_int_equal(rrd_store_flush(store), 0);
	rrd_store_get_stats(store, &st);
	assert_true(nobufs >= 1);
	assert_int_equal(st.dropped, (uint64_t)nobufs);
	assert_int_equal(st.written, 0);
	assert_int_equal(st.errors, st.queued);
	rrd_store_free(store);
}

int main(void)
{
	/* One group (one TAP plan); the rrdcached half only when asked for. */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_read, test_setup_direct, test_teardown),
		cmocka_unit_test_setup_teardown(test_skip_stale, test_setup_direct, test_teardown),
		cmocka_unit_test_setup_teardown(test_traversal, test_setup_direct, test_teardown),
		cmocka_unit_test_setup_teardown(test_default_rras, test_setup_direct, test_teardown),
		cmocka_unit_test_setup_teardown(test_daemon_down, test_setup_direct, test_teardown),
		cmocka_unit_test_setup_teardown(test_write_read, test_setup_daemon, test_teardown),
		cmocka_unit_test_setup_teardown(test_skip_stale, test_setup_daemon, test_teardown),
		cmocka_unit_test_setup_teardown(test_traversal, test_setup_daemon, test_teardown),
		cmocka_unit_test_setup_teardown(test_default_rras, test_setup_daemon, test_teardown),
	};
	const char *addr = getenv("RRDCACHED_ADDRESS");
	size_t n = sizeof(tests) / sizeof(tests[0]);
	if (addr == NULL || *addr == '\0')
		n = 5;
	return _cmocka_run_group_tests("rrd_store", tests, n, NULL, NULL);
}
