"""Printer status from the DLE EOT real-time replies. A missing reply is "unknown", never "OK"."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Paper = Literal["ok", "near_end", "out", "unknown"]


@dataclass(frozen=True)
class PrinterStatus:
    online: bool | None = None
    cover_open: bool | None = None
    paper: Paper = "unknown"
    error: bool | None = None
    detail: str = ""  # why something is unknown (no reply, connection cannot read, …)

    @property
    def ready(self) -> bool | None:
        """False when anything known stops printing; None when not everything is known; else True."""
        if self.online is False or self.cover_open is True or self.paper == "out" or self.error is True:
            return False
        if None in (self.online, self.cover_open, self.error) or self.paper == "unknown":
            return None
        return True

    @property
    def problem(self) -> str | None:
        """A stable code for the first thing that stops printing."""
        if self.paper == "out":
            return "paper_out"
        if self.cover_open:
            return "cover_open"
        if self.error:
            return "printer_error"
        if self.online is False:
            return "offline"
        return None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ready"] = self.ready
        return d

    def describe(self) -> str:
        """Bilingual lines for maintenance staff."""

        def yn(v: bool | None, yes: str, no: str) -> str:
            return "未知 / unknown" if v is None else (yes if v else no)

        paper = {"ok": "正常 / ok", "near_end": "将尽 / near end", "out": "缺纸 / out",
                 "unknown": "未知 / unknown"}[self.paper]
        ready = {True: "可以打印 / ready", False: "不能打印 / NOT ready",
                 None: "状态未知 / unknown"}[self.ready]
        lines = [
            f"联机 online:     {yn(self.online, '是 / yes', '否 / no')}",
            f"纸仓盖 cover:    {yn(self.cover_open, '打开 / open', '关闭 / closed')}",
            f"纸张 paper:      {paper}",
            f"故障 error:      {yn(self.error, '有 / yes', '无 / no')}",
            f"结论 verdict:    {ready}",
        ]
        if self.detail:
            lines.append(f"说明 detail:     {self.detail}")
        return "\n".join(lines)


def valid_reply(b: int) -> bool:
    """Every DLE EOT reply has bits 1 and 4 set and bits 0 and 7 clear; other bytes are noise."""
    return b & 0x93 == 0x12


def from_replies(printer: int | None, offline: int | None, paper: int | None,
                 detail: str = "") -> PrinterStatus:
    online = None if printer is None else not printer & 0x08
    cover = None if offline is None else bool(offline & 0x04)
    error = None if offline is None else bool(offline & 0x40)
    state: Paper = "unknown"
    if paper is not None:
        if paper & 0x60:
            state = "out"
        elif paper & 0x0C:
            state = "near_end"
        else:
            state = "ok"
    if offline is not None and offline & 0x20:
        state = "out"  # printing stopped because the paper ran out
    return PrinterStatus(online, cover, state, error, detail)
