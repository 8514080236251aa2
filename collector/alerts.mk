# collector/alerts.mk — build rules of the alerting part (issue #8):
# spool, notifier, channel payloads, event store, alert engine, CLI.
DEP_LIBS += $(CURL_LIBS) $(SQLITE_LIBS)

libserat_a_SOURCES += \
	collector/bg_worker.c collector/bg_worker.h \
	collector/spool.c collector/spool.h \
	collector/alert_format.h collector/alert_text.c collector/alert_payload.c \
	collector/notify.c collector/notify.h \
	collector/alert_render.c collector/alert_render.h \
	collector/events_db.c collector/events_db.h collector/events_backend.h collector/events_sqlite.c \
	collector/alert_engine.c collector/alert_engine.h collector/alert_int.h collector/alert_rules.c \
	collector/alert_group.c collector/alert_maint.c \
	collector/alert_optics.c collector/alert_optics.h \
	collector/alert_view.c collector/alert_view.h collector/http_alerts.c

if HAVE_CMOCKA
ALERT_UNIT_TESTS = tests/unit/test_spool tests/unit/test_alert_format tests/unit/test_alert_optics
check_PROGRAMS += $(ALERT_UNIT_TESTS)
TESTS += $(ALERT_UNIT_TESTS)
tests_unit_test_spool_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_spool_LDADD = $(UNIT_LIBS)
tests_unit_test_alert_format_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_alert_format_LDADD = $(UNIT_LIBS)
tests_unit_test_alert_optics_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_alert_optics_LDADD = $(UNIT_LIBS)
endif

serat_SOURCES += cli/alert_cmd.c cli/alert_cmd.h cli/maint_cmd.c cli/maint_cmd.h

ALERT_INTEGRATION_TESTS = tests/integration/alerts.sh tests/integration/alerts_delivery.sh \
	tests/integration/alerts_telegram.sh tests/integration/alerts_flap.sh \
	tests/integration/alerts_optics.sh
INTEGRATION_TESTS += $(ALERT_INTEGRATION_TESTS)
EXTRA_DIST += tests/alerts_lib.sh tests/alert_receiver.py tests/alert_check.py

# Benchmark, built on demand (make bench/notify_bench): bench/notify_bench.sh
EXTRA_PROGRAMS += bench/notify_bench
bench_notify_bench_SOURCES = bench/notify_bench.c
bench_notify_bench_CFLAGS = $(AM_CFLAGS) $(DEP_CFLAGS)
bench_notify_bench_LDADD = libserat.a $(DEP_LIBS)

# The alert path's parsers under libFuzzer (CC=clang --enable-fuzzing); the
# corpus is replayed by every `make check`.
FUZZ_ALERT_SOURCES = tests/fuzz/fuzz_alert_text.c collector/spool.c collector/alert_payload.c \
	collector/alert_text.c common/log.c common/fs_util.c common/tz.c
check_PROGRAMS += tests/fuzz/replay_alert
tests_fuzz_replay_alert_SOURCES = tests/fuzz/fuzz_replay.c $(FUZZ_ALERT_SOURCES)
tests_fuzz_replay_alert_CFLAGS = $(AM_CFLAGS) $(DEP_CFLAGS)
tests_fuzz_replay_alert_LDADD = $(JANSSON_LIBS)
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_alert_text
tests_fuzz_fuzz_alert_text_SOURCES = $(FUZZ_ALERT_SOURCES)
tests_fuzz_fuzz_alert_text_CFLAGS = $(AM_CFLAGS) $(DEP_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_alert_text_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_alert_text_LDADD = $(JANSSON_LIBS)
endif
ALERT_INTEGRATION_TESTS += tests/integration/alert_fuzz_corpus.sh
EXTRA_DIST += tests/fuzz/corpus/alert_text collector/alerts.mk
# The dashboard's alerts and maintenance pages (issue 9, after #8).
INTEGRATION_TESTS += tests/integration/dashboard_alerts.sh
