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

EXTRA_DIST += common/config.mk
