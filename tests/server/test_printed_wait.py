"""The wait printed on a ticket is the routing rule replayed over the real queue (both databases)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from queue_server.services import queue

from .helpers import PENSION, issue

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
