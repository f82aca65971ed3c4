"""Bad input gets a clear 4xx in the one error shape, never a 500 (each case below was a 500 once)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from queue_server import cli
from queue_server.api.app import create_app
from queue_server.hall_config.load import ConfigError, load_hall_file
from queue_server.services import catalogue
from queue_server.services.context import Context

from .helpers import HALL, PENSION, issue

TICKETS = f"/api/v1/halls/{HALL}/tickets"


def _error(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape: Chinese `detail`, English `detail_en`, a `code`."""
    assert r.status_code == status, r.text
    body = r.json()
    assert isinstance(body["detail"], str) and isinstance(body["detail_en"], str) and body["code"]
    assert "Traceback" not in r.text
    if code is not None:
        assert body["code"] == code
    return body


def test_nul_and_control_characters_in_bodies_are_refused(
    client: TestClient, device: Callable[..., TestClient]
) -> None:
    t = issue(client, PENSION)
    cases = [
        (client, TICKETS, {"service": "A\x00B", "idempotency_key": "nul-key-0001", "channel": "counter"}),
        (client, TICKETS, {"service": PENSION, "idempotency_key": "nul-key-\x00002", "channel": "counter"}),
        (client, "/api/v1/auth/login", {"username": "clerk\x00", "password": "x"}),
        (client, f"/api/v1/tickets/{t['id']}/transfer", {"service": PENSION, "reason": "bad\x07bell"}),
        (client, f"/api/v1/tickets/{t['id']}/evaluation", {"level": 5, "reasons": ["ok\x00"]}),
        (device("kiosk-nul", "kiosk"), "/api/v1/devices/heartbeat", {"version": "1\x00", "status": {}}),
        (client, TICKETS, {"service": "\ud800", "idempotency_key": "surrogate-01", "channel": "counter"}),
    ]
    for who, url, body in cases:
        r = who.post(url, content=json.dumps(body), headers={"content-type": "application/json"})
        err = _error(r, 422, "invalid_request")
        assert err["errors"] and all(set(e) == {"loc", "msg", "type"} for e in err["errors"])
        assert "\x00" not in r.text
    # A reason may still span lines.
    r = client.post(f"/api/v1/tickets/{t['id']}/transfer", json={"service": PENSION, "reason": "a\nb"})
    assert r.status_code == 409  # the ticket is waiting: refused for its status, not for the text


def test_nul_in_path_query_and_headers_is_refused(client: TestClient) -> None:
    for url in (
        f"/api/v1/halls/{HALL}%00/services",
        f"/api/v1/halls/{HALL}/services/A%00B",
        "/api/v1/public/tickets/abc%00def",
        f"/api/v1/halls/{HALL}/audit?actor=x%00y",
        f"/api/v1/halls/{HALL}/audit?window=%1b",
        f"/api/v1/halls/{HALL}/events?zone=a%00",
    ):
        _error(client.get(url), 422, "invalid_request")
    r = client.get(f"/api/v1/halls/{HALL}/snapshot", headers={"last-event-id": "1\x01"})
    _error(r, 422)
    assert client.get(f"/api/v1/halls/{HALL}/services").status_code == 200


def test_ids_beyond_the_column_range(client: TestClient) -> None:
    t = issue(client, PENSION)
    for big in (2**31, 2**63, 10**30):
        _error(client.get(f"/api/v1/tickets/{big}"), 422, "invalid_request")
        _error(client.post(f"/api/v1/tickets/{big}/cancel"), 422)
        _error(client.post(f"/api/v1/tickets/{big}/evaluation", json={"level": 5}), 422)
        _error(client.get(f"/api/v1/halls/{HALL}/audit?ticket={big}"), 422)
    _error(client.get(f"/api/v1/tickets/{2**31 - 1}"), 404, "not_found")
    _error(client.get("/api/v1/tickets/0"), 422)
    assert client.get(f"/api/v1/tickets/{t['id']}").status_code == 200


