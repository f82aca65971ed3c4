"""Window outcomes at finish: each decision carries what it needs (materials from the item's own
checklist, a due date, a reason), is kept once, and shows on the holder's status page and the slip."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from queue_server.db.models import AuditEvent
from queue_server.services.context import Context

from .helpers import COMPANY, HALL, PENSION, call_next, issue, sqlite_only

COMPANY_FORM = "公司登记（备案）申请书"  # on the company item's checklist
COMPANY_RULES = "公司章程"


def serving(client: TestClient, service: str = COMPANY, window: str = "01") -> dict[str, Any]:
    t = issue(client, service)
    called = call_next(client, window)
    assert called is not None and called["id"] == t["id"]
    assert client.post(f"/api/v1/tickets/{t['id']}/start").status_code == 200
    return t


def finish(client: TestClient, t: dict[str, Any], **outcome: Any) -> Any:
    return client.post(f"/api/v1/tickets/{t['id']}/finish", json={"outcome": outcome})


def test_a_notice_names_missing_materials_from_the_checklist(
    ctx: Context, app_client: TestClient, client: TestClient
) -> None:
    t = serving(client)
    # Refused as told, and the ticket stays being served: nothing half-done.
    r = finish(client, t, kind="notice")
    assert r.status_code == 422 and "所缺材料" in r.json()["detail"]
    r = finish(client, t, kind="notice", missing=["户口本"])
    assert r.status_code == 422 and "户口本" in r.json()["detail"]
    assert client.get(f"/api/v1/tickets/{t['id']}").json()["status"] == "serving"
    r = finish(client, t, kind="notice", missing=[COMPANY_FORM, COMPANY_RULES])
    assert r.status_code == 200 and r.json()["status"] == "done"
    public = app_client.get(f"/api/v1/public/tickets/{t['token']}").json()
    outcome = public["outcome"]
    assert (outcome["kind"], outcome["label"], outcome["slip"]) == ("notice", "一次性告知", "一次性告知单")
    assert [m["name"] for m in outcome["missing"]] == [COMPANY_FORM, COMPANY_RULES]
    assert outcome["missing"][0]["requirement"] == "required"
    # Looked up by number (anyone in the hall), the decision is not shown.
    by_number = app_client.get(f"/api/v1/halls/{HALL}/public/tickets/by-number/{t['number']}").json()
    assert by_number["outcome"] is None
    slip = client.get(f"/api/v1/tickets/{t['id']}/outcome").json()
    assert slip["service_name"] == t["service_name"] and slip["window"] == "01" and slip["promised_days"] >= 0
    with ctx.read() as s:
        after = s.scalar(select(AuditEvent.after).where(AuditEvent.action == "ticket.finish"))
    assert after is not None and after["outcome"] == "notice"


@sqlite_only
def test_each_kind_needs_its_facts(client: TestClient) -> None:
    t = serving(client)
    assert finish(client, t, kind="deferred", missing=[COMPANY_RULES]).status_code == 422  # no due date
    past = finish(client, t, kind="deferred", missing=[COMPANY_RULES], owed_by="2026-11-25")
    assert past.status_code == 422  # today (the fake clock's day) is not after today
    assert finish(client, t, kind="refused").status_code == 422
    assert finish(client, t, kind="accepted", reason="x").status_code == 200  # a reason is dropped
    t2 = serving(client)
    r = finish(client, t2, kind="deferred", missing=[COMPANY_RULES], owed_by="2026-12-02")
    assert r.status_code == 200
    assert client.get(f"/api/v1/tickets/{t2['id']}/outcome").json()["owed_by"] == "2026-12-02"
    t3 = serving(client)
    assert finish(client, t3, kind="refused", reason="不属于本事项受理范围").status_code == 200
    slip = client.get(f"/api/v1/tickets/{t3['id']}/outcome").json()
    assert (slip["slip"], slip["reason"]) == ("不予受理通知书", "不属于本事项受理范围")
    assert client.get(f"/api/v1/tickets/{t['id']}/outcome").json()["reason"] is None


@sqlite_only
def test_an_outcome_after_the_finish_once(client: TestClient, app_client: TestClient) -> None:
    t = serving(client, PENSION, "05")
    assert client.post(f"/api/v1/tickets/{t['id']}/finish").status_code == 200  # no outcome yet
    assert client.get(f"/api/v1/tickets/{t['id']}/outcome").status_code == 409
    assert app_client.get(f"/api/v1/public/tickets/{t['token']}").json()["outcome"] is None
    r = client.post(f"/api/v1/tickets/{t['id']}/outcome", json={"kind": "consult"})
    assert r.status_code == 201 and r.json()["slip"] is None
    assert client.post(f"/api/v1/tickets/{t['id']}/outcome", json={"kind": "accepted"}).status_code == 409
    waiting = issue(client, PENSION)
    assert (
        client.post(f"/api/v1/tickets/{waiting['id']}/outcome", json={"kind": "accepted"}).status_code == 409
    )
