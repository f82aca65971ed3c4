"""Scope: clerks only at the window they are signed in to (with AB-post takeover), managers only in
their halls, devices only in their hall and pads only at their window."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from queue_server.hall_config.load import load_hall_file
from queue_server.services.context import SYSTEM, Context
from queue_server.services.hall_import import import_hall
from tests.conftest import EXAMPLE_HALL

from .helpers import HALL, PENSION, call_next, issue, sqlite_only

ID_CARD = {"id_number": "11010519491231002X", "name": "王小明"}


def _sign_in(client: TestClient, window: str) -> dict:
    r = client.post(f"/api/v1/halls/{HALL}/windows/{window}/sign-in")
    assert r.status_code == 200, r.text
    return r.json()


@sqlite_only
def test_clerk_acts_only_at_own_window(login: Callable[..., TestClient], client: TestClient) -> None:
    clerk = login("clerk1", "clerk")
    t05, t06 = issue(client, PENSION), issue(client, PENSION)
    r = clerk.post(f"/api/v1/halls/{HALL}/windows/05/call-next")
    assert r.status_code == 403 and "sign in" in r.json()["detail_en"]
    assert _sign_in(clerk, "05")["clerk"] == "clerk1"
    assert clerk.post(f"/api/v1/halls/{HALL}/windows/06/call-next").status_code == 403
    assert call_next(clerk, "05")["id"] == t05["id"]  # type: ignore[index]
    assert call_next(client, "06")["id"] == t06["id"]  # type: ignore[index]  # the manager, anywhere
    r = clerk.post(f"/api/v1/tickets/{t06['id']}/finish")
    assert r.status_code == 403 and "05" in r.json()["detail"]
    assert clerk.post(f"/api/v1/tickets/{t05['id']}/start").json()["status"] == "serving"
    # A waiting ticket is at no window yet: a clerk cannot cancel it, a manager can.
    waiting = issue(client, PENSION)
    assert clerk.post(f"/api/v1/tickets/{waiting['id']}/cancel").status_code == 403
    assert client.post(f"/api/v1/tickets/{waiting['id']}/cancel").status_code == 200
    # Clerks issue at the counter, not as a kiosk.
    body = {"service": PENSION, "idempotency_key": "clerk-kiosk-0001", "channel": "kiosk", "id_card": ID_CARD}
    assert clerk.post(f"/api/v1/halls/{HALL}/tickets", json=body).status_code == 403
    assert clerk.post(f"/api/v1/halls/{HALL}/tickets", json=body | {"channel": "counter"}).status_code == 201


@sqlite_only
def test_one_window_at_a_time_and_ab_takeover(login: Callable[..., TestClient], client: TestClient) -> None:
    a, b = login("clerk-a", "clerk"), login("clerk-b", "clerk")
    _sign_in(a, "05")
    _sign_in(a, "06")  # moving leaves 05
    windows = {w["code"]: w["clerk"] for w in a.get(f"/api/v1/halls/{HALL}/windows").json()}
    assert windows["05"] is None and windows["06"] == "clerk-a"
    # B takes over A's window (AB post): A is signed out of it, both are in the audit trail.
    assert _sign_in(b, "06")["clerk"] == "clerk-b"
    assert a.get("/api/v1/auth/me").json()["window"] is None
    assert b.get("/api/v1/auth/me").json()["window"] == "06"
    issue(client, PENSION)
    assert a.post(f"/api/v1/halls/{HALL}/windows/06/call-next").status_code == 403
    assert call_next(b, "06") is not None
    trail = client.get(f"/api/v1/halls/{HALL}/audit", params={"window": "06"}).json()
    takeover = next(e for e in trail if e["action"] == "window.takeover")
    assert takeover["before"] == {"clerk": "clerk-a"} and takeover["after"] == {"clerk": "clerk-b"}
    assert takeover["actor"] == "clerk-b" and takeover["role"] == "clerk"
    snap = client.get(f"/api/v1/halls/{HALL}/snapshot").json()
    assert {w["code"]: w["clerk"] for w in snap["windows"]}["06"] == "clerk-b"
    # Signing out: a clerk only of its own window; a manager of anyone's.
    assert a.post(f"/api/v1/halls/{HALL}/windows/06/sign-out").status_code == 409
    assert client.post(f"/api/v1/halls/{HALL}/windows/06/sign-out").status_code == 204
    assert b.get("/api/v1/auth/me").json()["window"] is None


@sqlite_only
def test_managers_only_in_their_halls(ctx: Context, login: Callable[..., TestClient]) -> None:
    cfg = load_hall_file(EXAMPLE_HALL)
    cfg.hall.code = "renhe"
    import_hall(ctx, SYSTEM, cfg)
    other = login("manager-elsewhere", "manager", ["renhe"])
    assert other.get(f"/api/v1/halls/{HALL}/snapshot").status_code == 403
    assert other.patch(f"/api/v1/halls/{HALL}/windows/05", json={"state": "paused"}).status_code == 403
    assert other.get(f"/api/v1/halls/{HALL}/audit").status_code == 403
    admin = login("admin1", "admin", [])
    t = issue(admin, PENSION)
    assert other.post(f"/api/v1/tickets/{t['id']}/cancel").status_code == 403
    assert other.get(f"/api/v1/tickets/{t['id']}").status_code == 403
    assert admin.get(f"/api/v1/tickets/{t['id']}").status_code == 200  # admins: every hall
    assert other.get("/api/v1/halls/renhe/snapshot").status_code == 200


@sqlite_only
def test_devices_in_their_hall_and_pads_at_their_window(
    device: Callable[..., TestClient], client: TestClient
) -> None:
    kiosk = device("kiosk-1", "kiosk")
    body = {"service": PENSION, "idempotency_key": "kiosk-0000001", "id_card": ID_CARD}
    assert kiosk.post(f"/api/v1/halls/{HALL}/tickets", json=body).status_code == 201
    counter = {**body, "idempotency_key": "kiosk-0000002", "channel": "counter"}
    assert kiosk.post(f"/api/v1/halls/{HALL}/tickets", json=counter).status_code == 403
    assert kiosk.get(f"/api/v1/halls/{HALL}/snapshot").status_code == 403
    display = device("display-1", "display")
    assert display.get(f"/api/v1/halls/{HALL}/snapshot").status_code == 200
    assert display.get(f"/api/v1/halls/{HALL}/windows").status_code == 403
    # A pad rates only tickets finished at its own window.
    pad05, pad06 = device("pad-05", "pad", "05"), device("pad-06", "pad", "06")
    t = call_next(client, "05")  # the kiosk's ticket above
    assert t is not None
    client.post(f"/api/v1/tickets/{t['id']}/start")
    client.post(f"/api/v1/tickets/{t['id']}/finish")
    assert pad06.post(f"/api/v1/tickets/{t['id']}/evaluation", json={"level": 5}).status_code == 403
    r = pad05.post(f"/api/v1/tickets/{t['id']}/evaluation", json={"level": 5})
    assert r.status_code == 201, r.text


@sqlite_only
def test_ticket_holder_rates_by_token(app_client: TestClient, client: TestClient) -> None:
    t = issue(client, PENSION)
    url = f"/api/v1/public/tickets/{t['token']}/evaluation"
    assert app_client.post(url, json={"level": 4}).status_code == 409  # not finished yet
    call_next(client, "05")
    client.post(f"/api/v1/tickets/{t['id']}/start")
    assert client.post(f"/api/v1/tickets/{t['id']}/finish").status_code == 200
    r = app_client.post(url, json={"level": 4, "reasons": ["办事快"]})
    assert r.status_code == 201 and r.json()["level"] == 4
    assert (
        app_client.post("/api/v1/public/tickets/not-a-token/evaluation", json={"level": 4}).status_code == 404
    )
