#!/bin/sh
# recordings_quirks.sh — the agent faults of issue 7 on a real device's
# recording: bison.snmprec (../shared/recordings, a Linux net-snmp host,
# served by snmpsim; skipped when absent), altered at test time into four
# agents (the shared set has no device with these faults; the originals stay
# untouched):
#   dup     two interfaces named eno1           -> eno1#ifIndex.2, eno1#ifIndex.3
#   noname  ifIndex 4 with neither ifName nor ifDescr, but counters -> ifIndex.4
#   noup    no sysUpTime.0, a sysORLastChange.0 (TimeTicks) after it instead
#   nohc    eno1 without ifHC* counters, with 32-bit ifIn/OutOctets
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
REC=$SHARED_RECORDINGS
[ -f "$REC/bison.snmprec" ] || skip_all "no recordings at $REC"
command -v snmpsimd >/dev/null 2>&1 || command -v snmpsim-command-responder >/dev/null 2>&1 ||
	skip_all "snmpsim not installed"
SNMPSIMD=$(command -v snmpsimd || command -v snmpsim-command-responder)
plan 6

mkdir -p "$T/rec"
py "$REC/bison.snmprec" "$T/rec" <<'PY'
import sys
src, out = sys.argv[1:3]
lines = [l.rstrip("\n") for l in open(src, encoding="utf-8", errors="surrogateescape")]
IFNAME, IFDESCR, HC = "1.3.6.1.2.1.31.1.1.1.1.", "1.3.6.1.2.1.2.2.1.2.", "1.3.6.1.2.1.31.1.1.1."
def key(l):
    return tuple(int(x) for x in l.split("|", 1)[0].split("."))
def write(name, ls):
    with open("%s/%s.snmprec" % (out, name), "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write("\n".join(sorted(ls, key=key)) + "\n")
val = {l.split("|", 1)[0]: l.split("|", 2)[2] for l in lines}
write("bison-dup", [IFNAME + "3|4|eno1" if l.startswith(IFNAME + "3|") else l for l in lines])
write("bison-noname", [l for l in lines
                       if not l.startswith(IFNAME + "4|") and not l.startswith(IFDESCR + "4|")])
write("bison-noup", [l for l in lines if not l.startswith("1.3.6.1.2.1.1.3.0|")]
      + ["1.3.6.1.2.1.1.8.0|67|5"])
hc2 = [HC + c + ".2|" for c in ("6", "7", "10", "11")]
write("bison-nohc", [l for l in lines if not any(l.startswith(p) for p in hc2)]
      + ["1.3.6.1.2.1.2.2.1.10.2|65|%d" % (int(val[HC + "6.2"]) % 2**32),
         "1.3.6.1.2.1.2.2.1.16.2|65|%d" % (int(val[HC + "10.2"]) % 2**32)])
PY
ok $? "four agents derived from bison.snmprec"

port=$(free_port)
mkdir -p "$T/cache"
if [ "$(id -u)" -eq 0 ]; then
	chown nobody:nogroup "$T/cache"
	chmod 755 "$T/rec"
	asroot="--process-user=nobody --process-group=nogroup"
fi
# shellcheck disable=SC2086
bg_start "$T/snmpsim.log" "$SNMPSIMD" --data-dir="$T/rec" --cache-dir="$T/cache" \
	--agent-udpv4-endpoint=127.0.0.1:$port --logging-method=null $asroot
all_ready() { for d in dup noname nohc; do snmp_ready 127.0.0.1:$port "bison-$d" || return 1; done; }
wait_until 60 all_ready || bail "snmpsim did not answer"

conf_begin "$T/c.yaml" 2s
sed -i 's/  timeout: 1s/  timeout: 5s/' "$T/c.yaml"
for d in dup noname noup nohc; do conf_device "$T/c.yaml" "$d" "$port" "snmp: {community: bison-$d}"; done
"$SERATD" --config "$T/c.yaml" --cycles 3 >"$T/seratd.log" 2>&1
ok $? "seratd polls the four for 3 cycles"
status_json "$T/c.yaml"
dev() { # dev NAME EXPR — python expression over the device dict d
	py "$T/status.json" "$1" "$2" <<'PY'
import json, sys
d = [d for d in json.load(open(sys.argv[1]))["devices"] if d["name"] == sys.argv[2]][0]
print(eval(sys.argv[3]))
PY
}
is "$(dev dup '(d["malformed"], sorted(i["name"] for i in d["interfaces"]))')" \
	"(0, ['eno1#ifIndex.2', 'eno1#ifIndex.3', 'enp8s0f0', 'enp8s0f1', 'lo'])" \
	"two interfaces named eno1: two identities, nothing rejected"
like "$(dev noname 'sorted(i["name"] for i in d["interfaces"])')" "'ifIndex\.4'" \
	"an interface with neither ifName nor ifDescr is kept as ifIndex.4"
is "$(dev noup '(d["state"], d["malformed"], d["uptime_s"], len(d["interfaces"]))')" "('up', 0, None, 5)" \
	"no sysUpTime: up, no uptime taken from sysORLastChange, nothing counted malformed"
is "$(dev nohc '[i["in_bps"] == 0 for i in d["interfaces"] if i["name"] == "eno1"]')" "[True]" \
	"eno1 without 64-bit counters is measured on its 32-bit ones (the recording stands still: 0)"
