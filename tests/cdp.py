#!/usr/bin/env python3
"""cdp.py PORT URL WIDTH HEIGHT SHOT.png — open URL in a headless chromium
already listening with --remote-debugging-port=PORT, at exactly WIDTH x
HEIGHT CSS pixels (Emulation.setDeviceMetricsOverride: headless chromium's
own windows are at least 500 px wide and lose height to window chrome),
wait for serat.js's <html data-layout>, save a screenshot and print the
layout figures, then the page's HTML on the following lines.

A minimal DevTools-protocol client over a hand-rolled WebSocket (RFC 6455,
masked client frames), so the test needs nothing beyond python3."""
import base64
import json
import os
import socket
import struct
import sys
import time
import urllib.request


class WS:
    def __init__(self, url):
        rest = url.split("://", 1)[1]
        hostport, path = rest.split("/", 1)
        host, port = hostport.rsplit(":", 1)
        self.s = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall(("GET /%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
                        "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                        "Sec-WebSocket-Version: 13\r\n\r\n" % (path, hostport, key)).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.s.recv(1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError("websocket upgrade refused")
        self.n = 0

    def _exact(self, n):
        b = b""
        while len(b) < n:
            c = self.s.recv(n - len(b))
            if not c:
                raise RuntimeError("connection closed")
            b += c
        return b

    def send(self, method, **params):
        self.n += 1
        data = json.dumps({"id": self.n, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        hdr = bytes([0x81])
        if len(data) < 126:
            hdr += bytes([0x80 | len(data)])
        elif len(data) < 65536:
            hdr += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            hdr += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        self.s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
        while True:  # skip events until our answer
            msg = json.loads(self.recv())
            if msg.get("id") == self.n:
                if "error" in msg:
                    raise RuntimeError(str(msg["error"]))
                return msg.get("result", {})

    def recv(self):
        payload = b""
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            payload += self._exact(n)
            if b0 & 0x80:
                return payload.decode()


def main():
    port, url, w, h, shot = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    deadline = time.time() + 30
    while True:
        try:
            pages = json.load(urllib.request.urlopen("http://127.0.0.1:%s/json/list" % port))
            page = [p for p in pages if p.get("type") == "page"][0]
            break
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.1)
    ws = WS(page["webSocketDebuggerUrl"])
    ws.send("Emulation.setDeviceMetricsOverride", width=w, height=h, deviceScaleFactor=1,
            mobile=w < 600)
    ws.send("Page.navigate", url=url)
    layout = None
    deadline = time.time() + 60
    while layout is None and time.time() < deadline:
        time.sleep(0.2)
        r = ws.send("Runtime.evaluate",
                    expression="document.readyState=='complete'&&"
                               "document.documentElement.getAttribute('data-layout')",
                    returnByValue=True)
        v = r.get("result", {}).get("value")
        layout = v if isinstance(v, str) else None
    png = ws.send("Page.captureScreenshot", format="png")["data"]
    open(shot, "wb").write(base64.b64decode(png))
    html = ws.send("Runtime.evaluate", expression="document.documentElement.outerHTML",
                   returnByValue=True)["result"]["value"]
    print(layout or "none")
    print(html)
    return 0 if layout else 1


if __name__ == "__main__":
    sys.exit(main())
