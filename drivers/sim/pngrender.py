"""Draws what a virtual printer received as a PNG, the way the paper would come out."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from drivers.printer.canvas import Canvas
from drivers.sim.escpos_interp import CutMark, EscPosInterpreter, FeedDots, Line, Picture


def page_image(data: bytes, dots: int = 576, encoding: str = "gb18030") -> Image.Image:
    interp = EscPosInterpreter(encoding=encoding)
    interp.feed(data)
    interp.finish()
    canvas = Canvas(dots, margin=16)
    for item in interp.items:
        if isinstance(item, Line):
            canvas.text_line(item.runs, item.align)
        elif isinstance(item, Picture):
            canvas.image(item.image, item.align)
        elif isinstance(item, FeedDots):
            canvas.feed(item.dots)
        elif isinstance(item, CutMark):
            canvas.cut_line("切纸 cut" if item.partial else "全切 full cut")
    if not canvas.height:
        canvas.feed(24)
    image = canvas.to_image()
    # Thermal paper is narrow and tall; a grey border shows where the roll's edges are.
    framed = Image.new("L", (image.width + 2, image.height + 2), 160)
    framed.paste(image, (1, 1))
    return framed


def save_png(path: str | Path, data: bytes, dots: int = 576, encoding: str = "gb18030") -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    page_image(data, dots, encoding).save(out, "PNG", optimize=True)
    return out
