#!/bin/sh
# poll_bench.sh — seratd's poll path against its floor and collectd, its
# memory per device and interface, and cycle completion under faults.
#
# Usage: bench/poll_bench.sh BUILD_DIR [--cycles N] [--skip-collectd]
#                                      [--skip-memory] [--skip-faults] [--with-store-bench]
#
# Builds seratd, the fake agent and bench/snmp_floor in BUILD_DIR, starts
# fake agents on 127.0.0.1 only (by PID), runs every measurement, prints one
# table with the peers side by side, and removes everything it started.
# Never part of `make check`.  See bench/README.md for what each figure means.
# Needs python3 (child rusage, status.json).  collectd is optional: if
# `collectd` is missing and we are root, `apt-get install collectd-core` is
# tried once; otherwise that column says why it is empty.
set -u

usage() { echo "usage: $0 BUILD_DIR [--cycles N] [--skip-collectd] [--skip-memory] [--skip-faults] [--with-store-bench]" >&2; exit 2; }
[ $# -ge 1 ] || usage
B=$(cd "$1" && pwd) || usage
shift
here=$(cd "$(dirname "$0")" && pwd)
CYCLES=10
SKIP_COLLECTD=0 SKIP_MEMORY=0 SKIP_FAULTS=0 STORE_BENCH=0
while [ $# -gt 0 ]; do
	case $1 in
	--cycles) CYCLES=$2; shift ;;
	--skip-collectd) SKIP_COLLECTD=1 ;;
	--skip-memory) SKIP_MEMORY=1 ;;
	--skip-faults) SKIP_FAULTS=1 ;;
	--with-store-bench) STORE_BENCH=1 ;;
	*) usage ;;
	esac
	shift
done

echo "building in $B ..." >&2
SERATD=$B/seratd
FAKEAGENT=$B/tests/fakeagent/fakeagent
FLOOR=$B/bench/snmp_floor
if ! make -C "$B" -s seratd tests/fakeagent/fakeagent bench/snmp_floor >&2; then
	[ -x "$SERATD" ] && [ -x "$FAKEAGENT" ] && [ -x "$FLOOR" ] || exit 1
	echo "WARNING: make failed; running the binaries already in $B" >&2
fi
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed" >&2; exit 2; }

BENCH_NAME=poll_bench
. "$(dirname "$0")/lib.sh"


# agent_start NAME DEVICES PORTS [fakeagent options] — sets AGENT_PID and
# AGENT_BASE; tries other port ranges when one is taken.
NEXT_BASE=$((30000 + ($$ % 200) * 100))
agent_start() {
	_name=$1 _n=$2 _p=$3; shift 3
	_try=0
	while [ $_try -lt 20 ]; do
		NEXT_BASE=$((NEXT_BASE + 1000))
		[ $NEXT_BASE -gt 60000 ] && NEXT_BASE=$((20000 + NEXT_BASE % 1000))
		"$FAKEAGENT" --bind 127.0.0.1 --port-base $NEXT_BASE --devices "$_n" --ports "$_p" \
			"$@" >"$T/$_name.agent.log" 2>&1 &
		AGENT_PID=$!
		PIDS="$PIDS $AGENT_PID"
		_i=0
		while [ $_i -lt 100 ]; do
			grep -q '^ready' "$T/$_name.agent.log" && break
			kill -0 $AGENT_PID 2>/dev/null || break
			sleep 0.05; _i=$((_i + 1))
		done
		if grep -q '^ready' "$T/$_name.agent.log"; then
			AGENT_BASE=$NEXT_BASE
			return 0
		fi
		stop $AGENT_PID
		_try=$((_try + 1))
	done
	echo "cannot start a fake agent" >&2
	cat "$T/$_name.agent.log" >&2
	exit 1
}

