#!/bin/sh
# storage_fdlimit.sh — one socket per SNMP session: with a soft open-file
# limit of 64 and 100 devices, seratd raises the limit itself and polls
# every device; with the hard limit too low it refuses to start, saying how
# many descriptors it needs and what to change (exit 1).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
[ -x "$SERATD" ] || skip_all "seratd not built"
[ -x "$FAKEAGENT" ] || skip_all "fake agent not built"
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 400 ] || skip_all "hard open-file limit below 400"
plan 5

N=100
p=$(free_port)
fake_start fa "$p" $N 1
conf_begin "$T/c.yaml" 1s
i=0
while [ $i -lt $N ]; do
	conf_device "$T/c.yaml" "sw-$i" $((p + i))
	i=$((i + 1))
done

(ulimit -Sn 64 && exec "$SERATD" --config "$T/c.yaml" --cycles 1) >"$T/soft.log" 2>&1
is "$?" 0 "soft limit 64, 100 devices: seratd --cycles 1 exits 0"
up=$(py "$ST" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["devices"]
print(sum(1 for x in d if x["state"] == "up" and x["polls"] >= 1))
PY
)
is "$up" $N "... every device was polled (the limit was raised)"
ok "$(grep -c 'Too many open files' "$T/soft.log")" "... and no 'Too many open files'"

(ulimit -Sn 64 && ulimit -Hn 200 && exec "$SERATD" --config "$T/c.yaml" --cycles 1) >"$T/hard.log" 2>&1
is "$?" 1 "hard limit 200 below the need: exit 1"
like "$(cat "$T/hard.log")" "seratd needs 356 open files \(one socket per device, plus 256\), but the hard limit is 200: raise LimitNOFILE=" \
	"... with the numbers and the remedy"
