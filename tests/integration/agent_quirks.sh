#!/bin/sh
# agent_quirks.sh — what real agents do wrong, played by the fake agent
# (--quirks, --hc-jump-after; docs/fakeagent.md), and numbers that stay true:
#  - two ports with one ifName keep apart as NAME#ifIndex.N, rates exact;
#  - ports without 64-bit counters are measured on their 32-bit ones;
#  - ports with neither ifName nor ifDescr are kept as ifIndex.N, logged once;
#  - ifNames equal up to an embedded NUL stay distinct (\x00 escaped);
#  - an agent without sysUpTime (but with sysORLastChange, a TimeTicks) is
#    polled on our clock: no uptime, nothing counted malformed, logged once;
#  - replies from another port than the one asked are not taken;
#  - a Counter64 that jumps by 2^50 stores no spike.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
command -v rrdtool >/dev/null || skip_all "rrdtool (CLI, used to read RRDs back) missing"
plan 18

p=$(free_port)
fake_start dup "$p" 1 8 --quirks dup-names,no-hc
fake_start unnamed "$((p + 1))" 1 6 --quirks unnamed
fake_start nul "$((p + 2))" 1 4 --quirks nul-names
fake_start noup "$((p + 3))" 1 4 --quirks no-sysuptime
fake_start other "$((p + 4))" 1 4 --quirks other-port
fake_start jump "$((p + 5))" 1 4 --hc-jump-after 5
fake_start noifx "$((p + 6))" 1 4 --no-ifxtable
fake_start v1empty "$((p + 7))" 1 0

conf_begin "$T/c.yaml" 2s
for d in dup unnamed nul noup other jump; do
	conf_device "$T/c.yaml" "$d-0" "$p"
	p=$((p + 1))
done
# a name, resolved off the loop
printf '      - name: noifx-0\n        address: localhost:%s\n' "$p" >>"$T/c.yaml"
conf_device "$T/c.yaml" v1empty-0 "$((p + 1))" "snmp: {version: 1}"
t0=$(date +%s)
"$SERATD" --config "$T/c.yaml" --cycles 6 >"$T/seratd.log" 2>&1
ok $? "seratd polls the quirky agents for 6 cycles and exits 0"
t1=$(date +%s)
status_json "$T/c.yaml"

dev() { # dev NAME EXPR — python expression over the device dict d
	py "$T/status.json" "$1" "$2" <<'PY'
import json, sys
d = [d for d in json.load(open(sys.argv[1]))["devices"] if d["name"] == sys.argv[2]][0]
print(eval(sys.argv[3]))
PY
}
cmp_truth() { # cmp_truth NAME N — every port of NAME compared, none off
	set -- "$1" "$2" $($RATECHECK compare "$T/status.json" "$T/$1.truth" --prefix "$1-")
	[ "$3" = "$2" ] && [ "$4" = 0 ]
}

cmp_truth dup 16
ok $? "duplicated ifNames: each port its own series (NAME#ifIndex.N), every rate within 2 % ($(dev dup-0 'sorted(i["name"] for i in d["interfaces"])[:3]'))"
is "$(grep -c 'dup-0: .*share a name' "$T/seratd.log")" 1 "the duplicates are logged once"
is "$(dev dup-0 'sum(1 for i in d["interfaces"] if i["in_pps"] is not None)')" 8 \
	"ports without 64-bit counters are measured on their 32-bit ones (packets too)"
is "$(grep -c 'dup-0: .*lack 64-bit counters' "$T/seratd.log")" 1 "the 32-bit fallback is logged once"

cmp_truth unnamed 12
ok $? "ports with neither ifName nor ifDescr are kept as ifIndex.N with exact rates"
is "$(grep -c 'unnamed-0: .*neither ifName nor ifDescr' "$T/seratd.log")" 1 "and logged once"

cmp_truth nul 8
ok $? "ifNames equal up to an embedded NUL stay four interfaces ($(dev nul-0 'sorted(i["name"] for i in d["interfaces"])[0]'))"

is "$(dev noup-0 '(d["state"], d["malformed"], d["uptime_s"])')" "('up', 0, None)" \
	"no sysUpTime: up, no uptime (sysORLastChange is not taken), nothing malformed"
cmp_truth noup 8
ok $? "no sysUpTime: rates on our clock, within 2 %"
is "$(grep -c 'noup-0: .*no sysUpTime' "$T/seratd.log")" 1 "no sysUpTime is logged once"

like "$(dev other-0 'd["state"] + ": " + str(d["error"])')" "^down: no response" \
	"replies from another port than the one asked are not accepted"

set -- $($RATECHECK maxratio "$T/status.json" "$T/jump.truth" jump-0 "$t0" "$((t1 + 1))" --prefix jump-)
ok "$(awk -v n="$1" -v w="$2" 'BEGIN { exit !(n > 0 && w < 1.1) }'; echo $?)" \
	"a Counter64 jump of 2^50 stores no spike (largest stored / true: $2 over $1 samples)"
cmp_truth jump 8
ok $? "after the jump the rates are exact again"

is "$(grep -c 'interfaces share a name\|neither ifName\|no sysUpTime' "$T/seratd.log")" 3 \
	"nothing else logs about names or uptime"
like "$(grep 'noifx-0: no ifXTable' "$T/seratd.log")" "no ifName, no 64-bit counters" \
	"the ifTable fallback says what the device lacks"
is "$(dev noifx-0 '(d["state"], len(d["interfaces"]))')" "('up', 4)" \
	"a device given by host name (localhost) is resolved and polled"
is "$(grep -c 'v1empty-0: the SNMPv1 agent has no ifTable' "$T/seratd.log")" 1 \
	"an SNMPv1 agent without ifTable says so once"
