# collector/profiles.mk — device profiles and fiber optics (issue #11):
# the profile loader, unit conversions, the profile walk and its tests.
libserat_a_SOURCES += \
	common/optics.c common/optics.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_optics
tests_unit_test_optics_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_optics_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_optics
endif

EXTRA_DIST += collector/profiles.mk
