#!/bin/sh
# sla_bench.sh — `serat report sla` on a year of events for 200 devices.
#
# Usage: bench/sla_bench.sh BUILD_DIR [--devices N] [--keep DIR]
#
# Generates (deterministically, seed 12) a city of N devices (default 200:
# one core, 10 kecamatan, the rest OPD / puskesmas / nagari behind them), a
# SQLite event store (tests/sla/events_v1.sql) with a year of history —
# about one outage per device every two days, parent outages propagated to
# their children, interface oper changes as noise, maintenance windows —
# and RRD files for the reported month (device.rrd with collector gaps, two
# interface files per device).  Then times one month's report in each
# format with /usr/bin/time -v (CPU = user + system, peak RSS).
#
# The peer is the same month against a store holding ONLY that month's
# events: memory must be bounded by the month, not the year, so the two
# peak RSS columns must be close.  Target: < 1 s CPU per report.
# Never part of `make check`.  Needs python3, rrdtool, /usr/bin/time.
set -u

usage() { echo "usage: $0 BUILD_DIR [--devices N] [--keep DIR]" >&2; exit 2; }
[ $# -ge 1 ] || usage
B=$(cd "$1" && pwd) || usage
shift
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
N=200
KEEP=""
while [ $# -gt 0 ]; do
	case $1 in
	--devices) N=$2; shift ;;
	--keep) KEEP=$2; shift ;;
	*) usage ;;
	esac
	shift
done
for t in python3 rrdtool /usr/bin/time; do
	command -v "$t" >/dev/null 2>&1 || { echo "sla_bench: needs $t" >&2; exit 1; }
done
[ -x "$B/serat" ] || (cd "$B" && make -s serat) || exit 1

if [ -n "$KEEP" ]; then W=$KEEP; mkdir -p "$W"; else W=$(mktemp -d "${TMPDIR:-/tmp}/sla-bench.XXXXXX"); fi
[ -n "$KEEP" ] || trap 'rm -rf "$W"' EXIT INT TERM
cd "$W" || exit 1

# The month reported: March 2026 (Asia/Jakarta); the year: 2025-04 .. 2026-03.
T0=1772298000
M=$((31 * 86400))
Y0=$((T0 - 334 * 86400))

echo "== generating $N devices, a year of events (seed 12) in $W"
python3 - "$N" "$T0" "$M" "$Y0" "$top/tests/sla/events_v1.sql" <<'EOF' || exit 1
import random, shutil, sqlite3, sys
n, t0, m, y0, schema = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
random.seed(12)
kinds = ['opd', 'puskesmas', 'nagari']
devs = [('core-1', 'Diskominfo', 'core', None)]
for i in range(10):
    devs.append(('kec-%d' % i, 'Kecamatan %d' % i, 'kecamatan', 'core-1'))
for i in range(n - len(devs)):
    k = kinds[i % 3]
    devs.append(('%s-%d' % (k, i), '%s %d' % (k.capitalize(), i), k, 'kec-%d' % (i % 10)))
with open('serat.yaml', 'w') as f:
    f.write('data_dir: data\ntimezone: Asia/Jakarta\ninterval: 60s\n'
            'snmp: {version: 2c, community: public}\n'
            'sla: {service_hours: {opd: Mon-Fri 07:30-16:00}}\nsites:\n')
    for d, s, k, p in devs:
        f.write('  - name: %s\n    kind: %s\n    devices: [{name: %s, address: 127.0.0.1%s}]\n'
                % (s, k, d, ', parent: ' + p if p else ''))
with open('devices.txt', 'w') as f:
    f.write('\n'.join(d for d, _, _, _ in devs) + '\n')

