"""Load the live queue of a hall into the routing module's plain values.

Reads plain rows, not ORM objects, and only the part of the queue that matters for the question
asked: issuing and calling stay fast with thousands of tickets waiting.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ..db.models import Hall, Service, Ticket, Window, WindowSkill
from ..domain import calendar, routing
from ..domain.estimate import eta_range


@dataclass
class RoutingState:
    day: date
    now: datetime
    services: dict[int, Service]
    windows: dict[int, routing.WindowView]  # by window id
    candidates: list[routing.Candidate]

    @property
    def escalation(self) -> dict[str, timedelta | None]:
        return {
            s.code: timedelta(minutes=s.escalate_after_min) if s.escalate_after_min else None
            for s in self.services.values()
        }


def _window_views(session: Session, hall: Hall, codes: dict[int, str]) -> dict[int, routing.WindowView]:
    rows = session.execute(
        select(Window.id, Window.code, Window.state, WindowSkill.service_id, WindowSkill.level)
        .outerjoin(WindowSkill, WindowSkill.window_id == Window.id)
        .where(Window.hall_id == hall.id)
        .order_by(Window.code)
    ).all()
    skills: dict[int, dict[str, int]] = {}
    meta: dict[int, tuple[str, str]] = {}
    for wid, code, state, service_id, level in rows:
        meta[wid] = (code, state)
        entry = skills.setdefault(wid, {})
        if service_id is not None:
            entry[codes[service_id]] = level
    return {wid: routing.WindowView(code, state, skills[wid]) for wid, (code, state) in meta.items()}  # type: ignore[arg-type]


def routing_state(
    session: Session,
    hall: Hall,
    now: datetime,
    *,
    window_ids: Collection[int] | None = None,
    windows: dict[int, routing.WindowView] | None = None,
) -> RoutingState:
    """The hall's waiting tickets as routing candidates.

    With `window_ids`, only tickets those windows could call are read (their items, or transferred to
    them): that is all call-next and the wait estimate need.
    """
    day = calendar.business_day(now, hall.timezone, hall.day_starts)
    services = {s.id: s for s in hall.services}
    codes = {sid: s.code for sid, s in services.items()}
    windows = windows if windows is not None else _window_views(session, hall, codes)
    query = select(
        Ticket.id,
        Ticket.service_id,
        Ticket.wait_since,
        Ticket.priority_class,
        Ticket.appointment_at,
        Ticket.target_window_id,
    ).where(Ticket.hall_id == hall.id, Ticket.business_day == day, Ticket.status == "waiting")
    if window_ids is not None:
        wanted = {c for wid in window_ids for c in windows[wid].skills}
        service_ids = [sid for sid, code in codes.items() if code in wanted]
        query = query.where(
            or_(Ticket.service_id.in_(service_ids), Ticket.target_window_id.in_(list(window_ids)))
        )
    candidates = [
        routing.Candidate(
            ticket_id=tid,
            service=codes[sid],
            wait_since=since,
            priority_class=cls,  # type: ignore[arg-type]
            appointment_at=appt,
            target_window=windows[target].code if target else None,
        )
        for tid, sid, since, cls, appt, target in session.execute(query)
    ]
    return RoutingState(day, now, services, windows, candidates)


def recent_service_minutes(session: Session, service_id: int, limit: int = 20) -> list[float]:
    rows = session.execute(
        select(Ticket.started_at, Ticket.ended_at)
        .where(Ticket.service_id == service_id, Ticket.status == "done", Ticket.started_at.is_not(None))
        .order_by(Ticket.ended_at.desc())
        .limit(limit)
    ).all()
    return [(end - start).total_seconds() / 60 for start, end in rows if start and end]


def estimate(
    session: Session, hall: Hall, ticket: Ticket, now: datetime
) -> tuple[int, int | None, int | None]:
    """(tickets ahead, eta_min, eta_max) for a waiting ticket."""
    service = ticket.service
    views = _window_views(session, hall, {s.id: s.code for s in hall.services})
    servers = [
        wid
        for wid, w in views.items()
        if w.state == "open" and (service.code in w.skills or wid == ticket.target_window_id)
    ]
    if not servers:
        # Nobody serves the item now: say how many of its tickets came first, and no ETA.
        ahead = session.scalar(
            select(func.count()).where(
                Ticket.service_id == service.id,
                Ticket.status == "waiting",
                Ticket.business_day == ticket.business_day,
                or_(
                    Ticket.wait_since < ticket.wait_since,
                    and_(Ticket.wait_since == ticket.wait_since, Ticket.id < ticket.id),
                ),
            )
        )
        return ahead or 0, None, None
    state = routing_state(session, hall, now, window_ids=servers, windows=views)
    me = next(c for c in state.candidates if c.ticket_id == ticket.id)
    ahead, serving = routing.ahead_of(
        me, list(state.windows.values()), state.candidates, state.escalation, now
    )
    low, high = eta_range(
        ahead, serving, recent_service_minutes(session, service.id), service.avg_service_min
    )
    return ahead, low, high
