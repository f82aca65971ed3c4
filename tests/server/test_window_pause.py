"""A clerk pauses and resumes the window they are signed in to (the clerk terminal's pause button)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from queue_server.services import windows
from queue_server.services.context import SYSTEM, Actor, Context, UnitOfWork

from .helpers import COMPANY, HALL, call_next, issue

BASE = f"/api/v1/halls/{HALL}/windows"


def test_clerk_pauses_own_window_and_the_backup_post_calls(login: Callable[..., TestClient]) -> None:
    clerk = login("clerk-a", "clerk")
    manager = login("manager-a", "manager")
    assert clerk.post(f"{BASE}/01/sign-in").status_code == 200
    r = clerk.post(f"{BASE}/01/pause")
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "paused"
    t = issue(manager, COMPANY)  # window 01's item: window 02 holds it as backup post
    assert clerk.post(f"{BASE}/01/call-next").status_code == 409
    called = call_next(manager, "02")
    assert called is not None and called["number"] == t["number"]
    r = clerk.post(f"{BASE}/01/resume")
    assert r.status_code == 200 and r.json()["state"] == "open"


def test_clerk_pauses_no_other_window_and_reopens_no_closed_one(login: Callable[..., TestClient]) -> None:
    clerk = login("clerk-b", "clerk")
    manager = login("manager-b", "manager")
    assert clerk.post(f"{BASE}/01/pause").status_code == 403  # not signed in anywhere
    assert clerk.post(f"{BASE}/01/sign-in").status_code == 200
    assert clerk.post(f"{BASE}/02/pause").status_code == 403  # not their window
    assert clerk.patch(f"{BASE}/01", json={"state": "paused"}).status_code == 403  # managers reassign
    assert manager.patch(f"{BASE}/01", json={"state": "closed"}).status_code == 200
    r = clerk.post(f"{BASE}/01/resume")
    assert r.status_code == 409
    assert "manager" in r.json()["detail_en"]


def test_a_close_landing_just_before_the_clerks_resume_writes_keeps_the_window_closed(
    ctx: Context, login: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manager's close commits after the clerk's resume has begun (and after anything it read
    outside its transaction) and before its writing transaction: the window must stay closed."""
    clerk = login("clerk-c", "clerk")
    assert clerk.post(f"{BASE}/01/sign-in").status_code == 200
    assert clerk.post(f"{BASE}/01/pause").status_code == 200
    real = windows.unit_of_work
    closed: list[str] = []

    @contextmanager
    def close_first(c: Context, actor: Actor) -> Iterator[UnitOfWork]:
        if actor.role == "clerk" and not closed:
            closed.append(windows.update_window(c, SYSTEM, HALL, "01", state="closed")["state"])
        with real(c, actor) as uow:
            yield uow

    monkeypatch.setattr(windows, "unit_of_work", close_first)
    r = clerk.post(f"{BASE}/01/resume")
    assert closed == ["closed"]  # the close did land in between
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "window_closed"
    assert "已关闭" in r.json()["detail"] and "manager" in r.json()["detail_en"]
    assert windows.get_window(ctx, HALL, "01")["state"] == "closed"
    # Nor can pausing turn a closed window into a paused one that a resume would then reopen.
    assert clerk.post(f"{BASE}/01/pause").status_code == 409
    assert windows.get_window(ctx, HALL, "01")["state"] == "closed"
