"""Images for browser tests, made here: PNG bytes of a given size, without an imaging library."""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
RGB, RGBA = 2, 6  # PNG colour types


def encode_png(width: int, height: int, colour_type: int, scanlines: bytes) -> bytes:
    """A PNG of 8-bit samples from its scanlines, each a filter-type byte then the pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(scanlines))
        + chunk(b"IEND", b"")
    )


def png(width: int, height: int, rgb: tuple[int, int, int] = (200, 220, 240)) -> bytes:
    """A solid-colour RGB PNG of exactly width x height pixels."""
    row = b"\x00" + bytes(rgb) * width  # filter type 0, then the pixels
    return encode_png(width, height, RGB, row * height)


def mask_png(
    width: int, height: int, rects: list[tuple[int, int, int, int, tuple[int, int, int]]]
) -> bytes:
    """An RGBA PNG, transparent but for opaque rectangles (left, top, right, bottom, rgb)."""
    rows = []
    for y in range(height):
        row = bytearray(width * 4)
        for left, top, right, bottom, rgb in rects:
            if top <= y < bottom:
                row[left * 4 : right * 4] = bytes((*rgb, 255)) * (right - left)
        rows.append(b"\x00" + bytes(row))
    return encode_png(width, height, RGBA, b"".join(rows))
