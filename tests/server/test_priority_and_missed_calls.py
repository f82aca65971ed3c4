"""Staff-given priority classes (优先) and missed calls (过号), on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from queue_server.db.models import AuditEvent, Hall
from queue_server.services.context import Context
from tests.conftest import FakeClock
from tests.id_cases import resident_number

from .helpers import HALL, PENSION, call_next, issue

CARD = {"id_number": resident_number(5), "name": "周七"}


def give(client: TestClient, ticket_id: int, kind: str, reason: str = "持孕检证明") -> Any:
    return client.post(
        f"/api/v1/halls/{HALL}/tickets/{ticket_id}/priority", json={"kind": kind, "reason": reason}
    )


def rules(ctx: Context, **values: int) -> None:
    with ctx.sessions.begin() as s:
        hall = s.scalar(select(Hall).where(Hall.code == HALL))
        assert hall is not None
        for k, v in values.items():
            setattr(hall, k, v)


def test_staff_priority_is_called_first_named_and_audited(
    client: TestClient, login: Callable[..., TestClient], ctx: Context, clock: FakeClock
) -> None:
    first, second = issue(client, PENSION), issue(client, PENSION)
    clerk = login("clerk2", "clerk")
    r = give(clerk, second["id"], "pregnant")
    assert r.status_code == 200, r.text
    shown = r.json()
    assert shown["priority_class"] == "priority" and shown["priority_name"] == "孕妇"
    assert shown["priority_name_en"] == "Pregnant woman"
    assert give(clerk, first["id"], "vip").json()["code"] == "unknown_class"
    assert give(clerk, first["id"], "pregnant", reason=" ").status_code == 422
    clock.advance(minutes=1)
    assert call_next(client, "05")["id"] == second["id"]  # type: ignore[index]
    assert give(client, second["id"], "disability").json()["code"] == "not_waiting"
    with ctx.read() as s:
        audit = s.scalar(select(AuditEvent).where(AuditEvent.action == "ticket.priority"))
        assert audit is not None and audit.actor == "clerk2"
        assert audit.after is not None and audit.after["reason"] == "持孕检证明"
        assert audit.after["priority_kind"] == "pregnant"


def counter_issue(client: TestClient) -> Any:
    body = {"service": PENSION, "idempotency_key": uuid.uuid4().hex, "channel": "counter", "id_card": CARD}
    return client.post(f"/api/v1/halls/{HALL}/tickets", json=body)


def test_a_no_show_does_not_use_up_the_daily_limit(client: TestClient) -> None:
    first = counter_issue(client)  # the item allows one ticket a day per person
    assert first.status_code == 201
    assert counter_issue(client).status_code == 429
    assert call_next(client, "05")["id"] == first.json()["id"]  # type: ignore[index]
    assert client.post(f"/api/v1/tickets/{first.json()['id']}/no-show").status_code == 200
    again = counter_issue(client)
    assert again.status_code == 201, again.text


def test_reactivation_rejoins_behind_k_within_n_minutes(
    client: TestClient, ctx: Context, clock: FakeClock, device: Callable[..., TestClient]
) -> None:
    missed = issue(client, PENSION)
    assert call_next(client, "05")["id"] == missed["id"]  # type: ignore[index]
    assert client.post(f"/api/v1/tickets/{missed['id']}/no-show").status_code == 200
    said = client.get(f"/api/v1/halls/{HALL}").json()
    assert said["missed_call_rule"] == "过号请重新取号"
    off = client.post(f"/api/v1/halls/{HALL}/reactivations", json={"ticket_id": missed["id"]})
    assert off.status_code == 409 and "重新取号" in off.json()["detail"]  # the hall does not allow it
    holder = f"/api/v1/public/tickets/{missed['token']}"  # what the kiosk reads from the ticket's QR
    assert client.get(holder).json()["rejoin_until"] is None
    rules(ctx, reactivate_min=10, rejoin_behind=2)
    until = datetime.fromisoformat(client.get(holder).json()["rejoin_until"])
    assert until == datetime.fromisoformat(missed_at(client, missed)) + timedelta(minutes=10)
    by_number = client.get(f"/api/v1/halls/{HALL}/public/tickets/by-number/{missed['number']}").json()
    assert by_number["rejoin_until"] is None  # only the holder (the token) is offered to rejoin
    said = client.get(f"/api/v1/halls/{HALL}").json()
    assert "10 分钟内" in said["missed_call_rule"] and "behind the next 2" in said["missed_call_rule_en"]
    clock.advance(minutes=1)
    others = []
    for _ in range(3):
        others.append(issue(client, PENSION))
        clock.advance(seconds=20)
    clock.advance(minutes=1)
    kiosk = device("kiosk-r", "kiosk")
    r = kiosk.post(f"/api/v1/halls/{HALL}/reactivations", json={"token": missed["token"]})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "waiting"
    again = client.post(f"/api/v1/halls/{HALL}/reactivations", json={"ticket_id": missed["id"]})
    assert again.status_code == 409  # waiting now: nothing to reactivate
    order = []
    for _ in range(4):
        called = call_next(client, "05")
        assert called is not None
        order.append(called["id"])
        assert client.post(f"/api/v1/tickets/{called['id']}/no-show").status_code == 200
    assert order == [others[0]["id"], others[1]["id"], missed["id"], others[2]["id"]]
    once = client.post(f"/api/v1/halls/{HALL}/reactivations", json={"ticket_id": missed["id"]})
    assert once.status_code == 409 and once.json()["code"] == "cannot_reactivate"  # only once
    assert client.get(holder).json()["rejoin_until"] is None
    clock.advance(minutes=11)
    late = client.post(f"/api/v1/halls/{HALL}/reactivations", json={"ticket_id": others[2]["id"]})
    assert late.status_code == 409 and late.json()["code"] == "too_late"
    assert client.get(f"/api/v1/public/tickets/{others[2]['token']}").json()["rejoin_until"] is None


def missed_at(client: TestClient, ticket: dict[str, Any]) -> str:
    """When the ticket was marked a no-show (the staff view's ended_at)."""
    return str(client.get(f"/api/v1/tickets/{ticket['id']}").json()["ended_at"])


def test_the_hall_lists_its_priority_classes_and_a_window_its_rejoinable_no_shows(
    client: TestClient, ctx: Context, clock: FakeClock
) -> None:
    hall = client.get(f"/api/v1/halls/{HALL}").json()
    assert [c["key"] for c in hall["priority_classes"]] == ["service", "disability", "pregnant"]
    assert hall["priority_classes"][2]["name"] == "孕妇" and hall["reactivate_min"] == 0
    missed = f"/api/v1/halls/{HALL}/windows/05/missed"
    first = issue(client, PENSION)
    assert call_next(client, "05")["id"] == first["id"]  # type: ignore[index]
    assert client.post(f"/api/v1/tickets/{first['id']}/no-show").status_code == 200
    assert client.get(missed).json() == []  # the hall does not allow reactivation
    rules(ctx, reactivate_min=10)
    assert client.get(f"/api/v1/halls/{HALL}").json()["reactivate_min"] == 10
    clock.advance(minutes=4)
    second = issue(client, PENSION)
    assert call_next(client, "05")["id"] == second["id"]  # type: ignore[index]
    assert client.post(f"/api/v1/tickets/{second['id']}/no-show").status_code == 200
    shown = client.get(missed).json()
    assert [t["number"] for t in shown] == [second["number"], first["number"]]  # the latest first
    until = datetime.fromisoformat(shown[1]["rejoin_until"])
    assert until == datetime.fromisoformat(missed_at(client, first)) + timedelta(minutes=10)
    clock.advance(minutes=7)  # the first one's ten minutes are over
    assert [t["number"] for t in client.get(missed).json()] == [second["number"]]
    r = client.post(f"/api/v1/halls/{HALL}/reactivations", json={"ticket_id": second["id"]})
    assert r.status_code == 200, r.text
    assert client.get(missed).json() == []  # rejoined: once only
    assert client.get(f"/api/v1/halls/{HALL}/windows/nope/missed").status_code == 404
