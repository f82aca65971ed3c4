"""Each window's call order, computed once on the server with the routing rule (pages only show it).

The waiting queue is split into lines: one per item × class × target window, each in wait order.
Within a line the routing rank only grows with the wait order (escalation is a prefix of it), so a
window's first `n` tickets are among the first `n` of each line it can call; appointments are read
whole (their due time is not wait order). The database counts the lines and sends only their heads:
no row, let alone an ORM object, per waiting ticket.
The rank is `routing.rank_key`, the key by which `routing.call_order` (Call next) sorts.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import CompoundSelect, and_, bindparam, func, select, union_all
from sqlalchemy.orm import Session

from ..db.models import Ticket
from ..domain import routing
from . import queue

SHOWN = 12  # tickets of each window's order sent to pages: what a clerk can read at a glance

_WAITING = and_(
    Ticket.hall_id == bindparam("hall_id"),
    Ticket.business_day == bindparam("day"),
    Ticket.status == "waiting",
)
_LINE = (Ticket.service_id, Ticket.priority_class, Ticket.target_window_id)
# Every line's size and oldest wait start: counted by the database on the queue index.
_SIZES = select(*_LINE, func.count(), func.min(Ticket.wait_since)).where(_WAITING).group_by(*_LINE)
_HEAD_COLUMNS = (Ticket.id, Ticket.number, *_LINE, Ticket.wait_since, Ticket.appointment_at)


@functools.cache
def _heads(untargeted: int, targeted: int, short: int) -> CompoundSelect[Any]:
    """The first SHOWN of each line (index seeks on `ix_tickets_queue`, however long the line) and
    every appointment: all a window's first SHOWN can come from. Lines no longer than SHOWN without a
    target window are read whole, one part per class (`IN` over their items: one seek per item),
    instead of a part each. One statement per shape of the queue (how many long lines have no target
    window, how many lines have one, how many classes of short lines), built once."""

    def line(i: int, target: Any) -> Any:
        return (
            select(*_HEAD_COLUMNS)
            .where(
                _WAITING,
                Ticket.service_id == bindparam(f"s{i}"),
                Ticket.priority_class == bindparam(f"c{i}"),
                target,
            )
            .order_by(Ticket.wait_since, Ticket.id)
            .limit(SHOWN)
            .subquery()
            .select()
        )

    parts = [line(i, Ticket.target_window_id.is_(None)) for i in range(untargeted)]
    parts += [
        line(i, Ticket.target_window_id == bindparam(f"t{i}"))
        for i in range(untargeted, untargeted + targeted)
    ]
    parts += [
        select(*_HEAD_COLUMNS).where(
            _WAITING,
            Ticket.service_id.in_(bindparam(f"w{j}", expanding=True)),
            Ticket.priority_class == bindparam(f"wc{j}"),
            Ticket.target_window_id.is_(None),
        )
        for j in range(short)
    ]
    parts.append(select(*_HEAD_COLUMNS).where(_WAITING, Ticket.priority_class == "appointment"))
    return union_all(*parts)


class Row(NamedTuple):
    """A waiting ticket as plain values: what the rule needs plus its number for display."""

    cand: routing.Candidate
    number: str


LineKey = tuple[str, str, str | None]  # item code, priority class, target window code


# A row's wait order, (wait start, ticket id): a C-level key for sorting hundreds of rows.
wait_order: Callable[[Row], tuple[datetime, int]] = operator.attrgetter("cand.wait_since", "cand.ticket_id")


@dataclass
class HallQueue:
    """Today's waiting tickets of a hall: each line's size and oldest start, and its first tickets."""

    sizes: dict[LineKey, tuple[int, datetime]]
    heads: dict[LineKey, list[Row]]  # in wait order
    layout: queue.Layout
    now: datetime
    _facts: dict[int, tuple[bool, int]] = field(default_factory=dict)
    _ranks: dict[tuple[int, int], routing.RankKey] = field(default_factory=dict)
    _shown: dict[int, dict[str, Any]] = field(default_factory=dict)

    def facts(self, r: Row) -> tuple[bool, int]:
        """Whether the ticket is escalated, and its class rank: the same at every window."""
        got = self._facts.get(r.cand.ticket_id)
        if got is None:
            c = r.cand
            got = self._facts[c.ticket_id] = (
                routing.is_escalated(c, self.layout.escalation, self.now),
                routing.class_rank(c, self.now),
            )
        return got

    def rank(self, r: Row, level: int) -> routing.RankKey:
        """The ticket's rank at a window holding its line at `level` (shared by windows alike)."""
        key = (r.cand.ticket_id, level)
        got = self._ranks.get(key)
        if got is None:
            got = self._ranks[key] = routing.ranked(level, *self.facts(r), r.cand)
        return got

    def shown(self, r: Row) -> dict[str, Any]:
        """A ticket as a window's list shows it, but for its level there (the same at every window)."""
        got = self._shown.get(r.cand.ticket_id)
        if got is None:
            c = r.cand
            got = self._shown[c.ticket_id] = {
                "id": c.ticket_id,
                "number": r.number,
                "service": c.service,
                "priority_class": c.priority_class,
                "wait_since": c.wait_since.isoformat(),
                "target_window": c.target_window,
                "escalated": self.facts(r)[0],
            }
        return got


