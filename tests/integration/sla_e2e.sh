#!/bin/sh
# sla_e2e.sh — the SLA report's acceptance test, end to end: a real seratd
# (1 s interval) polls a fake agent and writes its event store; the agent is
# frozen (SIGSTOP: no answer, as a cut fiber) for a known time STOP and
# thawed; then `serat report sla --month <this month> --format json` must
# show for that device exactly one outage whose duration is STOP to within
# one poll interval (plus 1 s: the report counts whole seconds), and the
# availability computed from it over the known time as docs/sla.md defines
# it: (known - downtime) / known, floored to 3 decimals.
#
# The event store's reachability records come from the alert engine's
# DeviceDown rule, which runs only when the config has channels: a webhook
# to a loopback receiver is configured for that.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
. "$top_srcdir/tests/alerts_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
[ -x "$SERAT" ] || skip_all "serat not built"
plan 9; _planned=1

STOP=8
p=$(free_udp_range 4)
fake_start lab "$p" 1 2; agent=$FAKE_PID
# A second root device that stays up: with the only root down, the alert
# engine could not tell an outage from its own blindness (docs/alerts.md).
fake_start core "$((p + 2))" 1 2
recv_start hook
C=$T/c.yaml
alerts_conf "$C" "timezone: Asia/Jakarta" "alerts: {group_window: 2s}"
{
	echo "channels:"
	echo "  - {name: noc, type: webhook, url: \"http://127.0.0.1:$RECV_PORT/hook\"}"
	echo "sites:"
	echo "  - {name: Diskominfo, kind: core, devices: [{name: core, address: \"127.0.0.1:$((p + 2))\"}]}"
	echo "  - {name: Puskesmas Lab, kind: puskesmas, devices: [{name: pkm, address: \"127.0.0.1:$p\"}]}"
} >>"$C"
month=$(TZ=Asia/Jakarta date +%Y-%m)

bg_start "$T/seratd.log" "$SERATD" --config "$C" --foreground
seratd=$BG_PID
wait_until 30 polls_ge_now pkm 3 || bail "seratd did not get going"

now() { python3 -c 'import time; print("%.3f" % time.time())'; }
t_ready=$(now)
t_stop=$(now)
kill -STOP $agent
# The freeze lasts STOP seconds by the clock (down_after is 2 polls, so
# the outage is confirmed well before); sleeping here is the measured quantity,
# not a synchronisation.
python3 -c "import time; time.sleep(max(0.0, $t_stop + $STOP - time.time()))"
t_cont=$(now)
kill -CONT $agent
wait_until 30 alerts_ge 1 "$RECV_LOG" --device pkm --status resolved
ok $? "the outage was seen by the alert engine and is over"
wait_polls pkm 3
kill -TERM $seratd; wait $seratd; rc=$?
is "$rc $(grep -c 'Sanitizer\|runtime error' "$T/seratd.log")" "0 0" "seratd stops cleanly"
[ "$(TZ=Asia/Jakarta date +%Y-%m)" = "$month" ] || skip_all "the month changed during the test"

"$SERAT" report sla --config "$C" --month "$month" --format json --out "$T/r.json" 2>"$T/err"
is "$?:$(cat "$T/err")" "0:" "serat report sla --format json: exit 0, nothing on stderr"

# One line per check, from the report and the measured freeze.
py "$T/r.json" "$t_stop" "$t_cont" "$t_ready" <<'PY' >"$T/checks"
import json, sys
from datetime import datetime
r = json.load(open(sys.argv[1]))
stop = float(sys.argv[3]) - float(sys.argv[2])
site = [s for s in r["sites"] if s["name"] == "Puskesmas Lab"][0]
dev = [d for d in site["devices"] if d["name"] == "pkm"][0]
outs = [o for o in site["outages"] if o["device"] == "pkm"]
print("outages", len(outs))
o = outs[0] if outs else {"duration_s": -1, "start": None, "end": None}
d = o["duration_s"]
# within one poll interval (1 s), plus 1 s for the whole seconds
print("duration", "ok" if abs(d - stop) <= 2 else "%s vs %.3f" % (d, stop))
iso = lambda s: datetime.fromisoformat(s).timestamp()
span = iso(o["end"]) - iso(o["start"]) if o["start"] else -1
print("span", "ok" if span == d else "%s vs %s" % (span, d))
period = iso(dev["period_end"]) - iso(dev["period_start"])
# The device was polled (and up) before the outage: that time is known.
print("watched", "ok" if iso(dev["period_start"]) <= float(sys.argv[4])
      else "period starts %s, polled since %s" % (dev["period_start"], sys.argv[4]))
print("known", "ok" if dev["known_s"] + dev["unknown_s"] == period and dev["known_s"] > 0
      else "%s + %s != %s" % (dev["known_s"], dev["unknown_s"], period))
k, down = dev["known_s"], dev["downtime_s"]
want = (k - down) * 100000 // k / 1000.0
print("avail", "ok" if down == d and dev["availability_seen_pct"] == want
      and dev["availability_pct"] == want and site["availability_pct"] == want
      else "down %s seen %s contract %s site %s want %s" % (down, dev["availability_seen_pct"],
      dev["availability_pct"], site["availability_pct"], want))
PY
is "$(awk '$1 == "outages" {print $2}' "$T/checks")" 1 "the report shows exactly one outage for the device"
is "$(awk '$1 == "duration" {$1 = ""; print}' "$T/checks")" " ok" \
	"... as long as the agent was stopped, to within one poll interval"
is "$(awk '$1 == "span" {$1 = ""; print}' "$T/checks")" " ok" "... its start and end agree with its duration"
is "$(awk '$1 == "watched" {$1 = ""; print}' "$T/checks")" " ok" \
	"the time the device was polled up before the outage is in its period"
is "$(awk '$1 == "known" {$1 = ""; print}' "$T/checks")" " ok" \
	"known + unknown time is the device's period"
is "$(awk '$1 == "avail" {$1 = ""; print}' "$T/checks")" " ok" \
	"availability is (known - downtime) / known, floored, from that outage"
diag "$(cut -c1-600 "$T/r.json")"
done_testing
