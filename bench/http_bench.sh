#!/bin/sh
# http_bench.sh — seratd's HTTP server against its floor, with wrk.
#
# Usage: bench/http_bench.sh BUILD_DIR [--duration SECONDS]
#
# Starts the fake agent (200 devices x 50 interfaces = 10,000) and seratd
# polling it every 60 s with RRD files in a scratch directory, waits for
# two polls, then for each endpoint runs wrk (1 thread, 8 connections) and
# reads seratd's CPU time from /proc before and after; the floor is
# bench/http_floor (libmicrohttpd on one epoll thread answering a fixed
# buffer of the same size as seratd's answer), measured in the same run.
# Prints one table: req/s and CPU us/request for seratd and the floor,
# and the ratio.  Targets: cached graph and overview >= 0.5 x the floor.
# Everything is on 127.0.0.1 and stopped by PID.  Never part of make check.
set -u
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [--duration S]" >&2; exit 2; }
B=$(cd "$1" && pwd) || exit 2
shift
DUR=5
[ "${1:-}" = --duration ] && DUR=$2
command -v wrk >/dev/null || { echo "wrk missing (apt-get install wrk)" >&2; exit 1; }
make -C "$B" -s seratd tests/fakeagent/fakeagent bench/http_floor >&2 || exit 1
T=$(mktemp -d)
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT INT TERM
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

abase=$(python3 -c 'import random; print(random.randint(30000, 50000))')
"$B/tests/fakeagent/fakeagent" --port-base "$abase" --devices 200 --ports 50 >"$T/fa.log" 2>&1 &
PIDS="$PIDS $!"
hport=$(port)
{
	echo "data_dir: $T/data"
	echo "interval: 60s"
	echo "http_listen: 127.0.0.1:$hport"
	echo "log_level: warning"
	echo "snmp: {version: 2c, community: public, timeout: 2s, retries: 1}"
	echo "sites:"
	for s in $(seq 0 19); do
		echo "  - name: site-$s"
		echo "    kind: $(echo core opd puskesmas nagari | cut -d' ' -f$((s % 4 + 1)))"
		echo "    devices:"
		for d in $(seq 0 9); do
			i=$((s * 10 + d))
			echo "      - {name: dev-$i, address: \"127.0.0.1:$((abase + i))\"}"
		done
	done
} >"$T/c.yaml"
"$B/seratd" --config "$T/c.yaml" --foreground >"$T/seratd.log" 2>&1 &
SPID=$!
PIDS="$PIDS $SPID"
URL="http://127.0.0.1:$hport"
echo "waiting for two polls of 10,000 interfaces ..." >&2
i=0
until [ "$(curl -s "$URL/metrics" | sed -n 's/^serat_polls_total //p')" -ge 400 ] 2>/dev/null &&
      [ "$(curl -s "$URL/metrics" | sed -n 's/^serat_devices{state="up"} //p')" = 200 ] &&
      [ -f "$T/data/rrd/dev-1/if/Gi0%2F1.rrd" ]; do
	i=$((i + 1)); [ $i -gt 3000 ] && { echo "seratd did not poll" >&2; exit 1; }
	sleep 0.1
done

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
# run PID URL [LUA] — prints "req/s us_cpu_per_req"
run() {
	c0=$(cpu "$1")
	if [ -n "${3:-}" ]; then out=$(wrk -t1 -c8 -d"${DUR}s" -s "$3" "$2" 2>&1)
	else out=$(wrk -t1 -c8 -d"${DUR}s" "$2" 2>&1); fi
	c1=$(cpu "$1")
	req=$(echo "$out" | awk '/requests in/ {print $1}')
	rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
	echo "$rps $(python3 -c "print(round(($c1 - $c0) / $hz * 1e6 / max($req, 1), 1))")"
}
cat >"$T/uncached.lua" <<'LUA'
-- a different width each request: a cache miss, a render every time
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/graph?device=dev-1&if=Gi0/1&kind=traffic&w=" .. (240 + n % 1700))
end
LUA
printf '%-22s %10s %10s %12s %12s %7s\n' endpoint bytes seratd_rps floor_rps "us/req(s/f)" ratio
for ep in "cached graph|/graph?device=dev-1&if=Gi0/1&kind=traffic" \
	  "uncached graph|/graph?device=dev-1&if=Gi0/1&kind=traffic&w=801|$T/uncached.lua" \
	  "overview|/" "api devices|/api/v1/devices" "metrics/interfaces|/metrics/interfaces"; do
	name=${ep%%|*}; rest=${ep#*|}; path=${rest%%|*}; lua=""
	[ "$rest" != "$path" ] && lua=${rest#*|}
	size=$(curl -s -o /dev/null -w '%{size_download}' "$URL$path")
	set -- $(run "$SPID" "$URL$path" "$lua")
	s_rps=$1 s_cpu=$2
	fport=$(port)
	"$B/bench/http_floor" "$fport" "$size" >"$T/floor.log" 2>&1 &
	FP=$!
	until grep -q ready "$T/floor.log" 2>/dev/null; do sleep 0.05; done
	set -- $(run "$FP" "http://127.0.0.1:$fport$path")
	kill "$FP"; wait "$FP" 2>/dev/null
	ratio=$(python3 -c "print(round(float('$s_rps') / max(float('$1'), 1e-9), 2))")
	printf '%-22s %10s %10s %12s %12s %7s\n' "$name" "$size" "$s_rps" "$1" "$s_cpu/$2" "$ratio"
done
