# graphs/graphs.mk — build rules of this part, included by Makefile.am:
# graph rendering (librrd), `serat graph`, and seratd's HTTP dashboard.
libserat_a_SOURCES += \
	graphs/graph_render.c graphs/graph_render.h \
	graphs/graph_path.c graphs/graph_path.h \
	graphs/graph_worker.c graphs/graph_worker.h \
	collector/http_server.c collector/http_server.h collector/http_int.h \
	collector/http_route.c collector/http_route.h \
	collector/http_view.c collector/http_pages.c collector/http_api.c \
	collector/http_metrics.c collector/http_graph.c collector/http_assets.c

HTTP_LIBS = $(MHD_LIBS) $(CRYPT_LIBS)
libserat_a_CFLAGS += $(CRYPT_CFLAGS)
seratd_LDADD += $(HTTP_LIBS)
serat_SOURCES += cli/graph_cmd.c
serat_LDADD += $(HTTP_LIBS)

GRAPHS_TESTS = tests/integration/graph_cli.sh tests/integration/dashboard.sh \
	tests/integration/http_bad.sh
INTEGRATION_TESTS += $(GRAPHS_TESTS)
TESTS += $(GRAPHS_TESTS)
EXTRA_DIST += $(GRAPHS_TESTS) tests/png_stats.py

# The URL parser's fuzz target; its corpus is replayed by `make check`.
FUZZ_HTTP_SOURCES = tests/fuzz/fuzz_http_route.c collector/http_route.c graphs/graph_render.c
check_PROGRAMS += tests/fuzz/replay_http
tests_fuzz_replay_http_SOURCES = tests/fuzz/fuzz_replay.c $(FUZZ_HTTP_SOURCES)
tests_fuzz_replay_http_CFLAGS = $(AM_CFLAGS) $(RRD_CFLAGS)
tests_fuzz_replay_http_LDADD = $(RRD_LIBS)
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_http_route
tests_fuzz_fuzz_http_route_SOURCES = $(FUZZ_HTTP_SOURCES)
tests_fuzz_fuzz_http_route_CFLAGS = $(AM_CFLAGS) $(RRD_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_http_route_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_http_route_LDADD = $(RRD_LIBS)
endif
TESTS += tests/integration/fuzz_http_route.sh
EXTRA_DIST += tests/integration/fuzz_http_route.sh

# The HTTP benchmark's floor (bench/http_bench.sh); built on demand.
EXTRA_PROGRAMS += bench/http_floor
bench_http_floor_SOURCES = bench/http_floor.c
bench_http_floor_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS)
bench_http_floor_LDADD = $(MHD_LIBS)
