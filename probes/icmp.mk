# probes/icmp.mk — the active ICMP prober, `serat ping`, its tests, fuzz
# target and test responder.  Included from Makefile.am.

libserat_a_SOURCES += \
	common/config_icmp.c common/config_icmp.h \
	probes/icmp_packet.c probes/icmp_packet.h \
	probes/icmp_sock.c probes/icmp_sock.h \
	probes/icmp_stats.c probes/icmp_stats.h \
	probes/icmp_probe.c probes/icmp_probe.h

serat_SOURCES += cli/ping_cmd.c cli/ping_cmd.h

# The test responder: answers echo requests in a network namespace with
# known delays, drops, duplicates and ICMP errors (tests/integration/icmp_probe.sh).
noinst_PROGRAMS += tests/icmp_responder/icmp_responder
tests_icmp_responder_icmp_responder_SOURCES = tests/icmp_responder/icmp_responder.c
tests_icmp_responder_icmp_responder_CFLAGS = $(AM_CFLAGS)

# The reply parser under libFuzzer; its corpus is replayed by make check
# through tests/fuzz/fuzz_replay.c, like the SNMP one.
FUZZ_ICMP_SOURCES = tests/fuzz/fuzz_icmp_reply.c probes/icmp_packet.c
check_PROGRAMS += tests/fuzz/replay_icmp
tests_fuzz_replay_icmp_SOURCES = tests/fuzz/fuzz_replay.c $(FUZZ_ICMP_SOURCES)
tests_fuzz_replay_icmp_CFLAGS = $(AM_CFLAGS)
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_icmp_reply
tests_fuzz_fuzz_icmp_reply_SOURCES = $(FUZZ_ICMP_SOURCES)
tests_fuzz_fuzz_icmp_reply_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_icmp_reply_LDFLAGS = -fsanitize=fuzzer,address,undefined
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_icmp
tests_unit_test_icmp_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_icmp_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_icmp
endif

ICMP_INTEGRATION_TESTS = tests/integration/icmp_probe.sh tests/integration/icmp_fuzz_corpus.sh
TESTS += $(ICMP_INTEGRATION_TESTS)
EXTRA_DIST += $(ICMP_INTEGRATION_TESTS) tests/fuzz/corpus/icmp_reply tests/fuzz/make-icmp-seeds.py \
	probes/icmp.mk
