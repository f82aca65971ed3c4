"""Load the live queue of a hall into the routing module's plain values.

Reads plain rows, not ORM objects, and only the part of the queue that matters for the question
asked: issuing and calling stay fast with thousands of tickets waiting.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import Any

from sqlalchemy import CompoundSelect, Select, and_, bindparam, false, func, or_, select, union_all
from sqlalchemy.orm import Session

from ..db.models import Hall, Service, Ticket, Window, WindowPost, WindowSkill
from ..db.types import UTCDateTime
from ..domain import calendar, routing
from ..domain.estimate import REPLAY_LIMIT, eta_range, on_clock, remaining, replayed_range, replayed_wait


@dataclass
class RoutingState:
    day: date
    now: datetime
    layout: Layout
    candidates: list[routing.Candidate]

    @property
    def services(self) -> dict[int, ItemFacts]:
        return self.layout.items

    @property
    def windows(self) -> dict[int, routing.WindowView]:
        return self.layout.windows

    @property
    def escalation(self) -> dict[str, timedelta | None]:
        return self.layout.escalation


_WINDOWS = (
    select(
        Window.id,
        Window.code,
        Window.state,
        WindowPost.user_id.is_not(None),
        WindowSkill.service_id,
        WindowSkill.level,
    )
    .outerjoin(WindowSkill, WindowSkill.window_id == Window.id)
    .outerjoin(WindowPost, WindowPost.window_id == Window.id)
    .where(Window.hall_id == bindparam("hall_id"))
    .order_by(Window.code)
)


def _window_views(session: Session, hall_id: int, codes: dict[int, str]) -> dict[int, routing.WindowView]:
    rows = session.connection().execute(_WINDOWS, {"hall_id": hall_id}).all()
    skills: dict[int, dict[str, int]] = {}
    meta: dict[int, tuple[str, str, bool]] = {}
    for wid, code, state, staffed, service_id, level in rows:
        meta[wid] = (code, state, bool(staffed))
        entry = skills.setdefault(wid, {})
        if service_id is not None:
            entry[codes[service_id]] = level
    return {
        wid: routing.WindowView(code, state, skills[wid], staffed)  # type: ignore[arg-type]
        for wid, (code, state, staffed) in meta.items()
    }


_COLUMNS = (
    Ticket.id,
    Ticket.service_id,
    Ticket.wait_since,
    Ticket.priority_class,
    Ticket.appointment_at,
    Ticket.target_window_id,
)


@functools.cache
def _heads(n_items: int) -> CompoundSelect[Any]:
    """The first waiting ticket of each (item, class) line of a window's items, its appointments, and
    the tickets transferred to it: each line is already in wait order, so no other ticket can be
    called before all of these. Index seeks, however long the queue (built once per item count)."""
    waiting = and_(
        Ticket.hall_id == bindparam("hall_id"),
        Ticket.business_day == bindparam("day"),
        Ticket.status == "waiting",
    )
    parts = [
        select(*_COLUMNS)
        .where(
            waiting,
            Ticket.service_id == bindparam(f"item_{i}"),
            Ticket.priority_class == cls,
            Ticket.target_window_id.is_(None),
        )
        .order_by(Ticket.wait_since, Ticket.id)
        .limit(1)
        .subquery()
        .select()
        for i in range(n_items)
        for cls in ("normal", "priority")
    ]
    parts.append(
        select(*_COLUMNS).where(
            waiting,
            Ticket.service_id.in_(bindparam("items", expanding=True)),
            Ticket.priority_class == "appointment",
            Ticket.target_window_id.is_(None),
        )
    )
    parts.append(select(*_COLUMNS).where(waiting, Ticket.target_window_id == bindparam("window_id")))
    return union_all(*parts)


LAYOUT_SEQ = select(Hall.layout_seq).where(Hall.id == bindparam("hall_id"))


def call_candidates(
    session: Session, hall: Hall, window_id: int, now: datetime, cache: dict[int, Any] | None = None
) -> RoutingState:
    """What the routing rule needs to pick the next ticket of one window (see `_heads`). The caller
    holds the hall's lock: the layout version read here is current until the commit."""
    day = calendar.business_day(now, hall.timezone, hall.day_starts)
    version = session.connection().execute(LAYOUT_SEQ, {"hall_id": hall.id}).scalar_one()
    found = layout(session, hall.id, version, cache)
    windows = found.windows
    codes = {sid: i.code for sid, i in found.items.items()}
    mine = [sid for sid, code in codes.items() if code in windows[window_id].skills]
    params: dict[str, Any] = {"hall_id": hall.id, "day": day, "items": mine, "window_id": window_id}
    params.update({f"item_{i}": sid for i, sid in enumerate(mine)})
    candidates = [
        routing.Candidate(
            ticket_id=tid,
            service=codes[sid],
            wait_since=since,
            priority_class=cls,  # type: ignore[arg-type]
            appointment_at=appt,
            target_window=windows[target].code if target else None,
        )
        for tid, sid, since, cls, appt, target in session.connection().execute(_heads(len(mine)), params)
    ]
    return RoutingState(day, now, found, candidates)


