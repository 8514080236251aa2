# common/config.mk — build rules of the config loader and the text/time
# helpers it shares, included by Makefile.am.
libserat_a_SOURCES += \
	common/config.c common/config.h \
	common/config_build.c common/config_build.h \
	common/config_yaml.c common/config_yaml.h \
	common/config_csv.c common/config_csv.h \
	common/config_secret.c \
	common/config_print.c \
	common/text_safe.c common/text_safe.h \
	common/tz.c common/tz.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_text_safe
tests_unit_test_text_safe_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_text_safe_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_text_safe
endif

CONFIG_TESTS = tests/integration/config_files.sh tests/integration/config_big.sh \
	tests/integration/status_cmd.sh
TESTS += $(CONFIG_TESTS)
EXTRA_DIST += $(CONFIG_TESTS) common/config.mk tests/gen_inventory.sh
