# fleet.awk — generate the serat lab fleet (snmpsim recordings + truth + inventory).
#
# Called by tests/lab/lab.sh; not meant to be run by hand, but it can be:
#
#   mkdir -p DIR/recordings && awk -v seed=1 -v devices=12 -v outdir=DIR -f tests/lab/fleet.awk
#
# Writes:
#   DIR/recordings/<device>.snmprec   one snmpsim recording per device, sorted by OID
#   DIR/truth.tsv                     per-interface truth (rates the recordings encode)
#   DIR/devices.tsv                   device, kind, site, parent, ports (lab.sh
#                                     turns it into sites.csv once ports are known)
#
# Everything is a pure function of (seed, devices): the random numbers come
# from a Park–Miller generator written here (every intermediate value stays
# below 2^53, so mawk, gawk and busybox awk give the same bytes); awk's own
# rand() differs between implementations and is not used.
#
# Fleet shape (names are stable for a given device count, whatever the seed):
#   device 1            lab-core-01          kind core, 24 or 48 x 10G ports
#   next K devices      lab-kecamatan-NN     kind kecamatan, 24 or 28 ports, parent core
#   the rest            lab-opd-NN, lab-nagari-NN, lab-puskesmas-NN (cycling
#                       opd, nagari, puskesmas, nagari), 24/26/28/48 ports,
#                       parent = a kecamatan switch (round robin)
#   K = ceil((devices - 1) / 6) kecamatan switches.
#
# Ports of kecamatan and access switches: GigabitEthernet0/1 .. 0/(n-2), then
# TenGigabitEthernet0/1 (uplink, always up) and TenGigabitEthernet0/2 (down).
# Core ports: TenGigabitEthernet1/0/1 .. 1/0/n.  ifIndex = 1..n in that order.
#
# Counters: 64-bit ifHC* columns use snmpsim's `numeric` variation
# (value = initial + rate * seconds since the agent started); the 32-bit
# ifInOctets/ifOutOctets/ifIn/OutUcastPkts use the same rate with
# max=2^32 and wrap, so they are the low 32 bits of the 64-bit ones.
# Down ports (ifOperStatus 2) have constant counters.  Errors and discards are
# constant.  sysUpTime grows 100 ticks/s from 0 at agent start.

function rnd() { # uniform in (0, 1)
	_x = (_x * 16807) % 2147483647
	return _x / 2147483647
}
function rint(lo, hi) { return lo + int(rnd() * (hi - lo + 1)) }
function logu(lo, hi) { return int(exp(log(lo) + rnd() * (log(hi) - log(lo)))) }
function big() { return rint(0, 1048575) * 1048576 + rint(0, 1048575) } # < 2^40
function pick(list,   a, n) { n = split(list, a, " "); return a[rint(1, n)] }

function next_device_stream() { # device streams start at successive master outputs
	_m = (_m * 48271) % 2147483647
	_x = _m
	rnd(); rnd(); rnd(); rnd(); rnd()
}

# (numbers above 2^31 must be passed through sprintf("%.0f"): mawk prints them as 4.29497e+09)
function line(oid, tag, val) { print oid "|" tag "|" val > rec }
function counter(oid, tag, init, rate, up) { # tag 65 (wraps at 2^32) or 70
	if (tag == 65) init = init % 4294967296
	if (!up || rate == 0)
		line(oid, tag, sprintf("%.0f", init))
	else if (tag == 65)
		line(oid, "65:numeric", sprintf("rate=%.0f,initial=%.0f,max=4294967296,wrap=1", rate, init))
	else
		line(oid, "70:numeric", sprintf("rate=%.0f,initial=%.0f", rate, init))
}

function two(n) { return sprintf("%02d", n) }

