#!/bin/bash
# lab.sh — a simulated fleet of switches on loopback, served by real SNMP agents.
#
# Used by the demo, the integration tests and the benchmarks.  Full
# description: docs/lab.md.
#
#   lab.sh start DIR [--devices N] [--seed S] [--interval DURATION] [--split] [--snmpd]
#   lab.sh stop DIR                     TERM (then KILL) every PID in DIR/pids
#   lab.sh status DIR                   which agents answer; exit 1 if any does not
#   lab.sh restart-agent DIR [DEVICE]   restart snmpsimd (counters and sysUpTime
#                                       restart), same port; DEVICE needs --split
#   lab.sh down DIR DEVICE              DEVICE stops answering (SIGSTOP), needs --split
#   lab.sh up DIR DEVICE                DEVICE answers again (SIGCONT)
#
# start (defaults: 12 devices, seed 1, interval 60s) creates DIR and writes:
#   DIR/recordings/<device>.snmprec  one snmpsim recording per device (community =
#                                    device name, e.g. lab-core-01, lab-opd-03)
#   DIR/truth.tsv                    device ifIndex ifName oper in_bps out_bps
#                                    in_pps out_pps speed_mbps (tab separated)
#   DIR/devices.tsv                  device kind site parent ports port
#   DIR/serat.yaml, DIR/sites.csv    a serat config polling the fleet
#   DIR/port                         UDP port of the snmpsimd (single mode)
#   DIR/pids                         every agent PID, one a line
#   DIR/run/                         one PID file per agent; DIR/mode (single|split)
# and starts ONE snmpsimd on 127.0.0.1:<free port> serving every device, or with
# --split one snmpsimd per device, each on its own port (the only way `down`/`up`
# can silence one device while the others keep answering).
# --snmpd also starts Net-SNMP snmpd (tests/snmpd/snmpd.sh) on
# 127.0.0.1:<DIR/snmpd.port> with v2c community lab-snmpd and SNMPv3 authPriv
# users serat-v3 (SHA/AES) and serat-v3-256 (SHA-256/AES); credentials in
# DIR/snmpd/v3.env.  It is not in sites.csv.
#
# Every wait polls with a deadline.  Set LAB_DEBUG=1 to make snmpsimd log to
# DIR/logs/.  Deterministic for a given --seed and --devices.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SYSUPTIME=1.3.6.1.2.1.1.3.0

die() { echo "lab.sh: $*" >&2; exit 1; }
say() { [ -n "${LAB_QUIET:-}" ] || echo "lab.sh: $*" >&2; }
now_ms() { date +%s%3N; }

usage() {
	sed -n '/^#   lab.sh/p' "$0" | sed 's/^#   /usage: /' >&2
	exit 2
}

# ---------------------------------------------------------------- helpers

# port_busy PORT udp|tcp
port_busy() {
	if [ "$2" = tcp ]; then f=-Hltn; else f=-Hlun; fi
	[ -n "$(ss $f "sport = :$1" 2>/dev/null)" ]
}

# pick_port udp|tcp — set PICKED to a free loopback port not handed out
# earlier in this run (a variable, not output: $(...) would lose the memory).
_taken=" "
_next_port=$(( 20000 + (RANDOM * 32768 + RANDOM + $$) % 40000 ))
pick_port() {
	while :; do
		_next_port=$((_next_port + 1))
		[ $_next_port -gt 60000 ] && _next_port=20001
		case $_taken in *" $_next_port "*) continue ;; esac
		port_busy $_next_port "$1" && continue
		_taken="$_taken$_next_port "
		PICKED=$_next_port
		return 0
	done
}

# sockets_on PORT — how many UDP sockets are bound to 127.0.0.1:PORT.  pysnmp
# sets SO_REUSEADDR, so a second snmpsimd on a taken port binds without error
# and steals the traffic: a collision shows up only here.
sockets_on() { ss -Hlun "sport = :$1" 2>/dev/null | wc -l; }

snmp_answers() { # snmp_answers PORT COMMUNITY
	snmpget -v2c -c "$2" -t 0.3 -r 0 -Oqv 127.0.0.1:"$1" $SYSUPTIME >/dev/null 2>&1
}

