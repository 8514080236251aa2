#!/usr/bin/env python3
"""alert_check.py — questions about what tests/alert_receiver.py received.

  alert_check.py LOG alerts [--status S] [--device D] [--alertname A]
      [--ifname I]
      one line per alert delivered (answered 2xx) in webhook payloads:
      "STATUS ALERTNAME DEVICE DESCRIPTION"; filters (--prefix: device name
      prefix) narrow it down
  alert_check.py LOG count [filters]        how many such alerts
  alert_check.py LOG messages               how many requests answered 2xx
  alert_check.py LOG keys                   distinct Idempotency-Keys answered 2xx
  alert_check.py LOG dupes                  keys answered 2xx more than once
  alert_check.py LOG text                   all delivered texts (telegram/slack/webhook)
  alert_check.py LOG nokey                  requests without an Idempotency-Key
"""
import json
import sys

log, cmd = sys.argv[1], sys.argv[2]
opts = dict(zip(sys.argv[3::2], sys.argv[4::2]))
reqs = []
try:
    for line in open(log):
        reqs.append(json.loads(line))
except FileNotFoundError:
    pass
ok = [r for r in reqs if 200 <= r["status"] < 300]


def alerts():
    for r in ok:
        try:
            body = json.loads(r["body"])
        except ValueError:
            continue
        for a in body.get("alerts", []):
            lab = a["labels"]
            if "--status" in opts and a["status"] != opts["--status"]:
                continue
            if "--device" in opts and lab.get("device") != opts["--device"]:
                continue
            if "--prefix" in opts and not lab.get("device", "").startswith(opts["--prefix"]):
                continue
            if "--alertname" in opts and lab.get("alertname") != opts["--alertname"]:
                continue
            if "--ifname" in opts and lab.get("ifName") != opts["--ifname"]:
                continue
            yield a


if cmd == "alerts":
    for a in alerts():
        print(a["status"], a["labels"]["alertname"], a["labels"].get("device", "-"),
              a["annotations"].get("description", "").replace("\n", " | "))
elif cmd == "count":
    print(sum(1 for _ in alerts()))
elif cmd == "messages":
    print(len(ok))
elif cmd == "keys":
    print(len({r["key"] for r in ok}))
elif cmd == "dupes":
    seen = {}
    for r in ok:
        seen[r["key"]] = seen.get(r["key"], 0) + 1
    print(sum(1 for v in seen.values() if v > 1))
elif cmd == "nokey":
    print(sum(1 for r in reqs if not r.get("key")))
elif cmd == "text":
    for r in ok:
        b = json.loads(r["body"]) if r["body"].startswith("{") else {}
        print(b.get("text") or json.dumps(b))
else:
    sys.exit("unknown command " + cmd)
