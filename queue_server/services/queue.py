"""Load the live queue of a hall into the routing module's plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..db.models import Hall, Service, Ticket, Window, WindowSkill
from ..domain import calendar, routing
from ..domain.estimate import eta_range


@dataclass
class QueueState:
    hall: Hall
    day: date
    now: datetime
    windows: list[Window]
    waiting: list[Ticket]
    services: dict[int, Service]

    def window_views(self) -> list[routing.WindowView]:
        return [window_view(w, self.services) for w in self.windows]

    def candidates(self) -> list[routing.Candidate]:
        return [candidate(t, self.services) for t in self.waiting]

    def escalation(self) -> dict[str, timedelta | None]:
        return {
            s.code: timedelta(minutes=s.escalate_after_min) if s.escalate_after_min else None
            for s in self.services.values()
        }


def window_view(w: Window, services: dict[int, Service]) -> routing.WindowView:
    skills = {services[s.service_id].code: s.level for s in w.skills if s.service_id in services}
    return routing.WindowView(code=w.code, state=w.state, skills=skills)  # type: ignore[arg-type]


def candidate(t: Ticket, services: dict[int, Service]) -> routing.Candidate:
    return routing.Candidate(
        ticket_id=t.id,
        service=services[t.service_id].code,
        wait_since=t.wait_since,
        priority_class=t.priority_class,  # type: ignore[arg-type]
        appointment_at=t.appointment_at,
        target_window=t.target_window.code if t.target_window_id and t.target_window else None,
    )


def load(session: Session, hall: Hall, now: datetime) -> QueueState:
    day = calendar.business_day(now, hall.timezone, hall.day_starts)
    services = {s.id: s for s in session.scalars(select(Service).where(Service.hall_id == hall.id))}
    windows = list(
        session.scalars(
            select(Window)
            .where(Window.hall_id == hall.id)
            .options(selectinload(Window.skills).load_only(WindowSkill.service_id, WindowSkill.level))
            .order_by(Window.code)
        )
    )
    waiting = list(
        session.scalars(
            select(Ticket)
            .where(Ticket.hall_id == hall.id, Ticket.business_day == day, Ticket.status == "waiting")
            .options(selectinload(Ticket.target_window))
            .order_by(Ticket.id)
        )
    )
    return QueueState(hall, day, now, windows, waiting, services)


def recent_service_minutes(session: Session, service_id: int, limit: int = 20) -> list[float]:
    rows = session.execute(
        select(Ticket.started_at, Ticket.ended_at)
        .where(Ticket.service_id == service_id, Ticket.status == "done", Ticket.started_at.is_not(None))
        .order_by(Ticket.ended_at.desc())
        .limit(limit)
    ).all()
    return [(end - start).total_seconds() / 60 for start, end in rows if start and end]


def estimate(session: Session, state: QueueState, ticket: Ticket) -> tuple[int, int | None, int | None]:
    """(tickets ahead, eta_min, eta_max) for a waiting ticket."""
    me = candidate(ticket, state.services)
    ahead, serving = routing.ahead_of(
        me, state.window_views(), state.candidates(), state.escalation(), state.now
    )
    service = state.services[ticket.service_id]
    low, high = eta_range(
        ahead, serving, recent_service_minutes(session, service.id), service.avg_service_min
    )
    return ahead, low, high
