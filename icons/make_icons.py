#!/usr/bin/env python3
"""Draws Chamado's icon (a speech bubble on the accent colour) with the standard library only.

Writes icon.png (256 px, window and Linux), 32x32.png, 128x128.png and icon.ico (Windows, PNG
frames). Run it again after changing the drawing; the outputs are committed.
"""
import struct
import zlib
from pathlib import Path

ACCENT = (11, 92, 173)
WHITE = (255, 255, 255)


def inside_round_rect(x, y, x0, y0, x1, y1, r):
    if x < x0 or x > x1 or y < y0 or y > y1:
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def pixel(x, y):
    """Colour at (x, y) in a 1.0 x 1.0 square: RGBA."""
    if not inside_round_rect(x, y, 0.02, 0.02, 0.98, 0.98, 0.2):
        return (0, 0, 0, 0)
    bubble = inside_round_rect(x, y, 0.2, 0.22, 0.8, 0.66, 0.12)
    # The bubble's tail: a triangle under its lower left part.
    tail = 0.62 <= y <= 0.82 and 0.3 <= x <= 0.46 and (x - 0.3) <= (0.82 - y) * 0.8
    if bubble or tail:
        # Three dots of "typing" in the accent colour.
        for dx in (0.36, 0.5, 0.64):
            if (x - dx) ** 2 + (y - 0.44) ** 2 <= 0.045 ** 2:
                return ACCENT + (255,)
        return WHITE + (255,)
    return ACCENT + (255,)


def render(size, samples=4):
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(samples):
                for sx in range(samples):
                    c = pixel((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)
                    for i in range(4):
                        acc[i] += c[i]
            n = samples * samples
            a = acc[3] / n
            if a == 0:
                row += bytes(4)
            else:
                # Colour channels weighted by coverage so edges do not darken.
                row += bytes([min(255, round(acc[i] / acc[3] * 255)) for i in range(3)])
                row += bytes([round(a)])
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def ico(frames):
    header = struct.pack("<HHH", 0, 1, len(frames))
    offset = 6 + 16 * len(frames)
    entries, blobs = b"", b""
    for size, png in frames:
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        blobs += png
    return header + entries + blobs


def main():
    here = Path(__file__).resolve().parent
    pngs = {s: render(s) for s in (16, 32, 48, 128, 256)}
    (here / "icon.png").write_bytes(pngs[256])
    (here / "32x32.png").write_bytes(pngs[32])
    (here / "128x128.png").write_bytes(pngs[128])
    (here / "icon.ico").write_bytes(ico([(s, pngs[s]) for s in (16, 32, 48, 256)]))


if __name__ == "__main__":
    main()
