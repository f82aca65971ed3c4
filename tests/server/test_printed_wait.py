"""The wait printed on a ticket is the routing rule replayed over the real queue (both databases)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from queue_server.runtime import open_context
from queue_server.services import queue, tickets
from queue_server.services.context import Context
from tests.conftest import FakeClock

from .helpers import PENSION, call_next, issue

MEDICAL = "510403-GG-YB-001"  # 城乡居民医保参保登记, 8 min: window 06 level 1, window 05 level 2


def line_up(client: TestClient) -> dict:
    for _ in range(3):
        issue(client, MEDICAL)
    for _ in range(2):
        issue(client, PENSION)
    return issue(client, PENSION)


def test_printed_range_replays_who_serves_what(client: TestClient) -> None:
    """Window 05 takes the two pensions before mine (5 min each), window 06 its own medical tickets
    first: mine is called at 10 min → printed 3–17 (0.4 × 10 − 1, 1.6 × 10 + 1). Counting would give
    5 ahead ÷ 2 windows → 7–21."""
    mine = line_up(client)
    assert mine["waiting_ahead"] == 5
    assert (mine["eta_min"], mine["eta_max"]) == (3, 17)


def test_a_long_queue_gets_the_counted_range(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue, "REPLAY_LIMIT", 2)
    mine = line_up(client)
    assert (mine["waiting_ahead"], mine["eta_min"], mine["eta_max"]) == (5, 7, 21)


def test_service_times_kept_between_requests_are_read_again_once_a_ticket_is_finished(
    client: TestClient, ctx: Context, clock: FakeClock
) -> None:
    """Each process keeps the items' typical service times with the layout (they cost 600 rows a
    read); a finish anywhere makes it read them again. Oracle: a fresh process (no cache) on the same
    database prints the same wait."""
    url = ctx.sessions.kw["bind"].url.render_as_string(hide_password=False)

    def act(ticket: dict, action: str) -> None:
        assert client.post(f"/api/v1/tickets/{ticket['id']}/{action}").status_code == 200

    def serve_at_05(minutes: int) -> None:
        t = issue(client, PENSION)
        assert call_next(client, "05")["id"] == t["id"]  # type: ignore[index]
        act(t, "start")
        clock.advance(minutes=minutes)
        act(t, "finish")

    def printed(ticket: dict) -> tuple[int, int]:
        fresh = open_context(url)
        fresh.clock = clock
        kept, new = tickets.public_status(ctx, ticket["token"]), tickets.public_status(fresh, ticket["token"])
        fresh.sessions.kw["bind"].dispose()
        assert (kept["eta_min"], kept["eta_max"]) == (new["eta_min"], new["eta_max"])
        return kept["eta_min"], kept["eta_max"]

    for _ in range(3):
        serve_at_05(25)  # the item's configured 5 min still counts: 3 finished are too few
    a, b = issue(client, PENSION), issue(client, PENSION)
    assert call_next(client, "05")["id"] == a["id"] and call_next(client, "06")["id"] == b["id"]  # type: ignore[index]
    waiting = issue(client, PENSION)
    before = printed(waiting)  # kept now
    act(a, "start")
    clock.advance(minutes=25)
    act(a, "finish")  # the 4th of 25 minutes: the item now takes 25 minutes
    assert call_next(client, "05")["id"] == waiting["id"]  # type: ignore[index]
    later = issue(client, PENSION)
    after = printed(later)
    assert after[1] > before[1], (before, after)