# seratd_conf FILE BASE DEVICES INTERVAL TIMEOUT RETRIES
seratd_conf() {
	_f=$1 _b=$2 _n=$3 _iv=$4 _to=$5 _re=$6
	mkdir -p "$T/data"
	{
		echo "data_dir: $T/data"
		echo "interval: $_iv"
		echo "log_level: info"
		echo "snmp:"
		echo "  version: 2c"
		echo "  community: public"
		echo "  timeout: $_to"
		echo "  retries: $_re"
		echo "poller:"
		echo "  max_in_flight: 64"
		echo "  bulk_max_varbinds: 60"
		echo "rrd:"
		echo "  rras: [\"${_iv}:1h\"]"
		echo "sites:"
		echo "  - name: bench"
		echo "    kind: other"
		if [ "$_n" -gt 0 ]; then
			echo "    devices:"
			_i=0
			while [ $_i -lt "$_n" ]; do
				echo "      - name: d$_i"
				echo "        address: 127.0.0.1:$((_b + _i))"
				_i=$((_i + 1))
			done
		else
			echo "    devices: []"
		fi
	} >"$_f"
}

# cpu_of CMD... — run CMD, print its user+system CPU seconds (wait4 rusage:
# this child only, not the agents).  CMD's output goes to $T/cmd.log.
cpu_of() {
	python3 -c '
import os, subprocess, sys
with open(sys.argv[1], "w") as log:
    p = subprocess.Popen(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT)
    _, st, ru = os.wait4(p.pid, 0)
print("%.4f %d" % (ru.ru_utime + ru.ru_stime, os.waitstatus_to_exitcode(st)))
' "$T/cmd.log" "$@"
}

# proc_cpu PID — utime+stime seconds from /proc/PID/stat.
CLK_TCK=$(getconf CLK_TCK)
proc_cpu() {
	awk -v hz="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%.3f\n", ($12 + $13) / hz }' "/proc/$1/stat"
}

# ---- 1. the poll path ----------------------------------------------------

# seratd_cpu BASE DEVICES — CPU seconds of CYCLES steady cycles: the CPU of
# a 1+CYCLES run minus that of a 1-cycle run (start-up, session opening and
# the first walk cancel out).  Interval 1 s.
seratd_cpu() {
	seratd_conf "$T/cpu.yaml" "$1" "$2" 1s 2s 1
	set -- $(cpu_of "$SERATD" --config "$T/cpu.yaml" --cycles 1 --no-store)
	[ "$2" = 0 ] || { echo "seratd failed:" >&2; cat "$T/cmd.log" >&2; exit 1; }
	_c1=$1
	set -- $(cpu_of "$SERATD" --config "$T/cpu.yaml" --cycles $((CYCLES + 1)) --no-store)
	[ "$2" = 0 ] || { echo "seratd failed:" >&2; cat "$T/cmd.log" >&2; exit 1; }
	python3 -c 'import sys; print("%.4f" % (float(sys.argv[1]) - float(sys.argv[2])))' "$1" "$_c1"
	# every interface must have been polled, none failed
	python3 - "$T/data/status.json" <<'EOF' >&2 || exit 1
import json, sys
s = json.load(open(sys.argv[1]))
devs = s["devices"] if isinstance(s, dict) else s
bad = [d["name"] for d in devs if d.get("state") != "up"]
if bad:
    sys.exit("seratd: devices not up: %s" % bad[:5])
EOF
}

