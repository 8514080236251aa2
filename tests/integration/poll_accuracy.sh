#!/bin/sh
# poll_accuracy.sh — after a few cycles every interface's stored in/out rate
# matches the agent's truth file within 2 %: in status.json and in the RRD
# files themselves (read back with the rrdtool CLI, independently of serat).
# Agents: the fake agent, v2c with 64-bit counters and v1 with 32-bit
# counters that wrap during the test.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
command -v rrdtool >/dev/null || skip_all "rrdtool (CLI, used to read RRDs back) missing"
plan 9

base=$(free_port); base2=$((base + 10))
fake_start hc "$base" 4 48
fake_start v1 "$base2" 1 24 --wrap32

conf_begin "$T/c.yaml" 2s
for i in 0 1 2 3; do conf_device "$T/c.yaml" "sw-$i" $((base + i)); done
conf_device "$T/c.yaml" v1-0 "$base2" "snmp: {version: 1}"

"$SERATD" --config "$T/c.yaml" --cycles 6 >"$T/seratd.log" 2>&1
ok $? "seratd --cycles 6 exits 0"
status_json "$T/c.yaml"

set -- $($RATECHECK compare "$T/status.json" "$T/hc.truth" --prefix sw-)
is "$1" 384 "v2c: all 4 x 48 interfaces, in and out, are in status.json"
is "$2" 0 "v2c: every status rate within 2 % of the truth (worst $3 %)"
set -- $($RATECHECK compare "$T/status.json" "$T/hc.truth" --prefix sw- --source rrd)
is "$1" 384 "v2c: every interface has an RRD file with in and out"
is "$2" 0 "v2c: every stored RRD rate within 2 % of the truth (worst $3 %)"
# SNMPv1 has no ifXTable: interfaces are named by ifDescr there.
set -- $($RATECHECK compare "$T/status.json" "$T/v1.truth" --prefix v1- --key ifindex)
is "$1" 48 "v1: all 24 interfaces (32-bit counters) compared"
is "$2" 0 "v1: rates across 32-bit wraps within 2 % (worst $3 %)"

# Down ports: oper down and a rate of 0, not unknown.
down=$(py "$T/status.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
x = [i for i in d["interfaces"] if i["oper"] == "down"]
print(len(x), sum(1 for i in x if i["in_bps"] == 0.0))
PY
)
set -- $down
ok "$([ "$1" -gt 0 ] && [ "$1" = "$2" ]; echo $?)" "down ports are reported down with a rate of 0 ($1 ports)"
like "$(grep -c 'no ifXTable' "$T/seratd.log")" "^0$" "a v1 device is walked as ifTable without a detection round"
