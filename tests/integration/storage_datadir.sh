#!/bin/sh
# storage_datadir.sh — seratd refuses a data directory it cannot use, at
# start-up (exit 1, the reason on stderr) and at reload (the running config
# is kept): missing and not creatable, not writable, owned by someone else,
# a file where data_dir or data_dir/rrd should be, a path through a file,
# a read-only mount.  And at start it removes the temporary files a kill
# during RRD creation leaves behind ("<name>.rrdXXXXXX"), nothing else.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
[ -x "$SERATD" ] || skip_all "seratd not built"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
plan 18

ROOT=0
[ "$(id -u)" = 0 ] && ROOT=1
AS_OTHER=""                       # how to run seratd as a user that is not root
[ $ROOT = 1 ] && command -v setpriv >/dev/null && AS_OTHER="setpriv --reuid=65534 --regid=65534 --clear-groups"

# refused NAME DATA_DIR [RUNNER...] — seratd --cycles 1 with DATA_DIR;
# sets RC and ERR (its stderr).
refused() {
	_n=$1 _d=$2; shift 2
	conf_begin --data "$_d" "$T/$_n.yaml" 1s
	conf_device "$T/$_n.yaml" sw-0 9
	chmod 644 "$T/$_n.yaml"
	"$@" "$SERATD" --config "$T/$_n.yaml" --cycles 1 >"$T/$_n.out" 2>"$T/$_n.err"
	RC=$?
	ERR=$(cat "$T/$_n.err")
}

# 1. Missing and not creatable: its parent is not writable for seratd.
mkdir -p "$T/locked"
chmod 555 "$T/locked"
if [ $ROOT = 0 ] || [ -n "$AS_OTHER" ]; then
	refused c1 "$T/locked/data" $AS_OTHER
	is "$RC" 1 "data_dir that cannot be created: exit 1"
	like "$ERR" "data_dir $T/locked/data does not exist and cannot be created: Permission denied" \
		"... and it says why"
else
	skip "as root without setpriv every directory is creatable"; skip "-"
fi

# 2. Not writable.
mkdir -p "$T/ro-perm"
chmod 555 "$T/ro-perm"
if [ $ROOT = 1 ] && [ -n "$AS_OTHER" ]; then
	chown 65534:65534 "$T/ro-perm"
	refused c2 "$T/ro-perm" $AS_OTHER
elif [ $ROOT = 0 ]; then
	refused c2 "$T/ro-perm"
fi
if [ $ROOT = 0 ] || [ -n "$AS_OTHER" ]; then
	is "$RC" 1 "data_dir not writable: exit 1"
	like "$ERR" "data_dir $T/ro-perm is not writable: Permission denied" "... and it says why"
else
	skip "no unprivileged user to test with"; skip "-"
fi

# 3. Owned by someone else.
if [ $ROOT = 1 ]; then
	mkdir -p "$T/theirs"
	chown 65534:65534 "$T/theirs"
	refused c3 "$T/theirs"
	like "$ERR" "data_dir $T/theirs is owned by uid 65534, but seratd runs as uid 0" \
		"data_dir owned by another user: named, with both uids"
else
	refused c3 /
	like "$ERR" "data_dir / is owned by uid 0" "data_dir owned by another user: named"
fi
is "$RC" 1 "... exit 1"

# 4. A file where data_dir should be.
: >"$T/afile"
refused c4 "$T/afile"
is "$RC" 1 "data_dir is a file: exit 1"
like "$ERR" "data_dir $T/afile is a file, not a directory" "... and it says so"

# 5. A file where data_dir/rrd should be.
mkdir -p "$T/d5"
: >"$T/d5/rrd"
refused c5 "$T/d5"
is "$RC" 1 "data_dir/rrd is a file: exit 1"
like "$ERR" "the RRD directory $T/d5/rrd is a file, not a directory" "... and it says so"

# 6. A path through a file.
refused c6 "$T/afile/data"
is "$RC" 1 "data_dir below a file: exit 1"
like "$ERR" "cannot be created: Not a directory" "... and it says why"

# 7. A read-only mount (a tmpfs mounted ro in a mount namespace of our own).
if [ $ROOT = 1 ] && command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
	mkdir -p "$T/romnt"
	refused c7 "$T/romnt" unshare -m sh -c 'mount -t tmpfs -o ro,size=1m tmpfs "$0" && exec "$@"' "$T/romnt"
	is "$RC" 1 "data_dir on a read-only mount: exit 1"
	like "$ERR" "data_dir $T/romnt is on a read-only filesystem" "... and it says so"
else
	skip "needs root and unshare -m for a read-only mount"; skip "-"
fi

# ---- a reload onto an unusable data_dir is rejected; seratd keeps polling
p=$(free_port)
fake_start fa "$p" 1 2
conf_begin "$T/ok.yaml" 1s
conf_device "$T/ok.yaml" sw-0 "$p"
bg_start "$T/ok.log" "$SERATD" --config "$T/ok.yaml" --foreground
pid=$BG_PID
wait_until 20 polls_ge sw-0 1
sed -i "s|^data_dir: .*|data_dir: $T/afile|" "$T/ok.yaml"
kill -HUP "$pid"
wait_until 10 grep -q "reload rejected" "$T/ok.log"
ok $? "a reload onto a file as data_dir is rejected"
n=$(field sw-0 polls)
wait_until 20 polls_ge sw-0 $((n + 2))
ok $? "... and the running configuration keeps polling"
bg_stop "$pid"

# ---- leftovers of an interrupted rrd_create are removed at start, nothing else
D=$T/data/rrd/sw-0
mkdir -p "$D/if"
: >"$D/device.rrdAb12Cd"          # librrd's mkstemp name: <file>XXXXXX
: >"$D/if/eth0.rrdZZ99yy"
: >"$D/if/keep.rrdAB"             # not six characters: not ours, kept
: >"$D/if/notes.txt"
sed -i "s|^data_dir: .*|data_dir: $T/data|" "$T/ok.yaml"
"$SERATD" --config "$T/ok.yaml" --cycles 1 >"$T/clean.log" 2>&1
is "$(ls "$D" "$D/if" | grep -c 'rrd[A-Za-z0-9]\{6\}$')" 0 "temporary files of an interrupted RRD creation are removed at start"
ok "$( [ -f "$D/if/keep.rrdAB" ] && [ -f "$D/if/notes.txt" ] && [ -f "$D/device.rrd" ]; echo $?)" \
	"... other files are kept, and the real files are written"
