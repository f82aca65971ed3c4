"""Appointments (网上预约) on SQLite and PostgreSQL: slots, booking rules, cancel, check-in, misses."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from queue_server.db.models import Appointment, AuditEvent, Hall, HallEvent, Ticket
from queue_server.services import appointments
from queue_server.services.context import Context
from tests.conftest import FakeClock
from tests.id_cases import resident_number

from .helpers import COMPANY, HALL, PENSION, call_next, issue

PHONE = "13800138000"


def local(text_: str) -> datetime:
    return datetime.fromisoformat(f"{text_}+08:00").astimezone(UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(local("2026-11-25T10:00:00"))  # Wednesday


def slots(client: TestClient, day: str, service: str = PENSION) -> Any:
    r = client.get(f"/api/v1/halls/{HALL}/services/{service}/slots", params={"date": day})
    assert r.status_code == 200, r.text
    return r.json()


def book(
    client: TestClient,
    start: str,
    person: int = 0,
    service: str = PENSION,
    key: str | None = None,
    **extra: Any,
) -> Any:
    body = {
        "service": service,
        "slot_start": f"{start}+08:00",
        "id_card": {"id_number": resident_number(person), "name": "李小华"},
        "phone": PHONE,
        "idempotency_key": key or uuid.uuid4().hex,
        **extra,
    }
    return client.post(f"/api/v1/halls/{HALL}/appointments", json=body)


def test_slots_follow_the_hours_the_walk_in_share_and_the_release(app_client: TestClient) -> None:
    day = slots(app_client, "2026-11-26")  # Thursday: 08:30-12:00, 14:30-17:30 by 30 min
    starts = [s["start"][11:16] for s in day["slots"]]
    assert starts[:2] == ["08:30", "09:00"] and "12:00" not in starts and "14:30" in starts
    assert len(starts) == 7 + 6
    assert {(s["capacity"], s["left"]) for s in day["slots"]} == {(3, 3)}  # 4 × (1 − 0.25)
    today = slots(app_client, "2026-11-25")
    assert all(s["start"] > "2026-11-25T10:00" for s in today["slots"])  # nothing in the past
    assert slots(app_client, "2026-11-28")["slots"] == []  # Saturday
    later = slots(app_client, "2026-12-03")  # released on 26 Nov at 08:00
    assert later["slots"] == [] and later["released_at"] == "2026-11-26T08:00:00+08:00"
    assert "开放预约" in later["reason"]
    assert slots(app_client, "2026-12-02")["slots"]  # 7 days ahead: released today 08:00


def test_book_replay_and_personal_data(app_client: TestClient, ctx: Context) -> None:
    r = book(app_client, "2026-11-26T09:00:00", key="double-tap-0001")
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["status"] == "booked" and made["slot_start"] == "2026-11-26T09:00:00+08:00"
    assert made["slot_end"] == "2026-11-26T09:30:00+08:00"
    assert made["checkin_from"] == "2026-11-26T08:30:00+08:00"
    assert made["checkin_until"] == "2026-11-26T09:15:00+08:00"
    assert made["phone_masked"] == "138****8000" and made["id_masked"].startswith("5104")
    again = book(app_client, "2026-11-26T09:00:00", key="double-tap-0001")
    assert again.status_code == 200 and again.json()["code"] == made["code"]
    assert slots(app_client, "2026-11-26")["slots"][1]["left"] == 2
    looked = app_client.get(f"/api/v1/public/appointments/{made['token']}").json()
    assert looked["code"] == made["code"] and looked["ticket"] is None
    # Neither the number nor the phone is stored or audited in clear.
    with ctx.read() as s:
        dump = " ".join(
            str(row) for table in ("appointments", "audit_events", "hall_events")
            for row in s.execute(text(f"SELECT * FROM {table}")).all()
        )  # fmt: skip
        assert resident_number(0) not in dump and PHONE not in dump
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "appointment")) == (
            "appointment.book"
        )
        assert s.scalar(select(HallEvent.id).where(HallEvent.type.like("appointment%"))) is None


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"phone": "12345678901"}, 422, "bad_phone"),
        ({"phone": "1380013800"}, 422, "bad_phone"),
        ({"slot_start": "2026-11-25T09:00:00+08:00"}, 409, "past"),
        ({"slot_start": "2026-12-03T09:00:00+08:00"}, 409, "not_released"),
        ({"slot_start": "2026-11-26T09:10:00+08:00"}, 422, "no_slot"),
        ({"slot_start": "2026-11-26T12:00:00+08:00"}, 422, "no_slot"),  # lunch break
        ({"service": "510403-XK-ZJ-001"}, 409, "no_appointments"),
    ],
)
def test_refusals_say_why(app_client: TestClient, change: dict[str, str], status: int, code: str) -> None:
    body = {
        "service": PENSION,
        "slot_start": "2026-11-26T09:00:00+08:00",
        "id_card": {"id_number": resident_number(1), "name": "李小华"},
        "phone": PHONE,
        "idempotency_key": uuid.uuid4().hex,
        **change,
    }
    r = app_client.post(f"/api/v1/halls/{HALL}/appointments", json=body)
    assert r.status_code == status, r.text
    assert r.json()["code"] == code and r.json()["detail"] and r.json()["detail_en"]


def test_mobile_numbers_with_country_code_are_accepted(app_client: TestClient) -> None:
    r = book(app_client, "2026-11-26T09:00:00", phone="+86 139-0013-9000")
    assert r.status_code == 201, r.text
    assert r.json()["phone_masked"] == "139****9000"


def test_capacity_is_kept_and_cancel_frees_the_place(app_client: TestClient) -> None:
    made = [book(app_client, "2026-11-26T10:00:00", person=i) for i in range(3)]
    assert [r.status_code for r in made] == [201, 201, 201]
    full = book(app_client, "2026-11-26T10:00:00", person=3)
    assert full.status_code == 409 and full.json()["code"] == "full"
    token = made[0].json()["token"]
    r = app_client.post(f"/api/v1/public/appointments/{token}/cancel")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    again = app_client.post(f"/api/v1/public/appointments/{token}/cancel")
    assert again.status_code == 409 and again.json()["code"] == "cannot_cancel"
    assert book(app_client, "2026-11-26T10:00:00", person=3).status_code == 201
    assert next(s for s in slots(app_client, "2026-11-26")["slots"] if "T10:00" in s["start"])["left"] == 0


def test_one_live_booking_per_item_and_a_cap_per_day(app_client: TestClient, ctx: Context) -> None:
    assert book(app_client, "2026-11-26T09:00:00").status_code == 201
    second = book(app_client, "2026-11-27T09:00:00")
    assert second.status_code == 409 and second.json()["code"] == "already_booked"
    with ctx.sessions.begin() as s:
        hall = s.scalar(select(Hall).where(Hall.code == HALL))
        assert hall is not None
        hall.appointments = {**(hall.appointments or {}), "per_person_per_day": 1}
    other = book(app_client, "2026-11-26T10:00:00", service=COMPANY)
    assert other.status_code == 429 and other.json()["code"] == "day_limit"
    assert book(app_client, "2026-11-27T10:00:00", service=COMPANY).status_code == 201


def test_manager_closes_a_day_and_changes_capacity(
    app_client: TestClient, client: TestClient, login: Callable[..., TestClient]
) -> None:
    kept = book(app_client, "2026-11-27T09:00:00").json()
    url = f"/api/v1/halls/{HALL}/services/{PENSION}/slot-days/2026-11-27"
    clerk = login("clerk9", "clerk")
    assert clerk.put(url, json={"closed": True}).status_code == 403
    r = client.put(url, json={"closed": True})
    assert r.status_code == 200 and r.json()["slots"] == [] and "停止" in r.json()["reason"]
    refused = book(app_client, "2026-11-27T10:00:00", person=5)
    assert refused.status_code == 409 and refused.json()["code"] == "day_closed"
    assert app_client.get(f"/api/v1/public/appointments/{kept['token']}").json()["status"] == "booked"
    r = client.put(url, json={"closed": False, "capacity": 1})
    assert r.status_code == 200
    nine = next(s for s in r.json()["slots"] if "T09:00" in s["start"])
    assert (nine["capacity"], nine["left"]) == (1, 0)  # already booked stays booked
    listed = client.get(f"/api/v1/halls/{HALL}/appointments", params={"date": "2026-11-27"}).json()
    assert [a["code"] for a in listed] == [kept["code"]] and listed[0]["token"] is None
    assert client.put(url, json={"capacity": -1}).status_code == 422


def test_check_in_early_on_time_late_then_called_first(
    app_client: TestClient, clock: FakeClock, device: Callable[..., TestClient], client: TestClient
) -> None:
    kiosk = device("kiosk-appt", "kiosk")
    on_time = book(app_client, "2026-11-26T10:00:00", person=1).json()
    late = book(app_client, "2026-11-26T10:00:00", person=2).json()
    clock.now = local("2026-11-26T09:00:00")
    early = kiosk.post(f"/api/v1/halls/{HALL}/appointments/check-in", json={"token": on_time["token"]})
    assert early.status_code == 409 and early.json()["code"] == "too_early"
    assert early.json()["come_back_at"] == "2026-11-26T09:30:00+08:00" and "09:30" in early.json()["detail"]
    booking = early.json()["appointment"]  # for the kiosk's slip: masks only, and the booking's QR address
    assert booking["code"] == on_time["code"] and booking["booking_url"].endswith(on_time["token"])
    assert booking["id_masked"] == on_time["id_masked"] and resident_number(1) not in early.text
    clock.now = local("2026-11-26T09:48:00")
    walk_in = issue(client, PENSION)  # waits before the appointment checks in
    clock.now = local("2026-11-26T09:50:00")
    r = kiosk.post(f"/api/v1/halls/{HALL}/appointments/check-in", json={"id_number": resident_number(1)})
    assert r.status_code == 200, r.text
    checked = r.json()
    assert checked["outcome"] == "on_time" and checked["appointment"]["status"] == "checked_in"
    assert checked["ticket"]["priority_class"] == "appointment"
    replay = kiosk.post(f"/api/v1/halls/{HALL}/appointments/check-in", json={"token": on_time["token"]})
    assert replay.json()["ticket"]["id"] == checked["ticket"]["id"]  # same ticket, not a second
    # At its slot the appointment is called before the walk-in who came earlier (not yet escalated).
    clock.now = local("2026-11-26T10:02:00")
    called = call_next(client, "05")
    assert called is not None and called["id"] == checked["ticket"]["id"], walk_in
    for action in ("start", "finish"):
        assert client.post(f"/api/v1/tickets/{called['id']}/{action}").status_code == 200
    clock.now = local("2026-11-26T10:20:00")  # slot + 20 min: past the 15 minutes
    r = kiosk.post(f"/api/v1/halls/{HALL}/appointments/check-in", json={"token": late["token"]})
    assert r.status_code == 200 and r.json()["outcome"] == "late"
    assert r.json()["ticket"]["priority_class"] == "normal" and "15" in r.json()["message"]
    assert r.json()["appointment"]["status"] == "late"
    page = app_client.get(f"/api/v1/public/appointments/{on_time['token']}").json()
    assert page["status"] == "checked_in" and page["ticket"]["status"] == "done"


def test_missed_bookings_block_booking_for_a_while(
    app_client: TestClient, clock: FakeClock, ctx: Context
) -> None:
    days = ["2026-11-26", "2026-11-27", "2026-11-30"]
    for day in days:
        assert book(app_client, f"{day}T10:00:00").status_code == 201
        clock.now = local(f"{day}T10:16:00")  # the check-in window has ended
    r = book(app_client, "2026-12-01T10:00:00")
    assert r.status_code == 429 and r.json()["code"] == "blocked"
    assert r.json()["until"] == "2026-12-07T10:00:00+08:00" and "现场取号" in r.json()["detail"]
    with ctx.read() as s:
        statuses = s.scalars(select(Appointment.status).order_by(Appointment.slot_start)).all()
    assert statuses == ["missed", "missed", "missed"]
    other = book(app_client, "2026-12-01T10:00:00", person=7)  # someone else may
    assert other.status_code == 201
    clock.now = local("2026-12-07T10:01:00")
    assert book(app_client, "2026-12-08T10:00:00").status_code == 201


def test_the_periodic_check_marks_ended_bookings_missed_without_anyone_asking(
    app_client: TestClient, clock: FakeClock, ctx: Context
) -> None:
    ended = book(app_client, "2026-11-26T10:00:00").json()
    later = book(app_client, "2026-11-26T15:00:00", person=3).json()
    clock.now = local("2026-11-26T10:14:00")  # still inside the check-in window (until 10:15)
    assert appointments.sweep_ended(ctx) == 0
    clock.now = local("2026-11-26T10:16:00")
    assert appointments.sweep_ended(ctx) == 1
    assert appointments.sweep_ended(ctx) == 0  # once
    view = app_client.get(f"/api/v1/public/appointments/{ended['token']}").json()
    assert view["status"] == "missed"
    assert app_client.get(f"/api/v1/public/appointments/{later['token']}").json()["status"] == "booked"
    with ctx.read() as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.object_id == ended["code"])).all()
    assert "appointment.miss" in actions


def test_a_late_arrival_after_being_marked_missed_gets_an_ordinary_ticket(
    app_client: TestClient,
    client: TestClient,
    clock: FakeClock,
    device: Callable[..., TestClient],
    ctx: Context,
) -> None:
    made = book(app_client, "2026-11-26T10:00:00").json()
    clock.now = local("2026-11-26T11:00:00")
    client.get(f"/api/v1/halls/{HALL}/appointments", params={"date": "2026-11-26"})  # marks it missed
    assert app_client.get(f"/api/v1/public/appointments/{made['token']}").json()["status"] == "missed"
    r = device("kiosk-2", "kiosk").post(
        f"/api/v1/halls/{HALL}/appointments/check-in", json={"id_number": resident_number(0)}
    )
    assert r.status_code == 200 and r.json()["outcome"] == "late"
    with ctx.read() as s:
        t = s.scalar(select(Ticket).where(Ticket.id == r.json()["ticket"]["id"]))
        assert t is not None and t.priority_class == "normal" and t.id_masked == made["id_masked"]
