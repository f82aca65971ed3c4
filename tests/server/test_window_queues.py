"""Each window's call order in the snapshot is the routing rule's, and Call next does what it shows."""

from __future__ import annotations

import random

from sqlalchemy import select, update

from queue_server.db.models import Hall, Ticket, Window
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
