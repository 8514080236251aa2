#!/bin/sh
# seratd_rrdcached_bench.sh — what storing through rrdcached costs a running
# seratd, per update, next to what bench/rrd_store_bench measures for the
# same store in isolation, and what it costs rrdcached.
#
# Usage: bench/seratd_rrdcached_bench.sh BUILD_DIR [--devices N] [--ports P]
#                                         [--interval S] [--cycles C]
#        (default 40 devices x 48 ports, interval 10 s, 3 measured cycles)
#
# Builds seratd, the fake agent and bench/rrd_store_bench in BUILD_DIR, starts
# a private rrdcached (unix socket in a temporary directory, -B -b on it, long
# timers so it writes at FLUSH) and a fake agent on 127.0.0.1 (by PID), then
# runs the real seratd twice, with --no-store and with storage through
# rrdcached, and measures each in steady state: once every device has been
# polled twice (files created, sessions open), over C whole intervals.  CPU
# is read from /proc (schedstat of every thread, in ns) for both seratd and
# rrdcached; updates are rrdcached's own STATS count (UpdatesReceived).
# Start-up (one LAST per file) and the FLUSH at exit are outside the window:
# they are paid once per file, not per update.
#
#   seratd    us/update = (CPU with store - CPU with --no-store) / updates
#   rrdcached us/update = its CPU over the window / updates
#
# Never part of `make check`.  See bench/README.md.
set -u

usage() { echo "usage: $0 BUILD_DIR [--devices N] [--ports P] [--interval S] [--cycles C]" >&2; exit 2; }
[ $# -ge 1 ] || usage
B=$(cd "$1" && pwd) || usage
shift
DEVICES=40 PORTS=48 IV=10 CYCLES=3
while [ $# -gt 0 ]; do
	case $1 in
	--devices) DEVICES=$2; shift ;;
	--ports) PORTS=$2; shift ;;
	--interval) IV=$2; shift ;;
	--cycles) CYCLES=$2; shift ;;
	*) usage ;;
	esac
	shift
done

echo "building in $B ..." >&2
SERATD=$B/seratd
FAKEAGENT=$B/tests/fakeagent/fakeagent
# MICRO may name another build's rrd_store_bench (to measure an older seratd
# beside the current store's micro-benchmark).
MICRO=${MICRO:-$B/bench/rrd_store_bench}
make -C "$B" -s seratd tests/fakeagent/fakeagent >&2 || exit 1
[ -x "$MICRO" ] || make -C "$B" -s bench/rrd_store_bench >&2 || exit 1
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed" >&2; exit 2; }
command -v rrdcached >/dev/null 2>&1 || { echo "rrdcached is needed (Debian: rrdcached)" >&2; exit 2; }

BENCH_NAME=seratd_rrdcached_bench
. "$(dirname "$0")/lib.sh"

# ---- rrdcached ----------------------------------------------------------
mkdir -p "$T/data" "$T/journal"
SOCK=$T/rrdcached.sock
rrdcached -g -l "unix:$SOCK" -B -b "$T" -j "$T/journal" -p "$T/rrdcached.pid" \
	-w 3600 -z 1 -f 7200 >"$T/rrdcached.log" 2>&1 &
RRDC_PID=$!
PIDS="$PIDS $RRDC_PID"
i=0
while [ ! -S "$SOCK" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -S "$SOCK" ] || { cat "$T/rrdcached.log" >&2; exit 1; }

# ---- the fake agent ---------------------------------------------------------
BASE=$((30000 + ($$ % 200) * 100))
try=0
while :; do
	"$FAKEAGENT" --bind 127.0.0.1 --port-base $BASE --devices "$DEVICES" --ports "$PORTS" \
		>"$T/agent.log" 2>&1 &
	AGENT_PID=$!
	i=0
	while [ $i -lt 100 ] && ! grep -q '^ready' "$T/agent.log"; do
		kill -0 $AGENT_PID 2>/dev/null || break
		sleep 0.05; i=$((i + 1))
	done
	grep -q '^ready' "$T/agent.log" && break
	kill $AGENT_PID 2>/dev/null; wait $AGENT_PID 2>/dev/null
	try=$((try + 1))
	[ $try -lt 20 ] || { cat "$T/agent.log" >&2; exit 1; }
	BASE=$((BASE + 1000))
done
PIDS="$PIDS $AGENT_PID"

# ---- seratd's config ----------------------------------------------------------
{
	echo "data_dir: $T/data"
	echo "interval: ${IV}s"
	echo "log_level: warning"
	echo "snmp:"
	echo "  version: 2c"
	echo "  community: public"
	echo "  timeout: 2s"
	echo "  retries: 1"
	echo "poller:"
	echo "  max_in_flight: 64"
	echo "  bulk_max_varbinds: 60"
	echo "rrd:"
	echo "  rrdcached: unix:$SOCK"
	echo "  rras: [\"${IV}s:1h\"]"
	echo "sites:"
	echo "  - name: bench"
	echo "    kind: other"
	echo "    devices:"
	i=0
	while [ $i -lt "$DEVICES" ]; do
		echo "      - name: d$i"
		echo "        address: 127.0.0.1:$((BASE + i))"
		i=$((i + 1))
	done
} >"$T/seratd.yaml"

