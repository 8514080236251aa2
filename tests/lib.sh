# tests/lib.sh — TAP helpers shared by the integration tests (POSIX sh + bash).
#
# Source it from a test:  . "$top_srcdir/tests/lib.sh"
# It gives: plan/ok/is/like/skip_all/diag, a per-test scratch directory ($T)
# removed on exit, background processes started with `bg_start` and killed
# by PID on exit, free loopback ports, and readiness waits (poll a condition
# with a deadline instead of sleeping a guessed time).

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
SERAT="$top_builddir/serat"
SERATD="$top_builddir/seratd"
FAKEAGENT="$top_builddir/tests/fakeagent/fakeagent"
LAB="$top_srcdir/tests/lab/lab.sh"
SHARED_RECORDINGS="${SERAT_RECORDINGS:-$top_srcdir/../shared/recordings}"

_tap_n=0
_tap_failed=0
_bg_pids=""

plan() { echo "1..$1"; }
diag() { echo "# $*"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
bail() { echo "Bail out! $*"; exit 1; }

ok() { # ok STATUS DESCRIPTION  (STATUS 0 = pass, like a shell exit code)
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_tap_n - $2"
	else echo "not ok $_tap_n - $2"; _tap_failed=$((_tap_failed + 1)); fi
}
is() { # is GOT EXPECTED DESCRIPTION
	if [ "$1" = "$2" ]; then ok 0 "$3"
	else ok 1 "$3"; diag "got:      '$1'"; diag "expected: '$2'"; fi
}
like() { # like GOT EXTENDED-REGEX DESCRIPTION
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then ok 0 "$3"
	else ok 1 "$3"; diag "got:      '$1'"; diag "expected to match: $2"; fi
}
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n # SKIP $*"; }

# Scratch directory for this test, removed at exit unless KEEP_TMP is set.
T=$(mktemp -d "${TMPDIR:-/tmp}/serat-test.XXXXXX")
chmod 755 "$T"

bg_start() { # bg_start LOGFILE CMD ARGS... — run in background, set BG_PID
	_log=$1; shift
	"$@" >"$_log" 2>&1 &
	BG_PID=$!
	_bg_pids="$_bg_pids $BG_PID"
}
bg_stop() { # bg_stop PID — TERM, then KILL if it lingers
	kill "$1" 2>/dev/null || return 0
	_i=0
	while kill -0 "$1" 2>/dev/null && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

_lib_cleanup() {
	for p in $_bg_pids; do bg_stop "$p"; done
	if [ -n "${LAB_DIR:-}" ] && [ -f "$LAB_DIR/pids" ]; then "$LAB" stop "$LAB_DIR" >/dev/null 2>&1; fi
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$T"
}
trap _lib_cleanup EXIT
trap 'exit 1' INT TERM

# wait_until TIMEOUT_SECONDS CMD... — poll CMD every 50 ms until it succeeds.
wait_until() {
	_deadline=$(( $(date +%s) + $1 )); shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$_deadline" ] && return 1
		sleep 0.05
	done
	return 0
}

# A free UDP (or TCP with "tcp") port on loopback, different on each call.
_port_next=$(( 20000 + ($$ * 7) % 30000 ))
free_port() {
	_proto=${1:-udp}
	while :; do
		_port_next=$((_port_next + 1))
		[ $_port_next -gt 60000 ] && _port_next=20001
		if [ "$_proto" = tcp ]; then _f=-Hltn; else _f=-Hlun; fi
		if [ -z "$(ss $_f "sport = :$_port_next" 2>/dev/null)" ]; then
			echo "$_port_next"; return 0
		fi
	done
}

# free_ports N — the first of N consecutive free UDP ports on loopback (for
# a fake agent serving N devices).
free_ports() {
	while :; do
		_b=$(free_port); _i=1
		while [ $_i -lt "$1" ] && [ -z "$(ss -Hlun "sport = :$((_b + _i))" 2>/dev/null)" ]; do
			_i=$((_i + 1))
		done
		[ $_i -ge "$1" ] && { _port_next=$((_b + $1)); echo "$_b"; return 0; }
	done
}

# snmp_ready HOST:PORT COMMUNITY — true once the agent answers sysUpTime.0.
snmp_ready() {
	snmpget -v2c -c "$2" -t 0.3 -r 0 -Oqv "$1" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1
}

# Ends the test; the TAP plan must have been printed by the test itself.
done_testing() {
	[ -n "${_planned:-}" ] || echo "1..$_tap_n"
	exit 0
}
