# collector/profiles.mk — device profiles and fiber optics (issue #11):
# the profile loader, unit conversions, the profile walk and its tests.
libserat_a_SOURCES += \
	common/optics.c common/optics.h \
	common/profile.c common/profile.h \
	collector/profile_walk.c collector/profile_walk.h \
	collector/profile_poll.c collector/profile_poll.h \
	collector/model_readings.c

# Shipped profiles: installed, and found there at run time.
AM_CPPFLAGS += -DSERAT_PROFILES_DIR='"$(pkgdatadir)/profiles"'
profilesdir = $(pkgdatadir)/profiles
dist_profiles_DATA = etc/profiles/arista.yaml etc/profiles/cisco.yaml \
	etc/profiles/entity-sensor.yaml etc/profiles/host-resources.yaml \
	etc/profiles/huawei-olt.yaml etc/profiles/huawei-vrp.yaml \
	etc/profiles/huawei-vrp-dbm.yaml etc/profiles/juniper-dom.yaml \
	etc/profiles/mikrotik.yaml etc/profiles/ufiber-olt.yaml

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_optics tests/unit/test_profile tests/unit/test_profile_walk \
	tests/unit/test_profile_poll
tests_unit_test_optics_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_optics_LDADD = $(UNIT_LIBS)
tests_unit_test_profile_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_profile_LDADD = $(UNIT_LIBS)
tests_unit_test_profile_walk_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_profile_walk_LDADD = $(UNIT_LIBS)
tests_unit_test_profile_poll_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_profile_poll_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_optics tests/unit/test_profile tests/unit/test_profile_walk \
	tests/unit/test_profile_poll
endif

# The profile reply path under libFuzzer (CC=clang --enable-fuzzing); the
# seed corpus is replayed by every `make check` (fuzz_profile_corpus.sh).
FUZZ_PROFILE_SOURCES = tests/fuzz/fuzz_profile_reply.c collector/profile_walk.c
check_PROGRAMS += tests/fuzz/replay_profile
tests_fuzz_replay_profile_SOURCES = tests/fuzz/fuzz_replay.c $(FUZZ_PROFILE_SOURCES)
tests_fuzz_replay_profile_CFLAGS = $(AM_CFLAGS) $(NETSNMP_CFLAGS)
tests_fuzz_replay_profile_LDADD = $(NETSNMP_LIBS)
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_profile_reply
tests_fuzz_fuzz_profile_reply_SOURCES = $(FUZZ_PROFILE_SOURCES)
tests_fuzz_fuzz_profile_reply_CFLAGS = $(AM_CFLAGS) $(NETSNMP_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_profile_reply_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_profile_reply_LDADD = $(NETSNMP_LIBS)
endif
EXTRA_DIST += tests/fuzz/corpus/profile_reply tests/fuzz/make-profile-seeds.sh

EXTRA_DIST += collector/profiles.mk

OPTICS_TESTS = tests/integration/optics_recordings.sh tests/integration/optics_fakeagent.sh \
	tests/integration/fuzz_profile_corpus.sh
TESTS += $(OPTICS_TESTS)
EXTRA_DIST += $(OPTICS_TESTS)

# Benchmark (bench/optics_bench.sh): built on demand, never by make check.
EXTRA_PROGRAMS += bench/optics_walk_bench
bench_optics_walk_bench_SOURCES = bench/optics_walk_bench.c
bench_optics_walk_bench_CFLAGS = $(AM_CFLAGS) $(DEP_CFLAGS)
bench_optics_walk_bench_LDADD = libserat.a $(DEP_LIBS)
EXTRA_DIST += bench/optics_bench.sh
