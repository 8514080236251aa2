#!/usr/bin/env python3
"""probe_gen.py — write pcap files for the passive probe's tests and benchmark.

Frames are built byte by byte with struct (no scapy), so each test knows
exactly what is on the wire: timestamps in nanoseconds (pcap magic
0xa1b23c4d), handshakes with chosen RTTs, and the TCP events Wireshark's
analysis names.  Everything is seeded: the same command writes the same file.

  probe_gen.py scenarios FILE   TCP over IPv4/IPv6, plain, 802.1Q and QinQ:
                                handshakes with known RTTs, RTO, fast and
                                spurious retransmissions, dup ACKs,
                                out-of-order, keep-alives, zero windows,
                                SYN retransmissions; ICMP and ICMPv6 echo
                                with 10 % of requests unanswered; UDP, ARP.
                                Writes FILE.expect (key value lines).
  probe_gen.py bench FILE N     about N packets of many TCP connections
                                with ~1 % retransmissions (benchmark).
  probe_gen.py flood FILE N     N SYNs from N distinct source ports/addresses.
  probe_gen.py broken DIR       damaged single-frame captures (bogus header
                                lengths, snaplen cuts, garbage) as fuzz seeds.
"""
import os
import random
import struct
import sys

ETH_IP4, ETH_IP6, ETH_8021Q, ETH_8021AD, ETH_ARP = 0x0800, 0x86DD, 0x8100, 0x88A8, 0x0806
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
MS = 1_000_000
SEC = 1_000_000_000


