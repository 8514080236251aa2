#!/bin/sh
# probe_bench.sh — `serat probe --read` against its read floor and the
# reference analyser, and its memory under a flow flood.
#
# Usage: bench/probe_bench.sh BUILD_DIR [--packets N] [--flood N]
#                             [--flow-memory MB] [--keep DIR]
#
# Writes (tests/probe_gen.py) a capture of about N packets (default 2M) of
# TCP connections with ~1 % retransmissions, then in one run reads it with
#   tcpdump -r F -w /dev/null        the read floor
#   serat probe --read F --json      the probe, all analysis on
#   tshark -r F -q -z io,stat,0,...  Wireshark's TCP analysis (retransmission
#                                    counting forces it), one pass
# and prints packets per second side by side (best of 2 for the fast two).
# Then a flood of N distinct flows (default 1M SYNs): serat's peak RSS
# (/usr/bin/time -v) must stay below the flow-table cap (default 64 MB)
# plus the process's baseline (its RSS on a one-packet capture).
# Targets: serat >= 0.5 x tcpdump, >= 20 x tshark; flood RSS under the cap.
# Never part of `make check`; see bench/README.md.
set -u

usage() { echo "usage: $0 BUILD_DIR [--packets N] [--flood N] [--flow-memory MB] [--keep DIR]" >&2; exit 2; }
[ $# -ge 1 ] || usage
B=$(cd "$1" && pwd) || usage
shift
here=$(cd "$(dirname "$0")" && pwd)
GEN="$here/../tests/probe_gen.py"
PACKETS=2000000 FLOOD=1000000 FLOWMB=64 KEEP=""
while [ $# -gt 0 ]; do
	case $1 in
	--packets) PACKETS=$2; shift ;;
	--flood) FLOOD=$2; shift ;;
	--flow-memory) FLOWMB=$2; shift ;;
	--keep) KEEP=$2; shift ;;
	*) usage ;;
	esac
	shift
done
for t in tcpdump tshark python3 /usr/bin/time; do
	command -v "$t" >/dev/null 2>&1 || { echo "$0: needs $t" >&2; exit 1; }
done
make -C "$B" -s serat >&2 || exit 1
SERAT=$B/serat
if [ -n "$KEEP" ]; then W=$KEEP; mkdir -p "$W"; else W=$(mktemp -d); trap 'rm -rf "$W"' EXIT; fi

F=$W/bench.pcap
if [ ! -s "$F" ]; then
	echo "writing a capture of ~$PACKETS packets ..." >&2
	python3 "$GEN" bench "$F" "$PACKETS" || exit 1
fi

# secs CMD... — wall seconds of CMD (stdout discarded).
secs() {
	_s=$(date +%s.%N)
	"$@" >/dev/null 2>&1
	_e=$(date +%s.%N)
	echo "$_s $_e" | awk '{printf "%.3f", $2 - $1}'
}
best() { # best CMD... — the faster of two runs
	_a=$(secs "$@"); _b=$(secs "$@")
	echo "$_a $_b" | awk '{print ($1 < $2) ? $1 : $2}'
}
cat "$F" >/dev/null   # page cache warm for everyone
t_dump=$(best tcpdump -r "$F" -w /dev/null)
t_serat=$(best "$SERAT" probe --read "$F" --json)
t_shark=$(secs tshark -r "$F" -q -z io,stat,0,tcp.analysis.retransmission)

"$SERAT" probe --read "$F" --json >"$W/serat.json"
total() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['total'][sys.argv[2]])" "$W/serat.json" "$1"; }
N=$(total packets)
s_retx=$(total tcp_retransmissions)
w_retx=$(tshark -r "$F" -Y tcp.analysis.retransmission 2>/dev/null | wc -l)

echo
echo "capture: $N packets, $(du -h "$F" | cut -f1)"
awk -v n="$N" -v d="$t_dump" -v s="$t_serat" -v w="$t_shark" 'BEGIN {
	printf "  %-44s %8s %12s\n", "reader", "seconds", "packets/s"
	printf "  %-44s %8.3f %12.0f\n", "tcpdump -r F -w /dev/null (read floor)", d, n / d
	printf "  %-44s %8.3f %12.0f\n", "serat probe --read F --json", s, n / s
	printf "  %-44s %8.3f %12.0f\n", "tshark -r F -q (TCP analysis)", w, n / w
	r1 = d / s; r2 = w / s
	printf "  serat = %.2fx tcpdump (target >= 0.5: %s), %.1fx tshark (target >= 20: %s)\n",
		r1, (r1 >= 0.5 ? "met" : "MISSED"), r2, (r2 >= 20 ? "met" : "MISSED")
}'
echo "  retransmissions: serat $s_retx, tshark $w_retx"

# ---- memory under a flood of distinct flows
FL=$W/flood.pcap
[ -s "$FL" ] || python3 "$GEN" flood "$FL" "$FLOOD" || exit 1
python3 "$GEN" flood "$W/one.pcap" 1
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'; }
base=$(rss "$SERAT" probe --read "$W/one.pcap" --flow-memory "$FLOWMB" --json)
peak=$(rss "$SERAT" probe --read "$FL" --flow-memory "$FLOWMB" --json)
"$SERAT" probe --read "$FL" --flow-memory "$FLOWMB" --json >"$W/flood.json"
ev=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['flow_evictions'])" "$W/flood.json")
echo
echo "flood: $FLOOD distinct flows, flow table cap $FLOWMB MB"
awk -v b="$base" -v p="$peak" -v cap="$FLOWMB" -v ev="$ev" 'BEGIN {
	printf "  peak RSS %.1f MB (baseline %.1f MB, so %.1f MB for flows), evictions %d\n",
		p / 1024, b / 1024, (p - b) / 1024, ev
	printf "  flow memory under the cap: %s\n", ((p - b) / 1024 <= cap ? "met" : "MISSED")
}'
