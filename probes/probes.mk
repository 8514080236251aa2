# probes/probes.mk — the passive probe: packet decoder, flow table, per-site
# statistics, `serat probe`, the capture child and its message codec.
# Included from Makefile.am.

libserat_a_SOURCES += \
	probes/pkt_decode.c probes/pkt_decode.h \
	probes/tcp_analysis.c probes/tcp_analysis.h \
	probes/flow_table.c probes/flow_table.h

if HAVE_CMOCKA
PROBE_UNIT_TESTS = tests/unit/test_pkt_decode tests/unit/test_flow_table
check_PROGRAMS += $(PROBE_UNIT_TESTS)
TESTS += $(PROBE_UNIT_TESTS)
tests_unit_test_pkt_decode_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pkt_decode_LDADD = $(UNIT_LIBS)
tests_unit_test_flow_table_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_flow_table_LDADD = $(UNIT_LIBS)
endif
