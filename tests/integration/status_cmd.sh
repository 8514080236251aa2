#!/bin/sh
# status_cmd.sh — `serat status` keeps untrusted text inert and speaks the
# configured timezone.
#
# A handcrafted status.json (the format seratd writes, docs/status.md)
# whose ifName, ifAlias and error text carry ESC sequences, a carriage
# return, a C1 control and broken UTF-8: the table must print none of those
# bytes ('?' instead, docs/status.md), --json must keep them as JSON
# escapes (\u001b), and the snapshot time must be local time in the
# configured zone (WIB by default), not UTC.
. "$top_srcdir/tests/lib.sh"

[ -x "$SERAT" ] || skip_all "serat not built"
plan 9; _planned=1

# 1796191501 is 2026-12-02 06:05:01 UTC, 13:05:01 in Jakarta.
write_status() {
	printf '%s' '{"version":1,"generated":1796191501.25,"pid":0,"config":"c.yaml","interval_s":60,"devices":[{"name":"core-1","site":"Diskominfo","kind":"core","address":"10.0.0.1","port":161,"parent":null,"state":"down","since":1796191400,"last_poll":1796191500,"error":"no response \u001b[2Jfrom \u001b]0;pwned\u0007agent","rtt_ms":null,"uptime_s":86400,"polls":3,"overruns":0,"malformed":0,"rrd":"x/device.rrd","interfaces":[{"name":"ge-0/0/1\u001b[31mRED","alias":"uplink\rEVIL","ifindex":1,"oper":"up","admin":"up","speed_mbps":1000,"in_bps":1000,"out_bps":2000,"in_pps":null,"out_pps":null,"in_errors_ps":null,"out_errors_ps":null,"in_discards_ps":null,"out_discards_ps":null,"util_pct":0.2,"rrd":"x/if/ge.rrd"},{"name":"c1\u009bcontrol","alias":null,"ifindex":2,"oper":"down","admin":"up","speed_mbps":null,"in_bps":null,"out_bps":null,"in_pps":null,"out_pps":null,"in_errors_ps":null,"out_errors_ps":null,"in_discards_ps":null,"out_discards_ps":null,"util_pct":null,"rrd":"x/if/c1.rrd"}]}]}' >"$T/status.json"
}
write_status
cat >"$T/c.yaml" <<YAML
data_dir: $T
snmp: {version: 2c, community: public}
sites:
  - name: Diskominfo
    kind: core
    devices: [{name: core-1, address: 10.0.0.1}]
YAML

"$SERAT" status --config "$T/c.yaml" >"$T/table" 2>"$T/err"
is "$?" 0 "serat status: exit 0"
ok $(LC_ALL=C grep -q "$(printf '\033')" "$T/table"; [ $? -eq 1 ]; echo $?) "no ESC byte reaches the terminal"
ok $(LC_ALL=C grep -q "$(printf '[\r\007]')" "$T/table"; [ $? -eq 1 ]; echo $?) "no CR or BEL reaches the terminal"
ok $(LC_ALL=C grep -q "$(printf '\302\233')" "$T/table"; [ $? -eq 1 ]; echo $?) "no C1 control (U+009B, a CSI) reaches the terminal"
like "$(cat "$T/table")" 'ge-0/0/1\?\[31mRED' "the ifName's ESC prints as '?'"
like "$(grep 'error:' "$T/table")" 'error: no response \?\[2Jfrom \?\]0;pwned\?agent' "the error text is sanitised too"

"$SERAT" status --config "$T/c.yaml" --json >"$T/json" 2>&1
like "$(cat "$T/json")" 'ge-0/0/1\\u001[bB]\[31mRED' "--json keeps the ESC as \\u001b"

like "$(head -1 "$T/table")" '^snapshot of 2026-12-02 13:05:01 WIB ' "snapshot time in the default zone (WIB), not UTC"

sed -i "s|^snmp:|timezone: UTC\nsnmp:|" "$T/c.yaml"
like "$("$SERAT" status --config "$T/c.yaml" 2>&1 | head -1)" '^snapshot of 2026-12-02 06:05:01 UTC ' \
	"snapshot time in the configured zone"
done_testing
