"""Each window's call order, computed once on the server with the routing rule (pages only show it).

The waiting queue is read as plain rows (no ORM object per ticket) and split into lines: one per
item × class × target window, each already in wait order. Within such a line the routing rank only
grows with the wait order (escalation is a prefix of it), so a window's first `n` tickets are among
the first `n` of each line it can call; appointments are kept whole (their due time is not wait order).
The rank itself is `routing.call_order`, the very function Call next uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..db.models import Ticket
from ..domain import routing
from . import queue

SHOWN = 12  # tickets of each window's order sent to pages: what a clerk can read at a glance

_WAITING = (
    select(
        Ticket.id,
        Ticket.number,
        Ticket.service_id,
        Ticket.wait_since,
        Ticket.priority_class,
        Ticket.appointment_at,
        Ticket.target_window_id,
    )
    .where(
        Ticket.hall_id == bindparam("hall_id"),
        Ticket.business_day == bindparam("day"),
        Ticket.status == "waiting",
    )
    .order_by(Ticket.wait_since, Ticket.id)
)


@dataclass(frozen=True)
class Row:
    """A waiting ticket as plain values: what the rule needs plus its number for display."""

    cand: routing.Candidate
    number: str


LineKey = tuple[str, str, str | None]  # item code, priority class, target window code


@dataclass
class HallQueue:
    """Today's waiting tickets of a hall, in wait order and split into lines."""

    rows: list[Row]
    lines: dict[LineKey, list[Row]]
    layout: queue.Layout
    now: datetime


def load(session: Session, hall_id: int, day: date, now: datetime, layout: queue.Layout) -> HallQueue:
    codes = {sid: i.code for sid, i in layout.items.items()}
    window_codes = {wid: w.code for wid, w in layout.windows.items()}
    rows = [
        Row(
            routing.Candidate(
                ticket_id=tid,
                service=codes[sid],
                wait_since=since,
                priority_class=cls,  # type: ignore[arg-type]
                appointment_at=appt,
                target_window=window_codes.get(target) if target else None,
            ),
            number,
        )
        for tid, number, sid, since, cls, appt, target in session.connection().execute(
            _WAITING, {"hall_id": hall_id, "day": day}
        )
    ]
    lines: dict[LineKey, list[Row]] = {}
    for r in rows:
        c = r.cand
        lines.setdefault((c.service, c.priority_class, c.target_window), []).append(r)
    return HallQueue(rows, lines, layout, now)


@dataclass(frozen=True)
class WindowQueue:
    can_call: int  # tickets this window would call, in all (0 when paused or closed)
    first: list[dict[str, Any]]  # the first SHOWN of them, in call order


def _callable_lines(window: routing.WindowView, q: HallQueue) -> Iterable[list[Row]]:
    for (service, _cls, target), line in q.lines.items():
        if routing.level_for(window, service, target) is not None:
            yield line


def of_window(window: routing.WindowView, q: HallQueue) -> WindowQueue:
    if window.state != "open":
        return WindowQueue(0, [])
    lines = list(_callable_lines(window, q))
    heads = [
        r for line in lines for r in (line if line[0].cand.priority_class == "appointment" else line[:SHOWN])
    ]
    by_id = {r.cand.ticket_id: r for r in heads}
    escalation = q.layout.escalation
    order = routing.call_order(window, [r.cand for r in heads], escalation, q.now)[:SHOWN]
    first = []
    for c in order:
        level = routing.level_at(window, c)
        first.append(
            {
                "id": c.ticket_id,
                "number": by_id[c.ticket_id].number,
                "service": c.service,
                "priority_class": c.priority_class,
                "wait_since": c.wait_since.isoformat(),
                "target_window": c.target_window,
                "level": level,
                "escalated": routing.is_escalated(c, escalation, q.now),
            }
        )
    return WindowQueue(sum(len(line) for line in lines), first)
