#!/bin/sh
# optics_recordings.sh — device profiles against real devices' recordings
# (../shared/recordings, served by snmpsim; skipped when absent).
#
# seratd polls every recording with the shipped profiles (etc/profiles) for
# two cycles.  Then, independently of serat's code, the recordings are read
# here and:
#   - each device got the profile its sysObjectID selects;
#   - the values `serat status --json` shows equal the recorded values
#     after unit, scale and precision (-5673 thousandths = -5.673 dBm,
#     78 uW = -11.08 dBm, -47 precision 1 = -4.7 dBm, -2481 = -24.81 dBm),
#     under the right port / ONU names (through ENTITY-MIB containment and
#     alias mapping where the sensor's name does not say);
#   - every placeholder in the recordings (0 on Juniper, UFiber and empty
#     cages, -1 on Huawei, -1000000000 on Arista) is "no_reading", null;
#   - Juniper's and Cisco's thresholds come from the device, in dBm, and a
#     device's optics_thresholds from the config, each with its source;
#   - the RRD files hold the same values (read with the rrdtool CLI) and a
#     placeholder is stored as unknown, never as a level.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/collector_lib.sh"
REC=$SHARED_RECORDINGS
[ -d "$REC" ] || skip_all "no recordings at $REC"
command -v snmpsimd >/dev/null 2>&1 || command -v snmpsim-command-responder >/dev/null 2>&1 ||
	skip_all "snmpsim not installed"
command -v rrdtool >/dev/null || skip_all "rrdtool (CLI, used to read RRDs back) missing"
SNMPSIMD=$(command -v snmpsimd || command -v snmpsim-command-responder)
devices="routeros ios_2960x ios_ie32008t2s-ios17-12 vrp_5720-32x-ei arista_eos_vrf
junos_qfx5130-32cd-evo edgeosolt bison"
for d in $devices; do [ -f "$REC/$d.snmprec" ] || skip_all "recording $d missing"; done
plan 19; _planned=1

# shellcheck disable=SC2086
snmpsim_start "$REC" $devices

# A long interval: two cycles, each poll complete before the next turn.
conf_begin "$T/c.yaml" 30s "profiles_dir: $top_srcdir/etc/profiles"
sed -i 's/  timeout: 1s/  timeout: 5s/' "$T/c.yaml"
for d in $devices; do conf_device "$T/c.yaml" "$d" "$port" "snmp: {community: $d}"; done
# The same Huawei switch read through its 0.01 dBm string columns.
conf_device "$T/c.yaml" vrp-dbm "$port" "snmp: {community: vrp_5720-32x-ei}" \
	"profile: huawei-vrp-dbm" "optics_thresholds: {rx_low_alarm: -20, tx_high_warn: 1.5}"
"$SERATD" --config "$T/c.yaml" --cycles 2 >"$T/seratd.log" 2>&1
ok $? "seratd polls the recorded devices with their profiles"
status_json "$T/c.yaml"

py "$T/status.json" "$REC" "$T/data" <<'PY' >"$T/result" 2>&1
import json, math, os, subprocess, sys
status, rec, data = sys.argv[1:4]
devs = {d["name"]: d for d in json.load(open(status))["devices"]}

def column(name, prefix):
    """{index: value} of one column of a recording."""
    out = {}
    for line in open(os.path.join(rec, name + ".snmprec"), encoding="utf-8", errors="replace"):
        oid, tag, val = (line.rstrip("\n").split("|", 2) + ["", ""])[:3]
        if oid.startswith(prefix + "."):
            out[oid[len(prefix) + 1:]] = val
    return out

def optics(dev):
    return {o["name"]: o for o in devs[dev].get("optics", [])}

def close(a, b, tol=0.0005):   # status.json carries 3 decimals
    return a is not None and b is not None and abs(a - b) <= tol

def check(label, cond, detail=""):
    print(("ok" if cond else "FAIL"), label, detail if not cond else "")

# 1. profiles chosen by sysObjectID (and named for vrp-dbm)
want = {"routeros": "mikrotik", "ios_2960x": "cisco", "ios_ie32008t2s-ios17-12": "cisco",
        "vrp_5720-32x-ei": "huawei-vrp", "arista_eos_vrf": "arista",
        "junos_qfx5130-32cd-evo": "juniper-dom", "edgeosolt": "ufiber-olt",
        "bison": "host-resources", "vrp-dbm": "huawei-vrp-dbm"}
