#!/bin/sh
# lab_acceptance.sh — issue #3's acceptance against the lab network
# (tests/lab/lab.sh: snmpsim agents, one per device, and its truth file),
# with the config the lab generates, seratd running as a daemon would:
#  - after a few cycles every interface's stored in/out rate is within 2 %
#    of the truth (status.json and the RRD files);
#  - restarting a device's agent (counters and sysUpTime reset) makes no
#    spike: the maximum stored rate stays within 5 % of the truth;
#  - a device whose agent stops answering is down within 2 intervals while
#    the others keep their schedule, and is up again by itself after.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
command -v snmpsimd >/dev/null 2>&1 || skip_all "snmpsimd not installed (Debian package snmpsim)"
command -v rrdtool >/dev/null || skip_all "rrdtool (CLI, used to read RRDs back) missing"
plan 9

LAB_DIR=$T/lab
"$LAB" start "$LAB_DIR" --devices 7 --split --interval 2s >"$T/lab.log" 2>&1 ||
	bail "lab did not start: $(tail -3 "$T/lab.log")"
CONF=$LAB_DIR/serat.yaml
ST=$(sed -n 's/^data_dir: *//p' "$CONF" | tr -d '"')/status.json
first=$(awk 'NR == 2 { print $1 }' "$LAB_DIR/devices.tsv")
victim=$(awk -F'\t' '$2 != "core" && $2 != "kecamatan" && NR > 1 { print $1 }' "$LAB_DIR/devices.tsv" | tail -1)
rebooted=$(awk -F'\t' '$2 != "core" && $2 != "kecamatan" && NR > 1 { print $1 }' "$LAB_DIR/devices.tsv" | head -1)

min_polls() { # min_polls N — every device has at least N polls
	py "$ST" "$1" <<'PY'
import json, sys
sys.exit(0 if min(d["polls"] for d in json.load(open(sys.argv[1]))["devices"]) >= int(sys.argv[2]) else 1)
PY
}
t_start=$(date +%s)
bg_start "$T/seratd.log" "$SERATD" --config "$CONF" --foreground
seratd=$BG_PID
wait_until 60 min_polls 4
ok $? "seratd polls the whole lab (7 devices) with the lab's own config"

total=$(awk 'NR > 1' "$LAB_DIR/truth.tsv" | wc -l)
set -- $($RATECHECK compare "$ST" "$LAB_DIR/truth.tsv")
is "$1 $2" "$((total * 2)) 0" "every interface's in/out rate in status.json within 2 % of the truth (worst $3 %)"
kill -STOP "$seratd"     # hold status.json and the RRDs still while reading both
set -- $($RATECHECK compare "$ST" "$LAB_DIR/truth.tsv" --source rrd)
kill -CONT "$seratd"
is "$1 $2" "$((total * 2)) 0" "every interface's stored RRD rate within 2 % of the truth (worst $3 %)"

# An agent restart: counters and sysUpTime start again.
"$LAB" restart-agent "$LAB_DIR" "$rebooted" >>"$T/lab.log" 2>&1
# A device stops answering.
before=$(field "$first" polls)
t_down=$(date +%s.%N)
"$LAB" down "$LAB_DIR" "$victim" >>"$T/lab.log" 2>&1
is_down() { [ "$(field "$victim" state)" = down ]; }
wait_until 20 is_down
ok $? "$victim is reported down after its agent stops answering"
ok "$(py "$(field "$victim" since)" "$t_down" <<'PY'
import sys; print(0 if float(sys.argv[1]) - float(sys.argv[2]) <= 4.0 else 1)
PY
)" "... within 2 intervals (2 x 2 s)"
t_now=$(date +%s.%N)
gain=$(( $(field "$first" polls) - before ))
ok "$(py "$gain" "$t_down" "$t_now" <<'PY'
import sys; g, a, b = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(0 if g >= int((b - a) / 2.0) - 1 else 1)
PY
)" "the other devices kept their 2 s schedule meanwhile ($gain polls of $first)"
"$LAB" up "$LAB_DIR" "$victim" >>"$T/lab.log" 2>&1
is_up() { [ "$(field "$victim" state)" = up ]; }
wait_until 20 is_up
ok $? "$victim is up again by itself once its agent answers"

target=$(( $(field "$rebooted" polls) + 3 ))
reached() { [ "$(field "$rebooted" polls)" -ge "$target" ]; }
wait_until 30 reached
kill -TERM "$seratd"; wait "$seratd"
t_end=$(date +%s)

res=$($RATECHECK maxratio "$ST" "$LAB_DIR/truth.tsv" "$rebooted" "$t_start" "$t_end" --res 2)
set -- $res
ok "$([ "$1" -gt 0 ] && py "$2" <<'PY'
import sys; print(0 if float(sys.argv[1]) <= 1.05 else 1)
PY
)" "agent restart of $rebooted: no spike, max stored rate $2 x the truth over $1 samples"
like "$(grep -c "$rebooted: agent restarted" "$T/seratd.log")" "^[1-9]" "the restart is noticed (sysUpTime went back)"
