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
