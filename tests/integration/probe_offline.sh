#!/bin/sh
# probe_offline.sh — `serat probe --read` against the reference analyser.
#
# tests/probe_gen.py writes a capture with known handshake RTTs,
# retransmissions of every kind, dup ACKs, out-of-order segments,
# keep-alives, zero windows, ICMP/ICMPv6 echo with 10 % loss, IPv6, 802.1Q
# and QinQ.  serat's figures must equal the generator's truth, and agree
# with tshark: tcp.analysis.retransmission within 2 %,
# tcp.analysis.initial_rtt (median and p95 over the streams) within 0.1 ms.
# The same capture as pcapng must give the same total; a file cut short
# must be reported and its figures kept; site subnets from a config split
# the traffic.  Last, a real capture: tcpdump on lo while curl fetches from
# a python http.server on 127.0.0.1.
. "$top_srcdir/tests/lib.sh"

[ -x "$SERAT" ] || skip_all "serat not built"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
GEN="$top_srcdir/tests/probe_gen.py"
plan 41; _planned=1

# jget FILE EXPR — a value from a JSON document (EXPR indexes `d`).
jget() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); v=$2; print('null' if v is None else (round(v,6) if isinstance(v,float) else v))" "$1"
}
# expect KEY — the generator's truth for KEY.
expect() { awk -v k="$1" '$1 == k {print $2}' "$T/s.pcap.expect"; }
# irtt CAPTURE — tshark's initial RTT of each stream, in ms, sorted.
irtt() {
	tshark -r "$1" -Y tcp.analysis.initial_rtt -T fields -e tcp.stream \
		-e tcp.analysis.initial_rtt 2>/dev/null | sort -u -k1,1n | awk '{print $2 * 1000}' | sort -g
}
# median FILE — of sorted numbers, one a line.
median() { awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}' "$1"; }
# near A B TOL — |A - B| <= TOL
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }

python3 "$GEN" scenarios "$T/s.pcap"
ok $? "generator wrote the scenario capture"

"$SERAT" probe --read "$T/s.pcap" --interval 2 --json >"$T/s.json" 2>"$T/s.err"
is "$?" 0 "serat probe exits 0"
is "$(cat "$T/s.err")" "" "nothing on stderr"
is "$(jget "$T/s.json" "sorted(d['total'].keys())")" \
   "['bytes', 'decode_errors', 'icmp_echo_replies', 'icmp_echo_requests', 'icmp_loss_pct', 'icmp_rtt_ms', 'packets', 'tcp_handshake_rtt_ms', 'tcp_handshakes', 'tcp_retransmissions']" \
   "total has exactly the documented keys"
is "$(jget "$T/s.json" "d['total']['packets']")" "$(expect packets)" "packets"
is "$(jget "$T/s.json" "d['total']['decode_errors']")" 0 "no decode errors"
is "$(jget "$T/s.json" "d['total']['tcp_handshakes']")" "$(expect tcp_handshakes)" "handshakes"
is "$(jget "$T/s.json" "d['total']['icmp_echo_requests']")" "$(expect icmp_echo_requests)" "echo requests"
is "$(jget "$T/s.json" "d['total']['icmp_echo_replies']")" "$(expect icmp_echo_replies)" "echo replies"
is "$(jget "$T/s.json" "d['total']['icmp_loss_pct']")" "$(expect icmp_loss_pct | sed 's/\.0$//')" "echo loss 10 %"
near "$(jget "$T/s.json" "d['total']['icmp_rtt_ms']['min']")" "$(expect icmp_rtt_min_ms)" 0.001
ok $? "echo RTT min is the generated one"
near "$(jget "$T/s.json" "d['total']['icmp_rtt_ms']['max']")" "$(expect icmp_rtt_max_ms)" 0.001
ok $? "echo RTT max is the generated one"
zw=$(jget "$T/s.json" "sum(s['tcp_zero_windows'] for i in d['intervals'] for s in i['sites'].values())")
is "$zw" "$(expect tcp_zero_windows)" "zero-window events"
is "$(jget "$T/s.json" "len(d['intervals']) > 1 and all(i['start'] % 2 == 0 and i['seconds'] == 2 for i in d['intervals'])")" \
   True "several 2 s intervals, aligned"

