#!/bin/sh
# optics_fakeagent.sh — optical levels from the fake agent (--optics), end to
# end through seratd: a 48-port device named with `profile: juniper-dom`.
#   - every port's receive and transmit levels are the agent's (0.01 dBm) in
#     dBm, under the port's ifName;
#   - empty cages (port % 5 == 2, raw 0) are no reading, never a level;
#   - a down port keeps its levels and shows oper down (drift is gated on
#     oper status by the poller, not by the agent);
#   - SIGUSR1 lowers the receive power of every port by 4 dB: the next poll
#     shows it, and the pure drift rule (optics_drift, unit-tested) would
#     fire for an up port only — the fixture the drift alert test uses.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fakeagent not built"
command -v rrdtool >/dev/null || skip_all "rrdtool (CLI, used to read RRDs back) missing"
plan 7; _planned=1

p=$(free_port)
fake_start optics "$p" 1 48 --optics --fault-devices 0 --down-every 7
conf_begin "$T/c.yaml" 1s "profiles_dir: $top_srcdir/etc/profiles"
conf_device "$T/c.yaml" sw "$p" "profile: juniper-dom"
bg_start "$T/seratd.log" "$SERATD" --config "$T/c.yaml" --foreground
SERATD_PID=$BG_PID

# rx of port P (1-based) as status.json shows it, or "null"
rx_of() {
	py "$ST" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
o = {x["name"]: x for x in d.get("optics", [])}
x = o.get("Gi0/%d" % int(sys.argv[2]), {})
print("null" if x.get("rx_dbm") is None else "%.2f" % x["rx_dbm"])
PY
}
rx_is() { [ "$(rx_of "$1" 2>/dev/null)" = "$2" ]; }
wait_until 20 rx_is 1 -5.37 || bail "no optical level for Gi0/1"

# The agent's formula (docs/fakeagent.md): rx = -(500 + p*37 % 1200) - drop,
# tx = -(300 + p*13 % 300), 0 for p % 5 == 2.
check() { # check DROP — every port against the formula; prints the mismatches
	py "$ST" "$1" <<'PY'
import json, sys
drop = int(sys.argv[2])
d = json.load(open(sys.argv[1]))["devices"][0]
o = {x["name"]: x for x in d.get("optics", [])}
bad = []
for p in range(1, 49):
    x = o.get("Gi0/%d" % p)
    if x is None:
        bad.append("Gi0/%d missing" % p); continue
    if p % 5 == 2:
        if (x["rx_state"], x["tx_state"], x["rx_dbm"], x["tx_dbm"]) != ("no_reading", "no_reading", None, None):
            bad.append("Gi0/%d empty cage %s" % (p, x))
        continue
    rx = -(500 + p * 37 % 1200 + drop) / 100
    tx = -(300 + p * 13 % 300) / 100
    if abs(x["rx_dbm"] - rx) > 0.0005 or abs(x["tx_dbm"] - tx) > 0.0005:
        bad.append("Gi0/%d %s %s want %s %s" % (p, x["rx_dbm"], x["tx_dbm"], rx, tx))
    if x["oper"] != ("down" if p % 7 == 0 else "up"):
        bad.append("Gi0/%d oper %s" % (p, x["oper"]))
print(" ".join(bad[:5]) or "none")
PY
}
is "$(check 0)" none "48 ports: levels in dBm by ifName, empty cages no reading, down ports keep levels"
is "$(py "$ST" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
print(len(d["optics"]), d["profile"], d["malformed"])
PY
)" "48 juniper-dom 0" "one optics entry per port, the named profile, nothing rejected"

kill -USR1 "$FAKE_PID"
wait_until 20 rx_is 1 -9.37
ok $? "SIGUSR1: Gi0/1 receive power 4 dB down on a later poll"
is "$(check 400)" none "every port 4 dB down, empty cages still no reading, transmit unchanged"

# A reload keeps the readings and goes on polling the profile.
polls_now=$(field sw polls)
kill -HUP "$SERATD_PID"
wait_until 20 polls_ge sw $((polls_now + 3)) && rx_is 1 -9.37
ok $? "after SIGHUP: still polled with its profile, levels unchanged"
bg_stop "$SERATD_PID"
# Stored, not only offered: the archive holds the negative levels (a DS
# with minimum 0 would turn every dBm into unknown).
rrdtool fetch "$T/data/rrd/sw/optics/Gi0%2F1.rrd" AVERAGE -r 1 -s -120 >"$T/fetch" 2>&1
is "$(py "$T/fetch" <<'PY'
import sys
vals = set()
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) == 4 and parts[0].endswith(":") and parts[1] != "-nan" and parts[1] != "nan":
        vals.add(round(float(parts[1]), 2))
print(" ".join(str(v) for v in sorted(vals & {-9.37, -5.37})))
PY
)" "-9.37 -5.37" "the RRD archive holds Gi0/1's levels before and after the step"
is "$(rrdtool lastupdate "$T/data/rrd/sw/optics/Gi0%2F2.rrd" 2>/dev/null | tail -1 | cut -d: -f2)" \
	" U U U" "an empty cage is stored as unknown, never as a level"
done_testing
