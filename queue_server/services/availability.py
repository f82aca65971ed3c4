"""Honest availability: whether a hall, zone or item is open, staffed and issues tickets now.

The calendar rule itself is `domain.calendar`; this module feeds it the hall's facts (weekly hours,
the national calendar, the manager's closures) and the staffing (open windows with a clerk signed
in), kept per process and reloaded whenever the hall's `layout_seq` moves (a closure, a calendar
import, a clerk signing in or out: every process sees it at its next read).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from ..db.models import CalendarDay, Closure, Service, Zone
from ..domain import calendar
from ..domain.calendar import ALWAYS, Availability, DayNote, Schedule
from . import queue
from .errors import Conflict


@dataclass(frozen=True)
class ItemTime:
    code: str
    zone_id: int
    hours: Mapping[str, Sequence[str]] | None
    self_service: bool


@dataclass(frozen=True)
class HallTime:
    """What decides when a hall and its items are open."""

    tz: str
    hours: Mapping[str, Sequence[str]]  # ALWAYS when the hall does not enforce its hours
    enforce: bool
    days: Mapping[date, DayNote]
    closures: Sequence[tuple[int | None, int | None, calendar.Closure]]  # (zone id, item id, closure)
    items: Mapping[int, ItemTime]
    zones: Mapping[int, str]  # zone id -> kind

    def hall_schedule(self) -> Schedule:
        mine = [c for zone, item, c in self.closures if zone is None and item is None]
        return Schedule(self.tz, self.hours, self.days, mine)

    def item_schedule(self, item_id: int) -> Schedule:
        item = self.items[item_id]
        hours = item.hours if self.enforce and item.hours else self.hours
        mine = [
            c
            for zone, it, c in self.closures
            if (zone is None and it is None) or zone == item.zone_id or it == item_id
        ]
        return Schedule(self.tz, hours, self.days, mine)


_ITEMS = (
    select(Service.id, Service.code, Service.zone_id, Service.hours, Zone.kind)
    .join(Zone, Zone.id == Service.zone_id)
    .where(Service.hall_id == bindparam("hall_id"))
)
_ZONES = select(Zone.id, Zone.kind).where(Zone.hall_id == bindparam("hall_id"))
_DAYS = select(CalendarDay.day, CalendarDay.kind, CalendarDay.name, CalendarDay.name_en)
_CLOSURES = select(
    Closure.zone_id, Closure.service_id, Closure.starts_at, Closure.ends_at, Closure.reason, Closure.reason_en
).where(Closure.hall_id == bindparam("hall_id"), Closure.ends_at > bindparam("now"))


def hall_time(session: Session, hall: Any, now: datetime, cache: dict[int, Any] | None = None) -> HallTime:
    """The hall's calendar facts; `hall` is a Hall or a row of its table read in this transaction."""
    if cache is not None:
        kept = cache.get(hall.id)
        if kept is not None and kept[0] == hall.layout_seq:
            return kept[1]
    conn = session.connection()
    params = {"hall_id": hall.id, "now": now}
    found = HallTime(
        tz=hall.timezone,
        hours=hall.hours if hall.enforce_hours else ALWAYS,
        enforce=hall.enforce_hours,
        days={d: DayNote(kind, name, name_en) for d, kind, name, name_en in conn.execute(_DAYS)},  # type: ignore[arg-type]
        closures=[
            (zone, item, calendar.Closure(start, end, reason, reason_en))
            for zone, item, start, end, reason, reason_en in conn.execute(_CLOSURES, params)
        ],
        items={
            sid: ItemTime(code, zone, hours, kind == "self_service")
            for sid, code, zone, hours, kind in conn.execute(_ITEMS, params)
        },
        zones=dict(conn.execute(_ZONES, params).all()),  # type: ignore[arg-type]
    )
    if cache is not None:
        cache[hall.id] = (hall.layout_seq, found)
    return found


def add_working_days(session: Session, start: date, n: int) -> date:
    """The n-th working day after `start` by the national calendar in the database (due dates)."""
    days = {d: DayNote(kind, name, name_en) for d, kind, name, name_en in session.connection().execute(_DAYS)}
    return calendar.add_working_days(start, n, days)  # type: ignore[arg-type]


