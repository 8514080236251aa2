#!/bin/sh
# sla_monthly.sh — seratd makes last month's SLA report by itself: started
# with its clock on the 1st (SERAT_NOW, for tests), it writes
# <data_dir>/reports/YYYY-MM.{html,csv,json} for the month before, and a
# channel with `report: true` (a real webhook receiver on loopback) gets one
# summary message with the link; a channel without it gets nothing; a
# restart finds the files and neither rebuilds nor posts again.  The
# dashboard lists the report on /sla and serves /reports/YYYY-MM.html, and
# no other name under /reports/.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
. "$top_srcdir/tests/alerts_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
command -v curl >/dev/null 2>&1 || skip_all "curl not installed"
plan 14; _planned=1

# 10:00 WIB on the 1st of this month, and the month before.
set -- $(python3 -c '
import datetime, zoneinfo
z = zoneinfo.ZoneInfo("Asia/Jakarta")
n = datetime.datetime.now(z)
first = n.replace(day=1, hour=10, minute=0, second=0, microsecond=0)
prev = (first - datetime.timedelta(days=1)).strftime("%Y-%m")
print(int(first.timestamp()), prev)')
SERAT_NOW=$1 prev=$2
export SERAT_NOW

p=$(free_udp_range 2)
fake_start core "$p" 1 2
recv_start hook; L=$RECV_LOG
recv_start other; L2=$RECV_LOG
C=$T/c.yaml
alerts_conf "$C" "timezone: Asia/Jakarta"
{
	echo "channels:"
	echo "  - {name: noc, type: webhook, url: \"http://127.0.0.1:$(awk '/^ready/ {print $2}' "$T/hook.out")/hook\", report: true}"
	echo "  - {name: ops, type: webhook, url: \"http://127.0.0.1:$RECV_PORT/hook\"}"
	echo "sites:"
	echo "  - {name: Diskominfo, kind: core, devices: [{name: core, address: \"127.0.0.1:$p\"}]}"
} >>"$C"
R=$T/data/reports

bg_start "$T/seratd.log" "$SERATD" --config "$C" --foreground
seratd=$BG_PID
wait_until 60 test -f "$R/$prev.json"
ok $? "seratd started on the 1st writes last month's report ($prev)"
is "$(cd "$R" && ls | sort | tr '\n' ' ')" "$prev.csv $prev.html $prev.json " \
	"... as HTML, CSV and JSON (no temporary file left)"
is "$(py "$R/$prev.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(r["month"], [s["name"] for s in r["sites"]])
PY
)" "$prev ['Diskominfo']" "the JSON is that month's report"
wait_until 30 alerts_ge 1 "$L" --alertname SlaReport
ok $? "a channel with report: true gets the summary"
like "$($ACHECK "$L" alerts --alertname SlaReport)" \
	"SLA report $prev: 0 sites meet their target, 0 miss it, 1 without data — http://dashboard.test/reports/$prev.html" \
	"... saying how many sites met their target, with the link"
URL=http://$(sed -n 's/^http_listen: //p' "$C")
like "$(curl -s "$URL/sla")" "<a href=\"/reports/$prev.html\">$prev</a>" "/sla links the report"
curl -s -o "$T/got.html" "$URL/reports/$prev.html"
cmp -s "$T/got.html" "$R/$prev.html"; ok $? "/reports/$prev.html serves the report as written"
codes=""
for u in "/reports/$prev.json" "/reports/${prev%-*}-13.html" "/reports/../events.db" \
	"/reports/%2e%2e/events.db" "/reports/$prev.html.tmp" "/reports/"; do
	codes="$codes$(curl -s -o /dev/null -w '%{http_code}' "$URL$u") "
done
is "$codes" "404 404 404 404 404 404 " "any other name under /reports/ is 404"
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/reports/1999-01.html")" 404 "a month without a report is 404"
kill -TERM $seratd; wait $seratd; rc=$?
is "$rc $(grep -c 'Sanitizer\|runtime error' "$T/seratd.log")" "0 0" "seratd stops cleanly"

touch -d '2001-01-01' "$R/$prev.json"
bg_start "$T/seratd2.log" "$SERATD" --config "$C" --foreground
seratd=$BG_PID
# The check runs as the loop starts, before the first poll completes.
wait_until 30 polls_ge_now core 3 || bail "seratd did not restart"
is "$(n_alerts "$L" count --alertname SlaReport) $(grep -c 'building the' "$T/seratd2.log")" "1 0" \
	"a restart neither rebuilds the report nor posts it again"
is "$(date -r "$R/$prev.json" +%Y)" 2001 "... the report files are left as they were"
is "$(n_alerts "$L2" count --alertname SlaReport)" 0 "a channel without report: true gets no summary"
kill -TERM $seratd; wait $seratd

sed 's/report: true/report: maybe/' "$C" >"$T/bad.yaml"
"$SERAT" check-config --config "$T/bad.yaml" >/dev/null 2>"$T/bad.err"
like "$?:$(cat "$T/bad.err")" "^1:.*bad.yaml:[0-9]+:[0-9]+: channel 'noc': report must be true or false, not 'maybe'" \
	"report: must be a boolean (FILE:LINE:COL)"
done_testing
