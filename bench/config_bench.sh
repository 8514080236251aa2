#!/bin/sh
# config_bench.sh — time `serat check-config` on generated CSV inventories.
#
# Usage (from a build directory):
#   ../bench/config_bench.sh [--peer PATH-TO-ANOTHER-serat]
# For 1,000, 10,000 and 100,000 rows (tests/gen_inventory.sh: 10 devices
# per site, every device with a parent, chains rows/10 deep) it prints the wall time of
# `serat check-config -q`, microseconds per row, and beside them the floor
# of reading the same file (awk splitting every row) and, with --peer, the
# same check by another serat binary (e.g. 0.1.0's, whose quadratic name
# and parent checks took 35.9 s at 100,000 rows).  Target: 100,000 rows in
# about a second, i.e. linear.
set -u
here=$(cd "$(dirname "$0")" && pwd)
SERAT=${SERAT:-./serat}
peer=""
[ "${1:-}" = "--peer" ] && peer=${2:-}
[ -x "$SERAT" ] || { echo "run from a build directory (no $SERAT)" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/config_bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM

now() { date +%s.%N; }
elapsed() { # elapsed CMD...: wall seconds of CMD
	s=$(now); "$@" >/dev/null 2>&1; e=$(now)
	echo "$s $e" | awk '{ printf "%.3f", $2 - $1 }'
}

printf '%8s %10s %10s %10s %10s\n' rows "serat s" "us/row" "floor s" "${peer:+peer s}"
for n in 1000 10000 100000; do
	sh "$here/../tests/gen_inventory.sh" "$n" >"$T/inv.csv"
	printf 'snmp: {version: 2c, community: public}\ninventory: inv.csv\n' >"$T/c.yaml"
	t=$(elapsed "$SERAT" check-config -q "$T/c.yaml")
	f=$(elapsed awk -F, '{ n += NF } END { print n }' "$T/inv.csv")
	p=""
	[ -n "$peer" ] && p=$(elapsed "$peer" check-config -q "$T/c.yaml")
	printf '%8d %10s %10s %10s %10s\n' "$n" "$t" \
		"$(echo "$t $n" | awk '{ printf "%.2f", $1 * 1e6 / $2 }')" "$f" "$p"
done
echo "target: 100000 rows in about 1 s (linear)"
