#!/bin/sh
# poll_faults.sh — the collector under agent faults, one seratd, interval 1 s:
#  - an agent reboot (counters and sysUpTime reset) makes no spike: the
#    maximum stored rate stays within 5 % of the truth;
#  - an ifIndex renumbering keeps each port's series on its name;
#  - a stopped agent is reported down within 2 intervals while every other
#    device keeps being polled on schedule, its missed polls are unknown in
#    the RRD (never 0), and it comes back up by itself;
#  - a jump of every counter flagged by ifCounterDiscontinuityTime (sysUpTime
#    going on) is a gap, not a spike;
#  - an agent answering tooBig to a GETBULK is asked for less, and polled;
#  - malformed replies are counted, skipped and logged once (back-off), and
#    slow replies on one device do not hold up the others.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
command -v rrdtool >/dev/null || skip_all "rrdtool (CLI, used to read RRDs back) missing"
plan 18

p=$(free_port)
fake_start reboot  "$p"          1 8;  pid_reboot=$FAKE_PID
fake_start renum   "$((p + 10))" 1 8;  pid_renum=$FAKE_PID
fake_start gone    "$((p + 20))" 1 8;  pid_gone=$FAKE_PID
fake_start bad     "$((p + 30))" 1 8 --malformed 30
fake_start slow    "$((p + 40))" 1 8 --delay-ms 300
fake_start steady  "$((p + 50))" 2 8
fake_start disc    "$((p + 60))" 1 8;  pid_disc=$FAKE_PID
fake_start big     "$((p + 70))" 1 48 --max-size 1000 --bulk-toobig

conf_begin "$T/c.yaml" 1s
conf_device "$T/c.yaml" reboot-0 "$p"
conf_device "$T/c.yaml" renum-0 "$((p + 10))"
conf_device "$T/c.yaml" gone-0 "$((p + 20))" "snmp: {timeout: 400ms, retries: 1}"
conf_device "$T/c.yaml" bad-0 "$((p + 30))" "snmp: {timeout: 200ms, retries: 2}"
conf_device "$T/c.yaml" slow-0 "$((p + 40))"
conf_device "$T/c.yaml" disc-0 "$((p + 60))"
conf_device "$T/c.yaml" big-0 "$((p + 70))"
conf_device "$T/c.yaml" steady-0 "$((p + 50))"
conf_device "$T/c.yaml" steady-1 "$((p + 51))"


t_start=$(date +%s)
bg_start "$T/seratd.log" "$SERATD" --config "$T/c.yaml" --foreground
seratd=$BG_PID
wait_until 20 polls_ge reboot-0 4 || bail "seratd did not get going"

kill -USR1 "$pid_reboot"
kill -USR2 "$pid_renum"
kill -HUP "$pid_disc"
t_kill=$(date +%s.%N)
kill "$pid_gone"; wait "$pid_gone" 2>/dev/null
steady_before=$(field steady-0 polls)

is_down() { [ "$(field gone-0 state)" = down ]; }
wait_until 10 is_down
ok $? "the stopped agent's device is reported down"
since=$(field gone-0 since)
ok "$(py "$since" "$t_kill" <<'PY'
import sys; print(0 if float(sys.argv[1]) - float(sys.argv[2]) <= 2.0 else 1)
PY
)" "... within 2 intervals of the agent stopping"
like "$(field gone-0 error)" "no response" "... with the reason"

# Let it stay down for a while: the others must keep their schedule.
wait_until 10 polls_ge steady-0 $((steady_before + 5))
steady_gain=$(( $(field steady-0 polls) - steady_before ))
t_gain=$(py "$t_kill" <<'PY'
import sys, time; print(time.time() - float(sys.argv[1]))
PY
)
ok "$(py "$steady_gain" "$t_gain" <<'PY'
import sys; g, t = int(sys.argv[1]), float(sys.argv[2]); print(0 if g >= int(t) - 1 else 1)
PY
)" "other devices kept their 1 s schedule while one was down ($steady_gain polls in ${t_gain%.*} s)"

fake_start gone "$((p + 20))" 1 8; pid_gone=$FAKE_PID
is_up() { [ "$(field gone-0 state)" = up ]; }
wait_until 10 is_up
ok $? "the device comes back up by itself when its agent returns"
sleep_polls=$(( $(field reboot-0 polls) + 4 ))
wait_until 15 polls_ge reboot-0 "$sleep_polls"

