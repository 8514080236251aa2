#!/usr/bin/env python3
"""alert_receiver.py — a real HTTP receiver on loopback for the alert tests.

Logs every request as one JSON line (time, method, path, Idempotency-Key,
headers we care about, body, and the status it answered) to --log, and
prints "ready PORT" once listening.  Behaviours, combinable:

  --fail-every N       answer 500 to every N-th request (N=2: half of them)
  --fail-while FILE    answer 503 while FILE exists ("down for a while")
  --status CODE        always answer CODE
  --hang-while FILE    never answer (hold the connection) while FILE exists
  --telegram TOKEN     act as the Telegram Bot API at /botTOKEN/sendMessage:
                       text must be <= 4096 chars and, with parse_mode HTML,
                       well-formed (else 400 "can't parse entities");
  --tg-429 N           ... the first N sendMessage calls get 429 retry_after
  --tg-retry-after S   ... with this retry_after (default 3)
  --tg-migrate OLD:NEW ... chat OLD answers 400 migrate_to_chat_id NEW
  --tg-reject-html     ... every HTML message is refused as unparsable

Loopback only; stopped by the test by PID.
"""
import argparse
import html.parser
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=0)
ap.add_argument("--log", required=True)
ap.add_argument("--fail-every", type=int, default=0)
ap.add_argument("--fail-while")
ap.add_argument("--status", type=int, default=0)
ap.add_argument("--hang-while")
ap.add_argument("--telegram")
ap.add_argument("--tg-429", type=int, default=0)
ap.add_argument("--tg-retry-after", type=int, default=3)
ap.add_argument("--tg-migrate")
ap.add_argument("--tg-reject-html", action="store_true")
args = ap.parse_args()

lock = threading.Lock()
count = {"n": 0, "tg": 0}
logf = open(args.log, "a", buffering=1)

ALLOWED = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
           "tg-spoiler", "span", "blockquote"}


class TgCheck(html.parser.HTMLParser):
    """Telegram's rule, roughly: only known tags, properly nested."""
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.stack, self.bad = [], None

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED:
            self.bad = "unsupported start tag \"%s\"" % tag
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.bad = "unexpected end tag"

    def handle_entityref(self, name):
        if name not in ("lt", "gt", "amp", "quot"):
            self.bad = "unsupported entity"


def tg_parse_error(text):
    # A bare '&' not starting an entity, or a '<' not starting a tag.
    i = 0
    while True:
        i = text.find("&", i)
        if i < 0:
            break
        semi = text.find(";", i)
        if semi < 0 or semi - i > 8:
            return "bare &"
        i += 1
    p = TgCheck()
    p.feed(text)
    p.close()
    if p.bad:
        return p.bad
    if p.stack:
        return "unclosed tag"
    return None


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

    def log_message(self, *a):
        pass

    def answer(self, code, body, extra=None):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def telegram(self, body):
        path = "/bot%s/sendMessage" % args.telegram
        if self.path != path:
            return 404, json.dumps({"ok": False, "error_code": 404, "description": "Not Found"}), None
        try:
            msg = json.loads(body)
        except ValueError:
            return 400, json.dumps({"ok": False, "error_code": 400, "description": "Bad Request: bad JSON"}), None
        with lock:
            count["tg"] += 1
            n = count["tg"]
        if n <= args.tg_429:
            return 429, json.dumps({"ok": False, "error_code": 429,
                                    "description": "Too Many Requests: retry after %d" % args.tg_retry_after,
                                    "parameters": {"retry_after": args.tg_retry_after}}), None
        chat = str(msg.get("chat_id"))
        if args.tg_migrate:
            old, new = args.tg_migrate.split(":")
            if chat == old:
                return 400, json.dumps({"ok": False, "error_code": 400,
                                        "description": "Bad Request: group chat was upgraded to a supergroup chat",
                                        "parameters": {"migrate_to_chat_id": int(new)}}), None
        text = msg.get("text", "")
        if len(text) > 4096:
            return 400, json.dumps({"ok": False, "error_code": 400, "description": "Bad Request: message is too long"}), None
        if msg.get("parse_mode") == "HTML":
            err = "forced" if args.tg_reject_html else tg_parse_error(text)
            if err:
                return 400, json.dumps({"ok": False, "error_code": 400,
                                        "description": "Bad Request: can't parse entities: %s" % err}), None
        return 200, json.dumps({"ok": True, "result": {"message_id": n}}), None

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        with lock:
            count["n"] += 1
            n = count["n"]
        if args.hang_while and os.path.exists(args.hang_while):
            while os.path.exists(args.hang_while):
                time.sleep(0.05)
            self.close_connection = True
            return
        extra = None
        if args.status:
            code, reply = args.status, json.dumps({"error": "configured status"})
        elif args.fail_while and os.path.exists(args.fail_while):
            code, reply = 503, json.dumps({"error": "down"})
        elif args.fail_every and n % args.fail_every == 0:
            code, reply = 500, json.dumps({"error": "flaky"})
        elif args.telegram:
            code, reply, extra = self.telegram(body)
        else:
            code, reply = 200, json.dumps({"ok": True})
        rec = {"t": time.time(), "n": n, "method": self.command, "path": self.path,
               "key": self.headers.get("Idempotency-Key"),
               "content_type": self.headers.get("Content-Type"),
               "auth": self.headers.get("Authorization"),
               "status": code, "body": body}
        with lock:
            logf.write(json.dumps(rec) + "\n")
        self.answer(code, reply, extra)

    do_POST = handle_any
    do_PUT = handle_any
    do_GET = handle_any


srv = ThreadingHTTPServer(("127.0.0.1", args.port), H)
srv.daemon_threads = True
print("ready %d" % srv.server_address[1], flush=True)
try:
    srv.serve_forever()
except KeyboardInterrupt:
    pass
