"""The contract is the code: the OpenAPI names every answer, and the live events match their models."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from queue_server.api.events_doc import PAYLOADS, check_event
from queue_server.hall_config.load import load_hall_file
from queue_server.services.context import SYSTEM, Context
from queue_server.services.hall_import import import_hall
from tests.conftest import EXAMPLE_HALL

from .helpers import FOOD, HALL, PENSION, call_next, issue, sqlite_only


@sqlite_only
def test_openapi_declares_every_answer_with_one_error_model(app_client: TestClient) -> None:
    spec = app_client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas  # FastAPI's own 422 shape is not what we answer
    assert {"detail", "detail_en", "code"} <= set(schemas["ErrorOut"]["required"])
    operations = [(p, m, op) for p, item in spec["paths"].items() for m, op in item.items()]
    assert len(operations) >= 38
    for path, method, op in operations:
        where = f"{method.upper()} {path}"
        success = {s: r for s, r in op["responses"].items() if s.startswith("2")}
        assert success, where
        for status, answer in success.items():
            if status == "204":
                assert "content" not in answer, where
                continue
            (media,) = answer["content"].values()
            assert media["schema"], f"{where} {status} has no schema"
        errors = {s: r for s, r in op["responses"].items() if not s.startswith("2")}
        assert "500" in errors and ("422" in errors or path == "/healthz"), where
        for status, answer in errors.items():
            if path == "/healthz" and status == "503":
                continue
            ref = answer["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/ErrorOut", f"{where} {status}: {ref}"


@sqlite_only
def test_the_event_stream_is_documented_with_every_event_type(app_client: TestClient) -> None:
    spec = app_client.get("/openapi.json").json()
    answer = spec["paths"]["/api/v1/halls/{hall}/events"]["get"]["responses"]["200"]
    refs = {r["$ref"].rsplit("/", 1)[1] for r in answer["content"]["text/event-stream"]["schema"]["oneOf"]}
    assert refs == {"Event_" + t.replace(".", "_") for t in PAYLOADS} | {"Resync"}
    for name in refs:
        assert name in spec["components"]["schemas"]


def test_every_event_of_a_working_day_matches_its_model(
    ctx: Context,
    client: TestClient,
    login: Callable[..., TestClient],
    device: Callable[..., TestClient],
    tmp_path: Any,
) -> None:
    seen: list[dict[str, Any]] = []
    ctx.bus.subscribe(seen.extend)
    clerk = login("clerk-day", "clerk")
    assert clerk.post(f"/api/v1/halls/{HALL}/windows/05/sign-in").status_code == 200
    served = issue(clerk, PENSION)
    assert call_next(clerk, "05")["id"] == served["id"]  # type: ignore[index]
    for action in ("recall", "start", "finish"):
        assert clerk.post(f"/api/v1/tickets/{served['id']}/{action}").status_code == 200
    pad = device("pad-day", "pad", "05")
    assert pad.post(f"/api/v1/tickets/{served['id']}/evaluation", json={"level": 2}).status_code == 201
    issue(clerk, PENSION)
    call_next(clerk, "05")
    missed = issue(client, FOOD)
    assert client.post(f"/api/v1/tickets/{missed['id']}/cancel").status_code == 200
    busy = client.get(f"/api/v1/halls/{HALL}/windows/05").json()["current"]
    transfer = {"service": FOOD, "reason": "材料不全，转食品窗口"}
    assert client.post(f"/api/v1/tickets/{busy['id']}/transfer", json=transfer).status_code == 200
    issue(clerk, PENSION)
    no_show = call_next(clerk, "05")
    assert clerk.post(f"/api/v1/tickets/{no_show['id']}/no-show").status_code == 200  # type: ignore[index]
    assert client.patch(f"/api/v1/halls/{HALL}/windows/06", json={"state": "paused"}).status_code == 200
    kiosk = device("kiosk-day", "kiosk")
    beat = {"version": "2", "status": {"paper": "ok"}}
    assert kiosk.post("/api/v1/devices/heartbeat", json=beat).status_code == 204
    closure = {
        "starts_at": "2026-11-26T14:00:00",
        "ends_at": "2026-11-26T17:00:00",
        "reason": "设备检修",
        "reason_en": "Repairs",
        "zone": "construction",
    }
    added = client.post(f"/api/v1/halls/{HALL}/closures", json=closure)
    assert added.status_code == 201, added.text
    assert client.delete(f"/api/v1/halls/{HALL}/closures/{added.json()['id']}").status_code == 204
    notices = f"/api/v1/halls/{HALL}/notices"
    notice = client.post(notices, json={"text": "本周六正常办公", "text_en": "Open on Saturday"}).json()
    assert client.put(f"{notices}/{notice['id']}", json={"text": "周六上午办公"}).status_code == 200
    assert client.delete(f"{notices}/{notice['id']}").status_code == 204
    changed = tmp_path / "hall.toml"
    changed.write_text(EXAMPLE_HALL.read_text(encoding="utf-8").replace("综合咨询", "综合咨询服务"), "utf-8")
    import_hall(ctx, SYSTEM, load_hall_file(changed))

    assert {e["type"] for e in seen} == set(PAYLOADS)
    for event in seen:
        check_event(event)  # raises on a field missing, extra or of the wrong type
