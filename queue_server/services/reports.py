"""Reports: counts, waits, outcomes and ratings of a hall over days, by zone, item, window, clerk or
period. Past days are read from the summary (report_daily), built once per day from the tickets;
today is counted live. The figures and their definitions: domain/report_figures.py."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import access
from ..db.models import (
    Alert,
    Evaluation,
    Hall,
    RectificationCase,
    ReportDaily,
    ReportDay,
    Service,
    Ticket,
    TicketOutcome,
    User,
    Window,
    Zone,
)
from ..domain import alerts as alert_rules
from ..domain import calendar
from ..domain.cases import FINAL, STATE_ZH
from ..domain.report_figures import FIGURES, add, empty, figures, minutes_up
from . import lookup
from .context import Actor, Context
from .errors import Invalid

By = Literal["hall", "zone", "item", "window", "clerk", "day", "week", "month"]
BY_ZH = {
    "hall": "大厅",
    "zone": "功能区",
    "item": "事项",
    "window": "窗口",
    "clerk": "工作人员",
    "day": "日",
    "week": "周",
    "month": "月",
}
MAX_DAYS = 366 * 2
Key = tuple[int, int, int]  # service, window (0: none), clerk (0: none)
STATUS_COUNTER = {
    "done": "served",
    "no_show": "no_show",
    "transferred": "transferred",
    "cancelled": "cancelled",
}


def mark_stale(s: Session, hall_id: int, day: date) -> None:
    """A late change to a day (a rating, an appeal, a call-back, an outcome): rebuild it, and its week
    and month, when next read."""
    for span in SPANS:
        s.execute(
            delete(ReportDay).where(
                ReportDay.hall_id == hall_id,
                ReportDay.span == span,
                ReportDay.business_day == start_of(span, day),
            )
        )


SPANS = ("day", "week", "month")
# The spans a grouping can read (a week may straddle two months); the others: any.
SPANS_OF: dict[str, tuple[str, ...]] = {"day": ("day",), "week": ("week", "day"), "month": ("month", "day")}
DAY_GROUP_MAX = 92  # days in a report by day (more: by week or month)


def start_of(span: str, day: date) -> date:
    if span == "week":
        return day - timedelta(days=day.weekday())
    if span == "month":
        return day.replace(day=1)
    return day


def end_of(span: str, start: date) -> date:
    if span == "week":
        return start + timedelta(days=6)
    if span == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start


def cover(first: date, last: date, spans: tuple[str, ...]) -> list[tuple[str, date]]:
    """[first, last] as the fewest summary spans: whole months, then whole weeks, then days."""
    out = []
    day = first
    while day <= last:
        for span in ("month", "week", "day"):
            if span in spans and start_of(span, day) == day and end_of(span, day) <= last:
                out.append((span, day))
                day = end_of(span, day) + timedelta(days=1)
                break
    return out


def count_day(s: Session, hall_id: int, day: date) -> dict[Key, dict[str, Any]]:
    """The counters of one business day, from the tickets and what hangs on them."""
    rows: dict[Key, dict[str, Any]] = {}
    key_of: dict[int, Key] = {}

    def acc(key: Key) -> dict[str, Any]:
        return rows.setdefault(key, empty())

    tickets = s.execute(
        select(
            Ticket.id,
            Ticket.service_id,
            Ticket.window_id,
            Ticket.clerk_id,
            Ticket.status,
            Ticket.transferred_from_id,
            Ticket.issued_at,
            Ticket.called_at,
            Ticket.started_at,
            Ticket.ended_at,
        ).where(Ticket.hall_id == hall_id, Ticket.business_day == day)
    )
    for tid, sid, wid, cid, status, successor_of, issued, called, started, ended in tickets:
        key = (sid, wid or 0, cid or 0)
        key_of[tid] = key
        a = acc(key)
        if successor_of is None:  # a transfer continues its ticket
            a["issued"] += 1
            if called is not None:
                _observe(a, "wait", called - issued)
        if status in STATUS_COUNTER:
            a[STATUS_COUNTER[status]] += 1
        if status == "done" and started is not None and ended is not None:
            _observe(a, "service", ended - started)
    if not key_of:
        return rows
    day_tickets = select(Ticket.id).where(Ticket.hall_id == hall_id, Ticket.business_day == day)
    for tid, kind in s.execute(
        select(TicketOutcome.ticket_id, TicketOutcome.kind).where(TicketOutcome.ticket_id.in_(day_tickets))
    ):
        acc(key_of[tid])[kind] += 1
    ratings = s.execute(
        select(
            Evaluation.ticket_id, Evaluation.level, Evaluation.excluded, RectificationCase.callback_reached
        )
        .outerjoin(RectificationCase, RectificationCase.evaluation_id == Evaluation.id)
        .where(Evaluation.ticket_id.in_(day_tickets))
    )
    for tid, level, excluded, callback in ratings:
        a = acc(key_of[tid])
        if excluded:
            a["rated_excluded"] += 1
        elif level <= 2:
            a["rated_bad"] += 1
            a["called_back"] += callback is not None
        else:
            a["rated_good"] += 1
    return rows


def _observe(a: dict[str, Any], what: str, span: timedelta) -> None:
    seconds = round(span.total_seconds())
    if what == "wait":
        a["waited"] += 1
        a["wait_s"] += seconds
    else:
        a["service_n"] += 1
        a["service_s"] += seconds
    hist = a[f"{what}_hist"]
    minute = str(minutes_up(seconds))
    hist[minute] = hist.get(minute, 0) + 1


def _store(
    s: Session, hall_id: int, span: str, start: date, rows: dict[Key, dict[str, Any]], now: Any
) -> None:
    where = (ReportDaily.hall_id == hall_id, ReportDaily.span == span, ReportDaily.business_day == start)
    s.execute(delete(ReportDaily).where(*where))
    if rows:
        s.execute(
            insert(ReportDaily),
            [
                {
                    "hall_id": hall_id,
                    "span": span,
                    "business_day": start,
                    "service_id": k[0],
                    "window_id": k[1],
                    "clerk_id": k[2],
                    "counters": v,
                }
                for k, v in rows.items()
            ],
        )
    s.execute(
        delete(ReportDay).where(
            ReportDay.hall_id == hall_id, ReportDay.span == span, ReportDay.business_day == start
        )
    )
    s.add(ReportDay(hall_id=hall_id, span=span, business_day=start, built_at=now))


def _read(s: Session, hall_id: int, span: str, start: date) -> list[tuple[Key, dict[str, Any]]]:
    found = s.execute(
        select(
            ReportDaily.service_id, ReportDaily.window_id, ReportDaily.clerk_id, ReportDaily.counters
        ).where(ReportDaily.hall_id == hall_id, ReportDaily.span == span, ReportDaily.business_day == start)
    )
    return [((sv, w, c), counters) for sv, w, c, counters in found]


def build(ctx: Context, hall_id: int, span: str, start: date) -> None:
    """Write one ended span's summary: a day from its tickets, a week or month from its days."""
    with ctx.sessions() as s, s.begin():
        if span == "day":
            rows = count_day(s, hall_id, start)
        else:
            rows = {}
            for _, day in cover(start, end_of(span, start), ("day",)):
                for key, counters in _read(s, hall_id, "day", day):
                    add(rows.setdefault(key, empty()), counters)
        _store(s, hall_id, span, start, rows, ctx.clock())


