#!/bin/sh
# seratd.sh — the daemon's skeleton: usage and exit codes, a bad config
# named FILE:LINE:COL, --cycles, the pidfile, SIGTERM, SIGHUP (a good
# config is swapped in, a bad one rejected with the old one kept).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
plan 18

base=$(free_port)
fake_start fa "$base" 2 4

"$SERATD" --help >"$T/help" 2>&1
ok $? "--help exits 0"
"$SERATD" >/dev/null 2>&1
is $? 2 "no --config is a usage error (2)"

printf 'data_dir: %s\ninterval: 1s\nbogus_key: 1\n' "$T/data" >"$T/bad.yaml"
"$SERATD" --config "$T/bad.yaml" --foreground >"$T/bad.out" 2>&1
is $? 1 "a bad config exits 1"
like "$(cat "$T/bad.out")" "bad.yaml:3:1: .*bogus_key" "the error names FILE:LINE:COL and the key"

conf_begin "$T/one.yaml" 1s
conf_device "$T/one.yaml" sw-a "$base"
"$SERATD" --config "$T/one.yaml" --cycles 2 >"$T/cycles.out" 2>&1
ok $? "--cycles 2 runs and exits 0"
status_json "$T/one.yaml"
is "$(py "$T/status.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["devices"]
print(",".join("%s:%s:%d" % (x["name"], x["state"], x["polls"]) for x in d))
PY
)" "sw-a:up:2" "status after --cycles 2: one device, up, polled twice"

# A running daemon: pidfile, SIGHUP with a good and with a bad config.
cp "$T/one.yaml" "$T/live.yaml"
bg_start "$T/live.log" "$SERATD" --config "$T/live.yaml" --foreground --pidfile "$T/seratd.pid"
pid=$BG_PID
wait_until 10 test -s "$T/seratd.pid"
is "$(cat "$T/seratd.pid" 2>/dev/null)" "$pid" "the pidfile holds the daemon's PID"
wait_until 10 grep -q '"polls":[1-9]' "$T/data/status.json" || true

conf_device "$T/live.yaml" sw-b $((base + 1))
kill -HUP "$pid"
two_devices() {
	py "$T/data/status.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["devices"]
sys.exit(0 if len(d) == 2 and all(x["state"] == "up" for x in d) else 1)
PY
}
# status.json is rewritten once per interval while running.
wait_until 15 two_devices
ok $? "SIGHUP with a good config: the new device is polled"

echo "interval: [not a duration" >>"$T/live.yaml"
kill -HUP "$pid"
wait_until 10 grep -q "reload rejected" "$T/live.log"
ok $? "SIGHUP with a bad config is rejected and logged"
like "$(grep 'live.yaml:' "$T/live.log" | head -1)" "live.yaml:[0-9]+:[0-9]+:" "the rejected config's error names FILE:LINE:COL"
kill -0 "$pid" 2>/dev/null
ok $? "seratd still runs with the old config"

kill -TERM "$pid"
wait "$pid"
is $? 0 "SIGTERM stops seratd with exit 0"
test ! -e "$T/seratd.pid"
ok $? "the pidfile is removed at exit"

# As a daemon: detaches (the command returns 0 at once), keeps running with
# a relative config path and a relative data_dir meaning what they meant
# where it started, and stops on SIGTERM sent to the PID in its pidfile.
mkdir -p "$T/d"
sed "s|^data_dir: .*|data_dir: rel-data|" "$T/one.yaml" >"$T/d/rel.yaml"
(cd "$T/d" && "$SERATD" --config rel.yaml --pidfile "$T/d/seratd.pid")
is $? 0 "without --foreground seratd detaches and the command exits 0"
wait_until 10 test -s "$T/d/rel-data/status.json"
ok $? "the daemon writes status.json under the relative data_dir, resolved where it started"
dpid=$(cat "$T/d/seratd.pid" 2>/dev/null)
kill -0 "$dpid" 2>/dev/null
ok $? "the pidfile names the running daemon"
conf_device "$T/d/rel.yaml" sw-b $((base + 1))
kill -HUP "$dpid"
two_in() {
	py "$T/d/rel-data/status.json" <<'PY'
import json, sys
sys.exit(0 if len(json.load(open(sys.argv[1]))["devices"]) == 2 else 1)
PY
}
wait_until 15 two_in
ok $? "SIGHUP re-reads the config by the relative name it was started with"
kill -TERM "$dpid"
wait_until 10 test ! -e "$T/d/seratd.pid"
ok $? "SIGTERM to the daemon stops it and removes its pidfile"