# collectd_cpu NAME BASE DEVICES — steady-state CPU seconds of collectd's snmp
# plugin over CD_CYCLES intervals of CD_IV seconds.  Prints "CPU CYCLES".
CD_IV=5
CD_CYCLES=4
collectd_cpu() {
	_d="$T/collectd.$1" _cb=$2 _cn=$3
	mkdir -p "$_d"
	{
		echo "Hostname \"bench\""
		echo "FQDNLookup false"
		echo "BaseDir \"$_d\""
		echo "PIDFile \"$_d/collectd.pid\""
		echo "TypesDB \"/usr/share/collectd/types.db\""
		echo "Interval $CD_IV"
		echo "ReadThreads 5"
		echo "LoadPlugin logfile"
		echo "<Plugin logfile>"
		echo "  LogLevel warning"
		echo "  File \"$_d/collectd.log\""
		echo "</Plugin>"
		echo "LoadPlugin snmp"
		echo "<Plugin snmp>"
		# The 14 columns seratd walks, once each: ifName (and ifAlias)
		# name the octets; the other blocks are keyed by ifIndex, which
		# is the cheapest collectd can be told to do.
		ifx=".1.3.6.1.2.1.31.1.1.1" ift=".1.3.6.1.2.1.2.2.1"
		echo "  <Data \"octets\">"
		echo "    Type \"if_octets\""
		echo "    Table true"
		echo "    TypeInstanceOID \"$ifx.1\""
		echo "    PluginInstanceOID \"$ifx.18\""
		echo "    Values \"$ifx.6\" \"$ifx.10\""
		echo "  </Data>"
		for blk in "packets if_packets $ifx.7 $ifx.11" "errors if_errors $ift.14 $ift.20" \
			"dropped if_dropped $ift.13 $ift.19" "speed gauge $ifx.15" \
			"admin gauge $ift.7" "oper gauge $ift.8" "disc gauge $ifx.19"; do
			set -- $blk
			echo "  <Data \"$1\">"
			echo "    Type \"$2\""
			echo "    Table true"
			shift 2
			printf '    Values'
			for o in "$@"; do printf ' "%s"' "$o"; done
			echo
			echo "  </Data>"
		done
		_i=0
		while [ $_i -lt "$_cn" ]; do
			echo "  <Host \"d$_i\">"
			echo "    Address \"127.0.0.1:$((_cb + _i))\""
			echo "    Version 2"
			echo "    Community \"public\""
			echo "    Collect \"octets\" \"packets\" \"errors\" \"dropped\" \"speed\" \"admin\" \"oper\" \"disc\""
			echo "    Interval $CD_IV"
			echo "    Timeout 2"
			echo "    Retries 1"
			echo "    BulkSize 20"
			echo "  </Host>"
			_i=$((_i + 1))
		done
		echo "</Plugin>"
	} >"$_d/collectd.conf"
	collectd -t -C "$_d/collectd.conf" >"$_d/check.log" 2>&1 ||
		{ echo "collectd rejects its config:" >&2; cat "$_d/check.log" >&2; echo "- 0"; return; }
	collectd -f -C "$_d/collectd.conf" >"$_d/stdout.log" 2>&1 &
	_pid=$!
	PIDS="$PIDS $_pid"
	# warm-up: start-up (MIB loading) and the first walk, then whole intervals
	sleep $((CD_IV + 2))
	_c0=$(proc_cpu $_pid)
	sleep $((CD_IV * CD_CYCLES))
	_c1=$(proc_cpu $_pid)
	stop $_pid
	if grep -qi "error\|timeout\|timed out" "$_d/collectd.log" 2>/dev/null; then
		echo "collectd logged errors:" >&2
		grep -i "error\|timeout\|timed out" "$_d/collectd.log" | head -5 >&2
	fi
	python3 -c 'import sys; print("%.4f" % (float(sys.argv[2]) - float(sys.argv[1])), sys.argv[3])' \
		"$_c0" "$_c1" "$CD_CYCLES"
}

HAVE_COLLECTD=0
if [ $SKIP_COLLECTD = 0 ]; then
	if ! command -v collectd >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
		echo "collectd missing: apt-get install collectd-core ..." >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q collectd-core >"$T/apt.log" 2>&1 ||
			tail -3 "$T/apt.log" >&2
	fi
	if command -v collectd >/dev/null 2>&1 && [ -f /usr/share/collectd/types.db ]; then
		HAVE_COLLECTD=1
	else
		COLLECTD_WHY="collectd not installed (apt-get install collectd-core)"
	fi
else
	COLLECTD_WHY="skipped (--skip-collectd)"
fi

RESULTS=$T/results
: >"$RESULTS"
for shape in "200 48" "40 241"; do
	set -- $shape
	n=$1 p=$2
	echo "poll path: $n devices x $p ports ..." >&2
	agent_start "pp$n" "$n" "$p"
	out=$("$FLOOR" --port-base "$AGENT_BASE" --devices "$n" --cycles "$CYCLES") ||
		{ echo "snmp_floor failed: $out" >&2; exit 1; }
	floor_cpu=$(echo "$out" | sed -n 's/.* cpu_s=\([0-9.]*\).*/\1/p')
	ifs=$(echo "$out" | sed -n 's/.* interfaces=\([0-9]*\).*/\1/p')
	serat_cpu=$(seratd_cpu "$AGENT_BASE" "$n") || exit 1
	cd_cpu=- cd_cycles=0
	if [ $HAVE_COLLECTD = 1 ]; then
		echo "  collectd: ~$((CD_IV * (CD_CYCLES + 1) + 2)) s ..." >&2
		set -- $(collectd_cpu "pp$n" "$AGENT_BASE" "$n")
		cd_cpu=$1 cd_cycles=$2
	fi
	stop $AGENT_PID
	echo "$n $p $ifs $CYCLES $floor_cpu $serat_cpu $cd_cycles $cd_cpu" >>"$RESULTS"