got = {n: devs[n].get("profile") for n in want}
check("profiles", got == want and all(devs[n]["state"] == "up" and devs[n]["malformed"] == 0
                                      for n in want), got)

# 2. MikroTik: mtxrOptical*, thousandths of a dBm, named by mtxrOpticalName
o = optics("routeros").get("sfp1", {})
check("mikrotik", close(o.get("rx_dbm"), -5.673) and close(o.get("tx_dbm"), -4.879)
      and o.get("temperature_c") == 40 and o.get("rx_state") == "ok", o)

# 3. Cisco 2960X: dBm precision 1, named by entPhysicalName, both ways
names = column("ios_2960x", "1.3.6.1.2.1.47.1.1.1.1.7")
vals = column("ios_2960x", "1.3.6.1.4.1.9.9.91.1.1.1.1.4")
exp = {}
for idx, n in names.items():
    for kind, key in (("Receive Power Sensor", "rx_dbm"), ("Transmit Power Sensor", "tx_dbm")):
        if n.endswith(" " + kind) and idx in vals:
            exp.setdefault(n.split(" ")[0], {})[key] = int(vals[idx]) / 10
o = optics("ios_2960x")
check("cisco", exp and len(exp) == len(o) and all(
    close(o.get(p, {}).get(k), v) for p, kv in exp.items() for k, v in kv.items()),
    (exp, o))
check("cisco oper", o.get("Gi1/0/52", {}).get("oper") == "up", o.get("Gi1/0/52"))

# 3b. Cisco IE3200 (IOS-XE 17): "FS   Rx Power Sensor 1/1" has no port in its
# name; ENTITY-MIB containment leads to "GigabitEthernet1/1", ifName Gi1/1.
o = optics("ios_ie32008t2s-ios17-12")
check("cisco entity", list(o) == ["Gi1/1"] and close(o["Gi1/1"].get("rx_dbm"), -6.2)
      and close(o["Gi1/1"].get("tx_dbm"), -5.6), o)
# ... and its thresholds from entSensorThresholdTable (precision 1):
# critical <= -190, minor <= -170, minor >= -30, critical >= -10 for rx
thr = o.get("Gi1/1", {}).get("rx_thresholds", {})
want = {k: {"dbm": v, "source": "device"} for k, v in
        (("low_alarm", -19.0), ("low_warn", -17.0), ("high_warn", -3.0), ("high_alarm", -1.0))}
check("cisco thresholds", thr == want and
      o["Gi1/1"].get("tx_thresholds", {}).get("low_alarm") == {"dbm": -11.5, "source": "device"},
      (thr, o.get("Gi1/1", {}).get("tx_thresholds")))

# 4. Huawei S5720: microwatts -> dBm; -1 without a module is no reading
names = column("vrp_5720-32x-ei", "1.3.6.1.2.1.47.1.1.1.1.7")
bad, n_ok, n_none = [], 0, 0
for col, key in (("8", "rx_dbm"), ("9", "tx_dbm")):
    for idx, v in column("vrp_5720-32x-ei", "1.3.6.1.4.1.2011.5.25.31.1.1.3.1." + col).items():
        got = optics("vrp_5720-32x-ei").get(names.get(idx), {})
        v = int(v)
        if v <= 0:
            n_none += 1
            if got.get(key) is not None or got.get(key[:2] + "_state") != "no_reading":
                bad.append((idx, key, got.get(key)))
        else:
            n_ok += 1
            if not close(got.get(key), 10 * math.log10(v / 1000.0)):
                bad.append((idx, key, v, got.get(key)))
check("huawei uW", not bad and n_ok == 20 and n_none == 46, (n_ok, n_none, bad[:5]))
g1 = optics("vrp_5720-32x-ei").get("GigabitEthernet0/0/1", {})
check("huawei 78 uW", round(g1.get("rx_dbm") or 0, 2) == -11.08, g1)

# 5. Huawei strings in 0.01 dBm, through the explicitly named profile
g1 = optics("vrp-dbm").get("GigabitEthernet0/0/1", {})
check("huawei strings", close(g1.get("rx_dbm"), -11.0403), g1)
check("config thresholds", g1.get("rx_thresholds") == {"low_alarm": {"dbm": -20, "source": "config"}}
      and g1.get("tx_thresholds") == {"high_warn": {"dbm": 1.5, "source": "config"}}, g1)

# 6. Arista: watts milli precision 4; -1000000000 is no light
o = optics("arista_eos_vrf")
check("arista", close(o.get("Ethernet21", {}).get("tx_dbm"), 10 * math.log10(0.221))
      and o.get("Ethernet21", {}).get("rx_state") == "no_reading"
      and o.get("Ethernet22", {}).get("rx_dbm") is None, o)

