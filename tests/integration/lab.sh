#!/bin/bash
# The lab network (tests/lab/lab.sh): the simulated fleet starts, answers what
# its truth file says, and start/stop/restart-agent/down/up do what they claim.
. "$top_srcdir/tests/lib.sh"

command -v snmpsimd >/dev/null 2>&1 || skip_all "snmpsimd not installed (Debian package snmpsim)"
command -v snmpget >/dev/null 2>&1 || skip_all "snmpget not installed (Debian package snmp)"
HAVE_SNMPD=yes
command -v snmpd >/dev/null 2>&1 || [ -x /usr/sbin/snmpd ] || HAVE_SNMPD=

plan 40

IFHCIN=1.3.6.1.2.1.31.1.1.1.6
IFIN32=1.3.6.1.2.1.2.2.1.10
IFOPER=1.3.6.1.2.1.2.2.1.8
IFNAME=1.3.6.1.2.1.31.1.1.1.1
UPTIME=1.3.6.1.2.1.1.3.0

get() { # get PORT COMMUNITY OID... — numeric values, one a line
	_p=$1 _c=$2; shift 2
	snmpget -v2c -c "$_c" -t 1 -r 1 -Oqv -Ot 127.0.0.1:"$_p" "$@" 2>/dev/null
}
alive_pid() { # not a zombie left behind for a reaper
	kill -0 "$1" 2>/dev/null || return 1
	case $(awk '{ print $3 }' /proc/$1/stat 2>/dev/null) in Z|X) return 1 ;; esac
	return 0
}
truth() { # truth DEVICE IFINDEX COLUMN-NAME
	awk -F'\t' -v d="$1" -v i="$2" -v c="$3" \
		'NR == 1 { for (k = 1; k <= NF; k++) col[$k] = k; next }
		 $1 == d && $2 == i { print $col[c] }' "$LAB_DIR/truth.tsv"
}

# ---------------------------------------------------------------- determinism
mkdir -p "$T/g1/recordings" "$T/g2/recordings" "$T/g3/recordings"
awk -v seed=7 -v devices=12 -v outdir="$T/g1" -f "$top_srcdir/tests/lab/fleet.awk" </dev/null
awk -v seed=7 -v devices=12 -v outdir="$T/g2" -f "$top_srcdir/tests/lab/fleet.awk" </dev/null
awk -v seed=8 -v devices=12 -v outdir="$T/g3" -f "$top_srcdir/tests/lab/fleet.awk" </dev/null
diff -r "$T/g1" "$T/g2" >/dev/null; ok $? "same seed, same fleet (recordings and truth)"
cmp -s "$T/g1/truth.tsv" "$T/g3/truth.tsv"; ok $((!$?)) "another seed, another fleet"

# ---------------------------------------------------------------- single agent (+ snmpd)
LAB_DIR=$T/lab
opts=
[ -n "$HAVE_SNMPD" ] && opts=--snmpd
t0=$(date +%s%N)
"$LAB" start "$LAB_DIR" --seed 3 --interval 10s $opts >"$T/start.log" 2>&1
rc=$?
ok $rc "lab.sh start (12 devices${opts:+, $opts})"
[ $rc = 0 ] || { sed 's/^/# /' "$T/start.log"; bail "the lab did not start"; }
diag "started in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
PORT=$(cat "$LAB_DIR/port")
DEVS=$(awk -F'\t' 'NR > 1 { print $1 }' "$LAB_DIR/devices.tsv")

is "$(ls "$LAB_DIR"/recordings/*.snmprec | wc -l)" 12 "12 recordings"
is "$(echo "$DEVS" | wc -l)" 12 "12 devices in devices.tsv"
is "$(head -1 "$LAB_DIR/truth.tsv")" "$(printf 'device\tifIndex\tifName\toper\tin_bps\tout_bps\tin_pps\tout_pps\tspeed_mbps')" \
	"truth.tsv header"

