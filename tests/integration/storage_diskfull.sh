#!/bin/sh
# storage_diskfull.sh — a full disk under data_dir: every RRD creation
# fails, and the log says "No space left on device" a few times for the
# store as a whole, not once per file per round; polling goes on; when
# space returns the files are created and updates resume by themselves.
# The data_dir is a small tmpfs mounted in a mount namespace of this test's
# own (root only).
if [ -z "${SERAT_IN_NS:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
   unshare -m true 2>/dev/null; then
	SERAT_IN_NS=1 exec unshare -m "$0" "$@"
fi
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
[ -n "${SERAT_IN_NS:-}" ] || skip_all "needs root and unshare -m (a private tmpfs)"
[ -x "$SERATD" ] || skip_all "seratd not built"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
command -v rrdtool >/dev/null || skip_all "rrdtool (CLI, to read RRDs back) missing"
plan 12

mkdir -p "$T/data"
mount -t tmpfs -o size=1m tmpfs "$T/data" || bail "cannot mount a tmpfs"
# Fill it, then give back 64 KiB: room for status.json, none for an RRD
# file (an interface file at 1 s for 1 h is ~580 KB, a device file ~170 KB).
dd if=/dev/zero of="$T/data/filler" bs=4k 2>/dev/null
truncate -s -64K "$T/data/filler"

p=$(free_port)
fake_start fa "$p" 1 8
conf_begin "$T/c.yaml" 1s
conf_device "$T/c.yaml" sw-0 "$p"
# A one-shot run that can store nothing says so and fails.
"$SERATD" --config "$T/c.yaml" --cycles 2 >"$T/once.log" 2>&1
is "$?" 1 "seratd --cycles 2 on a full disk exits 1"
like "$(cat "$T/once.log")" "nothing could be stored under $T/data/rrd" "... and says why"

bg_start "$T/seratd.log" "$SERATD" --config "$T/c.yaml" --foreground
pid=$BG_PID

wait_until 30 polls_ge sw-0 8
ok $? "polling goes on while the disk is full (8 polls)"
n=$(grep -c "No space left on device" "$T/seratd.log")
ok "$([ "$n" -ge 1 ] && [ "$n" -le 2 ]; echo $?)" \
	"a full disk is logged for the store, with back-off: $n line(s) for 8 rounds x 9 files"
like "$(grep "No space left on device" "$T/seratd.log" | head -1)" \
	"rrd_store: cannot write under $T/data/rrd: No space left on device" "... naming the directory and the cause"
ok "$(grep -c "unknown error" "$T/seratd.log")" "... never 'unknown error'"
ok "$(ls "$T/data/rrd/sw-0"/*.rrd?????? "$T/data/rrd/sw-0/if"/*.rrd?????? 2>/dev/null | wc -l)" \
	"... and no half-created files are left"

# Space comes back: storage resumes by itself.
rm -f "$T/data/filler"
F=$T/data/rrd/sw-0/if/Gi0%2F1.rrd
wait_until 20 test -f "$F"
ok $? "when space returns, the files are created"
last() { rrdtool lastupdate "$F" 2>/dev/null | awk -F: 'NR == 3 { print $1 }'; }
t1=$(last)
wait_until 20 sh -c "[ \"\$(rrdtool lastupdate '$F' 2>/dev/null | awk -F: 'NR == 3 { print \$1 }')\" -gt '${t1:-0}' ]"
ok $? "... and updates resume (last update moves on)"
wait_until 10 grep -q "writing under $T/data/rrd again" "$T/seratd.log"
ok $? "... and the recovery is logged once"

# status.json on a disk with no byte left: logged with back-off, not once
# per interval; its recovery logged once.
dd if=/dev/zero of="$T/data/filler" bs=4k 2>/dev/null
wait_until 30 sh -c "grep -c 'status.json.tmp' '$T/seratd.log' | grep -q '^[1-9]'"
# six more intervals (1 s each) while it keeps failing
i=0; while [ $i -lt 6 ]; do sleep 1; i=$((i + 1)); done
n=$(grep -c "status.json.tmp" "$T/seratd.log")
ok "$([ "$n" -le 2 ]; echo $?)" "a status.json that cannot be written is logged with back-off ($n line(s) over 6+ intervals)"
rm -f "$T/data/filler"
wait_until 10 grep -q "status.json written again" "$T/seratd.log"
ok $? "... and its recovery is logged once"
bg_stop "$pid"
umount "$T/data" 2>/dev/null