# 7. Juniper: all power 0 = no reading; thresholds from the device in dBm
o = optics("junos_qfx5130-32cd-evo")
rx = column("junos_qfx5130-32cd-evo", "1.3.6.1.4.1.2636.3.60.1.1.1.1.5")
states = set(p.get("rx_state") for p in o.values()) | set(p.get("tx_state") for p in o.values())
thr = o.get("et-0/0/0", {}).get("rx_thresholds", {})
check("juniper", len(o) == len(rx) == 34 and states == {"no_reading"}
      and thr.get("low_alarm") == {"dbm": -13.49, "source": "device"}
      and thr.get("high_warn", {}).get("dbm") == 3.49, (len(o), states, thr))

# 8. UFiber ONUs: 0.01 dBm by serial; 0 (offline) is no reading
serial = column("edgeosolt", "1.3.6.1.4.1.41112.1.5.6.2.1.1")
level = column("edgeosolt", "1.3.6.1.4.1.41112.1.5.6.2.1.9")
onus = {u["name"]: u for u in devs["edgeosolt"].get("onus", [])}
bad = [(serial[i], v, onus.get(serial[i])) for i, v in level.items()
       if (int(v) == 0 and onus.get(serial[i], {}).get("rx_state") != "no_reading")
       or (int(v) != 0 and not close(onus.get(serial[i], {}).get("rx_dbm"), int(v) / 100))]
check("ufiber", len(onus) == 29 and not bad and
      sum(1 for u in onus.values() if u["rx_state"] == "no_reading") == 13, bad[:3])

# 9. HOST-RESOURCES: CPU the average of hrProcessorLoad; memory used/size of RAM
load = [int(v) for v in column("bison", "1.3.6.1.2.1.25.3.3.1.2").values()]
types = column("bison", "1.3.6.1.2.1.25.2.3.1.2")
size = column("bison", "1.3.6.1.2.1.25.2.3.1.5")
used = column("bison", "1.3.6.1.2.1.25.2.3.1.6")
ram = [i for i, t in types.items() if t == "1.3.6.1.2.1.25.2.1.2"]
disks = [100 * int(used[i]) / int(size[i]) for i, t in types.items()
         if t == "1.3.6.1.2.1.25.2.1.4" and int(size.get(i, 0)) > 0]
s = devs["bison"].get("sensors", {})
check("host-resources", close(s.get("cpu_pct"), sum(load) / len(load)) and len(ram) == 1
      and close(s.get("mem_pct"), 100 * int(used[ram[0]]) / int(size[ram[0]]))
      and len(disks) > 1 and close(s.get("disk_pct"), max(disks)), (s, disks))

# 10. RRD files: the same values, and a placeholder stored as unknown
def last(path):
    out = subprocess.run(["rrdtool", "lastupdate", path], capture_output=True, text=True).stdout
    lines = [l for l in out.splitlines() if ":" in l]
    return lines[-1].split(":", 1)[1].split() if lines else []
r = last(os.path.join(data, "rrd/routeros/optics/sfp1.rrd"))
u = last(os.path.join(data, "rrd/edgeosolt/onu/UBNT2073be78.rrd"))
a = last(os.path.join(data, "rrd/arista_eos_vrf/optics/Ethernet21.rrd"))
check("rrd", r[:3] == ["-5.673", "-4.879", "40"] and u == ["U"] and a[0] == "U"
      and close(float(a[1]), 10 * math.log10(0.221)), (r, u, a))
PY
ok $? "status.json and the RRD files read back"
while read -r verdict label detail; do
	case $verdict in
	ok) ok 0 "$label" ;;
	*) ok 1 "$label: $detail" ;;
	esac
done <"$T/result"

# The table shows levels in dBm and placeholders as "no light".
"$SERAT" status --config "$T/c.yaml" >"$T/table"
ok "$(grep -c -e '^  sfp1  *-  *-5.67 dBm  *-4.88 dBm  *40.00 C' \
	-e '^  Ethernet21  *down  *no light  *-6.56 dBm' \
	-e '^  UBNT2073be78  *no light$' "$T/table" | sed 's/^3$/0/')" \
	"serat status: optics and ONU lines, no light for placeholders"

# The log names each profile once, not per poll.
is "$(grep -c 'routeros: using profile mikrotik' "$T/seratd.log")" 1 "profile choice logged once"
done_testing
