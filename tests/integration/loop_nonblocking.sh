#!/bin/sh
# loop_nonblocking.sh — the event loop never waits for a silent SNMPv3
# device: 20 of them (the fake agent ignores SNMPv3, so engine discovery
# gets no answer) beside 3 healthy v2c devices; the healthy ones keep their
# 1-second schedule.  With discovery run synchronously inside the send, each
# silent device blocked the loop for timeout x tries on every poll (20 x 2 s
# per round here), and the healthy devices were polled about once a minute.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
plan 4

base=$(free_port)
fake_start silent "$base" 20 4
fake_start ok "$((base + 30))" 3 8
export V3_AUTH=silent-auth-1 V3_PRIV=silent-priv-1
conf_begin "$T/c.yaml" 1s "poller: {max_in_flight: 64}"
for i in 0 1 2; do conf_device "$T/c.yaml" "ok-$i" $((base + 30 + i)); done
i=0
while [ $i -lt 20 ]; do
	conf_device "$T/c.yaml" "v3-$i" $((base + i)) \
		"snmp: {version: 3, user: nobody, auth_protocol: SHA, auth_password: env:V3_AUTH, priv_protocol: AES, priv_password: env:V3_PRIV, retries: 1}"
	i=$((i + 1))
done
t0=$(date +%s)
bg_start "$T/seratd.log" "$SERATD" --config "$T/c.yaml" --foreground
SERATD_PID=$BG_PID
# 8 polls take 7-8 s on schedule; the bound is loose on purpose (loaded
# CI, sanitizers): the blocked loop needed ~40 s per round.
all_ok() { for d in ok-0 ok-1 ok-2; do polls_ge $d 8 || return 1; done; }
wait_until 25 all_ok
ok $? "the healthy devices complete 8 polls while 20 SNMPv3 devices are silent ($(($(date +%s) - t0)) s)"
is "$(field ok-0 overruns)" 0 "no healthy device missed a turn"
like "$(field v3-0 state): $(field v3-0 error)" "^down: no response .*engine discovery" \
	"a silent SNMPv3 device is down: no response to engine discovery"
is "$(grep -c 'priv password' "$T/seratd.log")" 0 "its outage is not blamed on the priv password"
