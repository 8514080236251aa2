#!/bin/sh
# graph_cli.sh — `serat graph` draws real graphs from the RRD files seratd
# wrote while polling the fake agent: a PNG whose canvas shows the traffic
# (green pixels counted by decoding the PNG with zlib), an SVG with a data
# path of many points, the requested size, both themes; bad arguments are
# usage errors; and with rrdcached holding every update back (-w 3600), a
# graph drawn while seratd runs still shows the traffic, because rrd_graph
# is passed --daemon and rrdcached flushes the file first.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
plan 17

PNG="python3 $top_srcdir/tests/png_stats.py"
# svg_points FILE — the most points of one path drawn outside <defs> (the
# glyphs live in <defs>); fails when FILE is not well-formed XML.
svg_points() {
	py "$1" <<'PY'
import re, sys, xml.etree.ElementTree as ET
text = open(sys.argv[1]).read()
ET.fromstring(text)
body = re.sub(r"<defs>.*?</defs>", "", text, flags=re.S)
print(max([d.count(" L ") for d in re.findall(r'<path[^>]* d="([^"]*)"', body)] + [0]))
PY
}

base=$(free_port)
fake_start fa "$base" 1 4
conf_begin "$T/c.yaml" 1s
conf_device "$T/c.yaml" sw-0 "$base"
"$SERATD" --config "$T/c.yaml" --cycles 8 >"$T/seratd.log" 2>&1
ok $? "seratd --cycles 8 against the fake agent"

now=$(date +%s)
span="--start $((now - 40)) --end $((now + 2))"
"$SERAT" graph --config "$T/c.yaml" --device sw-0 --if Gi0/2 $span --out "$T/t.png" 2>"$T/err"
ok $? "serat graph: interface traffic to PNG"
set -- $($PNG "$T/t.png")
is "$1x$2" "800x280" "the PNG is valid and has the default size"
[ "${3:-0}" -gt 2000 ]
ok $? "the traffic area is drawn ($3 green pixels)"

"$SERAT" graph --config "$T/c.yaml" --device sw-0 --if Gi0/2 --metric util $span \
	--width 500 --height 200 --theme dark --lang id --out "$T/u.png"
set -- $($PNG "$T/u.png")
is "$1x$2" "500x200" "--width/--height set the whole image's size"

"$SERAT" graph --config "$T/c.yaml" --device sw-0 --if Gi0/2 --metric errors $span --out "$T/e.png"
ok $? "serat graph: errors and discards"
"$SERAT" graph --config "$T/c.yaml" --device sw-0 --if Gi0/2 --metric if.in_bps $span --out "$T/t.svg"
n=$(svg_points "$T/t.svg")
[ "${n:-0}" -ge 8 ]
ok $? "the SVG is well-formed and has a data path of many points ($n)"

"$SERAT" graph --config "$T/c.yaml" --device sw-0 --metric availability $span --theme dark \
	--out "$T/a.png"
set -- $($PNG "$T/a.png")
[ "${3:-0}" -gt 1000 ]
ok $? "device availability: the up band is drawn ($3 green pixels)"
dark=$(py "$T/a.png" "$top_srcdir/tests" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
import png_stats
w, h, px = png_stats.decode(open(sys.argv[1], "rb").read())
print("dark" if sum(px[0]) < 120 else "light")
PY
)
is "$dark" dark "the dark theme has a dark background"
for m in rtt uptime; do
	"$SERAT" graph --config "$T/c.yaml" --device sw-0 --metric $m --period day --out "$T/$m.svg"
	ok $? "device $m graph over a day"
done

"$SERAT" graph --config "$T/c.yaml" --device nope --out "$T/x.png" 2>"$T/err"
is $? 1 "an unknown device fails (1)"
like "$(cat "$T/err")" "no device 'nope'" "and says so"
"$SERAT" graph --config "$T/c.yaml" --device sw-0 --metric bogus --out "$T/x.png" 2>/dev/null
is $? 2 "an unknown metric is a usage error"
"$SERAT" graph --config "$T/c.yaml" --device sw-0 --metric traffic --out "$T/x.png" 2>/dev/null
is $? 2 "an interface graph without --if is a usage error"
"$SERAT" graph --config "$T/c.yaml" --device sw-0 --out "$T/x.jpg" 2>/dev/null
is $? 2 "an output that is neither .png nor .svg is a usage error"

# rrdcached holding everything back: only a flush makes the data visible.
if command -v rrdcached >/dev/null 2>&1; then
	SOCK="$T/rrdcached.sock"
	mkdir -p "$T/journal"
	bg_start "$T/rrdcached.log" rrdcached -g -l "unix:$SOCK" -j "$T/journal" \
		-p "$T/rrdcached.pid" -w 3600 -z 1 -f 7200
	wait_until 10 test -S "$SOCK"
	conf_begin --data "$T/data2" "$T/r.yaml" 1s "rrd_cached_placeholder: x"
	sed -i "s|^rrd_cached_placeholder: x||; s|^rrd:|rrd:\n  rrdcached: unix:$SOCK|" "$T/r.yaml"
	conf_device "$T/r.yaml" sw-0 "$base"
	bg_start "$T/seratd2.log" "$SERATD" --config "$T/r.yaml" --foreground
	ST=$T/data2/status.json
	wait_until 30 polls_ge sw-0 6
	now=$(date +%s)
	"$SERAT" graph --config "$T/r.yaml" --device sw-0 --if Gi0/2 --start $((now - 40)) \
		--end $((now + 2)) --out "$T/r.png" 2>"$T/r.err"
	set -- $($PNG "$T/r.png")
	[ "${3:-0}" -gt 1000 ]
	ok $? "through rrdcached (-w 3600) the graph shows the latest polls ($3 green pixels)"
else
	skip "rrdcached not installed"
fi

