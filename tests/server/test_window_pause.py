"""A clerk pauses and resumes the window they are signed in to (the clerk terminal's pause button)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

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
