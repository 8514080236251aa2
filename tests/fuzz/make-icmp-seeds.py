#!/usr/bin/env python3
"""make-icmp-seeds.py OUTDIR — seed inputs for tests/fuzz/fuzz_icmp_reply.c.

Each file is one mode byte (bit 0 IPv6, bit 1 a raw IPv4 socket's IP
header first, bit 2 a datagram socket's error queue) and one message as the
socket would deliver it: echo replies, every ICMP error serat reports
(quoting an echo request), and a few malformed ones.  Used once to build
tests/fuzz/corpus/icmp_reply; kept so the corpus can be rebuilt.
"""
import os
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def icmp(t, code, rest, data):
    m = struct.pack("!BBH", t, code, 0) + rest + data
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def ip4(proto, payload, src=b"\xc6\x12\x00\x0a", dst=b"\xc6\x12\x00\x01", ihl=5):
    opts = b"\x01" * ((ihl - 5) * 4)
    return struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 20 + len(opts) + len(payload), 1, 0,
                       64, proto, 0, src, dst) + opts + payload


def ip6(nh, payload):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, 64,
                       bytes.fromhex("fd536572617400000000000000000001"),
                       bytes.fromhex("fd536572617400000000000000000010")) + payload


DATA = bytes(0x20 + i % 64 for i in range(56))
ECHO4 = icmp(8, 0, struct.pack("!HH", 0x4242, 7), DATA)
ECHO6 = struct.pack("!BBHHH", 128, 0, 0, 0x4242, 7) + DATA


def main(out):
    os.makedirs(out, exist_ok=True)
    seeds = {
        "v4-raw-reply": b"\x02" + ip4(1, icmp(0, 0, struct.pack("!HH", 0x4242, 7), DATA)),
        "v4-raw-reply-options": b"\x02" + ip4(1, icmp(0, 0, struct.pack("!HH", 1, 2), DATA), ihl=7),
        "v4-dgram-reply": b"\x00" + icmp(0, 0, struct.pack("!HH", 0x4242, 7), DATA),
        "v4-unreach": b"\x02" + ip4(1, icmp(3, 1, b"\0" * 4, ip4(1, ECHO4[:8], dst=b"\xc6\x12\x00\x0a"))),
        "v4-redirect": b"\x02" + ip4(1, icmp(5, 1, b"\xc6\x12\x00\x02", ip4(1, ECHO4[:8]))),
        "v4-timex": b"\x02" + ip4(1, icmp(11, 0, b"\0" * 4, ip4(1, ECHO4))),
        "v4-param": b"\x02" + ip4(1, icmp(12, 0, b"\x14\0\0\0", ip4(1, ECHO4[:8]))),
        "v4-unreach-udp": b"\x02" + ip4(1, icmp(3, 3, b"\0" * 4, ip4(17, b"\0" * 8))),
        "v4-bad-ihl": b"\x02" + bytes([0x4F]) + ip4(1, ECHO4)[1:],
        "v4-truncated-quote": b"\x02" + ip4(1, icmp(3, 1, b"\0" * 4, ip4(1, ECHO4[:5]))),
        "v4-bad-checksum": b"\x00" + ECHO4[:2] + b"\0\0" + ECHO4[4:],
        "v6-reply": b"\x01" + struct.pack("!BBHHH", 129, 0, 0, 0x4242, 7) + DATA,
        "v6-unreach": b"\x01" + struct.pack("!BBHI", 1, 3, 0, 0) + ip6(58, ECHO6),
        "v6-timex": b"\x01" + struct.pack("!BBHI", 3, 0, 0, 0) + ip6(58, ECHO6[:8]),
        "v6-too-big": b"\x01" + struct.pack("!BBHI", 2, 0, 0, 1280) + ip6(58, ECHO6),
        "v6-unreach-ext-header": b"\x01" + struct.pack("!BBHI", 1, 0, 0, 0) + ip6(0, ECHO6),
        "v6-redirect": b"\x01" + struct.pack("!BBHI", 137, 0, 0, 0) + b"\xfe\x80" + b"\0" * 14
                       + bytes.fromhex("fd536572617400000000000000000010"),
        "v4-errqueue-sent": b"\x04" + ECHO4,
        "v6-errqueue-sent": b"\x05" + ECHO6,
        "empty": b"\x00",
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1])
