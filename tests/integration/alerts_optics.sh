#!/bin/sh
# alerts_optics.sh — the OpticalDrift rule end to end: the fake agent's 48
# optical ports (--optics, profile juniper-dom), real seratd, a real HTTP
# receiver on loopback.
#   - steady levels raise no drift alert;
#   - SIGUSR1 steps every port's receive power 4 dB down: an up port
#     (Gi0/1) raises exactly one OpticalDrift alert, saying the level and
#     the median it is judged against;
#   - an empty cage (Gi0/2, no reading) and a down port (Gi0/7) raise none;
#   - OpticalRxLow against the config's rx_low_alarm (-9 dBm): Gi0/1 at
#     -5.37 is fine, at -9.37 it fires once, naming the threshold's source;
#     the down port, below it too, does not.
# drift_window is 10s here (for tests and labs): every poll is a sample of
# the median, which needs 6 before it judges.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
. "$top_srcdir/tests/alerts_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
plan 10; _planned=1

p=$(free_port)
fake_start optics "$p" 1 48 --optics --fault-devices 0 --down-every 7
recv_start hook
L=$RECV_LOG

C=$T/c.yaml
conf_begin "$C" 1s "profiles_dir: $top_srcdir/etc/profiles" "language: en" \
	"alerts: {group_window: 1s, drift: 3, drift_window: 10s}" \
	"channels:" \
	"  - {name: noc, type: webhook, url: \"http://127.0.0.1:$RECV_PORT/hook\"}"
conf_device "$C" sw "$p" "profile: juniper-dom" "optics_thresholds: {rx_low_alarm: -9}"
bg_start "$T/seratd.log" "$SERATD" --config "$C" --foreground
seratd=$BG_PID
wait_until 30 polls_ge_now sw 2 || bail "seratd did not get going"

wait_polls sw 10               # the median has its history
is "$(n_alerts "$L" count --alertname OpticalDrift)" 0 "steady levels: no drift alert"
is "$(n_alerts "$L" count --alertname OpticalRxLow --ifname Gi0/1)" 0 "Gi0/1 above its floor: no OpticalRxLow"

kill -USR1 "$FAKE_PID"
wait_until 30 alerts_ge 1 "$L" --alertname OpticalDrift --ifname Gi0/1 --status firing
ok $? "a port 4 dB below its median raises OpticalDrift"
wait_polls sw 5                # more bad polls, and the group window closed
is "$(n_alerts "$L" count --alertname OpticalDrift --ifname Gi0/1)" 1 "... exactly once"
like "$($ACHECK "$L" alerts --alertname OpticalDrift --ifname Gi0/1)" \
	"Gi0/1 on sw \(lab\) has drifted below its median.*rx -9\.37 dBm, median \(10s\) -5\.37 dBm: -4\.00 dB > 3 dB" \
	"the message says the port, the level, the median and its window"
is "$(n_alerts "$L" count --alertname OpticalDrift --ifname Gi0/2)" 0 "an empty cage raises none"
is "$(n_alerts "$L" count --alertname OpticalDrift --ifname Gi0/7)$(n_alerts "$L" count --alertname OpticalRxLow --ifname Gi0/7)" 00 "a down port raises none"
is "$(n_alerts "$L" count --alertname OpticalRxLow --ifname Gi0/1 --status firing)" 1 \
	"Gi0/1 below the configured low alarm: one OpticalRxLow"
like "$($ACHECK "$L" alerts --alertname OpticalRxLow --ifname Gi0/1)" \
	"Gi0/1 on sw \(lab\) is below its low alarm.*rx -9\.37 dBm < low_alarm -9\.00 dBm \(config\)" \
	"... naming the level, the threshold and its source"

kill -TERM $seratd; wait $seratd; rc=$?
is "$rc $(grep -c 'Sanitizer\|runtime error' "$T/seratd.log")" "0 0" \
	"seratd stops cleanly (no leak or error under the sanitizers)"
diag "$($ACHECK "$L" alerts --alertname OpticalDrift | head -3 | cut -c1-200)"
done_testing
