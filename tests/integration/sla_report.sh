#!/bin/sh
# sla_report.sh — `serat report sla` end to end on a built event history.
#
# A real SQLite event store (schema tests/sla/events_v1.sql) holds a month of
# state changes and a maintenance window, real RRD files (tests/sla/mkrrd.sh)
# hold the reachability series with a collector gap and the uplink traffic.
# Every figure of the JSON report is checked against values computed by hand
# (in the comments), to the second; then CSV, --site, the languages, usage
# errors; then the HTML is rendered by headless chromium to PDF and PNG and
# every site must be in the PDF's text.  The screenshot is kept as a test
# artifact: $top_builddir/tests/artifacts/sla_report.png.
#
# Month: March 2026 in Asia/Jakarta, T0 = 2026-03-01T00:00+07:00 =
# 1772298000, M = 31 days = 2678400 s.
. "$top_srcdir/tests/lib.sh"

[ -x "$SERAT" ] || skip_all "serat not built"
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 not installed (apt-get install sqlite3)"
command -v rrdtool >/dev/null 2>&1 || skip_all "rrdtool not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
plan 49
_planned=1

T0=1772298000
D=86400
M=$((31 * D))
DATA="$T/data"
mkdir -p "$DATA/rrd"

cat >"$T/serat.yaml" <<EOF
data_dir: data
timezone: Asia/Jakarta
interval: 60s
snmp: {version: 2c, community: public}
sites:
  - name: Diskominfo
    kind: core
    devices: [{name: core-1, address: 127.0.0.1}]
  - name: Kecamatan Koto
    kind: kecamatan
    devices: [{name: kec-1, address: 127.0.0.1, parent: core-1}]
  - name: Nagari A
    kind: nagari
    devices: [{name: ngr-a, address: 127.0.0.1, parent: kec-1}]
  - name: Dinas Kesehatan
    kind: opd
    devices:
      - {name: opd-1, address: 127.0.0.1, parent: core-1}
      - {name: opd-ap, address: 127.0.0.1, parent: opd-1}
  - name: Puskesmas B
    kind: puskesmas
    devices: [{name: pkm-b, address: 127.0.0.1, parent: core-1}]
  - name: Nagari Kosong
    kind: nagari
    devices: [{name: ngr-x, address: 127.0.0.1, parent: kec-1}]
maintenance:
  - {name: pkm-power, targets: [pkm-b], start: "2026-03-21T00:30", end: "2026-03-21T02:00"}
sla:
  targets: {nagari: 99.95}
  service_hours: {opd: Mon-Fri 07:30-16:00}
  uplinks: {Dinas Kesehatan: ether2}
EOF

