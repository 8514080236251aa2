# probes/probes.mk — the passive probe: packet decoder, flow table, per-site
# statistics, `serat probe`, the capture child and its message codec.
# Included from Makefile.am.

libserat_a_SOURCES += \
	probes/pkt_decode.c probes/pkt_decode.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_pkt_decode
tests_unit_test_pkt_decode_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pkt_decode_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_pkt_decode
endif
