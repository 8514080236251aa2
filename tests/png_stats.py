#!/usr/bin/env python3
"""png_stats.py FILE — decode a PNG with zlib alone and print
"WIDTH HEIGHT GREEN DISTINCT": the image size, the number of pixels whose
green clearly dominates (the traffic / "up" colour of serat's graphs, in
both themes) and the number of distinct colours.  Exits 1 when FILE is not
a valid PNG (bad signature, CRC, or truncated data)."""
import struct
import sys
import zlib


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, plte, hdr = 8, b"", None, None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]
        if zlib.crc32(kind + body) & 0xffffffff != crc:
            raise ValueError("bad CRC")
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            plte = body
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or interlace:
        raise ValueError("unsupported PNG")
    bpp = {2: 3, 6: 4, 3: 1, 0: 1, 4: 2}[ctype]
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    pixels = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                line[x] = (line[x] + paeth(a, b, c)) & 255
        for x in range(w):
            px = line[x * bpp:(x + 1) * bpp]
            if ctype == 3:
                i = px[0] * 3
                pixels.append(tuple(plte[i:i + 3]))
            elif ctype in (0, 4):
                pixels.append((px[0],) * 3)
            else:
                pixels.append(tuple(px[:3]))
        prev = line
    return w, h, pixels


def main():
    try:
        w, h, pixels = decode(open(sys.argv[1], "rb").read())
    except Exception as e:  # any decoding failure means "not a valid PNG"
        print("invalid: %s" % e)
        return 1
    green = sum(1 for r, g, b in pixels if g > r + 40 and g > b + 40)
    print(w, h, green, len(set(pixels)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
