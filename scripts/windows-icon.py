#!/usr/bin/env python3
"""Writes src-tauri/icons/icon.ico from src-tauri/icons/icon.png (Python's standard library only).

A Windows build needs the .ico: tauri-build puts it in the executable's resources (and stops with
"`icons/icon.ico` not found" without one), and the window icon is its first frame. The frames are
those `tauri icon` writes, in its order: 32, 16, 24, 48, 64 and 256 pixels. The small ones are
32-bit bitmaps (what every resource compiler and the Windows shell read), the 256 one the PNG
itself. Run it again after changing icon.png:

    python3 scripts/windows-icon.py
"""

import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src-tauri" / "icons" / "icon.png"
TARGET = ROOT / "src-tauri" / "icons" / "icon.ico"
SIZES = [32, 16, 24, 48, 64, 256]


def read_png(data):
    """Width, height and RGBA rows of an 8-bit RGBA, non-interlaced PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("icon.png is not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if (depth, colour, interlace) != (8, 6, 0):
        sys.exit("icon.png must be 8-bit RGBA and not interlaced")
    raw = zlib.decompress(b"".join(idat))
    stride, bpp = width * 4, 4
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pred) & 0xFF
        rows.append(line)
        prev = line
    return width, height, rows


def weights(src, dst):
    """For each target pixel, the (source index, weight) pairs of a box filter."""
    scale = src / dst
    out = []
    for d in range(dst):
        lo, hi = d * scale, (d + 1) * scale
        taps, s = [], int(lo)
        while s < hi and s < src:
            w = min(hi, s + 1) - max(lo, s)
            if w > 0:
                taps.append((s, w / scale))
            s += 1
        out.append(taps)
    return out


def resize(width, height, rows, size):
    """Area-averaged RGBA rows at size × size, averaging with premultiplied alpha."""
    pre = []
    for row in rows:
        line = []
        for x in range(width):
            r, g, b, a = row[4 * x : 4 * x + 4]
            f = a / 255
            line.append((r * f, g * f, b * f, a))
        pre.append(line)
    wx, wy = weights(width, size), weights(height, size)
    horizontal = []
    for line in pre:
        out = []
        for taps in wx:
            acc = [0.0, 0.0, 0.0, 0.0]
            for s, w in taps:
                for k in range(4):
                    acc[k] += line[s][k] * w
            out.append(acc)
        horizontal.append(out)
    result = []
    for taps in wy:
        row = bytearray()
        for x in range(size):
            acc = [0.0, 0.0, 0.0, 0.0]
            for s, w in taps:
                for k in range(4):
                    acc[k] += horizontal[s][x][k] * w
            a = acc[3]
            if a <= 0:
                row += b"\0\0\0\0"
                continue
            f = 255 / a
            row += bytes(min(255, round(acc[k] * f)) for k in range(3))
            row.append(min(255, round(a)))
        result.append(row)
    return result


def bitmap(rows, size):
    """An icon frame as a 32-bit DIB: the header, BGRA rows bottom up, then the AND mask."""
    pixels = bytearray()
    for row in reversed(rows):
        for x in range(size):
            r, g, b, a = row[4 * x : 4 * x + 4]
            pixels += bytes((b, g, r, a))
    mask_stride = (size + 31) // 32 * 4
    mask = bytearray()
    for row in reversed(rows):
        line = bytearray(mask_stride)
        for x in range(size):
            if row[4 * x + 3] == 0:
                line[x // 8] |= 0x80 >> (x % 8)
        mask += line
    header = struct.pack(
        "<IiiHHIIiiII", 40, size, 2 * size, 1, 32, 0, len(pixels) + len(mask), 0, 0, 0, 0
    )
    return header + pixels + mask


def main():
    data = SOURCE.read_bytes()
    width, height, rows = read_png(data)
    if (width, height) != (256, 256):
        sys.exit(f"icon.png must be 256 × 256 (it is {width} × {height})")
    frames = []
    for size in SIZES:
        body = data if size == 256 else bitmap(resize(width, height, rows, size), size)
        frames.append((size, body))
    out = bytearray(struct.pack("<HHH", 0, 1, len(frames)))
    offset = 6 + 16 * len(frames)
    for size, body in frames:
        side = 0 if size >= 256 else size
        out += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(body), offset)
        offset += len(body)
    for _, body in frames:
        out += body
    TARGET.write_bytes(out)
    print(f"wrote {TARGET.relative_to(ROOT)}: {', '.join(str(s) for s in SIZES)} px, {len(out)} bytes")


if __name__ == "__main__":
    main()
