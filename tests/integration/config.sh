#!/bin/sh
# config.sh — golden-file tests of `serat check-config` (OpenBSD bgpd
# regress style).
#
# Each tests/config/NN-name.yaml (plus any CSV or secret file it names) is
# checked from inside tests/config, so file names in messages are stable.
# NN-name.expected holds the exact stdout (a valid config: names with
# "-ok-") or the exact stderr (any other: the errors); the other stream
# must be empty, the exit status 0 or 1.  Secrets in the fixtures contain
# NOTPRINTED, which must never appear in any output.  Then the etc/ example
# must pass, and the command line's usage errors exit 2.
#
# SERAT_REGEN=1 rewrites the .expected files from the current output:
# review the diff before committing it.
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
plan $(($# + 9)); _planned=1

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
done
is "$leaks" "" "no secret (NOTPRINTED) in any output"

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
