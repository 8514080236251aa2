# collector/snmp.mk — build rules of the SNMP poll path (snmp_poll, if_walk,
# counter), included by Makefile.am.

# Tests against the fake agent's quirks, a real snmpd and real recordings.
INTEGRATION_TESTS += \
	tests/integration/agent_quirks.sh
