"""One-off closures (managers), on SQLite and PostgreSQL: the API, their effect, audit, events."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from queue_server.db.models import HallEvent
from queue_server.runtime import open_context
from queue_server.services import catalogue, closures
from queue_server.services.context import Actor, Context
from tests.conftest import FakeClock

from .helpers import COMPANY, HALL, PENSION

URL = f"/api/v1/halls/{HALL}/closures"
BUILDING = "510403-XK-ZJ-001"  # 建筑工程施工许可: in the construction zone


def local(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+08:00").astimezone(UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(local("2026-12-01T10:00:00"))  # Tuesday, open


def item(client: TestClient, code: str) -> dict[str, Any]:
    return next(s for s in client.get(f"/api/v1/halls/{HALL}/services").json() if s["code"] == code)


def take(client: TestClient, service: str) -> Any:
    body = {"service": service, "idempotency_key": uuid.uuid4().hex, "channel": "counter"}
    return client.post(f"/api/v1/halls/{HALL}/tickets", json=body)


def closure(**extra: Any) -> dict[str, Any]:
    return {
        "starts_at": "2026-12-01T00:00:00",
        "ends_at": "2026-12-02T00:00:00",
        "reason": "系统升级",
        "reason_en": "System upgrade",
        **extra,
    }


def test_a_whole_day_closure_of_the_hall(client: TestClient, ctx: Context) -> None:
    r = client.post(URL, json=closure())
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["scope"] == "hall" and made["starts_at"] == "2026-12-01T00:00:00+08:00"
    assert made["created_by"] == "manager1"
    sv = item(client, COMPANY)
    assert (sv["open_now"], sv["can_issue"], sv["closed_reason"], sv["closed_reason_en"]) == (
        False,
        False,
        "系统升级",
        "System upgrade",
    )
    assert sv["next_open"] == "2026-12-02T08:30:00+08:00"
    refused = take(client, COMPANY).json()
    assert (
        refused["code"] == "closed"
        and "系统升级" in refused["detail"]
        and "12月2日（周三）08:30" in refused["detail"]
    )
    hall = client.get(f"/api/v1/halls/{HALL}").json()
    assert (hall["open_now"], hall["closed_reason"]) == (False, "系统升级")
    assert [c["id"] for c in client.get(URL).json()] == [made["id"]]
    audit = [a for a in client.get(f"/api/v1/halls/{HALL}/audit").json() if a["action"] == "closure.add"]
    assert [a["after"]["reason"] for a in audit] == ["系统升级"]
    with ctx.read() as s:
        types = s.scalars(select(HallEvent.type).where(HallEvent.type.like("closure.%"))).all()
    assert types == ["closure.added"]
    # Removed: the hall opens again at once.
    assert client.delete(f"{URL}/{made['id']}").status_code == 204
    assert item(client, COMPANY)["can_issue"] is True and take(client, COMPANY).status_code == 201
    assert client.get(URL).json() == []
    assert client.delete(f"{URL}/{made['id']}").status_code == 404
    assert client.delete(f"{URL}/99999999999999").status_code == 422  # not an id: a clear 4xx, never a 500
    assert client.delete(f"{URL}/one").status_code == 422


def test_a_zone_or_an_item_closes_alone(client: TestClient, clock: FakeClock) -> None:
    assert (
        client.post(
            URL, json=closure(zone="construction", reason="设备检修", reason_en="Repairs")
        ).status_code
        == 201
    )
    assert item(client, BUILDING)["closed_reason"] == "设备检修" and take(client, BUILDING).status_code == 409
    assert item(client, COMPANY)["open_now"] is True
    afternoon = closure(
        service=PENSION, starts_at="2026-12-01T14:30:00", ends_at="2026-12-01T16:00:00", reason="系统维护"
    )
    assert client.post(URL, json=afternoon).status_code == 201
    sv = item(client, PENSION)  # open this morning; after lunch it opens at 16:00 (not all day)
    assert sv["open_now"] and sv["closed_reason"] is None and sv["next_open"] == "2026-12-01T16:00:00+08:00"
    clock.now = local("2026-12-01T15:00:00")  # during it: the refusal says why, and when it opens again
    refused = take(client, PENSION).json()
    assert refused["code"] == "closed" and refused["next_open"] == "2026-12-01T16:00:00+08:00"
    assert "因系统维护" in refused["detail"] and "12月1日（周二）16:00" in refused["detail"]
    zones = {z["key"]: z for z in client.get(f"/api/v1/halls/{HALL}/zones").json()}
    assert zones["construction"]["open_now"] is False and zones["business"]["open_now"] is True


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (closure(ends_at="2026-11-30T00:00:00"), 422),  # ends before it starts
        (closure(starts_at="2026-11-01T00:00:00", ends_at="2026-11-02T00:00:00"), 422),  # in the past
        (closure(zone="social", service=PENSION), 422),
        (closure(zone="mars"), 404),
        (closure(service="510403-XX-000"), 404),
        (closure(reason=""), 422),
        (closure(starts_at="tomorrow"), 422),
        (closure(ends_at="2028-12-02T00:00:00"), 422),  # longer than a year
    ],
)
def test_bad_closures_are_refused_clearly(client: TestClient, body: dict[str, Any], status: int) -> None:
    r = client.post(URL, json=body)
    assert r.status_code == status, r.text
    assert r.json()["detail"]


def test_only_managers_of_the_hall(login: Callable[..., TestClient], app_client: TestClient) -> None:
    clerk = login("clerk1", "clerk")
    assert clerk.post(URL, json=closure()).status_code == 403
    assert clerk.get(URL).status_code == 403
    assert app_client.get(URL).status_code == 401
    other = login("manager-elsewhere", "manager", halls=[])
    assert other.post(URL, json=closure()).status_code == 403


def test_another_process_sees_a_closure_at_once(ctx: Context, db_url: str) -> None:
    other = open_context(db_url, migrate=False)  # a second server process, as far as caches go
    other.clock = ctx.clock
    try:
        assert catalogue.hall(other, HALL)["open_now"] is True  # cached there now
        manager = Actor(name="m", role="manager", halls=(HALL,))
        closures.add_closure(
            ctx, manager, HALL, starts_at=local("2026-12-01T09:00:00"), ends_at=local("2026-12-01T11:00:00"),
            reason="停电", reason_en="Power cut",
        )  # fmt: skip
        seen = catalogue.hall(other, HALL)
        assert seen["open_now"] is False and seen["next_open"] == "2026-12-01T11:00:00+08:00"
    finally:
        other.sessions.kw["bind"].dispose()