# ---- the event history ------------------------------------------------
# (t, device, to_state, cause = root-cause device, reason)
ev() { echo "INSERT INTO state_changes(t, device, kind, from_state, to_state, cause, reason) VALUES($1, '$2', 'reach', NULL, '$3', $4, $5);"; }
{
	cat "$top_srcdir/tests/sla/events_v1.sql"
	echo "BEGIN;"
	for d in core-1 kec-1 ngr-a opd-1 opd-ap; do ev $((T0 - 30 * D)) $d up NULL NULL; done
	# core-1: own outage day 5 01:00-01:30 (1800 s); maintenance day 12
	# 00:00-02:00 with an outage 00:10-00:40 inside it (1800 s planned).
	ev $((T0 + 5 * D + 3600)) core-1 down NULL "'timeout'"
	ev $((T0 + 5 * D + 5400)) core-1 up NULL NULL
	ev $((T0 + 12 * D + 600)) core-1 down NULL "'reboot'"
	ev $((T0 + 12 * D + 2400)) core-1 up NULL NULL
	echo "INSERT INTO maintenance(target, start, end, reason, source, created) VALUES('core-1', $((T0 + 12 * D)), $((T0 + 12 * D + 7200)), 'upgrade', 'cli', 0);"
	echo "INSERT INTO maintenance(target, start, end, reason, source, created) VALUES('core-1', $((T0 - 40 * D)), $((T0 - 39 * D)), 'old', 'cli', 0);"
	# kec-1: down behind core-1 during its outage (1800 s, excluded from
	# the contract), and an own outage from 1 h before the month's end to
	# 1 h into April (3600 s in March).
	ev $((T0 + 5 * D + 3600)) kec-1 down "'core-1'" NULL
	ev $((T0 + 5 * D + 5400)) kec-1 up NULL NULL
	ev $((T0 + M - 3600)) kec-1 down NULL "'fiber cut'"
	ev $((T0 + M + 3600)) kec-1 up NULL NULL
	# ngr-a: the collector is off day 10 00:00-02:05 (RRD gap, 7500 s); the
	# device goes down in the gap at 01:00 and is back at 02:30: only the
	# 1500 s after the gap are known down.
	ev $((T0 + 10 * D + 3600)) ngr-a down NULL NULL
	ev $((T0 + 10 * D + 9000)) ngr-a up NULL NULL
	# opd-1: Tue 3 Mar 15:00-17:00 WIB (7200 s, 3600 s of it in service
	# hours); opd-ap: Sat 7 Mar 10:00-10:30 (1800 s, outside them).
	ev $((T0 + 2 * D + 54000)) opd-1 down NULL "'power'"
	ev $((T0 + 2 * D + 61200)) opd-1 up NULL NULL
	ev $((T0 + 6 * D + 36000)) opd-ap down NULL NULL
	ev $((T0 + 6 * D + 37800)) opd-ap up NULL NULL
	# pkm-b: added on day 16 (first record), down 1 h on day 21.
	ev $((T0 + 15 * D)) pkm-b up NULL NULL
	ev $((T0 + 20 * D)) pkm-b down NULL "'power'"
	ev $((T0 + 20 * D + 3600)) pkm-b up NULL NULL
	# Another month's noise and another kind of record: not counted.
	ev $((T0 - 20 * D)) core-1 down NULL "'last month'"
	ev $((T0 - 20 * D + 60)) core-1 up NULL NULL
	echo "INSERT INTO state_changes(t, device, ifname, kind, from_state, to_state) VALUES($((T0 + D)), 'core-1', 'ether1', 'oper', 'up', 'down');"
	echo "COMMIT;"
} | sqlite3 "$DATA/events.db" >/dev/null
ok $? "event store built with sqlite3"

MK="$top_srcdir/tests/sla/mkrrd.sh"
for d in core-1 kec-1 ngr-a opd-1 opd-ap pkm-b; do mkdir -p "$DATA/rrd/$d/if"; done
END=$((T0 + M + 2 * D))
"$MK" device "$DATA/rrd/core-1/device.rrd" $T0 $END &&
"$MK" device "$DATA/rrd/kec-1/device.rrd" $T0 $END &&
"$MK" device "$DATA/rrd/ngr-a/device.rrd" $T0 $END $((T0 + 10 * D)) $((T0 + 10 * D + 7200)) &&
"$MK" device "$DATA/rrd/opd-1/device.rrd" $T0 $END &&
"$MK" device "$DATA/rrd/opd-ap/device.rrd" $T0 $END &&
"$MK" device "$DATA/rrd/pkm-b/device.rrd" $((T0 + 15 * D)) $END &&
# core-1's uplink is its busiest interface, ether1: 1 Mb/s, 400 rows at
# 9 Mb/s (under 5 % of 8928) and one 50 Mb/s peak: p95 1e6, peak 5e7.
"$MK" if "$DATA/rrd/core-1/if/ether1.rrd" $T0 $END 1000000 \
	$(i=0; while [ $i -lt 400 ]; do echo "$((T0 + 3000 + i * 300))=9000000"; i=$((i + 1)); done) \
	"$((T0 + 20 * D))=50000000" &&
