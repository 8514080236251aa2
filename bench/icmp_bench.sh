#!/bin/sh
# icmp_bench.sh BUILD_DIR [--targets N] [--count C] [--period MS] [--spacing MS] [--reps R]
#
# CPU per probe, probes per second and RTTs of `serat ping` beside Debian's
# fping on the same targets in the same run.  N addresses (default 250) live
# in a network namespace behind a veth pair, answered by that namespace's
# kernel; the probers run in a second namespace.  Nothing leaves the two
# namespaces (198.18.0.0/16, RFC 2544's benchmarking range).
#
# Two phases, each R runs of both probers, alternating who goes first:
#   paced  C requests to every target, PERIOD ms between rounds, SPACING ms
#          between sends (fping -C C -p PERIOD -i SPACING -t TIMEOUT -q;
#          serat ping --count C --period PERIOD --spacing SPACING ...)
#   flood  the same count, 0.1 ms between sends, rounds back to back
# CPU is user + system time of the prober process (getrusage of the child,
# process start-up included for both) divided by the requests sent;
# probes/s is serat's requests over its send span (send_span_ms: its
# reporting tail sends nothing) and fping's requests over its run's wall
# time (it exits when the last reply is in; start-up included).  RTT agreement: each
# target's median RTT under serat against fping's, same phase and run.
#
# Targets (issue 10): serat's CPU per probe no more than fping's; RTTs
# within 0.1 ms of fping's.  Needs root, ip(8), fping and python3.
set -eu
BUILD=$(cd "${1:?usage: icmp_bench.sh BUILD_DIR [--targets N] ...}" && pwd)
shift
N=250 COUNT=20 PERIOD=500 SPACING=1 TIMEOUT=500 REPS=3
while [ $# -gt 0 ]; do
	case $1 in
	--targets) N=$2; shift 2 ;;
	--count) COUNT=$2; shift 2 ;;
	--period) PERIOD=$2; shift 2 ;;
	--spacing) SPACING=$2; shift 2 ;;
	--reps) REPS=$2; shift 2 ;;
	*) echo "icmp_bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" -eq 0 ] || { echo "icmp_bench.sh: needs root (namespaces, raw sockets)" >&2; exit 1; }
for t in ip fping python3; do
	command -v $t >/dev/null 2>&1 || { echo "icmp_bench.sh: needs $t" >&2; exit 1; }
done
[ "$N" -ge 1 ] && [ "$N" -le 250 ] || { echo "icmp_bench.sh: --targets 1..250" >&2; exit 2; }

P="serat-bench-p-$$" TN="serat-bench-t-$$"
W=$(mktemp -d "${TMPDIR:-/tmp}/serat-icmp-bench.XXXXXX")
cleanup() { ip netns del "$P" 2>/dev/null || :; ip netns del "$TN" 2>/dev/null || :; rm -rf "$W"; }
trap cleanup EXIT
[ -n "${KEEP_BENCH:-}" ] && trap 'ip netns del "$P"; ip netns del "$TN"; echo "kept $W"' EXIT
trap 'exit 1' INT TERM

ip netns add "$P"
ip netns add "$TN"
for ns in "$P" "$TN"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	ip -n "$ns" link set lo up
done
ip link add bp$$ netns "$P" type veth peer name bt$$ netns "$TN"
ip -n "$P" addr add 198.18.0.1/16 dev bp$$
ip -n "$TN" addr add 198.18.0.2/16 dev bt$$
i=1
: >"$W/targets"
while [ $i -le "$N" ]; do
	echo "198.18.1.$i" >>"$W/targets"
	echo "addr add 198.18.1.$i/16 dev bt$$"
	i=$((i + 1))
done | ip -n "$TN" -batch -
ip -n "$P" link set bp$$ up
ip -n "$TN" link set bt$$ up
i=0
until ip -n "$P" link show bp$$ | grep -q 'state UP' && ip -n "$TN" link show bt$$ | grep -q 'state UP'; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "veth did not come up" >&2; exit 1; }; sleep 0.05
done
# Warm the neighbour cache so neither prober pays for ARP.
ip netns exec "$P" fping -q -r 1 -i 1 -f "$W/targets" >/dev/null 2>&1 || :

# run NAME OUT ERR CMD... — the command's CPU (s) and wall time (s) on stdout.
run() {
	python3 - "$@" <<'EOF'
import resource, subprocess, sys, time
out, err = open(sys.argv[2], "w"), open(sys.argv[3], "w")
t = time.monotonic()
subprocess.run(sys.argv[4:], stdout=out, stderr=err)
wall = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.6f %.6f" % (r.ru_utime + r.ru_stime, wall))
EOF
}

# Before each measured run, refresh the neighbour entries (unmeasured): the
# first prober after a pause would otherwise pay for ARP re-probes.  The
# order alternates, so neither always runs first.
warm() { ip netns exec "$P" fping -q -c 1 -i 1 -f "$W/targets" >/dev/null 2>&1 || :; }

