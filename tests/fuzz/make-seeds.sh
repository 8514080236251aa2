#!/bin/sh
# make-seeds.sh OUTDIR HOST:PORT COMMUNITY NAME [snmp options...] — capture
# real replies to serat's kind of requests (the column-parallel GETBULK of
# if_walk, and GETNEXT for v1) as seed files for the SNMP reply fuzzer.
# Replies come from Net-SNMP's packet dump (`-d`).  Used once to build
# tests/fuzz/corpus/snmp_reply; kept so the corpus can be rebuilt.
set -eu
out=$1 peer=$2 comm=$3 name=$4; shift 4
IFX=1.3.6.1.2.1.31.1.1.1 IFT=1.3.6.1.2.1.2.2.1 UP=1.3.6.1.2.1.1.3
HC="$IFX.1 $IFX.18 $IFX.6 $IFX.7 $IFX.10 $IFX.11 $IFX.15 $IFX.19 $IFT.7 $IFT.8 $IFT.13 $IFT.14 $IFT.19 $IFT.20"
LEG="$IFT.2 $IFT.5 $IFT.7 $IFT.8 $IFT.10 $IFT.11 $IFT.13 $IFT.14 $IFT.16 $IFT.17 $IFT.19 $IFT.20"
capture() { # capture FILE CMD... — the first received packet as binary
	_f=$1; shift
	"$@" -d 2>&1 | awk '/^Received/ {on=1; next} on && /^[0-9]+: / {
		for (i = 2; i <= 17 && i <= NF; i++) if ($i ~ /^[0-9A-F][0-9A-F]$/) printf "%s", $i
		next } on {exit}' | xxd -r -p >"$_f"
	[ -s "$_f" ] || rm -f "$_f"
}
# shellcheck disable=SC2086
capture "$out/$name-hc-bulk" snmpbulkget -v2c -c "$comm" -Cn1 -Cr4 "$@" "$peer" $UP $HC
capture "$out/$name-legacy-bulk" snmpbulkget -v2c -c "$comm" -Cn1 -Cr4 "$@" "$peer" $UP $LEG
capture "$out/$name-v1-getnext" snmpgetnext -v1 -c "$comm" "$@" "$peer" $UP $LEG
capture "$out/$name-end" snmpbulkget -v2c -c "$comm" -Cn1 -Cr2 "$@" "$peer" $UP $IFX.19.999999
