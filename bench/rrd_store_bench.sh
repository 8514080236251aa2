#!/bin/sh
# rrd_store_bench.sh — run bench/rrd_store_bench with a private rrdcached.
#
# Usage (from a build directory, after `make bench/rrd_store_bench`):
#   ../bench/rrd_store_bench.sh [--files N] [--rounds R]
# Starts rrdcached in the foreground on a unix socket in a fresh temporary
# directory (timers long, so it only writes on FLUSH), runs the benchmark
# against that directory, stops rrdcached by PID and removes everything.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BENCH=${RRD_STORE_BENCH:-./bench/rrd_store_bench}
[ -x "$BENCH" ] || { echo "build it first: make bench/rrd_store_bench" >&2; exit 2; }
command -v rrdcached >/dev/null 2>&1 || { echo "rrdcached not installed" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/rrd_store_bench.XXXXXX")
mkdir -p "$T/data" "$T/journal"
rrdcached -g -l "unix:$T/sock" -B -b "$T/data" -j "$T/journal" \
	-p "$T/rrdcached.pid" -w 3600 -z 1 -f 7200 >"$T/rrdcached.log" 2>&1 &
pid=$!
cleanup() {
	kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

i=0
while [ ! -S "$T/sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -S "$T/sock" ] || { cat "$T/rrdcached.log" >&2; exit 1; }

"$BENCH" --dir "$T/data" --rrdcached "unix:$T/sock" "$@"
rc=$?
: "$here"
exit $rc