def build(path):
    db = sqlite3.connect(path)
    db.executescript(open(schema).read())
    rows, oper = [], []
    outages = {}
    for d, s, k, p in devs:
        rows.append((y0 - 86400, d, s, None, 'reach', None, 'up', None, None))
        t = y0
        lst = []
        while True:
            t += random.randint(3600, 4 * 86400)
            if t >= t0 + m + 86400:
                break
            dur = random.choice([60, 300, 900, 1800, 3600, 4 * 3600])
            lst.append((t, t + dur))
            t += dur
        outages[d] = lst
    for d, s, k, p in devs:
        for a, b in outages[d]:
            rows.append((a, d, s, None, 'reach', 'up', 'down', None, random.choice(['timeout', None])))
            rows.append((b, d, s, None, 'reach', 'down', 'up', None, None))
        # The parent's outages, seen from behind it.
        for a, b in outages.get(p, []) if p else []:
            rows.append((a + 1, d, s, None, 'reach', 'up', 'down', p, None))
            rows.append((b + 1, d, s, None, 'reach', 'down', 'up', None, None))
        for i in range(365):
            tt = y0 + i * 86400 + random.randint(0, 86399)
            oper.append((tt, d, s, 'ether%d' % random.randint(1, 24), 'oper', 'up', 'down', None, None))
    rows = sorted(rows + oper, key=lambda r: (r[0], r[1]))
    db.executemany('INSERT INTO state_changes(t, device, site, ifname, kind, from_state, to_state, cause, reason) VALUES(?,?,?,?,?,?,?,?,?)', rows)
    for i in range(0, len(devs), 7):
        a = t0 + random.randint(0, 30) * 86400 + 7200
        db.execute("INSERT INTO maintenance(target, start, end, reason, source, created) VALUES(?,?,?,?,?,?)",
                   (devs[i][0], a, a + 7200, 'upgrade', 'cli', a))
    db.commit()
    c = db.execute('SELECT count(*) FROM state_changes').fetchone()[0]
    db.close()
    return c

year = build('year.db')
# The same history keeping only what the month's report needs: the month's
# rows and each device's last change before it.
shutil.copy('year.db', 'month.db')
db = sqlite3.connect('month.db')
db.execute('DELETE FROM state_changes WHERE t >= ? OR (t < ? AND id NOT IN (SELECT max(id) FROM state_changes WHERE t < ? AND kind = \'reach\' GROUP BY device))', (t0 + m, t0, t0))
db.commit()
month = db.execute('SELECT count(*) FROM state_changes').fetchone()[0]
db.execute('VACUUM')
db.close()
print('   year store: %d state changes; month store: %d' % (year, month))
EOF

echo "== RRD files for the month (device.rrd with gaps, 2 interfaces per device)"
MK="$top/tests/sla/mkrrd.sh"
i=0
while read -r d; do
	mkdir -p "data/rrd/$d/if"
	g=$((T0 + (i % 28) * 86400 + 3600))
	"$MK" device "data/rrd/$d/device.rrd" $T0 $((T0 + M)) $g $((g + 1800)) >/dev/null &&
	"$MK" if "data/rrd/$d/if/ether1.rrd" $T0 $((T0 + M)) $((1000000 + i * 1000)) >/dev/null &&
	"$MK" if "data/rrd/$d/if/ether2.rrd" $T0 $((T0 + M)) 5000 >/dev/null || exit 1
	i=$((i + 1))
done <devices.txt

# run STORE FORMAT — "cpu_s rss_kib" of one report
run() {
	/usr/bin/time -v "$B/serat" report sla --config serat.yaml --month 2026-03 --format "$2" \
		--events "$1" --out "out.$2" 2>time.txt || { cat time.txt >&2; exit 1; }
	awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 }
		/Maximum resident set size/ { r = $2 } END { printf "%.3f %d", u + s, r }' time.txt
}

echo "== one month's report, $N devices (best of 3 runs; CPU = user + system)"
printf '%-7s %20s %20s   %s\n' format "year store" "month-only store" "target < 1 s CPU"
for fmt in json csv html; do
	by=9e9 bm=9e9 ry=0 rm=0
	for k in 1 2 3; do
		set -- $(run year.db $fmt)
		by=$(python3 -c "print(min($1, $by))"); ry=$2
		set -- $(run month.db $fmt)
		bm=$(python3 -c "print(min($1, $bm))"); rm=$2
	done
	verdict=$(python3 -c "print('met' if $by < 1 else 'MISSED')")
	printf '%-7s %9ss %7d KiB %9ss %7d KiB   %s\n' $fmt "$by" "$ry" "$bm" "$rm" "$verdict"
done
echo "   output sizes: $(wc -c out.json out.csv out.html | awk '$2 != "total" { printf "%s %d B  ", $2, $1 }')"
