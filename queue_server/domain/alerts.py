"""Live alerts: what each one watches, and which conditions hold now, from plain facts (no database).

An alert fires when its condition starts to hold for a subject (an item, a window, a device, a case,
a zone) and clears when it stops; a manager acknowledges and resolves it. One alert per kind and
subject at a time: it fires again only after it has cleared."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

DEFAULT_WAIT_MIN = 30  # an item without its own escalation threshold
SERVICE_FACTOR = 2  # a service longer than this × the item's average time
IDLE_MIN = 3  # a staffed open window without a ticket while its items wait
SILENT_S = 90  # a device without a heartbeat for this long
OPEN_MORE_AT = 3  # tickets of one zone over their threshold: suggest opening another window

KINDS: dict[str, tuple[str, str]] = {
    "wait_over": ("等候超时", "Wait over threshold"),
    "service_over": ("办理超时", "Service over expected time"),
    "idle_window": ("窗口空闲但有人等候", "Window idle while its items wait"),
    "unstaffed_window": ("窗口开放但无人值守", "Open window without a clerk"),
    "device_silent": ("设备失联", "Device without heartbeat"),
    "device_paper": ("取号机缺纸或纸将用尽", "Kiosk paper out or low"),
    "case_overdue": ("整改超期", "Rectification case overdue"),
    "open_more": ("建议增开窗口", "Suggest opening another window"),
}


@dataclass(frozen=True)
class Waiting:
    item: str
    zone: str
    since: datetime
    threshold_min: int | None


@dataclass(frozen=True)
class Serving:
    window: str
    item: str
    started: datetime
    expected_min: int


@dataclass(frozen=True)
class WindowFact:
    code: str
    state: str
    staffed: bool
    busy: bool
    idle_since: datetime | None  # the end of its last ticket, or its clerk's sign-in
    primary_items: frozenset[str]


@dataclass(frozen=True)
class DeviceFact:
    name: str
    kind: str
    last_seen: datetime | None
    paper: str | None


@dataclass(frozen=True)
class Facts:
    now: datetime
    hall_open: bool
    today: date
    waiting: list[Waiting] = field(default_factory=list)
    serving: list[Serving] = field(default_factory=list)
    windows: list[WindowFact] = field(default_factory=list)
    devices: list[DeviceFact] = field(default_factory=list)
    overdue_cases: list[tuple[int, date]] = field(default_factory=list)


Condition = tuple[str, str]  # kind, subject


def paper_of(status: dict[str, object] | None) -> str | None:
    """The printer's paper state in a kiosk's heartbeat (`printer_paper`: ok | low | out)."""
    value = (status or {}).get("printer_paper")
    return None if value is None else str(value)


def conditions(f: Facts) -> dict[Condition, dict[str, object]]:
    """The conditions that hold now, each with the facts its message shows."""
    out: dict[Condition, dict[str, object]] = {}
    over_by_zone: dict[str, int] = {}
    for w in f.waiting:
        minutes = (f.now - w.since) / timedelta(minutes=1)
        if minutes > (w.threshold_min or DEFAULT_WAIT_MIN):
            c = out.setdefault(("wait_over", w.item), {"count": 0, "longest_min": 0})
            c["count"] = int(c["count"]) + 1  # type: ignore[call-overload]
            c["longest_min"] = max(int(c["longest_min"]), int(minutes))  # type: ignore[call-overload]
            over_by_zone[w.zone] = over_by_zone.get(w.zone, 0) + 1
    for zone, n in over_by_zone.items():
        if n >= OPEN_MORE_AT:
            out[("open_more", zone)] = {"count": n}
    for s in f.serving:
        minutes = (f.now - s.started) / timedelta(minutes=1)
        if minutes > SERVICE_FACTOR * s.expected_min:
            out[("service_over", s.window)] = {"item": s.item, "minutes": int(minutes)}
    waiting_items = {w.item for w in f.waiting}
    for win in f.windows:
        if f.hall_open and win.state == "open" and not win.staffed:
            out[("unstaffed_window", win.code)] = {}
        idle_for = (f.now - win.idle_since) / timedelta(minutes=1) if win.idle_since else None
        if (
            win.state == "open"
            and win.staffed
            and not win.busy
            and idle_for is not None
            and idle_for > IDLE_MIN
            and win.primary_items & waiting_items
        ):
            out[("idle_window", win.code)] = {"minutes": int(idle_for)}
    for d in f.devices:
        if d.last_seen is None or (f.now - d.last_seen).total_seconds() > SILENT_S:
            if f.hall_open:  # a kiosk switched off at night is no alarm
                out[("device_silent", d.name)] = {"kind": d.kind}
        elif d.kind == "kiosk" and d.paper not in (None, "ok"):
            out[("device_paper", d.name)] = {"paper": d.paper}
    for case_id, due in f.overdue_cases:
        out[("case_overdue", str(case_id))] = {"due_on": due.isoformat()}
    return out
