#!/bin/sh
# make-profile-seeds.sh OUTDIR HOST:PORT — capture the replies of the lab
# recordings (served by snmpsim at HOST:PORT, see ../shared/recordings) to
# serat's profile requests: the identification GETBULK (sysDescr,
# sysObjectID) and column-parallel GETBULKs of shipped profiles' columns,
# as seed files for the profile reply fuzzer.  Used to build
# tests/fuzz/corpus/profile_reply; kept so it can be rebuilt.
set -eu
out=$1 peer=$2
mkdir -p "$out"
# seed NAME COMMUNITY NON_REPEATERS REPS OID... — the first reply, as bytes
seed() {
	_n=$1 _c=$2 _nr=$3 _r=$4; shift 4
	snmpbulkget -v2c -c "$_c" -Cn"$_nr" -Cr"$_r" -d "$peer" "$@" 2>&1 |
		sed -n '/^Received/,/^$/p' | grep '^[0-9][0-9]*: ' | cut -c7-58 |
		tr -d ' \n' | xxd -r -p >"$out/$_n"
	[ -s "$out/$_n" ] || rm -f "$out/$_n"
}
for c in routeros ios_2960x edgeosolt; do seed "$c-ident" "$c" 2 0 1.3.6.1.2.1.1.1 1.3.6.1.2.1.1.2; done
MT=1.3.6.1.4.1.14988.1.1.19.1.1
seed routeros-mtxr routeros 0 20 $MT.10 $MT.9 $MT.6 $MT.2
CS=1.3.6.1.4.1.9.9.91.1.1.1.1
seed ios_2960x-sensor ios_2960x 0 8 $CS.4 $CS.2 $CS.3 $CS.5 $CS.1 1.3.6.1.2.1.47.1.1.1.1.7
UF=1.3.6.1.4.1.41112.1.5.6.2.1
seed edgeosolt-onu edgeosolt 0 20 $UF.9 $UF.1
JD=1.3.6.1.4.1.2636.3.60.1.1.1.1
seed junos-dom junos_qfx5130-32cd-evo 0 5 $JD.5 $JD.7 $JD.8 $JD.9 $JD.10 $JD.11 $JD.12
HW=1.3.6.1.4.1.2011.5.25.31.1.1.3.1
seed vrp-optical vrp_5720-32x-ei 0 10 $HW.8 $HW.9 $HW.32 1.3.6.1.2.1.47.1.1.1.1.7
seed bison-storage bison 0 10 1.3.6.1.2.1.25.2.3.1.2 1.3.6.1.2.1.25.2.3.1.5 1.3.6.1.2.1.25.2.3.1.6
seed arista-end arista_eos_vrf 0 3 1.3.6.1.2.1.99.1.1.1.4.100322213 1.3.6.1.2.1.47.1.1.1.1.2.999999999
