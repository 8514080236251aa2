#!/bin/sh
# config_files.sh — files the config names that are not regular files.
#
# An inventory, a `file:` secret or the config itself that is a FIFO, a
# character device or a directory is refused at once with a message that
# says what it is; before, opening a FIFO blocked check-config (and a
# SIGHUP of seratd) forever.  Each run is bounded by timeout(1) so a
# regression fails instead of hanging the suite.
. "$top_srcdir/tests/lib.sh"

[ -x "$SERAT" ] || skip_all "serat not built"
command -v mkfifo >/dev/null && command -v timeout >/dev/null || skip_all "no mkfifo or timeout"
plan 8; _planned=1

mkfifo "$T/fifo.csv" "$T/secret.fifo" "$T/config.fifo"
mkdir "$T/dir.csv"

check() { # check CONFIG: exit status and stderr of a bounded check-config
	timeout 20 "$SERAT" check-config "$1" >/dev/null 2>"$T/err"
	echo $?
}

printf 'snmp: {version: 2c, community: public}\ninventory: fifo.csv\n' >"$T/inv-fifo.yaml"
is "$(check "$T/inv-fifo.yaml")" 1 "a FIFO inventory: exit 1, no hang"
is "$(cat "$T/err")" "$T/inv-fifo.yaml:2:12: inventory '$T/fifo.csv': a FIFO, not a regular file" \
	"... named as a FIFO at the inventory key"

printf 'snmp: {version: 2c, community: public}\ninventory: dir.csv\n' >"$T/inv-dir.yaml"
check "$T/inv-dir.yaml" >/dev/null
is "$(cat "$T/err")" "$T/inv-dir.yaml:2:12: inventory '$T/dir.csv': a directory, not a regular file" \
	"a directory inventory"

printf 'snmp: {version: 2c, community: public}\ninventory: /dev/zero\n' >"$T/inv-dev.yaml"
check "$T/inv-dev.yaml" >/dev/null
is "$(cat "$T/err")" "$T/inv-dev.yaml:2:12: inventory '/dev/zero': a character device, not a regular file" \
	"a device inventory (/dev/zero would never end)"

printf 'snmp: {version: 2c, community: "file:secret.fifo"}\n' >"$T/secret.yaml"
is "$(check "$T/secret.yaml")" 1 "a FIFO secret: exit 1, no hang"
is "$(cat "$T/err")" "$T/secret.yaml:1:32: community: cannot read secret file '$T/secret.fifo': a FIFO, not a regular file" \
	"... named as a FIFO"

is "$(check "$T/config.fifo")" 1 "the config itself a FIFO: exit 1, no hang"
is "$(cat "$T/err")" "$T/config.fifo: cannot read: a FIFO, not a regular file" "... named as a FIFO"
done_testing
