#!/bin/sh
# probe_child.sh — the live capture process on loopback: it opens `lo`
# as root, drops to nobody (checked in /proc: every uid, no capability),
# and reports what it saw — three HTTP handshakes against python's
# http.server on 127.0.0.1 and four ICMP echoes the kernel answers — as
# length-checked messages, read back with the real parser
# (tests/probe_msg_dump).  SIGTERM ends it after the interval in progress
# is sent.  Then a failure: an unknown user.
. "$top_srcdir/tests/lib.sh"

PROBE="$top_builddir/serat-probe"
DUMP="$top_builddir/tests/probe_msg_dump"
[ -x "$PROBE" ] && [ -x "$DUMP" ] || skip_all "serat-probe not built"
[ "$(id -u)" -eq 0 ] || skip_all "needs root to capture on lo"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
command -v curl >/dev/null 2>&1 || skip_all "curl not installed"
plan 14; _planned=1

port=$(free_port tcp)
mkdir -p "$T/www" && echo hello >"$T/www/index.html"
bg_start "$T/http.log" python3 -m http.server "$port" --bind 127.0.0.1 --directory "$T/www"
wait_until 10 curl -s -o /dev/null "http://127.0.0.1:$port/"
ok $? "http.server answers on 127.0.0.1:$port"

mkfifo "$T/fifo"
"$DUMP" <"$T/fifo" >"$T/msgs" 2>"$T/dump.err" &
dump_pid=$!
"$PROBE" --interface lo --filter "icmp or tcp port $port" --interval 1 --user nobody \
	--site 127.0.0.1/32 --fd 3 3>"$T/fifo" 2>"$T/probe.err" &
probe_pid=$!
_bg_pids="$_bg_pids $probe_pid $dump_pid"
wait_until 10 grep -q '^hello' "$T/msgs"
ok $? "the child says hello"
nobody=$(id -u nobody)
like "$(grep '^hello' "$T/msgs")" "^hello uid=$nobody gid=$(id -g nobody) dlt=1\$" \
     "hello: running as nobody, Ethernet link"
like "$(grep '^Uid:' /proc/$probe_pid/status)" "^Uid:[[:space:]]+$nobody[[:space:]]+$nobody[[:space:]]+$nobody[[:space:]]+$nobody\$" \
     "/proc: real, effective, saved and fs uid are nobody's"
like "$(grep '^CapEff:' /proc/$probe_pid/status)" "^CapEff:[[:space:]]+0+\$" "/proc: no effective capability"
like "$(grep '^NoNewPrivs:' /proc/$probe_pid/status)" "1\$" "/proc: no_new_privs set"

for i in 1 2 3; do curl -s -o /dev/null "http://127.0.0.1:$port/"; done
python3 - <<'EOF'
import socket, struct
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s & 0xffff) + (s >> 16)
    return ~(s + (s >> 16)) & 0xffff
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
for seq in range(4):
    m = struct.pack("!BBHHH", 8, 0, 0, 0x5e4a, seq) + b"serat-ping"
    s.sendto(m[:2] + struct.pack("!H", csum(m)) + m[4:], ("127.0.0.1", 0))
EOF
ok $? "four echo requests sent to 127.0.0.1"

# The packets are in the capture buffer once the senders return; SIGTERM
# makes the child read them and send the interval in progress.
kill -TERM "$probe_pid"
wait "$probe_pid"
is "$?" 0 "the child stops cleanly on SIGTERM"
wait "$dump_pid"
is "$?" 0 "every message parses"

sum() { awk -v f="$1" '$1 == "site" && $2 == "0" { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) s += kv[2] } } END { print s + 0 }' "$T/msgs"; }
is "$(sum handshakes)" 3 "site 0 (127.0.0.1/32): three handshakes"
is "$(sum echo_req)" 4 "site 0: four echo requests"
is "$(sum echo_ans)" 4 "site 0: four answered"
like "$(grep '^end' "$T/msgs" | tail -1)" "^end start=[0-9]+ sites=2 received=[0-9]+ dropped=0 decode_errors=0\$" \
     "each interval ends with END: two sites (127.0.0.1/32 and other), no drops"

"$PROBE" --interface lo --user no-such-user-serat --fd 1 >/dev/null 2>"$T/nouser.err"
rc=$?
like "$rc $(cat "$T/nouser.err")" "^1 .*no user 'no-such-user-serat'" "unknown user: exit 1, says why"
