"""Printer profiles: what a model can do, chosen by name in the kiosk's configuration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

Encoding = Literal["gb18030", "gbk", "big5", "utf-8"]
ENCODINGS: tuple[str, ...] = ("gb18030", "gbk", "big5", "utf-8")

# Font A is 12×24 dots: an ASCII character takes 12 dots, a Chinese one 24.
FONT_A_WIDTH = 12
LINE_HEIGHT = 24


@dataclass(frozen=True)
class PrinterProfile:
    name: str
    paper_width_mm: Literal[58, 80]
    dots: int  # printable width in dots (203 dpi heads: 384 on 58 mm, 576 on 80 mm)
    encoding: Encoding = "gb18030"
    chinese_font: bool = True  # has a resident Chinese font, entered with FS &
    native_qr: bool = True  # understands GS ( k
    cut: bool = True

    def __post_init__(self) -> None:
        if self.paper_width_mm not in (58, 80):
            raise ValueError("paper_width_mm must be 58 or 80")
        if self.encoding not in ENCODINGS:
            raise ValueError(f"encoding must be one of {ENCODINGS}")
        if not 128 <= self.dots <= 832 or self.dots % 8:
            raise ValueError("dots must be a multiple of 8 between 128 and 832")

    @property
    def columns(self) -> int:
        """Half-width characters per line in font A."""
        return self.dots // FONT_A_WIDTH

    @property
    def raster(self) -> bool:
        """The whole document goes as an image (no Chinese font)."""
        return not self.chinese_font

    def with_options(self, **changes: object) -> PrinterProfile:
        return replace(self, **changes)  # type: ignore[arg-type]


PROFILES: dict[str, PrinterProfile] = {
    p.name: p
    for p in (
        PrinterProfile("80mm", 80, 576),
        PrinterProfile("58mm", 58, 384),
        PrinterProfile("58mm-nocut", 58, 384, cut=False),
        PrinterProfile("80mm-raster", 80, 576, chinese_font=False, native_qr=False),
        PrinterProfile("58mm-raster", 58, 384, chinese_font=False, native_qr=False, cut=False),
        PrinterProfile("80mm-imageqr", 80, 576, native_qr=False),
        PrinterProfile("80mm-gbk", 80, 576, encoding="gbk"),
        PrinterProfile("80mm-big5", 80, 576, encoding="big5"),
        PrinterProfile("80mm-utf8", 80, 576, encoding="utf-8"),
    )
}


def get_profile(name: str | PrinterProfile | Mapping[str, Any]) -> PrinterProfile:
    """A built-in profile by name; a PrinterProfile passes through; a mapping from a configuration file
    is a built-in profile (`base`, default "80mm") with some fields changed, e.g.
    {"base": "80mm", "name": "hall-3", "encoding": "big5", "cut": false}."""
    if isinstance(name, PrinterProfile):
        return name
    if isinstance(name, Mapping):
        options = dict(name)
        base = get_profile(str(options.pop("base", "80mm")))
        unknown = set(options) - {f.name for f in fields(PrinterProfile)}
        if unknown:
            raise ValueError(f"打印机配置含未知字段 / unknown printer profile fields: {sorted(unknown)}")
        return replace(base, **options)
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(PROFILES)
        raise ValueError(f"未知打印机配置 {name!r} / unknown printer profile {name!r}; "
                         f"known: {known}") from None
