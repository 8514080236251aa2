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

field() { # field DEVICE KEY
	py "$ST" "$1" "$2" <<'PY'
import json, sys
for d in json.load(open(sys.argv[1]))["devices"]:
    if d["name"] == sys.argv[2]: print(d[sys.argv[3]])
PY
}
min_polls() { # min_polls N — every device has at least N polls
	py "$ST" "$1" <<'PY'
import json, sys
sys.exit(0 if min(d["polls"] for d in json.load(open(sys.argv[1]))["devices"]) >= int(sys.argv[2]) else 1)
PY
}
# check WHAT — compare status.json (and RRD files with "rrd") to truth.tsv;
# prints "compared bad worst%"
check() {
	py "$ST" "$LAB_DIR/truth.tsv" "$1" <<'PY'
import json, subprocess, sys
st, truth, what = sys.argv[1:4]
t = {}
for line in open(truth):
    f = line.rstrip("\n").split("\t")
    if f[0] == "device": cols = f; continue
    r = dict(zip(cols, f)); t[(r["device"], r["ifName"])] = r
n = bad = 0; worst = 0.0
for d in json.load(open(st))["devices"]:
    for i in d["interfaces"]:
        r = t.get((d["name"], i["name"]))
        if r is None: continue
        got = {"in_bps": i["in_bps"], "out_bps": i["out_bps"]}
        if what == "rrd":
            out = subprocess.run(["rrdtool", "lastupdate", i["rrd"]], capture_output=True,
                                 text=True).stdout.split("\n")
            names, vals = out[0].split(), out[-2].split(":", 1)[1].split()
            got = {"in_bps": vals[names.index("in")], "out_bps": vals[names.index("out")]}
        for k in ("in_bps", "out_bps"):
            want, g = float(r[k]), got[k]
            n += 1
            if g is None or g == "U":
                bad += 1; continue
            err = abs(float(g) - want) / want * 100 if want else abs(float(g))
            worst = max(worst, err)
            if err > 2:
                bad += 1; print("# %s %s %s want %g got %s" % (d["name"], i["name"], k, want, g), file=sys.stderr)
print(n, bad, "%.2f" % worst)
PY
}

t_start=$(date +%s)
bg_start "$T/seratd.log" "$SERATD" --config "$CONF" --foreground
seratd=$BG_PID
wait_until 60 min_polls 4
ok $? "seratd polls the whole lab (7 devices) with the lab's own config"

total=$(awk 'NR > 1' "$LAB_DIR/truth.tsv" | wc -l)
set -- $(check status)
is "$1 $2" "$((total * 2)) 0" "every interface's in/out rate in status.json within 2 % of the truth (worst $3 %)"
kill -STOP "$seratd"     # hold status.json and the RRDs still while reading both
set -- $(check rrd)
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

res=$(py "$ST" "$LAB_DIR/truth.tsv" "$rebooted" "$t_start" "$t_end" <<'PY'
import json, subprocess, sys
st, truth, dev, t0, t1 = sys.argv[1:6]
want = {}
for line in open(truth):
    f = line.rstrip("\n").split("\t")
    if f[0] == "device": cols = f; continue
    r = dict(zip(cols, f))
    if r["device"] == dev: want[r["ifName"]] = r
worst = 0.0; n = 0
for d in json.load(open(st))["devices"]:
    if d["name"] != dev: continue
    for i in d["interfaces"]:
        r = want.get(i["name"])
        if r is None: continue
        out = subprocess.run(["rrdtool", "fetch", i["rrd"], "MAX", "-r", "2", "-s", t0, "-e", t1],
                             capture_output=True, text=True).stdout.split("\n")
        names = out[0].split()
        for line in out[2:]:
            if ":" not in line: continue
            vals = line.split(":")[1].split()
            for k, ds in (("in_bps", "in"), ("out_bps", "out")):
                v = float(vals[names.index(ds)])
                if v == v and float(r[k]) > 0:
                    worst = max(worst, v / float(r[k])); n += 1
print(n, "%.4f" % worst)
PY
)
set -- $res
ok "$([ "$1" -gt 0 ] && py "$2" <<'PY'
import sys; print(0 if float(sys.argv[1]) <= 1.05 else 1)
PY
)" "agent restart of $rebooted: no spike, max stored rate $2 x the truth over $1 samples"
like "$(grep -c "$rebooted: agent restarted" "$T/seratd.log")" "^[1-9]" "the restart is noticed (sysUpTime went back)"