v3_answers() { # v3_answers PORT USER AUTHPROTO AUTH PRIV
	snmpget -v3 -l authPriv -u "$2" -a "$3" -A "$4" -x AES -X "$5" -t 0.5 -r 0 -Oqv \
		127.0.0.1:"$1" $SYSUPTIME >/dev/null 2>&1
}

# alive PID — running (a zombie left for an absent reaper counts as dead).
alive() {
	kill -0 "$1" 2>/dev/null || return 1
	[ -r /proc/$1/stat ] || return 0
	case $(awk '{ print $3 }' /proc/$1/stat 2>/dev/null) in Z|X|"") return 1 ;; esac
	return 0
}

# ours PID — true when PID is alive and is an agent of this lab (guards
# against a recycled PID: the command line names DIR).
ours() {
	alive "$1" || return 1
	[ -r /proc/$1/cmdline ] || return 0
	tr '\0' ' ' </proc/$1/cmdline | grep -qF -- "$DIR/"
}

# stop_pid PID — CONT (a paused agent cannot act on TERM), TERM, wait, KILL.
stop_pid() {
	ours "$1" || return 0
	kill -CONT "$1" 2>/dev/null
	kill -TERM "$1" 2>/dev/null
	_dl=$(( $(now_ms) + 5000 ))
	while alive "$1" && [ "$(now_ms)" -lt $_dl ]; do sleep 0.05; done
	if alive "$1"; then kill -KILL "$1" 2>/dev/null; sleep 0.1; fi
	return 0
}

