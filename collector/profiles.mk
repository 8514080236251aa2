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
check_PROGRAMS += tests/unit/test_optics
tests_unit_test_optics_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_optics_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_optics
endif

EXTRA_DIST += collector/profiles.mk

OPTICS_TESTS = tests/integration/optics_recordings.sh tests/integration/optics_fakeagent.sh
TESTS += $(OPTICS_TESTS)
EXTRA_DIST += $(OPTICS_TESTS)

# Benchmark (bench/optics_bench.sh): built on demand, never by make check.
EXTRA_PROGRAMS += bench/optics_walk_bench
bench_optics_walk_bench_SOURCES = bench/optics_walk_bench.c
bench_optics_walk_bench_CFLAGS = $(AM_CFLAGS) $(DEP_CFLAGS)
bench_optics_walk_bench_LDADD = libserat.a $(DEP_LIBS)
EXTRA_DIST += bench/optics_bench.sh
