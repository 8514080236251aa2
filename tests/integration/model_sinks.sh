#!/bin/sh
# model_sinks.sh — the runtime model and the sinks (issue: runtime model):
#  - a sink registered outside the collector (tests/sinktap) receives every
#    sample set and state change: a device taken down gives exactly one
#    down change and, back, one up change dated from its first failed poll;
#  - a SIGHUP that changes nothing keeps every interface's history: the
#    first poll after it stores rates, not a gap;
#  - reloads while a device waits for an in-flight slot do not crash
#    (a use-after-free under ASan before the fix);
#  - a stop or a storm of reloads with polls in flight records no false
#    outage: no "down" log line, no reachable=0 sample.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
SINKTAP="$top_builddir/tests/sinktap/sinktap"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
[ -x "$SINKTAP" ] || skip_all "sinktap not built"
command -v rrdtool >/dev/null || skip_all "rrdtool (CLI, used to read RRDs back) missing"
plan 16

# ---- 1. a counting sink, attached without touching the collector
p=$(free_port)
fake_start tap "$p" 1 4; pid_tap=$FAKE_PID
conf_begin "$T/tap.yaml" 1s
conf_device "$T/tap.yaml" tap-0 "$p" "snmp: {timeout: 300ms, retries: 0}"
bg_start "$T/tap.out" "$SINKTAP" "$T/tap.yaml"
tap=$BG_PID
n_dev() { grep -c "^sample device tap-0 " "$T/tap.out"; }
dev_ge() { [ "$(n_dev)" -ge "$1" ]; }
wait_until 20 dev_ge 3 || bail "sinktap saw no samples"
t_kill=$(date +%s.%N)
kill "$pid_tap"; wait "$pid_tap" 2>/dev/null
wait_until 10 grep -q "^state reach lab tap-0 - 1 0 " "$T/tap.out"
ok $? "the sink got the device's down change"
failed_ge() { [ "$(grep -c '^sample device tap-0 .*reachable=0' "$T/tap.out")" -ge "$1" ]; }
wait_until 10 failed_ge 3
t_back=$(date +%s.%N)
fake_start tap "$p" 1 4
wait_until 10 grep -q "^state reach lab tap-0 - 0 1 " "$T/tap.out"
ok $? "... and its up change when the agent came back"
n=$(n_dev); wait_until 10 dev_ge $((n + 2))
kill "$tap"; wait "$tap" 2>/dev/null
is "$(grep -c '^state reach lab tap-0 - 1 0 ' "$T/tap.out")" 1 "exactly one down change for three failed polls"
is "$(grep -c '^state reach lab tap-0 - 0 1 ' "$T/tap.out")" 1 "exactly one up change"
is "$(grep -c '^state reach lab tap-0 - -1 1 ' "$T/tap.out")" 1 "one first change, unknown to up"
since=$(awk '$1 == "state" && $6 == 0 && $7 == 1 { print $9 }' "$T/tap.out")
ok "$(py "$since" "$t_kill" <<'PY'
import sys; s, k = float(sys.argv[1]), float(sys.argv[2]); print(0 if 0 <= s - k <= 1.5 else 1)
PY
)" "the up change dates the outage from the first failed poll (since - kill = $(py "$since" "$t_kill" <<'PY'
import sys; print(round(float(sys.argv[1]) - float(sys.argv[2]), 2))
PY
) s)"
logged=$(sed -n 's/.*tap-0: up again after \([0-9]*\) s.*/\1/p' "$T/tap.out")
ok "$(py "${logged:-0}" "$t_kill" "$t_back" <<'PY'
import sys; l, k, b = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(0 if b - k - 1.5 <= l <= b - k + 2.5 else 1)
PY
)" "the recovery log states the outage from the first failed poll (${logged:-?} s for an agent away $(py "$t_kill" "$t_back" <<'PY'
import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 1))
PY
) s)"
n_if=$(grep -c "^sample interface tap-0 " "$T/tap.out")
is "$n_if" $(( $(n_dev) * 4 )) "every poll gave one interface sample set per interface ($n_if)"
bad=$(awk '$1 == "sample" && $2 == "interface" && /in_bps=/ { if (prev_failed && $0 !~ /in_bps=nan/) n++ }
	$1 == "sample" && $2 == "device" { prev_failed = ($0 ~ /reachable=0/) } END { print n + 0 }' "$T/tap.out")
is "$bad" 0 "a failed poll's interface samples are unknown, never numbers"
like "$(tail -n 1 "$T/tap.out")" "^stopped [0-9]+ [0-9]+$" "the sink is freed with the sinks"

# ---- 2. SIGHUP without changes: no gap in any interface's series
p=$(free_port)
fake_start hup "$((p))" 1 4
conf_begin "$T/hup.yaml" 2s
conf_device "$T/hup.yaml" hup-0 "$p"
bg_start "$T/hup.log" "$SERATD" --config "$T/hup.yaml" --foreground
seratd=$BG_PID
wait_until 20 polls_ge hup-0 3 || bail "seratd did not get going"
t_hup=$(date +%s)
kill -HUP "$seratd"
reloaded() { [ "$(grep -c 'polling 1 devices' "$T/hup.log")" -ge 2 ]; }
wait_until 10 reloaded || bail "seratd did not reload"
p0=$(field hup-0 polls)
wait_until 20 polls_ge hup-0 $((p0 + 3))
bg_stop "$seratd"
t_end=$(date +%s)
gaps=$(py "$T/data/rrd/hup-0/if" "$t_hup" "$t_end" <<'PY'
import glob, subprocess, sys, math
d, t0, t1 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
gaps = rows = 0
for f in glob.glob(d + "/*.rrd"):
    out = subprocess.run(["rrdtool", "fetch", f, "AVERAGE", "-r", "2", "-s", str(t0 - 2),
                          "-e", str(t1 - 4)], capture_output=True, text=True).stdout.split("\n")
    for line in out[2:]:
        if ":" not in line: continue
        v = line.split(":")[1].split()[0]
        rows += 1
        if v.lower() in ("nan", "-nan"): gaps += 1
print(gaps, rows)
PY
)
is "${gaps% *}" 0 "no gap in 4 interfaces' traffic across the reload (rows checked: ${gaps#* })"
grep -q "reload" "$T/hup.log"; ok $? "the reload was logged"

# ---- 3. reloads while a device waits for an in-flight slot
p=$(free_port)
fake_start slow "$p" 1 4 --delay-ms 700
p2=$(free_ports 2)
fake_start fast "$p2" 2 4
conf_begin "$T/q.yaml" 1s "poller: {max_in_flight: 1}"
conf_device "$T/q.yaml" slow-0 "$p" "snmp: {timeout: 2s, retries: 0}"
conf_device "$T/q.yaml" fast-0 "$p2"
conf_device "$T/q.yaml" fast-1 "$((p2 + 1))"
alive=0
for i in 1 2 3 4 5; do
	bg_start "$T/q$i.log" "$SERATD" --config "$T/q.yaml" --foreground --no-store
	q=$BG_PID
	wait_until 10 grep -q "polling 3 devices" "$T/q$i.log"
	sleep 1.5   # the scenario itself: a SIGHUP 1.5 s after start, mid-poll
	kill -HUP "$q"
	qreloaded() { [ "$(grep -c 'polling 3 devices' "$T/q$i.log")" -ge 2 ]; }
	wait_until 10 qreloaded && kill -0 "$q" 2>/dev/null && alive=$((alive + 1))
	bg_stop "$q"
done
is "$alive" 5 "5 of 5 reloads with a queued device and a slow one in flight survive"
is "$(cat "$T"/q*.log | grep -c ' down: ')" 0 "... and none logs a false outage"

# ---- 4. a stop and a reload storm with polls in flight: no false outage
p=$(free_ports 20)
fake_start storm "$p" 20 4 --delay-ms 300
conf_begin "$T/s.yaml" 1s
i=0; while [ $i -lt 20 ]; do conf_device "$T/s.yaml" storm-$i "$((p + i))"; i=$((i + 1)); done
bg_start "$T/s.log" "$SERATD" --config "$T/s.yaml" --foreground
s=$BG_PID
wait_until 20 polls_ge storm-19 2 || bail "storm fleet not polled"
i=0; while [ $i -lt 40 ]; do kill -HUP "$s"; sleep 0.07; i=$((i + 1)); done
wait_until 20 polls_ge storm-19 $(( $(field storm-19 polls) + 2 ))
bg_stop "$s"
is "$(grep -c ' down: ' "$T/s.log")" 0 "40 reloads and a stop with polls in flight: no device logged down"
# The stop came mid-poll (300 ms replies, 20 devices): the last sample
# each file got must be an answered poll, not the one the stop cut short.
zeros=$(py "$T/data/rrd" <<'PY'
import glob, subprocess, sys
bad = 0
for f in glob.glob(sys.argv[1] + "/storm-*/device.rrd"):
    out = subprocess.run(["rrdtool", "lastupdate", f], capture_output=True, text=True).stdout
    v = out.strip().split("\n")[-1].split(":", 1)[1].split()[0]
    if v != "1": bad += 1
print(bad)
PY
)
is "$zeros" 0 "the stop with polls in flight stored no reachable=0 as any device's last sample"
