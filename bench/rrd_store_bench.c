/*
 * rrd_store_bench.c — what one RRD update costs the serat process, in CPU.
 *
 * Three ways to write the same N interface files (10 DS, DESIGN.md's RRAs,
 * a 60 s step), each run for R rounds after one unmeasured warm-up round
 * (file creation, first-touch checks):
 *
 * The bare and direct cases alternate three times; each keeps its best.
 *
 *   bare    a loop of rrd_update_r() over the files: the floor for direct
 *           writes, no queue, no thread, no bookkeeping;
 *   direct  rrd_store in direct mode: queue + writer thread + rrd_update_r;
 *   daemon  rrd_store through rrdcached (only with --rrdcached ADDR):
 *           the client side of rrdc_update().
 *
 * CPU is clock_gettime(CLOCK_PROCESS_CPUTIME_ID): every thread of this
 * process (the writer included), nothing of rrdcached's.  The measured span
 * ends when the writer has finished every update (polled every 20 ms: a
 * thread that wakes often keeps its CPU in our address space, and then every
 * munmap() rrd_update_r does costs a TLB-shootdown IPI — measured at +10-30%
 * with 1 ms polling), before rrd_store_flush(): the daemon's per-file
 * FLUSH is a shutdown cost, reported on its own line.
 *
 * Targets (docs/storage.md): direct within 1.1x of bare; daemon <= 10 us.
 * Run through bench/rrd_store_bench.sh, which starts a private rrdcached.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rrd.h>

#include "collector/rrd_store.h"
#include "common/log.h"

#define BENCH_TRIALS 3

struct bench_opts {
	const char *dir;
	const char *rrdcached;
	unsigned files;
	unsigned rounds;
	int skip_direct;           /* only the rrdcached case (seratd_rrdcached_bench.sh) */
};

static double bench_cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void bench_values(double *v, unsigned f, unsigned r)
{
	for (int i = 0; i < IF_DS_COUNT; i++)
		v[i] = 1000.0 * f + 10.0 * r + i + 0.5;
}

static void bench_ifname(char *buf, size_t len, unsigned f)
{
	snprintf(buf, len, "Gi0/%u", f);
}

/* Wait, without burning CPU, until the writer has handled every update. */
static void bench_drain(struct rrd_store *store)
{
	struct rrd_store_stats st;
	struct timespec ms = { 0, 20000000 };
	for (;;) {
		rrd_store_get_stats(store, &st);
		if (st.written + st.skipped + st.errors + st.dropped >= st.queued)
			return;
		nanosleep(&ms, NULL);
	}
}

/* Runs ROUNDS rounds from round FIRST; returns CPU seconds (drain included). */
static double bench_store_rounds(struct rrd_store *store, const struct bench_opts *o,
				 time_t t0, unsigned first, unsigned rounds)
{
	double v[IF_DS_COUNT];
	char ifname[32];
	double c0 = bench_cpu_now();

	for (unsigned r = first; r < first + rounds; r++) {
		for (unsigned f = 0; f < o->files; f++) {
			bench_values(v, f, r);
			bench_ifname(ifname, sizeof(ifname), f);
			if (rrd_store_update(store, RRD_KIND_INTERFACE, "bench-sw",
					     ifname, (double)(t0 + 60 * (time_t)r), v) < 0) {
				fprintf(stderr, "rrd_store_update failed\n");
				return -1;
			}
		}
	}
	bench_drain(store);
	return bench_cpu_now() - c0;
}

static int bench_check(struct rrd_store *store, const char *what, uint64_t expect)
{
	struct rrd_store_stats st;
	rrd_store_get_stats(store, &st);
	if (st.errors || st.written != expect) {
		fprintf(stderr, "%s: written %llu of %llu, errors %llu, skipped %llu\n", what,
			(unsigned long long)st.written, (unsigned long long)expect,
			(unsigned long long)st.errors, (unsigned long long)st.skipped);
		return -1;
	}
	return 0;
}

/* The floor: rrd_update_r over the same files, same strings. */
static double bench_bare(struct rrd_store *paths, const struct bench_opts *o,
			 time_t t0, unsigned first)
{
	double v[IF_DS_COUNT];
	char ifname[32], line[512];
	char (*path)[PATH_MAX] = calloc(o->files, PATH_MAX);
	double cpu;

	if (path == NULL)
		return -1;
	for (unsigned f = 0; f < o->files; f++) {
		bench_ifname(ifname, sizeof(ifname), f);
		rrd_store_path(paths, "bench-sw", ifname, path[f], PATH_MAX);
	}
	double c0 = bench_cpu_now();
	for (unsigned r = first; r < first + o->rounds; r++) {
		for (unsigned f = 0; f < o->files; f++) {
			bench_values(v, f, r);
			/* Same formatting work as rrd_store does. */
			int n = snprintf(line, sizeof(line), "%lld.000",
					 (long long)(t0 + 60 * (time_t)r));
			for (int i = 0; i < IF_DS_COUNT; i++)
				n += snprintf(line + n, sizeof(line) - (size_t)n, ":%.15g", v[i]);
			const char *argv[1] = { line };
			rrd_clear_error();
			if (rrd_update_r(path[f], NULL, 1, argv) != 0) {
				fprintf(stderr, "rrd_update_r %s: %s\n", path[f], rrd_get_error());
				free(path);
				return -1;
			}
		}
	}
	cpu = bench_cpu_now() - c0;
	free(path);
	return cpu;
}

