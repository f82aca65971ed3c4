"""Honest availability over HTTP, on SQLite and PostgreSQL: the catalogue's fields and the three 409s."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from queue_server.hall_config.calendar_file import load_calendar_file
from queue_server.services import availability
from queue_server.services.calendar_import import import_calendar
from queue_server.services.context import SYSTEM, Context
from tests.conftest import ROOT, FakeClock
from tests.support import staff_windows

from .helpers import COMPANY, HALL, PENSION

SELF_SERVICE = "510403-GG-RS-006"  # 24-hour self-service zone, own hours 00:00-24:00
TAX = "510403-QT-SW-001"  # 发票领用: its own hours, 09:00-12:00 and 14:30-16:00


def local(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+08:00").astimezone(UTC)


def take(client: TestClient, service: str) -> Any:
    body = {"service": service, "idempotency_key": uuid.uuid4().hex, "channel": "counter"}
    return client.post(f"/api/v1/halls/{HALL}/tickets", json=body)


def item(client: TestClient, code: str) -> dict[str, Any]:
    listed = next(s for s in client.get(f"/api/v1/halls/{HALL}/services").json() if s["code"] == code)
    guide = client.get(f"/api/v1/halls/{HALL}/services/{code}").json()
    keys = ("open_now", "open_until", "next_open", "closed_reason", "self_service", "staffed", "can_issue")
    assert {k: guide[k] for k in keys} == {k: listed[k] for k in keys}  # one answer, two places
    return listed


@pytest.fixture
def clock() -> FakeClock:
    """Tuesday 1 December 2026, 10:00 in the hall (staff sign in then; tokens last 72 hours)."""
    return FakeClock(local("2026-12-01T10:00:00"))


@pytest.fixture
def calendar_2026(ctx: Context) -> None:
    import_calendar(ctx, SYSTEM, load_calendar_file(ROOT / "config" / "calendar" / "2026.toml"))


def test_open_item_during_hours(client: TestClient, clock: FakeClock) -> None:
    clock.now = local("2026-12-01T10:00:00")
    sv = item(client, COMPANY)
    assert sv["open_now"] and sv["staffed"] and sv["can_issue"] and not sv["self_service"]
    assert sv["open_until"] == "2026-12-01T12:00:00+08:00" and sv["next_open"] == "2026-12-01T14:30:00+08:00"
    assert sv["eta_min"] == 0 and sv["eta_max"] is not None and sv["closed_reason"] is None
    assert take(client, COMPANY).status_code == 201
    hall = client.get(f"/api/v1/halls/{HALL}").json()
    assert hall["open_now"] and hall["phone"] and hall["complaint_phone"] == "12345"
    assert client.get("/api/v1/halls").json()[0] == hall


def test_closed_at_night_names_the_next_opening(client: TestClient, clock: FakeClock) -> None:
    clock.now = local("2026-12-01T21:45:00")
    sv = item(client, COMPANY)
    assert (sv["open_now"], sv["can_issue"], sv["eta_min"], sv["eta_max"]) == (False, False, None, None)
    assert sv["next_open"] == "2026-12-02T08:30:00+08:00"
    r = take(client, COMPANY)
    body = r.json()
    assert r.status_code == 409 and body["code"] == "closed"
    assert body["next_open"] == "2026-12-02T08:30:00+08:00"
    assert "下次办理时间：12月2日（周三）08:30" in body["detail"]
    assert "Next opening: Wed 2 Dec 08:30" in body["detail_en"]
    assert COMPANY not in body["detail"] and "510403" not in body["detail"]
    hall = client.get(f"/api/v1/halls/{HALL}").json()
    assert (hall["open_now"], hall["next_open"]) == (False, "2026-12-02T08:30:00+08:00")


def test_lunch_break(client: TestClient, clock: FakeClock) -> None:
    clock.now = local("2026-12-01T12:30:00")
    r = take(client, PENSION)
    assert r.status_code == 409 and r.json()["next_open"] == "2026-12-01T14:30:00+08:00"
    assert "12月1日（周二）14:30" in r.json()["detail"]


def test_the_eta_counts_the_lunch_break(client: TestClient, clock: FakeClock) -> None:
    clock.now = local("2026-12-01T11:50:00")  # 10 minutes before lunch
    first = take(client, PENSION).json()
    assert first["eta_max"] is not None and first["eta_max"] < 30  # served before lunch
    for _ in range(2):
        last = take(client, PENSION).json()
    sv = item(client, PENSION)
    # Three ahead at windows 05 and 06 (6–14 min each): past 12:00, so 2.5 hours of lunch are added,
    # to the catalogue's figure, the issued ticket's and its public status alike.
    assert sv["eta_max"] is not None and sv["eta_max"] > 150
    assert last["eta_max"] > 150 and last["eta_min"] < 10
    public = client.get(f"/api/v1/public/tickets/{last['token']}").json()
    assert public["eta_max"] == last["eta_max"]


def test_per_item_hours(client: TestClient, clock: FakeClock) -> None:
    clock.now = local("2026-12-01T16:30:00")  # the hall is open; the tax item closes at 16:00 (its hours)
    sv = item(client, TAX)
    assert sv["open_now"] is False and sv["next_open"] == "2026-12-02T09:00:00+08:00"
    assert take(client, TAX).json()["code"] == "closed"
    assert item(client, COMPANY)["open_now"] is True


def test_holiday_and_adjusted_working_day(client: TestClient, clock: FakeClock, calendar_2026: None) -> None:
    clock.now = local("2026-10-02T10:00:00")  # a Friday of the National Day holiday
    sv = item(client, COMPANY)
    assert sv["open_now"] is False and sv["next_open"] == "2026-10-08T08:30:00+08:00"
    assert (sv["closed_reason"], sv["closed_reason_en"]) == ("国庆节", "National Day")
    r = take(client, COMPANY)
    assert (
        r.status_code == 409
        and "国庆节" in r.json()["detail"]
        and "10月8日（周四）08:30" in r.json()["detail"]
    )
    hall = client.get(f"/api/v1/halls/{HALL}").json()
    assert hall["closed_reason"] == "国庆节"
    # The self-service machines are round the clock: holidays do not close them.
    assert item(client, SELF_SERVICE)["open_now"] is True
    clock.now = local("2026-10-10T09:00:00")  # Saturday, an adjusted working day (调休上班)
    assert item(client, COMPANY)["open_now"] is True and take(client, COMPANY).status_code == 201


def test_self_service_items_need_no_ticket(client: TestClient, clock: FakeClock) -> None:
    clock.now = local("2026-12-01T21:45:00")
    sv = item(client, SELF_SERVICE)
    assert (sv["open_now"], sv["self_service"], sv["can_issue"]) == (True, True, False)
    r = take(client, SELF_SERVICE)
    assert r.status_code == 409 and r.json()["code"] == "self_service"
    assert "24小时自助服务区" in r.json()["detail"] and "无需取号" in r.json()["detail"]
    zones = {z["key"]: z for z in client.get(f"/api/v1/halls/{HALL}/zones").json()}
    assert zones["self_service"]["self_service"] and zones["self_service"]["open_now"]
    assert not zones["business"]["open_now"] and zones["business"]["next_open"] == "2026-12-02T08:30:00+08:00"


@pytest.mark.unstaffed
def test_no_ticket_and_no_eta_without_a_staffed_window(client: TestClient, ctx: Context) -> None:
    sv = item(client, PENSION)  # 10:00 on a Tuesday: open, but nobody signed in
    assert (sv["open_now"], sv["staffed"], sv["can_issue"], sv["eta_min"], sv["eta_max"]) == (
        True,
        False,
        False,
        None,
        None,
    )
    r = take(client, PENSION)
    assert r.status_code == 409 and r.json()["code"] == "unstaffed" and "510403" not in r.json()["detail"]
    staff_windows(ctx, windows=["06"])  # the backup post of the item is staffed now
    sv = item(client, PENSION)
    assert sv["staffed"] and sv["can_issue"] and sv["eta_max"] is not None
    t = take(client, PENSION).json()
    assert t["eta_max"] is not None
    # An open window without a clerk does not count: closing 06 leaves 05 (open, nobody there).
    assert client.patch(f"/api/v1/halls/{HALL}/windows/06", json={"state": "closed"}).status_code == 200
    assert take(client, PENSION).json()["code"] == "unstaffed"
    now = client.get(f"/api/v1/tickets/{t['id']}").json()
    assert (now["eta_min"], now["eta_max"]) == (None, None)


def test_working_days_from_the_database(ctx: Context, calendar_2026: None) -> None:
    with ctx.read() as s:
        assert availability.add_working_days(s, date(2026, 9, 30), 1) == date(2026, 10, 8)  # National Day
        assert availability.add_working_days(s, date(2026, 10, 8), 2) == date(2026, 10, 10)  # 调休 Saturday
        assert availability.add_working_days(s, date(2026, 12, 4), 1) == date(2026, 12, 7)
