#!/bin/sh
# gen_inventory.sh ROWS — print a CSV inventory of ROWS devices for scale
# tests and benchmarks: device dI in site site-(I/10) (a nagari), the
# first of each ten hanging off the first of the previous ten, the others
# off it, so every device has a parent and chains are ROWS/10 deep.
awk -v n="${1:?usage: gen_inventory.sh ROWS}" 'BEGIN {
	print "site,kind,device,address,parent,snmp_version,community"
	for (i = 0; i < n; i++) {
		p = i % 10 ? "d" (i - i % 10) : (i ? "d" (i - 10) : "")
		printf "site-%d,nagari,d%d,10.%d.%d.%d,%s,,\n", int(i / 10), i,
		       int(i / 65536) % 256, int(i / 256) % 256, i % 256, p
	}
}'
