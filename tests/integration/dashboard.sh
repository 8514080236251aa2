#!/bin/sh
# dashboard.sh — the dashboard end to end: seratd polls the fake agent
# (four sites of different kinds) and serves HTTP; headless Debian
# chromium opens the pages.  serat.js writes the page's layout figures
# into <html data-layout="scrollW scrollH clientW clientH imgsOK imgs">,
# which --dump-dom shows: the overview must not scroll sideways at 390 px,
# the wall must not scroll at all at 1920x1080, and an interface page's
# graphs must all load.  Graph content is checked by decoding the PNG
# (green traffic pixels), the cache by /metrics counters, /metrics and
# /metrics/interfaces with promtool, and interface counters against the
# fake agent's truth.  Screenshots go to $top_builddir/tests/artifacts/.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
CHROMIUM=$(command -v chromium || command -v chromium-browser) || skip_all "chromium not installed"
command -v curl >/dev/null 2>&1 || skip_all "curl not installed"
plan 18

ART="$top_builddir/tests/artifacts"
mkdir -p "$ART"
PNG="python3 $top_srcdir/tests/png_stats.py"

base=$(free_port)
fake_start fa "$base" 5 8
port=$(free_port tcp)
cat >"$T/c.yaml" <<EOC
data_dir: $T/data
interval: 1s
http_listen: 127.0.0.1:$port
language: en
snmp: {version: 2c, community: public, timeout: 1s, retries: 0}
rrd:
  rras: ["1s:1h"]
sites:
  - {name: diskominfo, kind: core, devices: [{name: core-1, address: "127.0.0.1:$base"}]}
  - name: dinas-kesehatan
    kind: opd
    devices:
      - {name: opd-kes-sw, address: "127.0.0.1:$((base + 1))", parent: core-1}
      - {name: opd-kes-ap, address: "127.0.0.1:$((base + 2))", parent: opd-kes-sw}
  - {name: puskesmas-lubuk, kind: puskesmas, devices: [{name: pkm-lubuk, address: "127.0.0.1:$((base + 3))", parent: core-1}]}
  - {name: nagari-koto, kind: nagari, devices: [{name: ngr-koto, address: "127.0.0.1:$((base + 4))", parent: core-1}]}
EOC
URL="http://127.0.0.1:$port"
bg_start "$T/seratd.log" "$SERATD" --config "$T/c.yaml" --foreground
SERATD_PID=$BG_PID
all_polled() { for d in core-1 opd-kes-sw opd-kes-ap pkm-lubuk ngr-koto; do polls_ge $d 5 || return 1; done; }
wait_until 60 all_polled
ok $? "seratd polled every device 5 times"
curl -sf "$URL/" >/dev/null
ok $? "the dashboard answers on http_listen"

# One headless chromium for the whole test, driven over the DevTools
# protocol (tests/cdp.py) so each page gets exactly the viewport asked for.
CDP_PORT=$(free_port tcp)
bg_start "$T/chromium.log" "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--hide-scrollbars --user-data-dir="$T/profile" --remote-debugging-port="$CDP_PORT" about:blank
# chrome URL WIDTH HEIGHT NAME — page HTML to $T/NAME.html (its first line:
# the layout figures), screenshot to $ART/NAME.png
chrome() {
	python3 "$top_srcdir/tests/cdp.py" "$CDP_PORT" "$1" "$2" "$3" "$ART/$4.png" \
		>"$T/$4.html" 2>"$T/$4.err"
}
# layout NAME — the data-layout figures of a dumped page
layout() { head -1 "$T/$1.html"; }