done

# ---- 3. memory -------------------------------------------------------------

# seratd_rss BASE DEVICES — RssAnon (bytes) of a running seratd after every
# device completed 3 polls (interval 2 s, no RRD writes).
seratd_rss() {
	seratd_conf "$T/mem.yaml" "$1" "$2" 2s 2s 1
	rm -f "$T/data/status.json"
	"$SERATD" --config "$T/mem.yaml" --foreground --no-store >"$T/mem.log" 2>&1 &
	_pid=$!
	PIDS="$PIDS $_pid"
	_i=0
	while [ $_i -lt 300 ]; do
		sleep 0.1; _i=$((_i + 1))
		if [ "$2" = 0 ]; then
			[ $_i -ge 50 ] && break
			continue
		fi
		[ -f "$T/data/status.json" ] || continue
		python3 - "$T/data/status.json" "$2" <<'EOF' && break
import json, sys
try:
    s = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(1)
devs = s["devices"] if isinstance(s, dict) else s
sys.exit(0 if len(devs) == int(sys.argv[2]) and all(d.get("polls", 0) >= 3 for d in devs) else 1)
EOF
	done
	awk '/^RssAnon:/ { print $2 * 1024 }' "/proc/$_pid/status"
	stop $_pid
}

if [ $SKIP_MEMORY = 0 ]; then
	echo "memory ..." >&2
	MEM=$T/mem
	echo "0 0 $(seratd_rss 1 0)" >"$MEM"
	for shape in "20 48" "200 1" "200 48"; do
		set -- $shape
		agent_start "mem$1x$2" "$1" "$2"
		echo "$1 $2 $(seratd_rss "$AGENT_BASE" "$1")" >>"$MEM"
		stop $AGENT_PID
	done
fi

# ---- 4. a cycle under faults ------------------------------------------------

if [ $SKIP_FAULTS = 0 ]; then
	echo "faults: 200 x 48, --delay-ms 20 --drop 1, interval 60 s, one cycle (~65 s) ..." >&2
	agent_start faults 200 48 --delay-ms 20 --drop 1 --seed 7
	seratd_conf "$T/faults.yaml" "$AGENT_BASE" 200 60s 1s 2
	rm -f "$T/data/status.json"
	t0=$(python3 -c 'import time; print("%.3f" % time.time())')
	"$SERATD" --config "$T/faults.yaml" --cycles 1 --no-store >"$T/faults.log" 2>&1
	rc=$?
	stop $AGENT_PID
	[ $rc = 0 ] || { echo "seratd failed under faults:" >&2; tail "$T/faults.log" >&2; }
	cp "$T/data/status.json" "$T/faults.json" 2>/dev/null
	cp "$T/faults.agent.log" "$T/faults.agentstats" 2>/dev/null
fi

# ---- the report ---------------------------------------------------------------

python3 - "$RESULTS" "${MEM:-}" "$T/faults.json" "$T/faults.agentstats" "${t0:-0}" \
	"$SKIP_FAULTS" "${COLLECTD_WHY:-}" "$(nproc)" <<'EOF'
import json, os, sys
res, mem, fjson, fagent, t0, skip_faults, cd_why, ncpu = sys.argv[1:9]

def verdict(ok):
    return "PASS" if ok else "MISS"

print()
print("== poll path: CPU ms per 1,000 interface-polls (steady state, RRD writes off) ==")
print("   machine: %s CPUs; seratd and the floor: 14 columns, GETBULK of <= 60 varbinds" % ncpu)
print("%-16s %6s %7s %8s %9s  %-22s %-22s" % (
    "shape", "ifs", "floor", "seratd", "collectd", "seratd/floor <= 1.5", "collectd/seratd >= 5"))
