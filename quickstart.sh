#!/bin/sh
# quickstart.sh — the README's two commands, for a fresh Debian 12 machine.
#
#   ./quickstart.sh demo   install packages, build, start the lab network
#                          (simulated switches on loopback) and run seratd
#                          against it in the foreground (Ctrl-C stops both)
#   ./quickstart.sh test   install packages, build, run the whole test suite;
#                          the last line is "N passed, N failed"
#
# Options (after the command):
#   --sanitizers   build with AddressSanitizer + UBSan (in build-asan/)
#   --no-install   skip apt-get (packages already there)
#
# Runs as root, or as a user with sudo for the package step.  Builds out of
# tree in build/ so the source tree stays clean.
set -eu
cd "$(dirname "$0")"
top=$(pwd)

PACKAGES="build-essential autoconf automake libtool pkg-config
 libsnmp-dev snmp snmpd snmpsim libpcap-dev librrd-dev rrdtool rrdcached
 libcurl4-openssl-dev libevent-dev libyaml-dev libjansson-dev libsqlite3-dev
 libmicrohttpd-dev libcrypt-dev libcmocka-dev iproute2 procps python3 tzdata
 tshark tcpdump curl time chromium prometheus wrk
 sqlite3 poppler-utils fping fonts-dejavu-core"

cmd=${1:-}
[ $# -gt 0 ] && shift
sanitizers=no
install=yes
for a in "$@"; do
	case $a in
	--sanitizers) sanitizers=yes ;;
	--no-install) install=no ;;
	*) echo "quickstart.sh: unknown option $a" >&2; exit 2 ;;
	esac
done

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo "$@"
	else echo "quickstart.sh: need root (or sudo) for: $*" >&2; exit 1
	fi
}

install_packages() {
	missing=""
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "== installing Debian packages:$missing"
	# tshark's wireshark-common asks whether non-root users may capture:
	# answer no, so the install never waits for a terminal.
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
		as_root debconf-set-selections
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# shellcheck disable=SC2086
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

build() {
	dir=build
	flags="--enable-werror"
	if [ "$sanitizers" = yes ]; then dir=build-asan; flags="$flags --enable-sanitizers"; fi
	echo "== building in $dir/"
	[ -x configure ] && [ configure -nt configure.ac ] && [ configure -nt Makefile.am ] ||
		autoreconf -fi
	mkdir -p "$dir"
	( cd "$dir" && { [ -f Makefile ] || ../configure -q $flags; } && make -s -j"$(nproc)" )
	BUILD="$top/$dir"
}

case $cmd in
demo)
	[ "$install" = yes ] && install_packages
	build
	lab="$BUILD/lab"
	"$top/tests/lab/lab.sh" stop "$lab" >/dev/null 2>&1 || true
	echo "== starting the lab network in $lab"
	"$top/tests/lab/lab.sh" start "$lab" --interval 10s
	trap '"$top/tests/lab/lab.sh" stop "$lab"' EXIT INT TERM
	listen=$(sed -n 's/^http_listen: *//p' "$lab/serat.yaml" | tr -d '"')
	echo "== seratd polls the lab every 10 s; dashboard: http://${listen:-127.0.0.1:8080}/"
	echo "== in another terminal: $BUILD/serat status --config $lab/serat.yaml"
	"$BUILD/seratd" --config "$lab/serat.yaml" --foreground
	;;
test)
	[ "$install" = yes ] && install_packages
	build
	cd "$BUILD" && exec "$top/tests/run-suite.sh"
	;;
*)
	sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
