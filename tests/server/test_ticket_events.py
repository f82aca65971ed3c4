"""The bodies of tickets' live events: the same facts for every event, extras only where they apply."""

from __future__ import annotations

from typing import Any

from queue_server.services import issuing, snapshot, tickets, windows
from queue_server.services.context import Actor, Context

from .helpers import COMPANY, FOOD, HALL, PENSION

MANAGER = Actor(name="manager-e", role="manager", halls=(HALL,))
FACTS = {"ticket_id", "number", "service", "service_name", "zone", "status", "priority_class", "window"} | {
    "window_name"
}


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


def test_queue_and_window_events_carry_what_every_window_can_call(ctx: Context) -> None:
    """Pages take each window's count from the events: after every change it is the snapshot's (the
    count Call next works from), so no page needs to reload the snapshot to stay right."""
    seen: list[dict[str, Any]] = []
    ctx.bus.subscribe(seen.extend)

    def agrees() -> None:
        last = next(e for e in reversed(seen) if e["payload"].get("can_call") is not None)
        snap = snapshot.snapshot(ctx, HALL)
        assert last["payload"]["can_call"] == {w["code"]: w["can_call"] for w in snap["windows"]}, last[
            "type"
        ]
        if last["type"] == "queue.changed":
            item = next(s for s in snap["services"] if s["code"] == last["payload"]["service"])
            assert last["payload"]["waiting"] == item["waiting"]

    made = []
    for n, item in enumerate((PENSION, COMPANY, COMPANY, FOOD)):
        made.append(
            issuing.issue(ctx, MANAGER, HALL, issuing.IssueRequest(item, f"cc-{n}", None, "counter"), "x")[0]
        )
        agrees()
    called = windows.call_next(ctx, MANAGER, HALL, "01")
    assert called is not None
    agrees()
    tickets.act(ctx, MANAGER, called["id"], "transfer", window="05", reason="需5号窗口核验")
    agrees()
    assert seen[-1]["payload"]["can_call"]["05"] == 2  # the pension ticket and the one sent to it
    windows.update_window(ctx, MANAGER, HALL, "05", state="paused")
    agrees()
    assert seen[-1]["type"] == "window.changed" and seen[-1]["payload"]["can_call"]["05"] == 0