for line in open(res):
    n, p, ifs, cyc, fcpu, scpu, cdcyc, cdcpu = line.split()
    ifs, cyc = int(ifs), int(cyc)
    floor = float(fcpu) / (ifs * cyc) * 1e6
    serat = float(scpu) / (ifs * cyc) * 1e6
    r1 = serat / floor
    if cdcpu != "-" and int(cdcyc) > 0:
        cd = float(cdcpu) / (ifs * int(cdcyc)) * 1e6
        r2 = cd / serat
        cds, r2s = "%9.2f" % cd, "%5.1fx %s" % (r2, verdict(r2 >= 5))
    else:
        cds, r2s = "%9s" % "-", "-"
    print("%-16s %6d %7.2f %8.2f %s  %-22s %-22s" % (
        "%s x %s ports" % (n, p), ifs, floor, serat, cds, "%5.2fx %s" % (r1, verdict(r1 <= 1.5)), r2s))
if cd_why:
    print("   collectd: %s" % cd_why)

if mem:
    rows = [l.split() for l in open(mem)]
    base = int(rows[0][2])
    print()
    print("== memory: seratd RssAnon after 3 polls per device (RRD writes off) ==")
    print("   baseline (0 devices, running): %.1f MiB" % (base / 1048576))
    print("%-16s %6s %10s %12s %12s" % ("shape", "ifs", "RssAnon", "B/device", "B/interface"))
    by = {}
    for n, p, rss in rows[1:]:
        n, p, rss = int(n), int(p), int(rss)
        by[(n, p)] = rss
        d = rss - base
        print("%-16s %6d %9.1fM %12.0f %12.0f" % ("%d x %d ports" % (n, p), n * p, rss / 1048576,
                                                   d / n, d / (n * p)))
    if (200, 1) in by and (200, 48) in by:
        per_if = (by[(200, 48)] - by[(200, 1)]) / (200 * 47)
        per_dev = (by[(200, 1)] - base) / 200 - per_if
        print("   separated (200x1 vs 200x48): %.0f B per device %s (<= 16384), "
              "%.0f B per interface %s (<= 512)" % (
                  per_dev, verdict(per_dev <= 16384), per_if, verdict(per_if <= 512)))

if skip_faults == "0":
    print()
    print("== a cycle under faults: 200 x 48 ports, --delay-ms 20 --drop 1, interval 60 s, "
          "timeout 1 s, retries 2 ==")
    try:
        s = json.load(open(fjson))
    except Exception as e:
        print("   no status.json: %s" % e)
        sys.exit(0)
    devs = s["devices"] if isinstance(s, dict) else s
    t0 = float(t0)
    n = len(devs)
    up = [d for d in devs if d.get("state") == "up" and d.get("last_poll")]
    nifs = sum(len(d.get("interfaces") or []) for d in up)
    # device i's turn is at start + spread * i / n (collector_start), with
    # the default poller.spread of a quarter of the interval (15 s); the
    # start is taken before exec, so durations are over-estimated by the
    # start-up time (a few ms).
    durs = []
    for i, d in enumerate(devs):
        if d.get("last_poll"):
            durs.append(d["last_poll"] - (t0 + 15.0 * int(d["name"][1:]) / n))
    durs.sort()
    last = max(d["last_poll"] for d in up) - t0 if up else float("nan")
    stats = ""
    try:
        stats = [l for l in open(fagent) if l.startswith("fakeagent:")][-1].strip()
    except Exception:
        pass
    print("   devices up %d/%d, interfaces polled %d" % (len(up), n, nifs))
    if durs:
        print("   per-device poll duration: median %.2f s, max %.2f s  -> within 20 s of its "
              "turn: %s" % (durs[len(durs) // 2], durs[-1],
                            verdict(len(up) == n and durs[-1] <= 20)))
    print("   whole inventory polled once: %.1f s after start -> within 20 s of the cycle "
          "start: %s" % (last, verdict(len(up) == n and last <= 20)))
    print("   (turns are spread over the first quarter of the interval, poller.spread: "
          "the last device's turn is at %.1f s)" % (15.0 * (n - 1) / n))
    if stats:
        print("   agent: %s" % stats[len("fakeagent: "):])
EOF

if [ $STORE_BENCH = 1 ]; then
	echo
	echo "== storage path: bench/rrd_store_bench (see bench/README.md) =="
	make -C "$B" -s bench/rrd_store_bench >&2 &&
		(cd "$B" && "$here/rrd_store_bench.sh")
fi
exit 0
