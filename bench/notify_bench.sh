#!/bin/sh
# notify_bench.sh — alert delivery and its cost to polling.
#
# Usage: bench/notify_bench.sh BUILD_DIR [--n N] [--skip-seratd]
#
#  1. N (1,000) notifications queued at once through seratd's notifier
#     (bench/notify_bench: spool with fsync on the worker, libcurl multi on
#     libevent) to a loopback receiver (tests/alert_receiver.py): drain time
#     and CPU, with every request accepted and with every other one
#     refused (500); side by side with the naive peer, a shell loop of
#     curl(1) POSTs (one process and connection per notification, no spool);
#  2. seratd polling 200 steady devices while 500 others go down at once
#     (a burst of DeviceDown alerts), with and without a channel: the
#     cycle span of the steady devices (first to last poll of a cycle,
#     from status.json) quiet and during the burst — target: within 5 %;
#  3. time from an agent stopping to the receiver getting the alert,
#     against the hysteresis (down_after x interval) — target: no more
#     than one interval late.
#
# Everything runs on 127.0.0.1, started and stopped by PID; never part of
# `make check`.  Figures: bench/README.md.
set -u
usage() { echo "usage: $0 BUILD_DIR [--n N] [--skip-seratd]" >&2; exit 2; }
[ $# -ge 1 ] || usage
B=$(cd "$1" && pwd) || usage
shift
N=1000 SKIP_SERATD=0
while [ $# -gt 0 ]; do
	case $1 in
	--n) N=$2; shift ;;
	--skip-seratd) SKIP_SERATD=1 ;;
	*) usage ;;
	esac
	shift
done
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
make -C "$B" -s seratd tests/fakeagent/fakeagent bench/notify_bench >&2 || exit 1
SERATD=$B/seratd FAKEAGENT=$B/tests/fakeagent/fakeagent NB=$B/bench/notify_bench
RECV="python3 $top/tests/alert_receiver.py"
command -v curl >/dev/null || echo "curl(1) missing: no peer column" >&2

