"""Personal data: a full day with ID cards leaves no ID number or unmasked name anywhere outside the
kiosk (logs at DEBUG including SQL, every response, live events, the database); retention; limits."""

from __future__ import annotations

import logging
import os
import re
import stat
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select, text
from stdnum.cn import ric

from queue_server.db.models import Ticket
from queue_server.services import accounts, devices
from queue_server.services.context import SYSTEM, Context
from tests.conftest import FakeClock

from .helpers import COMPANY, FOOD, HALL, PASSWORD, PENSION, sqlite_only


def resident_id(first17: str) -> str:
    """Complete 17 digits with the check character that makes a valid number."""
    return next(first17 + c for c in "0123456789X" if ric.is_valid(first17 + c))


PEOPLE = [
    (resident_id("51040319850315123"), "王小明"),
    (resident_id("51040319900101456"), "欧阳娜娜"),
    (resident_id("11010519491231002"), "李卫东"),
    (resident_id("51040320010909321"), "Anna Schmidt"),
]


class Recorder:
    """Clients whose every response is kept, for the search afterwards."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.texts: list[str] = []

    def client(self, token: str | None = None) -> TestClient:
        tc = TestClient(self.app)
        if token:
            tc.headers["authorization"] = f"Bearer {token}"
        original = tc.request

        def request(*args: Any, **kwargs: Any) -> Any:
            r = original(*args, **kwargs)
            self.texts.append(f"{r.status_code} {dict(r.headers)} {r.text}")
            return r

        tc.request = request  # type: ignore[method-assign]
        return tc


def _card(i: int) -> dict[str, str]:
    return {"id_number": PEOPLE[i][0], "name": PEOPLE[i][1]}


def test_a_day_with_id_cards_leaks_nothing(
    ctx: Context, app_client: TestClient, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    # Every logger at DEBUG, SQLAlchemy's statements with their parameters included (it sets its
    # own loggers to WARNING on import, so the root level alone would not reach them).
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    events: list[dict[str, Any]] = []
    ctx.bus.subscribe(events.extend)
    rec = Recorder(app_client.app)
    for name, role in (("clerk1", "clerk"), ("manager1", "manager")):
        accounts.create_user(ctx, SYSTEM, name, role, PASSWORD, [HALL])
    public = rec.client()
    clerk = rec.client(
        public.post("/api/v1/auth/login", json={"username": "clerk1", "password": PASSWORD}).json()["token"]
    )
    manager = rec.client(
        public.post("/api/v1/auth/login", json={"username": "manager1", "password": PASSWORD}).json()["token"]
    )
    kiosk = rec.client(devices.add_device(ctx, SYSTEM, "kiosk-1", "kiosk", HALL)[1])
    display = rec.client(devices.add_device(ctx, SYSTEM, "display-1", "display", HALL)[1])
    pad = rec.client(devices.add_device(ctx, SYSTEM, "pad-05", "pad", HALL, "05")[1])
    clerk.post(f"/api/v1/halls/{HALL}/windows/05/sign-in")

    issued = []
    for i, service in enumerate([PENSION, PENSION, COMPANY, FOOD]):
        body = {"service": service, "idempotency_key": uuid.uuid4().hex, "id_card": _card(i)}
        r = kiosk.post(f"/api/v1/halls/{HALL}/tickets", json=body)
        assert r.status_code == 201, r.text
        issued.append(r.json())
        clock.advance(minutes=3)
    staff_view = clerk.get(f"/api/v1/tickets/{issued[0]['id']}").json()
    assert staff_view["id_masked"] == PEOPLE[0][0][:4] + "*" * 10 + PEOPLE[0][0][-4:]
    assert staff_view["name_masked"] == "王**"
    # Someone takes a ticket for person 0 again, at the counter: counted for person 0.
    behalf = {
        "service": COMPANY,
        "idempotency_key": uuid.uuid4().hex,
        "id_card": _card(0),
        "channel": "counter",
    }
    assert clerk.post(f"/api/v1/halls/{HALL}/tickets", json=behalf).status_code == 201
    # Refusals must not echo what they refuse.
    wrong_digit = {**_card(1), "id_number": PEOPLE[1][0][:-1] + ("0" if PEOPLE[1][0][-1] != "0" else "1")}
    r = kiosk.post(
        f"/api/v1/halls/{HALL}/tickets",
        json={"service": PENSION, "idempotency_key": "bad-00001", "id_card": wrong_digit},
    )
    assert r.status_code == 422
    r = kiosk.post(
        f"/api/v1/halls/{HALL}/tickets",
        json={
            "service": PENSION,
            "idempotency_key": "bad-00002",
            "id_card": {**_card(2), "id_number": PEOPLE[2][0] + "-x"},
        },
    )
    assert r.status_code == 422
    r = kiosk.post(
        f"/api/v1/halls/{HALL}/tickets",
        json={"service": PENSION, "idempotency_key": "bad-00003", "id_card": {**_card(3), "extra": "y"}},
    )
    assert r.status_code == 422

    # The day: calls, service, evaluation, transfer, no-show; every screen looked at.
    for _ in range(3):
        called = clerk.post(f"/api/v1/halls/{HALL}/windows/05/call-next")
        if called.status_code == 204:
            break
        t = called.json()
        clerk.post(f"/api/v1/tickets/{t['id']}/recall")
        clerk.post(f"/api/v1/tickets/{t['id']}/start")
        clerk.post(f"/api/v1/tickets/{t['id']}/finish")
        pad.post(f"/api/v1/tickets/{t['id']}/evaluation", json={"level": 2, "reasons": ["等待时间长"]})
    company = manager.post(f"/api/v1/halls/{HALL}/windows/01/call-next").json()
    manager.post(f"/api/v1/tickets/{company['id']}/transfer", json={"service": FOOD, "reason": "材料不符"})
    food = manager.post(f"/api/v1/halls/{HALL}/windows/02/call-next").json()
    manager.post(f"/api/v1/tickets/{food['id']}/no-show")
    for t in issued:
        public.get(f"/api/v1/public/tickets/{t['token']}")
        public.get(f"/api/v1/halls/{HALL}/public/tickets/by-number/{t['number']}")
        clerk.get(f"/api/v1/tickets/{t['id']}")
        manager.get(f"/api/v1/halls/{HALL}/audit", params={"ticket": t["id"]})
    display.get(f"/api/v1/halls/{HALL}/snapshot")
    manager.get(f"/api/v1/halls/{HALL}/snapshot")
    clerk.get(f"/api/v1/halls/{HALL}/windows")
    manager.get(f"/api/v1/halls/{HALL}/audit", params={"limit": 1000})
    manager.get(f"/api/v1/halls/{HALL}/devices")
    public.get(f"/api/v1/halls/{HALL}/services")

    logs = [f"{r.name} {r.levelname} {r.getMessage()}" for r in caplog.records]
    assert any("INSERT INTO tickets" in line for line in logs)  # the capture really saw the SQL
    with ctx.sessions.kw["bind"].connect() as conn:
        meta = MetaData()
        meta.reflect(conn)
        database = [repr(row) for table in meta.sorted_tables for row in conn.execute(table.select())]
    places = {"logs": logs, "responses": rec.texts, "events": [repr(e) for e in events], "database": database}
    assert all(places.values())
    for place, texts in places.items():
        blob = "\n".join(texts)
        for id_number, name in PEOPLE:
            assert id_number not in blob, f"an ID number in {place}"
            assert id_number[6:14] not in blob, f"a birth date from an ID number in {place}"
            assert name not in blob, f"a name in {place}"
            assert name[1:] not in blob, f"a given name in {place}"


@sqlite_only
def test_secret_is_owner_only(ctx: Context) -> None:
    mode = stat.S_IMODE(os.stat(ctx.settings.secret_path).st_mode)
    assert mode == 0o600 and ctx.id_secret


def test_retention_removes_personal_fields(
    ctx: Context, client: TestClient, clock: FakeClock, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def kiosk_issue(i: int) -> dict[str, Any]:
        body = {
            "service": PENSION,
            "idempotency_key": uuid.uuid4().hex,
            "id_card": _card(i),
            "channel": "kiosk",
        }
        r = client.post(f"/api/v1/halls/{HALL}/tickets", json=body)
        assert r.status_code == 201, r.text
        return r.json()

    old = kiosk_issue(0)
    clock.advance(days=1)
    recent = kiosk_issue(1)
    clock.advance(days=179, hours=12)  # `old` is now more than 180 days old, `recent` is not
    from queue_server.services.retention import purge_personal_data

    assert purge_personal_data(ctx, SYSTEM) == 1
    with ctx.read() as s:
        rows = {t.id: t for t in s.scalars(select(Ticket))}
    assert (rows[old["id"]].id_hash, rows[old["id"]].id_masked, rows[old["id"]].name_masked) == (
        None,
        None,
        None,
    )
    assert rows[recent["id"]].id_hash and rows[recent["id"]].name_masked == "欧***"
    assert rows[old["id"]].number == old["number"]  # the ticket itself stays, for statistics
    assert purge_personal_data(ctx, SYSTEM) == 0
    # The command line, with its own number of days.
    from queue_server.cli import main

    assert main(["retention", "--days", "1", "--db", db_url]) == 0
    count = int(re.search(r"removed from (\d+) tickets", capsys.readouterr().out).group(1))  # type: ignore[union-attr]
    with ctx.read() as s:
        kept = s.scalar(select(Ticket.id_hash).where(Ticket.id == recent["id"]))
    assert (count, kept is None) in ((0, False), (1, True))  # it runs on the real clock, not the test's
    with ctx.sessions.kw["bind"].connect() as conn:
        purges = conn.execute(
            text("SELECT after FROM audit_events WHERE action = 'personal_data.purge' ORDER BY id")
        ).all()
    assert len(purges) == 3 and '"count": 1' in str(purges[0][0]).replace("'", '"')


def test_per_person_limits(
    ctx: Context, client: TestClient, device: Callable[..., TestClient], login: Callable[..., TestClient]
) -> None:
    kiosk, kiosk2, clerk = device("kiosk-1", "kiosk"), device("kiosk-2", "kiosk"), login("clerk1", "clerk")

    def take(who: TestClient, service: str, person: int, channel: str = "kiosk") -> Any:
        body = {
            "service": service,
            "idempotency_key": uuid.uuid4().hex,
            "id_card": _card(person),
            "channel": channel,
        }
        return who.post(f"/api/v1/halls/{HALL}/tickets", json=body)

    guides = [
        client.get(f"/api/v1/halls/{HALL}/services/{sv['code']}").json()
        for sv in client.get(f"/api/v1/halls/{HALL}/services").json()
        if sv["can_issue"]
    ]
    # Per item: an item allowing 2 a day per ID, taken for person 0 by a kiosk and at a counter.
    two = next(g["code"] for g in guides if g["per_person_daily_limit"] == 2)
    assert take(kiosk, two, 0).status_code == 201
    assert take(clerk, two, 0, "counter").status_code == 201  # on behalf: counted for person 0
    r = take(kiosk2, two, 0)
    detail, detail_en = r.json()["detail"], r.json()["detail_en"]
    assert r.status_code == 429 and "at most 2" in detail_en and two not in detail_en and "同一证件" in detail
    assert take(kiosk2, two, 1).status_code == 201  # another person is not affected
    # Overall: per_person_daily_total (5 in the example hall) across items, whoever takes them.
    fresh = [g["code"] for g in guides if g["code"] != two and not g["daily_quota"]]
    for code in fresh[:3]:
        assert take(kiosk2, code, 0).status_code == 201
    r = take(kiosk, fresh[3], 0)
    assert r.status_code == 429 and "all items" in r.json()["detail_en"]
    assert "所有事项合计" in r.json()["detail"]
    assert take(kiosk, fresh[3], 1).status_code == 201
    # The overall limit is the hall's setting (0 = none).
    with ctx.sessions.begin() as s:
        s.execute(text("UPDATE halls SET per_person_daily_total = 0"))
    assert take(kiosk, fresh[3], 0).status_code == 201


def test_access_log_redacts_tokens_in_urls() -> None:
    from queue_server.logsafe import RedactTokens

    token = "hqs_" + "a" * 43
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/api/v1/halls/xiqu/events?zone=a&access_token={token}&x=1", "1.1", 200),
        None,
    )  # fmt: skip
    assert RedactTokens().filter(record)
    line = record.getMessage()
    assert token not in line and "access_token=***&x=1" in line and "zone=a" in line
    for path, kept in ((f"/ui/pad/xiqu/05?token={token}", "/ui/pad/xiqu/05?token=***"),
                       (f"/t/{token}", "/t/***"), ("/ui/display/xiqu/a?zone=token", "zone=token")):
        record.args = ("127.0.0.1:5000", "GET", path, "1.1", 200)
        assert RedactTokens().filter(record)
        line = record.getMessage()
        assert token not in line and kept in line


def test_a_transfer_is_not_a_new_ticket_for_the_limits(
    client: TestClient, device: Callable[..., TestClient]
) -> None:
    kiosk = device("kiosk-1", "kiosk")
    guides = [
        client.get(f"/api/v1/halls/{HALL}/services/{sv['code']}").json()
        for sv in client.get(f"/api/v1/halls/{HALL}/services").json()
        if sv["can_issue"]
    ]
    codes = [g["code"] for g in guides if g["windows"]][:6]  # quotas (30 and more) are not reached here
    taken = []
    for code in codes[:4]:
        body = {"service": code, "idempotency_key": uuid.uuid4().hex, "id_card": _card(2)}
        r = kiosk.post(f"/api/v1/halls/{HALL}/tickets", json=body)
        assert r.status_code == 201, r.text
        taken.append(r.json())
    first = taken[0]
    window = next(g for g in guides if g["code"] == first["service"])["windows"][0]["code"]
    called = client.post(f"/api/v1/halls/{HALL}/windows/{window}/call-next").json()
    assert called["id"] == first["id"]
    moved = client.post(
        f"/api/v1/tickets/{first['id']}/transfer", json={"service": codes[5], "reason": "转办"}
    )
    assert moved.status_code == 200, moved.text
    fifth = {"service": codes[4], "idempotency_key": uuid.uuid4().hex, "id_card": _card(2)}
    assert kiosk.post(f"/api/v1/halls/{HALL}/tickets", json=fifth).status_code == 201  # 5th, not 6th
    sixth = {"service": codes[5], "idempotency_key": uuid.uuid4().hex, "id_card": _card(2)}
    assert kiosk.post(f"/api/v1/halls/{HALL}/tickets", json=sixth).status_code == 429
