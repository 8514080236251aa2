#!/bin/sh
# alerts_flap.sh — flapping and maintenance windows:
#  - a device going down and up again and again gives its first alerts,
#    then ONE "flapping" message, then silence; once stable for the flap
#    window, one "stable again" message;
#  - `serat maint add` silences a device without a reload: down inside the
#    window, nothing is sent (the outage is still recorded); the window
#    removed with `serat maint remove` while it is still down, the alert
#    goes out, and its recovery after.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
. "$top_srcdir/tests/alerts_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
plan 11; _planned=1

p=$(free_udp_range 40)
fake_start core "$p" 1 4
fake_start flap "$((p + 10))" 1 4;     a_flap=$FAKE_PID
fake_start mnt "$((p + 20))" 1 4;      a_mnt=$FAKE_PID
recv_start hook
L=$RECV_LOG

C=$T/c.yaml
alerts_webhook_conf "$C" "alerts: {group_window: 0s, down_after: 1, up_after: 1, flap_changes: 4, flap_window: 20s}"
{
	echo "  - {name: Diskominfo, kind: core, devices: [{name: core, address: \"127.0.0.1:$p\"}]}"
	echo "  - name: OPD Dinas Kesehatan"
	echo "    kind: opd"
	echo "    devices:"
	echo "      - {name: flap, address: \"127.0.0.1:$((p + 10))\", parent: core}"
	echo "      - {name: mnt, address: \"127.0.0.1:$((p + 20))\", parent: core}"
} >>"$C"

bg_start "$T/seratd.log" "$SERATD" --config "$C" --foreground
wait_until 30 polls_ge_now mnt 2 || bail "seratd did not get going"
state_is() { [ "$(field "$1" state 2>/dev/null)" = "$2" ]; }

# ---- flapping: six outages in a row
for i in 1 2 3 4 5 6; do
	kill -STOP $a_flap; wait_until 20 state_is flap down
	kill -CONT $a_flap; wait_until 20 state_is flap up
done
wait_polls core 3
is "$(n_alerts "$L" count --alertname Flapping --status firing)" 1 "a flapping device gives one flapping message"
is "$(n_alerts "$L" count --device flap --alertname DeviceDown --status firing) $(n_alerts "$L" count --device flap --alertname DeviceDown --status resolved)" \
	"2 1" "... after its first changes, and nothing per flap after it"
like "$($ACHECK "$L" alerts --alertname Flapping)" "flap \(OPD Dinas Kesehatan\) is flapping" "... saying so"
wait_until 60 alerts_ge 1 "$L" --alertname Flapping --status resolved
ok $? "stable for the flap window: one 'stable again' message"
is "$(n_alerts "$L" count --device flap --alertname DeviceDown)" 3 "... and no late DeviceDown"

# ---- maintenance, added while seratd runs
id=$("$SERAT" maint add mnt --for 1h --reason "splicing" --config "$C")
ok $? "serat maint add"
"$SERAT" maint list --config "$C" >"$T/list"
like "$(cat "$T/list")" "^$id	mnt	.* WIB	.* WIB	cli	splicing$" "serat maint list shows it in local time"
wait_polls core 6           # the engine re-reads windows every 5 s
mnt_down() { [ "$(events_sql "select count(*) from state_changes where device = 'mnt' and to_state = 'down'")" -ge 1 ]; }
kill -STOP $a_mnt
wait_until 20 mnt_down
wait_polls core 3
is "$(n_alerts "$L" count --device mnt)" 0 "a device down inside a maintenance window sends nothing (its outage is recorded)"
"$SERAT" maint remove "$id" --config "$C"
wait_until 30 alerts_ge 1 "$L" --device mnt --status firing
ok $? "the window removed while it is still down: the alert goes out"
kill -CONT $a_mnt
wait_until 20 alerts_ge 1 "$L" --device mnt --status resolved
ok $? "... and its recovery"
"$SERAT" maint remove "$id" --config "$C" 2>"$T/err"; rc=$?
like "$rc $(cat "$T/err")" "^1 serat: no maintenance window $id" "removing it twice fails, clearly"
done_testing
