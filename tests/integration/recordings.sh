#!/bin/sh
# recordings.sh — seratd against real devices' SNMP recordings (LibreNMS test
# data in ../shared/recordings, served by Debian's snmpsim; skipped when
# absent).  Per device: it is up, every interface of the recording is found
# under its ifName (ifDescr on an agent without ifXTable), nothing in the
# replies was rejected, and the interface count matches the recording.
# The recordings' sysUpTime does not tick: rates fall back to our clock.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
REC=$SHARED_RECORDINGS
[ -d "$REC" ] || skip_all "no recordings at $REC"
command -v snmpsimd >/dev/null 2>&1 || command -v snmpsim-command-responder >/dev/null 2>&1 ||
	skip_all "snmpsim not installed"
SNMPSIMD=$(command -v snmpsimd || command -v snmpsim-command-responder)
devices=$(cd "$REC" && ls *.snmprec | sed 's/\.snmprec$//')
n=$(echo "$devices" | wc -l)
plan $((n + 2))

# shellcheck disable=SC2086
snmpsim_start "$REC" $devices

conf_begin "$T/c.yaml" 2s
sed -i 's/  timeout: 1s/  timeout: 5s/' "$T/c.yaml"
for d in $devices; do conf_device "$T/c.yaml" "$d" "$port" "snmp: {community: $d}"; done
"$SERATD" --config "$T/c.yaml" --cycles 3 >"$T/seratd.log" 2>&1
ok $? "seratd polls all $n recorded devices for 3 cycles"
status_json "$T/c.yaml"

py "$T/status.json" "$REC" <<'PY' >"$T/result"
import json, os, sys
status, rec = sys.argv[1:3]
def names(path, prefix):
    out = {}
    for line in open(path, encoding="utf-8", errors="replace"):
        oid, tag, val = (line.rstrip("\n").split("|", 2) + ["", ""])[:3]
        if not oid.startswith(prefix): continue
        if tag == "4x":
            val = bytes.fromhex(val).decode("utf-8", "replace")
        out[oid[len(prefix):]] = val.split("\0")[0]
    return out
for d in json.load(open(status))["devices"]:
    path = os.path.join(rec, d["name"] + ".snmprec")
    want = names(path, "1.3.6.1.2.1.31.1.1.1.1.")
    descr = names(path, "1.3.6.1.2.1.2.2.1.2.")
    if not want:
        want = descr
    else:   # an empty ifName is named by its ifDescr
        want = {k: (v if v else descr.get(k, "")) for k, v in want.items()}
    want = set(v for v in want.values() if v)
    got = set(i["name"] for i in d["interfaces"])
    print(d["name"], d["state"], d["malformed"], len(got), len(want),
          "same" if got == want else "differ:" + ",".join(sorted(want ^ got))[:200])
PY
ok $? "status.json read back"
while read -r name state malformed got want same; do
	is "$state $malformed $got $same" "up 0 $want same" \
		"$name: up, nothing rejected, all $want interfaces found by name"
done <"$T/result"
