#!/bin/sh
# snmpv3_engine.sh — an SNMPv3 agent replaced by one with another engine ID
# (device swapped, reset, HA failover), played by restarting the real snmpd
# fixture on the same port with a new `engineID`: seratd rediscovers the
# engine by itself and polls again, without a SIGHUP; the outage is not
# blamed on the priv password; the change is logged.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
command -v snmpd >/dev/null 2>&1 || [ -x /usr/sbin/snmpd ] || skip_all "snmpd not installed"
plan 6

SNMPD="$top_srcdir/tests/snmpd/snmpd.sh"
"$SNMPD" start "$T/snmpd" --engine-id serat-engine-a >"$T/snmpd-start.log" 2>&1 ||
	bail "snmpd fixture did not start: $(tail -3 "$T/snmpd-start.log")"
trap '"$SNMPD" stop "$T/snmpd" >/dev/null 2>&1; _lib_cleanup' EXIT
set -a
. "$T/snmpd/v3.env"
set +a
engine() { snmpget -v2c -c "$SNMPD_COMMUNITY" -t 0.5 -r 1 -Oqv 127.0.0.1:"$SNMPD_PORT" \
	1.3.6.1.6.3.10.2.1.1.0 2>/dev/null | tr -d " \n\""; }
e1=$(engine)

conf_begin "$T/c.yaml" 1s
conf_device "$T/c.yaml" v3 "$SNMPD_PORT" \
	"snmp: {version: 3, user: $SNMPV3_USER, auth_protocol: SHA, auth_password: env:SNMPV3_AUTH, priv_protocol: AES, priv_password: env:SNMPV3_PRIV}"
bg_start "$T/seratd.log" "$SERATD" --config "$T/c.yaml" --foreground
up_polls() { [ "$(field v3 state 2>/dev/null)" = up ] && polls_ge v3 "$1"; }
wait_until 30 up_polls 2
ok $? "seratd polls the SNMPv3 agent"

"$SNMPD" stop "$T/snmpd"
wait_until 30 sh -c "grep -q 'v3: down' '$T/seratd.log'"
ok $? "the agent's outage is seen"
"$SNMPD" start "$T/snmpd" --port "$SNMPD_PORT" --engine-id serat-engine-b >>"$T/snmpd-start.log" 2>&1 ||
	bail "snmpd fixture did not restart: $(tail -3 "$T/snmpd-start.log")"
e2=$(engine)
ok "$([ -n "$e1" ] && [ -n "$e2" ] && [ "$e1" != "$e2" ]; echo $?)" \
	"the agent came back with another engine ID ($e1 -> $e2)"
n=$(field v3 polls)
wait_until 30 up_polls $((n + 2))
ok $? "polling resumes by itself, no SIGHUP (state $(field v3 state): $(field v3 error))"
is "$(grep -c 'v3: SNMPv3 engine ID changed' "$T/seratd.log")" 1 "the engine change is logged once"
is "$(grep -c 'priv password' "$T/seratd.log")" 0 "the outage is not blamed on the priv password"