# ---- against tshark
if command -v tshark >/dev/null 2>&1; then
	ts_retx=$(tshark -r "$T/s.pcap" -Y tcp.analysis.retransmission 2>/dev/null | wc -l)
	serat_retx=$(jget "$T/s.json" "d['total']['tcp_retransmissions']")
	awk -v a="$serat_retx" -v b="$ts_retx" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d <= 0.02 * b) }'
	ok $? "retransmissions: serat $serat_retx, tshark $ts_retx (within 2 %)"
	# One initial RTT per stream; median and nearest-rank p95 in ms.
	irtt "$T/s.pcap" >"$T/irtt"
	is "$(wc -l <"$T/irtt" | tr -d ' ')" "$(jget "$T/s.json" "d['total']['tcp_handshakes']")" \
	   "handshakes: as many as tshark's streams with an initial RTT"
	ts_med=$(median "$T/irtt")
	ts_p95=$(awk '{a[NR]=$1} END {r = int(0.95 * NR); if (r < 0.95 * NR) r++; print a[r]}' "$T/irtt")
	s_med=$(jget "$T/s.json" "d['total']['tcp_handshake_rtt_ms']['median']")
	s_p95=$(jget "$T/s.json" "d['total']['tcp_handshake_rtt_ms']['p95']")
	near "$s_med" "$ts_med" 0.1
	ok $? "handshake RTT median: serat $s_med ms, tshark $ts_med ms"
	near "$s_p95" "$ts_p95" 0.1
	ok $? "handshake RTT p95: serat $s_p95 ms, tshark $ts_p95 ms"
	ts_zw=$(tshark -r "$T/s.pcap" -Y tcp.analysis.zero_window 2>/dev/null | wc -l)
	is "$zw" "$ts_zw" "zero windows: as tshark's tcp.analysis.zero_window"
	ts_req=$(tshark -r "$T/s.pcap" -Y 'icmp.type == 8 || icmpv6.type == 128' 2>/dev/null | wc -l)
	is "$(jget "$T/s.json" "d['total']['icmp_echo_requests']")" "$ts_req" "echo requests: as tshark"
	ts_rmin=$(tshark -r "$T/s.pcap" -Y 'icmp.resptime || icmpv6.resptime' -T fields \
		-e icmp.resptime -e icmpv6.resptime 2>/dev/null | tr -s '\t ' '\n' | grep . | sort -g | head -1)
	near "$(jget "$T/s.json" "d['total']['icmp_rtt_ms']['min']")" "$ts_rmin" 0.001
	ok $? "echo RTT min as tshark's icmp.resptime ($ts_rmin ms)"
else
	for i in 1 2 3 4 5 6 7; do skip "tshark not installed"; done
fi

# ---- the same capture as pcapng
if command -v editcap >/dev/null 2>&1; then
	editcap -F pcapng "$T/s.pcap" "$T/s.pcapng" >/dev/null 2>&1
	"$SERAT" probe --read "$T/s.pcapng" --json >"$T/ng.json" 2>/dev/null
	is "$?" 0 "pcapng: exit 0"
	is "$(jget "$T/ng.json" "d['total']")" "$(jget "$T/s.json" "d['total']")" "pcapng: the same total"
else
	skip "editcap not installed"; skip "editcap not installed"
fi

# ---- a file cut short: reported, figures kept
size=$(wc -c <"$T/s.pcap")
head -c $((size * 2 / 3 + 5)) "$T/s.pcap" >"$T/cut.pcap"
"$SERAT" probe --read "$T/cut.pcap" --json >"$T/cut.json" 2>"$T/cut.err"
is "$?" 0 "cut file: exit 0"
like "$(cat "$T/cut.err")" "warning: .*cut.pcap: capture cut short after [0-9]+ packets" \
     "cut file: stderr says it was cut short"
is "$(jget "$T/cut.json" "d['truncated']")" True "cut file: \"truncated\": true"
is "$(jget "$T/cut.json" "0 < d['total']['packets'] < $(expect packets)")" True \
   "cut file: the packets before the cut are counted"