unsorted=
for f in "$LAB_DIR"/recordings/*.snmprec; do
	# numeric OID order: pad every component, compare as strings
	awk -F'|' '{ n = split($1, c, "."); k = ""; for (i = 1; i <= n; i++) k = k sprintf("%010d.", c[i]); print k }' "$f" |
		LC_ALL=C sort -c 2>/dev/null || unsorted="$unsorted $(basename "$f")"
done
is "$unsorted" "" "every recording is sorted by OID"

answer=0
for d in $DEVS; do
	[ "$(snmpget -v2c -c "$d" -t 1 -r 1 -Oqv 127.0.0.1:"$PORT" 1.3.6.1.2.1.1.5.0 2>/dev/null | tr -d '"')" = "$d" ] ||
		{ answer=1; diag "$d does not answer"; }
done
ok $answer "every device answers with its own sysName"

bad=
for d in $DEVS; do
	rows=$(awk -F'\t' -v d="$d" '$1 == d' "$LAB_DIR/truth.tsv" | wc -l)
	n1=$(snmpbulkwalk -v2c -c "$d" -On 127.0.0.1:"$PORT" $IFNAME 2>/dev/null | grep -c "^.$IFNAME\.")
	n2=$(snmpbulkwalk -v2c -c "$d" -On 127.0.0.1:"$PORT" $IFHCIN 2>/dev/null | grep -c "^.$IFHCIN\.")
	all=$(snmpbulkwalk -v2c -c "$d" -On -Cr20 127.0.0.1:"$PORT" .1 2>/dev/null | grep -c ' = [A-Z][A-Za-z0-9-]*: \| = ""$')
	lines=$(wc -l <"$LAB_DIR/recordings/$d.snmprec")
	[ "$n1" = "$rows" ] && [ "$n2" = "$rows" ] && [ "$all" = "$lines" ] ||
		bad="$bad $d(truth $rows, ifName $n1, ifHCInOctets $n2, walk $all/$lines)"
done
is "$bad" "" "per device: ifName and ifHCInOctets rows = truth rows, full walk = recording"

# inventory: parents follow access -> kecamatan -> core
bad=$(awk -F, 'NR == 1 { next }
	{ kind[$3] = $2; parent[$3] = $5 }
	END { for (d in kind) {
		k = kind[d]; p = parent[d]
		if (k == "core" && p != "") print d
		else if (k == "kecamatan" && kind[p] != "core") print d
		else if (k != "core" && k != "kecamatan" && kind[p] != "kecamatan") print d } }' "$LAB_DIR/sites.csv")
is "$bad" "" "sites.csv parents: access -> kecamatan -> core"
is "$(head -1 "$LAB_DIR/sites.csv")" "site,kind,device,address,parent,snmp_version,community" "sites.csv header"
like "$(sed -n 2p "$LAB_DIR/sites.csv")" "^diskominfo,core,lab-core-01,127\.0\.0\.1:$PORT,,2c,lab-core-01$" "sites.csv row of the core switch"
like "$(tr '\n' ' ' <"$LAB_DIR/serat.yaml")" \
	"data_dir: $LAB_DIR/data .*interval: 10s .*http_listen: 127\.0\.0\.1:[0-9]+ .*community: public .*rras: \[\"10s:1h\", \"1m:2d\"\] .*inventory: sites\.csv" \
	"serat.yaml"

if [ -x "$SERAT" ]; then
	"$SERAT" check-config "$LAB_DIR/serat.yaml" >"$T/check.log" 2>&1
	ok $? "serat check-config accepts the lab's serat.yaml + sites.csv" || true
	[ -s "$T/check.log" ] && grep -q "devices: 12" "$T/check.log" || sed 's/^/# /' "$T/check.log"
else
	skip "serat not built"
fi

# rates: the busiest up port and a down port of an access switch
dev=lab-opd-01
busy=$(awk -F'\t' -v d=$dev '$1 == d && $4 == 1 && $5 > m { m = $5; i = $2 } END { print i }' "$LAB_DIR/truth.tsv")
down=$(awk -F'\t' -v d=$dev '$1 == d && $4 == 2 { print $2; exit }' "$LAB_DIR/truth.tsv")
set -- $(get $PORT $dev $UPTIME $IFHCIN.$busy $IFIN32.$busy $IFHCIN.$down $IFOPER.$down)
u1=$1 b1=$2 b32=$3 d1=$4 oper=$5
sleep 2
set -- $(get $PORT $dev $UPTIME $IFHCIN.$busy $IFHCIN.$down)
u2=$1 b2=$2 d2=$3
want=$(truth $dev "$busy" in_bps)
got=$(awk -v a=$b1 -v b=$b2 -v t1=$u1 -v t2=$u2 'BEGIN { printf "%.0f", (b - a) * 8 / ((t2 - t1) / 100) }')
err=$(awk -v g="$got" -v w="$want" 'BEGIN { e = (g - w) / w; if (e < 0) e = -e; printf "%.4f", e }')
diag "$dev ifIndex $busy: $got bit/s measured, $want in truth.tsv"
ok "$(awk -v e="$err" 'BEGIN { print (e <= 0.02) ? 0 : 1 }')" "ifHCInOctets grows at the truth rate (within 2 %)"
ok "$(awk -v a="$b1" -v b="$b32" 'BEGIN { d = a % 4294967296 - b; if (d < 0) d = -d; print (d < 1e8) ? 0 : 1 }')" \
	"ifInOctets is the low 32 bits of ifHCInOctets"
ok "$(awk -v a="$u1" -v b="$u2" 'BEGIN { d = b - a; print (d >= 150 && d <= 400) ? 0 : 1 }')" "sysUpTime ticks 100/s ($u1 -> $u2)"
is "$oper" 2 "the truth's down port has ifOperStatus down"
ok "$([ -n "$d1" ] && [ "$d1" = "$d2" ] && echo 0 || echo 1)" "a down port's counter does not move"

# restart-agent: sysUpTime and counters start again, same port
"$LAB" restart-agent "$LAB_DIR" >"$T/restart.log" 2>&1
ok $? "lab.sh restart-agent"
set -- $(get $PORT $dev $UPTIME $IFHCIN.$busy)
ok "$([ -n "${1:-}" ] && [ "$1" -lt "$u2" ] && echo 0 || echo 1)" "after restart-agent sysUpTime starts again (${1:-none} < $u2)"
ok "$([ -n "${2:-}" ] && [ "$(awk -v a="$2" -v b="$b2" 'BEGIN { print (a < b) }')" = 1 ] && echo 0 || echo 1)" \
	"after restart-agent the counter restarted too"
is "$(cat "$LAB_DIR/port")" "$PORT" "same port after restart-agent"

"$LAB" down "$LAB_DIR" $dev >/dev/null 2>&1
ok $((!$?)) "down refuses a single-agent lab (needs --split)"

# snmpd with SNMPv3
if [ -n "$HAVE_SNMPD" ]; then
	. "$LAB_DIR/snmpd/v3.env"
	v3() { snmpget -v3 -l authPriv -u "$1" -a "$2" -A "$3" -x AES -X "$4" -t 1 -r 0 -Oqv \
		127.0.0.1:"$SNMPD_PORT" 1.3.6.1.2.1.1.5.0 2>/dev/null | tr -d '"'; }
	is "$(cat "$LAB_DIR/snmpd.port")" "$SNMPD_PORT" "snmpd port in snmpd.port and v3.env"
	is "$(v3 "$SNMPV3_USER" SHA "$SNMPV3_AUTH" "$SNMPV3_PRIV")" lab-snmpd "snmpd: SNMPv3 authPriv SHA/AES get works"
	is "$(v3 "$SNMPV3_USER" SHA "wrong-$SNMPV3_AUTH" "$SNMPV3_PRIV")" "" "snmpd: a wrong auth password fails"
	if [ "$SNMPV3_SHA256" = yes ]; then
		is "$(v3 "$SNMPV3_USER_256" SHA-256 "$SNMPV3_AUTH_256" "$SNMPV3_PRIV_256")" lab-snmpd "snmpd: SHA-256 user works"
	else
		skip "this snmpd has no SHA-256"
	fi
	is "$(snmpget -v2c -c lab-snmpd -t 1 -r 0 -Oqv 127.0.0.1:"$SNMPD_PORT" 1.3.6.1.2.1.1.5.0 2>/dev/null | tr -d '"')" lab-snmpd \
		"snmpd: v2c community lab-snmpd"
else
	for i in 1 2 3 4 5; do skip "snmpd not installed"; done
fi

"$LAB" status "$LAB_DIR" >"$T/status.log" 2>&1
ok $? "lab.sh status: every agent answers"

pids=$(cat "$LAB_DIR/pids")
is "$(echo $pids | wc -w)" "$([ -n "$HAVE_SNMPD" ] && echo 2 || echo 1)" "one PID per agent in DIR/pids"
"$LAB" stop "$LAB_DIR"
left=
for p in $pids; do alive_pid "$p" && left="$left $p"; done
is "$left" "" "lab.sh stop: no agent process left"

# ---------------------------------------------------------------- split: one device down
LAB_DIR=$T/split
"$LAB" start "$LAB_DIR" --devices 4 --split >"$T/split.log" 2>&1
ok $? "lab.sh start --split (4 devices)"
port_of() { awk -v d="$1" '$1 == d { print $2 }' "$LAB_DIR/ports"; }
dev=lab-opd-01
other=lab-core-01
is "$(awk -F, 'NR > 1 { print $4 }' "$LAB_DIR/sites.csv" | sort -u | wc -l)" 4 "split: one port per device in sites.csv"
before=$(get "$(port_of $dev)" $dev $IFHCIN.1)
"$LAB" down "$LAB_DIR" $dev
ok $? "lab.sh down $dev"
get "$(port_of $dev)" $dev $UPTIME >/dev/null
ok $((!$?)) "$dev no longer answers"
get "$(port_of $other)" $other $UPTIME >/dev/null
ok $? "$other still answers"
"$LAB" up "$LAB_DIR" $dev
ok $? "lab.sh up $dev"
after=$(get "$(port_of $dev)" $dev $IFHCIN.1)
ok "$([ -n "$before" ] && [ -n "$after" ] && [ "$(awk -v a="$after" -v b="$before" 'BEGIN { print (a > b) }')" = 1 ] && echo 0 || echo 1)" \
	"$dev answers again, its counters kept counting ($before -> $after)"

"$LAB" down "$LAB_DIR" $dev
pids=$(cat "$LAB_DIR/pids")
"$LAB" stop "$LAB_DIR"
left=
for p in $pids; do alive_pid "$p" && left="$left $p"; done
is "$left" "" "split: stop kills every agent, a paused one too"