chrome "$URL/" 390 844 overview-390
set -- $(layout overview-390)
[ $# -eq 6 ]
ok $? "the overview loaded in chromium (layout: $*)"
[ "${1:-9999}" -le "${3:-0}" ]
ok $? "no horizontal scrolling at 390 px (scrollWidth $1 <= clientWidth $3)"
missing=""
for s in diskominfo dinas-kesehatan puskesmas-lubuk nagari-koto; do
	grep -q "data-site=\"$s\"" "$T/overview-390.html" || missing="$missing $s"
done
is "$missing" "" "every site appears on the overview"
test -s "$ART/overview-390.png"
ok $? "overview screenshot saved (tests/artifacts/overview-390.png)"

chrome "$URL/?lang=id" 1280 900 overview-id
grep -q 'Ringkasan' "$T/overview-id.html"
ok $? "?lang=id gives the Indonesian page"

chrome "$URL/wall" 1920 1080 wall-1920
set -- $(layout wall-1920)
[ $# -eq 6 ] && [ "$1" -le "$3" ] && [ "$2" -le "$4" ]
ok $? "the wall fits 1920x1080 without scrolling (layout: $*)"
grep -q 'http-equiv="refresh"' "$T/wall-1920.html"
ok $? "the wall refreshes itself"

chrome "$URL/if?device=core-1&name=Gi0/2" 1280 3600 interface
set -- $(layout interface)
[ $# -eq 6 ] && [ "$6" -ge 3 ] && [ "$5" -eq "$6" ]
ok $? "every graph on the interface page loaded as an image ($5 of $6)"
chrome "$URL/device?name=opd-kes-sw" 1280 3000 device
set -- $(layout device)
[ $# -eq 6 ] && [ "$6" -ge 3 ] && [ "$5" -eq "$6" ]
ok $? "every graph on the device page loaded ($5 of $6)"

# The traffic is in the image: the last 40 s, decoded.
now=$(date +%s)
g="$URL/graph?device=core-1&if=Gi0/2&kind=traffic&start=$((now - 40))&end=$((now + 2))"
curl -sf -o "$T/g1.png" "$g"
set -- $($PNG "$T/g1.png")
[ "${3:-0}" -gt 1000 ]
ok $? "a traffic graph served by seratd shows the traffic ($3 green pixels)"
cp "$T/g1.png" "$ART/graph-traffic.png"
hits() { curl -s "$URL/metrics" | sed -n 's/^serat_graph_cache_hits_total //p'; }
h0=$(hits)
# The cache lives one interval (10 s at least): of two more requests in a
# row, at least one falls in the same 10 s as the one before it.
curl -sf -o "$T/g2.png" "$g"
curl -sf -o "$T/g3.png" "$g"
[ -s "$T/g3.png" ] && [ "$(hits)" -gt "$h0" ]
ok $? "the same graph again comes from the cache (hits $h0 -> $(hits))"

curl -s "$URL/metrics" >"$T/metrics.txt"
promtool_ok=0
if command -v promtool >/dev/null 2>&1; then
	promtool check metrics <"$T/metrics.txt" >"$T/pt1" 2>&1
	is $? 0 "promtool check metrics: /metrics is clean"
	curl -s "$URL/metrics/interfaces" >"$T/ifm.txt"
	promtool check metrics <"$T/ifm.txt" >"$T/pt2" 2>&1
	rc=$?
	# snmp_exporter's own names are camelCase counters without _total:
	# those lint remarks are expected, nothing else is.
	other=$(grep -v -e 'should have "_total" suffix' -e "written in 'snake_case' not 'camelCase'" \
		"$T/pt2" | grep -c .)
	[ $rc -ne 1 ] && [ "$other" -eq 0 ]
	ok $? "promtool: /metrics/interfaces parses; only the if_mib naming lints ($other others)"
else
	skip "promtool not installed"
	skip "promtool not installed"
fi
like "$(grep '^serat_polls_total' "$T/metrics.txt")" '^serat_polls_total [1-9]' "/metrics counts polls"

# Interface metrics against the truth and status.json: the interface set,
# ifHighSpeed, ifOperStatus, and octet counters that grow at the truth rate.
curl -s "$URL/metrics/interfaces" >"$T/ifm1.txt"
polls1=$(field core-1 polls)
wait_until 30 polls_ge core-1 $((polls1 + 6))
curl -s "$URL/metrics/interfaces" >"$T/ifm2.txt"
polls2=$(field core-1 polls)
status_json "$T/c.yaml"
res=$(py "$T/ifm1.txt" "$T/ifm2.txt" "$T/fa.truth" "$T/status.json" "$((polls2 - polls1))" <<'PY'
import json, re, sys
def parse(path):
    out = {}
    for line in open(path):
        m = re.match(r'(\w+)\{(.*)\} (\S+)$', line.strip())
        if not m: continue
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2)))
        if labels["device"] == "core-1":
            out[(m.group(1), labels["ifName"])] = (float(m.group(3)), labels)
    return out
a, b = parse(sys.argv[1]), parse(sys.argv[2])
truth = [l.split("\t") for l in open(sys.argv[3]).read().splitlines()]
hdr, rows = truth[0], [dict(zip(truth[0], r)) for r in truth[1:] if r[0] == "0"]
st = {i["name"]: i for d in json.load(open(sys.argv[4]))["devices"] if d["name"] == "core-1"
      for i in d["interfaces"]}
polls = int(sys.argv[5])
bad = []
for r in rows:
    n = r["ifname"]
    if n not in st: bad.append("status lacks " + n)
    if a.get(("ifHighSpeed", n), (None,))[0] != float(r["speed_mbps"]): bad.append("speed " + n)
    want = 1 if r["oper"] == "up" else 2
    if a.get(("ifOperStatus", n), (None,))[0] != want: bad.append("oper " + n)
    if a[("ifOperStatus", n)][1]["ifIndex"] != r["ifindex"]: bad.append("ifIndex " + n)
    # Octets grow by rate * (polls between the scrapes * 1 s), +-1 poll.
    for col, key in (("ifHCInOctets", "in_bps"), ("ifHCOutOctets", "out_bps")):
        rate = float(r[key]) / 8
        if rate == 0: continue
        d = b[(col, n)][0] - a[(col, n)][0]
        lo, hi = rate * max(polls - 2, 1), rate * (polls + 2)
        if not lo <= d <= hi: bad.append("%s %s grew %d, want %d..%d" % (col, n, d, lo, hi))
print(len(rows), ";".join(bad))
PY
)
is "$res" "8 " "/metrics/interfaces: 8 interfaces of core-1 match the truth and status.json${res#8 }"

kill -TERM "$SERATD_PID"
wait "$SERATD_PID"
is $? 0 "seratd with the dashboard stops cleanly on SIGTERM"
