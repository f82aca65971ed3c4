"""An ESC/POS interpreter: turns the bytes a printer receives into a page model (lines with sizes and
alignment, QR codes, images, cuts) and reports real-time status queries as they arrive.

It is deliberately forgiving, like a printer: unknown commands are skipped, malformed ones are
consumed, and it never raises on any input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import qrcode
from PIL import Image

from drivers.printer.canvas import Run

MAX_IMAGE_DOTS = 2048  # images larger than any paper are consumed but not drawn
MAX_IMAGE_ROWS = 8192


@dataclass
class Line:
    runs: list[Run]
    align: str


@dataclass
class Picture:
    image: Image.Image
    align: str
    kind: str = "image"  # "qr" or "image"
    data: bytes = b""  # the QR payload, for tests


@dataclass
class FeedDots:
    dots: int


@dataclass
class CutMark:
    partial: bool = True


Item = Line | Picture | FeedDots | CutMark

# Fixed argument counts of the single-letter commands that are skipped (or only change state).
_ESC_ARGS = {b"!": 1, b"-": 1, b"2": 0, b"3": 1, b"E": 1, b"G": 1, b"M": 1, b"R": 1, b"t": 1, b"V": 1,
             b"{": 1, b"a": 1, b"d": 1, b"J": 1, b" ": 1, b"$": 2, b"\\": 2, b"p": 3, b"c": 2, b"=": 1,
             b"i": 0, b"m": 0, b"@": 0, b"L": 0, b"S": 0, b"U": 1, b"r": 1, b"%": 1, b"e": 1, b"T": 1,
             b"W": 8}
_FS_ARGS = {b"&": 0, b".": 0, b"!": 1, b"C": 1, b"W": 1, b"-": 1, b"S": 2, b"p": 2, b"2": 0}
_GS_ARGS = {b"!": 1, b"B": 1, b"H": 1, b"h": 1, b"w": 1, b"f": 1, b"L": 2, b"W": 2, b"a": 1, b"b": 1,
            b"r": 1, b"I": 1, b"P": 2, b"$": 2, b"/": 1, b"\\": 2, b"^": 3, b"E": 1, b"T": 1, b"g": 2}


@dataclass
class _State:
    chinese: bool = False
    align: str = "left"
    width: int = 1  # GS ! (all glyphs)
    height: int = 1
    ascii_w: int = 1  # ESC ! double width/height (ASCII only in Chinese mode)
    ascii_h: int = 1
    kanji_w: int = 1  # FS ! (Chinese glyphs)
    kanji_h: int = 1
    bold: bool = False
    underline: bool = False
    qr_module: int = 3
    qr_ec: int = 48
    qr_data: bytes = b""


@dataclass
class EscPosInterpreter:
    encoding: str = "gb18030"
    on_status: Callable[[int], None] | None = None  # DLE EOT n
    items: list[Item] = field(default_factory=list)
    printable: bytearray = field(default_factory=bytearray)  # the stream without real-time queries
    cut_offsets: list[int] = field(default_factory=list)  # len(printable) right after each cut

    def __post_init__(self) -> None:
        self._realtime = False
        self._cut_seen = False
        self._buf = bytearray()
        self._st = _State()
        self._runs: list[Run] = []
        self._line_align = "left"

    # -- input ------------------------------------------------------------------------------------
    def feed(self, data: bytes) -> None:
        self._buf += data
        self._parse(final=False)

    def finish(self) -> None:
        self._parse(final=True)
        self._buf.clear()
        self._end_line(force=False)

    # -- the parser -------------------------------------------------------------------------------
    def _parse(self, final: bool) -> None:
        buf = self._buf
        i = 0
        n = len(buf)
        while i < n:
            b = buf[i]
            if b >= 0x20:
                j = i
                while j < n and buf[j] >= 0x20:
                    j += 1
                if j == n and not final:
                    break  # the rest of this text (maybe half a character) comes with the next chunk
                self._text(bytes(buf[i:j]))
                self.printable += buf[i:j]
                i = j
                continue
            self._realtime = self._cut_seen = False
            used = self._control(buf, i, final)
            if used == 0:
                break  # incomplete command: wait for more bytes
            if not self._realtime:
                self.printable += buf[i:i + used]
            if self._cut_seen:
                self.cut_offsets.append(len(self.printable))
            i += used
        del buf[:i]

    def jobs(self) -> list[bytes]:
        """The printable stream split after each cut (a trailing part without a cut included)."""
        out, start = [], 0
        for end in self.cut_offsets:
            out.append(bytes(self.printable[start:end]))
            start = end
        if start < len(self.printable):
            out.append(bytes(self.printable[start:]))
        return out

    def _control(self, buf: bytearray, i: int, final: bool) -> int:
        """Handles the command at buf[i]; returns bytes used, or 0 when it is not complete yet."""
        avail = len(buf) - i
        # An incomplete command waits for more bytes (0); at the end of the data it is dropped whole.
        rest = avail if final else 0
        b = buf[i]
        if b == 0x0A:
            self._end_line(force=True)
            return 1
        if b == 0x09:
            self._text(b"    ")
            return 1
        if b == 0x10:  # DLE
            if avail < 2:
                return rest
            if buf[i + 1] == 0x04:
                if avail < 3:
                    return rest
                self._realtime = True
                if self.on_status is not None:
                    self.on_status(buf[i + 2])
                return 3
            if buf[i + 1] == 0x14:
                return 5 if avail >= 5 else rest
            return 1
        if b in (0x1B, 0x1C, 0x1D):
            if avail < 2:
                return rest
            used = {0x1B: self._esc, 0x1C: self._fs, 0x1D: self._gs}[b](buf, i + 1)
            if used == 0:
                return rest
            return 1 + used  # the prefix byte and what the handler took from the command letter on
        return 1  # other control bytes (NUL, CR, …): ignored

    def _esc(self, buf: bytearray, k: int) -> int:
        c = bytes(buf[k:k + 1])
        n = len(buf)
        st = self._st
        if c == b"*":  # bit image: ESC * m nL nH d…
            if k + 4 > n:
                return 0
            m, cols = buf[k + 1], buf[k + 2] | buf[k + 3] << 8
            size = 4 + cols * (3 if m in (32, 33) else 1)
            return size if k + size <= n else 0
        if c == b"D":  # tab positions, NUL-terminated
            end = buf.find(b"\x00", k + 1)
            return (end - k + 1) if end >= 0 else 0
        args = _ESC_ARGS.get(c, 0)
        if k + 1 + args > n:
            return 0
        a = buf[k + 1] if args else 0
        if c == b"@":
            self._end_line(force=False)
            self._st = _State(qr_module=st.qr_module)
        elif c == b"a":
            st.align = {1: "center", 2: "right", 49: "center", 50: "right"}.get(a, "left")
        elif c == b"E":
            st.bold = bool(a & 1)
        elif c == b"-":
            st.underline = bool(a & 3)
        elif c == b"!":
            st.ascii_w, st.ascii_h = (2 if a & 0x20 else 1), (2 if a & 0x10 else 1)
            st.bold = bool(a & 0x08)
        elif c == b"d":
            self._end_line(force=False)
            self.items.append(FeedDots(30 * a))
        elif c == b"J":
            self._end_line(force=False)
            self.items.append(FeedDots(a))
        elif c in (b"i", b"m"):
            self._cut(partial=c == b"m")
        return 1 + args

    def _fs(self, buf: bytearray, k: int) -> int:
        c = bytes(buf[k:k + 1])
        args = _FS_ARGS.get(c, 0)
        if k + 1 + args > len(buf):
            return 0
        st = self._st
        if c == b"&":
            st.chinese = True
        elif c == b".":
            st.chinese = False
        elif c == b"!":
            a = buf[k + 1]
            st.kanji_w, st.kanji_h = (2 if a & 0x04 else 1), (2 if a & 0x08 else 1)
        elif c == b"W":
            st.kanji_w = st.kanji_h = 2 if buf[k + 1] & 1 else 1
        return 1 + args

    def _gs(self, buf: bytearray, k: int) -> int:
        c = bytes(buf[k:k + 1])
        n = len(buf)
        st = self._st
        if c == b"V":
            if k + 2 > n:
                return 0
            m = buf[k + 1]
            if m in (65, 66, 97, 98, 103, 104):
                if k + 3 > n:
                    return 0
                self._end_line(force=False)
                self.items.append(FeedDots(buf[k + 2]))
                self._cut(partial=m in (66, 98, 104))
                return 3
            self._cut(partial=m in (1, 49))
            return 2
        if c == b"(":  # GS ( X pL pH data
            if k + 4 > n:
                return 0
            size = buf[k + 2] | buf[k + 3] << 8
            if k + 4 + size > n:
                return 0
            if buf[k + 1] == ord("k"):
                self._two_d(bytes(buf[k + 4:k + 4 + size]))
            return 4 + size
        if c == b"v":  # GS v 0 m xL xH yL yH data
            if k + 7 > n:
                return 0
            wb, rows = buf[k + 3] | buf[k + 4] << 8, buf[k + 5] | buf[k + 6] << 8
            size = wb * rows
            if k + 7 + size > n:
                return 0
            self._raster(wb, rows, bytes(buf[k + 7:k + 7 + size]))
            return 7 + size
        if c == b"8":  # GS 8 L p1 p2 p3 p4 …: 32-bit length
            if k + 6 > n:
                return 0
            size = int.from_bytes(buf[k + 2:k + 6], "little")
            return 6 + size if k + 6 + size <= n else 0
        if c == b"k":  # barcode
            if k + 2 > n:
                return 0
            m = buf[k + 1]
            if m <= 6:
                end = buf.find(b"\x00", k + 2)
                return (end - k + 1) if end >= 0 else 0
            if k + 3 > n:
                return 0
            size = buf[k + 2]
            return 3 + size if k + 3 + size <= n else 0
        if c == b"*":  # define downloaded image: x y d…
            if k + 3 > n:
                return 0
            size = buf[k + 1] * buf[k + 2] * 8
            return 3 + size if k + 3 + size <= n else 0
        args = _GS_ARGS.get(c, 0)
        if k + 1 + args > n:
            return 0
        if c == b"!":
            a = buf[k + 1]
            st.width, st.height = (a >> 4 & 7) + 1, (a & 7) + 1
        return 1 + args

    # -- page model -------------------------------------------------------------------------------
    def _text(self, raw: bytes) -> None:
        st = self._st
        text = raw.decode(self.encoding if st.chinese else "cp437", errors="replace")
        if not self._runs:
            self._line_align = st.align
        # In Chinese mode ESC ! enlarges ASCII only and FS ! Chinese only; GS ! applies to both.
        current = ""
        wide_prev: bool | None = None
        for ch in text:
            wide = ord(ch) > 0x7F
            if wide_prev is not None and wide != wide_prev:
                self._add_run(current, wide_prev)
                current = ""
            current += ch
            wide_prev = wide
        if current and wide_prev is not None:
            self._add_run(current, wide_prev)

    def _add_run(self, text: str, wide: bool) -> None:
        st = self._st
        w = st.width * (st.kanji_w if wide else st.ascii_w)
        h = st.height * (st.kanji_h if wide else st.ascii_h)
        run = Run(text, min(w, 8), min(h, 8), st.bold, st.underline)
        last = self._runs[-1] if self._runs else None
        if last is not None and (last.width, last.height, last.bold, last.underline) == (
                run.width, run.height, run.bold, run.underline):
            self._runs[-1] = Run(last.text + text, run.width, run.height, run.bold, run.underline)
        else:
            self._runs.append(run)

    def _end_line(self, force: bool) -> None:
        if self._runs or force:
            runs = self._runs or [Run("", self._st.width, self._st.height)]
            self.items.append(Line(runs, self._line_align if self._runs else self._st.align))
        self._runs = []

    def _cut(self, partial: bool) -> None:
        self._end_line(force=False)
        self.items.append(CutMark(partial))
        self._cut_seen = True

    def _two_d(self, body: bytes) -> None:
        """GS ( k cn fn …: only QR (cn = 49) is drawn."""
        if len(body) < 2 or body[0] != 49:
            return
        fn, params = body[1], body[2:]
        st = self._st
        if fn == 67 and params:
            st.qr_module = min(max(params[0], 1), 16)
        elif fn == 69 and params:
            st.qr_ec = params[0]
        elif fn == 80 and params:
            st.qr_data = params[1:]  # params[0] is m = 48
        elif fn == 81:
            self._end_line(force=False)
            image = _qr(st.qr_data, st.qr_module, st.qr_ec)
            if image is not None:
                self.items.append(Picture(image, st.align, "qr", st.qr_data))

    def _raster(self, width_bytes: int, rows: int, data: bytes) -> None:
        self._end_line(force=False)
        if not width_bytes or not rows or width_bytes * 8 > MAX_IMAGE_DOTS or rows > MAX_IMAGE_ROWS:
            return
        bits = Image.frombytes("1", (width_bytes * 8, rows), data)
        # In the data 1 = print (black); in PIL mode "1" 1 = white: invert through "L".
        image = bits.convert("L").point(lambda v: 255 - v)
        self.items.append(Picture(image, self._st.align, "image"))


_EC = {48: qrcode.constants.ERROR_CORRECT_L, 49: qrcode.constants.ERROR_CORRECT_M,
       50: qrcode.constants.ERROR_CORRECT_Q, 51: qrcode.constants.ERROR_CORRECT_H}


def _qr(data: bytes, module: int, ec: int) -> Image.Image | None:
    if not data:
        return None
    try:
        qr = qrcode.QRCode(error_correction=_EC.get(ec, qrcode.constants.ERROR_CORRECT_M), box_size=module,
                           border=1)
        qr.add_data(data)
        qr.make(fit=True)
        return qr.make_image().get_image().convert("L")
    except (ValueError, qrcode.exceptions.DataOverflowError):
        return None  # a real printer prints nothing for data it cannot encode