def ensure_built(ctx: Context, hall_id: int, first: date, last: date, spans: tuple[str, ...] = SPANS) -> int:
    """Build what the cover of [first, last] (ended days) lacks: its days first, then weeks and months."""
    parts = cover(first, last, spans)
    with ctx.read() as s:
        built = {
            (span, start)
            for span, start in s.execute(
                select(ReportDay.span, ReportDay.business_day).where(
                    ReportDay.hall_id == hall_id, ReportDay.business_day.between(first, last)
                )
            )
        }
    todo = [p for p in parts if p not in built]
    days = sorted(
        {("day", d) for span, start in todo for _, d in cover(start, end_of(span, start), ("day",))} - built
    )
    for span, start in days + [p for p in todo if p[0] != "day"]:
        with contextlib.suppress(IntegrityError):  # another report built it at the same moment
            build(ctx, hall_id, span, start)
    return len(todo)


def build_recent(ctx: Context, days: int = 7) -> int:
    """Summarise the last ended days of every hall ahead of time (the server runs this with its alert
    checks), so that reports seldom wait for a build; how many spans were built."""
    built = 0
    with ctx.read() as s:
        halls = s.execute(select(Hall.id, Hall.timezone, Hall.day_starts)).all()
    for hall_id, tz, day_starts in halls:
        yesterday = calendar.business_day(ctx.clock(), tz, day_starts) - timedelta(days=1)
        built += ensure_built(ctx, hall_id, yesterday - timedelta(days=days - 1), yesterday, ("day",))
    return built