"$MK" if "$DATA/rrd/core-1/if/ether2.rrd" $T0 $END 1000 &&
# Dinas Kesehatan names its uplink: ether2 (2 kb/s), not the busier ether1.
"$MK" if "$DATA/rrd/opd-1/if/ether1.rrd" $T0 $END 5000000 &&
"$MK" if "$DATA/rrd/opd-1/if/ether2.rrd" $T0 $END 2000
ok $? "RRD files built (collector gap on ngr-a, uplink traffic)"

cd "$T" || bail "no $T"
SOURCE_DATE_EPOCH=$((T0 + M + 3600)) "$SERAT" report sla --config serat.yaml --month 2026-03 \
	--format json --out report.json 2>err
is "$?:$(cat err)" "0:" "report sla --format json: exit 0, nothing on stderr"

# q PYTHON-EXPRESSION — evaluated with r = the report, s(name) = a site,
# d(site, device) = a device.
q() {
	python3 -c "
import json, sys
r = json.load(open('report.json'))
def s(n): return [x for x in r['sites'] if x['name'] == n][0]
def d(n, m): return [x for x in s(n)['devices'] if x['name'] == m][0]
def o(x): return [(a['device'], a['start'], a['end'], a['duration_s'], a['cause'], a['root_cause_device'], a['planned']) for a in x['outages']]
v = $1
print(json.dumps(v, sort_keys=True) if not isinstance(v, str) else v)
"
}

is "$(q "[r['month'], r['timezone'], r['generated_at'], r['start'], r['end']]")" \
	'["2026-03", "Asia/Jakarta", "2026-04-01T01:00:00+07:00", "2026-03-01T00:00:00+07:00", "2026-04-01T00:00:00+07:00"]' \
	"top level: month, timezone, generated_at, month bounds with offset"
is "$(q "sorted(r['rules'].keys())")" \
	'["availability_pct", "availability_seen_pct", "maintenance", "outages", "period", "service_hours", "site", "unknown", "uplink"]' \
	"rules state how each figure was counted"
is "$(q "[x['name'] for x in r['sites']]")" \
	'["Diskominfo", "Kecamatan Koto", "Nagari A", "Dinas Kesehatan", "Puskesmas B", "Nagari Kosong"]' \
	"every site, in config order"

# Diskominfo / core-1: down 1800 own + 1800 planned; maintenance 7200.
# contract (2678400-7200-1800)/(2678400-7200) = 99.932; seen 2674800/2678400 = 99.865
is "$(q "[s('Diskominfo')[k] for k in ('kind', 'target_pct', 'meets_target', 'availability_pct', 'availability_seen_pct', 'downtime_s', 'downtime_contract_s', 'downtime_planned_s', 'maintenance_s', 'unknown_s', 'coverage_pct')]")" \
	'["core", 99.9, true, 99.932, 99.865, 3600, 1800, 1800, 7200, 0, 100.0]' \
	"core-1: contractual excludes maintenance, seen counts every second"
is "$(q "o(s('Diskominfo'))")" \
	'[["core-1", "2026-03-06T01:00:00+07:00", "2026-03-06T01:30:00+07:00", 1800, "timeout", "core-1", false], ["core-1", "2026-03-13T00:10:00+07:00", "2026-03-13T00:40:00+07:00", 1800, "reboot", "core-1", true]]' \
	"core-1: outages with start, end, duration, cause, root cause, planned"
is "$(q "[s('Diskominfo')[k] for k in ('outage_count', 'outage_count_contract', 'longest_outage_s', 'mttr_s', 'mtbf_s')]")" \
	'[2, 1, 1800, 1800, 2669400]' "core-1: outages, longest, MTTR, MTBF (2671200-1800)/1"

# Kecamatan: 1800 behind core-1 (excluded) + 3600 own until the month's end.
# contract (2678400-1800-3600)/(2678400-1800) = 99.865; seen 2673000/2678400 = 99.798
is "$(q "[s('Kecamatan Koto')[k] for k in ('availability_pct', 'availability_seen_pct', 'downtime_s', 'downtime_contract_s', 'downtime_parent_s', 'outage_count', 'outage_count_contract')]")" \
	'[99.865, 99.798, 5400, 3600, 1800, 2, 1]' "kec-1: an outage behind its parent is excluded from the contract only"
