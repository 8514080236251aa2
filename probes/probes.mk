# probes/probes.mk — the passive probe: packet decoder, flow table, per-site
# statistics, `serat probe`, the capture child and its message codec.
# Included from Makefile.am.

DEP_LIBS += $(PCAP_LIBS)

libserat_a_SOURCES += \
	common/cidr.c common/cidr.h \
	probes/pkt_decode.c probes/pkt_decode.h \
	probes/tcp_analysis.c probes/tcp_analysis.h \
	probes/flow_table.c probes/flow_table.h \
	probes/site_map.c probes/site_map.h \
	probes/probe_stats.c probes/probe_stats.h \
	probes/probe_engine.c probes/probe_engine.h

serat_SOURCES += cli/probe_cmd.c cli/probe_cmd.h

if HAVE_CMOCKA
PROBE_UNIT_TESTS = tests/unit/test_pkt_decode tests/unit/test_flow_table
check_PROGRAMS += $(PROBE_UNIT_TESTS)
TESTS += $(PROBE_UNIT_TESTS)
tests_unit_test_pkt_decode_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pkt_decode_LDADD = $(UNIT_LIBS)
tests_unit_test_flow_table_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_flow_table_LDADD = $(UNIT_LIBS)
endif

PROBE_INTEGRATION_TESTS = tests/integration/probe_offline.sh
TESTS += $(PROBE_INTEGRATION_TESTS)
EXTRA_DIST += $(PROBE_INTEGRATION_TESTS) tests/probe_gen.py