_RECENT = (
    select(Ticket.started_at, Ticket.ended_at)
    .where(
        Ticket.service_id == bindparam("service_id"), Ticket.status == "done", Ticket.started_at.is_not(None)
    )
    .order_by(Ticket.ended_at.desc())
    .limit(bindparam("limit"))
)


def recent_service_minutes(session: Session, service_id: int, limit: int = 20) -> list[float]:
    rows = session.connection().execute(_RECENT, {"service_id": service_id, "limit": limit}).all()
    return [(end - start).total_seconds() / 60 for start, end in rows if start and end]


@dataclass(frozen=True)
class Waiting:
    """What decides a waiting ticket's place in line, as plain values."""

    id: int
    hall_id: int
    service_id: int
    business_day: date
    wait_since: datetime
    priority_class: str
    appointment_at: datetime | None
    target_window_id: int | None

    @classmethod
    def of(cls, t: Ticket) -> Waiting:
        return cls(
            t.id,
            t.hall_id,
            t.service_id,
            t.business_day,
            t.wait_since,
            t.priority_class,
            t.appointment_at,
            t.target_window_id,
        )


@dataclass(frozen=True)
class ItemFacts:
    code: str
    escalate_after_min: int | None
    avg_service_min: int


_ITEMS = select(Service.id, Service.code, Service.escalate_after_min, Service.avg_service_min).where(
    Service.hall_id == bindparam("hall_id")
)


def _items(session: Session, hall_id: int) -> dict[int, ItemFacts]:
    rows = session.connection().execute(_ITEMS, {"hall_id": hall_id})
    return {sid: ItemFacts(code, esc, avg) for sid, code, esc, avg in rows}


@dataclass(frozen=True)
class Layout:
    """A hall's items and windows as the routing rule sees them."""

    items: dict[int, ItemFacts]
    windows: dict[int, routing.WindowView]  # by window id
    # The items' typical service times and the hall's `served_seq` they were read at (replay).
    typical: list[tuple[int, dict[str, float]]] = field(default_factory=list, compare=False)

    @functools.cached_property
    def escalation(self) -> dict[str, timedelta | None]:
        """Each item's escalation threshold (the layout is cached per process and never changed)."""
        return {
            i.code: timedelta(minutes=i.escalate_after_min) if i.escalate_after_min else None
            for i in self.items.values()
        }

    @functools.cached_property
    def holders(self) -> dict[str, tuple[str, ...]]:
        """Each item's windows (codes), at any level."""
        found: dict[str, list[str]] = {}
        for w in self.windows.values():
            for item in w.skills:
                found.setdefault(item, []).append(w.code)
        return {item: tuple(codes) for item, codes in found.items()}


def layout(
    session: Session, hall_id: int, version: int | None = None, cache: dict[int, Any] | None = None
) -> Layout:
    """The hall's layout; with the hall's `layout_seq` (read in this transaction) and a process-wide
    `cache`, read from the database only when it changed."""
    if version is not None and cache is not None:
        kept = cache.get(hall_id)
        if kept is not None and kept[0] == version:
            return kept[1]
    items = _items(session, hall_id)
    found = Layout(items, _window_views(session, hall_id, {sid: i.code for sid, i in items.items()}))
    if version is not None and cache is not None:
        cache[hall_id] = (version, found)
    return found


Estimate = tuple[int, int | None, int | None]  # tickets ahead, eta_min, eta_max


def estimate(
    session: Session,
    t: Waiting,
    now: datetime,
    closed: Mapping[int, Sequence[tuple[float, float]]] | None = None,
    hall: Layout | None = None,
) -> Estimate:
    """(tickets ahead, eta_min, eta_max) for a waiting ticket."""
    return estimates(session, [t], now, hall=hall, closed=closed)[t.id]


