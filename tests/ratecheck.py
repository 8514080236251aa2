#!/usr/bin/env python3
"""ratecheck.py — compare what serat stored with an agent's truth file.

Shared by the integration tests (the fake agent's and the lab's truth files
name their columns slightly differently: ifName/ifname, ifIndex/ifindex).

  ratecheck.py compare STATUS TRUTH [--source status|rrd] [--key ifname|ifindex]
                       [--prefix P] [--tolerance PCT]
      every interface of status.json found in TRUTH: in/out rate from
      status.json or from its RRD file (rrdtool lastupdate) against the truth;
      prints "compared bad worst_pct"
  ratecheck.py maxratio STATUS TRUTH DEVICE T0 T1 [--prefix P] [--res S]
      the largest stored MAX (rrdtool fetch) over [T0, T1] divided by the truth,
      over DEVICE's up ports; prints "samples worst_ratio"

A device in TRUTH is named PREFIX + its "device" column.
"""
import argparse
import json
import subprocess
import sys


def load_truth(path, prefix, key):
    rows = {}
    cols = None
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if cols is None:
            cols = [c.lower() for c in f]
            continue
        r = dict(zip(cols, f))
        rows[(prefix + r["device"], r[key])] = r
    return rows


def rrd_last(path):
    out = subprocess.run(["rrdtool", "lastupdate", path], capture_output=True,
                         text=True).stdout.split("\n")
    names, vals = out[0].split(), out[-2].split(":", 1)[1].split()
    return {"in_bps": vals[names.index("in")], "out_bps": vals[names.index("out")]}


def compare(a):
    truth = load_truth(a.truth, a.prefix, a.key)
    n = bad = 0
    worst = 0.0
    for d in json.load(open(a.status))["devices"]:
        for i in d["interfaces"]:
            r = truth.get((d["name"], i["name"] if a.key == "ifname" else str(i["ifindex"])))
            if r is None:
                continue
            got = i if a.source == "status" else rrd_last(i["rrd"])
            for k in ("in_bps", "out_bps"):
                n += 1
                want, g = float(r[k]), got[k]
                if g is None or g == "U":
                    bad += 1
                    print("# %s %s %s: unknown" % (d["name"], i["name"], k), file=sys.stderr)
                    continue
                err = abs(float(g) - want) / want * 100 if want else abs(float(g))
                worst = max(worst, err)
                if err > a.tolerance:
                    bad += 1
                    print("# %s %s %s: want %g got %s" % (d["name"], i["name"], k, want, g),
                          file=sys.stderr)
    print(n, bad, "%.2f" % worst)


def maxratio(a):
    truth = load_truth(a.truth, a.prefix, "ifname")
    n = 0
    worst = 0.0
    for d in json.load(open(a.status))["devices"]:
        if d["name"] != a.device:
            continue
        for i in d["interfaces"]:
            r = truth.get((d["name"], i["name"]))
            if r is None:
                continue
            out = subprocess.run(["rrdtool", "fetch", i["rrd"], "MAX", "-r", a.res,
                                  "-s", a.t0, "-e", a.t1],
                                 capture_output=True, text=True).stdout.split("\n")
            names = out[0].split()
            for line in out[2:]:
                if ":" not in line:
                    continue
                vals = line.split(":")[1].split()
                for k, ds in (("in_bps", "in"), ("out_bps", "out")):
                    v = float(vals[names.index(ds)])
                    if v == v and float(r[k]) > 0:
                        worst = max(worst, v / float(r[k]))
                        n += 1
    print(n, "%.4f" % worst)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compare")
    c.add_argument("status")
    c.add_argument("truth")
    c.add_argument("--source", choices=("status", "rrd"), default="status")
    c.add_argument("--key", choices=("ifname", "ifindex"), default="ifname")
    c.add_argument("--prefix", default="")
    c.add_argument("--tolerance", type=float, default=2.0)
    m = sub.add_parser("maxratio")
    for name in ("status", "truth", "device", "t0", "t1"):
        m.add_argument(name)
    m.add_argument("--prefix", default="")
    m.add_argument("--res", default="1")
    a = p.parse_args()
    compare(a) if a.cmd == "compare" else maxratio(a)


main()
