#!/bin/sh
# icmp_probe.sh — the ICMP prober against targets whose behaviour is known.
#
# Two network namespaces joined by a veth pair, addresses from the
# benchmarking range 198.18.0.0/24 and the ULA fd53:6572:6174::/64, which
# exist only inside them: nothing leaves.  In the target namespace the
# kernel's own echo replies are off and tests/icmp_responder answers
# instead, one rule per address: a fixed delay, alternating delays (known
# jitter), every 4th request dropped, every reply doubled, replies after
# the timeout, ICMP unreachable / time exceeded / redirect.  `serat ping`
# runs in the prober namespace three ways: as nobody with unprivileged ICMP
# off (it must refuse and name the sysctl and the capability), as root on
# raw sockets, and as nobody on datagram sockets once ping_group_range in
# that namespace allows it.  Counts must be exact; RTTs must lie between
# the configured delay and a generous margin above it (loaded CI, ASan).
# Needs root and `ip netns`; skips otherwise.
. "$top_srcdir/tests/lib.sh"

RESPONDER="$top_builddir/tests/icmp_responder/icmp_responder"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (network namespaces, raw sockets)"
command -v ip >/dev/null 2>&1 || skip_all "no ip(8)"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"
command -v setpriv >/dev/null 2>&1 || skip_all "no setpriv(1)"
[ -x "$SERAT" ] && [ -x "$RESPONDER" ] || skip_all "serat or the responder not built"

P="serat-icmp-p-$$"
TN="serat-icmp-t-$$"
icmp_cleanup() {
	ip netns del "$P" 2>/dev/null
	ip netns del "$TN" 2>/dev/null
}
trap 'for p in $_bg_pids; do bg_stop "$p"; done; icmp_cleanup; _lib_cleanup' EXIT
ip netns add "$P" 2>/dev/null || skip_all "ip netns add failed (no namespace support?)"
ip netns add "$TN" || bail "ip netns add $TN"

N4=198.18.0
N6=fd53:6572:6174:
# No duplicate address detection: a tentative link-local address holds
# neighbour discovery back, and the first IPv6 replies would come late.
for ns in "$P" "$TN"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
ip link add sp$$ netns "$P" type veth peer name st$$ netns "$TN" || bail "veth"
ip -n "$P" link set lo up
ip -n "$TN" link set lo up
ip -n "$P" addr add $N4.1/24 dev sp$$
ip -n "$P" addr add $N6:1/64 dev sp$$ nodad
ip -n "$TN" addr add $N4.2/24 dev st$$
ip -n "$TN" addr add $N6:2/64 dev st$$ nodad
for i in 10 11 12 13 14 15 16 17; do
	ip -n "$TN" addr add $N4.$i/24 dev st$$
	ip -n "$TN" addr add $N6:$i/64 dev st$$ nodad
done
ip -n "$P" link set sp$$ up
ip -n "$TN" link set st$$ up
# Ready once both ends have carrier (the kernel's link watch reports it up
# to a second late) and IPv6 is up on them: a link-local address, none
# tentative.  Before that, neighbour solicitations go unanswered.
links_ready() {
	for _x in "$P sp$$" "$TN st$$"; do
		set -- $_x
		ip -n "$1" link show "$2" | grep -q 'state UP' || return 1
		[ -n "$(ip -n "$1" -6 addr show dev "$2" scope link)" ] || return 1
		[ -z "$(ip -n "$1" -6 addr show dev "$2" tentative)" ] || return 1
	done
}
wait_until 10 links_ready || bail "the veth pair did not come up"
ip netns exec "$TN" sysctl -qw net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1 ||
	bail "cannot turn the kernel's echo replies off"
# The redirect must be counted, not acted on.
ip netns exec "$P" sysctl -qw net.ipv4.conf.all.accept_redirects=0 net.ipv4.conf.default.accept_redirects=0
ip netns exec "$P" sysctl -qw net.ipv4.ping_group_range="1 0"

bg_start "$T/responder.log" ip netns exec "$TN" "$RESPONDER" --ready "$T/ready" \
	--router4 $N4.2 --router6 $N6:2 \
	$N4.10=delay:50 $N4.11=alt:20:60 $N4.12=drop:4 $N4.13=dup $N4.14=delay:900 \
	$N4.15=unreach $N4.16=timex $N4.17=redirect \
	$N6:10=delay:50 $N6:11=alt:20:60 $N6:12=drop:4 $N6:13=dup $N6:14=delay:900 \
	$N6:15=unreach $N6:16=timex
wait_until 10 test -f "$T/ready" || bail "responder did not start: $(cat "$T/responder.log")"

TARGETS4="$N4.10 $N4.11 $N4.12 $N4.13 $N4.14 $N4.15 $N4.16 $N4.17"
TARGETS6="$N6:10 $N6:11 $N6:12 $N6:13 $N6:14 $N6:15 $N6:16"
# 8 requests to each of 15 targets, 10 ms apart: the last leaves after
# ~1.2 s; a 300 ms timeout makes the 900 ms replies late, and the interval
# (4 s) ends long after they have arrived.
PING_OPTS="--count 8 --period 0 --spacing 10ms --timeout 300ms --interval 4s --json"