write_pids() { cat "$DIR"/run/*.pid 2>/dev/null >"$DIR/pids.new"; mv "$DIR/pids.new" "$DIR/pids"; }

set_dir() { # set_dir DIR [create]
	[ -n "${1:-}" ] || usage
	if [ "${2:-}" = create ]; then mkdir -p "$1" || die "cannot create $1"; fi
	[ -d "$1" ] || die "$1: no such lab directory"
	DIR=$(cd "$1" && pwd -P)
}

need_lab() { [ -f "$DIR/devices.tsv" ] && [ -f "$DIR/mode" ] || die "$DIR is not a started lab"; }

# ---------------------------------------------------------------- snmpsimd

# spawn_snmpsimd NAME DATADIR PORT — start one snmpsimd in the background and
# write its PID to DIR/run/NAME.pid (runs detached from our stdio).
spawn_snmpsimd() {
	_log=--logging-method=null
	[ -n "${LAB_DEBUG:-}" ] && _log=--logging-method=file:$DIR/logs/$1.log
	if [ "$(id -u)" = 0 ]; then
		set -- "$1" "$2" "$3" --process-user=nobody --process-group="$NOGROUP"
	fi
	_name=$1 _data=$2 _port=$3; shift 3
	snmpsimd --data-dir="$_data" --agent-udpv4-endpoint=127.0.0.1:"$_port" \
		--cache-dir="$DIR/cache" "$_log" "$@" \
		</dev/null >"$DIR/logs/$_name.err" 2>&1 &
	echo $! >"$DIR/run/$_name.pid"
}

# wait_ready NAME PORT SECONDS COMMUNITY... — until every community answers on
# PORT; fails early when the agent died (e.g. the port was taken meanwhile).
wait_ready() {
	_name=$1 _port=$2 _dl=$(( $(now_ms) + $3 * 1000 )); shift 3
	_pid=$(cat "$DIR/run/$_name.pid")
	for _c in "$@"; do
		while ! snmp_answers "$_port" "$_c"; do
			alive "$_pid" || return 2
			[ "$(now_ms)" -lt $_dl ] || return 1
			sleep 0.05
		done
	done
	return 0
}

# start_agent NAME DATADIR PORT|"" COMMUNITY... — start, wait until ready;
# with PORT empty pick one, and pick another when it turned out to be shared
# with someone else's agent.  Sets AGENT_PORT.  Used for the first start and
# for restarts (same PORT).
start_agent() {
	_sa_name=$1 _sa_data=$2 _sa_port=$3; shift 3
	_fixed=$_sa_port
	for _try in 1 2 3 4 5; do
		if [ -z "$_fixed" ]; then pick_port udp; _sa_port=$PICKED; fi
		spawn_snmpsimd "$_sa_name" "$_sa_data" "$_sa_port"
		wait_ready "$_sa_name" "$_sa_port" "$READY_S" "$@"
		_rc=$?
		if [ $_rc = 1 ]; then
			stop_pid "$(cat "$DIR/run/$_sa_name.pid")"
			die "snmpsimd $_sa_name did not answer within ${READY_S}s (see $DIR/logs/$_sa_name.err)"
		fi
		if [ $_rc = 0 ] && [ "$(sockets_on "$_sa_port")" -le 1 ]; then
			AGENT_PORT=$_sa_port
			return 0
		fi
		stop_pid "$(cat "$DIR/run/$_sa_name.pid")"
		[ -z "$_fixed" ] || die "port $_sa_port is busy; cannot restart $_sa_name"
	done
	die "snmpsimd $_sa_name failed to start (see $DIR/logs/$_sa_name.err)"
}

# ---------------------------------------------------------------- snmpd

# start_snmpd — tests/snmpd/snmpd.sh in DIR/snmpd (v3.env, port, pid there).
start_snmpd() {
	"$HERE/../snmpd/snmpd.sh" start "$DIR/snmpd" --seed "$SEED" || die "snmpd did not start"
	cp "$DIR/snmpd/pid" "$DIR/run/snmpd.pid"
	cp "$DIR/snmpd/port" "$DIR/snmpd.port"
}

# ---------------------------------------------------------------- commands

duration_s() { # 60s, 1m, 2h, 90 -> seconds
	case $1 in
	*[!0-9smh]* | "" | [smh]*) return 1 ;;
	*s) echo $(( ${1%s} )) ;;
	*m) echo $(( ${1%m} * 60 )) ;;
	*h) echo $(( ${1%h} * 3600 )) ;;
	*) echo $(( $1 )) ;;
	esac
}

cmd_start() {
	set_dir "${1:-}" create; shift
	N=12 SEED=1 INTERVAL=60s SPLIT= WITH_SNMPD=
	while [ $# -gt 0 ]; do
		case $1 in
		--devices) N=${2:-}; shift ;;
		--devices=*) N=${1#*=} ;;
		--seed) SEED=${2:-}; shift ;;
		--seed=*) SEED=${1#*=} ;;
		--interval) INTERVAL=${2:-}; shift ;;
		--interval=*) INTERVAL=${1#*=} ;;
		--split) SPLIT=1 ;;
		--snmpd) WITH_SNMPD=1 ;;
		*) usage ;;
		esac
		shift
	done
	case $N in ''|*[!0-9]*) die "--devices wants a number" ;; esac
	case $SEED in ''|*[!0-9]*) die "--seed wants a non-negative number" ;; esac
	[ "$N" -ge 1 ] || die "--devices must be >= 1"
	IV=$(duration_s "$INTERVAL") && [ "$IV" -ge 1 ] || die "--interval: bad duration '$INTERVAL' (e.g. 10s, 1m)"
	command -v snmpsimd >/dev/null || die "snmpsimd not found (Debian package snmpsim)"
	command -v snmpget >/dev/null || die "snmpget not found (Debian package snmp)"
	if [ -f "$DIR/pids" ]; then
		for p in $(cat "$DIR/pids"); do ours "$p" && die "$DIR: a lab is already running (lab.sh stop $DIR)"; done
	fi
	READY_S=$(( 10 + N / 5 ))
	t0=$(now_ms)

	rm -rf "$DIR/recordings" "$DIR/split" "$DIR/run" "$DIR/cache" "$DIR/logs" "$DIR/snmpd"
	rm -f "$DIR/pids" "$DIR/port" "$DIR/snmpd.port"
	mkdir -p "$DIR/recordings" "$DIR/run" "$DIR/cache" "$DIR/logs" "$DIR/data"
	awk -v seed="$SEED" -v devices="$N" -v outdir="$DIR" -f "$HERE/fleet.awk" </dev/null ||
		die "generator failed"
	: >"$DIR/pids"

	NOGROUP=nogroup
	if [ "$(id -u)" = 0 ]; then
		# snmpsimd drops to nobody before reading the recordings
		getent group nogroup >/dev/null 2>&1 || NOGROUP=nobody
		chown nobody:"$NOGROUP" "$DIR/cache" "$DIR/logs"
		chmod a+rx "$DIR" "$DIR/recordings"
		chmod a+r "$DIR"/recordings/*.snmprec
		if command -v setpriv >/dev/null 2>&1 &&
		   ! setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups \
			test -r "$DIR/recordings/lab-core-01.snmprec" 2>/dev/null; then
			die "$DIR is not readable by user nobody (snmpsimd runs as nobody when started by root): make its parent directories world-searchable"
		fi
	fi

	DEVS=$(awk -F'\t' 'NR > 1 { print $1 }' "$DIR/devices.tsv")
	if [ -z "$SPLIT" ]; then
		echo single >"$DIR/mode"
		start_agent snmpsimd "$DIR/recordings" "" $DEVS
		PORT=$AGENT_PORT
		echo "$PORT" >"$DIR/port"
		for d in $DEVS; do echo "$d $PORT"; done >"$DIR/ports"
		write_pids
	else
		echo split >"$DIR/mode"
		# one data dir per device holding a symlink to its recording
		for d in $DEVS; do
			mkdir -p "$DIR/split/$d"
			ln -s "../../recordings/$d.snmprec" "$DIR/split/$d/$d.snmprec"
			pick_port udp
			echo "$d $PICKED" >>"$DIR/ports"
			spawn_snmpsimd "$d" "$DIR/split/$d" "$PICKED"
		done
		[ "$(id -u)" = 0 ] && chmod -R a+rX "$DIR/split"
		write_pids
		# all started in parallel; now wait for each (restart on a lost port race)
		: >"$DIR/ports.new"
		while read -r d p; do
			wait_ready "$d" "$p" "$READY_S" "$d" </dev/null
			case $? in
			0) [ "$(sockets_on "$p")" -le 1 ] || { stop_pid "$(cat "$DIR/run/$d.pid")"
				start_agent "$d" "$DIR/split/$d" "" "$d" </dev/null; p=$AGENT_PORT; } ;;
			1) die "snmpsimd $d did not answer within ${READY_S}s (see $DIR/logs/$d.err)" ;;
			*) start_agent "$d" "$DIR/split/$d" "" "$d" </dev/null; p=$AGENT_PORT ;;
			esac
			echo "$d $p" >>"$DIR/ports.new"
		done <"$DIR/ports"
		mv "$DIR/ports.new" "$DIR/ports"
		write_pids
	fi

	# devices.tsv gains the port column; sites.csv and serat.yaml follow
	awk 'NR == FNR { port[$1] = $2; next }
	     FNR == 1 { print $0 "\tport"; next }
	     { print $0 "\t" port[$1] }' "$DIR/ports" FS='\t' "$DIR/devices.tsv" >"$DIR/devices.tsv.new" &&
		mv "$DIR/devices.tsv.new" "$DIR/devices.tsv"
	awk -F'\t' 'BEGIN { print "site,kind,device,address,parent,snmp_version,community" }
	     NR > 1 { print $3 "," $2 "," $1 ",127.0.0.1:" $6 "," $4 ",2c," $1 }' \
		"$DIR/devices.tsv" >"$DIR/sites.csv"

	pick_port tcp; HTTP=$PICKED
	if [ "$IV" -lt 60 ] && [ $((60 % IV)) -eq 0 ]; then
		RRAS="[\"${IV}s:1h\", \"1m:2d\"]"
	elif [ "$IV" -lt 60 ]; then
		RRAS="[\"${IV}s:2d\"]"
	else
		RRAS='["1m:2d"]'
	fi
	cat >"$DIR/serat.yaml" <<-EOF
	# serat config for the lab (generated by tests/lab/lab.sh: seed $SEED, $N devices).
	# The devices are in sites.csv; each one's community is its name.
	data_dir: $DIR/data
	interval: ${IV}s
	http_listen: 127.0.0.1:$HTTP
	log_level: info
	snmp:
	  version: 2c
	  community: public
	  timeout: 1s
	  retries: 1
	rrd:
	  rras: $RRAS
	inventory: sites.csv
	EOF

	[ -n "$WITH_SNMPD" ] && { start_snmpd; write_pids; }

	if [ -n "$SPLIT" ]; then where="$N snmpsimd (split), ports in $DIR/ports"
	else where="snmpsimd on 127.0.0.1:$PORT"; fi
	[ -n "$WITH_SNMPD" ] && where="$where, snmpd on 127.0.0.1:$(cat "$DIR/snmpd.port")"
	say "$N devices ready in $(( $(now_ms) - t0 )) ms: $where"
}

cmd_stop() {
	set_dir "${1:-}"
	[ -f "$DIR/pids" ] || return 0
	for p in $(cat "$DIR/pids"); do ours "$p" && { kill -CONT "$p"; kill -TERM "$p"; } 2>/dev/null; done
	for p in $(cat "$DIR/pids"); do stop_pid "$p"; done
	rm -f "$DIR"/run/*.down
	return 0
}

cmd_status() {
	set_dir "${1:-}"; need_lab
	rc=0
	while read -r d p; do
		if [ -f "$DIR/run/$d.down" ]; then state="down (lab.sh down)"; rc=1
		elif snmp_answers "$p" "$d"; then state=up
		else state="NOT ANSWERING"; rc=1; fi
		printf '%-20s 127.0.0.1:%-6s %s\n' "$d" "$p" "$state"
	done <"$DIR/ports"
	if [ -f "$DIR/snmpd/v3.env" ]; then
		. "$DIR/snmpd/v3.env"
		if v3_answers "$SNMPD_PORT" "$SNMPV3_USER" SHA "$SNMPV3_AUTH" "$SNMPV3_PRIV"; then state=up
		else state="NOT ANSWERING"; rc=1; fi
		printf '%-20s 127.0.0.1:%-6s %s\n' snmpd "$SNMPD_PORT" "$state"
	fi
	return $rc
}

device_port() { awk -v d="$1" '$1 == d { print $2 }' "$DIR/ports"; }

cmd_restart_agent() {
	set_dir "${1:-}"; need_lab
	dev=${2:-}
	READY_S=$(( 10 + $(wc -l <"$DIR/ports") / 5 ))
	NOGROUP=nogroup
	getent group nogroup >/dev/null 2>&1 || NOGROUP=nobody
	if [ "$(cat "$DIR/mode")" = single ]; then
		[ -z "$dev" ] || die "restart-agent DEVICE needs a lab started with --split (one agent serves all devices)"
		stop_pid "$(cat "$DIR/run/snmpsimd.pid")"
		start_agent snmpsimd "$DIR/recordings" "$(cat "$DIR/port")" \
			$(awk '{ print $1 }' "$DIR/ports")
	else
		if [ -n "$dev" ]; then list=$dev
		else list=$(awk '{ print $1 }' "$DIR/ports"); fi
		for d in $list; do
			p=$(device_port "$d"); [ -n "$p" ] || die "no device $d in this lab"
			stop_pid "$(cat "$DIR/run/$d.pid")"
			rm -f "$DIR/run/$d.down"
			start_agent "$d" "$DIR/split/$d" "$p" "$d"
		done
	fi
	write_pids
}

cmd_down_up() { # cmd_down_up down|up DIR DEVICE
	op=$1
	set_dir "${2:-}"; need_lab
	dev=${3:-}; [ -n "$dev" ] || usage
	[ "$(cat "$DIR/mode")" = split ] ||
		die "$op needs a lab started with --split (one snmpsimd per device); a single snmpsimd cannot silence one community"
	p=$(device_port "$dev"); [ -n "$p" ] || die "no device $dev in this lab"
	pid=$(cat "$DIR/run/$dev.pid")
	ours "$pid" || die "the agent of $dev (pid $pid) is not running"
	if [ "$op" = down ]; then
		kill -STOP "$pid" || die "cannot stop $pid"
		: >"$DIR/run/$dev.down"
	else
		kill -CONT "$pid" || die "cannot continue $pid"
		rm -f "$DIR/run/$dev.down"
		_dl=$(( $(now_ms) + 10000 ))
		while ! snmp_answers "$p" "$dev"; do
			[ "$(now_ms)" -lt $_dl ] || die "$dev does not answer after up"
			sleep 0.05
		done
	fi
}

case ${1:-} in
start) shift; cmd_start "$@" ;;
stop) cmd_stop "${2:-}" ;;
status) cmd_status "${2:-}" ;;
restart-agent) cmd_restart_agent "${2:-}" "${3:-}" ;;
down|up) cmd_down_up "$1" "${2:-}" "${3:-}" ;;
*) usage ;;
esac
