"""Devices: registration prints a token once, rotation and revocation, heartbeats with status."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from queue_server.cli import main
from queue_server.db.models import Device
from queue_server.services.context import Context
from tests.conftest import FakeClock

from .helpers import HALL, sqlite_only

HEARTBEAT = "/api/v1/devices/heartbeat"


def _cli(db_url: str, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main([*args, "--db", db_url]) == 0
    return capsys.readouterr().out


def _token(out: str) -> str:
    found = re.findall(r"hqd_[A-Za-z0-9_-]{40,}", out)
    assert len(found) == 1, out
    return found[0]


def _as(app_client: TestClient, token: str) -> TestClient:
    return TestClient(app_client.app, headers={"authorization": f"Bearer {token}"})


def test_cli_add_rotate_revoke(
    db_url: str, ctx: Context, app_client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _cli(db_url, capsys, "device", "add", "kiosk-1", "--kind", "kiosk", "--hall", HALL)
    first = _as(app_client, _token(out))
    beat = {"version": "1.2.0", "status": {"printer": "ok", "paper": "low", "reader": "ok"}}
    assert first.post(HEARTBEAT, json=beat).status_code == 204
    with ctx.read() as s:
        stored = s.scalar(select(Device).where(Device.name == "kiosk-1"))
        assert stored is not None and stored.token_hash and stored.token_hash not in out  # only a hash
    second = _as(app_client, _token(_cli(db_url, capsys, "device", "rotate", "kiosk-1")))
    assert first.post(HEARTBEAT, json=beat).status_code == 401
    assert second.post(HEARTBEAT, json=beat).status_code == 204
    assert "kiosk-1" in _cli(db_url, capsys, "device", "list")
    _cli(db_url, capsys, "device", "revoke", "kiosk-1")
    assert second.post(HEARTBEAT, json=beat).status_code == 401
    listed = _cli(db_url, capsys, "device", "list")
    assert "revoked" in listed
    # A pad needs its window.
    assert main(["device", "add", "pad-x", "--kind", "pad", "--hall", HALL, "--db", db_url]) == 1
    assert "window" in capsys.readouterr().err


@sqlite_only
def test_heartbeat_keeps_last_status_and_announces_changes(
    ctx: Context, device: Callable[..., TestClient], login: Callable[..., TestClient], clock: FakeClock
) -> None:
    events: list[dict] = []
    ctx.bus.subscribe(events.extend)
    kiosk = device("kiosk-1", "kiosk")
    beat = {"version": "1.2.0", "status": {"printer": "ok", "paper": "ok", "reader": "ok"}}
    assert kiosk.post(HEARTBEAT, json=beat).status_code == 204
    clock.advance(seconds=30)
    assert kiosk.post(HEARTBEAT, json=beat).status_code == 204  # unchanged: seen, not announced
    clock.advance(seconds=30)
    low = {"version": "1.2.0", "status": {"printer": "ok", "paper": "low", "reader": "ok"}}
    assert kiosk.post(HEARTBEAT, json=low).status_code == 204
    status_events = [e for e in events if e["type"] == "device.status"]
    assert [e["payload"]["status"]["paper"] for e in status_events] == ["ok", "low"]
    manager = login("manager1", "manager")
    listed = {d["name"]: d for d in manager.get(f"/api/v1/halls/{HALL}/devices").json()}
    assert listed["kiosk-1"]["status"]["paper"] == "low" and listed["kiosk-1"]["version"] == "1.2.0"
    assert listed["kiosk-1"]["last_seen"] == clock.now.isoformat()
    assert "token" not in listed["kiosk-1"] and "token_hash" not in listed["kiosk-1"]
    bad = {"version": "1", "status": {"nested": {"no": "thanks"}}}
    assert kiosk.post(HEARTBEAT, json=bad).status_code == 422
    assert manager.post(HEARTBEAT, json=beat).status_code == 403  # people do not send heartbeats


@sqlite_only
def test_device_api_for_maintenance(login: Callable[..., TestClient], app_client: TestClient) -> None:
    maint = login("maint1", "maintenance")
    r = maint.post("/api/v1/devices", json={"name": "display-1", "kind": "display", "hall": HALL})
    assert r.status_code == 201 and r.json()["token"].startswith("hqd_")
    display = _as(app_client, r.json()["token"])
    assert display.get(f"/api/v1/halls/{HALL}/snapshot").status_code == 200
    rotated = maint.post("/api/v1/devices/display-1/rotate").json()["token"]
    assert display.get(f"/api/v1/halls/{HALL}/snapshot").status_code == 401
    assert _as(app_client, rotated).get(f"/api/v1/halls/{HALL}/snapshot").status_code == 200
    assert maint.post("/api/v1/devices/display-1/revoke").json()["active"] is False
    assert _as(app_client, rotated).get(f"/api/v1/halls/{HALL}/snapshot").status_code == 401
    assert [d["name"] for d in maint.get("/api/v1/devices").json()] == ["display-1"]
    dup = maint.post("/api/v1/devices", json={"name": "display-1", "kind": "display", "hall": HALL})
    assert dup.status_code == 409
    pad = maint.post("/api/v1/devices", json={"name": "pad-05", "kind": "pad", "hall": HALL, "window": "05"})
    assert pad.status_code == 201 and pad.json()["window"] == "05"
    # Maintenance staff do not act on tickets.
    assert maint.post(f"/api/v1/halls/{HALL}/windows/05/call-next").status_code == 403
