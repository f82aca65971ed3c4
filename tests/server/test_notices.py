"""Notices (公告) of the display ticker, on SQLite and PostgreSQL: the API, audit, events, snapshot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from queue_server.api.events_doc import check_event
from queue_server.db.models import HallEvent
from queue_server.services import notices
from queue_server.services.context import Context
from tests.conftest import FakeClock

from .helpers import HALL

URL = f"/api/v1/halls/{HALL}/notices"


def local(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+08:00").astimezone(UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(local("2026-12-01T10:00:00"))


def events(ctx: Context) -> list[dict[str, Any]]:
    with ctx.read() as s:
        rows = s.scalars(select(HallEvent).where(HallEvent.type.like("notice.%")).order_by(HallEvent.seq))
        return [
            {
                "hall_id": e.hall_id,
                "seq": e.seq,
                "at": e.at.isoformat(),
                "type": e.type,
                "zone": e.zone,
                "window": e.window,
                "payload": e.payload,
            }
            for e in rows
        ]


def test_a_manager_writes_notices_everyone_reads_them(
    client: TestClient, app_client: TestClient, ctx: Context, login: Callable[..., TestClient]
) -> None:
    first = client.post(URL, json={"text": "  本周六正常办公 ", "text_en": "Open this Saturday"})
    assert first.status_code == 201, first.text
    made = first.json()
    assert made["text"] == "本周六正常办公" and made["order"] == 1 and made["created_by"] == "manager1"
    assert made["starts_at"] is None and made["ends_at"] is None
    # The second goes last; an explicit order puts one first. Times without an offset are the hall's.
    later = client.post(
        URL,
        json={"text": "午间不停办", "starts_at": "2026-12-01T12:00:00", "ends_at": "2026-12-01T14:00:00"},
    ).json()
    assert later["order"] == 2 and later["text_en"] == ""
    assert later["starts_at"] == "2026-12-01T12:00:00+08:00"
    top = client.post(URL, json={"text": "请保管好随身物品", "order": 0}).json()
    # Anyone (a display, a phone) reads them without credentials, in the ticker's order.
    listed = app_client.get(URL)
    assert listed.status_code == 200
    assert [n["id"] for n in listed.json()] == [top["id"], made["id"], later["id"]]
    assert [n["id"] for n in client.get(f"/api/v1/halls/{HALL}/snapshot").json()["notices"]] == [
        top["id"],
        made["id"],
        later["id"],
    ]
    # Changed: text and times replaced, the order kept.
    changed = client.put(f"{URL}/{made['id']}", json={"text": "本周六上午正常办公", "text_en": "Open Sat am"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["order"] == 1 and changed.json()["text_en"] == "Open Sat am"
    assert client.delete(f"{URL}/{top['id']}").status_code == 204
    assert client.delete(f"{URL}/{top['id']}").status_code == 404
    assert client.put(f"{URL}/{top['id']}", json={"text": "x"}).status_code == 404
    assert client.delete(f"{URL}/99999999999999").status_code == 422
    assert [n["id"] for n in app_client.get(URL).json()] == [made["id"], later["id"]]
    # Audited in words, and every change is a typed live event that carries what displays need.
    audit = client.get(f"/api/v1/halls/{HALL}/audit").json()
    mine = [a for a in audit if a["action"].startswith("notice.")]
    assert sorted(a["action"] for a in mine) == ["notice.add"] * 3 + ["notice.remove", "notice.update"]
    assert any("修改公告" in a["sentence"] and "本周六上午正常办公" in a["sentence"] for a in mine), mine
    seen = events(ctx)
    assert [e["type"] for e in seen] == ["notice.added"] * 3 + ["notice.updated", "notice.removed"]
    for e in seen:
        check_event(e)
    assert seen[3]["payload"]["text"] == "本周六上午正常办公" and seen[4]["payload"] == {"id": top["id"]}
    # Clerks and displays may not write them.
    clerk = login("clerk9", "clerk")
    assert clerk.post(URL, json={"text": "x"}).status_code == 403
    assert app_client.post(URL, json={"text": "x"}).status_code == 401


def test_a_notice_that_ended_is_gone_and_bad_ones_are_refused(
    client: TestClient, app_client: TestClient, clock: FakeClock
) -> None:
    short = client.post(URL, json={"text": "上午系统升级", "ends_at": "2026-12-01T11:00:00"}).json()
    assert [n["id"] for n in app_client.get(URL).json()] == [short["id"]]
    clock.now = local("2026-12-01T11:00:00")  # ends_at is exclusive
    assert app_client.get(URL).json() == []
    for body in (
        {"text": "x", "starts_at": "2026-12-02T10:00:00", "ends_at": "2026-12-02T09:00:00"},
        {"text": "x", "ends_at": "2026-12-01T10:59:00"},  # already over
        {"text": "   "},
        {"text": "x", "order": -1},
        {"text": "x", "surprise": 1},
    ):
        r = client.post(URL, json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["detail"] and r.json()["detail_en"]
    assert client.post(URL, json={"text": "x" * 201}).status_code == 422


def test_a_hall_holds_a_bounded_number_of_notices(client: TestClient) -> None:
    for i in range(notices.MAX_NOTICES):
        assert client.post(URL, json={"text": f"公告 {i}"}).status_code == 201
    refused = client.post(URL, json={"text": "one more"})
    assert refused.status_code == 409 and refused.json()["code"] == "too_many_notices"
