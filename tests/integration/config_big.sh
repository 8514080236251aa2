#!/bin/sh
# config_big.sh — config checks stay linear at 100,000 devices.
#
# A generated 100,000-row CSV inventory (10,000 sites, every device with a
# parent, chains 10,000 deep) must check within a generous bound: about a
# second on a laptop, a few under ASan on loaded CI cores, while the
# quadratic duplicate-name and parent checks this replaced took 36 s
# unsanitised (minutes under ASan).  The bound is timeout(1), so a
# regression fails instead of hanging; the figures themselves are in
# bench/config_bench.sh.  A duplicate name and a parent cycle planted at
# the end must still be found.
. "$top_srcdir/tests/lib.sh"

[ -x "$SERAT" ] || skip_all "serat not built"
command -v timeout >/dev/null || skip_all "no timeout(1)"
plan 4; _planned=1

printf 'snmp: {version: 2c, community: public}\ninventory: big.csv\n' >"$T/big.yaml"
sh "$top_srcdir/tests/gen_inventory.sh" 100000 >"$T/big.csv"

timeout 20 "$SERAT" check-config "$T/big.yaml" >"$T/out" 2>"$T/err"
is "$?" 0 "100,000 devices check, within the bound"
like "$(sed -n 3p "$T/out")" '^devices: 100000 ' "... and all are there"

{ cat "$T/big.csv"
  echo "site-1,nagari,d99999,10.9.9.9,,,"
  echo "site-x,nagari,loop-a,10.9.9.10,loop-b,,"
  echo "site-x,nagari,loop-b,10.9.9.11,loop-a,,"
} >"$T/big2.csv"
sed 's/big.csv/big2.csv/' "$T/big.yaml" >"$T/big2.yaml"
timeout 20 "$SERAT" check-config "$T/big2.yaml" >/dev/null 2>"$T/err"
is "$?" 1 "a duplicate and a cycle at the end: exit 1, within the bound"
is "$(cat "$T/err")" "$T/big2.csv:100002: column 'device': duplicate device name 'd99999' (first defined at $T/big2.csv:100001)
$T/big2.csv:100003: column 'parent': device 'loop-a': parent cycle loop-a -> loop-b -> loop-a" \
	"... both reported at their rows"
done_testing