def staffed_items(layout: queue.Layout) -> set[str]:
    """Codes of the items some open window with a clerk signed in serves (at any level)."""
    return {code for w in layout.windows.values() if w.state == "open" and w.staffed for code in w.skills}


def fields(avail: Availability) -> dict[str, Any]:
    """The availability fields every hall and item view carries."""
    reason = avail.closed_reason
    return {
        "open_now": avail.open_now,
        "open_until": _iso(avail.open_until),
        "next_open": _iso(avail.next_open),
        "closed_reason": reason[0] if reason else None,
        "closed_reason_en": reason[1] if reason else None,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def with_breaks(now: datetime, avail: Availability, minutes: int | None, schedule: Schedule) -> int | None:
    """An ETA in minutes that does not pretend a lunch break (or the night) is not there: the closed
    time between the periods it spans is added."""
    if minutes is None or not avail.open_now:
        return minutes
    left = timedelta(minutes=minutes)
    cursor = now
    local_day = now.astimezone(ZoneInfo(schedule.tz)).date()
    for start, end in schedule.periods_from(local_day - timedelta(days=1), days=8):
        if end <= cursor:
            continue
        cursor = max(cursor, start)
        if cursor + left <= end:
            return round((cursor + left - now).total_seconds() / 60)
        left -= end - cursor
        cursor = end
    return minutes  # beyond a week of opening hours: leave the plain figure


def eta_in_hours(
    session: Session, hall: Any, item_id: int, now: datetime, eta: tuple[int | None, int | None], cache: Any
) -> tuple[int | None, int | None]:
    """A ticket's ETA with the closed time it spans (lunch, the night) added (`with_breaks`)."""
    if eta == (None, None):
        return eta
    schedule = hall_time(session, hall, now, cache).item_schedule(item_id)
    avail = calendar.availability(schedule, now)
    low, high = (with_breaks(now, avail, m, schedule) for m in eta)
    return low, high


def refuse(
    hall: Any,
    item: Row[Any] | Any,
    item_avail: Availability,
    self_service: bool,
    staffed: bool,
    closure: calendar.Closure | None = None,
) -> None:
    """Raise the honest 409 when no walk-in ticket can be issued for the item now."""
    tz = hall.timezone
    nxt = calendar.describe(item_avail.next_open, tz) if item_avail.next_open else None
    when_zh = f"下次办理时间：{nxt[0]}。" if nxt else "近期暂无办理安排。"
    when_en = f"Next opening: {nxt[1]}." if nxt else "No opening is scheduled soon."
    call = f"咨询电话 {hall.phone}。" if hall.phone else ""
    call_en = f"Enquiries: {hall.phone}." if hall.phone else ""
    if self_service:
        where = [p.strip() for p in (item.zone_location or "").split(" / ")]
        place_zh = f"{item.zone_name}（{where[0]}）" if where[0] else item.zone_name
        place_en = f"{item.zone_name_en} area" + (f" ({where[-1]})" if len(where) > 1 else "")
        raise Conflict(
            f"{item.name}在{place_zh}自助办理，无需取号。" + ("" if item_avail.open_now else when_zh),
            f"{item.name_en} is self-service at the {place_en}: no ticket needed."
            + ("" if item_avail.open_now else " " + when_en),
            code="self_service",
            next_open=_iso(item_avail.next_open),
        )
    if not item_avail.open_now:
        why = item_avail.closed_reason
        if why is None and closure is not None:  # closed for part of the day: say why all the same
            why = (closure.reason, closure.reason_en)
        raise Conflict(
            (f"因{why[0]}，" if why else "")
            + f"{item.name}现在不在办理时间，不能取号。{when_zh}现在可以查看办事指南、打印一次性告知单。",
            (f"Closed ({why[1]}). " if why else "")
            + f"{item.name_en} is not open now, so no ticket can be taken. {when_en} "
            "You can read the guide and print the checklist now.",
            code="closed",
            next_open=_iso(item_avail.next_open),
        )
    if not staffed:
        raise Conflict(
            f"{item.name}目前没有工作人员在岗，暂不能取号，请稍后再试或到综合咨询台询问。{call}",
            f"No clerk is serving {item.name_en} right now, so no ticket can be taken. "
            f"Please try again later or ask at the information desk. {call_en}".rstrip(),
            code="unstaffed",
            next_open=_iso(item_avail.next_open),
        )