T=$(mktemp -d "${TMPDIR:-/var/tmp}/notify_bench.XXXXXX")
PIDS=""
cleanup() {
	for _p in $PIDS; do kill "$_p" 2>/dev/null; kill -CONT "$_p" 2>/dev/null; wait "$_p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# recv NAME ARGS... -> sets PORT (and adds the PID)
recv() {
	_n=$1; shift
	$RECV --log "$T/$_n.jsonl" "$@" >"$T/$_n.out" 2>&1 &
	PIDS="$PIDS $!"
	_i=0
	while ! grep -q '^ready' "$T/$_n.out" 2>/dev/null; do
		sleep 0.05; _i=$((_i + 1)); [ $_i -lt 200 ] || { echo "receiver $_n did not start" >&2; exit 1; }
	done
	PORT=$(awk '/^ready/ {print $2}' "$T/$_n.out")
}

echo "== 1. $N notifications queued at once (spool in $T, on $(df -T "$T" | awk 'NR==2 {print $2}'))"
recv ok;   OKP=$PORT
recv half --fail-every 2;  HALFP=$PORT
set -- $("$NB" --url "http://127.0.0.1:$OKP/hook" --n "$N" --spool "$T/spool1")
printf '  %-34s drain %7.2f s   CPU %6.0f us/notification   (%s attempts)\n' \
	"seratd notifier, none failing" "$6" "${12}" "$4"
set -- $("$NB" --url "http://127.0.0.1:$HALFP/hook" --n "$N" --spool "$T/spool2")
printf '  %-34s drain %7.2f s (99%% in %.2f s)   CPU %6.0f us/notification   (%s attempts)\n' \
	"seratd notifier, half failing" "$6" "$8" "${12}" "$4"
if command -v curl >/dev/null; then
	python3 - "$OKP" "$N" "$T" <<'PY'
import json, os, resource, subprocess, sys, time
port, n, t = sys.argv[1], int(sys.argv[2]), sys.argv[3]
body = os.path.join(t, "body.json")
open(body, "w").write(json.dumps({"version": "4", "status": "firing", "alerts": [{"labels": {"alertname": "DeviceDown"}}]}) * 1)
r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
w0 = time.monotonic()
for i in range(n):
    subprocess.run(["curl", "-s", "-o", "/dev/null", "-H", "Content-Type: application/json",
                    "--data-binary", "@" + body, "http://127.0.0.1:%s/hook" % port], check=True)
w = time.monotonic() - w0
r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
print("  %-34s drain %7.2f s   CPU %6.0f us/notification   (no spool, no retry)" % ("peer: curl(1) loop, none failing", w, cpu * 1e6 / n))
PY
fi

[ "$SKIP_SERATD" = 1 ] && exit 0

# ---- 2. polling during a burst of alerts
base=$(python3 -c 'import random; print(random.randint(20000, 40000))')
"$FAKEAGENT" --port-base "$base" --devices 200 --ports 8 >"$T/steady.log" 2>&1 & PIDS="$PIDS $!"
"$FAKEAGENT" --port-base "$((base + 1000))" --devices 500 --ports 1 >"$T/leaf.log" 2>&1 & LEAF=$!; PIDS="$PIDS $LEAF"
"$FAKEAGENT" --port-base "$((base + 2000))" --devices 1 --ports 1 >"$T/probe.log" 2>&1 & PROBE=$!; PIDS="$PIDS $PROBE"
sleep 1
conf() { # conf FILE CHANNELS(0|1) INTERVAL
	{
		echo "data_dir: $T/data-$2"
		echo "interval: $3"
		echo "log_level: warning"
		echo "http_listen: 127.0.0.1:$((base + 3000 + $2))"
		echo "snmp: {version: 2c, community: public, timeout: 500ms, retries: 0}"
		echo "poller: {max_in_flight: 1024}"
		echo "alerts: {group_window: 0s}"
		[ "$2" = 1 ] && echo "channels: [{name: noc, type: webhook, url: \"http://127.0.0.1:$OKP/hook\"}]"
		echo "sites:"
		echo "  - name: core"
		echo "    kind: core"
		echo "    devices:"
		for i in $(seq 0 199); do echo "      - {name: s$i, address: \"127.0.0.1:$((base + i))\"}"; done
		echo "  - name: nagari"
		echo "    kind: nagari"
		echo "    devices:"
		for i in $(seq 0 499); do echo "      - {name: l$i, address: \"127.0.0.1:$((base + 1000 + i))\", parent: s$((i % 200))}"; done
		echo "      - {name: probe, address: \"127.0.0.1:$((base + 2000))\", parent: s0}"
	} >"$1"
}
# spans FILE CYCLES -> the cycle span of the steady devices in each of the
# next CYCLES status.json snapshots, median.
spans() {
	python3 - "$1" "$2" <<'PY'
import json, os, sys, time
path, n = sys.argv[1], int(sys.argv[2])
seen, out = None, []
deadline = time.time() + n * 10 + 30
while len(out) < n and time.time() < deadline:
    try:
        st = json.load(open(path))
    except (OSError, ValueError):
        time.sleep(0.1); continue
    if st["generated"] != seen:
        seen = st["generated"]
        lp = [d["last_poll"] for d in st["devices"] if d["name"].startswith("s") and d["last_poll"]]
        if lp: out.append(max(lp) - min(lp))
    time.sleep(0.1)
out.sort()
print("%.3f" % out[len(out) // 2] if out else "nan")
PY
}
echo "== 2. cycle span of 200 steady devices (8 ports), interval 2 s, 500 others down at once"
for ch in 0 1; do
	conf "$T/c$ch.yaml" $ch 2s
	"$SERATD" --config "$T/c$ch.yaml" --foreground --no-store >"$T/seratd$ch.log" 2>&1 & S=$!; PIDS="$PIDS $S"
	ST=$T/data-$ch/status.json
	spans "$ST" 3 >/dev/null           # warm up
	quiet=$(spans "$ST" 5)
	n0=$(wc -l <"$T/ok.jsonl")
	kill -STOP $LEAF
	burst=$(spans "$ST" 5)
	n1=$(wc -l <"$T/ok.jsonl")
	kill -CONT $LEAF
	spans "$ST" 3 >/dev/null
	kill $S; wait $S 2>/dev/null
	python3 - "$ch" "$quiet" "$burst" "$((n1 - n0))" <<'PY'
import sys
ch, q, b, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
label = "with a webhook channel" if ch == "1" else "no channel (engine idle)"
print("  %-26s quiet %.3f s   burst %.3f s   (%+.1f %%; target within 5 %%: %s)   %d requests sent"
      % (label, q, b, (b / q - 1) * 100, "met" if b <= q * 1.05 else "MISSED", n))
PY
done

# ---- 3. agent stop -> alert, against the hysteresis
echo "== 3. agent stopped -> alert received (interval 2 s, down_after 2)"
conf "$T/c3.yaml" 1 2s
"$SERATD" --config "$T/c3.yaml" --foreground --no-store >"$T/seratd3.log" 2>&1 & S=$!; PIDS="$PIDS $S"
spans "$T/data-1/status.json" 3 >/dev/null
for k in 1 2 3; do
	: >"$T/ok.jsonl"
	t0=$(date +%s.%N)
	kill -STOP $PROBE
	python3 - "$T/ok.jsonl" "$t0" <<'PY'
import json, sys, time
log, t0 = sys.argv[1], float(sys.argv[2])
deadline = time.time() + 30
while time.time() < deadline:
    for l in open(log):
        r = json.loads(l)
        if '"probe"' in r["body"] and '"firing"' in r["body"]:
            lat = r["t"] - t0
            print("  stop -> alert %.2f s; hysteresis 2 x 2 s = 4 s; late by %.2f s (target <= 2 s: %s)"
                  % (lat, lat - 4, "met" if lat - 4 <= 2 else "MISSED"))
            sys.exit(0)
    time.sleep(0.05)
print("  no alert within 30 s: MISSED")
PY
	kill -CONT $PROBE
	sleep 5
done
kill $S; wait $S 2>/dev/null
