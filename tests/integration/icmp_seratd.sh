#!/bin/sh
# icmp_seratd.sh — the ICMP prober inside seratd.  A namespace P runs
# seratd (and the fake agent it polls, on P's loopback); a veth joins it to
# a namespace TN where tests/icmp_responder answers echo requests: one
# address with a 20 ms delay, one dropping every 4th request.  seratd
# probes both as site targets every interval and stores target.* metrics:
# the RRD files under <data_dir>/target/<site>/ hold a loss of 25 % for
# the dropping address and 0 % with an RTT of 20 ms or more for the other.
# Nothing leaves the two namespaces.  Needs root and `ip netns`.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
RESPONDER="$top_builddir/tests/icmp_responder/icmp_responder"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (network namespaces, raw sockets)"
command -v ip >/dev/null 2>&1 || skip_all "no ip(8)"
command -v rrdtool >/dev/null || skip_all "rrdtool (CLI, to read RRDs back) missing"
[ -x "$RESPONDER" ] && [ -x "$FAKEAGENT" ] || skip_all "responder or fake agent not built"
plan 5

P="serat-is-p-$$"
TN="serat-is-t-$$"
trap 'for p in $_bg_pids; do bg_stop "$p"; done; ip netns del "$P" 2>/dev/null; ip netns del "$TN" 2>/dev/null; _lib_cleanup' EXIT
ip netns add "$P" 2>/dev/null || skip_all "ip netns add failed (no namespace support?)"
ip netns add "$TN" || bail "ip netns add $TN"
ip link add ip$$ netns "$P" type veth peer name it$$ netns "$TN" || bail "veth"
ip -n "$P" link set lo up
ip -n "$TN" link set lo up
ip -n "$P" addr add 198.18.2.1/24 dev ip$$
ip -n "$TN" addr add 198.18.2.2/24 dev it$$
ip -n "$TN" addr add 198.18.2.10/24 dev it$$
ip -n "$TN" addr add 198.18.2.12/24 dev it$$
ip -n "$P" link set ip$$ up
ip -n "$TN" link set it$$ up
up() { ip -n "$P" link show ip$$ | grep -q 'state UP' && ip -n "$TN" link show it$$ | grep -q 'state UP'; }
wait_until 10 up || bail "the veth pair did not come up"
ip netns exec "$TN" sysctl -qw net.ipv4.icmp_echo_ignore_all=1 || bail "cannot silence the kernel's echo"
bg_start "$T/responder.log" ip netns exec "$TN" "$RESPONDER" --ready "$T/ready" \
	--router4 198.18.2.2 198.18.2.10=delay:20 198.18.2.12=drop:4
wait_until 10 test -f "$T/ready" || bail "responder did not start: $(cat "$T/responder.log")"

p=$(free_port)
bg_start "$T/fa.log" ip netns exec "$P" "$FAKEAGENT" --port-base "$p" --devices 1 --ports 2 \
	--truth "$T/fa.truth"
wait_until 10 grep -q '^ready' "$T/fa.log" || bail "fake agent did not start"
conf_begin "$T/c.yaml" 2s "icmp: {count: 8, period: 50ms, spacing: 10ms, timeout: 500ms}"
conf_device "$T/c.yaml" sw-0 "$p"
sed -i 's|^    devices:$|    icmp: [198.18.2.10, 198.18.2.12]\n    devices:|' "$T/c.yaml"
bg_start "$T/seratd.log" ip netns exec "$P" "$SERATD" --config "$T/c.yaml" --foreground
wait_until 15 grep -q "icmp: probing 2 targets" "$T/seratd.log"
ok $? "seratd probes the site's two ICMP targets"
F10="$T/data/target/lab/198.18.2.10.rrd"
F12="$T/data/target/lab/198.18.2.12.rrd"
wait_until 20 test -f "$F10" -a -f "$F12"
ok $? "one RRD file per target under data/target/lab/"
# last DS values: loss rtt rttmin rttmax jitter late dup icmperr
last() { rrdtool lastupdate "$1" | awk -F': ' 'NR == 3 { print $2 }'; }
have() { [ -n "$(last "$1")" ] && [ "$(last "$1" | awk '{ print $1 }')" != U ]; }
wait_until 20 have "$F12"
wait_until 20 have "$F10"
set -- $(last "$F12")
is "$1" 25 "every 4th request dropped: target.loss_pct 25"
set -- $(last "$F10")
is "$1" 0 "the delayed target loses nothing"
awk -v r="$2" 'BEGIN { exit !(r >= 19.5 && r < 400) }'
ok $? "... and its median RTT ($2 ms) shows the 20 ms delay"