BEGIN {
	if (seed == "") seed = 1
	if (devices == "") devices = 12
	seed = int(seed); devices = int(devices)
	if (seed < 0) seed = -seed
	kinds_cycle[0] = "opd"; kinds_cycle[1] = "nagari"
	kinds_cycle[2] = "puskesmas"; kinds_cycle[3] = "nagari"

	_m = (seed * 7919 + 12345) % 2147483646 + 1
	K = (devices >= 2) ? int((devices + 4) / 6) : 0

	# --- names, kinds, parents ---
	for (d = 1; d <= devices; d++) {
		if (d == 1) { kind[d] = "core"; num = 1 }
		else if (d <= 1 + K) { kind[d] = "kecamatan"; num = d - 1 }
		else { kind[d] = kinds_cycle[(d - 2 - K) % 4]; num = ++count[kind[d]] }
		name[d] = "lab-" kind[d] "-" two(num)
		site[d] = (d == 1) ? "diskominfo" : kind[d] "-" two(num)
		if (d == 1) parent[d] = ""
		else if (d <= 1 + K) parent[d] = name[1]
		else parent[d] = name[2 + (d - 2 - K) % K]
		nchild[parent[d]]++
		child[parent[d], nchild[parent[d]]] = name[d]
	}

	truth = outdir "/truth.tsv"
	print "device\tifIndex\tifName\toper\tin_bps\tout_bps\tin_pps\tout_pps\tspeed_mbps" > truth
	devtsv = outdir "/devices.tsv"
	print "device\tkind\tsite\tparent\tports" > devtsv

	for (d = 1; d <= devices; d++) {
		next_device_stream()
		dev = name[d]; k = kind[d]
		if (k == "core") n = pick("24 48")
		else if (k == "kecamatan") n = pick("24 28")
		else n = pick("24 26 28 48")
		rec = outdir "/recordings/" dev ".snmprec"
		delete pname; delete speed; delete admin; delete oper; delete alias
		delete ipps; delete opps; delete isz; delete osz
		nc = 0
		for (i = 1; i <= n; i++) {
			if (k == "core") { pname[i] = "TenGigabitEthernet1/0/" i; speed[i] = 10000; te = 1 }
			else if (i <= n - 2) { pname[i] = "GigabitEthernet0/" i; speed[i] = 1000; te = 0 }
			else { pname[i] = "TenGigabitEthernet0/" (i - n + 2); speed[i] = 10000; te = 1 }
			up = 1; admin[i] = 1; alias[i] = ""
			if (k != "core" && i == n - 1) {          # the uplink
				alias[i] = "uplink " parent[d]
			} else if (k != "core" && i == n) {       # spare 10G port
				up = 0
			} else if (i <= nchild[dev]) {            # a downstream switch
				alias[i] = "to " child[dev, i]
			} else {
				r = rnd()
				if (r < 0.30) { up = 0; if (rnd() < 0.3) admin[i] = 2 }
				else if (k != "core" && rnd() < 0.4)
					alias[i] = pick("pc-staf printer ap-lantai-1 ap-lantai-2 cctv absensi server-lokal wifi-tamu")
			}
			# an access/aggregation switch keeps >= 1 access port up and >= 1 down
			if (k != "core" && i == 1 && nchild[dev] < 1) { up = 1; admin[i] = 1 }
			if (k != "core" && i == 2 && nchild[dev] < 2) { up = 0 }
			if (!up) {
				oper[i] = 2; ipps[i] = opps[i] = 0; isz[i] = osz[i] = 0
				continue
			}
			oper[i] = 1
			if (!te && rnd() < 0.1) speed[i] = 100
			if (te) { ipps[i] = logu(5000, 150000); opps[i] = logu(5000, 150000)
				isz[i] = rint(400, 1200); osz[i] = rint(400, 1200) }
			else if (speed[i] == 100) { ipps[i] = logu(5, 5000); opps[i] = logu(5, 5000)
				isz[i] = rint(64, 1400); osz[i] = rint(64, 1400) }
			else { ipps[i] = logu(5, 20000); opps[i] = logu(5, 20000)
				isz[i] = rint(64, 1400); osz[i] = rint(64, 1400) }
		}

		# --- system group and ifNumber ---
		if (k == "core") descr = "Cisco IOS Software, serat lab core switch (simulated), " n " x 10G"
		else if (k == "kecamatan") descr = "Cisco IOS Software, serat lab aggregation switch (simulated), " n " ports"
		else descr = "Cisco IOS Software, serat lab access switch (simulated), " n " ports"
		line("1.3.6.1.2.1.1.1.0", 4, descr)
		line("1.3.6.1.2.1.1.2.0", 6, "1.3.6.1.4.1.9.1.1208")
		line("1.3.6.1.2.1.1.3.0", "67:numeric", "rate=100,initial=0")
		line("1.3.6.1.2.1.1.4.0", 4, "noc@diskominfo.lab")
		line("1.3.6.1.2.1.1.5.0", 4, dev)
		line("1.3.6.1.2.1.1.6.0", 4, "serat lab, site " site[d])
		line("1.3.6.1.2.1.1.7.0", 2, 6)
		line("1.3.6.1.2.1.2.1.0", 2, n)

		# --- per-port static values and counter bases (drawn before writing) ---
		for (i = 1; i <= n; i++) {
			hin[i] = big(); hout[i] = big(); pin[i] = int(hin[i] / 700); pout[i] = int(hout[i] / 700)
			mac[i] = sprintf("00163e%02x%02x%02x", d % 256, int(d / 256) % 256, i % 256)
			e = (rnd() < 0.2)
			idis[i] = e ? rint(1, 5000) : 0; ierr[i] = e ? rint(0, 300) : 0
			odis[i] = e ? rint(0, 2000) : 0; oerr[i] = 0
		}

		# --- ifTable (1.3.6.1.2.1.2.2.1.C.I), column by column ---
		P = "1.3.6.1.2.1.2.2.1."
		for (i = 1; i <= n; i++) line(P "1." i, 2, i)
		for (i = 1; i <= n; i++) line(P "2." i, 4, pname[i])
		for (i = 1; i <= n; i++) line(P "3." i, 2, 6)
		for (i = 1; i <= n; i++) line(P "4." i, 2, 1500)
		for (i = 1; i <= n; i++) line(P "5." i, 66, sprintf("%.0f", speed[i] >= 4295 ? 4294967295 : speed[i] * 1000000))
		for (i = 1; i <= n; i++) line(P "6." i, "4x", mac[i])
		for (i = 1; i <= n; i++) line(P "7." i, 2, admin[i])
		for (i = 1; i <= n; i++) line(P "8." i, 2, oper[i])
		for (i = 1; i <= n; i++) line(P "9." i, 67, 0)
		for (i = 1; i <= n; i++) counter(P "10." i, 65, hin[i], ipps[i] * isz[i], oper[i] == 1)
		for (i = 1; i <= n; i++) counter(P "11." i, 65, pin[i], ipps[i], oper[i] == 1)
		for (i = 1; i <= n; i++) line(P "13." i, 65, idis[i])
		for (i = 1; i <= n; i++) line(P "14." i, 65, ierr[i])
		for (i = 1; i <= n; i++) counter(P "16." i, 65, hout[i], opps[i] * osz[i], oper[i] == 1)
		for (i = 1; i <= n; i++) counter(P "17." i, 65, pout[i], opps[i], oper[i] == 1)
		for (i = 1; i <= n; i++) line(P "19." i, 65, odis[i])
		for (i = 1; i <= n; i++) line(P "20." i, 65, oerr[i])

		# --- ifXTable (1.3.6.1.2.1.31.1.1.1.C.I) ---
		X = "1.3.6.1.2.1.31.1.1.1."
		for (i = 1; i <= n; i++) line(X "1." i, 4, pname[i])
		for (i = 1; i <= n; i++) counter(X "6." i, 70, hin[i], ipps[i] * isz[i], oper[i] == 1)
		for (i = 1; i <= n; i++) counter(X "7." i, 70, pin[i], ipps[i], oper[i] == 1)
		for (i = 1; i <= n; i++) counter(X "10." i, 70, hout[i], opps[i] * osz[i], oper[i] == 1)
		for (i = 1; i <= n; i++) counter(X "11." i, 70, pout[i], opps[i], oper[i] == 1)
		for (i = 1; i <= n; i++) line(X "15." i, 66, speed[i])
		for (i = 1; i <= n; i++) line(X "18." i, 4, alias[i])
		for (i = 1; i <= n; i++) line(X "19." i, 67, 0)
		close(rec)

		for (i = 1; i <= n; i++)
			printf "%s\t%d\t%s\t%d\t%.0f\t%.0f\t%.0f\t%.0f\t%d\n", dev, i, pname[i], oper[i],
				8 * ipps[i] * isz[i], 8 * opps[i] * osz[i], ipps[i], opps[i], speed[i] > truth

		print dev "\t" k "\t" site[d] "\t" parent[d] "\t" n > devtsv
	}
	close(truth); close(devtsv)
}
