"""render(document, profile) -> ESC/POS bytes. Pure: no device, no clock, no randomness.

Printers with a Chinese font get text in their own font (FS & once, then every string encoded as the
profile says) and native QR (GS ( k): a standard ticket is under 400 bytes. Only printers without
a Chinese font (or without native QR, for the QR alone) get raster images (GS v 0), tens of KB.
"""

from __future__ import annotations

import qrcode
from PIL import Image

from drivers.printer import commands as c
from drivers.printer.canvas import Canvas, Run
from drivers.printer.documents import Document
from drivers.printer.layout import Cut, Feed, Op, Qr, Text, layout
from drivers.printer.profiles import PrinterProfile, get_profile

RASTER_BAND = 128  # rows per GS v 0 command: small printer buffers choke on one huge image
NO_CUT_FEED = 4  # lines fed instead of a cut, so the ticket clears the tear bar


def render(doc: Document, profile: str | PrinterProfile = "80mm") -> bytes:
    p = get_profile(profile)
    return encode(layout(doc, p), p)


def encode(ops: list[Op], profile: PrinterProfile) -> bytes:
    if profile.raster:
        return _encode_raster(ops, profile)
    return _encode_native(ops, profile)


def _encode_native(ops: list[Op], p: PrinterProfile) -> bytes:
    out = bytearray(c.INIT + c.CHINESE_ON)
    align, size, is_bold = "left", (1, 1), False
    for op in ops:
        if isinstance(op, Text):
            if op.align != align:
                out += c.align(op.align)
                align = op.align
            if (op.width, op.height) != size:
                out += c.char_size(op.width, op.height)
                size = (op.width, op.height)
            if op.bold != is_bold:
                out += c.bold(op.bold)
                is_bold = op.bold
            out += op.text.encode(p.encoding, errors="replace") + c.LF
        elif isinstance(op, Qr):
            if op.align != align:
                out += c.align(op.align)
                align = op.align
            if p.native_qr:
                out += c.qr_native(op.data.encode("utf-8"), op.module)
            else:
                out += image_bytes(qr_image(op.data, op.module))
        elif isinstance(op, Feed):
            out += c.LF * op.lines if op.lines <= 2 else c.feed_lines(op.lines)
        elif isinstance(op, Cut):
            out += c.cut() if p.cut else c.feed_lines(NO_CUT_FEED)
    return bytes(out)


def _encode_raster(ops: list[Op], p: PrinterProfile) -> bytes:
    """The whole document as one image: for printers that have no Chinese font."""
    out = bytearray(c.INIT)
    canvas = Canvas(p.dots)

    def flush() -> None:
        if canvas.height:
            out.extend(image_bytes(canvas.to_image()))

    for op in ops:
        if isinstance(op, Text):
            canvas.text_line([Run(op.text, op.width, op.height, op.bold)], op.align)
        elif isinstance(op, Qr):
            canvas.image(qr_image(op.data, op.module), op.align)
            canvas.feed(8)
        elif isinstance(op, Feed):
            canvas.feed(30 * op.lines)
        elif isinstance(op, Cut):
            flush()
            canvas = Canvas(p.dots)
            out += c.cut() if p.cut else c.feed_lines(NO_CUT_FEED)
    flush()
    return bytes(out)


def qr_image(data: str, module: int) -> Image.Image:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=module, border=2)
    qr.add_data(data)
    qr.make(fit=True)
    return qr.make_image().get_image().convert("L")


def image_bytes(im: Image.Image) -> bytes:
    """A grey image as GS v 0 bands (dark pixels print)."""
    mono = im.convert("L").point(lambda v: 255 if v < 128 else 0).convert("1")
    width_bytes = (mono.width + 7) // 8
    padded = Image.new("1", (width_bytes * 8, mono.height), 0)
    padded.paste(mono, (0, 0))
    raw = padded.tobytes()  # mode "1": MSB first, 1 bit per dot, 1 = the dark pixels set above
    out = bytearray()
    for top in range(0, padded.height, RASTER_BAND):
        rows = min(RASTER_BAND, padded.height - top)
        out += c.raster_image(width_bytes, rows, raw[top * width_bytes:(top + rows) * width_bytes])
    return bytes(out)