is "$(q "o(s('Kecamatan Koto'))")" \
	'[["kec-1", "2026-03-06T01:00:00+07:00", "2026-03-06T01:30:00+07:00", 1800, "unreachable", "core-1", false], ["kec-1", "2026-03-31T23:00:00+07:00", "2026-04-01T00:00:00+07:00", 3600, "fiber cut", "kec-1", false]]' \
	"kec-1: root cause is the parent; the outage crossing the month end counts its March part"

# Nagari A: 7500 s unknown (RRD gap), 1500 s known down after it.
# coverage 2670900/2678400 = 99.719; availability 2669400/2670900 = 99.943 < 99.95
is "$(q "[s('Nagari A')[k] for k in ('target_pct', 'meets_target', 'availability_pct', 'availability_seen_pct', 'known_s', 'downtime_s', 'unknown_s', 'coverage_pct')]")" \
	'[99.95, false, 99.943, 99.943, 2670900, 1500, 7500, 99.719]' \
	"ngr-a: collector gap is unknown, not up or down; configured target missed"
is "$(q "o(s('Nagari A'))")" \
	'[["ngr-a", "2026-03-11T02:05:00+07:00", "2026-03-11T02:30:00+07:00", 1500, "unreachable", "ngr-a", false]]' \
	"ngr-a: the outage starts where the data does"

# Dinas Kesehatan: opd-1 7200 + opd-ap 1800 = 9000 s; service hours
# 22 × 30600 = 673200 s, 3600 s of them down.
# site (2678400-9000)/2678400 = 99.663; service 669600/673200 = 99.465
is "$(q "[s('Dinas Kesehatan')[k] for k in ('target_pct', 'meets_target', 'availability_pct', 'downtime_s', 'outage_count')]")" \
	'[99.5, true, 99.663, 9000, 2]' "two devices: the site is down when either is"
is "$(q "s('Dinas Kesehatan')['service_hours']")" \
	'{"availability_pct": 99.465, "availability_seen_pct": 99.465, "downtime_s": 3600, "hours": "Mon-Fri 07:30-16:00", "known_s": 673200}' \
	"service hours Mon-Fri 07:30-16:00 beside 24/7"
is "$(q "[[x['name'], x['availability_pct'], x['downtime_s']] for x in s('Dinas Kesehatan')['devices']]")" \
	'[["opd-1", 99.731, 7200], ["opd-ap", 99.932, 1800]]' "per-device figures"
is "$(q "[x[0] for x in o(s('Dinas Kesehatan'))]")" '["opd-1", "opd-ap"]' "site outages name their device"

# Puskesmas B: added on day 16: period 1382400, down 00:00-01:00 on day 21;
# the config's maintenance window 00:30-02:00 (5400 s) makes half of it
# planned: contract (1382400-5400-1800)/(1382400-5400) = 99.869,
# seen (1382400-3600)/1382400 = 99.739.
is "$(q "[s('Puskesmas B')[k] for k in ('availability_pct', 'availability_seen_pct', 'period_start', 'known_s', 'unknown_s', 'downtime_s', 'downtime_planned_s', 'maintenance_s', 'meets_target')]")" \
	'[99.869, 99.739, "2026-03-16T00:00:00+07:00", 1382400, 0, 3600, 1800, 5400, true]' \
	"pkm-b: added mid-month, counted from its first record; a config maintenance window"

# Nagari Kosong: no record, no RRD: unknown, not 100 %.
is "$(q "[s('Nagari Kosong')[k] for k in ('availability_pct', 'availability_seen_pct', 'meets_target', 'unknown_s', 'coverage_pct', 'outages', 'mttr_s')]")" \
	'[null, null, null, 2678400, 0.0, [], null]' "a device never seen is unknown, never 100 %"

