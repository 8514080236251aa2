# tests/alerts_lib.sh — helpers for the alert tests.  Source after
# tests/lib.sh and tests/collector_lib.sh.

ACHECK="python3 $top_srcdir/tests/alert_check.py"

# recv_start NAME [alert_receiver options...] — a loopback HTTP receiver;
# sets RECV_PID, RECV_PORT and RECV_LOG ($T/NAME.jsonl).
recv_start() {
	_rn=$1; shift
	RECV_LOG=$T/$_rn.jsonl
	bg_start "$T/$_rn.out" python3 "$top_srcdir/tests/alert_receiver.py" --log "$RECV_LOG" "$@"
	RECV_PID=$BG_PID
	wait_until 10 grep -q '^ready' "$T/$_rn.out" || bail "receiver $_rn did not start"
	RECV_PORT=$(awk '/^ready/ {print $2}' "$T/$_rn.out")
}

# alerts_conf FILE [extra top-level YAML lines...] — interval 1 s, fast SNMP
# timeouts, English messages; the test appends channels: and sites:.
alerts_conf() {
	_f=$1; shift
	{
		echo "data_dir: $T/data"
		echo "interval: 1s"
		echo "log_level: debug"
		echo "language: en"
		echo "external_url: http://dashboard.test"
		echo "http_listen: 127.0.0.1:$(free_port tcp)"
		echo "snmp: {version: 2c, community: public, timeout: 400ms, retries: 0}"
		echo "rrd: {rras: [\"1s:1h\"]}"
		for l in "$@"; do echo "$l"; done
	} >"$_f"
}

# alerts_webhook_conf FILE ALERTS-YAML — alerts_conf, then one webhook
# channel "noc" to the last receiver started, then "sites:" (the test
# appends its sites).
alerts_webhook_conf() {
	alerts_conf "$1" "$2"
	{
		echo "channels:"
		echo "  - {name: noc, type: webhook, url: \"http://127.0.0.1:$RECV_PORT/hook\"}"
		echo "sites:"
	} >>"$1"
}

# n_alerts LOG [filters] — alerts delivered (tests/alert_check.py count)
n_alerts() { $ACHECK "$@" 2>/dev/null | tail -n 1; }
# alerts_ge N LOG [filters]
alerts_ge() {
	_want=$1 _log=$2; shift 2
	[ "$($ACHECK "$_log" count "$@" 2>/dev/null | head -n 1)" -ge "$_want" ] 2>/dev/null
}

# polls DEVICE — completed polls per status.json; polls_after DEVICE N
polls() { field "$1" polls 2>/dev/null || echo 0; }
polls_ge_now() { [ "$(polls "$1")" -ge "$2" ] 2>/dev/null; }
# wait_polls DEVICE K — until DEVICE completed K more polls than now
wait_polls() { _p0=$(polls "$1"); wait_until 30 polls_ge_now "$1" $((_p0 + $2)); }

# events_sql SQL — one query on the event store (python's sqlite3: no CLI needed)
events_sql() {
	python3 - "$T/data/events.db" "$1" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
for row in con.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))
PY
}

# free_udp_range N — the first of N consecutive UDP ports on loopback that
# are all free now (fake agents bind one port per device).
free_udp_range() {
	while :; do
		_b=$(free_port); _k=0
		while [ $_k -lt "$1" ] && [ -z "$(ss -Hlun "sport = :$((_b + _k))" 2>/dev/null)" ]; do
			_k=$((_k + 1))
		done
		[ $_k -ge "$1" ] && { echo "$_b"; return 0; }
		_port_next=$((_port_next + $1))
	done
}
