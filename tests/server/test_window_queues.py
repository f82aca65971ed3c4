"""Each window's call order in the snapshot is the routing rule's, and Call next does what it shows."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select, update

from queue_server.db.models import Hall, Service, Ticket, Window
from queue_server.domain import routing
from queue_server.services import queue, snapshot, window_queues, windows
from queue_server.services.context import SYSTEM, Context
from tests.conftest import FakeClock

from .helpers import HALL
from .test_call_candidates import ROUNDS, _random_queue, _whole_queue


def test_snapshot_order_is_the_rule_on_the_whole_queue(ctx: Context, clock: FakeClock) -> None:
    rnd = random.Random(20261201)
    for round_ in range(len(ROUNDS)):
        with ctx.sessions() as s, s.begin():
            s.execute(update(Ticket).values(status="done"))
        _random_queue(ctx, clock, rnd, round_)
        snap = {w["code"]: w for w in snapshot.snapshot(ctx, HALL)["windows"]}
        with ctx.read() as s:
            hall = s.scalar(select(Hall).where(Hall.code == HALL))
            assert hall is not None
            shown = 0
            for window in s.scalars(select(Window).where(Window.hall_id == hall.id)):
                state = queue.call_candidates(s, hall, window.id, clock())
                whole = _whole_queue(ctx, state)
                order = routing.call_order(state.windows[window.id], whole, state.escalation, clock())
                mine = snap[window.code]
                assert [t["id"] for t in mine["queue"]] == [c.ticket_id for c in order][: window_queues.SHOWN]
                assert mine["can_call"] == len(order), window.code
                shown += len(order) > window_queues.SHOWN
        assert shown, "some window has more waiting than it shows: the cut at SHOWN is exercised"


def test_call_next_calls_the_first_ticket_the_window_shows(ctx: Context, clock: FakeClock) -> None:
    _random_queue(ctx, clock, random.Random(7), 1)
    compared = 0
    for _ in range(3):
        for code in [w["code"] for w in snapshot.snapshot(ctx, HALL)["windows"]]:
            view = snapshot.window_view(ctx, HALL, code)
            if view["current"] is not None or view["state"] != "open":
                continue
            called = windows.call_next(ctx, SYSTEM, HALL, code)
            if view["queue"]:
                assert called is not None and called["id"] == view["queue"][0]["id"], code
                compared += 1
            else:
                assert called is None and view["can_call"] == 0
        with ctx.sessions() as s, s.begin():  # free the windows for the next round
            s.execute(update(Ticket).where(Ticket.status == "called").values(status="done"))
    assert compared >= 10


def test_snapshot_lists_each_items_longest_waits_over_its_threshold(ctx: Context, clock: FakeClock) -> None:
    rnd = random.Random(5)
    listed = 0
    for round_ in range(len(ROUNDS)):
        with ctx.sessions() as s, s.begin():
            s.execute(update(Ticket).values(status="done"))
        _random_queue(ctx, clock, rnd, round_)
        now = clock()
        with ctx.sessions() as s, s.begin():  # one item with more late tickets than the list shows
            first = s.scalars(select(Ticket).where(Ticket.status == "waiting").limit(1)).one()
            for n in range(snapshot.LATE_SHOWN + 2):
                since = now - timedelta(minutes=100 + rnd.choice([0, 5, 5]))  # ties in wait order
                key = f"late-{round_}-{n}"
                s.add(
                    Ticket(
                        hall_id=first.hall_id,
                        service_id=first.service_id,
                        number=f"L{round_}{n:02d}",
                        business_day=first.business_day,
                        status="waiting",
                        priority_class=rnd.choice(["normal", "priority"]),
                        channel="counter",
                        issued_at=since,
                        wait_since=since,
                        token=key,
                        idempotency_key=key,
                    )
                )
        with ctx.read() as s:
            waiting = s.execute(
                select(Service.code, Ticket.number, Ticket.wait_since, Ticket.id)
                .join(Service, Service.id == Ticket.service_id)
                .where(Ticket.status == "waiting")
            ).all()
        for item in snapshot.snapshot(ctx, HALL)["services"]:
            limit = item["escalate_after_min"]
            mine = sorted((r for r in waiting if r.code == item["code"]), key=lambda r: (r.wait_since, r.id))
            over = [r.number for r in mine if limit and (now - r.wait_since).total_seconds() / 60 > limit]
            assert [t["number"] for t in item["late"]] == over[: snapshot.LATE_SHOWN], item["code"]
            listed += len(over) > snapshot.LATE_SHOWN
    assert listed, "some item has more late tickets than the list shows: the cut is exercised"
