"""Live alerts, kept with their resolution: `sweep` compares the conditions that hold now
(domain/alerts.py) with the alerts still active, fires the new ones and clears the ended ones, each
audited and sent as a live event; managers acknowledge and resolve them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import access
from ..db.models import (
    Alert,
    Device,
    Hall,
    RectificationCase,
    Service,
    Ticket,
    Window,
    WindowPost,
    WindowSkill,
)
from ..domain import alerts as rules
from ..domain import calendar
from . import availability, lookup
from .context import SYSTEM, Actor, Context, unit_of_work
from .errors import Conflict, NotFound


def facts(s: Session, ctx: Context, hall: Hall) -> rules.Facts:
    now = ctx.clock()
    today = calendar.business_day(now, hall.timezone, hall.day_starts)
    items = {i.id: i for i in s.scalars(select(Service).where(Service.hall_id == hall.id))}
    active = s.execute(
        select(
            Ticket.service_id, Ticket.status, Ticket.wait_since, Ticket.started_at, Ticket.window_id
        ).where(
            Ticket.hall_id == hall.id,
            Ticket.business_day == today,
            Ticket.status.in_(("waiting", "called", "serving")),
        )
    ).all()
    windows = list(s.scalars(select(Window).where(Window.hall_id == hall.id)))
    code_of = {w.id: w.code for w in windows}
    waiting = [
        rules.Waiting(items[sid].code, items[sid].zone.key, since, items[sid].escalate_after_min)
        for sid, status, since, _, _ in active
        if status == "waiting"
    ]
    serving = [
        rules.Serving(code_of.get(wid, "?"), items[sid].code, started, items[sid].avg_service_min)
        for sid, status, _, started, wid in active
        if status == "serving" and started is not None
    ]
    busy = {wid for _, status, _, _, wid in active if status in ("called", "serving")}
    last_end = dict(
        s.execute(
            select(Ticket.window_id, func.max(Ticket.ended_at))
            .where(Ticket.hall_id == hall.id, Ticket.business_day == today)
            .group_by(Ticket.window_id)
        ).all()
    )
    posts = dict(s.execute(select(WindowPost.window_id, WindowPost.since)).all())
    primary: dict[int, set[str]] = {}
    for wid, sid in s.execute(
        select(WindowSkill.window_id, WindowSkill.service_id)
        .join(Window)
        .where(Window.hall_id == hall.id, WindowSkill.level == 1)
    ):
        primary.setdefault(wid, set()).add(items[sid].code)
    window_facts = []
    for w in windows:
        since = [t for t in (last_end.get(w.id), posts.get(w.id)) if t is not None]
        window_facts.append(
            rules.WindowFact(
                w.code,
                w.state,
                w.id in posts,
                w.id in busy,
                max(since) if since else None,
                frozenset(primary.get(w.id, ())),
            )
        )
    devices = [
        rules.DeviceFact(d.name, d.kind, d.last_seen, rules.paper_of(d.last_status))
        for d in s.scalars(select(Device).where(Device.hall_id == hall.id, Device.revoked_at.is_(None)))
    ]
    overdue = s.execute(
        select(RectificationCase.id, RectificationCase.due_on).where(
            RectificationCase.hall_id == hall.id,
            RectificationCase.status.not_in(("closed", "appealed")),
            RectificationCase.due_on < today,
        )
    ).all()
    hall_open = calendar.open_at(availability.hall_time(s, hall, now).hall_schedule(), now)
    return rules.Facts(
        now, hall_open, today, waiting, serving, window_facts, devices, [tuple(r) for r in overdue]
    )  # type: ignore[misc]


def sweep(ctx: Context, hall_code: str | None = None) -> dict[str, int]:
    """Fire and clear the alerts of every hall (or one); returns how many fired and cleared."""
    fired = cleared = 0
    with ctx.read() as s:
        halls = [h for (h,) in s.execute(select(Hall.code))] if hall_code is None else [hall_code]
    for code in halls:
        with ctx.read() as s:
            hall = lookup.hall(s, code)
            now_holds = rules.conditions(facts(s, ctx, hall))
            hall_id = hall.id
            active = {(a.kind, a.subject): a.id for a in _active(s, hall_id)}
        if set(now_holds) == set(active):
            continue  # nothing changes: no write, no lock
        with unit_of_work(ctx, SYSTEM) as uow:
            uow.lock_hall(hall_id)
            s = uow.session
            active_rows = {(a.kind, a.subject): a for a in _active(s, hall_id)}
            for key, alert in active_rows.items():
                if key not in now_holds:
                    alert.cleared_at = uow.now
                    cleared += 1
                    uow.audit(hall_id, "alert.clear", "alert", alert.id, None, {"kind": alert.kind})
                    uow.emit(hall_id, "alert.cleared", view(alert))
            for (kind, subject), found in now_holds.items():
                if (kind, subject) in active_rows:
                    continue
                alert = Alert(hall_id=hall_id, kind=kind, subject=subject, facts=found, fired_at=uow.now)
                s.add(alert)
                s.flush()
                fired += 1
                uow.audit(hall_id, "alert.fire", "alert", alert.id, None, {"kind": kind, "subject": subject})
                uow.emit(hall_id, "alert.fired", view(alert))
    return {"fired": fired, "cleared": cleared}


def _active(s: Session, hall_id: int) -> list[Alert]:
    return list(s.scalars(select(Alert).where(Alert.hall_id == hall_id, Alert.cleared_at.is_(None))))


def list_alerts(ctx: Context, actor: Actor, hall_code: str) -> list[dict[str, Any]]:
    """Alerts still active or not yet resolved, newest first."""
    access.check(actor, "alert.read", hall_code)
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        q = select(Alert).where(Alert.hall_id == hall.id)
        q = q.where((Alert.cleared_at.is_(None)) | (Alert.resolved_at.is_(None)))
        return [view(a) for a in s.scalars(q.order_by(Alert.id.desc()).limit(500))]


def act(
    ctx: Context, actor: Actor, hall_code: str, alert_id: int, action: str, note: str | None = None
) -> dict[str, Any]:
    """ack (seen, someone is on it) or resolve (handled, with a note)."""
    access.check(actor, "alert.handle", hall_code)
    with unit_of_work(ctx, actor) as uow:
        hall = lookup.hall(uow.session, hall_code)
        uow.lock_hall(hall.id)
        alert = uow.session.get(Alert, alert_id)
        if alert is None or alert.hall_id != hall.id:
            raise NotFound(f"没有编号为 {alert_id} 的告警", f"unknown alert: {alert_id}")
        if alert.resolved_at is not None:
            raise Conflict("该告警已处理完毕", "the alert is already resolved")
        if action == "ack":
            if alert.acked_at is not None:
                raise Conflict(
                    f"该告警已由 {alert.acked_by} 确认", f"already acknowledged by {alert.acked_by}"
                )
            alert.acked_at, alert.acked_by = uow.now, actor.name
        else:
            alert.resolved_at, alert.resolved_by, alert.resolution = uow.now, actor.name, note
            if alert.acked_at is None:
                alert.acked_at, alert.acked_by = uow.now, actor.name
        uow.audit(hall.id, f"alert.{action}", "alert", alert.id, None, {"kind": alert.kind, "note": note})
        uow.emit(hall.id, "alert.changed", view(alert))
        return view(alert)


def view(a: Alert) -> dict[str, Any]:
    zh, en = rules.KINDS[a.kind]
    return {
        "id": a.id,
        "kind": a.kind,
        "title": zh,
        "title_en": en,
        "subject": a.subject,
        "facts": a.facts,
        "fired_at": a.fired_at.isoformat(),
        "cleared_at": a.cleared_at.isoformat() if a.cleared_at else None,
        "acked_at": a.acked_at.isoformat() if a.acked_at else None,
        "acked_by": a.acked_by,
        "resolved_at": a.resolved_at.isoformat() if a.resolved_at else None,
        "resolved_by": a.resolved_by,
        "resolution": a.resolution,
    }