is "$(q "r['summary']")" \
	'{"outage_hours": 6.42, "sites_meeting_target": 4, "sites_missing_target": 1, "sites_unknown": 1, "worst_sites": ["Dinas Kesehatan", "Kecamatan Koto", "Puskesmas B", "Diskominfo", "Nagari A"]}' \
	"summary: meeting/missing/unknown, total outage hours, worst sites"
is "$(q "s('Diskominfo')['uplink']")" \
	'{"device": "core-1", "interface": "ether1", "p95_bps": 1000000, "peak_bps": 50000000}' \
	"uplink: busiest interface, 95th percentile and peak"
is "$(q "s('Dinas Kesehatan')['uplink']")" \
	'{"device": "opd-1", "interface": "ether2", "p95_bps": 2000, "peak_bps": 2000}' \
	"uplink named by sla.uplinks wins over the busiest"
is "$(q "s('Nagari Kosong')['uplink']")" "null" "no interface file: no uplink figure"

# ---- formats, options, errors ------------------------------------------
"$SERAT" report sla --config serat.yaml --month 2026-03 --format csv --out report.csv 2>err
is "$?:$(cat err)" "0:" "csv: exit 0"
is "$(head -1 report.csv | tr -d '\r')" \
	"record,site,kind,device,target_pct,availability_pct,availability_seen_pct,service_availability_pct,downtime_s,maintenance_s,unknown_s,coverage_pct,outages,longest_outage_s,mttr_s,mtbf_s,uplink_p95_bps,uplink_peak_bps,start,end,duration_s,cause,root_cause_device,planned" \
	"csv header"
is "$(grep -c '^site,' report.csv):$(grep -c '^device,' report.csv):$(grep -c '^outage,' report.csv)" \
	"6:7:9" "csv: a row per site, device and outage"
is "$(grep '^site,Dinas' report.csv | tr -d '\r')" \
	"site,Dinas Kesehatan,opd,,99.5,99.663,99.663,99.465,9000,0,0,100.000,2,7200,4500,1334700,2000,2000,,,,,," \
	"csv site row"
is "$(grep '^outage,Kecamatan Koto,,kec-1,.*fiber' report.csv | tr -d '\r')" \
	"outage,Kecamatan Koto,,kec-1,,,,,,,,,,,,,,,2026-03-31T23:00:00+07:00,2026-04-01T00:00:00+07:00,3600,fiber cut,kec-1,false" \
	"csv outage row"
python3 -c "import csv; rows = list(csv.reader(open('report.csv'))); assert all(len(r) == 24 for r in rows), [len(r) for r in rows]"
ok $? "csv: every row has 24 fields"

"$SERAT" report sla --config serat.yaml --month 2026-03 --site "Nagari A" --format json >one.json 2>err
is "$?:$(python3 -c "import json; print([s['name'] for s in json.load(open('one.json'))['sites']])")" \
	"0:['Nagari A']" "--site: one site, to stdout"
"$SERAT" report sla --config serat.yaml --month 2026-03 --site "Nowhere" --format json >/dev/null 2>err
is "$?:$(cat err)" "1:serat report: no site named 'Nowhere' in serat.yaml" "--site unknown: exit 1, clear message"

"$SERAT" report sla --config serat.yaml --month 2026-04 --format json --out april.json 2>err
is "$?:$(python3 -c "
import json; r = json.load(open('april.json'))
k = [s for s in r['sites'] if s['name'] == 'Kecamatan Koto'][0]
print(k['outages'][0]['start'], k['outages'][0]['duration_s'], k['downtime_s'])")" \
	"0:2026-04-01T00:00:00+07:00 3600 3600" "April gets the rest of the outage crossing the month end"

SOURCE_DATE_EPOCH=$((T0 + M + 3600)) "$SERAT" report sla --config serat.yaml --month 2026-03 --format json --lang en >en.json
like "$(python3 -c "import json; print(json.load(open('en.json'))['rules']['site'])")" \
	"^A site is as available as its worst device" "--lang en: rules in English"
