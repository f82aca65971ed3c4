"""Live alerts fire and clear at the right moments (the fake clock drives them), are kept with their
acknowledgement and resolution, audited, and sent as live events."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from queue_server.db.models import AuditEvent, HallEvent
from queue_server.services import alerts, devices, reports
from queue_server.services.context import SYSTEM, Context
from tests.conftest import FakeClock

from .helpers import HALL, PENSION, call_next, issue, sqlite_only

# 养老待遇资格认证 (window 05): escalate_after_min and avg_service_min from the example hall.


def _active(client: TestClient) -> dict[tuple[str, str], dict]:
    return {
        (a["kind"], a["subject"]): a
        for a in client.get(f"/api/v1/halls/{HALL}/alerts").json()
        if not a["cleared_at"]
    }


def _threshold(ctx: Context) -> tuple[int, int]:
    from queue_server.db.models import Service

    with ctx.read() as s:
        item = s.scalar(select(Service).where(Service.code == PENSION))
        assert item is not None
        return item.escalate_after_min or 30, item.avg_service_min


def test_a_long_wait_fires_then_clears_when_called(
    ctx: Context, clock: FakeClock, client: TestClient
) -> None:
    wait_min, service_min = _threshold(ctx)
    t = issue(client, PENSION)
    clock.advance(minutes=3)  # window 05 has been idle 3 minutes since its clerk signed in: not yet
    alerts.sweep(ctx, HALL)
    assert set(_active(client)) == set()
    clock.advance(seconds=1)
    alerts.sweep(ctx, HALL)
    assert set(_active(client)) == {("idle_window", "05")}  # its item waits and nobody is called
    clock.advance(minutes=wait_min - 3, seconds=-1)  # exactly at the threshold: not yet over it
    alerts.sweep(ctx, HALL)
    assert ("wait_over", PENSION) not in _active(client)
    clock.advance(seconds=61)
    assert alerts.sweep(ctx, HALL) == {"fired": 1, "cleared": 0}
    assert alerts.sweep(ctx, HALL) == {"fired": 0, "cleared": 0}  # one alert while it holds
    active = _active(client)
    assert active[("wait_over", PENSION)]["facts"] == {"count": 1, "longest_min": wait_min + 1}
    call_next(client, "05")
    assert alerts.sweep(ctx, HALL) == {"fired": 0, "cleared": 2}  # called: neither wait nor idle
    assert set(_active(client)) == set()
    # Being served too long: over twice the item's average time.
    client.post(f"/api/v1/tickets/{t['id']}/start")
    clock.advance(minutes=2 * service_min)
    alerts.sweep(ctx, HALL)
    assert ("service_over", "05") not in _active(client)
    clock.advance(minutes=1)
    alerts.sweep(ctx, HALL)
    assert _active(client)[("service_over", "05")]["facts"]["item"] == PENSION
    client.post(f"/api/v1/tickets/{t['id']}/finish")
    alerts.sweep(ctx, HALL)
    assert ("service_over", "05") not in _active(client)
    with ctx.read() as s:
        fired = s.scalars(
            select(HallEvent.type).where(HallEvent.type.like("alert.%")).order_by(HallEvent.id)
        ).all()
        audits = s.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "alert")).all()
    assert fired == ["alert.fired"] * 2 + ["alert.cleared"] * 2 + ["alert.fired", "alert.cleared"]
    assert audits == ["alert.fire"] * 2 + ["alert.clear"] * 2 + ["alert.fire", "alert.clear"]
    # Reports count them by kind, over the day they fired.
    counts = reports.report(ctx, SYSTEM, HALL, date(2026, 11, 25), date(2026, 11, 25), "hall")["alerts"]
    assert {k: n for k, n in counts.items() if n} == {"idle_window": 1, "wait_over": 1, "service_over": 1}
    assert (
        sum(
            reports.report(ctx, SYSTEM, HALL, date(2026, 11, 26), date(2026, 11, 26), "hall")[
                "alerts"
            ].values()
        )
        == 0
    )


@sqlite_only
def test_acknowledged_and_resolved_with_a_note(
    ctx: Context, clock: FakeClock, client: TestClient, login
) -> None:  # type: ignore[no-untyped-def]
    devices.add_device(ctx, SYSTEM, "kiosk-9", "kiosk", HALL)  # never reported: silent while the hall is open
    alerts.sweep(ctx, HALL)
    alert = _active(client)[("device_silent", "kiosk-9")]
    base = f"/api/v1/halls/{HALL}/alerts/{alert['id']}"
    assert login("clerk6", "clerk").post(f"{base}/ack").status_code == 403
    acked = client.post(f"{base}/ack").json()
    assert acked["acked_by"] == "manager1" and acked["resolved_at"] is None
    assert client.post(f"{base}/ack").status_code == 409
    assert client.post(f"{base}/resolve", json={"note": ""}).status_code == 422
    done = client.post(f"{base}/resolve", json={"note": "已重启取号机"}).json()
    assert done["resolution"] == "已重启取号机" and done["resolved_by"] == "manager1"
    # Resolved but its condition still holds: it stays listed as active, and does not fire twice.
    assert alerts.sweep(ctx, HALL)["fired"] == 0
    # At night the hall is closed: a switched-off kiosk is no alarm, and the alert clears.
    clock.now = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)  # 22:00 in Shanghai
    assert alerts.sweep(ctx, HALL)["cleared"] == 1
    assert client.get(f"/api/v1/halls/{HALL}/alerts").json() == []  # cleared and resolved: history
    with ctx.read() as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "alert")).all()
    assert actions == ["alert.fire", "alert.ack", "alert.resolve", "alert.clear"]


@sqlite_only
def test_a_kiosk_out_of_paper(ctx: Context, client: TestClient, device) -> None:  # type: ignore[no-untyped-def]
    kiosk = device("kiosk-3", "kiosk")
    beat = {"version": "1.0", "status": {"printer_paper": "ok", "printer_online": True}}
    assert kiosk.post("/api/v1/devices/heartbeat", json=beat).status_code in (200, 204)
    alerts.sweep(ctx, HALL)
    assert ("device_paper", "kiosk-3") not in _active(client)
    beat["status"]["printer_paper"] = "out"
    kiosk.post("/api/v1/devices/heartbeat", json=beat)
    alerts.sweep(ctx, HALL)
    assert _active(client)[("device_paper", "kiosk-3")]["facts"] == {"paper": "out"}
    beat["status"]["printer_paper"] = "ok"  # the roll was changed
    kiosk.post("/api/v1/devices/heartbeat", json=beat)
    alerts.sweep(ctx, HALL)
    assert ("device_paper", "kiosk-3") not in _active(client)