# phase NAME COUNT PERIOD_MS SPACING_MS TIMEOUT_MS TAILS — REPS runs of each
# prober, then the summary.  serat's interval is its schedule plus TAILS
# timeouts (1: it reports when the last request has timed out, as fping
# exits; 2: one more timeout of slack, so that on a loaded machine a late
# send still gets its reply counted; the idle tail costs no CPU, but it is
# in the wall time).
phase() {
	ph=$1 c=$2 per=$3 sp=$4 to=$5 tails=$6
	iv=$(awk -v n="$N" -v c="$c" -v p="$per" -v s="$sp" -v t="$to" -v k="$tails" \
		'BEGIN { r = n * s; st = p > r ? p : r; printf "%d", (c - 1) * st + r + k * t + 0.999 }')
	echo ""
	echo "== $ph: $N targets x $c requests, period $per ms, spacing $sp ms, timeout $to ms," \
		"$REPS reps each, fping $(fping -v 2>&1 | sed -n 's/.*Version //p')"
	rep=1
	while [ "$rep" -le "$REPS" ]; do
		for who in $( [ $((rep % 2)) = 1 ] && echo serat fping || echo fping serat); do
			warm
			if [ "$who" = serat ]; then
				run serat "$W/$ph.serat.$rep.json" "$W/$ph.serat.$rep.err" \
					ip netns exec "$P" "$BUILD/serat" ping --socket raw --json \
					--count "$c" --period "${per}ms" --spacing "${sp}ms" \
					--timeout "${to}ms" --interval "${iv}ms" $(cat "$W/targets") \
					>"$W/$ph.serat.$rep.cpu"
			else
				run fping "$W/$ph.fping.$rep.out" "$W/$ph.fping.$rep.err" \
					ip netns exec "$P" fping -q -C "$c" -p "$per" -i "$sp" -t "$to" \
					-f "$W/targets" >"$W/$ph.fping.$rep.cpu"
			fi
		done
		rep=$((rep + 1))
	done
	summary "$ph" $((N * c))
}

summary() {
python3 - "$W" "$REPS" "$2" "$1" <<'EOF'
import json, statistics, sys
w, reps, probes, ph = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

def cpu(name, rep):
    c, wall = open("%s/%s.%s.%d.cpu" % (w, ph, name, rep)).read().split()
    return float(c), float(wall)

def serat_rtts(rep):
    d = json.load(open("%s/%s.serat.%d.json" % (w, ph, rep)))
    lost = sum(t["lost"] for t in d["targets"])
    if lost or sum(t["late"] for t in d["targets"]):
        where = {}
        for t in d["targets"]:
            for i, x in enumerate(t["rtts_ms"]):
                if x is None:
                    where[i] = where.get(i, 0) + 1
        print("  serat rep %d: %d lost, %d late, by request index %s" % (
            rep, lost, sum(t["late"] for t in d["targets"]), sorted(where.items())))
    sent = sum(t["sent"] for t in d["targets"])
    span = d["counters"].get("send_span_ms") or 0
    return {t["address"]: [x for x in t["rtts_ms"] if x is not None] for t in d["targets"]}, sent, span

def fping_rtts(rep):
    out = {}
    for line in open("%s/%s.fping.%d.err" % (w, ph, rep)):
        if " : " not in line:
            continue
        host, vals = line.split(" : ", 1)
        out[host.strip()] = [float(v) for v in vals.split() if v != "-"]
    return out

rows = []
for rep in range(1, reps + 1):
    sc, sw = cpu("serat", rep)
    fc, fw = cpu("fping", rep)
    s, sent, span = serat_rtts(rep)
    f = fping_rtts(rep)
    diffs = [abs(statistics.median(s[h]) - statistics.median(f[h]))
             for h in s if s.get(h) and f.get(h)]
    srec = sum(len(v) for v in s.values())
    frec = sum(len(v) for v in f.values())
    smed = statistics.median([statistics.median(v) for v in s.values() if v])
    fmed = statistics.median([statistics.median(v) for v in f.values() if v])
    # serat's rate: requests sent over its send span (its interval's idle
    # tail is not sending); fping's: requests over its whole run (it exits
    # once the last reply is in), start-up included.
    srate = sent / (span / 1000) if span else probes / sw
    rows.append((sc, sw, fc, fw, diffs, srec, frec, smed, fmed, sent, srate))
    print("rep %d: serat %.2f us CPU/probe, %.0f probes/s, %d sent, %d/%d replies | fping %.2f us"
          " CPU/probe, %.0f probes/s, %d/%d replies" % (rep, sc / max(sent, 1) * 1e6, srate, sent, srec,
                                                       probes, fc / probes * 1e6, probes / fw,
                                                       frec, probes))
best_s = min(r[0] / max(r[9], 1) for r in rows) * 1e6
best_f = min(r[2] for r in rows) / probes * 1e6
alld = [d for r in rows for d in r[4]]
print("")
print("  %-28s %10s %10s" % ("", "serat", "fping"))
print("  %-28s %10.2f %10.2f" % ("CPU per probe (us, best)", best_s, best_f))
print("  %-28s %10.0f %10.0f" % ("probes/s (best)", max(r[10] for r in rows),
                                 probes / min(r[3] for r in rows)))
print("  %-28s %10.3f %10.3f" % ("median of target medians ms", statistics.median(r[7] for r in rows),
                                 statistics.median(r[8] for r in rows)))
print("  %-28s %10.3f" % ("|median diff| ms, mean", statistics.mean(alld)))
print("  %-28s %10.3f" % ("|median diff| ms, max", max(alld)))
print("")
print("target: CPU/probe <= fping's: %s" % ("met" if best_s <= best_f else "MISSED"))
print("target: per-target median RTT within 0.1 ms of fping's: %s (%d of %d targets within)"
      % ("met" if max(alld) <= 0.1 else "MISSED", sum(d <= 0.1 for d in alld), len(alld)))
EOF
}

phase paced "$COUNT" "$PERIOD" "$SPACING" "$TIMEOUT" 2
# As fast as each goes: 0.1 ms apart, rounds back to back.  serat's interval
# gets a second of slack: a loaded machine does not keep 10,000 sends a
# second, and requests still unsent when the interval ends are dropped.
phase flood "$COUNT" "$(awk -v n="$N" 'BEGIN { print n * 0.1 }')" 0.1 100 10
