"""Drawing printed lines onto an image with a CJK font: the raster fallback and the virtual printer's
PNG both use it, so what a raster ticket looks like and what the simulator shows agree.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from drivers.printer.profiles import LINE_HEIGHT

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
LINE_GAP = 6  # dots between text lines, as ESC 2 (default line spacing ≈ 30 dots) gives


@lru_cache(maxsize=32)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            # Basic layout: the same result on every machine, whether or not libraqm is installed.
            return ImageFont.truetype(candidate, size, layout_engine=ImageFont.Layout.BASIC)
    return ImageFont.load_default(size)  # no CJK glyphs: Chinese shows as boxes, layout still right


@dataclass(frozen=True)
class Run:
    text: str
    width: int = 1
    height: int = 1
    bold: bool = False
    underline: bool = False


class Canvas:
    """A paper roll `width` dots wide that grows downwards."""

    def __init__(self, width: int, margin: int = 0) -> None:
        self.width = width
        self.margin = margin
        self._blocks: list[Image.Image] = []

    def text_line(self, runs: list[Run], align: str = "left") -> None:
        images = [self._run_image(r) for r in runs if r.text]
        height = max([im.height for im in images] + [LINE_HEIGHT * max([r.height for r in runs] + [1])])
        line = Image.new("L", (max(sum(im.width for im in images), 1), height), 255)
        x = 0
        for im in images:
            line.paste(im, (x, height - im.height))  # baseline-aligned: bottoms meet, as on paper
            x += im.width
        self.image(line, align)
        self.feed(LINE_GAP)

    def image(self, im: Image.Image, align: str = "left") -> None:
        im = im.convert("L")
        if im.width > self.width:
            im = im.crop((0, 0, self.width, im.height))
        row = Image.new("L", (self.width, im.height), 255)
        x = {"center": (self.width - im.width) // 2, "right": self.width - im.width}.get(align, 0)
        row.paste(im, (x, 0))
        self._blocks.append(row)

    def feed(self, dots: int) -> None:
        if dots > 0:
            self._blocks.append(Image.new("L", (self.width, dots), 255))

    def cut_line(self, label: str = "") -> None:
        row = Image.new("L", (self.width, 24), 255)
        draw = ImageDraw.Draw(row)
        for x in range(0, self.width, 12):
            draw.line((x, 12, x + 6, 12), fill=0, width=2)
        if label:
            f = font(14)
            w = draw.textlength(label, font=f)
            draw.rectangle(((self.width - w) / 2 - 4, 2, (self.width + w) / 2 + 4, 22), fill=255)
            draw.text(((self.width - w) / 2, 4), label, font=f, fill=0)
        self._blocks.append(row)

    @property
    def height(self) -> int:
        return sum(b.height for b in self._blocks)

    def to_image(self) -> Image.Image:
        out = Image.new("L", (self.width + 2 * self.margin, self.height + 2 * self.margin), 255)
        y = self.margin
        for block in self._blocks:
            out.paste(block, (self.margin, y))
            y += block.height
        return out

    @staticmethod
    def _run_image(run: Run) -> Image.Image:
        text = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in run.text)
        run = Run(text, run.width, run.height, run.bold, run.underline)
        size = LINE_HEIGHT * run.height
        f = font(size)
        probe = ImageDraw.Draw(Image.new("L", (1, 1)))
        width = max(int(probe.textlength(run.text, font=f)) + 2, 1)
        im = Image.new("L", (width, size + size // 4), 255)
        draw = ImageDraw.Draw(im)
        draw.text((0, 0), run.text, font=f, fill=0, stroke_width=1 if run.bold else 0, stroke_fill=0)
        if run.underline:
            draw.line((0, size, width, size), fill=0, width=max(1, run.height))
        if run.width != run.height:
            im = im.resize((max(1, width * run.width // run.height), im.height))
        return im