class Pcap:
    """A pcap writer with nanosecond timestamps, buffered."""

    def __init__(self, path, linktype=1, snaplen=65535):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, snaplen, linktype))
        self.buf = []
        self.count = 0

    def add(self, ts_ns, frame, wirelen=None):
        wl = len(frame) if wirelen is None else wirelen
        self.buf.append(struct.pack("<IIII", ts_ns // SEC, ts_ns % SEC, len(frame), wl) + frame)
        self.count += 1
        if len(self.buf) >= 4096:
            self.flush()

    def flush(self):
        self.f.write(b"".join(self.buf))
        self.buf = []

    def close(self):
        self.flush()
        self.f.close()


class Collect:
    """Frames gathered for sorting by time before they are written."""

    def __init__(self, events):
        self.events = events

    def add(self, ts_ns, frame):
        self.events.append((ts_ns, frame))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(payload, ethertype, vlans=()):
    hdr = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01"
    tags = b""
    types = [t for t, _ in vlans] + [ethertype]
    for (_, vid), nxt in zip(vlans, types[1:]):
        tags += struct.pack("!HH", vid, nxt)
    return hdr + struct.pack("!H", types[0]) + tags + payload


def ip4(src, dst, proto, payload, ident=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto, 0,
                    bytes(src), bytes(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ip6(src, dst, nh, payload):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, 64, bytes(src), bytes(dst)) + payload


def tcp(sport, dport, seq, ack, flags, win, payload=b"", wscale=None):
    opts = b""
    if flags & SYN:
        opts = struct.pack("!BBH", 2, 4, 1460)
        if wscale is not None:
            opts += struct.pack("!BBBB", 1, 3, 3, wscale)
    off = (20 + len(opts)) // 4
    return struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, off << 4,
                       flags, win, 0, 0) + opts + payload


def icmp_echo(v6, typ, ident, seq, data=b"serat-probe-echo", src=b"", dst=b""):
    """An echo with a valid checksum (Wireshark pairs requests and replies
    only when it is): ICMPv6 sums a pseudo-header of SRC and DST too."""
    msg = struct.pack("!BBHHH", typ, 0, 0, ident, seq) + data
    pseudo = bytes(src) + bytes(dst) + struct.pack("!II", len(msg), 58) if v6 else b""
    c = csum(pseudo + msg)
    return msg[:2] + struct.pack("!H", c) + msg[4:]


class Endpoint:
    def __init__(self, v6, addr, port):
        self.v6, self.addr, self.port = v6, addr, port


class Conn:
    """A TCP connection between client C and server S seen from one tap."""

    def __init__(self, out, v6, caddr, saddr, cport, sport, vlans=(), cisn=None, sisn=None,
                 wscale=True):
        self.out, self.v6, self.vlans = out, v6, vlans
        self.c = (caddr, cport)
        self.s = (saddr, sport)
        self.cseq = cisn if cisn is not None else random.getrandbits(32)
        self.sseq = sisn if sisn is not None else random.getrandbits(32)
        self.cwin = self.swin = 502
        self.wscale = wscale

    def frame(self, t, from_client, flags, seq, ack, win, payload=b""):
        (sa, sp), (da, dp) = (self.c, self.s) if from_client else (self.s, self.c)
        ws = (7 if from_client else 9) if self.wscale else None
        seg = tcp(sp, dp, seq, ack, flags, win, payload, ws)
        if self.v6:
            pkt = eth(ip6(sa, da, 6, seg), ETH_IP6, self.vlans)
        else:
            pkt = eth(ip4(sa, da, 6, seg), ETH_IP4, self.vlans)
        self.out.add(t, pkt)

    def syn(self, t):
        self.frame(t, True, SYN, self.cseq, 0, 64240)

    def synack(self, t):
        self.frame(t, False, SYN | ACK, self.sseq, self.cseq + 1, 65160)

    def handshake(self, t, rtt, syn_retries=0, rto=SEC):
        for i in range(syn_retries):
            self.syn(t)
            t += rto
        self.syn(t)
        self.synack(t + rtt // 2)
        self.cseq += 1
        self.sseq += 1
        self.frame(t + rtt, True, ACK, self.cseq, self.sseq, self.cwin)
        return t + rtt

    def c_send(self, t, n, seq=None, advance=True):
        s = self.cseq if seq is None else seq
        self.frame(t, True, ACK | PSH, s, self.sseq, self.cwin, b"q" * n)
        if advance:
            self.cseq += n

    def s_send(self, t, n, seq=None, advance=True):
        s = self.sseq if seq is None else seq
        self.frame(t, False, ACK, s, self.cseq, self.swin, b"r" * n)
        if advance:
            self.sseq += n

    def c_ack(self, t, ack=None, win=None):
        self.frame(t, True, ACK, self.cseq, self.sseq if ack is None else ack,
                   self.cwin if win is None else win)

    def s_ack(self, t, ack=None, win=None):
        self.frame(t, False, ACK, self.sseq, self.cseq if ack is None else ack,
                   self.swin if win is None else win)

    def close(self, t):
        self.frame(t, True, FIN | ACK, self.cseq, self.sseq, self.cwin)
        self.frame(t + MS, False, FIN | ACK, self.sseq, self.cseq + 1, self.swin)
        self.cseq += 1
        self.sseq += 1
        self.frame(t + 2 * MS, True, ACK, self.cseq, self.sseq, self.cwin)


def addr4(a, b, c, d):
    return bytes((a, b, c, d))


def addr6(net, host):
    return bytes((0x20, 0x01, 0x0D, 0xB8, 0, net)) + bytes(8) + struct.pack("!H", host)


def connection(out, i, t, kind, expect):
    """One connection of scenario KIND starting at T; returns its end time."""
    v6 = i % 3 == 1
    vl = [(), ((ETH_8021Q, 100),), ((ETH_8021AD, 200), (ETH_8021Q, 30))][i % 3 if i % 2 else 0]
    if v6:
        cl, sv = addr6(1, 100 + i % 200), addr6(2, 1)
    else:
        cl, sv = addr4(10, 1, i // 250 % 250, 1 + i % 250), addr4(10, 2, 0, 1)
    c = Conn(out, v6, cl, sv, 30000 + i, 80 if i % 4 else 443, vl, wscale=i % 5 != 0)
    rtt = random.randint(1 * MS, 80 * MS) + random.randint(0, 999)
    retries = 1 if kind == "synretx" else 0
    t = c.handshake(t, rtt, syn_retries=retries)
    expect["rtts"].append(rtt)
    gap = rtt // 2
    t += 100_000
    c.c_send(t, 300)
    t += gap
    c.s_ack(t)
    seg = 1448
    nseg = 8
    if kind == "rto":
        for _ in range(nseg):
            t += 10_000
            c.s_send(t, seg)
        t += 220 * MS                       # an RTO later, the first unACKed segment again
        c.s_send(t, seg, seq=c.sseq - nseg * seg, advance=False)
        expect["retrans"] += 1
        t += gap
        c.c_ack(t)
    elif kind == "fast":
        base = c.sseq
        c.sseq += seg                       # segment 0 lost before the tap
        for _ in range(nseg - 1):
            t += 10_000
            c.s_send(t, seg)
        t += gap
        for _ in range(4):                  # an ACK and three duplicates
            t += 20_000
            c.c_ack(t, ack=base)
        t += 500_000
        c.s_send(t, seg, seq=base, advance=False)
        expect["retrans"] += 1
        t += gap
        c.c_ack(t)
    elif kind == "ooo":
        base = c.sseq
        t += 10_000
        c.s_send(t, seg, seq=base + seg, advance=False)
        t += 200_000                        # well within the RTT: out of order
        c.s_send(t, seg, seq=base, advance=False)
        c.sseq += 2 * seg
        t += gap
        c.c_ack(t)
    elif kind == "spurious":
        t += 10_000
        c.s_send(t, seg)
        t += gap
        c.c_ack(t)
        t += 300 * MS
        c.s_send(t, seg, seq=c.sseq - seg, advance=False)
        expect["retrans"] += 1
        t += gap
        c.c_ack(t)
    elif kind == "keepalive":
        t += 10_000
        c.s_send(t, seg)
        t += gap
        c.c_ack(t)
        for _ in range(3):
            t += 2 * SEC
            c.frame(t, True, ACK, c.cseq - 1, c.sseq, c.cwin, b"\0")
            t += gap
            c.s_ack(t)
    elif kind == "zerowin":
        t += 10_000
        c.s_send(t, seg)
        t += gap
        c.c_ack(t, win=0)
        expect["zero_windows"] += 1
        for _ in range(2):
            t += 250 * MS
            c.frame(t, False, ACK, c.sseq, c.cseq, c.swin, b"r")     # zero window probe
            t += gap
            c.c_ack(t, win=0)
            expect["zero_windows"] += 1
        t += 100 * MS
        c.c_ack(t)                                                   # window update
        t += 10_000
        c.s_send(t, seg)
        t += gap
        c.c_ack(t)
    else:                                   # clean, synretx, dupack
        for _ in range(nseg):
            t += 10_000
            c.s_send(t, seg)
        t += gap
        c.c_ack(t)
        if kind == "dupack":
            for _ in range(2):
                t += 1000
                c.c_ack(t)
    c.close(t + MS)
    return t + 3 * MS


def echo_frame(v6, reply, src, dst, seq):
    """An Ethernet frame with an ICMP or ICMPv6 echo request or reply."""
    typ = (129 if reply else 128) if v6 else (0 if reply else 8)
    msg = icmp_echo(v6, typ, 0x4242 + v6, seq, src=src, dst=dst)
    if v6:
        return eth(ip6(src, dst, 58, msg), ETH_IP6)
    return eth(ip4(src, dst, 1, msg, seq), ETH_IP4)


def scenarios(path):
    random.seed(20240611)
    out = Pcap(path)
    expect = {"rtts": [], "retrans": 0, "zero_windows": 0}
    kinds = ["clean", "rto", "fast", "ooo", "spurious", "keepalive", "zerowin", "synretx", "dupack"]
    t0 = 1_700_000_000 * SEC
    events = []
    # Connections start every 37 ms, overlapping, across several intervals.
    col = Collect(events)
    for i in range(180):
        connection(col, i, t0 + i * 37 * MS, kinds[i % len(kinds)], expect)
    # ICMP and ICMPv6 echo: 100 requests each, every tenth unanswered.
    rtts, lost = [], 0
    for v6 in (0, 1):
        for s in range(100):
            t = t0 + 50 * MS + s * 61 * MS
            src, dst = (addr6(1, 7), addr6(3, 1)) if v6 else (addr4(10, 1, 9, 9), addr4(10, 3, 0, 1))
            events.append((t, echo_frame(v6, False, src, dst, s)))
            if s % 10 == 9:
                lost += 1
                continue
            rtt = random.randint(2 * MS, 40 * MS) + random.randint(0, 999)
            rtts.append(rtt)
            events.append((t + rtt, echo_frame(v6, True, dst, src, s)))
    # Some UDP and ARP that only count as packets.
    for k in range(50):
        udp = struct.pack("!HHHH", 5353, 53, 8 + 12, 0) + b"x" * 12
        events.append((t0 + k * 100 * MS + 7, eth(ip4(addr4(10, 1, 5, 5), addr4(10, 2, 0, 53), 17, udp), ETH_IP4)))
        events.append((t0 + k * 100 * MS + 9, eth(b"\0" * 28, ETH_ARP)))
    events.sort(key=lambda e: e[0])
    for ts, fr in events:
        out.add(ts, fr)
    out.close()
    rt = sorted(expect["rtts"])
    with open(path + ".expect", "w") as f:
        f.write("packets %d\n" % len(events))
        f.write("tcp_handshakes %d\n" % len(rt))
        f.write("tcp_retransmissions %d\n" % expect["retrans"])
        f.write("tcp_zero_windows %d\n" % expect["zero_windows"])
        f.write("icmp_echo_requests 200\nicmp_echo_replies %d\n" % len(rtts))
        f.write("icmp_loss_pct %.1f\n" % (100.0 * lost / 200))
        f.write("icmp_rtt_min_ms %.6f\nicmp_rtt_max_ms %.6f\n" % (min(rtts) / MS, max(rtts) / MS))


def bench(path, n):
    """~N packets: connections of 2 x 25 data segments, 1 % resent."""
    random.seed(7)
    out = Pcap(path)
    t = 1_700_000_000 * SEC
    i = 0
    while out.count < n:
        c = Conn(out, False, addr4(10, 1 + i // 60000 % 200, i // 250 % 240, 1 + i % 250),
                 addr4(10, 250, 0, 1 + i % 16), 1024 + i % 60000, 80)
        t = c.handshake(t, random.randint(MS, 30 * MS))
        for k in range(25):
            t += 50_000
            c.s_send(t, 1448)
            if random.random() < 0.01:
                t += 210 * MS // 100
                c.s_send(t, 1448, seq=c.sseq - 1448, advance=False)
            t += 50_000
            c.c_ack(t)
        c.close(t)
        t += 3 * MS
        i += 1
    out.close()


def flood(path, n):
    out = Pcap(path)
    t = 1_700_000_000 * SEC
    for i in range(n):
        syn = tcp(1024 + i % 60000, 80, i * 7919, 0, SYN, 1024)
        out.add(t + i * 1000, eth(ip4(addr4(172, 16 + i // 60000 % 16, i // 250 % 240, 1 + i % 250),
                                      addr4(10, 2, 0, 1), 6, syn), ETH_IP4))
    out.close()


def broken(d):
    """Single-frame captures a decoder must survive: seeds for the fuzzer."""
    random.seed(99)
    os.makedirs(d, exist_ok=True)
    good4 = eth(ip4(addr4(10, 0, 0, 1), addr4(10, 0, 0, 2), 6, tcp(1, 2, 3, 4, ACK, 5, b"data")), ETH_IP4)
    good6 = eth(ip6(addr6(1, 1), addr6(1, 2), 0, bytes((44, 0, 0, 0, 0, 0, 0, 0)) +
                    bytes((6, 0, 0, 0, 0, 0, 0, 1)) + tcp(1, 2, 3, 4, SYN, 5)), ETH_IP6)
    echo = eth(ip4(addr4(10, 0, 0, 1), addr4(10, 0, 0, 2), 1, icmp_echo(0, 8, 1, 1)), ETH_IP4,
               ((ETH_8021AD, 5), (ETH_8021Q, 6)))
    cases = {
        "good-ipv4-tcp": good4,
        "good-ipv6-frag-syn": good6,
        "good-qinq-echo": echo,
        "ipv4-ihl-15": good4[:14] + bytes([0x4F]) + good4[15:],
        "ipv4-ihl-3": good4[:14] + bytes([0x43]) + good4[15:],
        "ipv4-totlen-huge": good4[:16] + b"\xff\xff" + good4[18:],
        "tcp-doff-15": good4[:46] + bytes([0xF0]) + good4[47:],
        "tcp-doff-1": good4[:46] + bytes([0x10]) + good4[47:],
        "snaplen-cut-ip": good4[:20],
        "snaplen-cut-tcp": good4[:40],
        "ipv6-ext-len-huge": good6[:54] + bytes((44, 255)) + good6[56:],
        "vlan-chain": eth(b"\x81\x00" * 40, ETH_8021Q),
        "garbage": bytes(random.getrandbits(8) for _ in range(200)),
        "empty": b"",
    }
    for name, frame in cases.items():
        # Fuzz input format: 1 byte link selector, then the frame.
        with open(os.path.join(d, name), "wb") as f:
            f.write(b"\x00" + frame)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd = sys.argv[1]
    if cmd == "scenarios":
        scenarios(sys.argv[2])
    elif cmd == "bench":
        bench(sys.argv[2], int(sys.argv[3]))
    elif cmd == "flood":
        flood(sys.argv[2], int(sys.argv[3]))
    elif cmd == "broken":
        broken(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
