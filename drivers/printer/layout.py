"""Documents laid out as a short list of printing operations, independent of how they are encoded."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from drivers.printer.documents import AppointmentSlip, Document, Material, NoticeSlip, QueueTicket
from drivers.printer.profiles import FONT_A_WIDTH, PrinterProfile
from drivers.printer.textwidth import text_columns, wrap

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Text:
    """One printed line (already wrapped to the paper)."""

    text: str
    align: Align = "center"
    width: int = 1
    height: int = 1
    bold: bool = False


@dataclass(frozen=True)
class Qr:
    data: str
    module: int = 6
    align: Align = "center"


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    pass


Op = Text | Qr | Feed | Cut

FORMS = {"original": "原件", "copy": "复印件", "original_and_copy": "原件及复印件", "electronic": "电子件"}
REQUIREMENTS = {"required": "必交", "optional": "选交", "later": "容缺后补"}


def clean(text: object) -> str:
    """Printable text only: a control byte in a name or URL must never become a printer command;
    invisible format characters (bidi overrides, zero-width) are dropped as well."""
    out = []
    for c in str(text):
        category = unicodedata.category(c)
        if category in ("Cc", "Cs"):
            out.append(" ")
        elif category != "Cf":
            out.append(c)
    return "".join(out).strip()


def _time(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M")


def _fit_size(text: str, profile: PrinterProfile, largest: int) -> int:
    """Largest magnification (up to `largest`) at which `text` fits on one line."""
    cols = max(text_columns(text), 1)
    for m in range(largest, 1, -1):
        if cols * FONT_A_WIDTH * m <= profile.dots:
            return m
    return 1


def _lines(text: str, profile: PrinterProfile, align: Align = "center", size: int = 1,
           bold: bool = False) -> list[Op]:
    lines = wrap(clean(text), profile.columns // size)
    return [Text(line, align, size, size, bold) for line in lines if line]


def _qr_module(profile: PrinterProfile) -> int:
    return 6 if profile.paper_width_mm == 80 else 5


def layout(doc: Document, profile: PrinterProfile) -> list[Op]:
    if isinstance(doc, QueueTicket):
        return _ticket(doc, profile)
    if isinstance(doc, NoticeSlip):
        return _notice(doc, profile)
    if isinstance(doc, AppointmentSlip):
        return _appointment(doc, profile)
    raise TypeError(f"not a printable document: {type(doc).__name__}")


PRIORITY_MARK = "【优先 PRIORITY】"


def _ticket(t: QueueTicket, p: PrinterProfile) -> list[Op]:
    number = clean(t.number) or "-"
    ops: list[Op] = [*_lines(t.hall_name, p, bold=True)]
    ops += _lines(number, p, size=_fit_size(number, p, 5))
    if t.priority:
        size = 2 if text_columns(PRIORITY_MARK) * 2 <= p.columns else 1
        ops += _lines(PRIORITY_MARK, p, bold=True, size=size)
    if t.appointment_at:
        mark = f"【预约 {clean(t.appointment_at)}】"
        ops += _lines(mark, p, bold=True, size=2 if text_columns(mark) * 2 <= p.columns else 1)
        ops += _lines(f"Appointment {clean(t.appointment_at)}", p)
    service = clean(t.service_name)
    ops += _lines(service, p, size=2 if text_columns(service) * 2 <= p.columns else 1)
    if t.service_name_en:
        ops += _lines(t.service_name_en, p)
    ops += _lines(f"前面还有 {max(t.waiting_ahead, 0)} 人 / {max(t.waiting_ahead, 0)} ahead", p)
    if t.eta_max == 0 or (t.eta_max is None and t.eta_min == 0):  # a window is free for it now
        ops += _lines("预计等候：即将叫号 / ETA: called shortly", p)
    elif t.eta_min is not None and t.eta_max is not None:
        ops += _lines(f"预计等候 {t.eta_min}-{t.eta_max} 分钟 / ETA {t.eta_min}-{t.eta_max} min", p)
    elif t.eta_min is not None or t.eta_max is not None:
        eta = t.eta_min if t.eta_min is not None else t.eta_max
        ops += _lines(f"预计等候约 {eta} 分钟 / ETA {eta} min", p)
    ops += _lines(f"请在 {clean(t.wait_area)} 等候", p)
    if t.window_hint:
        ops += _lines(f"办理窗口 {clean(t.window_hint)}", p)
    if t.status_url:
        ops.append(Qr(clean(t.status_url), _qr_module(p)))
    ops += _lines(clean(t.notice), p)
    if t.notice_en:
        ops += _lines(t.notice_en, p)
    ops += _lines(_time(t.issued_at), p)
    ops.append(Cut())
    return ops


def _material_line(i: int, m: Material) -> str:
    form = FORMS.get(m.form, m.form)
    flag = REQUIREMENTS.get(m.requirement, m.requirement)
    note = f"（{clean(m.note)}）" if m.note else ""
    return f"{i}. [{flag}] {clean(m.name)} {form}{max(m.copies, 0)}份{note}"


def _notice(n: NoticeSlip, p: PrinterProfile) -> list[Op]:
    ops: list[Op] = [*_lines(n.hall_name, p, bold=True)]
    ops += _lines("一次性告知单", p, size=2)
    ops += _lines("One-time notice of required materials", p)
    ops += _lines(n.service_name, p, bold=True)
    ops += _lines(f"事项编码 {clean(n.service_code)}", p)
    ops.append(Feed(1))
    for i, material in enumerate(n.materials, start=1):
        # Continuation lines are indented, so each numbered material stands out as one item.
        wrapped = wrap(clean(_material_line(i, material)), p.columns - 3)
        ops += [Text(line if k == 0 else "   " + line, "left") for k, line in enumerate(wrapped) if line]
    if not n.materials:
        ops += _lines("本事项无需提交材料 / no materials required", p, align="left")
    ops.append(Feed(1))
    ops += _lines("必交=必须提交 选交=视情况提交 容缺后补=可先受理、限期补交", p, align="left")
    ops += _lines("required / optional / may be supplied later", p, align="left")
    if n.guide_url:
        ops.append(Qr(clean(n.guide_url), _qr_module(p)))
        ops += _lines("扫码查看完整办事指南 / scan for the full guide", p)
    ops += _lines(_time(n.printed_at), p)
    ops.append(Cut())
    return ops


def _appointment(a: AppointmentSlip, p: PrinterProfile) -> list[Op]:
    ops: list[Op] = [*_lines(a.hall_name, p, bold=True)]
    ops += _lines("预约凭条 / Appointment", p, size=2 if p.paper_width_mm == 80 else 1)
    ops += _lines(a.service_name, p, bold=True)
    if a.service_name_en:
        ops += _lines(a.service_name_en, p)
    slot = f"{a.slot_start:%Y-%m-%d} {a.slot_start:%H:%M}-{a.slot_end:%H:%M}"
    ops += _lines(slot, p)
    code = clean(a.booking_code) or "-"
    ops += _lines(code, p, size=_fit_size(code, p, 3))
    if a.checkin_url:
        ops.append(Qr(clean(a.checkin_url), _qr_module(p)))
    if a.checkin_from and a.checkin_until:  # the hall's own window, never a fixed number of minutes
        window = f"{a.checkin_from:%H:%M}-{a.checkin_until:%H:%M}"
        ops += _lines(f"请于 {window} 到自助终端刷身份证或扫码签到", p)
        ops += _lines(f"Check in at a kiosk {window} (ID card or this code)", p)
    else:
        ops += _lines("请按预约时间到自助终端刷身份证或扫码签到", p)
        ops += _lines("Check in at a kiosk at your booked time (ID card or this code)", p)
    ops += _lines(_time(a.printed_at), p)
    ops.append(Cut())
    return ops
