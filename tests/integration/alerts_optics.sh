#!/bin/sh
# alerts_optics.sh — the OpticalDrift rule end to end: the fake agent's 48
# optical ports (--optics, profile juniper-dom), real seratd, a real HTTP
# receiver on loopback.
#   - steady levels raise no drift alert;
#   - SIGUSR1 steps every port's receive power 4 dB down: an up port
#     (Gi0/1) raises exactly one OpticalDrift alert, saying the level and
#     the median it is judged against;
#   - an empty cage (Gi0/2, no reading) and a down port (Gi0/7) raise none.
# drift_window is 10s here (for tests and labs): every poll is a sample of
# the median, which needs 6 before it judges.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
. "$top_srcdir/tests/alerts_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
plan 7; _planned=1

p=$(free_port)
fake_start optics "$p" 1 48 --optics --fault-devices 0 --down-every 7
recv_start hook
L=$RECV_LOG

C=$T/c.yaml
conf_begin "$C" 1s "profiles_dir: $top_srcdir/etc/profiles" "language: en" \
	"alerts: {group_window: 1s, drift: 3, drift_window: 10s}" \
	"channels:" \
	"  - {name: noc, type: webhook, url: \"http://127.0.0.1:$RECV_PORT/hook\"}"
conf_device "$C" sw "$p" "profile: juniper-dom"
bg_start "$T/seratd.log" "$SERATD" --config "$C" --foreground
seratd=$BG_PID
wait_until 30 polls_ge_now sw 2 || bail "seratd did not get going"

wait_polls sw 10               # the median has its history
is "$(n_alerts "$L" count --alertname OpticalDrift)" 0 "steady levels: no drift alert"

kill -USR1 "$FAKE_PID"
wait_until 30 alerts_ge 1 "$L" --alertname OpticalDrift --ifname Gi0/1 --status firing
ok $? "a port 4 dB below its median raises OpticalDrift"
wait_polls sw 5                # more bad polls, and the group window closed
is "$(n_alerts "$L" count --alertname OpticalDrift --ifname Gi0/1)" 1 "... exactly once"
like "$($ACHECK "$L" alerts --alertname OpticalDrift --ifname Gi0/1)" \
	"Gi0/1 on sw \(lab\) has drifted below its median.*rx -9\.37 dBm, median \(10s\) -5\.37 dBm: -4\.00 dB > 3 dB" \
	"the message says the port, the level, the median and its window"
is "$(n_alerts "$L" count --alertname OpticalDrift --ifname Gi0/2)" 0 "an empty cage raises none"
is "$(n_alerts "$L" count --alertname OpticalDrift --ifname Gi0/7)" 0 "a down port raises none"

kill -TERM $seratd; wait $seratd; rc=$?
is "$rc $(grep -c 'Sanitizer\|runtime error' "$T/seratd.log")" "0 0" \
	"seratd stops cleanly (no leak or error under the sanitizers)"
diag "$($ACHECK "$L" alerts --alertname OpticalDrift | head -3 | cut -c1-200)"
done_testing
