"""好差评 server side: the token is the holder's alone, one rating per ticket, reasons limited; every
bad rating opens a rectification case (due date by the business calendar, states by the table,
appeals decided by a manager, overdue cases flagged)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from queue_server.db.models import AuditEvent, Evaluation
from queue_server.hall_config.calendar_file import load_calendar_file
from queue_server.services import accounts, posts
from queue_server.services.calendar_import import import_calendar
from queue_server.services.context import SYSTEM, Context
from tests.conftest import ROOT, FakeClock

from .helpers import HALL, PENSION, call_next, issue, sqlite_only

# Wednesday 23 September 2026, 10:00 in Shanghai: the Mid-Autumn Festival (25–27 Sep) and National Day
# (1–7 Oct, with Saturday 10 Oct a working day) lie within the next 15 working days.
BEFORE_HOLIDAYS = datetime(2026, 9, 23, 2, 0, tzinfo=UTC)


def finished(client: TestClient, window: str = "05") -> dict[str, Any]:
    """A ticket issued, called, served and finished at `window` (a manager acts for the clerk)."""
    t = issue(client, PENSION)
    called = call_next(client, window)
    assert called is not None and called["id"] == t["id"]
    assert client.post(f"/api/v1/tickets/{t['id']}/start").status_code == 200
    done = client.post(f"/api/v1/tickets/{t['id']}/finish")
    assert done.status_code == 200, done.text
    return {**t, "finish_response": done.json(), "call_response": called}


@sqlite_only
def test_the_token_is_the_holders_alone(
    ctx: Context, app_client: TestClient, client: TestClient, login: Callable[..., TestClient], device: Any
) -> None:
    t = finished(client)
    # Staff views and the call/finish answers do not carry it.
    assert "token" not in t["call_response"] and "token" not in t["finish_response"]
    assert "token" not in client.get(f"/api/v1/tickets/{t['id']}").json()
    # A clerk who saw it anyway (they issued a counter ticket) cannot rate with it, nor can a manager,
    # a pad or an admin: only the holder (no credentials) or the kiosk the holder scans it at.
    clerk = login("clerk9", "clerk")
    posts.sign_in(ctx, _actor(ctx, "clerk9"), HALL, "05")
    url = f"/api/v1/public/tickets/{t['token']}/evaluation"
    for staff in (clerk, client, device("pad-05", "pad", "05"), login("admin9", "admin", [])):
        r = staff.post(url, json={"level": 5})
        assert r.status_code == 403, r.text
        assert "本人" in r.json()["detail"]
    with ctx.read() as s:
        assert s.scalar(select(Evaluation.id)) is None
    kiosk = device("kiosk-1", "kiosk")
    assert kiosk.post(url, json={"level": 4}).status_code == 201
    assert app_client.post(url, json={"level": 5}).status_code == 409  # one rating per ticket


@sqlite_only
def test_reasons_are_limited(app_client: TestClient, client: TestClient) -> None:
    t = finished(client)
    url = f"/api/v1/public/tickets/{t['token']}/evaluation"
    assert app_client.post(url, json={"level": 1, "reasons": ["太" * 51]}).status_code == 422
    assert app_client.post(url, json={"level": 1, "reasons": ["慢"] * 7}).status_code == 422
    r = app_client.post(url, json={"level": 1, "reasons": ["等" * 50, "  "]})
    assert r.status_code == 201 and r.json()["reasons"] == ["等" * 50]


@sqlite_only
def test_the_pad_shows_the_clerks_name_and_staff_number(ctx: Context, device: Any) -> None:
    accounts.create_user(ctx, SYSTEM, "zhangmin", "clerk", "a long password", [HALL], "张敏", "XQ0417")
    posts.sign_in_as(ctx, "zhangmin", HALL, "05")
    pad = device("pad-05", "pad", "05")
    card = pad.get(f"/api/v1/halls/{HALL}/windows/05/clerk").json()
    assert card == {"window": "05", "window_name": card["window_name"], "name": "张敏", "staff_no": "XQ0417"}
    posts.sign_out(ctx, _actor(ctx, "zhangmin"), HALL, "05")
    assert pad.get(f"/api/v1/halls/{HALL}/windows/05/clerk").json()["name"] is None


def test_a_bad_rating_opens_a_case_due_in_15_working_days(
    ctx: Context, clock: FakeClock, app_client: TestClient, client: TestClient
) -> None:
    import_calendar(ctx, SYSTEM, load_calendar_file(ROOT / "config" / "calendar" / "2026.toml"))
    clock.now = BEFORE_HOLIDAYS
    good, bad = finished(client), finished(client)
    assert (
        app_client.post(f"/api/v1/public/tickets/{good['token']}/evaluation", json={"level": 4}).json()[
            "case"
        ]
        is None
    )
    r = app_client.post(
        f"/api/v1/public/tickets/{bad['token']}/evaluation", json={"level": 2, "reasons": ["等候时间过长"]}
    )
    case_id = r.json()["case"]
    cases = client.get(f"/api/v1/halls/{HALL}/cases").json()
    assert [c["id"] for c in cases] == [case_id]
    case = cases[0]
    # 24 Sep (1), Mid-Autumn 25–27, 28–30 Sep (2–4), National Day 1–7 Oct, 8–9 Oct (5–6), Saturday
    # 10 Oct is worked (7), 12–16 Oct (8–12), 19–21 Oct (13–15).
    assert case["due_on"] == "2026-10-21"
    assert case["status"] == "open" and case["overdue"] is False
    assert case["owner"] and case["ticket"]["number"] == bad["number"] and case["level"] == 2
    assert case["reasons"] == ["等候时间过长"]
    # The due date is still in time; the next day it is overdue, here and in the filter.
    clock.now = datetime(2026, 10, 21, 9, 0, tzinfo=UTC)  # 17:00 in Shanghai
    assert client.get(f"/api/v1/halls/{HALL}/cases?state=overdue").json() == []
    clock.now = datetime(2026, 10, 22, 1, 0, tzinfo=UTC)
    assert [c["id"] for c in client.get(f"/api/v1/halls/{HALL}/cases?state=overdue").json()] == [case_id]
    # Answer, call back, close: it is no longer overdue.
    base = f"/api/v1/halls/{HALL}/cases/{case_id}"
    assert client.post(f"{base}/close").status_code == 409  # not called back yet
    assert (
        client.post(f"{base}/respond", json={"text": "已增开窗口，调整午间排班"}).json()["status"]
        == "responded"
    )
    assert client.post(f"{base}/callback", json={"reached": True}).status_code == 422  # satisfied?
    r = client.post(f"{base}/callback", json={"reached": True, "satisfied": True, "note": "电话回访"})
    assert r.json()["callback"] == {"reached": True, "satisfied": True, "note": "电话回访"}
    closed = client.post(f"{base}/close").json()
    assert closed["status"] == "closed" and closed["overdue"] is False and closed["closed_at"]
    assert client.get(f"/api/v1/halls/{HALL}/cases?state=overdue").json() == []
    with ctx.read() as s:
        actions = s.scalars(
            select(AuditEvent.action).where(AuditEvent.object_type == "case").order_by(AuditEvent.id)
        ).all()
    assert actions == ["case.open", "case.respond", "case.callback", "case.close"]


def test_an_approved_appeal_excludes_the_rating(
    ctx: Context, app_client: TestClient, client: TestClient, login: Callable[..., TestClient]
) -> None:
    t = finished(client)
    case_id = app_client.post(f"/api/v1/public/tickets/{t['token']}/evaluation", json={"level": 1}).json()[
        "case"
    ]
    base = f"/api/v1/halls/{HALL}/cases/{case_id}"
    clerk = login("clerk8", "clerk")
    assert clerk.get(f"/api/v1/halls/{HALL}/cases").status_code == 403
    assert clerk.post(f"{base}/appeal", json={"reason": "x"}).status_code == 403
    assert client.post(f"{base}/approve", json={}).status_code == 409  # no appeal filed
    r = client.post(f"{base}/appeal", json={"reason": "评价时误触，群众当场说明"})
    assert r.json()["status"] == "appealing"
    assert client.post(f"{base}/reject", json={}).status_code == 403  # not by who filed it
    other = login("manager2", "manager")
    r = other.post(f"{base}/reject", json={"note": "无证据"})
    assert r.json()["status"] == "open" and r.json()["excluded"] is False
    client.post(f"{base}/appeal", json={"reason": "监控录像显示评价器被他人点击"})
    r = other.post(f"{base}/approve", json={"note": "核实录像"})
    assert r.json()["status"] == "appealed" and r.json()["excluded"] is True and r.json()["closed_at"]
    with ctx.read() as s:
        assert s.scalar(select(Evaluation.excluded)) is True
        audits = s.execute(
            select(AuditEvent.action, AuditEvent.actor).where(AuditEvent.action == "case.approve")
        ).all()
    assert audits == [("case.approve", "manager2")]


def _actor(ctx: Context, username: str) -> Any:
    from queue_server.db.models import User
    from queue_server.services.identity import actor_of_user

    with ctx.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        _ = list(user.halls)
        return actor_of_user(user)


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
