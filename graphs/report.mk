# graphs/report.mk — build rules of the monthly SLA report (issue #12),
# included by Makefile.am: the pure calculator, the zone helpers, the event
# store adapter, the renderers and `serat report`.
libserat_a_SOURCES += \
	graphs/sla_calc.c graphs/sla_calc.h \
	graphs/sla_time.c graphs/sla_time.h

if HAVE_CMOCKA
SLA_UNIT_TESTS = tests/unit/test_sla_calc
check_PROGRAMS += $(SLA_UNIT_TESTS)
TESTS += $(SLA_UNIT_TESTS)
tests_unit_test_sla_calc_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sla_calc_LDADD = $(UNIT_LIBS)
endif