def estimates(
    session: Session,
    together: list[Waiting],
    now: datetime,
    hall: Layout | None = None,
    closed: Mapping[int, Sequence[tuple[float, float]]] | None = None,
) -> dict[int, Estimate]:
    """The estimates of waiting tickets of one hall, from one count of the queue.

    `together` is one ticket, or tickets issued in one transaction (same wait start, no other ticket
    between them in wait order). The database counts the rest of the queue in buckets
    (`routing.Bucket`) relative to the first of them, never ticket by ticket; the tickets themselves
    are added here. `closed`: per item, today's breaks still to come in minutes from now
    (`availability.closed_ahead`); the queue waits over them, and the ranges are on the clock.
    """
    first = min(together, key=lambda t: (t.wait_since, t.id))
    hall = hall or layout(session, first.hall_id)
    items, views, escalation = hall.items, hall.windows, hall.escalation
    servers = {
        t.id: [
            wid
            for wid, w in views.items()
            if w.state == "open"
            and w.staffed
            and (items[t.service_id].code in w.skills or wid == t.target_window_id)
        ]
        for t in together
    }
    mine = {
        t.id: routing.Candidate(
            t.id,
            items[t.service_id].code,
            t.wait_since,
            t.priority_class,  # type: ignore[arg-type]
            t.appointment_at,
            views[t.target_window_id].code if t.target_window_id else None,
        )
        for t in together
    }
    rest = _buckets(
        session,
        first,
        [t.id for t in together],
        {t.service_id for t in together},
        items,
        views,
        sorted({wid for ws in servers.values() for wid in ws}),
        now,
    )
    among = routing.buckets_among(mine.values(), escalation, now)  # the tickets of `together`
    replay = None
    if any(servers.values()) and sum(b.count for b in rest) + len(together) <= REPLAY_LIMIT:
        replay = _replay_state(session, first, hall, now)
    recent: dict[int, list[float]] = {}
    out: dict[int, Estimate] = {}
    for t in together:
        me = mine[t.id]
        gaps = (closed or {}).get(t.service_id, ())
        buckets = rest + among[t.id]
        if not servers[t.id]:
            # Nobody serves the item now: say how many of its tickets came first, and no ETA.
            out[t.id] = (sum(b.count for b in buckets if b.service == me.service and b.earlier), None, None)
            continue
        ahead, serving = routing.count_ahead(me, list(views.values()), buckets, escalation, now)
        if replay is not None:
            queue, typical, busy = replay
            others = [c for c in queue if c.ticket_id != me.ticket_id] + [
                m for m in mine.values() if m is not me
            ]
            minutes = replayed_wait(
                me, list(views.values()), others, escalation, now, typical, busy, closed=gaps
            )
            if minutes is not None:
                out[t.id] = (ahead, *replayed_range(minutes, gaps))
                continue
        if t.service_id not in recent:
            recent[t.service_id] = recent_service_minutes(session, t.service_id)
        item = items[t.service_id]
        counted = eta_range(ahead, serving, recent[t.service_id], item.avg_service_min)
        out[t.id] = (ahead, *on_clock(counted, gaps))
    return out


_QUEUE = select(*_COLUMNS).where(
    Ticket.hall_id == bindparam("hall_id"),
    Ticket.business_day == bindparam("day"),
    Ticket.status == "waiting",
)
_CURRENT = select(Ticket.window_id, Ticket.service_id, Ticket.called_at).where(
    Ticket.hall_id == bindparam("hall_id"),
    Ticket.business_day == bindparam("day"),
    Ticket.status.in_(("called", "serving")),
)
_RECENT_ALL = (
    select(Ticket.service_id, Ticket.started_at, Ticket.ended_at)
    .where(Ticket.hall_id == bindparam("hall_id"), Ticket.status == "done", Ticket.started_at.is_not(None))
    .order_by(Ticket.ended_at.desc())
    .limit(600)
)


def _replay_state(
    session: Session, t: Waiting, hall: Layout, now: datetime
) -> tuple[list[routing.Candidate], dict[str, float], dict[str, float]]:
    """What `estimate.replayed_wait` needs: the waiting queue, each item's typical service time (mean
    of its last 20 done tickets when there are 4, else its configured average) and how long each
    window's current ticket will still take."""
    conn, params = session.connection(), {"hall_id": t.hall_id, "day": t.business_day}
    codes = {sid: i.code for sid, i in hall.items.items()}
    queue = [
        routing.Candidate(
            tid,
            codes[sid],
            since,
            cls,
            appt,
            hall.windows[target].code if target else None,  # type: ignore[arg-type]
        )
        for tid, sid, since, cls, appt, target in conn.execute(_QUEUE, params)
    ]
    typical = _typical(conn, t.hall_id, hall)
    busy = {
        hall.windows[wid].code: remaining(typical[codes[sid]], (now - called).total_seconds() / 60)
        for wid, sid, called in conn.execute(_CURRENT, params)
        if wid in hall.windows and called is not None
    }
    return queue, typical, busy


