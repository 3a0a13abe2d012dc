#!/usr/bin/env python3
"""Writes icon.png: the 64x64 Call Recording node icon (a red record dot in a white ring on a red disc, transparent corners).

Run once from this folder: python3 make-icon.py. Standard library only (zlib + struct), so the PNG is
reproducible byte for byte.
"""
import struct
import zlib

SIZE = 64
RED = (198, 40, 40)
WHITE = (255, 255, 255)


def coverage(x, y, radius):
    """Fraction of the pixel (x, y) inside a circle of `radius` around the centre, by 4x4 supersampling."""
    inside = 0
    for sy in range(4):
        for sx in range(4):
            dx = x + (sx + 0.5) / 4 - SIZE / 2
            dy = y + (sy + 0.5) / 4 - SIZE / 2
            inside += dx * dx + dy * dy <= radius * radius
    return inside / 16


def pixel(x, y):
    outer = coverage(x, y, 31)      # red disc
    ring = coverage(x, y, 26)       # white ring inside it
    dot = coverage(x, y, 20)        # red record dot
    white = ring - dot
    red = outer - white
    alpha = outer
    if alpha == 0:
        return (0, 0, 0, 0)
    mix = [round((RED[i] * red + WHITE[i] * white) / alpha) for i in range(3)]
    return (*mix, round(alpha * 255))


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


rows = b"".join(b"\x00" + bytes(v for x in range(SIZE) for v in pixel(x, y)) for y in range(SIZE))
png = (b"\x89PNG\r\n\x1a\n"
       + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(rows, 9))
       + chunk(b"IEND", b""))
with open("icon.png", "wb") as f:
    f.write(png)
