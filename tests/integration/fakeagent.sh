#!/bin/sh
# fakeagent.sh — the fake SNMP agent answers the real Net-SNMP tools correctly.
#
# Everything a poller test relies on is checked here with snmpget/snmpwalk/
# snmpbulkwalk on loopback: table order across columns and tables, the end
# of the MIB view, SNMPv1, counter rates against the truth file, and each
# fault the fixture promises (reboot, renumbering, no ifXTable, drop, delay
# that does not block other devices, wrap32, malformed replies, wrong
# community).  No MIB files are installed on the test machines, so every OID
# is numeric and the tools run with -m '' (which also makes them start fast).
. "$top_srcdir/tests/lib.sh"

command -v snmpget >/dev/null 2>&1 || skip_all "Net-SNMP tools not installed"
[ -x "$FAKEAGENT" ] || skip_all "fakeagent not built"

SYS=.1.3.6.1.2.1.1
IFT=.1.3.6.1.2.1.2.2.1
IFX=.1.3.6.1.2.1.31.1.1.1
C="-c public -t 1 -r 1"

# Values only, TimeTicks as plain numbers: get PORT OID...
get() {
	_p=$1; shift
	snmpget -m '' -On -Oqv -Ot -v2c $C "127.0.0.1:$_p" "$@" 2>&1
}
# Numeric bulk walk: bwalk PORT OID [extra options]
bwalk() {
	_p=$1; _o=$2; shift 2
	snmpbulkwalk -m '' -On -v2c $C "$@" "127.0.0.1:$_p" "$_o"
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# RANGE=first of N consecutive free UDP ports (runs in this shell so that
# free_port's counter advances).
port_range() {
	_tries=0
	while [ $_tries -lt 50 ]; do
		free_port >"$T/port"
		_b=$(cat "$T/port")
		_i=1; _free=1
		while [ $_i -lt "$1" ]; do
			[ -n "$(ss -Hlun "sport = :$((_b + _i))" 2>/dev/null)" ] && _free=0
			_i=$((_i + 1))
		done
		_port_next=$((_b + $1))
		if [ $_free = 1 ]; then RANGE=$_b; return 0; fi
		_tries=$((_tries + 1))
	done
	return 1
}

# start_agent NAME N ARGS... — start, wait for "ready", set AGENT_PID/BASE.
start_agent() {
	_name=$1; _n=$2; shift 2
	port_range "$_n" || bail "no free ports"
	BASE=$RANGE
	bg_start "$T/$_name.log" "$FAKEAGENT" --port-base "$BASE" --devices "$_n" "$@"
	AGENT_PID=$BG_PID
	wait_until 5 grep -qx ready "$T/$_name.log"
}

# stop_agent PID — SIGTERM, and the exit status (0 expected).
stop_agent() {
	kill -TERM "$1"
	wait "$1"
}

# ---- agent A: 3 devices x 10 ports, device 2 is the fault device --------
start_agent a 3 --ports 10 --truth "$T/truth.tsv" --fault-devices 2
ok $? "prints 'ready' once every socket is bound"
PA=$BASE; A=$AGENT_PID
wait_until 3 snmp_ready "127.0.0.1:$((PA + 2))" public
ok $? "the last device answers snmpget"

is "$(get $((PA + 1)) $SYS.1.0 $SYS.5.0 .1.3.6.1.2.1.2.1.0 | tr '\n' ' ')" \
	'"fakeagent device 1" "fake-d0001" 10 ' "sysDescr, sysName and ifNumber of device 1"

u1=$(get $PA $SYS.3.0)
sleep 0.3
u2=$(get $PA $SYS.3.0)
like "$u1 $u2" '^[0-9]+ [0-9]+$' "sysUpTime is TimeTicks"
[ "${u2:-0}" -ge $(( ${u1:-0} + 20 )) ] && [ "${u2:-0}" -le $(( ${u1:-0} + 150 )) ]
ok $? "sysUpTime ticks at 100 Hz ($u1 -> $u2 over 0.3 s)"

# A full ifXTable walk: 10 rows per column, clean end, exit 0.
bwalk $((PA + 1)) $IFX >"$T/ifx.out" 2>"$T/ifx.err"
is "$?:$(cat "$T/ifx.err")" "0:" "snmpbulkwalk of ifXTable exits 0 with nothing on stderr"
cols=""
for c in 1 6 7 10 11 15 18 19; do
	cols="$cols $c:$(grep -c "^$IFX\.$c\.[0-9]* = [A-Za-z0-9]*:" "$T/ifx.out")"
done
is "$cols" " 1:10 6:10 7:10 10:10 11:10 15:10 18:10 19:10" "ifXTable has exactly 10 rows in each of its 8 columns"
is "$(grep -c ' = ' "$T/ifx.out")" 81 "nothing else but 80 rows and the end-of-view marker"
like "$(tail -n 1 "$T/ifx.out")" "^$IFX\.19\.10 = No more variables left" "the walk ends in endOfMibView after the last OID"

# The whole view in one walk: system -> ifNumber -> ifTable -> ifXTable.
bwalk $((PA + 1)) .1.3.6.1.2.1 >"$T/all.out" 2>"$T/all.err"
is "$?:$(grep -c ' = [A-Za-z0-9]*:' "$T/all.out")" "0:225" \
	"bulk walk of mib-2 crosses every column and table: 4+1+14*10+8*10 rows"
grep ' = ' "$T/all.out" | sed 's/ = .*//' >"$T/all.oids"
is "$(sed -n '5p;6p;145p;146p' "$T/all.oids" | tr '\n' ' ')" \
	".1.3.6.1.2.1.2.1.0 $IFT.1.1 $IFT.20.10 $IFX.1.1 " "table boundaries are in OID order"

# SNMPv1: GETNEXT walk; Counter64 columns are invisible, as on real agents.
snmpwalk -m '' -On -v1 $C "127.0.0.1:$PA" .1.3.6.1.2.1 >"$T/v1.out" 2>"$T/v1.err"
is "$?:$(grep -c ' = [A-Za-z0-9]*:' "$T/v1.out"):$(grep -c Counter64 "$T/v1.out")" "0:185:0" \
	"snmpwalk -v1 walks 185 objects, no Counter64, exit 0"

# GETBULK replies stop at --max-varbinds (default 100).
is "$(snmpbulkget -m '' -On -v2c $C -Cr200 "127.0.0.1:$PA" .1.3.6.1.2.1.2 | grep -c ' = ')" 100 \
	"a GETBULK reply is capped at 100 varbinds"

# Rates: two reads 2 s apart, time from the agent's own sysUpTime.
r1=$(get $((PA + 1)) $SYS.3.0 $IFX.6.3 $IFX.10.3 | tr '\n' ' ')
sleep 2
r2=$(get $((PA + 1)) $SYS.3.0 $IFX.6.3 $IFX.10.3 | tr '\n' ' ')
truth=$(awk -F'\t' '$1 == 1 && $3 == 3 { print $6, $7 }' "$T/truth.tsv")
# docs/fakeagent.md: in = 1000 * (1 + (d*131 + p*17) % 997) octets/s, out = 1.5 * in.
is "$truth" "$((8 * 1000 * (1 + (1 * 131 + 3 * 17) % 997))) $((8 * 1000 * (1 + (1 * 131 + 3 * 17) % 997) * 3 / 2))" \
	"the truth file follows the documented rate formula (device 1 port 3)"
res=$(echo "$r1 $r2 $truth" | awk '{
	dt = ($4 - $1) / 100; if (dt <= 0) { print "bad"; exit }
	ei = ($5 - $2) * 8 / dt / $7 - 1; eo = ($6 - $3) * 8 / dt / $8 - 1
	if (ei < 0) ei = -ei; if (eo < 0) eo = -eo
	print (ei < 0.01 && eo < 0.01) ? "within1%" : "off", ei, eo }')
like "$res" '^within1% ' "ifHCIn/OutOctets rates match the truth file within 1% ($res)"
# A Counter32 is the low half of its Counter64.
set -- $(get $((PA + 1)) $IFT.10.3 $IFX.6.3)
is "$1" "$(( ${2:-0} % 4294967296 ))" "ifInOctets is the low 32 bits of ifHCInOctets"
is "$(get $((PA + 1)) $IFT.8.7 $IFT.8.3 | tr '\n' ' ')" "2 1 " "every 7th port is oper down"

# SIGUSR1 reboots the fault device (2) only.
b2=$(get $((PA + 2)) $SYS.3.0)
b1=$(get $((PA + 1)) $SYS.3.0)
kill -USR1 $A
uptime_reset() { [ "$(get $((PA + 2)) $SYS.3.0)" -lt 50 ]; }
wait_until 3 uptime_reset
ok $? "SIGUSR1: sysUpTime of the fault device restarts ($b2 -> $(get $((PA + 2)) $SYS.3.0))"
[ "$(get $((PA + 1)) $SYS.3.0)" -ge "${b1:-0}" ]
ok $? "SIGUSR1: other devices keep their uptime"
hc=$(get $((PA + 2)) $IFX.6.1)
rate=$(awk -F'\t' '$1 == 2 && $3 == 1 { print $6 / 8 }' "$T/truth.tsv")
[ "${hc:-999999999}" -lt "${rate:-0}" ]
ok $? "SIGUSR1: counters restart from 0 (ifHCInOctets.1 = $hc, less than 1 s at $rate B/s)"

# SIGUSR2 renumbers the fault device's ifIndexes; names stay with the ports.
bwalk $((PA + 2)) $IFX.1 >"$T/n1.out"
kill -USR2 $A
renumbered() { bwalk $((PA + 2)) $IFX.1 | grep -q "^$IFX\.1\.1001 "; }
wait_until 3 renumbered
ok $? "SIGUSR2: ifIndex 1 became 1001"
bwalk $((PA + 2)) $IFX.1 >"$T/n2.out"
idx() { sed -n "s/^$IFX\.1\.\([0-9]*\) = .*/\1/p" "$1" | tr '\n' ' '; }
names() { sed -n 's/.*STRING: //p' "$1" | sort | tr '\n' ' '; }
[ "$(idx "$T/n1.out")" != "$(idx "$T/n2.out")" ]
ok $? "SIGUSR2: the ifIndex set changed ($(idx "$T/n2.out"))"
is "$(names "$T/n2.out")" "$(names "$T/n1.out")" "SIGUSR2: the ifName set is unchanged"
like "$(names "$T/n2.out")" '"Gi0/10"' "SIGUSR2: ifName values are still served"
is "$(get $((PA + 2)) $IFT.1.1005 $IFX.1.1005 | tr '\n' ' ')" '1005 "Gi0/5" ' \
	"SIGUSR2: ifIndex column and ifName agree on the new index"
is "$(awk -F'\t' '$1 == 2 && $4 == "Gi0/5" { print $3 }' "$T/truth.tsv")" 1005 \
	"SIGUSR2: the truth file is rewritten with the new ifIndex"
is "$(get $((PA + 1)) $IFX.1.5)" '"Gi0/5"' "SIGUSR2: other devices keep their ifIndexes"

# Wrong community: silence, like a real agent.
out=$(snmpget -m '' -On -v2c -c wrong -t 0.5 -r 0 "127.0.0.1:$PA" $SYS.3.0 2>&1)
like "$?:$out" '^[1-9][0-9]*:Timeout' "a wrong community gets no answer"

# Garbage must be counted and survived, never crash the agent.
bash -c "printf '\x30\x84\xff\xff\xff\xff' >/dev/udp/127.0.0.1/$PA;
	printf '\x30\x03\x02\x01' >/dev/udp/127.0.0.1/$PA;
	printf 'hello' >/dev/udp/127.0.0.1/$PA" 2>/dev/null
wait_until 3 snmp_ready "127.0.0.1:$PA" public
ok $? "still answering after malformed requests"

stop_agent $A
is "$?" 0 "SIGTERM: exit status 0"
like "$(cat "$T/a.log")" 'bad_community=1 bad_packets=3 ' "SIGTERM: stats line counts the bad community and the 3 bad packets"

# ---- agent B: device 0 is slow (300 ms) and has no ifXTable -----------
start_agent b 2 --ports 10 --fault-devices 0 --delay-ms 300 --no-ifxtable
ok $? "agent with --delay-ms 300 --no-ifxtable on device 0 is ready"
PB=$BASE; B=$AGENT_PID
wait_until 3 snmp_ready "127.0.0.1:$((PB + 1))" public

# Device 0 holds a request for 300 ms; device 1, asked 50 ms later, answers
# first.  A blocking sleep in the agent would make device 1 wait too.
( s=$(now_ms); get $PB $SYS.3.0 >"$T/d0.val"; echo "$s $(now_ms)" >"$T/d0" ) &
D0=$!
sleep 0.05
s1=$(now_ms); v1=$(get $((PB + 1)) $SYS.3.0); e1=$(now_ms)
wait $D0
read s0 e0 <"$T/d0"
like "$(cat "$T/d0.val")" '^[0-9]+$' "the delayed device answers"
[ $((e0 - s0)) -ge 300 ] && [ $((e0 - s0)) -lt 900 ]
ok $? "device 0 reply is delayed ~300 ms ($((e0 - s0)) ms)"
[ "$e1" -lt "$e0" ] && [ $((e1 - s1)) -lt 200 ]
ok $? "device 1 answered in $((e1 - s1)) ms, before the delayed device 0"

bwalk $PB .1.3.6.1.2.1 -Cr100 >"$T/b0.out" 2>&1
is "$(grep -c "^\.1\.3\.6\.1\.2\.1\.31\." "$T/b0.out"):$(grep -c ' = [A-Za-z0-9]*:' "$T/b0.out")" "0:145" \
	"--no-ifxtable: no ifXTable rows, system + ifTable only (145 rows)"
like "$(grep ' = [A-Za-z0-9]*:' "$T/b0.out" | tail -n 1)" "^$IFT\.20\.10 = " "--no-ifxtable: the view ends after ifOutErrors"
is "$(get $((PB + 1)) $IFX.1.1)" '"Gi0/1"' "--no-ifxtable applies to fault devices only"
stop_agent $B

# ---- agent C: --drop 100 ---------------------------------------------------
start_agent c 1 --drop 100
ok $? "agent with --drop 100 is ready"
out=$(snmpget -m '' -On -v2c -c public -t 0.5 -r 0 "127.0.0.1:$BASE" $SYS.3.0 2>&1)
like "$?:$out" '^[1-9][0-9]*:Timeout' "--drop 100: the request times out"
stop_agent $AGENT_PID
like "$(cat "$T/c.log")" 'requests=1 replies=0 dropped=1 ' "--drop 100: counted as dropped"

# ---- agent D: --wrap32 ------------------------------------------------------
start_agent d 1 --ports 4 --wrap32 --truth "$T/truth-d.tsv"
set -- $(get $BASE $IFT.10.1 $IFX.6.1)
rate=$(awk -F'\t' '$3 == 1 { print $6 / 8 }' "$T/truth-d.tsv")
[ -n "$1" ] && [ $((4294967296 - $1)) -lt $((rate * 10)) ]
ok $? "--wrap32: ifInOctets.1 = $1 wraps within 10 s at $rate B/s"
[ "${2:-0}" -gt 4294967296 ] && [ "$1" = "$(( $2 % 4294967296 ))" ]
ok $? "--wrap32: ifHCInOctets keeps counting past 2^32 ($2)"
stop_agent $AGENT_PID

# ---- agent E: --malformed 100 -------------------------------------------------
start_agent e 1 --malformed 100
snmpget -m '' -On -v2c -c public -t 0.3 -r 0 "127.0.0.1:$BASE" $SYS.3.0 >/dev/null 2>&1
r1=$?
snmpget -m '' -On -v2c -c public -t 0.3 -r 0 "127.0.0.1:$BASE" $SYS.1.0 >/dev/null 2>&1
r2=$?
[ $r1 -ne 0 ] && [ $r2 -ne 0 ]
ok $? "--malformed 100: snmpget never gets a usable reply ($r1 $r2)"
stop_agent $AGENT_PID
like "$(cat "$T/e.log")" 'replies=2 dropped=0 malformed_sent=2 ' "--malformed 100: both replies were sent corrupted"

done_testing
