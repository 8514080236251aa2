#!/bin/sh
# seratd_rrdcached.sh — seratd configured with `rrd: {rrdcached: unix:…}`
# writes every sample through a real rrdcached: the daemon's journal holds
# the updates, and after seratd exits (it asks rrdcached to FLUSH) the RRD
# files hold rates within 2 % of the fake agent's truth.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
command -v rrdcached >/dev/null 2>&1 || skip_all "rrdcached not installed"
command -v rrdtool >/dev/null || skip_all "rrdtool (CLI, used to read RRDs back) missing"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
plan 7

mkdir -p "$T/journal"
SOCK="$T/rrdcached.sock"
# Long timers: nothing reaches the files unless serat asks for a FLUSH.
bg_start "$T/rrdcached.log" rrdcached -g -l "unix:$SOCK" -j "$T/journal" \
	-p "$T/rrdcached.pid" -w 3600 -z 1 -f 7200
RRDCACHED_PID=$BG_PID
rrdcached_ready() {
	[ -S "$SOCK" ] && python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' "$SOCK"
}
wait_until 10 rrdcached_ready
ok $? "rrdcached listens on its unix socket"

p=$(free_port)
fake_start fa "$p" 1 8
conf_begin "$T/c.yaml" 1s
sed -i "s|^rrd:|rrd:\n  rrdcached: unix:$SOCK|" "$T/c.yaml"
conf_device "$T/c.yaml" sw-0 "$p"

"$SERATD" --config "$T/c.yaml" --cycles 5 >"$T/seratd.log" 2>&1
ok $? "seratd --cycles 5 through rrdcached exits 0"

# rrdcached's own count: 5 cycles x (8 interfaces + the device file).
received=$(python3 - "$SOCK" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b"STATS\n")
f = s.makefile("r")
for _ in range(int(f.readline().split()[0])):
    k, v = f.readline().split(":", 1)
    if k.strip() == "UpdatesReceived": print(v.strip())
PY
)
is "$received" 45 "rrdcached received every update: 5 cycles x 9 files"

status_json "$T/c.yaml"
res=$($RATECHECK compare "$T/status.json" "$T/fa.truth" --prefix sw- --source rrd)
set -- $res
is "$1" 16 "every interface has an RRD file on disk after seratd exits (8 x in, out)"
is "$2" 0 "the flushed files hold rates within 2 % of the truth"

# ---- The BATCH client against this rrdcached: refused commands are told
# apart from accepted ones in one BATCH (tests/unit/test_rrdcached_batch).
TMPDIR="$T" RRDCACHED_ADDRESS="unix:$SOCK" CMOCKA_MESSAGE_OUTPUT=TAP \
	"$top_builddir/tests/unit/test_rrdcached_batch" >"$T/batch.out" 2>&1
rc=$?
sed 's/^/# /' "$T/batch.out"
is "$rc" 0 "rrdcached_batch against the real rrdcached (per-command errors, unreachable daemon)"

# ---- rrdcached goes away and comes back while seratd runs: the updates
# queued meanwhile arrive afterwards, with no gap.
rm -rf "$T/data"
bg_start "$T/seratd-live.log" "$SERATD" --config "$T/c.yaml" --foreground
live=$BG_PID
wait_until 20 polls_ge sw-0 3
kill -TERM "$RRDCACHED_PID"; wait "$RRDCACHED_PID" 2>/dev/null
t_gone=$(date +%s)
wait_until 20 polls_ge sw-0 7      # four polls with no rrdcached
bg_start "$T/rrdcached2.log" rrdcached -g -l "unix:$SOCK" -j "$T/journal" \
	-p "$T/rrdcached.pid" -w 3600 -z 1 -f 7200
RRDCACHED_PID=$BG_PID
wait_until 10 rrdcached_ready
n=$(field sw-0 polls)
wait_until 20 polls_ge sw-0 $((n + 4))  # reconnected (back-off is 1 s, 2 s, ...)
kill -TERM "$live"; wait "$live"
t_end=$(date +%s)
gap=$(py "$ST" "$t_gone" <<'PY'
import json, subprocess, sys
d = json.load(open(sys.argv[1]))["devices"][0]
i = [i for i in d["interfaces"] if i["oper"] == "up"][-1]
t0 = int(sys.argv[2])
out = subprocess.run(["rrdtool", "fetch", i["rrd"], "AVERAGE", "-r", "1",
                      "-s", str(t0 - 2), "-e", str(t0 + 4)],
                     capture_output=True, text=True).stdout.split("\n")
names = out[0].split()
vals = [float(l.split(":")[1].split()[names.index("in")]) for l in out[2:] if ":" in l]
print(sum(1 for v in vals if v != v), len(vals))
PY
)
set -- $gap
is "$1" 0 "the samples taken while rrdcached was away were delivered later: no gap ($2 steps checked)"
