# collector/storage.mk — build rules of the storage part (RRD layout, work
# queue, RRD backends, data-directory checks), included by Makefile.am.
libserat_a_SOURCES += \
	common/rrd_layout.c common/rrd_layout.h \
	common/work_queue.c common/work_queue.h \
	collector/rrd_backend.h \
	collector/rrd_backend_direct.c \
	collector/rrd_backend_daemon.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_work_queue tests/unit/test_rrd_layout tests/unit/test_fs_util
tests_unit_test_work_queue_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_work_queue_LDADD = $(UNIT_LIBS)
tests_unit_test_rrd_layout_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_rrd_layout_LDADD = $(UNIT_LIBS)
tests_unit_test_fs_util_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_fs_util_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_work_queue tests/unit/test_rrd_layout tests/unit/test_fs_util
endif

STORAGE_TESTS = \
	tests/integration/storage_datadir.sh \
	tests/integration/storage_diskfull.sh \
	tests/integration/storage_fdlimit.sh
TESTS += $(STORAGE_TESTS)
EXTRA_DIST += $(STORAGE_TESTS)

# bench/seratd_rrdcached_bench.sh runs the daemon; it ships with bench/.
