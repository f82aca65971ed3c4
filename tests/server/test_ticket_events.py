"""The bodies of tickets' live events: the same facts for every event, extras only where they apply."""

from __future__ import annotations

from typing import Any

from queue_server.services import issuing, tickets, windows
from queue_server.services.context import Actor, Context

from .helpers import COMPANY, HALL, PENSION

MANAGER = Actor(name="manager-e", role="manager", halls=(HALL,))
FACTS = {"ticket_id", "number", "service", "service_name", "zone", "status", "window", "window_name"}


def test_ticket_event_bodies_carry_extras_only_where_they_apply(ctx: Context) -> None:
    seen: list[dict[str, Any]] = []
    ctx.bus.subscribe(seen.extend)
    card = issuing.IdCardData("110101199003070935", "张三")
    req = issuing.IssueRequest(PENSION, "event-body-1", card, "counter")
    t = issuing.issue(ctx, MANAGER, HALL, req, "http://x/")[0]
    windows.call_next(ctx, MANAGER, HALL, "05")
    tickets.act(ctx, MANAGER, t["id"], "transfer", service=COMPANY, reason="材料不全")
    body = {e["type"]: e["payload"] for e in seen if e["type"].startswith("ticket.")}
    assert set(body) == {"ticket.issued", "ticket.called", "ticket.transferred"}
    assert set(body["ticket.issued"]) == FACTS | {"recall_count"}
    assert (body["ticket.issued"]["number"], body["ticket.issued"]["window"]) == (t["number"], None)
    assert body["ticket.called"]["announcement_zh"] == f"请{t['number']}号到5号窗口办理"
    assert body["ticket.called"]["window"] == "05" and "transferred_to" not in body["ticket.called"]
    assert body["ticket.transferred"]["transferred_to"] == {"service": COMPANY, "window": None}
    assert "announcement_zh" not in body["ticket.transferred"]
    # Never personal data, not even masked.
    assert not any(k in b for b in body.values() for k in ("id_masked", "name_masked", "id_hash", "token"))
    assert "张" not in str(body)