like "$(q "r['rules']['site']")" "^Situs setersedia" "default language: Indonesian"
{ echo "language: en"; cat serat.yaml; } >serat-en.yaml
"$SERAT" report sla --config serat-en.yaml --month 2026-03 --format json >en2.json
like "$(python3 -c "import json; print(json.load(open('en2.json'))['rules']['site'])")" \
	"^A site is as available" "without --lang: the config's language"

"$SERAT" report sla --config serat.yaml --month 2026-3 --format json >/dev/null 2>err
is "$?:$(cat err)" "2:serat report: --month must be YYYY-MM, not '2026-3'" "bad --month: exit 2"
"$SERAT" report sla --config serat.yaml --month 2026-03 --format pdf >/dev/null 2>err
is "$?" 2 "bad --format: exit 2"
"$SERAT" report sla --config serat.yaml --month 2026-03 >/dev/null 2>err
is "$?" 2 "no --format: exit 2"
"$SERAT" report sla --config serat.yaml --month 2026-03 --format json --events nothing.db \
	--out x.json >/dev/null 2>err
rc=$?
like "$rc:$(cat err)" "^1:serat report: nothing.db: cannot open the event store" "missing event store: exit 1"
is "$(ls x.json* 2>/dev/null)" "" "a failed report leaves no file behind"

# ---- HTML through chromium ---------------------------------------------
"$SERAT" report sla --config serat.yaml --month 2026-03 --format html --lang en --out report.html 2>err
is "$?:$(cat err)" "0:" "html: exit 0"
is "$(grep -Eci 'src=|href=|@import|url\(' report.html)" "0" "html: no external asset"
is "$(grep -c '<svg class="band"' report.html)" "8" "html: an availability band per site (and per device of a multi-device site)"
"$SERAT" report sla --config serat.yaml --month 2026-03 --format html --out report-id.html
like "$(grep -o '<title>[^<]*' report-id.html)" "Laporan SLA jaringan 2026-03" "html: Indonesian by default"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ] || ! command -v pdftotext >/dev/null 2>&1; then
	for i in 1 2 3 4 5; do skip "chromium or pdftotext not installed"; done
else
	chrome() { # chrome NAME ARGS... — a fresh profile per run, output in $T/chrome-NAME.log
		_n=$1
		shift
		timeout 180 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--user-data-dir="$T/chrome-$_n" "$@" >"$T/chrome-$_n.log" 2>&1
	}
	chrome pdf --print-to-pdf="$T/report.pdf" --no-pdf-header-footer "file://$T/report.html"
	ok $? "chromium printed the report to PDF"
	pdftotext -layout report.pdf report.txt
	missing=""
	for s in "Diskominfo" "Kecamatan Koto" "Nagari A" "Dinas Kesehatan" "Puskesmas B" "Nagari Kosong"; do
		grep -q "$s" report.txt || missing="$missing $s"
	done
	is "$missing" "" "every site is in the PDF"
	like "$(tr -s ' ' <report.txt)" "99\.66" "the PDF shows the figures (Dinas Kesehatan 99.66)"
	pages=$(python3 -c "import re; print(len(re.findall(rb'/Type\s*/Page[^s]', open('report.pdf','rb').read())))")
	[ "$pages" -ge 1 ] && [ "$pages" -le 6 ]
	ok $? "the PDF is a few A4 pages ($pages)"
	mkdir -p "$top_builddir/tests/artifacts"
	chrome png --screenshot="$top_builddir/tests/artifacts/sla_report.png" --window-size=1240,1754 \
		--hide-scrollbars "file://$T/report.html"
	python3 -c "
import struct, sys
b = open(sys.argv[1], 'rb').read(24)
assert b[:8] == b'\x89PNG\r\n\x1a\n'
w, h = struct.unpack('>II', b[16:24])
assert w >= 1000 and h >= 1000, (w, h)" "$top_builddir/tests/artifacts/sla_report.png"
	ok $? "screenshot kept: tests/artifacts/sla_report.png"
fi
done_testing
