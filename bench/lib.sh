# bench/lib.sh — what the benchmark scripts share: a scratch directory $T
# removed on exit, background processes in $PIDS killed on exit, and
# stop PID.  Source it after setting BENCH_NAME.

T=$(mktemp -d "${TMPDIR:-/tmp}/${BENCH_NAME:-bench}.XXXXXX")
PIDS=""
cleanup() {
	for _p in $PIDS; do
		kill "$_p" 2>/dev/null && wait "$_p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# stop PID: TERM, wait (KILL after 5 s), forget it.
stop() {
	kill "$1" 2>/dev/null
	_i=0
	while kill -0 "$1" 2>/dev/null && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	_n=""
	for _p in $PIDS; do [ "$_p" = "$1" ] || _n="$_n $_p"; done
	PIDS=$_n
}