static void bench_usage(void)
{
	fprintf(stderr, "usage: rrd_store_bench --dir DIR [--files N] [--rounds R] "
		"[--rrdcached ADDR [--skip-direct]]\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "files", required_argument, NULL, 'n' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "rrdcached", required_argument, NULL, 'c' },
		{ "skip-direct", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_opts o = { .files = 200, .rounds = 20 };
	int c;

	while ((c = getopt_long(argc, argv, "d:n:r:c:", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o.dir = optarg; break;
		case 'n': o.files = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'r': o.rounds = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'c': o.rrdcached = optarg; break;
		case 's': o.skip_direct = 1; break;
		default: bench_usage(); return 2;
		}
	}
	if (o.dir == NULL || o.files == 0 || o.rounds == 0) {
		bench_usage();
		return 2;
	}
	log_open("rrd_store_bench", 0, LOG_WARNING);

	/* Start far enough in the past that every round is still "past". */
	time_t t0 = time(NULL) - 60 * (time_t)((2 * BENCH_TRIALS + 1) * o.rounds + 10);
	t0 -= t0 % 60;
	uint64_t n = (uint64_t)o.files * o.rounds;
	struct rrd_store_opts so = { .data_dir = o.dir, .step_s = 60 };
	double bare, direct, daemon = NAN, daemon_flush = NAN;

	unsigned next = 1;
	bare = direct = NAN;
	struct rrd_store *store = NULL;
	if (o.skip_direct && o.rrdcached)
		goto daemon_only;
	/* direct: warm-up round creates the files. */
	store = rrd_store_new(&so);
	if (store == NULL)
		return 1;
	if (bench_store_rounds(store, &o, t0, 0, 1) < 0 ||
	    bench_check(store, "direct warm-up", o.files) < 0)
		return 1;
	/*
	 * Alternate bare and direct over the same files, BENCH_TRIALS times,
	 * and keep each one's best: the machine is shared and the page cache
	 * warms up, so one run of each in a fixed order would favour the second.
	 */
	bare = direct = INFINITY;
	for (int trial = 0; trial < BENCH_TRIALS; trial++) {
		double b = bench_bare(store, &o, t0, next);
		next += o.rounds;
		double d = bench_store_rounds(store, &o, t0, next, o.rounds);
		next += o.rounds;
		if (b < 0 || d < 0)
			return 1;
		bare = fmin(bare, b);
		direct = fmin(direct, d);
	}
	if (bench_check(store, "direct", o.files + n * BENCH_TRIALS) < 0)
		return 1;
	rrd_store_free(store);

daemon_only:
	if (o.rrdcached) {
		so.rrdcached = o.rrdcached;
		store = rrd_store_new(&so);
		if (store == NULL)
			return 1;
		/* Warm-up: connect, LAST per file. */
		if (bench_store_rounds(store, &o, t0, next, 1) < 0 ||
		    bench_check(store, "rrdcached warm-up", o.files) < 0)
			return 1;
		daemon = bench_store_rounds(store, &o, t0, next + 1, o.rounds);
		if (daemon < 0 || bench_check(store, "rrdcached", o.files + n) < 0)
			return 1;
		double c0 = bench_cpu_now();
		rrd_store_flush(store);
		daemon_flush = bench_cpu_now() - c0;
		rrd_store_free(store);
	}

	double us_bare = bare * 1e6 / (double)n;
	double us_direct = direct * 1e6 / (double)n;
	printf("rrd_store_bench: %u files x %u rounds = %llu updates, 10 DS, default RRAs\n",
	       o.files, o.rounds, (unsigned long long)n);
	if (!isnan(bare)) {
		printf("  bare rrd_update_r     %8.2f us CPU/update\n", us_bare);
		printf("  rrd_store direct      %8.2f us CPU/update  (%.3fx bare; target <= 1.10x: %s)\n",
		       us_direct, us_direct / us_bare, us_direct <= 1.10 * us_bare ? "met" : "MISSED");
	}
	if (o.rrdcached) {
		double us_daemon = daemon * 1e6 / (double)n;
		printf("  rrd_store rrdcached   %8.2f us CPU/update  (target <= 10 us: %s)\n",
		       us_daemon, us_daemon <= 10.0 ? "met" : "MISSED");
		printf("  rrdcached FLUSH       %8.2f us CPU/file at rrd_store_flush\n",
		       daemon_flush * 1e6 / (double)o.files);
	} else {
		printf("  rrd_store rrdcached   (not run: no --rrdcached)\n");
	}
	return 0;
}
