"""The HTTP contract of the queue server, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from queue_server.hall_config.load import load_hall_file
from queue_server.services.context import SYSTEM, Context
from queue_server.services.hall_import import import_hall
from tests.conftest import EXAMPLE_HALL, FakeClock

from .helpers import COMPANY, FOOD, HALL, PENSION, call_next, issue


def test_health_and_catalogue(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"ok": True, "database": "ok"}
    halls = client.get("/api/v1/halls").json()
    assert [h["code"] for h in halls] == [HALL]
    services = client.get(f"/api/v1/halls/{HALL}/services").json()
    assert len(services) == 29
    company = next(s for s in services if s["code"] == COMPANY)
    assert company["prefix"] == "B" and company["open_now"] is True and company["waiting"] == 0
    guide = client.get(f"/api/v1/halls/{HALL}/services/{COMPANY}").json()
    assert guide["materials"] and {"name", "copies", "form", "requirement"} <= set(guide["materials"][0])
    assert guide["promised_days"] <= guide["statutory_days"]
    assert [w["code"] for w in guide["windows"]][:1] == ["01"]  # the primary post first
    zones = client.get(f"/api/v1/halls/{HALL}/zones").json()
    assert {z["kind"] for z in zones} >= {"window_service", "consulting", "complaints", "self_service"}


def test_issue_returns_number_waiting_and_eta(client: TestClient) -> None:
    first = issue(client, COMPANY)
    second = issue(client, COMPANY)
    assert (first["number"], second["number"]) == ("B001", "B002")
    assert first["waiting_ahead"] == 0 and second["waiting_ahead"] == 1
    assert second["eta_min"] is not None and second["eta_max"] >= second["eta_min"]
    assert second["status_url"].endswith(f"/t/{second['token']}")
    # Items that share a prefix share the counter.
    assert issue(client, FOOD)["number"] == "B003"
    assert issue(client, PENSION)["number"] == "S001"


def test_eta_unknown_when_no_open_window_serves_the_item(client: TestClient) -> None:
    t = issue(client, PENSION)
    assert t["eta_max"] is not None
    for window in ("05", "06"):
        r = client.patch(f"/api/v1/halls/{HALL}/windows/{window}", json={"state": "paused"})
        assert r.status_code == 200, r.text
    now = client.get(f"/api/v1/tickets/{t['id']}").json()
    assert (now["waiting_ahead"], now["eta_min"], now["eta_max"]) == (0, None, None)


def test_idempotency_key_returns_the_same_ticket(client: TestClient) -> None:
    body = {"service": COMPANY, "idempotency_key": "kiosk-7-000123", "channel": "counter"}
    r1 = client.post(f"/api/v1/halls/{HALL}/tickets", json=body)
    r2 = client.post(f"/api/v1/halls/{HALL}/tickets", json=body)
    assert (r1.status_code, r2.status_code) == (201, 200)
    assert r1.json()["id"] == r2.json()["id"] and r1.json()["number"] == r2.json()["number"]
    assert issue(client, COMPANY)["number"] == "B002"  # the replay consumed no number


def test_call_next_follows_the_routing_rule(client: TestClient, clock: FakeClock) -> None:
    food = issue(client, FOOD)  # level 2 at window 01
    clock.advance(minutes=1)
    company = issue(client, COMPANY)  # level 1 at window 01
    called = call_next(client, "01")
    assert called is not None and called["id"] == company["id"] and called["status"] == "called"
    assert called["window"] == "01"
    # Window 02 holds FOOD at level 1.
    assert call_next(client, "02")["id"] == food["id"]  # type: ignore[index]


def test_escalated_ticket_jumps_precedence(client: TestClient, clock: FakeClock) -> None:
    food = issue(client, FOOD)  # escalates after 40 min
    clock.advance(minutes=41)
    issue(client, COMPANY)
    assert call_next(client, "01")["id"] == food["id"]  # type: ignore[index]


def test_call_next_204_and_busy_and_paused(client: TestClient) -> None:
    assert client.post(f"/api/v1/halls/{HALL}/windows/05/call-next").status_code == 204
    t = issue(client, PENSION)
    issue(client, PENSION)
    assert call_next(client, "05")["id"] == t["id"]  # type: ignore[index]
    busy = client.post(f"/api/v1/halls/{HALL}/windows/05/call-next")
    assert busy.status_code == 409 and t["number"] in busy.json()["detail"]
    client.patch(f"/api/v1/halls/{HALL}/windows/06", json={"state": "paused"})
    paused = client.post(f"/api/v1/halls/{HALL}/windows/06/call-next")
    assert paused.status_code == 409 and "paused" in paused.json()["detail_en"]


def test_lifecycle_and_illegal_transitions(client: TestClient) -> None:
    t = issue(client, PENSION)
    r = client.post(f"/api/v1/tickets/{t['id']}/finish")
    assert r.status_code == 409 and "waiting" in r.json()["detail_en"]
    call_next(client, "05")
    recall = client.post(f"/api/v1/tickets/{t['id']}/recall").json()
    assert recall["recall_count"] == 1 and recall["status"] == "called"
    assert client.post(f"/api/v1/tickets/{t['id']}/start").json()["status"] == "serving"
    assert client.post(f"/api/v1/tickets/{t['id']}/no-show").status_code == 409
    done = client.post(f"/api/v1/tickets/{t['id']}/finish").json()
    assert done["status"] == "done" and done["ended_at"]
    assert client.post(f"/api/v1/tickets/{t['id']}/cancel").status_code == 409
    assert client.post(f"/api/v1/tickets/{t['id']}/explode").status_code == 422


def test_no_show_frees_the_window(client: TestClient) -> None:
    a, b = issue(client, PENSION), issue(client, PENSION)
    call_next(client, "05")
    assert client.post(f"/api/v1/tickets/{a['id']}/no-show").json()["status"] == "no_show"
    assert call_next(client, "05")["id"] == b["id"]  # type: ignore[index]


def test_transfer_keeps_place_and_follows_token(client: TestClient, clock: FakeClock) -> None:
    t = issue(client, PENSION)
    clock.advance(minutes=5)
    later = issue(client, FOOD)
    call_next(client, "05")
    bad = client.post(f"/api/v1/tickets/{t['id']}/transfer", json={"service": FOOD})
    assert bad.status_code == 422
    r = client.post(f"/api/v1/tickets/{t['id']}/transfer", json={"service": FOOD, "reason": "材料属食品许可"})
    assert r.status_code == 200, r.text
    moved = r.json()
    assert moved["number"] == t["number"] and moved["status"] == "waiting" and moved["service"] == FOOD
    # It keeps its original wait start, so it is called before a later FOOD ticket.
    assert call_next(client, "02")["id"] == moved["id"]  # type: ignore[index]
    assert client.get(f"/api/v1/public/tickets/{t['token']}").json()["window"] == "02"
    assert call_next(client, "01") is not None and later  # window 01 serves FOOD as backup


def test_transfer_to_a_window(client: TestClient) -> None:
    t = issue(client, PENSION)
    issue(client, PENSION)
    call_next(client, "05")
    r = client.post(f"/api/v1/tickets/{t['id']}/transfer", json={"window": "12", "reason": "需要综合咨询"})
    moved = r.json()
    assert moved["target_window"] == "12"
    assert call_next(client, "06")["id"] != moved["id"]  # type: ignore[index]
    assert call_next(client, "12")["id"] == moved["id"]  # type: ignore[index]


def test_public_status_has_no_personal_data(client: TestClient) -> None:
    body = {
        "service": PENSION,
        "idempotency_key": "k-public-0001",
        "channel": "kiosk",
        "id_card": {"id_number": "11010519491231002X", "name": "王小明", "birth_date": "1949-12-31"},
    }
    t = client.post(f"/api/v1/halls/{HALL}/tickets", json=body).json()
    assert t["priority_class"] == "priority" if "priority_class" in t else True
    pub = client.get(f"/api/v1/public/tickets/{t['token']}")
    assert pub.status_code == 200
    text = pub.text
    assert "11010519491231002X" not in text and "王小明" not in text and "1002X" not in text
    assert pub.json()["waiting_ahead"] == 0 and pub.json()["status"] == "waiting"
    by_number = client.get(f"/api/v1/halls/{HALL}/public/tickets/by-number/{t['number']}")
    assert by_number.json()["number"] == t["number"]
    staff = client.get(f"/api/v1/tickets/{t['id']}").json()
    assert staff["id_masked"] == "1101**********002X" and staff["name_masked"] == "王**"
    assert staff["priority_class"] == "priority"  # 76 years old on the clock's date


def test_invalid_id_number_is_refused(client: TestClient) -> None:
    body = {
        "service": PENSION,
        "idempotency_key": "k-badid-0001",
        "id_card": {"id_number": "110105194912310021", "name": "王小明"},
    }
    r = client.post(f"/api/v1/halls/{HALL}/tickets", json=body)
    assert r.status_code == 422 and "check digit" in r.json()["detail_en"]


def test_unknown_things_are_404(login: Callable[..., TestClient]) -> None:
    client = login("admin1", "admin")
    body = {"service": PENSION, "idempotency_key": "k-404-000001"}
    r = client.post("/api/v1/halls/nowhere/tickets", json=body)
    assert r.status_code == 404 and "nowhere" in r.json()["detail"]
    # A manager is refused any hall not theirs, existing or not: refusal does not reveal which exist.
    r = login("manager1", "manager").post("/api/v1/halls/nowhere/tickets", json=body)
    assert r.status_code == 403 and "nowhere" in r.json()["detail"]
    r = client.post(f"/api/v1/halls/{HALL}/tickets", json={**body, "service": "510403-NOPE-1"})
    assert r.status_code == 404 and "510403-NOPE-1" in r.json()["detail"]
    r = client.post(f"/api/v1/halls/{HALL}/windows/99/call-next")
    assert r.status_code == 404 and "99" in r.json()["detail"]
    assert client.post("/api/v1/tickets/999999/start").status_code == 404
    assert client.get("/api/v1/public/tickets/not-a-token").status_code == 404
    assert client.get(f"/api/v1/halls/{HALL}/services/XX-1").status_code == 404


def test_malformed_bodies_are_422_with_reasons(client: TestClient) -> None:
    r = client.post(f"/api/v1/halls/{HALL}/tickets", json={"service": 5})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert "service" in detail and "idempotency_key" in detail
    r = client.post(
        f"/api/v1/halls/{HALL}/tickets", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422
    r = client.patch(f"/api/v1/halls/{HALL}/windows/01", json={"state": "asleep"})
    assert r.status_code == 422 and "state" in r.json()["detail"]
    r = client.patch(f"/api/v1/halls/{HALL}/windows/01", json={"skills": [{"service": COMPANY, "level": 7}]})
    assert r.status_code == 422


def test_out_of_hours_and_quota(client: TestClient, clock: FakeClock) -> None:
    clock.advance(hours=12)  # 22:00 in Shanghai
    r = client.post(
        f"/api/v1/halls/{HALL}/tickets", json={"service": PENSION, "idempotency_key": "k-night-001"}
    )
    assert r.status_code == 409 and r.json()["code"] == "closed"
    assert r.json()["next_open"] == "2026-11-26T08:30:00+08:00"
    assert "11月26日（周四）08:30" in r.json()["detail"] and "Thu 26 Nov 08:30" in r.json()["detail_en"]
    # The 24-hour self-service items stay open, and need no ticket.
    r = client.post(
        f"/api/v1/halls/{HALL}/tickets", json={"service": "510403-GG-RS-006", "idempotency_key": "k-night-2"}
    )
    assert r.status_code == 409 and r.json()["code"] == "self_service"
    assert "24小时自助服务区" in r.json()["detail"] and "510403" not in r.json()["detail"]
    clock.advance(hours=12)
    for _ in range(30):
        issue(client, "510403-XK-ZJ-001")  # quota 30
    r = client.post(
        f"/api/v1/halls/{HALL}/tickets",
        json={"service": "510403-XK-ZJ-001", "idempotency_key": "k-quota-031", "channel": "counter"},
    )
    assert r.status_code == 429 and "quota" in r.json()["detail_en"]


def test_window_reassignment(client: TestClient) -> None:
    r = client.patch(
        f"/api/v1/halls/{HALL}/windows/12",
        json={"zone": "social", "skills": [{"service": PENSION, "level": 1}]},
    )
    assert r.status_code == 200, r.text
    w = r.json()
    assert w["zone"] == "social" and w["skills"] == [{"service": PENSION, "level": 1}]
    t = issue(client, PENSION)
    assert call_next(client, "12")["id"] == t["id"]  # type: ignore[index]
    assert client.patch(f"/api/v1/halls/{HALL}/windows/12", json={"zone": "mars"}).status_code == 404


def test_numbers_reset_at_the_hall_day_boundary(client: TestClient, clock: FakeClock, ctx: Context) -> None:
    cfg = load_hall_file(EXAMPLE_HALL)
    cfg.hall.enforce_hours = False  # open at midnight
    import_hall(ctx, SYSTEM, cfg)
    # 16:30 UTC is 00:30 next day in Shanghai: a new business day even though UTC has not turned.
    clock.now = clock.now.replace(hour=15, minute=50)  # 23:50 local
    assert issue(client, PENSION)["number"] == "S001"
    assert issue(client, PENSION)["number"] == "S002"
    clock.advance(minutes=20)  # 00:10 local, still 16:10 UTC
    assert issue(client, PENSION)["number"] == "S001"


def test_snapshot(client: TestClient) -> None:
    t = issue(client, PENSION)
    issue(client, COMPANY)
    call_next(client, "05")
    snap = client.get(f"/api/v1/halls/{HALL}/snapshot").json()
    w05 = next(w for w in snap["windows"] if w["code"] == "05")
    assert w05["current"]["number"] == t["number"]
    assert snap["recent_calls"][0]["number"] == t["number"]
    w01 = next(w for w in snap["windows"] if w["code"] == "01")
    assert [x["number"] for x in w01["queue"]] == ["B001"] and w01["can_call"] == 1
    assert w01["idle_with_waiting"] is True
    assert snap["event_seq"] > 0


def test_evaluation_once_per_finished_ticket(client: TestClient) -> None:
    t = issue(client, PENSION)
    assert client.post(f"/api/v1/tickets/{t['id']}/evaluation", json={"level": 5}).status_code == 409
    call_next(client, "05")
    client.post(f"/api/v1/tickets/{t['id']}/start")
    client.post(f"/api/v1/tickets/{t['id']}/finish")
    r = client.post(f"/api/v1/tickets/{t['id']}/evaluation", json={"level": 2, "reasons": ["等待时间长"]})
    assert r.status_code == 201 and r.json()["bad"] is True and r.json()["window"] == "05"
    again = client.post(f"/api/v1/tickets/{t['id']}/evaluation", json={"level": 5})
    assert again.status_code == 409 and "already" in again.json()["detail_en"]
    assert client.post(f"/api/v1/tickets/{t['id']}/evaluation", json={"level": 6}).status_code == 422