def _keyer(layout: queue.Layout) -> Callable[[int, str, int | None], LineKey]:
    codes = {sid: i.code for sid, i in layout.items.items()}
    window_codes = {wid: w.code for wid, w in layout.windows.items()}

    def key(sid: int, cls: str, target: int | None) -> LineKey:
        return (codes[sid], cls, window_codes.get(target) if target else None)

    return key


def load(session: Session, hall_id: int, day: date, now: datetime, layout: queue.Layout) -> HallQueue:
    key = _keyer(layout)
    params: dict[str, Any] = {"hall_id": hall_id, "day": day}
    conn = session.connection()
    counted = conn.execute(_SIZES, params).all()
    sizes = {key(sid, cls, target): (n, oldest) for sid, cls, target, n, oldest in counted}
    return HallQueue(sizes, _load_heads(conn, params, counted, key), layout, now)


def line_sizes(
    session: Session, hall_id: int, day: date, layout: queue.Layout
) -> dict[LineKey, tuple[int, datetime]]:
    """Each line's size and oldest wait start: one grouped count on the queue index, no row per ticket."""
    key = _keyer(layout)
    counted = session.connection().execute(_SIZES, {"hall_id": hall_id, "day": day})
    return {key(sid, cls, target): (n, oldest) for sid, cls, target, n, oldest in counted}


def can_call_counts(sizes: dict[LineKey, tuple[int, datetime]], layout: queue.Layout) -> dict[str, int]:
    """How many each window would call (Call next's count): what live events tell the pages. Each line
    counts at the open windows holding its item (or at the one it was transferred to): inside every
    issue and call, so by the item's holders, not by asking every window about every line."""
    counts = dict.fromkeys((w.code for w in layout.windows.values()), 0)
    open_now = {w.code for w in layout.windows.values() if w.state == "open"}
    holders = layout.holders
    for (item, _cls, target), (n, _oldest) in sizes.items():
        for code in (target,) if target is not None else holders.get(item, ()):
            if code in open_now:
                counts[code] += n
    return counts


def _load_heads(
    conn: Any, params: dict[str, Any], counted: Any, key: Callable[[int, str, int | None], LineKey]
) -> dict[LineKey, list[Row]]:
    # Appointment lines are read whole by the statement's last part, short lines whole by class, the
    # other lines by their heads.
    lines, short = [], {}
    for sid, cls, target, n, _o in counted:
        if cls == "appointment":
            continue
        if target is None and n <= SHOWN:
            short.setdefault(cls, []).append(sid)
        else:
            lines.append((sid, cls, target))
    lines.sort(key=lambda k: k[2] is not None)  # untargeted first, as `_heads` numbers them
    untargeted = sum(1 for k in lines if k[2] is None)
    for i, (sid, cls, target) in enumerate(lines):
        params.update({f"s{i}": sid, f"c{i}": cls})
        if target is not None:
            params[f"t{i}"] = target
    for j, (cls, sids) in enumerate(sorted(short.items())):
        params.update({f"w{j}": sids, f"wc{j}": cls})
    heads: dict[LineKey, list[Row]] = {}
    where = {}  # the database's line key -> the line's item code, target window code and list
    for sid, cls, target, _n, _o in counted:
        k = key(sid, cls, target)
        where[sid, cls, target] = (k[0], k[2], heads.setdefault(k, []))
    candidate, row = routing.Candidate, Row
    for tid, number, sid, cls, target, since, appt in conn.execute(
        _heads(untargeted, len(lines) - untargeted, len(short)), params
    ).all():
        code, window, line = where[sid, cls, target]
        line.append(row(candidate(tid, code, since, cls, appt, window), number))
    for line in heads.values():
        line.sort(key=wait_order)
    return heads


@dataclass(frozen=True)
class WindowQueue:
    can_call: int  # tickets this window would call, in all (0 when paused or closed)
    first: list[dict[str, Any]]  # the first SHOWN of them, in call order


def of_window(window: routing.WindowView, q: HallQueue) -> WindowQueue:
    if window.state != "open":
        return WindowQueue(0, [])
    lines = [(k, level) for k in q.sizes if (level := routing.level_for(window, k[0], k[2])) is not None]
    rank = q.rank

    def keyed(k: LineKey, level: int) -> Iterable[tuple[routing.RankKey, int, Row]]:
        line = ((rank(r, level), level, r) for r in q.heads.get(k, ()))
        return sorted(line) if k[1] == "appointment" else line  # a key is unique (ticket id last)

    # Each line is already in rank order (appointments: sorted here, few); merging them yields the
    # window's order, and only its first SHOWN are ever ranked: cheap with thousands waiting.
    first_rows = itertools.islice(heapq.merge(*(keyed(k, level) for k, level in lines)), SHOWN)
    first = [{**q.shown(r), "level": level} for _key, level, r in first_rows]
    return WindowQueue(sum(q.sizes[k][0] for k, _level in lines), first)
