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

# compare SOURCE TRUTH PREFIX [KEY] — SOURCE is "status" (status.json) or
# "rrd" (rrdtool lastupdate of each interface's file); KEY is ifname
# (default) or ifindex.  Prints "compared bad worst%".
compare() {
	py "$1" "$T/status.json" "$2" "$3" "${4:-ifname}" <<'PY'
import json, subprocess, sys
source, status, truth, prefix, by = sys.argv[1:6]
t = {}
for line in open(truth):
    f = line.rstrip("\n").split("\t")
    if f[0] == "device": cols = f; continue
    r = dict(zip(cols, f))
    t[(prefix + r["device"], r[by])] = r
n, bad, worst = 0, 0, 0.0
for d in json.load(open(status))["devices"]:
    for i in d["interfaces"]:
        key = (d["name"], i["name"] if by == "ifname" else str(i["ifindex"]))
        if key not in t: continue
        if source == "rrd":
            out = subprocess.run(["rrdtool", "lastupdate", i["rrd"]], capture_output=True,
                                 text=True).stdout.split("\n")
            names, vals = out[0].split(), out[-2].split(":", 1)[1].split()
            got_all = {"in_bps": vals[names.index("in")], "out_bps": vals[names.index("out")]}
        for k in ("in_bps", "out_bps"):
            want = float(t[key][k])
            got = i[k] if source == "status" else got_all[k]
            if got is None or got == "U":
                bad += 1; print("# %s %s: unknown" % (key, k), file=sys.stderr); continue
            got = float(got)
            err = abs(got - want) / want * 100 if want else abs(got)
            worst = max(worst, err); n += 1
            if err > 2:
                bad += 1; print("# %s %s want %g got %g" % (key, k, want, got), file=sys.stderr)
print(n, bad, "%.2f" % worst)
PY
}

set -- $(compare status "$T/hc.truth" sw-)
is "$1" 384 "v2c: all 4 x 48 interfaces, in and out, are in status.json"
is "$2" 0 "v2c: every status rate within 2 % of the truth (worst $3 %)"
set -- $(compare rrd "$T/hc.truth" sw-)
is "$1" 384 "v2c: every interface has an RRD file with in and out"
is "$2" 0 "v2c: every stored RRD rate within 2 % of the truth (worst $3 %)"
# SNMPv1 has no ifXTable: interfaces are named by ifDescr there.
set -- $(compare status "$T/v1.truth" v1- ifindex)
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
