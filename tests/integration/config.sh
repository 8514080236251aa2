#!/bin/sh
# config.sh — golden-file tests of `serat check-config` (OpenBSD bgpd
# regress style).
#
# Each tests/config/NN-name.yaml (plus any CSV or secret file it names) is
# checked from inside tests/config, so file names in messages are stable.
# NN-name.expected holds the exact stdout (a valid config: names with
# "-ok-") or the exact stderr (any other: the errors); the other stream
# must be empty, the exit status 0 or 1.  A valid config also has
# NN-name.print, the exact output of `check-config --print` (the whole
# parsed config, normalised), so a value parsed wrongly fails here.
# Secrets in the fixtures contain NOTPRINTED, which must never appear in
# any output.  Then the etc/ example must pass, and the command line's
# usage errors exit 2.
#
# SERAT_REGEN=1 rewrites the .expected and .print files from the current
# output: review the diff before committing it.
. "$top_srcdir/tests/lib.sh"

[ -x "$SERAT" ] || skip_all "serat not built"
CFG="$top_srcdir/tests/config"
cd "$CFG" || bail "no $CFG"

# The env: secrets the fixtures use; the unset one must stay unset.
SERAT_TEST_TOKEN=NOTPRINTED-env-token
SERAT_TEST_PRIV=NOTPRINTED-env-priv
export SERAT_TEST_TOKEN SERAT_TEST_PRIV
unset SERAT_TEST_UNSET_VARIABLE

set -- [0-9][0-9]-*.yaml
n_ok=0
for y in "$@"; do case $y in *-ok-*) n_ok=$((n_ok + 1)) ;; esac; done
plan $(($# + n_ok + 11)); _planned=1

leaks=""
for y in "$@"; do
	base=${y%.yaml}
	case $base in *-ok-*) want=0 ;; *) want=1 ;; esac
	"$SERAT" check-config "$y" >"$T/out" 2>"$T/err"
	rc=$?
	if grep -q NOTPRINTED "$T/out" "$T/err"; then leaks="$leaks $base"; fi
	if [ "$want" = 0 ]; then golden="$T/out" other="$T/err"; else golden="$T/err" other="$T/out"; fi
	if [ -n "${SERAT_REGEN:-}" ]; then cp "$golden" "$base.expected"; fi
	if [ ! -f "$base.expected" ]; then
		ok 1 "$base: no $base.expected"
		continue
	fi
	if [ "$rc" = "$want" ] && [ ! -s "$other" ] && cmp -s "$golden" "$base.expected"; then
		ok 0 "$base: exit $rc, output matches"
	else
		ok 1 "$base: exit $rc (want $want), output differs"
		diff -u "$base.expected" "$golden" | sed 's/^/# /'
		sed 's/^/# other stream: /' "$other"
	fi
	[ "$want" = 0 ] || continue
	"$SERAT" check-config --print "$y" >"$T/print" 2>"$T/err"
	rc=$?
	if grep -q NOTPRINTED "$T/print" "$T/err"; then leaks="$leaks $base.print"; fi
	if [ -n "${SERAT_REGEN:-}" ]; then cp "$T/print" "$base.print"; fi
	if [ "$rc" = 0 ] && [ ! -s "$T/err" ] && cmp -s "$T/print" "$base.print"; then
		ok 0 "$base: --print matches $base.print"
	else
		ok 1 "$base: --print exit $rc, output differs from $base.print"
		diff -u "$base.print" "$T/print" | sed 's/^/# /'
		sed 's/^/# stderr: /' "$T/err"
	fi
done
is "$leaks" "" "no secret (NOTPRINTED) in any output"

# --print is deterministic and reads back: printing the same config twice
# gives the same bytes.
"$SERAT" check-config --print 02-ok-full.yaml >"$T/p1" 2>&1
"$SERAT" check-config --print --config 02-ok-full.yaml >"$T/p2" 2>&1
ok $(cmp -s "$T/p1" "$T/p2"; echo $?) "--print twice, FILE or --config FILE: the same bytes"

"$SERAT" check-config -q --print 01-ok-minimal.yaml >/dev/null 2>&1
is "$?" 2 "-q with --print: usage error, exit 2"

# The shipped example, checked from its own directory like an admin would.
out=$(cd "$top_srcdir/etc" && "$SERAT" check-config serat.yaml 2>&1)
rc=$?
is "$rc" 0 "etc/serat.yaml passes check-config"
if [ -n "${SERAT_REGEN:-}" ]; then printf '%s\n' "$out" >etc-serat.expected; fi
is "$out" "$(cat etc-serat.expected)" "etc/serat.yaml summary matches etc-serat.expected"

# Checked through a path, errors name the file as given.
out=$("$SERAT" check-config ../config/05-bad-duplicate-keys.yaml 2>&1 | head -1)
like "$out" '^\.\./config/05-bad-duplicate-keys\.yaml:15:1: duplicate key' "file named as given on the command line"

"$SERAT" check-config -q 01-ok-minimal.yaml >"$T/out" 2>&1
rc=$?
is "$rc:$(cat "$T/out")" "0:" "-q: exit 0, no output"

"$SERAT" check-config no-such-file.yaml >"$T/out" 2>"$T/err"
rc=$?
is "$rc:$(cat "$T/err")" "1:no-such-file.yaml: cannot open: No such file or directory" "missing file: exit 1"

"$SERAT" check-config >/dev/null 2>&1
is "$?" 2 "check-config without a file: exit 2"
"$SERAT" frobnicate >/dev/null 2>&1
is "$?" 2 "unknown command: exit 2"
"$SERAT" --help >"$T/out" 2>&1
rc=$?
like "$rc:$(cat "$T/out")" '^0:usage: serat COMMAND' "--help: exit 0 and usage on stdout"
done_testing
