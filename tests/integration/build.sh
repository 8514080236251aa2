#!/bin/sh
# build.sh — configure names the Debian package of a missing dependency.
# Each case runs configure in a scratch build directory with one library
# hidden: pkg-config sees a copy of the system's .pc files without it, and
# Net-SNMP's net-snmp-config is replaced by a name that does not exist.
. "$top_srcdir/tests/lib.sh"
[ -x "$top_srcdir/configure" ] || skip_all "no configure script in the source tree"
command -v pkg-config >/dev/null || skip_all "pkg-config missing"
plan 4

pcdirs=$(pkg-config --variable pc_path pkg-config)

# hide PCNAME — a PKG_CONFIG_LIBDIR holding every .pc file but PCNAME.pc
hide() {
	d="$T/pc-$1"
	mkdir -p "$d"
	for dir in $(echo "$pcdirs" | tr ':' ' '); do
		[ -d "$dir" ] || continue
		for pc in "$dir"/*.pc; do
			[ -e "$pc" ] || continue
			[ "$(basename "$pc")" = "$1.pc" ] && continue
			ln -sf "$pc" "$d/"
		done
	done
	echo "$d"
}

# try NAME ENV... — configure with ENV; prints exit status and the error line
try() {
	name=$1; shift
	mkdir -p "$T/b-$name"
	(cd "$T/b-$name" && env "$@" "$top_srcdir/configure" -q >out 2>&1; echo "rc=$?"; grep 'error:' out | head -1) | tr '\n' ' '
}

like "$(try event PKG_CONFIG_LIBDIR="$(hide libevent)")" "rc=[1-9].*install the Debian package libevent-dev" \
	"no libevent: configure stops and names libevent-dev"
like "$(try rrd PKG_CONFIG_LIBDIR="$(hide librrd)")" "rc=[1-9].*install the Debian package librrd-dev" \
	"no librrd: configure stops and names librrd-dev"
like "$(try mhd PKG_CONFIG_LIBDIR="$(hide libmicrohttpd)")" "rc=[1-9].*install the Debian package libmicrohttpd-dev" \
	"no libmicrohttpd: configure stops and names libmicrohttpd-dev"
like "$(try snmp ac_cv_path_NET_SNMP_CONFIG=no)" "rc=[1-9].*install the Debian package libsnmp-dev" \
	"no net-snmp-config: configure stops and names libsnmp-dev"
