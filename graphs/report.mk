# graphs/report.mk — build rules of the monthly SLA report (issue #12),
# included by Makefile.am: the pure calculator and zone helpers, the event
# store and RRD readers, the report model and its renderers, `serat report`.
libserat_a_SOURCES += \
	graphs/sla_calc.c graphs/sla_calc.h \
	graphs/sla_time.c graphs/sla_time.h \
	graphs/sla_rrd.c graphs/sla_rrd.h \
	graphs/sla_source.c graphs/sla_source.h \
	graphs/sla_model.c graphs/sla_model.h \
	graphs/sla_report.c graphs/sla_report.h \
	collector/sla_monthly.c collector/sla_monthly.h
serat_SOURCES += cli/report_cmd.c cli/report_cmd.h
serat_LDADD += $(SQLITE_LIBS)

if HAVE_CMOCKA
SLA_UNIT_TESTS = tests/unit/test_sla_calc
check_PROGRAMS += $(SLA_UNIT_TESTS)
TESTS += $(SLA_UNIT_TESTS)
tests_unit_test_sla_calc_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sla_calc_LDADD = $(UNIT_LIBS)
endif

SLA_INTEGRATION_TESTS = tests/integration/sla_report.sh tests/integration/sla_e2e.sh \
	tests/integration/sla_monthly.sh
TESTS += $(SLA_INTEGRATION_TESTS)
EXTRA_DIST += $(SLA_INTEGRATION_TESTS) tests/sla
CLEANFILES += tests/artifacts/sla_report.png
