#!/bin/sh
# snmpv3.sh — SNMPv3 against a real Net-SNMP snmpd (tests/snmpd/snmpd.sh):
# authPriv with SHA + AES and with SHA-256 + AES polls the agent's interfaces
# exactly like v2c does; passwords come from env: secrets; a wrong auth
# password, a wrong priv password and an unknown user are each reported
# clearly (status, serat status, the log), and do not disturb the others.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
command -v snmpd >/dev/null 2>&1 || [ -x /usr/sbin/snmpd ] || skip_all "snmpd not installed"
plan 10

"$top_srcdir/tests/snmpd/snmpd.sh" start "$T/snmpd" >"$T/snmpd-start.log" 2>&1 ||
	bail "snmpd fixture did not start: $(tail -3 "$T/snmpd-start.log")"
SNMPD_FIXTURE="$T/snmpd"
trap '"$top_srcdir/tests/snmpd/snmpd.sh" stop "$SNMPD_FIXTURE" >/dev/null 2>&1; _lib_cleanup' EXIT
set -a
. "$T/snmpd/v3.env"
set +a
export WRONG_PASSWORD=not-the-password-1

v3() { # v3 USER AUTHPROTO AUTHSECRET PRIVSECRET
	echo "snmp: {version: 3, user: $1, auth_protocol: $2, auth_password: \"$3\", priv_protocol: AES, priv_password: \"$4\"}"
}
conf_begin "$T/c.yaml" 1s
conf_device "$T/c.yaml" v2c "$SNMPD_PORT" "snmp: {community: $SNMPD_COMMUNITY}"
conf_device "$T/c.yaml" v3-sha "$SNMPD_PORT" "$(v3 "$SNMPV3_USER" SHA env:SNMPV3_AUTH env:SNMPV3_PRIV)"
if [ "$SNMPV3_SHA256" = yes ]; then
	conf_device "$T/c.yaml" v3-sha256 "$SNMPD_PORT" \
		"$(v3 "$SNMPV3_USER_256" SHA-256 env:SNMPV3_AUTH_256 env:SNMPV3_PRIV_256)"
fi
"$SERATD" --config "$T/c.yaml" --cycles 3 >"$T/seratd.log" 2>&1
ok $? "seratd polls v2c and v3 devices of one snmpd and exits 0"
status_json "$T/c.yaml"

# Net-SNMP keeps one key set per (engine, user) in a process, so each wrong
# credential against this one agent is tried by a seratd of its own.
bad() { # bad NAME SNMP-LINE
	conf_begin --data "$T/data-$1" "$T/$1.yaml" 1s
	conf_device "$T/$1.yaml" "$1" "$SNMPD_PORT" "$2"
	"$SERATD" --config "$T/$1.yaml" --cycles 2 >"$T/$1.log" 2>&1
	"$SERAT" status --config "$T/$1.yaml" --json >"$T/$1.json"
}
bad v3-badauth "$(v3 "$SNMPV3_USER" SHA env:WRONG_PASSWORD env:SNMPV3_PRIV)"
bad v3-badpriv "$(v3 "$SNMPV3_USER" SHA env:SNMPV3_AUTH env:WRONG_PASSWORD)"
bad v3-nouser "$(v3 nobody-here SHA env:SNMPV3_AUTH env:SNMPV3_PRIV)"

dev() { # dev NAME EXPR — python expression over the device dict d
	_f="$T/status.json"; [ -f "$T/$1.json" ] && _f="$T/$1.json"
	py "$_f" "$1" "$2" <<'PY'
import json, sys
d = [d for d in json.load(open(sys.argv[1]))["devices"] if d["name"] == sys.argv[2]][0]
print(eval(sys.argv[3]))
PY
}
names() { dev "$1" '",".join(sorted(i["name"] for i in d["interfaces"]))'; }

is "$(dev v3-sha 'd["state"]')" up "v3 authPriv SHA+AES: up"
is "$(names v3-sha)" "$(names v2c)" "v3 SHA+AES sees the same interfaces as v2c ($(names v2c))"
is "$(dev v3-sha 'all(i["in_bps"] is not None for i in d["interfaces"] if i["oper"] == "up")')" True \
	"v3 SHA+AES: every up interface has a measured rate"
if [ "$SNMPV3_SHA256" = yes ]; then
	is "$(dev v3-sha256 'd["state"], len(d["interfaces"]) > 0')" "('up', True)" \
		"v3 authPriv SHA-256+AES: up, interfaces polled"
else
	skip "this snmpd does not support SHA-256 users"
fi
like "$(dev v3-badauth 'd["state"] + ": " + str(d["error"])')" "^down: .*authentication failed.*password" \
	"a wrong auth password: down, 'authentication failed (wrong auth password…)'"
like "$(dev v3-badpriv 'd["state"] + ": " + str(d["error"])')" "^down: .*(decrypt|priv)" \
	"a wrong priv password: down, reported as a decryption/priv problem"
like "$(dev v3-nouser 'd["state"] + ": " + str(d["error"])')" "^down: .*unknown user" \
	"an unknown user: down, 'unknown user name'"
like "$(grep 'v3-badauth' "$T/v3-badauth.log" | head -1)" "authentication failed" \
	"the log says so once, with the device name"
like "$("$SERAT" status --config "$T/v3-badauth.yaml" | grep -A1 '^v3-badauth')" "error: .*authentication failed" \
	"serat status shows the reason under the device"