kill -TERM "$seratd"; wait "$seratd"
is $? 0 "seratd ran through every fault and stopped cleanly"
t_end=$(date +%s)
status_json "$T/c.yaml"

set -- $($RATECHECK maxratio "$T/status.json" "$T/reboot.truth" reboot-0 "$t_start" "$t_end" --prefix reboot-)
ok "$(py "$2" <<'PY'
import sys; print(0 if float(sys.argv[1]) <= 1.05 else 1)
PY
)" "agent reboot: no spike, max stored rate is $2 x the truth over $1 samples"
set -- $($RATECHECK maxratio "$T/status.json" "$T/renum.truth" renum-0 "$t_start" "$t_end" --prefix renum-)
ok "$(py "$2" <<'PY'
import sys; print(0 if float(sys.argv[1]) <= 1.05 else 1)
PY
)" "ifIndex renumbering: no spike, max stored rate is $2 x the truth"
is "$(py "$T/status.json" <<'PY'
import json, sys
d = [d for d in json.load(open(sys.argv[1]))["devices"] if d["name"] == "renum-0"][0]
print(len(d["interfaces"]), min(i["ifindex"] for i in d["interfaces"]) > 1000)
PY
)" "8 True" "after renumbering the same 8 ports are tracked by name under their new ifIndex"
like "$(grep -c 'agent restarted' "$T/seratd.log")" "^[1-9]" "the reboot is noticed (sysUpTime went back)"

# The outage in the stopped device's RRD: unknown, never a zero.
is "$(py "$T/status.json" "$t_start" "$t_end" <<'PY'
import json, subprocess, sys
d = [d for d in json.load(open(sys.argv[1]))["devices"] if d["name"] == "gone-0"][0]
i = [i for i in d["interfaces"] if i["oper"] == "up"][0]
out = subprocess.run(["rrdtool", "fetch", i["rrd"], "AVERAGE", "-r", "1", "-s", sys.argv[2],
                      "-e", sys.argv[3]], capture_output=True, text=True).stdout.split("\n")
names = out[0].split()
vals = [float(l.split(":")[1].split()[names.index("in")]) for l in out[2:] if ":" in l]
# Known values before and after the outage, unknown in it, no zero anywhere.
known = [v == v for v in vals]
first, last = known.index(True), len(known) - 1 - known[::-1].index(True)
gap = not all(known[first:last + 1])
print("gap" if gap else "nogap", "zeros" if any(v == 0 for v in vals if v == v) else "nozeros")
PY
)" "gap nozeros" "the missed polls are unknown in the RRD, never 0"

like "$(field bad-0 malformed 2>/dev/null || py "$T/status.json" <<'PY'
import json, sys
print([d for d in json.load(open(sys.argv[1]))["devices"] if d["name"] == "bad-0"][0]["malformed"])
PY
)" "^[1-9]" "malformed replies are counted"
is "$(py "$T/status.json" <<'PY'
import json, sys
d = {d["name"]: d for d in json.load(open(sys.argv[1]))["devices"]}
print(d["slow-0"]["state"], d["steady-0"]["state"], d["slow-0"]["rtt_ms"] >= 290)
PY
)" "up up True" "a device answering after 300 ms is polled, the others unaffected"

set -- $($RATECHECK maxratio "$T/status.json" "$T/disc.truth" disc-0 "$t_start" "$t_end" --prefix disc-)
ok "$(py "$2" <<'PY'
import sys; print(0 if float(sys.argv[1]) <= 1.05 else 1)
PY
)" "a counter discontinuity (ifCounterDiscontinuityTime): no spike, max stored rate is $2 x the truth"
like "$(grep -c 'counter discontinuity' "$T/disc.log")" "^1$" "... the agent did jump its counters"
is "$(py "$T/status.json" <<'PY'
import json, sys
d = [d for d in json.load(open(sys.argv[1]))["devices"] if d["name"] == "big-0"][0]
print(d["state"], len(d["interfaces"]), all(i["in_bps"] is not None for i in d["interfaces"]))
PY
)" "up 48 True" "an agent answering tooBig to GETBULK: smaller requests, all 48 ports polled with rates"
is "$(grep -c 'bad-0: .*malformed' "$T/seratd.log")" 1 \
	"malformed replies are logged once, not at every poll ($(field bad-0 polls) polls)"
like "$(grep 'bad-0: .*malformed' "$T/seratd.log" | head -1)" \
	"first: (sysUpTime|if[A-Za-z]+)[^)]*( as [A-Za-z]| index | wrong OID)" \
	"the malformed warning names the column and what arrived"