# ---- measuring -----------------------------------------------------------------
# CPU in nanoseconds summed over a process's threads (/proc/PID/task/*/
# schedstat: the scheduler's own accounting; /proc/PID/stat counts 10 ms
# ticks, too coarse for a few milliseconds per cycle).
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'
}
rrdc_updates() {
	python3 - "$SOCK" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"STATS\n")
f = s.makefile("r"); n = int(f.readline().split()[0])
for _ in range(n):
    k, v = f.readline().split(":", 1)
    if k.strip() == "UpdatesReceived": print(v.strip())
EOF
}
# polled N — every device has N polls in status.json
polled() {
	python3 - "$T/data/status.json" "$1" "$DEVICES" <<'EOF' 2>/dev/null
import json, sys
d = json.load(open(sys.argv[1]))["devices"]
sys.exit(0 if len(d) == int(sys.argv[3]) and all(x.get("polls", 0) >= int(sys.argv[2]) for x in d) else 1)
EOF
}
# steady [--no-store] — start seratd, wait until every device has 2 polls
# (files exist, sessions open), then measure CYCLES intervals.  Prints
# "seratd_ns rrdcached_ns updates".
steady() {
	rm -f "$T/data/status.json"
	"$SERATD" --config "$T/seratd.yaml" --foreground "$@" >"$T/seratd.log" 2>&1 &
	_p=$!
	PIDS="$PIDS $_p"
	_i=0
	while ! polled 2; do
		_i=$((_i + 1))
		[ $_i -lt 600 ] && kill -0 $_p 2>/dev/null || { cat "$T/seratd.log" >&2; exit 1; }
		sleep 0.1
	done
	# The start of a quiet stretch: just after status.json is rewritten.
	_m=$(stat -c %Y "$T/data/status.json")
	while [ "$(stat -c %Y "$T/data/status.json")" = "$_m" ]; do sleep 0.05; done
	_u0=$(rrdc_updates) _s0=$(cpu_ns $_p) _r0=$(cpu_ns $RRDC_PID)
	sleep $((CYCLES * IV))
	_s1=$(cpu_ns $_p) _r1=$(cpu_ns $RRDC_PID) _u1=$(rrdc_updates)
	kill $_p; wait $_p 2>/dev/null
	PIDS=$(echo "$PIDS" | sed "s/ $_p\$//")
	echo "$((_s1 - _s0)) $((_r1 - _r0)) $((_u1 - _u0))"
}

echo "warm-up (creates the files) ..." >&2
"$SERATD" --config "$T/seratd.yaml" --cycles 1 >"$T/seratd.log" 2>&1 || { cat "$T/seratd.log" >&2; exit 1; }
echo "measuring $CYCLES intervals without, then with storage ..." >&2
set -- $(steady --no-store); N_S=$1
set -- $(steady); S_S=$1 S_R=$2 S_U=$3

echo "micro-benchmark ..." >&2
mkdir -p "$T/micro"
"$MICRO" --dir "$T/micro" --rrdcached "unix:$SOCK" --skip-direct >"$T/micro.out" 2>&1 ||
	{ cat "$T/micro.out" >&2; exit 1; }
MICRO_US=$(awk '/rrd_store rrdcached/ { print $3 }' "$T/micro.out")

python3 - "$DEVICES" "$PORTS" "$IV" "$CYCLES" "$N_S" "$S_S" "$S_R" "$S_U" "$MICRO_US" <<'EOF'
import sys
dev, ports, iv, cyc = (int(x) for x in sys.argv[1:5])
nostore, store, rrdc, upd = (float(x) for x in sys.argv[5:9])
micro = float(sys.argv[9])
ifpolls = cyc * dev * ports
if upd <= 0:
    sys.exit("no updates counted: did seratd store anything?")
seratd_us = (store - nostore) / 1e3 / upd
rrdc_us = rrdc / 1e3 / upd
print("== seratd through rrdcached: %d x %d ports, interval %d s, %d running intervals (%d updates) ==" %
      (dev, ports, iv, cyc, upd))
print("   seratd CPU ms per 1,000 interface-polls: --no-store %.2f, through rrdcached %.2f" %
      (nostore / 1e6 / ifpolls * 1000, store / 1e6 / ifpolls * 1000))
print("%-38s %10s" % ("", "us/update"))
print("%-38s %10.2f" % ("seratd (its CPU with - without store)", seratd_us))
print("%-38s %10.2f" % ("rrdcached (its CPU)", rrdc_us))
print("%-38s %10.2f" % ("rrd_store_bench, rrdcached case", micro))
ratio = seratd_us / micro if micro > 0 else float("inf")
print("   seratd / micro-benchmark: %.2fx (target <= 1.5x: %s)" % (ratio, "met" if ratio <= 1.5 else "MISSED"))
EOF
