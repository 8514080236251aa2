#!/bin/sh
# probe_seratd.sh — the passive probe inside seratd: with a `probe:`
# section seratd starts serat-probe on `lo` as nobody, reads its messages
# on the loop and turns each interval of a site into a sample set: the
# site's RRD file (<data_dir>/site/<site>/probe.rrd) and status.json's
# `sites` show the TCP handshakes made against a local http.server; a
# killed child is started again; SIGHUP without changes keeps it; a
# config without `probe:` stops it.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
PROBE="$top_builddir/serat-probe"
[ -x "$PROBE" ] || skip_all "serat-probe not built"
[ "$(id -u)" -eq 0 ] || skip_all "needs root to capture on lo"
command -v curl >/dev/null 2>&1 || skip_all "curl not installed"
command -v rrdtool >/dev/null || skip_all "rrdtool (CLI, to read RRDs back) missing"
plan 8

port=$(free_port tcp)
mkdir -p "$T/www" && echo hello >"$T/www/index.html"
bg_start "$T/http.log" python3 -m http.server "$port" --bind 127.0.0.1 --directory "$T/www"
wait_until 10 curl -s -o /dev/null "http://127.0.0.1:$port/" || bail "http.server did not start"

p=$(free_port)
fake_start fa "$p" 1 2
conf_begin "$T/c.yaml" 1s \
	"probe: {interface: lo, filter: \"tcp port $port\", interval: 1s, program: $PROBE}"
conf_device "$T/c.yaml" sw-0 "$p"
sed -i 's|^    devices:$|    subnets: [127.0.0.1/32]\n    devices:|' "$T/c.yaml"
"$SERAT" check-config "$T/c.yaml" >"$T/check.out" 2>&1 || bail "config rejected: $(cat "$T/check.out")"

bg_start "$T/seratd.log" "$SERATD" --config "$T/c.yaml" --foreground
seratd=$BG_PID
wait_until 15 grep -q "probe: capturing on lo" "$T/seratd.log"
ok $? "seratd starts serat-probe, which says hello from its dropped privileges"
child=$(pgrep -P "$seratd" serat-probe)
is "$(awk '/^Uid:/ { print $3 }' /proc/"$child"/status 2>/dev/null)" "$(id -u nobody)" \
	"the capture child runs as nobody"

hs() { py "$ST" <<'PY'
import json, sys
for s in json.load(open(sys.argv[1])).get("sites", []):
    if s["name"] == "lab" and (s["probe"]["tcp_handshakes_ps"] or 0) > 0: sys.exit(0)
sys.exit(1)
PY
}
i=0; while [ $i -lt 30 ] && ! hs; do curl -s -o /dev/null "http://127.0.0.1:$port/"; sleep 0.2; i=$((i + 1)); done
hs; ok $? "status.json shows the site's TCP handshakes from the probe"
F="$T/data/site/lab/probe.rrd"
wait_until 10 test -f "$F"
ok $? "the site's RRD file is created ($F)"
rrd_hs() { rrdtool fetch "$F" MAX -r 1 -s -30 | awk -F: 'NR > 2 { split($2, a, " "); if (a[3] != "-nan" && a[3] + 0 > 0) f = 1 } END { exit !f }'; }
i=0; while [ $i -lt 30 ] && ! rrd_hs; do curl -s -o /dev/null "http://127.0.0.1:$port/"; sleep 0.3; i=$((i + 1)); done
rrd_hs; ok $? "... and holds handshakes per second (DS hs)"

kill -KILL "$child"
restarted() { c=$(pgrep -P "$seratd" serat-probe) && [ "$c" != "$child" ]; }
wait_until 20 restarted
ok $? "a killed capture child is started again (with back-off)"
child=$(pgrep -P "$seratd" serat-probe)
kill -HUP "$seratd"
wait_until 10 sh -c "[ \$(grep -c 'polling 1 devices' '$T/seratd.log') -ge 2 ]"
is "$(pgrep -P "$seratd" serat-probe)" "$child" "a reload that changes nothing keeps the child"
sed -i '/^probe:/d' "$T/c.yaml"
kill -HUP "$seratd"
gone() { ! pgrep -P "$seratd" serat-probe >/dev/null; }
wait_until 10 gone
ok $? "a config without probe: stops it"
bg_stop "$seratd"
