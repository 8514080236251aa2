# tests/collector_lib.sh — helpers for tests that run seratd against the
# fake agent.  Source after tests/lib.sh.

# fake_start NAME PORT_BASE DEVICES PORTS [fakeagent options...]
# Starts a fake agent, waits for its "ready" line, sets FAKE_PID and writes
# the truth file to $T/NAME.truth.
fake_start() {
	_name=$1 _base=$2 _n=$3 _ports=$4; shift 4
	bg_start "$T/$_name.log" "$FAKEAGENT" --port-base "$_base" --devices "$_n" \
		--ports "$_ports" --truth "$T/$_name.truth" "$@"
	FAKE_PID=$BG_PID
	wait_until 10 grep -q '^ready' "$T/$_name.log" || bail "fake agent $_name did not start"
}

# conf_begin [--data DIR] FILE INTERVAL [extra top-level YAML lines...]
# (data_dir defaults to $T/data)
conf_begin() {
	_dd=$T/data
	if [ "$1" = --data ]; then _dd=$2; shift 2; fi
	_f=$1 _iv=$2; shift 2
	{
		echo "data_dir: $_dd"
		echo "interval: $_iv"
		echo "log_level: debug"
		echo "http_listen: 127.0.0.1:$(free_port tcp)"
		echo "snmp:"
		echo "  version: 2c"
		echo "  community: public"
		echo "  timeout: 1s"
		echo "  retries: 0"
		echo "rrd:"
		echo "  rras: [\"${_iv}:1h\"]"
		for l in "$@"; do echo "$l"; done
		echo "sites:"
		echo "  - name: lab"
		echo "    kind: other"
		echo "    devices:"
	} >"$_f"
}

# conf_device FILE NAME PORT [extra device YAML lines, indented by 8...]
conf_device() {
	_f=$1 _dn=$2 _port=$3; shift 3
	{
		echo "      - name: $_dn"
		echo "        address: 127.0.0.1:$_port"
		for l in "$@"; do echo "        $l"; done
	} >>"$_f"
}

# The live status.json that field/polls_ge read; a test may point it
# elsewhere before using them.
ST=$T/data/status.json

# field DEVICE KEY — one device's value in $ST
field() {
	py "$ST" "$1" "$2" <<'PY'
import json, sys
for d in json.load(open(sys.argv[1]))["devices"]:
    if d["name"] == sys.argv[2]: print(d[sys.argv[3]])
PY
}

# polls_ge DEVICE N — DEVICE has completed at least N polls (per $ST)
polls_ge() { [ "$(field "$1" polls 2>/dev/null)" -ge "$2" ] 2>/dev/null; }

# status_json CONF — serat status --json into $T/status.json
status_json() {
	"$SERAT" status --config "$1" --json >"$T/status.json"
}

# snmpsim_start DIR DEVICES... — serve the recordings in DIR with snmpsim
# ($SNMPSIMD) on a free loopback port, set $port, and wait until every
# DEVICE (community = recording name) answers.  As root the daemon runs as
# nobody, with a cache directory it can write.
snmpsim_start() {
	_sim_dir=$1; shift
	_sim_devices=$*
	port=$(free_port)
	mkdir -p "$T/cache"
	_sim_user=""
	if [ "$(id -u)" -eq 0 ]; then
		chown nobody:nogroup "$T/cache"
		_sim_user="--process-user=nobody --process-group=nogroup"
	fi
	# shellcheck disable=SC2086
	bg_start "$T/snmpsim.log" "$SNMPSIMD" --data-dir="$_sim_dir" --cache-dir="$T/cache" \
		--agent-udpv4-endpoint=127.0.0.1:$port --logging-method=null $_sim_user
	wait_until 60 snmpsim_all_ready || bail "snmpsim did not answer"
}
snmpsim_all_ready() {
	for _d in $_sim_devices; do snmp_ready 127.0.0.1:$port "$_d" || return 1; done
}

# py SCRIPT ARGS... — small JSON/TSV checks (python3 ships with snmpsim).
py() { python3 - "$@"; }

# $RATECHECK compare|maxratio … — stored rates against a truth file
# (tests/ratecheck.py says how).
RATECHECK="python3 $top_srcdir/tests/ratecheck.py"