def report(
    ctx: Context, actor: Actor, hall_code: str, first: date, last: date, by: By = "item"
) -> dict[str, Any]:
    """The report of a hall over [first, last] (business days, inclusive), one row per `by` group."""
    access.check(actor, "report.read", hall_code)
    if by not in BY_ZH:
        raise Invalid(f"不能按「{by}」分组", f"cannot group by {by}")
    if last < first or (last - first).days >= MAX_DAYS:
        raise Invalid(
            f"报表的日期范围须从早到晚且不超过 {MAX_DAYS} 天",
            f"the range must run forward, {MAX_DAYS} days at most",
        )
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        hall_id, tz, day_starts = hall.id, hall.timezone, hall.day_starts
    if by == "day" and (last - first).days >= DAY_GROUP_MAX:
        raise Invalid(
            f"按日分组最多 {DAY_GROUP_MAX} 天，更长的范围请按周或按月分组",
            f"by day covers {DAY_GROUP_MAX} days at most: group a longer range by week or month",
        )
    today = calendar.business_day(ctx.clock(), tz, day_starts)
    spans = SPANS_OF.get(by, SPANS)
    ended = cover(first, min(last, today - timedelta(days=1)), spans)
    if ended:
        ensure_built(ctx, hall_id, first, min(last, today - timedelta(days=1)), spans)
    with ctx.read() as s:
        hall = s.get(Hall, hall_id)
        assert hall is not None
        names = _names(s, hall)
        group = _grouper(by, names)
        groups: dict[Any, dict[str, Any]] = {}
        total = empty()
        parts: list[tuple[date, Key, dict[str, Any]]] = [
            (start, key, counters)
            for span, start in ended
            for key, counters in _read(s, hall_id, span, start)
        ]
        if first <= today <= last:
            parts += [(today, k, v) for k, v in count_day(s, hall_id, today).items()]
        for day, key, counters in parts:
            g = group(day, key)
            add(groups.setdefault(g, empty()), counters)
            add(total, counters)
        rows = [
            {"key": str(g), "label": names["label"](by, g), "figures": figures(acc)}
            for g, acc in sorted(groups.items(), key=lambda kv: str(kv[0]))
        ]
        return {
            "hall": hall.code,
            "hall_name": hall.name,
            "from": first.isoformat(),
            "to": last.isoformat(),
            "by": by,
            "by_zh": BY_ZH[by],
            "columns": [{"key": f.key, "zh": f.zh, "en": f.en, "unit": f.unit} for f in FIGURES],
            "rows": rows,
            "total": figures(total),
            "cases": _cases(s, hall, first, last, today),
            "case_labels": {**STATE_ZH, "overdue": "已超期"},
            "alerts": _alerts(s, hall, first, last),
            "alert_labels": {k: zh for k, (zh, _) in alert_rules.KINDS.items()},
        }


def _grouper(by: str, names: dict[str, Any]) -> Callable[[date, Key], Any]:
    zone_of = names["zone_of"]
    return {
        "hall": lambda d, k: "all",
        "zone": lambda d, k: zone_of.get(k[0], 0),
        "item": lambda d, k: k[0],
        "window": lambda d, k: k[1],
        "clerk": lambda d, k: k[2],
        "day": lambda d, k: d.isoformat(),
        "week": lambda d, k: (d - timedelta(days=d.weekday())).isoformat(),
        "month": lambda d, k: d.strftime("%Y-%m"),
    }[by]


def _names(s: Session, hall: Hall) -> dict[str, Any]:
    items = {
        i: (code, name)
        for i, code, name in s.execute(
            select(Service.id, Service.code, Service.name).where(Service.hall_id == hall.id)
        )
    }
    zones = {i: name for i, name in s.execute(select(Zone.id, Zone.name).where(Zone.hall_id == hall.id))}
    windows = {
        i: name for i, name in s.execute(select(Window.id, Window.name).where(Window.hall_id == hall.id))
    }
    clerks = {
        i: (full or user) for i, user, full in s.execute(select(User.id, User.username, User.full_name))
    }
    zone_of = dict(s.execute(select(Service.id, Service.zone_id).where(Service.hall_id == hall.id)).all())

    def label(by: str, g: Any) -> str:
        if by == "hall":
            return hall.name
        if by == "zone":
            return zones.get(g, "—")
        if by == "item":
            code, name = items.get(g, ("?", "?"))
            return f"{name}（{code}）"
        if by == "window":
            return windows.get(g, "未叫号 / not called")
        if by == "clerk":
            return clerks.get(g, "未叫号 / not called")
        return str(g)

    return {"label": label, "zone_of": zone_of}


def _alerts(s: Session, hall: Hall, first: date, last: date) -> dict[str, int]:
    """Alerts fired during the range's days (from the start of `first` to the start of the day after
    `last`, in the hall's time zone), by kind."""
    tz = ZoneInfo(hall.timezone)
    start = datetime.combine(first, time(0), tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tz)
    counts = dict.fromkeys(alert_rules.KINDS, 0)
    for kind, n in s.execute(
        select(Alert.kind, func.count())
        .where(Alert.hall_id == hall.id, Alert.fired_at >= start, Alert.fired_at < end)
        .group_by(Alert.kind)
    ):
        counts[kind] = n
    return counts


def _cases(s: Session, hall: Hall, first: date, last: date, today: date) -> dict[str, int]:
    """The rectification cases of bad ratings given to tickets of the range, by state, and overdue."""
    in_range = (
        select(RectificationCase.status, RectificationCase.due_on)
        .join(Evaluation, Evaluation.id == RectificationCase.evaluation_id)
        .join(Ticket, Ticket.id == Evaluation.ticket_id)
        .where(RectificationCase.hall_id == hall.id, Ticket.business_day.between(first, last))
    )
    counts = dict.fromkeys(STATE_ZH, 0) | {"overdue": 0}
    for status, due in s.execute(in_range):
        counts[status] += 1
        counts["overdue"] += status not in FINAL and today > due
    return counts