# ---- sites from subnets
cat >"$T/sites.yaml" <<'EOF'
data_dir: /var/lib/serat
snmp: {version: 2c, community: public}
sites:
  - name: kantor
    kind: opd
    subnets: [10.1.0.0/16, "2001:db8:1::/64"]
  - name: dc
    kind: core
    subnets: [10.2.0.0/16, "2001:db8:2::/64"]
EOF
"$SERAT" probe --read "$T/s.pcap" --config "$T/sites.yaml" --json >"$T/sites.json" 2>"$T/sites.err"
is "$?" 0 "with sites: exit 0"
sum() { jget "$T/sites.json" "sum(i['sites'].get('$1', {}).get('$2', 0) for i in d['intervals'])"; }
is "$(sum kantor tcp_handshakes)" "$(expect tcp_handshakes)" "kantor: every handshake (clients)"
is "$(sum dc tcp_handshakes)" "$(expect tcp_handshakes)" "dc: every handshake (servers)"
is "$(sum other icmp_echo_requests)" 200 "other: the echo targets outside both sites"
is "$(sum kantor icmp_echo_requests)" 200 "kantor: its echo requests"
is "$(sum dc icmp_echo_requests)" 0 "dc: no echo"
is "$(sum all packets)" 0 "no 'all' site once sites are configured"
is "$(jget "$T/sites.json" "d['total']")" "$(jget "$T/s.json" "d['total']")" "with sites: the same total"

cat >"$T/bad.yaml" <<'EOF'
data_dir: /var/lib/serat
snmp: {version: 2c, community: public}
sites:
  - name: kantor
    kind: opd
    subnets: [10.1.0.0/16, 10.1.2.3/24]
EOF
"$SERAT" probe --read "$T/s.pcap" --config "$T/bad.yaml" --json >/dev/null 2>"$T/bad.err"
is "$?" 1 "bad subnet: exit 1"
like "$(cat "$T/bad.err")" "bad.yaml:6:28: site 'kantor': subnet '10.1.2.3/24': host bits set" \
     "bad subnet: FILE:LINE:COL"

# ---- usage
"$SERAT" probe --json >/dev/null 2>&1
is "$?" 2 "no --read: usage error"
"$SERAT" probe --read "$T/does-not-exist.pcap" >/dev/null 2>&1
is "$?" 1 "missing file: exit 1"

# ---- a real capture on loopback: curl against python's http.server
if [ "$(id -u)" -eq 0 ] && command -v tcpdump >/dev/null 2>&1 && command -v curl >/dev/null 2>&1; then
	port=$(free_port tcp)
	mkdir -p "$T/www" && echo hello >"$T/www/index.html"
	bg_start "$T/http.log" python3 -m http.server "$port" --bind 127.0.0.1 --directory "$T/www"
	http_pid=$BG_PID
	wait_until 10 curl -s -o /dev/null "http://127.0.0.1:$port/"
	bg_start "$T/tcpdump.log" tcpdump -i lo -n -s 0 -U -w "$T/lo.pcap" "tcp port $port"
	dump_pid=$BG_PID
	wait_until 10 grep -q "listening on" "$T/tcpdump.log"
	for i in 1 2 3 4 5; do curl -s -o /dev/null "http://127.0.0.1:$port/"; done
	# tcpdump -U writes each packet as it comes: wait for the 5th FIN.
	wait_until 10 sh -c "[ \$(tcpdump -r '$T/lo.pcap' -n 'tcp[tcpflags] & tcp-fin != 0' 2>/dev/null | wc -l) -ge 10 ]"
	bg_stop "$dump_pid"
	bg_stop "$http_pid"
	"$SERAT" probe --read "$T/lo.pcap" --json >"$T/lo.json" 2>/dev/null
	is "$(jget "$T/lo.json" "d['total']['tcp_handshakes']")" 5 "loopback: 5 handshakes"
	if command -v tshark >/dev/null 2>&1; then
		irtt "$T/lo.pcap" >"$T/lo.irtt"
		lo_med=$(median "$T/lo.irtt")
		near "$(jget "$T/lo.json" "d['total']['tcp_handshake_rtt_ms']['median']")" "$lo_med" 0.1
		ok $? "loopback: handshake RTT median as tshark's ($lo_med ms)"
	else
		skip "tshark not installed"
	fi
else
	skip "needs root, tcpdump and curl"; skip "needs root, tcpdump and curl"
fi