def test_audit_times_out_of_range_or_without_zone(
    client: TestClient, login: Callable[..., TestClient]
) -> None:
    url = f"/api/v1/halls/{HALL}/audit"
    for since in ("0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-08:00", "2026-11-25T08:00:00"):
        _error(client.get(url, params={"since": since}), 422, "invalid_request")
    _error(client.get(url, params={"until": "0001-01-01T00:00:00+08:00"}), 422)
    admin = login("admin1", "admin")
    _error(admin.get("/api/v1/audit", params={"since": "0001-01-01T00:00:00+08:00"}), 422)
    ok = client.get(url, params={"since": "0001-01-01T08:00:00+08:00", "until": "9999-12-31T15:59:59-08:00"})
    assert ok.status_code == 200 and isinstance(ok.json(), list)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_heartbeat_with_non_finite_numbers_is_refused_and_not_stored(
    client: TestClient, device: Callable[..., TestClient], ctx: Context, number: str
) -> None:
    kiosk = device("kiosk-nan", "kiosk")
    seen: list[Any] = []
    ctx.bus.subscribe(seen.extend)
    raw = '{"version": "1.0", "status": {"paper": ' + number + "}}"
    r = kiosk.post("/api/v1/devices/heartbeat", content=raw, headers={"content-type": "application/json"})
    _error(r, 422, "invalid_request")
    stored = {d["name"]: d for d in client.get("/api/v1/devices").json()}["kiosk-nan"]
    assert stored["status"] is None and stored["version"] is None
    assert seen == []
    # The same with a finite number is stored and announced.
    r = kiosk.post("/api/v1/devices/heartbeat", json={"version": "1.0", "status": {"paper": 0.5}})
    assert r.status_code == 204
    stored = {d["name"]: d for d in client.get("/api/v1/devices").json()}["kiosk-nan"]
    assert stored["status"] == {"paper": 0.5}
    assert [e["type"] for e in seen] == ["device.status"]


def test_heartbeat_status_holds_plain_values_only(device: Callable[..., TestClient]) -> None:
    kiosk = device("kiosk-plain", "kiosk")
    for status in ({"nested": {"a": 1}}, {"k" * 41: 1}, {str(i): i for i in range(33)}, {"big": 10**30}):
        r = kiosk.post("/api/v1/devices/heartbeat", json={"version": "1", "status": status})
        _error(r, 422)


def test_static_file_names_are_checked(app_client: TestClient) -> None:
    for url in ("/ui/static/js/api.js%00.png", "/ui/static/%00", "/ui/static/" + "a" * 5000):
        body = _error(app_client.get(url), 404, "not_found")
        assert body["detail"] == "没有这个文件"
    assert app_client.get("/ui/static/js/api.js").status_code == 200


def test_unknown_addresses_methods_and_unreadable_bodies_answer_in_the_error_shape(
    client: TestClient,
) -> None:
    _error(client.get("/api/v1/nowhere"), 404, "not_found")
    _error(client.delete(f"/api/v1/halls/{HALL}/services"), 405, "method_not_allowed")
    deep = '{"service": ' + "[" * 100_000 + "]" * 100_000 + "}"
    r = client.post(TICKETS, content=deep, headers={"content-type": "application/json"})
    assert r.status_code in (400, 422)
    _error(r, r.status_code)


def test_an_unexpected_error_is_logged_and_answered_without_a_trace(
    ctx: Context, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_: Context) -> None:
        raise RuntimeError("internal secret: table halls is gone")

    monkeypatch.setattr(catalogue, "halls", broken)
    with (
        TestClient(create_app(ctx), raise_server_exceptions=False) as tc,
        caplog.at_level(logging.ERROR, logger="queue_server.api"),
    ):
        r = tc.get("/api/v1/halls")
    body = _error(r, 500, "internal_error")
    assert "secret" not in r.text and "RuntimeError" not in r.text
    assert "请稍后重试" in body["detail"]
    logged = [rec for rec in caplog.records if rec.name == "queue_server.api"]
    assert logged and logged[0].exc_info is not None
    assert "internal secret" in caplog.text and "/api/v1/halls" in logged[0].getMessage()


def test_a_hall_file_nested_too_deep_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_hall_file(path)
    assert caught.value.problems == [f"{path}: nested too deeply (arrays or tables inside each other)"]
    assert cli.main(["import-hall", str(path), "--db", f"sqlite:///{tmp_path / 'q.sqlite3'}"]) == 2
    err = capsys.readouterr().err
    assert "nested too deeply" in err and "RecursionError" not in err


def test_a_refusal_with_retry_after_sends_the_header(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    from queue_server.services.errors import LimitReached

    def busy(_: Context) -> None:
        raise LimitReached("服务器繁忙，请 3 秒后重试", "busy: try again in 3 s", code="busy", retry_after=3)

    monkeypatch.setattr(catalogue, "halls", busy)
    with TestClient(create_app(ctx)) as tc:
        r = tc.get("/api/v1/halls")
    body = _error(r, 429, "busy")
    assert body["retry_after"] == 3 and r.headers["retry-after"] == "3"
