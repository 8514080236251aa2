#!/bin/sh
# alerts_delivery.sh — nothing lost, nothing doubled, polling never waits:
#  - a receiver failing every other request: every notification arrives
#    (retried with the same Idempotency-Key), no key succeeds twice;
#  - a receiver down (503) while alerts fire, seratd SIGKILLed with them in
#    the spool, started again, receiver back: every one arrives, from the
#    spool, once; the recovery of an alert from before the kill is sent;
#  - a receiver that never answers (on a second channel) delays neither the
#    other channel nor polling: every device's turn keeps its schedule.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
. "$top_srcdir/tests/alerts_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
plan 13; _planned=1

p=$(free_udp_range 40)
fake_start core "$p" 1 4
fake_start leaf "$((p + 10))" 6 4;     a_leaf=$FAKE_PID
recv_start flaky --fail-every 2 --fail-while "$T/down"
L=$RECV_LOG
recv_start hung --hang-while "$T/hang"
H=$RECV_LOG HUNG_PORT=$RECV_PORT

C=$T/c.yaml
alerts_conf "$C" "alerts: {group_window: 0s, down_after: 2, up_after: 1, timeout: 60s}"
{
	echo "channels:"
	echo "  - {name: noc, type: webhook, url: \"http://127.0.0.1:$(awk '/^ready/ {print $2}' "$T/flaky.out")/hook\"}"
	echo "  - {name: slow, type: slack, url: \"http://127.0.0.1:$HUNG_PORT/hook\"}"
	echo "sites:"
	echo "  - {name: Diskominfo, kind: core, devices: [{name: core, address: \"127.0.0.1:$p\"}]}"
	echo "  - name: Nagari"
	echo "    kind: nagari"
	echo "    devices:"
	for i in 0 1 2 3 4 5; do
		echo "      - {name: leaf-$i, address: \"127.0.0.1:$((p + 10 + i))\", parent: core}"
	done
} >>"$C"

bg_start "$T/seratd.log" "$SERATD" --config "$C" --foreground
seratd=$BG_PID
wait_until 30 polls_ge_now leaf-5 2 || bail "seratd did not get going"

# Keys that were refused at least once all end with a 2xx, and no key has
# two 2xx answers.
all_retried_arrived() {
	python3 - "$L" <<'PY'
import json, sys
bad, good = set(), {}
for l in open(sys.argv[1]):
    r = json.loads(l)
    if 200 <= r["status"] < 300: good[r["key"]] = good.get(r["key"], 0) + 1
    else: bad.add(r["key"])
missing = bad - set(good)
print(len(missing), sum(1 for v in good.values() if v > 1), len(bad))
PY
}

# ---- 1. half the requests fail
kill -STOP $a_leaf
wait_until 60 alerts_ge 6 "$L" --prefix leaf- --status firing
ok $? "with half the requests failing, every leaf's alert arrives"
kill -CONT $a_leaf
wait_until 60 alerts_ge 6 "$L" --prefix leaf- --status resolved
ok $? "... and every recovery"
set -- $(all_retried_arrived)
is "$1 $2" "0 0" "every refused notification was retried until it arrived; no key succeeded twice"
[ "$3" -ge 1 ]; ok $? "($3 requests were refused and retried)"
is "$($ACHECK "$L" nokey)" 0 "every request carries an Idempotency-Key"

# ---- 2. receiver down, seratd killed with notifications in the spool
spool_n() { ls "$T/data/spool" 2>/dev/null | grep -c '\.msg$'; }
spool_ge() { [ "$(spool_n)" -ge "$1" ]; }
# Every leaf's alert is queued (the store records the channel told only
# after the spool write, on the same worker) before seratd is killed.
all_queued() {
	[ "$(events_sql "select count(*) from incidents where end is null and device like 'leaf-%' and notified like '%noc%'")" -ge 6 ]
}
touch "$T/down"
kill -STOP $a_leaf
wait_until 60 all_queued && spool_ge 2
ok $? "undelivered notifications wait in the spool"
kill -9 $seratd; wait $seratd 2>/dev/null
n_spooled=$(spool_n)
kill -CONT $a_leaf
rm -f "$T/down"
bg_start "$T/seratd2.log" "$SERATD" --config "$C" --foreground
seratd=$BG_PID
wait_until 60 alerts_ge 12 "$L" --prefix leaf- --status firing
ok $? "after SIGKILL and restart, every alert queued before the kill arrives"
wait_until 60 alerts_ge 12 "$L" --prefix leaf- --status resolved
ok $? "... and the recoveries of alerts from before the kill"
wait_polls core 3
is "$(n_alerts "$L" count --prefix leaf- --status firing)" 12 "... each alert once (the restart announced nothing again)"
spool_empty() { [ "$(spool_n)" -eq 0 ]; }
wait_until 60 spool_empty; ok $? "the spool empties once delivered ($n_spooled were spooled at the kill)"
set -- $(all_retried_arrived)
is "$1 $2" "0 0" "still nothing lost and no key delivered twice"

# ---- 3. a receiver that hangs delays neither polling nor the other channel
touch "$T/hang"
n0=$(n_alerts "$L" count --prefix leaf- --status firing)
kill -STOP $a_leaf
wait_until 60 alerts_ge $((n0 + 6)) "$L" --prefix leaf- --status firing
ok $? "the working channel gets its alerts while the other one hangs"
# Polling keeps its schedule: over 5 s of hanging requests, the core
# device (polled every second) completes at least 4 polls.
wait_until 30 grep -q . "$H"
p0=$(polls core); sleep 5; p1=$(polls core)
[ $((p1 - p0)) -ge 4 ]; ok $? "polling keeps its schedule while a receiver hangs ($((p1 - p0)) polls in 5 s)"
rm -f "$T/hang"
kill -CONT $a_leaf
done_testing
