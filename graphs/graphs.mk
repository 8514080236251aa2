# graphs/graphs.mk — build rules of this part, included by Makefile.am:
# graph rendering (librrd), `serat graph`, and seratd's HTTP dashboard.
libserat_a_SOURCES += \
	graphs/graph_render.c graphs/graph_render.h \
	graphs/graph_path.c graphs/graph_path.h \
	graphs/graph_worker.c graphs/graph_worker.h

serat_SOURCES += cli/graph_cmd.c

GRAPHS_TESTS = tests/integration/graph_cli.sh
INTEGRATION_TESTS += $(GRAPHS_TESTS)
TESTS += $(GRAPHS_TESTS)
EXTRA_DIST += $(GRAPHS_TESTS)
