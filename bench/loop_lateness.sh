#!/bin/sh
# loop_lateness.sh — how late seratd's event loop runs a 100 ms timer:
#   (a) during a reload (SIGHUP) of a 200-device config,
#   (b) while 20 unreachable SNMPv3 devices sit among 50 reachable ones,
#   (c) during status.json writes at 10,000 interfaces (200 x 50).
# Target: a worst lateness of at most 50 ms in each.
#
# Usage: bench/loop_lateness.sh BUILD_DIR [--seconds S]
#
# Runs the real daemon with `--lateness-log FILE` (collector/lateness_probe.c:
# a 100 ms timer that logs its worst lateness once a second, wall-clock
# stamped) against fake agents on 127.0.0.1 (the fake agent ignores SNMPv3,
# so its devices stand for v3 agents that do not answer), lines the log up
# with the moments of each scenario and prints the three figures beside the
# target.  RRD writing is off (--no-store): the store runs in its own thread
# and is measured by rrd_store_bench.  Everything started is stopped by PID.
# Never part of `make check`.
set -u

usage() { echo "usage: $0 BUILD_DIR [--seconds S]" >&2; exit 2; }
[ $# -ge 1 ] || usage
B=$(cd "$1" && pwd) || usage
shift
SECONDS_WIN=6
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) SECONDS_WIN=$2; shift ;;
	*) usage ;;
	esac
	shift
done
make -C "$B" -s seratd tests/fakeagent/fakeagent >&2 || exit 1
SERATD=$B/seratd
FAKEAGENT=$B/tests/fakeagent/fakeagent
W=$(mktemp -d "${TMPDIR:-/tmp}/serat-lateness.XXXXXX")
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

free_port() {
	_p=$(( 30000 + ($$ * 13 + ${1:-0}) % 20000 ))
	while [ -n "$(ss -Hlun "sport = :$_p" 2>/dev/null)" ]; do _p=$((_p + 1)); done
	echo $_p
}
now() { date +%s.%N; }
wait_for() { # wait_for SECONDS CMD...
	_dl=$(( $(date +%s) + $1 )); shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge $_dl ] && return 1
		sleep 0.1
	done
}
agent() { # agent NAME BASE DEVICES PORTS
	"$FAKEAGENT" --port-base "$2" --devices "$3" --ports "$4" >"$W/$1.log" 2>&1 &
	PIDS="$PIDS $!"
	wait_for 20 grep -q '^ready' "$W/$1.log" || { echo "fake agent $1 did not start" >&2; exit 1; }
}
conf() { # conf FILE INTERVAL
	cat >"$1" <<-EOF
	data_dir: $W/data-$(basename "$1" .yaml)
	interval: $2
	log_level: info
	snmp: {version: 2c, community: public, timeout: 1s, retries: 1}
	poller: {max_in_flight: 64}
	rrd: {rras: ["$2:1h"]}
	sites:
	  - name: bench
	    kind: other
	    devices:
	EOF
}
dev() { # dev FILE NAME PORT [SNMP]
	echo "      - name: $2" >>"$1"
	echo "        address: 127.0.0.1:$3" >>"$1"
	[ -z "${4:-}" ] || echo "        snmp: $4" >>"$1"
}
polls() { # polls DATA_DIR DEVICE — completed polls per status.json
	python3 - "$1/status.json" "$2" <<-'PY' 2>/dev/null
	import json, sys
	for d in json.load(open(sys.argv[1]))["devices"]:
	    if d["name"] == sys.argv[2]: print(d["polls"])
	PY
}
polls_ge() { [ "$(polls "$1" "$2")" -ge "$3" ] 2>/dev/null; }
worst() { # worst LOG T0 T1 — worst lateness (ms) of the seconds ending in (T0, T1 + 1]
	awk -v a="$2" -v b="$3" '$1 > a && $1 <= b + 1 && $2 > w { w = $2 } END { printf "%.1f", w + 0 }' "$1"
}
seratd() { # seratd NAME CONF — start, set SPID
	"$SERATD" --config "$2" --foreground --no-store --lateness-log "$W/$1.lat" >"$W/$1.log" 2>&1 &
	SPID=$!
	PIDS="$PIDS $SPID"
}
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

big=$(free_port 0); silent=$(free_port 500)
agent big "$big" 200 50
agent silent "$silent" 20 8
export BENCH_V3_AUTH=bench-auth-1 BENCH_V3_PRIV=bench-priv-1

# (a) and (c): 200 devices x 50 ports = 10,000 interfaces, status.json
# written every 2 s interval.
conf "$W/big.yaml" 2s
i=0
while [ $i -lt 200 ]; do dev "$W/big.yaml" "sw-$i" $((big + i)); i=$((i + 1)); done
seratd big "$W/big.yaml"
wait_for 60 polls_ge "$W/data-big" sw-199 2 || { echo "seratd (big) did not poll" >&2; tail "$W/big.log" >&2; exit 1; }
t0=$(now); sleep "$SECONDS_WIN"; t1=$(now)
C=$(worst "$W/big.lat" "$t0" "$t1")
n=$(polls "$W/data-big" sw-0)
t0=$(now)
kill -HUP "$SPID"
wait_for 60 polls_ge "$W/data-big" sw-199 $((n + 2)) || echo "reload: polling did not resume" >&2
sleep 1
t1=$(now)
A=$(worst "$W/big.lat" "$t0" "$t1")
stop "$SPID"

# (b): 50 reachable devices, 20 SNMPv3 devices that never answer.
conf "$W/v3.yaml" 1s
i=0
while [ $i -lt 50 ]; do dev "$W/v3.yaml" "sw-$i" $((big + i)); i=$((i + 1)); done
i=0
while [ $i -lt 20 ]; do
	dev "$W/v3.yaml" "v3-$i" $((silent + i)) \
		"{version: 3, user: bench, auth_protocol: SHA, auth_password: env:BENCH_V3_AUTH, priv_protocol: AES, priv_password: env:BENCH_V3_PRIV}"
	i=$((i + 1))
done
seratd v3 "$W/v3.yaml"
wait_for 30 polls_ge "$W/data-v3" v3-19 1 || { echo "seratd (v3) did not poll" >&2; tail "$W/v3.log" >&2; exit 1; }
t0=$(now); sleep "$SECONDS_WIN"; t1=$(now)
Bf=$(worst "$W/v3.lat" "$t0" "$t1")
np=$(polls "$W/data-v3" sw-0)
stop "$SPID"

verdict() { awk -v v="$1" 'BEGIN { print (v <= 50 ? "met" : "MISSED") }'; }
printf '%-46s %10s %10s\n' "seratd loop: worst lateness of a 100 ms timer" measured target
printf '%-46s %7s ms %10s  %s\n' "(a) reload (SIGHUP), 200 devices" "$A" "<= 50 ms" "$(verdict "$A")"
printf '%-46s %7s ms %10s  %s\n' "(b) 20 silent SNMPv3 among 50 devices" "$Bf" "<= 50 ms" "$(verdict "$Bf")"
printf '%-46s %7s ms %10s  %s\n' "(c) status.json writes, 10,000 interfaces" "$C" "<= 50 ms" "$(verdict "$C")"
echo "(b: a reachable device completed $np polls by the end, at a 1 s interval)"
