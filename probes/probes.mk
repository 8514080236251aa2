# probes/probes.mk — the passive probe: packet decoder, flow table, per-site
# statistics, `serat probe`, the capture child and its message codec.
# Included from Makefile.am.

DEP_LIBS += $(PCAP_LIBS)

# The packet path, also compiled straight into the fuzzer (for coverage).
PROBE_CORE_SOURCES = \
	common/cidr.c common/cidr.h \
	probes/pkt_decode.c probes/pkt_decode.h \
	probes/tcp_analysis.c probes/tcp_analysis.h \
	probes/flow_table.c probes/flow_table.h \
	probes/site_map.c probes/site_map.h \
	probes/probe_stats.c probes/probe_stats.h \
	probes/probe_engine.c probes/probe_engine.h
libserat_a_SOURCES += $(PROBE_CORE_SOURCES) probes/probe_msg.c probes/probe_msg.h

serat_SOURCES += cli/probe_cmd.c cli/probe_cmd.h

if HAVE_CMOCKA
PROBE_UNIT_TESTS = tests/unit/test_pkt_decode tests/unit/test_flow_table \
	tests/unit/test_probe_msg
check_PROGRAMS += $(PROBE_UNIT_TESTS)
TESTS += $(PROBE_UNIT_TESTS)
tests_unit_test_pkt_decode_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pkt_decode_LDADD = $(UNIT_LIBS)
tests_unit_test_flow_table_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_flow_table_LDADD = $(UNIT_LIBS)
tests_unit_test_probe_msg_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_probe_msg_LDADD = $(UNIT_LIBS)
endif

PROBE_INTEGRATION_TESTS = tests/integration/probe_offline.sh
TESTS += $(PROBE_INTEGRATION_TESTS)
EXTRA_DIST += $(PROBE_INTEGRATION_TESTS) tests/probe_gen.py

# ---- fuzzing: the packet path under libFuzzer (CC=clang --enable-fuzzing);
# tests/fuzz/replay_pkt replays the corpus in every `make check`.
check_PROGRAMS += tests/fuzz/replay_pkt
tests_fuzz_replay_pkt_SOURCES = tests/fuzz/fuzz_replay.c tests/fuzz/fuzz_pkt_decode.c
tests_fuzz_replay_pkt_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
tests_fuzz_replay_pkt_LDADD = libserat.a -lm
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_pkt_decode
tests_fuzz_fuzz_pkt_decode_SOURCES = tests/fuzz/fuzz_pkt_decode.c $(PROBE_CORE_SOURCES)
tests_fuzz_fuzz_pkt_decode_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_pkt_decode_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_pkt_decode_LDADD = -lm
endif
PROBE_FUZZ_TESTS = tests/integration/fuzz_pkt_corpus.sh
TESTS += $(PROBE_FUZZ_TESTS)
EXTRA_DIST += $(PROBE_FUZZ_TESTS) tests/fuzz/corpus_pkt

# ---- the live capture process, exec'd by seratd (no config, no secrets)
libexec_PROGRAMS = serat-probe
serat_probe_SOURCES = probes/serat_probe.c probes/pcap_child.c probes/pcap_child.h
serat_probe_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
serat_probe_LDADD = libserat.a $(PCAP_LIBS) -lm
check_PROGRAMS += tests/probe_msg_dump
tests_probe_msg_dump_SOURCES = tests/probe_msg_dump.c
tests_probe_msg_dump_LDADD = libserat.a -lm
PROBE_CHILD_TESTS = tests/integration/probe_child.sh
TESTS += $(PROBE_CHILD_TESTS)
EXTRA_DIST += $(PROBE_CHILD_TESTS)
