#!/bin/sh
# dashboard_alerts.sh — the alerts and maintenance pages, their API and the
# notification metrics, end to end: seratd polls two fake agents with a
# webhook channel to a loopback receiver.  A device's agent is frozen
# (SIGSTOP, as a cut fiber): /alerts and /api/v1/alerts list it as active;
# thawed: it moves to the history.  `serat maint add` shows on the
# maintenance page and API next to the config's window.  /metrics counts
# the delivered notifications and passes promtool.  After a restart the
# history is read back from the event store.  Headless chromium
# screenshots the alerts page into $top_builddir/tests/artifacts/.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
. "$top_srcdir/tests/alerts_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
command -v curl >/dev/null 2>&1 || skip_all "curl not installed"
plan 21

ART="$top_builddir/tests/artifacts"
mkdir -p "$ART"
p=$(free_udp_range 2)
fake_start core "$p" 1 4;          a_core=$FAKE_PID
fake_start solo "$((p + 1))" 1 4;  a_solo=$FAKE_PID
recv_start hook
L=$RECV_LOG

C=$T/c.yaml
alerts_conf "$C" "alerts: {group_window: 1s, down_after: 2, up_after: 1}"
URL="http://127.0.0.1:$(sed -n 's/^http_listen: 127.0.0.1://p' "$C")"
{
	echo "channels:"
	echo "  - {name: noc, type: webhook, url: \"http://127.0.0.1:$RECV_PORT/hook\"}"
	echo "sites:"
	echo "  - {name: Diskominfo, kind: core, devices: [{name: core, address: \"127.0.0.1:$p\"}]}"
	echo "  - {name: Puskesmas Solok, kind: puskesmas, devices: [{name: solo, address: \"127.0.0.1:$((p + 1))\", parent: core}]}"
	echo "maintenance:"
	echo "  - {name: yearly-splice, targets: [Diskominfo], start: \"2030-01-01T01:00\", end: \"2030-01-01T03:00\"}"
} >>"$C"

bg_start "$T/seratd.log" "$SERATD" --config "$C" --foreground
seratd=$BG_PID
wait_until 30 polls_ge_now solo 2 || bail "seratd did not get going"
api() { curl -sf "$URL$1"; }
# page URL — the HTML on one line, for regexes across rows
page() { curl -sf "$URL$1" | tr '\n' ' '; }
# json URL EXPR — a python expression on the answer (as j)
json() { api "$1" | python3 -c 'import json,sys; j=json.load(sys.stdin); print('"$2"')'; }

like "$(page /alerts)" 'id="none-active"' "no alert: the alerts page says none is firing"

# ---- down: active on the page and in the API
kill -STOP $a_solo
wait_until 20 alerts_ge 1 "$L" --device solo --status firing
ok $? "the frozen device is announced to the receiver"
active_has_solo() { page /alerts | grep -q '<table id="active">.*href="/device?name=solo"' ; }
# The engine fires before the group window sends: the page may be ahead.
wait_until 10 active_has_solo
ok $? "the alerts page lists solo as active, linked to its device page"
is "$(json /api/v1/alerts '[ (a["alertname"], a["device"], a["site"], a["end"] is None or a["end"] != a["end"]) for a in j["active"]]')" \
	"[('DeviceDown', 'solo', 'Puskesmas Solok', True)]" "/api/v1/alerts: one active DeviceDown for solo, no end"
is "$(json /api/v1/alerts 'j["active"][0]["notified"]')" "noc" "... told to the noc channel"

if CHROMIUM=$(command -v chromium || command -v chromium-browser); then
	CDP_PORT=$(free_port tcp)
	bg_start "$T/chromium.log" "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--hide-scrollbars --user-data-dir="$T/profile" --remote-debugging-port="$CDP_PORT" about:blank
	python3 "$top_srcdir/tests/cdp.py" "$CDP_PORT" "$URL/alerts" 390 844 "$ART/alerts-390.png" \
		>"$T/alerts-390.html" 2>"$T/alerts-390.err"
	set -- $(head -1 "$T/alerts-390.html")
	[ $# -eq 6 ] && [ "$1" -le "$3" ] && grep -q 'solo' "$T/alerts-390.html"
	ok $? "chromium shows the active alert, no horizontal scrolling at 390 px (layout: $*)"
	test -s "$ART/alerts-390.png"
	ok $? "alerts page screenshot saved (tests/artifacts/alerts-390.png)"
else
	skip "chromium not installed"
	skip "chromium not installed"
fi

# ---- up: into the history
kill -CONT $a_solo
wait_until 20 alerts_ge 1 "$L" --device solo --status resolved
ok $? "the recovery is sent"
history_has_solo() { [ "$(json /api/v1/alerts 'len(j["active"]), [a["device"] for a in j["history"]]')" = "0 ['solo']" ]; }
wait_until 10 history_has_solo
ok $? "/api/v1/alerts: nothing active, solo in the history"
like "$(page /alerts)" '<table id="history">.*solo.*DeviceDown|<table id="history">.*DeviceDown.*solo' \
	"the alerts page shows it under History"
is "$(json /api/v1/alerts 'j["history_total"], j["pages"], j["history"][0]["end"] > j["history"][0]["start"]')" \
	"1 1 True" "the history is counted and paged, with an end after the start"
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/alerts?page=0") $(curl -s -o /dev/null -w '%{http_code}' "$URL/alerts?page=x")" \
	"400 400" "a bad ?page= is a 400"

# ---- maintenance: config window and `serat maint add`
"$SERAT" maint add solo --for 2h --reason "ganti patch cord" --config "$C" >"$T/maint.out" 2>&1
ok $? "serat maint add while seratd runs"
maint_listed() { page /maintenance | grep -q '<table id="maint-cli">.*solo.*ganti patch cord'; }
wait_until 20 maint_listed
ok $? "the maintenance page lists the new window (the engine re-reads the store)"
like "$(page /maintenance)" '<table id="maint-config">.*yearly-splice.*Diskominfo' \
	"... and the config's window"
is "$(json /api/v1/maintenance '[(m["source"], m["targets"][0]["name"], m["reason"]) for m in j["maintenance"]]')" \
	"[('config', 'Diskominfo', None), ('cli', 'solo', 'ganti patch cord')]" \
	"/api/v1/maintenance: both windows with their source"

# ---- /metrics: notifications
# The receiver logs before it answers: the count follows the 2xx.
delivered_is() {
	api /metrics >"$T/metrics.txt"
	[ "$(sed -n 's/^serat_notifications_total{result="delivered"} //p' "$T/metrics.txt")" = "$1" ]
}
wait_until 10 delivered_is 2
ok $? "/metrics counts the 2 notifications delivered (alert and recovery)"
if command -v promtool >/dev/null 2>&1; then
	promtool check metrics <"$T/metrics.txt" >"$T/pt" 2>&1
	is "$? $(grep -c . "$T/pt")" "0 0" "promtool check metrics: /metrics is clean"
else
	skip "promtool not installed"
fi

# ---- restart: the history is read back from the event store
kill -TERM $seratd; wait $seratd; rc=$?
is "$rc $(grep -c 'Sanitizer\|runtime error' "$T/seratd.log")" "0 0" "seratd stops cleanly"
bg_start "$T/seratd2.log" "$SERATD" --config "$C" --foreground
seratd=$BG_PID
wait_until 30 history_has_solo
ok $? "after a restart the history still shows solo (read back from the event store)"
kill -TERM $seratd; wait $seratd; rc=$?
is "$rc $(grep -c 'Sanitizer\|runtime error' "$T/seratd2.log")" "0 0" "... and stops cleanly again"