# field FILE ADDRESS KEY[.SUBKEY] — one figure of one target in serat ping's JSON.
field() {
	python3 - "$@" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
v = doc if sys.argv[2] == "-" else [t for t in doc["targets"] if t["address"] == sys.argv[2]][0]
for k in sys.argv[3].split("."):
    v = v[k]
print("null" if v is None else ("%g" % v if isinstance(v, float) else v))
EOF
}
# within VALUE LO HI — LO <= VALUE <= HI (decimals)
within() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "null" && v >= lo && v <= hi) }'; }

# check_run FILE LABEL FAMILY-PREFIX: the same truths for IPv4 and IPv6.
check_family() {
	f=$1 l=$2 a=$3
	is "$(field "$f" "${a}10" sent) $(field "$f" "${a}10" received) $(field "$f" "${a}10" lost)" \
		"8 8 0" "$l ${a}10: 8 sent, 8 received"
	med=$(field "$f" "${a}10" rtt_median_ms)
	within "$med" 49 90; ok $? "$l ${a}10: median RTT $med ms within [49, 90] (delay 50 ms)"
	min=$(field "$f" "${a}10" rtt_min_ms)
	within "$min" 49 90; ok $? "$l ${a}10: min RTT $min ms is the delay (the responder's clock ticks in ms)"
	j=$(field "$f" "${a}11" jitter_ms)
	within "$j" 30 50; ok $? "$l ${a}11: jitter $j ms ~ 40 (alternating 20/60 ms)"
	mn=$(field "$f" "${a}11" rtt_min_ms) mx=$(field "$f" "${a}11" rtt_max_ms)
	within "$mn" 19 45 && within "$mx" 59 85; ok $? "$l ${a}11: min $mn ~ 20, max $mx ~ 60"
	is "$(field "$f" "${a}12" received) $(field "$f" "${a}12" lost) $(field "$f" "${a}12" loss_pct)" \
		"6 2 25" "$l ${a}12: every 4th dropped: 2 lost, 25 %"
	is "$(field "$f" "${a}13" received) $(field "$f" "${a}13" duplicates) $(field "$f" "${a}13" lost)" \
		"8 8 0" "$l ${a}13: 8 received once, 8 duplicates"
	is "$(field "$f" "${a}14" received) $(field "$f" "${a}14" late) $(field "$f" "${a}14" lost) $(field "$f" "${a}14" loss_pct) $(field "$f" "${a}14" rtt_median_ms)" \
		"0 8 0 0 null" "$l ${a}14: replies after the timeout are late, not lost, no RTT"
	is "$(field "$f" "${a}15" errors.unreachable) $(field "$f" "${a}15" lost) $(field "$f" "${a}15" loss_pct)" \
		"8 8 100" "$l ${a}15: 8 unreachable, all lost"
	is "$(field "$f" "${a}16" errors.time_exceeded) $(field "$f" "${a}16" errors.unreachable) $(field "$f" "${a}16" lost)" \
		"8 0 8" "$l ${a}16: 8 time exceeded"
}

check_run() {
	f=$1 l=$2
	check_family "$f" "$l" "$N4."
	is "$(field "$f" "$N4.17" errors.redirect) $(field "$f" "$N4.17" received)" "8 0" \
		"$l $N4.17: 8 redirects counted"
	check_family "$f" "$l" "$N6:"
	is "$(field "$f" - counters.malformed) $(field "$f" - counters.recv_errors)" "0 0" \
		"$l: nothing malformed, no receive errors"
	# An ICMP error is reported to the next socket call, whatever it is for:
	# it must not fail another target's request.
	is "$(python3 -c 'import json,sys; print(sum(t["send_errors"] for t in json.load(open(sys.argv[1]))["targets"]))' "$f")" 0 \
		"$l: no send errors (pending ICMP errors are not taken for them)"
}

plan 52; _planned=1

# 1. Unprivileged, ping_group_range "1 0": no socket, and the fix named.
ip netns exec "$P" setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$SERAT" ping --count 1 $N4.10 >"$T/none.out" 2>"$T/none.err"
rc=$?
is "$rc" 1 "nobody, no ping_group_range: exit 1"
like "$(cat "$T/none.err")" 'sysctl -w net\.ipv4\.ping_group_range="0 2147483647"' "the error names the sysctl"
like "$(cat "$T/none.err")" 'setcap cap_net_raw\+ep' "... and the capability"

# 2. Root: raw sockets (auto chooses them: no group is in the range).
ip netns exec "$P" "$SERAT" ping $PING_OPTS $TARGETS4 $TARGETS6 >"$T/raw.json" 2>"$T/raw.err"
rc=$?
is "$rc" 1 "raw: exit 1 (some targets never answered in time)"
is "$(field "$T/raw.json" - socket)" raw "raw: auto chose raw sockets"
check_run "$T/raw.json" raw

# 3. Unprivileged again, with ping_group_range allowing it in this namespace.
ip netns exec "$P" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
ip netns exec "$P" setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$SERAT" ping $PING_OPTS $TARGETS4 $TARGETS6 >"$T/dgram.json" 2>"$T/dgram.err"
is "$(field "$T/dgram.json" - socket)" datagram "nobody with ping_group_range: datagram sockets"
check_run "$T/dgram.json" datagram
[ -n "${KEEP_TMP:-}" ] && diag "outputs in $T"
done_testing
