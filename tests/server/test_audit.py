"""The audit trail: every state change writes its event in the same transaction; nothing changes it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from queue_server.services.context import SYSTEM, Context
from queue_server.services.retention import purge_personal_data
from tests.conftest import FakeClock

from .helpers import COMPANY, FOOD, HALL, PASSWORD, PENSION, call_next, issue

WRITE = re.compile(r"^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+\"?(\w+)\"?", re.IGNORECASE)
# Writes that are bookkeeping, not state changes: the live-event outbox and its sequence, number
# counters (their tickets are audited), and a device's "last seen" time.
BOOKKEEPING = (
    re.compile(r"^INSERT INTO hall_events"),
    re.compile(r"^INSERT INTO number_counters"),
    re.compile(r"^UPDATE halls SET event_seq=\(halls\.event_seq \+ \S+\) WHERE halls\.id = \S+ RETURNING"),
    re.compile(r"^UPDATE devices SET last_seen=\S+ WHERE devices\.id = \S+$"),
)


class WriteWatch:
    """Per database transaction: the statements that wrote, checked at commit."""

    def __init__(self) -> None:
        self.checked = 0
        self.unaudited: list[list[str]] = []

    def attach(self, engine: Any) -> None:
        event.listen(engine, "after_cursor_execute", self._executed)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", lambda conn: conn.info.pop("writes", None))

    def _executed(self, conn: Any, _cur: Any, statement: str, *_: Any) -> None:
        if WRITE.match(statement):
            conn.info.setdefault("writes", []).append(" ".join(statement.split()))

    def _commit(self, conn: Any) -> None:
        writes = conn.info.pop("writes", [])
        changes = [w for w in writes if not any(b.match(w) for b in BOOKKEEPING)]
        if not changes:
            return
        self.checked += 1
        if not any(w.startswith("INSERT INTO audit_events") for w in changes):
            self.unaudited.append(changes)


def test_every_state_change_has_its_audit_event(
    ctx: Context,
    login: Callable[..., TestClient],
    device: Callable[..., TestClient],
    app_client: TestClient,
    clock: FakeClock,
) -> None:
    watch = WriteWatch()
    watch.attach(ctx.sessions.kw["bind"])
    admin = login("admin1", "admin", [])
    clerk, manager = login("clerk1", "clerk"), login("manager1", "manager")
    kiosk, pad = device("kiosk-1", "kiosk"), device("pad-05", "pad", "05")
    app_client.post("/api/v1/auth/login", json={"username": "clerk1", "password": "wrong-wrong"})
    clerk.post(f"/api/v1/halls/{HALL}/windows/05/sign-in")
    card = {"id_number": "11010519491231002X", "name": "王小明"}
    body = {"service": PENSION, "idempotency_key": "audit-kiosk-01", "id_card": card}
    assert kiosk.post(f"/api/v1/halls/{HALL}/tickets", json=body).status_code == 201
    t1 = call_next(clerk, "05")
    assert t1 is not None
    for action in ("recall", "start", "finish"):
        assert clerk.post(f"/api/v1/tickets/{t1['id']}/{action}").status_code == 200
    assert pad.post(f"/api/v1/tickets/{t1['id']}/evaluation", json={"level": 5}).status_code == 201
    issue(clerk, PENSION)
    t2 = call_next(clerk, "05")
    clerk.post(f"/api/v1/tickets/{t2['id']}/no-show")  # type: ignore[index]
    t3 = issue(manager, COMPANY)
    manager.post(f"/api/v1/tickets/{t3['id']}/cancel")
    issue(manager, FOOD)
    t4 = call_next(manager, "02")
    r = manager.post(f"/api/v1/tickets/{t4['id']}/transfer", json={"service": COMPANY, "reason": "x"})  # type: ignore[index]
    assert r.status_code == 200
    manager.patch(f"/api/v1/halls/{HALL}/windows/12", json={"state": "paused"})
    kiosk.post("/api/v1/devices/heartbeat", json={"version": "1", "status": {"paper": "ok"}})
    kiosk.post("/api/v1/devices/heartbeat", json={"version": "1", "status": {"paper": "ok"}})
    admin.post("/api/v1/devices", json={"name": "display-1", "kind": "display", "hall": HALL})
    admin.post("/api/v1/devices/display-1/rotate")
    admin.post("/api/v1/devices/display-1/revoke")
    admin.post(
        "/api/v1/users", json={"username": "clerk2", "role": "clerk", "password": PASSWORD, "halls": [HALL]}
    )
    clerk2 = TestClient(app_client.app)
    token = clerk2.post("/api/v1/auth/login", json={"username": "clerk2", "password": PASSWORD}).json()[
        "token"
    ]
    clerk2.headers["authorization"] = f"Bearer {token}"
    clerk2.post(f"/api/v1/halls/{HALL}/windows/05/sign-in")  # takeover
    clerk2.post(f"/api/v1/halls/{HALL}/windows/05/sign-out")
    clerk2.post("/api/v1/auth/logout")
    admin.post("/api/v1/users/clerk2/reset-password", json={"password": "another password"})
    admin.post("/api/v1/users/clerk2/disable")
    clock.advance(days=2)
    assert purge_personal_data(ctx, SYSTEM, days=1) >= 1
    assert watch.unaudited == []
    assert watch.checked >= 30  # the flow really changed things

    trail = admin.get("/api/v1/audit", params={"limit": 1000}).json()
    actions = {e["action"] for e in trail}
    assert actions >= {
        "ticket.issue", "ticket.call", "ticket.recall", "ticket.start", "ticket.finish", "ticket.evaluate",
        "ticket.no-show", "ticket.cancel", "ticket.transfer", "window.update", "window.sign_in",
        "window.takeover", "window.sign_out", "device.add", "device.rotate", "device.revoke",
        "device.status", "user.create", "user.login", "user.login_failed", "user.logout",
        "user.reset_password", "user.disable", "personal_data.purge",
    }  # fmt: skip
    assert all(e["actor"] and e["role"] and e["at"] for e in trail)
    by_kiosk = next(e for e in trail if e["action"] == "ticket.issue" and e["role"] == "kiosk")
    assert by_kiosk["device"] == "kiosk-1" and by_kiosk["actor"] == "kiosk-1"
    call = next(e for e in trail if e["action"] == "ticket.call" and e["actor"] == "clerk1")
    assert call["role"] == "clerk" and call["window"] == "05" and call["before"] == {"status": "waiting"}
    assert sum(e["action"] == "device.status" for e in trail) == 1  # an unchanged heartbeat is not news


def test_the_database_refuses_to_change_audit_events(ctx: Context, client: TestClient) -> None:
    issue(client, PENSION)
    engine = ctx.sessions.kw["bind"]
    statements = ["UPDATE audit_events SET actor = 'someone else'", "DELETE FROM audit_events"]
    if engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_events")
    count = "SELECT count(*) FROM audit_events WHERE actor = 'manager1'"
    with engine.connect() as conn:
        before = conn.execute(text(count)).scalar()
    assert before == 2  # sign-in and the ticket
    for sql in statements:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(sql))
    with engine.connect() as conn:
        assert conn.execute(text(count)).scalar() == before
    # And the API has no way to write it: its only routes read.
    audit_routes = [r for r in client.app.openapi()["paths"] if "audit" in r]  # type: ignore[attr-defined]
    assert audit_routes and all(
        set(client.app.openapi()["paths"][p]) == {"get"}  # type: ignore[attr-defined]
        for p in audit_routes
    )


def test_managers_query_by_ticket_window_person_and_time(
    login: Callable[..., TestClient], client: TestClient, clock: FakeClock
) -> None:
    clerk = login("clerk1", "clerk")
    clerk.post(f"/api/v1/halls/{HALL}/windows/06/sign-in")
    start = clock.now
    a = issue(client, PENSION)
    clock.advance(minutes=10)
    b = issue(client, PENSION)
    called = call_next(clerk, "06")
    assert called is not None and called["id"] == a["id"]
    url = f"/api/v1/halls/{HALL}/audit"
    by_ticket = client.get(url, params={"ticket": a["id"]}).json()
    assert [e["action"] for e in by_ticket] == ["ticket.call", "ticket.issue"]  # newest first
    by_window = client.get(url, params={"window": "06"}).json()
    # desk-06 was at the window (the hall at work); clerk1 took it over.
    assert {e["action"] for e in by_window} == {
        "window.create",
        "window.sign_in",
        "window.takeover",
        "ticket.call",
    }
    by_person = client.get(url, params={"actor": "clerk1"}).json()
    assert {e["action"] for e in by_person} == {"window.takeover", "ticket.call"}
    since = (start + __import__("datetime").timedelta(minutes=5)).isoformat()
    later = client.get(url, params={"since": since, "actor": "manager1"}).json()
    assert [e["object_id"] for e in later] == [str(b["id"])]
    until = client.get(url, params={"until": since, "actor": "manager1"}).json()
    assert [e["object_id"] for e in until] == [str(a["id"])]
    assert len(client.get(url, params={"limit": 1}).json()) == 1
    assert client.get(url, params={"since": "2026-11-25T10:00:00"}).status_code == 422  # no zone
    assert clerk.get(url).status_code == 403
