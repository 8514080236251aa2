#!/bin/sh
# mkrrd.sh — RRD files for the SLA tests and benchmark, written with the
# rrdtool CLI (the test's fixture; serat itself reads them with librrd).
#
#   mkrrd.sh device FILE START END [GAP_START GAP_END]...
#       device.rrd with `reachable` = 1 every 300 s in [START, END], no
#       update inside each (GAP_START, GAP_END]
#   mkrrd.sh if FILE START END BASE [T=V]...
#       an interface file: in = BASE, out = BASE/2 every 300 s, except
#       in = V at each listed time T
# Times must be multiples of 300.  One RRA of 300 s rows per CF keeps a year.
set -eu
kind=$1 file=$2 start=$3 end=$4
shift 4
rows=110000
if [ "$kind" = device ]; then
	rrdtool create "$file" --start $((start - 300)) --step 300 \
		DS:reachable:GAUGE:600:0:1 DS:rtt:GAUGE:600:0:U DS:uptime:GAUGE:600:0:U \
		RRA:AVERAGE:0.5:1:$rows RRA:MAX:0.5:1:$rows
	awk -v s="$start" -v e="$end" -v gaps="$*" 'BEGIN {
		n = split(gaps, g, " ")
		for (t = s; t <= e; t += 300) {
			skip = 0
			for (i = 1; i < n; i += 2) if (t > g[i] && t <= g[i + 1]) skip = 1
			if (!skip) print t ":1:0.001:" (t - s)
		}
	}' | xargs -n 2000 rrdtool update "$file"
else
	base=$1
	shift
	rrdtool create "$file" --start $((start - 300)) --step 300 \
		DS:in:GAUGE:600:0:U DS:out:GAUGE:600:0:U \
		RRA:AVERAGE:0.5:1:$rows RRA:MAX:0.5:1:$rows
	awk -v s="$start" -v e="$end" -v b="$base" -v sp="$*" 'BEGIN {
		n = split(sp, p, " ")
		for (i = 1; i <= n; i++) { split(p[i], kv, "="); v[kv[1]] = kv[2] }
		for (t = s; t <= e; t += 300) print t ":" ((t in v) ? v[t] : b) ":" (b / 2)
	}' | xargs -n 2000 rrdtool update "$file"
fi
