#!/bin/sh
# schedule.sh — how seratd schedules and what it does as tables change:
#  - many devices are polled at once, up to poller.max_in_flight: slow
#    devices that fit the interval together overrun with a bound of 1;
#  - turns are spread over poller.spread, not fired together at second 0;
#  - interfaces that disappear from a device are dropped, and come back
#    (with a rate) when they reappear.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
plan 6

p=$(free_port)
fake_start slow "$p" 5 4 --delay-ms 400

# overruns CONF — total overruns over all devices after the run
overruns() {
	status_json "$1"
	py "$T/status.json" <<'PY'
import json, sys
print(sum(d["overruns"] for d in json.load(open(sys.argv[1]))["devices"]))
PY
}
for bound in 5 1; do
	conf_begin --data "$T/data-b$bound" "$T/b$bound.yaml" 1s \
		"poller: {max_in_flight: $bound, spread: 100ms}"
	for i in 0 1 2 3 4; do conf_device "$T/b$bound.yaml" "d$i" $((p + i)); done
	"$SERATD" --config "$T/b$bound.yaml" --cycles 3 >"$T/b$bound.log" 2>&1
done
is "$(overruns "$T/b5.yaml")" 0 "5 devices answering in 400 ms, 5 in flight: every turn polled (no overrun)"
like "$(overruns "$T/b1.yaml")" "^[1-9]" "the same with max_in_flight 1: polls wait their turn and overrun"

# Spread: with interval 4 s and spread 2 s, the 5 first polls end ~0.5 s apart.
fake_start quick "$((p + 10))" 5 4
conf_begin --data "$T/data-s" "$T/s.yaml" 4s "poller: {spread: 2s}"
for i in 0 1 2 3 4; do conf_device "$T/s.yaml" "q$i" $((p + 10 + i)); done
"$SERATD" --config "$T/s.yaml" --cycles 1 >"$T/s.log" 2>&1
status_json "$T/s.yaml"
spread=$(py "$T/status.json" <<'PY'
import json, sys
t = sorted(d["last_poll"] for d in json.load(open(sys.argv[1]))["devices"])
print("%.2f" % (t[-1] - t[0]))
PY
)
ok "$(py "$spread" <<'PY'
import sys; print(0 if 1.4 <= float(sys.argv[1]) <= 2.2 else 1)
PY
)" "turns are spread over poller.spread: first polls end $spread s apart (expected ~1.6 s)"

# Interfaces come and go: the agent restarts with fewer ports, then more.
fake_start grow "$((p + 20))" 1 8; pid=$FAKE_PID
conf_begin --data "$T/data-g" "$T/g.yaml" 1s
conf_device "$T/g.yaml" g0 "$((p + 20))"
bg_start "$T/g.log" "$SERATD" --config "$T/g.yaml" --foreground
seratd=$BG_PID
count() {
	py "$T/data-g/status.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
print(len(d["interfaces"]), sum(1 for i in d["interfaces"] if i["in_bps"] is not None))
PY
}
has() { [ "$(count 2>/dev/null)" = "$1" ]; }
wait_until 15 has "8 8"
bg_stop "$pid"
fake_start grow "$((p + 20))" 1 6; pid=$FAKE_PID
wait_until 15 has "6 6"
ok $? "ports that disappear are dropped ($(count) interfaces, with rates)"
bg_stop "$pid"
fake_start grow "$((p + 20))" 1 8
wait_until 15 has "8 8"
ok $? "ports that reappear are polled again with rates ($(count))"
like "$(grep -c 'interface Gi0/[78] is gone' "$T/g.log")" "^2$" "each disappearance is logged once"
kill -TERM "$seratd"; wait "$seratd"
