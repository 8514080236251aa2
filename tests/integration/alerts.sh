#!/bin/sh
# alerts.sh — the alert engine end to end: real seratd, real fake agents,
# a real HTTP receiver on loopback (Alertmanager webhook payloads):
#  - a device down for less than the hysteresis sends nothing;
#  - a device taken down gives one alert, and back, one recovery;
#  - a parent taken down with 10 children behind it gives one message naming
#    the parent and counting the children; no child alert, no child recovery;
#  - every root down: one "cannot reach" message, the others unknown (not
#    down) in the event store, and one recovery;
#  - a SIGHUP while the parent is down changes nothing of that;
#  - SIGKILL of seratd while a device is down, agent back, seratd started:
#    the recovery is sent, the alert is not sent again.
# Agents are frozen with SIGSTOP (no answer, as a cut fiber) and thawed
# with SIGCONT.  down_after is 3 here so that a freeze seen once in
# status.json is surely shorter than the hysteresis.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
. "$top_srcdir/tests/alerts_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
plan 22; _planned=1

p=$(free_udp_range 40)
fake_start core "$p" 1 4;               a_core=$FAKE_PID
fake_start kec "$((p + 10))" 1 4;       a_kec=$FAKE_PID
fake_start ngr "$((p + 20))" 10 4;      a_ngr=$FAKE_PID
fake_start solo "$((p + 40))" 1 4;      a_solo=$FAKE_PID
recv_start hook
L=$RECV_LOG

C=$T/c.yaml
alerts_webhook_conf "$C" "alerts: {group_window: 2s, down_after: 3, up_after: 1}"
{
	echo "  - {name: Diskominfo, kind: core, devices: [{name: core, address: \"127.0.0.1:$p\"}]}"
	echo "  - name: Kecamatan Koto Tangah"
	echo "    kind: kecamatan"
	echo "    devices: [{name: kec, address: \"127.0.0.1:$((p + 10))\", parent: core}]"
	echo "  - {name: Puskesmas Solok, kind: puskesmas, devices: [{name: solo, address: \"127.0.0.1:$((p + 40))\", parent: core}]}"
	echo "  - name: Nagari Batang Kabung"
	echo "    kind: nagari"
	echo "    devices:"
	for i in 0 1 2 3 4 5 6 7 8 9; do
		echo "      - {name: ngr-$i, address: \"127.0.0.1:$((p + 20 + i))\", parent: kec}"
	done
} >>"$C"

bg_start "$T/seratd.log" "$SERATD" --config "$C" --foreground
seratd=$BG_PID
wait_until 30 polls_ge_now ngr-9 2 || bail "seratd did not get going"
state_is() { [ "$(field "$1" state 2>/dev/null)" = "$2" ]; }

# ---- 1. shorter than the hysteresis: nothing
kill -STOP $a_solo
wait_until 10 state_is solo down; ok $? "a frozen agent is seen down by the collector"
kill -CONT $a_solo
wait_until 10 state_is solo up
wait_polls solo 5
is "$(n_alerts "$L" count --device solo)" 0 "a failure shorter than the hysteresis sends nothing"

# ---- 2. down, then up: one alert, one recovery
kill -STOP $a_solo
wait_until 20 alerts_ge 1 "$L" --device solo --status firing
ok $? "a device down past the hysteresis is announced"
kill -CONT $a_solo
wait_until 20 alerts_ge 1 "$L" --device solo --status resolved
ok $? "... and its recovery"
wait_polls solo 4
is "$(n_alerts "$L" count --device solo --status firing)" 1 "exactly one alert"
is "$(n_alerts "$L" count --device solo --status resolved)" 1 "exactly one recovery"
like "$($ACHECK "$L" alerts --device solo --status firing)" \
	"device solo \(Puskesmas Solok, puskesmas\) is unreachable.*dashboard: http://dashboard.test/device/solo" \
	"the message says what broke, where, and links the dashboard"

# ---- 3. a parent with 10 children behind it
kill -STOP $a_kec $a_ngr
wait_until 20 alerts_ge 1 "$L" --device kec --status firing
ok $? "the parent's outage is announced"
# A reload while it is down neither repeats the alert nor loses the
# recovery (the counts below would show either).
kill -HUP $seratd
wait_until 10 grep -q 'SIGHUP: reloading' "$T/seratd.log"
wait_polls core 8          # every child confirmed down and the window closed
is "$(n_alerts "$L" count --device kec --status firing)" 1 "one message for the parent"
like "$($ACHECK "$L" alerts --device kec --status firing)" "10 devices behind it are unreachable" \
	"... counting the 10 devices behind it"
is "$(n_alerts "$L" count --prefix ngr-)" 0 "no child alert reaches the receiver"
is "$(events_sql "select count(*) from state_changes where device like 'ngr-%' and to_state = 'down' and cause = 'kec'")" 10 \
	"the event store has each child down, caused by the parent"
kill -CONT $a_kec $a_ngr
wait_until 20 alerts_ge 1 "$L" --device kec --status resolved
ok $? "the parent's recovery is sent"
wait_polls core 5
is "$(n_alerts "$L" count --prefix ngr-)" 0 "... and no child recovery (they were never announced)"

# ---- 4. every root down
kill -STOP $a_core $a_kec $a_ngr $a_solo
wait_until 20 alerts_ge 1 "$L" --alertname CoreUnreachable --status firing
ok $? "every root down: a 'cannot reach' message"
wait_polls core 8
is "$(n_alerts "$L" count --alertname CoreUnreachable --status firing) $(n_alerts "$L" count --alertname DeviceDown --status firing)" \
	"1 2" "... once, and no device alert with it"
like "$($ACHECK "$L" alerts --alertname CoreUnreachable)" "serat cannot reach core: 12 devices unknown" \
	"the message counts the devices it cannot see"
is "$(events_sql "select to_state from state_changes where device = 'ngr-3' order by id desc limit 1")" unknown \
	"devices behind an unreachable core are unknown, not down, in the event store"
kill -CONT $a_core $a_kec $a_ngr $a_solo
wait_until 20 alerts_ge 1 "$L" --alertname CoreUnreachable --status resolved
ok $? "... and one recovery when the core answers again"

# ---- 5. SIGKILL while down; the recovery comes after the restart
wait_polls core 3
kill -STOP $a_solo
wait_until 20 alerts_ge 2 "$L" --device solo --status firing
kill -9 $seratd; wait $seratd 2>/dev/null
kill -CONT $a_solo
bg_start "$T/seratd2.log" "$SERATD" --config "$C" --foreground
seratd=$BG_PID
wait_until 30 alerts_ge 2 "$L" --device solo --status resolved
ok $? "a recovery after a restart is sent (the open incident was read back)"
wait_polls solo 4
is "$(n_alerts "$L" count --device solo --status firing)" 2 "... and the alert is not announced again"
kill -TERM $seratd; wait $seratd; rc=$?
is "$rc $(grep -c 'Sanitizer\|runtime error' "$T/seratd2.log")" "0 0" "seratd stops cleanly (no leak or error under the sanitizers)"
diag "$($ACHECK "$L" alerts | cut -c1-120)"
done_testing
