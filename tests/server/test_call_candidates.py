"""Call-next reads only the head of each line; it must pick exactly what the rule picks on the whole queue."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select, update

from queue_server.db.models import Hall, Service, Ticket, Window
from queue_server.domain import calendar, routing
from queue_server.services import queue
from queue_server.services.context import Context
from tests.conftest import FakeClock

from .helpers import HALL

# Each round mixes the queue differently, so that every clause gets to decide some calls.
ROUNDS = [
    (["normal", "normal", "priority"], [0, 1, 2, 5, 5, 10]),  # no escalation, no appointments
    (["normal", "normal", "priority"], [0, 5, 5, 20, 45, 90]),  # some waited past escalation
    (["normal", "priority", "appointment"], [0, 1, 5, 5, 20]),  # appointments, due and not yet
]


def _random_queue(ctx: Context, clock: FakeClock, rnd: random.Random, round_: int) -> None:
    classes, waits = ROUNDS[round_]
    now = clock()
    with ctx.sessions() as s, s.begin():
        hall = s.scalar(select(Hall).where(Hall.code == HALL))
        assert hall is not None
        day = calendar.business_day(now, hall.timezone, hall.day_starts)
        services = list(hall.services)[:6]
        windows = list(hall.windows)
        for n in range(120):
            waited = rnd.choice(waits)  # repeats: ties in wait order
            cls = rnd.choice(classes)
            s.add(
                Ticket(
                    hall_id=hall.id,
                    service_id=rnd.choice(services).id,
                    number=f"R{n:03d}",
                    business_day=day,
                    status=rnd.choice(["waiting", "waiting", "waiting", "done"]),
                    priority_class=cls,
                    channel="counter",
                    target_window_id=rnd.choice(windows).id if rnd.random() < 0.1 else None,
                    issued_at=now - timedelta(minutes=waited),
                    wait_since=now - timedelta(minutes=waited),
                    appointment_at=now + timedelta(minutes=rnd.choice([-30, 10]))
                    if cls == "appointment"
                    else None,
                    token=f"tok-{round_}-{n}",
                    idempotency_key=f"key-{round_}-{n}",
                )
            )


def _whole_queue(ctx: Context, state: queue.RoutingState) -> list[routing.Candidate]:
    codes = {sid: sv.code for sid, sv in state.services.items()}
    with ctx.read() as s:
        rows = s.scalars(select(Ticket).where(Ticket.status == "waiting", Ticket.business_day == state.day))
        return [
            routing.Candidate(
                t.id,
                codes[t.service_id],
                t.wait_since,
                t.priority_class,  # type: ignore[arg-type]
                t.appointment_at,
                state.windows[t.target_window_id].code if t.target_window_id else None,
            )
            for t in rows
        ]


def test_heads_of_the_lines_choose_as_the_whole_queue_would(ctx: Context, clock: FakeClock) -> None:
    rnd = random.Random(20261126)
    for round_ in range(len(ROUNDS)):
        with ctx.sessions() as s, s.begin():  # each round starts from an empty queue
            s.execute(update(Ticket).values(status="done"))
        _random_queue(ctx, clock, rnd, round_)
        with ctx.read() as s:
            hall = s.scalar(select(Hall).where(Hall.code == HALL))
            assert hall is not None
            escalating = s.scalars(select(Service).where(Service.escalate_after_min.is_not(None))).all()
            assert escalating, "the example hall has items that escalate: the test covers escalation"
            compared = 0
            for window in s.scalars(select(Window).where(Window.hall_id == hall.id)):
                state = queue.call_candidates(s, hall, window.id, clock())
                view = state.windows[window.id]
                whole = _whole_queue(ctx, state)
                expected = routing.choose_next(view, whole, state.escalation, clock())
                chosen = routing.choose_next(view, state.candidates, state.escalation, clock())
                assert chosen == expected, window.code
                assert len(state.candidates) <= len(whole)
                compared += expected is not None
        assert compared >= 5
