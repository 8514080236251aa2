# collector/snmp.mk — build rules of the SNMP poll path (snmp_poll, if_walk,
# counter), included by Makefile.am.

# Tests against the fake agent's quirks, a real snmpd and real recordings.
INTEGRATION_TESTS += \
	tests/integration/agent_quirks.sh \
	tests/integration/snmpv3_engine.sh \
	tests/integration/loop_nonblocking.sh \
	tests/integration/recordings_quirks.sh

# seratd --lateness-log: the probe behind bench/loop_lateness.sh.
libserat_a_SOURCES += collector/lateness_probe.c collector/lateness_probe.h
