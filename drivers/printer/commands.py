"""ESC/POS command bytes used by the renderer, the status queries and the virtual printer."""

from __future__ import annotations

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"
DLE = b"\x10"
EOT = b"\x04"
LF = b"\n"

INIT = ESC + b"@"
CHINESE_ON = FS + b"&"  # select Chinese character mode: double-byte text in the printer's font
CHINESE_OFF = FS + b"."

ALIGN = {"left": 0, "center": 1, "right": 2}

# DLE EOT n: real-time status, answered with one byte even while the printer is busy or offline.
STATUS_PRINTER = DLE + EOT + b"\x01"
STATUS_OFFLINE_CAUSE = DLE + EOT + b"\x02"
STATUS_PAPER = DLE + EOT + b"\x04"

QR_EC_M = 1


def align(where: str) -> bytes:
    return ESC + b"a" + bytes([ALIGN[where]])


def char_size(width: int, height: int) -> bytes:
    """GS ! — multiplies Chinese and ASCII glyphs alike (ESC ! only affects ASCII in Chinese mode)."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError("character size must be 1..8")
    return GS + b"!" + bytes([(width - 1) << 4 | (height - 1)])


def bold(on: bool) -> bytes:
    return ESC + b"E" + (b"\x01" if on else b"\x00")


def feed_lines(n: int) -> bytes:
    return ESC + b"d" + bytes([max(0, min(n, 255))])


def cut(feed_dots: int = 48) -> bytes:
    """GS V 66 n: feed n dots past the head to the cutter, then partial cut."""
    return GS + b"V" + bytes([66, max(0, min(feed_dots, 255))])


def _gs_k(fn: int, payload: bytes, m: bytes = b"") -> bytes:
    size = len(payload) + len(m) + 2
    return GS + b"(k" + size.to_bytes(2, "little") + b"1" + bytes([fn]) + m + payload


def qr_native(data: bytes, module: int = 6, ec: int = QR_EC_M) -> bytes:
    """GS ( k: model 2, module size, error correction, store data, print — about 41 bytes + data."""
    if not 1 <= module <= 16:
        raise ValueError("QR module size must be 1..16")
    if len(data) > 7089:
        raise ValueError("QR data too long")
    return (_gs_k(65, b"\x32\x00") + _gs_k(67, bytes([module])) + _gs_k(69, bytes([48 + ec]))
            + _gs_k(80, data, b"0") + _gs_k(81, b"", b"0"))


def raster_image(width_bytes: int, height: int, bits: bytes) -> bytes:
    """GS v 0: one band of a 1-bit image, `width_bytes` × 8 dots wide, MSB first, 1 = black."""
    return (GS + b"v0\x00" + width_bytes.to_bytes(2, "little") + height.to_bytes(2, "little") + bits)
