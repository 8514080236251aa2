#!/bin/sh
# rrdcached.sh — rrd_store through a real rrdcached, and proof that it was.
#
# Starts Debian's rrdcached in the foreground on a unix socket in $T with
# the journal in $T/journal and long timers (-w 3600 -f 7200): nothing
# reaches the RRD files unless someone sends FLUSH.  It runs with -B -b
# $T/base, the restriction a production daemon should have, and the unit
# test makes its directories under TMPDIR=$T/base.
#
# Then it runs tests/unit/test_rrd_store with RRDCACHED_ADDRESS set, whose
# second half writes and reads back through the daemon (the read-back can
# only succeed because rrd_store_flush() asked rrdcached to FLUSH), and
# checks the daemon's side: its journal holds the updates of the test's
# files, and its STATS counters saw updates and flushes.  Code that wrote
# the files directly would leave the journal empty and fail here.
. "$top_srcdir/tests/lib.sh"

command -v rrdcached >/dev/null 2>&1 || skip_all "rrdcached not installed"
TEST_RRD_STORE="$top_builddir/tests/unit/test_rrd_store"
[ -x "$TEST_RRD_STORE" ] || skip_all "tests/unit/test_rrd_store not built (cmocka missing?)"

plan 8

mkdir -p "$T/base" "$T/journal"
SOCK="$T/rrdcached.sock"
bg_start "$T/rrdcached.log" rrdcached -g -l "unix:$SOCK" -B -b "$T/base" \
	-j "$T/journal" -p "$T/rrdcached.pid" -w 3600 -z 1 -f 7200
RRDCACHED_PID=$BG_PID

# Ready when the socket accepts a connection (python3 speaks AF_UNIX; without
# it, the socket file existing is the best we can check).
rrdcached_ready() {
	[ -S "$SOCK" ] && kill -0 "$RRDCACHED_PID" 2>/dev/null || return 1
	command -v python3 >/dev/null 2>&1 || return 0
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' "$SOCK"
}
wait_until 10 rrdcached_ready
ok $? "rrdcached listens on its unix socket"

# STATS through the socket (python3 speaks AF_UNIX; plain sh cannot).
rrdcached_stat() { # rrdcached_stat NAME — prints the counter's value
	python3 - "$SOCK" "$1" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b"STATS\n")
f = s.makefile("r")
n = int(f.readline().split()[0])
for _ in range(n):
    k, v = f.readline().split(":", 1)
    if k.strip() == sys.argv[2]:
        print(v.strip())
EOF
}

TMPDIR="$T/base" RRDCACHED_ADDRESS="unix:$SOCK" CMOCKA_MESSAGE_OUTPUT=TAP \
	"$TEST_RRD_STORE" >"$T/unit.out" 2>"$T/unit.err"
rc=$?
sed 's/^/# /' "$T/unit.out"
is "$rc" 0 "test_rrd_store passes with RRDCACHED_ADDRESS=unix:\$T/sock"
is "$(grep -c '^ok ' "$T/unit.out")" 9 "all nine cases ran, four of them through rrdcached"
is "$(grep -c '^not ok' "$T/unit.out")" 0 "no case failed"

# The journal: every update rrdcached accepted, as "update PATH T:v:...".
# test_write_read sends five updates to sw1/if/Gi0%2F1.rrd through the
# daemon (the direct-mode run of the same test never reaches the daemon).
n=$(cat "$T"/journal/rrd.journal.* 2>/dev/null | grep -c '^update .*/rrd/sw1/if/Gi0%2F1\.rrd ')
is "$n" 5 "rrdcached's journal holds the five interface updates"
like "$(cat "$T"/journal/rrd.journal.* 2>/dev/null | grep '^update .*/rrd/sw1/if/Gi0%2F1\.rrd ' | sed -n 3p)" \
	'^update .* [0-9]+\.000:0\.3:0\.31:0\.32:0\.33:0\.34:0\.35:0\.36:0\.37:U:0\.39$' \
	"millisecond timestamps and NAN as U on the wire"

if command -v python3 >/dev/null 2>&1; then
	received=$(rrdcached_stat UpdatesReceived)
	flushes=$(rrdcached_stat FlushesReceived)
	[ "${received:-0}" -ge 20 ]
	ok $? "rrdcached STATS: UpdatesReceived=$received (>= 20)"
	[ "${flushes:-0}" -ge 1 ]
	ok $? "rrdcached STATS: FlushesReceived=$flushes (rrd_store_flush flushes the daemon)"
else
	skip "python3 missing: no STATS check"
	skip "python3 missing: no STATS check"
fi

bg_stop "$RRDCACHED_PID"
[ -s "$T/unit.err" ] && sed 's/^/# stderr: /' "$T/unit.err"
exit 0