def _typical(conn: Any, hall_id: int, hall: Layout) -> dict[str, float]:
    """Each item's typical service time: the mean of its last 20 done tickets when there are 4, else
    its configured average. They change only when a ticket is finished (`halls.served_seq`): kept
    with the layout until then, not read again for every issue and status (600 rows each)."""
    served = conn.execute(_SERVED_SEQ, {"hall_id": hall_id}).scalar_one()
    if hall.typical and hall.typical[0][0] == served:
        return hall.typical[0][1]
    done: dict[int, list[float]] = {}
    for sid, start, end in conn.execute(_RECENT_ALL, {"hall_id": hall_id}):
        if start and end and len(done.setdefault(sid, [])) < 20:
            done[sid].append((end - start).total_seconds() / 60)
    typical = {
        i.code: fmean(done[sid]) if len(done.get(sid, ())) >= 4 else float(i.avg_service_min)
        for sid, i in hall.items.items()
    }
    hall.typical[:] = [(served, typical)]
    return typical


_SERVED_SEQ = select(Hall.served_seq).where(Hall.id == bindparam("hall_id"))


@functools.cache
def _bucket_counts(limited_items: int) -> Select[Any]:
    """The bucket-counting statement for a hall with this many items that escalate (built once)."""
    escalated = or_(
        false(),
        *(
            and_(
                Ticket.service_id == bindparam(f"esc_item_{i}"),
                Ticket.wait_since < bindparam(f"esc_before_{i}", type_=UTCDateTime()),
            )
            for i in range(limited_items)
        ),
    )
    earlier = or_(
        Ticket.wait_since < bindparam("since"),
        and_(Ticket.wait_since == bindparam("since"), Ticket.id < bindparam("ticket_id")),
    )
    due = and_(Ticket.appointment_at.is_not(None), Ticket.appointment_at <= bindparam("now"))
    return (
        select(
            Ticket.service_id,
            Ticket.priority_class,
            Ticket.target_window_id,
            func.count(),
            func.count().filter(escalated),
            func.count().filter(earlier),
            func.count().filter(due),
            func.count().filter(and_(due, escalated)),
            func.count().filter(and_(due, earlier)),
        )
        .where(
            Ticket.hall_id == bindparam("hall_id"),
            Ticket.business_day == bindparam("day"),
            Ticket.status == "waiting",
            Ticket.id.not_in(bindparam("exclude", expanding=True)),
            or_(
                Ticket.service_id.in_(bindparam("items", expanding=True)),
                Ticket.target_window_id.in_(bindparam("windows", expanding=True)),
            ),
        )
        .group_by(Ticket.service_id, Ticket.priority_class, Ticket.target_window_id)
    )


def _buckets(
    session: Session,
    t: Waiting,
    exclude: list[int],
    also_items: set[int],
    items: dict[int, ItemFacts],
    views: dict[int, routing.WindowView],
    servers: list[int],
    now: datetime,
) -> list[routing.Bucket]:
    """The queue the serving windows could call, and the rest of `also_items`, without `exclude`,
    counted into routing buckets relative to `t`.

    Within one item × class × target the tickets are in wait order, and "escalated" and "earlier
    than t" are both a leading part of that order: the size of their overlap is the smaller count.
    Appointments are split by whether they are due (that is not a wait-order property).
    """
    wanted = {code for wid in servers for code in views[wid].skills}
    limited = [(sid, i.escalate_after_min) for sid, i in items.items() if i.escalate_after_min]
    params: dict[str, Any] = {
        "hall_id": t.hall_id,
        "day": t.business_day,
        "ticket_id": t.id,
        "exclude": exclude,
        "since": t.wait_since,
        "now": now,
        "items": [sid for sid, i in items.items() if i.code in wanted or sid in also_items],
        "windows": servers,
    }
    for n, (sid, minutes) in enumerate(limited):
        params[f"esc_item_{n}"] = sid
        params[f"esc_before_{n}"] = now - timedelta(minutes=minutes)
    rows = session.connection().execute(_bucket_counts(len(limited)), params)
    buckets: list[routing.Bucket] = []
    for sid, cls, target, n, n_esc, n_earlier, d, d_esc, d_earlier in rows:
        parts = [(False, n, n_esc, n_earlier)]
        if cls == "appointment":
            parts = [(True, d, d_esc, d_earlier), (False, n - d, n_esc - d_esc, n_earlier - d_earlier)]
        for is_due, size, esc, before in parts:
            both = min(esc, before)
            split = {(True, True): both, (True, False): esc - both, (False, True): before - both}
            split[(False, False)] = size - esc - before + both
            for (is_esc, is_earlier), count in split.items():
                if count:
                    buckets.append(
                        routing.Bucket(
                            items[sid].code,
                            views[target].code if target else None,
                            routing.class_rank_of(cls, is_due),
                            is_esc,
                            is_earlier,
                            count,
                        )
                    )
    return buckets
