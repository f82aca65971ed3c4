"""Issuing tickets and moving them through their lifecycle."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session, joinedload

from .. import access
from ..db.models import Evaluation, Hall, Service, Ticket, Window
from ..domain import calendar
from ..domain.lifecycle import STATUS_ZH, next_status, rejoin_until
from . import availability, lookup, outcomes, queue, views, window_queues
from .context import Actor, Context, UnitOfWork, unit_of_work
from .errors import Conflict, Invalid, NotFound
from .scope import check_window
from .ticket_event import TicketEvent, Transfer

ACTION_ZH = {
    "recall": "重呼",
    "start": "开始办理",
    "finish": "办结",
    "no-show": "过号",
    "cancel": "取消",
    "transfer": "转办",
}
# A ticket's item, its zone and hall, loaded with the ticket: every action's view and event needs them.
WITH_ITEM = [
    joinedload(Ticket.service).joinedload(Service.zone),
    joinedload(Ticket.service).joinedload(Service.hall),
]

# A Hall or Service, or a plain row of their table (the issuing path reads rows).
HallLike = Hall | Row[Any]
ItemLike = Service | Row[Any]

EVENT_OF_ACTION = {
    "recall": "ticket.recalled",
    "start": "ticket.started",
    "finish": "ticket.finished",
    "no-show": "ticket.no_show",
    "cancel": "ticket.cancelled",
    "transfer": "ticket.transferred",
}


def estimate_of(
    s: Session, t: Ticket, now: datetime, ctx: Context | None = None
) -> tuple[int | None, tuple[int | None, int | None]]:
    """Tickets ahead and ETA range (with `ctx`: counting the lunch break); only a waiting ticket has them."""
    if t.status != "waiting":
        return None, (None, None)
    if ctx is None:
        ahead, low, high = queue.estimate(s, queue.Waiting.of(t), now)
        return ahead, (low, high)
    hall = s.get(Hall, t.hall_id)
    closed = availability.closed_ahead(s, hall, [t.service_id], now, ctx.calendars)
    layout = queue.layout(s, hall.id, hall.layout_seq, ctx.layouts)  # this process's, if still current
    ahead, low, high = queue.estimate(s, queue.Waiting.of(t), now, closed, layout)
    return ahead, availability.eta_in_hours(s, hall, t.service_id, now, (low, high), ctx.calendars)


def public_status(ctx: Context, token: str) -> dict[str, Any]:
    with ctx.read() as s:
        t = lookup.ticket_by_token(s, token)
        return _public_view(s, ctx, t, holder=True)


def public_status_by_number(ctx: Context, hall_code: str, number: str) -> dict[str, Any]:
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        day = calendar.business_day(ctx.clock(), hall.timezone, hall.day_starts)
        t = s.scalar(
            select(Ticket)
            .where(
                Ticket.hall_id == hall.id,
                Ticket.business_day == day,
                Ticket.number == number.upper(),
                Ticket.transferred_to_id.is_(None),
            )
            .order_by(Ticket.id.desc())
            .limit(1)
        )
        if t is None:
            raise NotFound(f"今天没有 {number} 号", f"no ticket {number} today")
        return _public_view(s, ctx, t)


def _public_view(s: Session, ctx: Context, t: Ticket, holder: bool = False) -> dict[str, Any]:
    """`holder`: asked by the ticket's token, not its number: the decision and the rating are theirs."""
    ahead, eta = estimate_of(s, t, ctx.clock(), ctx)
    view = views.public_ticket(t, ahead, eta)
    if holder and t.status == "done":
        view["outcome"] = outcomes.of_ticket(s, t)
        view["rating"] = s.scalar(select(Evaluation.level).where(Evaluation.ticket_id == t.id))
    if holder and t.status == "no_show":  # the holder may rejoin at a kiosk (过号恢复), while this is set
        minutes = s.scalar(select(Hall.reactivate_min).where(Hall.id == t.hall_id)) or 0
        until = rejoin_until(t.status, t.ended_at, t.reactivated_at, minutes, ctx.clock())
        view["rejoin_until"] = views.iso(until)
    return view


def get_ticket(ctx: Context, actor: Actor, ticket_id: int) -> dict[str, Any]:
    """The staff view of a ticket (masked identity), for staff of its hall."""
    access.check(actor, "ticket.read")
    with ctx.read() as s:
        t = lookup.ticket(s, ticket_id)
        hall = s.get(Hall, t.hall_id)
        assert hall is not None
        access.check_hall(actor, hall.code)
        ahead, eta = estimate_of(s, t, ctx.clock(), ctx)
        return views.ticket(t, ahead, eta)


def act(
    ctx: Context,
    actor: Actor,
    ticket_id: int,
    action: str,
    *,
    service: str | None = None,
    window: str | None = None,
    reason: str | None = None,
    outcome: outcomes.Outcome | None = None,
) -> dict[str, Any]:
    """Apply a lifecycle action (recall, start, finish, no-show, cancel, transfer) to a ticket;
    `outcome`: what the window decided, with a finish."""
    access.check(actor, "ticket.act")
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall_id = s.scalar(select(Ticket.hall_id).where(Ticket.id == ticket_id))
        if hall_id is None:
            lookup.ticket(s, ticket_id)  # raises NotFound
        uow.lock_hall(hall_id)
        t = s.get(Ticket, ticket_id, populate_existing=True, options=WITH_ITEM)
        assert t is not None
        access.check_hall(actor, t.service.hall.code)
        check_window(s, actor, t.window)
        new_status = next_status(t.status, action)
        if new_status is None:
            raise Conflict(*_not_allowed(t, action))
        before = views.ticket_audit(t)
        successor = None
        if action == "transfer":
            successor = _transfer(uow, t, service, window, reason)
        t.status = new_status
        if action == "recall":
            t.recall_count += 1
            t.called_at = uow.now
        elif action == "start":
            t.started_at = uow.now
        elif action in ("finish", "no-show", "cancel", "transfer"):
            t.ended_at = uow.now
        if new_status == "done":  # the items' typical service times change (queue._typical)
            s.execute(_BUMP_SERVED, {"hall_id": t.hall_id})
        s.flush()
        after = views.ticket_audit(t)
        if outcome is not None and action == "finish":
            after["outcome"] = outcomes.record(uow, t, outcome).kind
        uow.audit(t.hall_id, f"ticket.{action}", "ticket", t.id, before, after)
        extra: dict[str, Any] = announcement(t) if action == "recall" else {}
        if successor is not None:
            extra["transferred_to"] = Transfer(
                service=successor.service.code,
                window=successor.target_window.code if successor.target_window else None,
            )
        uow.emit(
            t.hall_id,
            EVENT_OF_ACTION[action],
            TicketEvent.of(t, **extra).payload(),
            zone=t.service.zone.key,
            window=t.window.code if t.window else None,
        )
        if action in ("cancel", "transfer"):
            hall = s.get(Hall, t.hall_id)
            assert hall is not None
            item = (successor or t).service
            emit_queue_figures(uow, hall, item, item.zone.key)
        return views.ticket(successor or t)


def _not_allowed(t: Ticket, action: str) -> tuple[str, str]:
    where = f"（{t.window.code} 号窗口）" if t.window else ""
    return (
        f"号票 {t.number} 当前状态为「{STATUS_ZH[t.status]}」{where}，不能{ACTION_ZH[action]}",
        f"ticket {t.number} is {t.status}"
        + (f" at window {t.window.code}" if t.window else "")
        + f"; cannot {action}",
    )


def _transfer(
    uow: UnitOfWork, t: Ticket, service_code: str | None, window_code: str | None, reason: str | None
) -> Ticket:
    s = uow.session
    if not reason or not reason.strip():
        raise Invalid("转办需要填写原因", "a transfer needs a reason")
    if service_code is None and window_code is None:
        raise Invalid("转办需要指定事项或窗口", "a transfer needs a service item or a window")
    hall = s.get(Hall, t.hall_id)
    assert hall is not None
    service = lookup.service(s, hall, service_code) if service_code else t.service
    target: Window | None = lookup.window(s, hall, window_code) if window_code else None
    successor = Ticket(
        hall_id=t.hall_id,
        service_id=service.id,
        number=t.number,
        business_day=t.business_day,
        status="waiting",
        priority_class=t.priority_class,
        channel=t.channel,
        device=t.device,
        target_window_id=target.id if target else None,
        issued_at=t.issued_at,
        wait_since=t.wait_since,
        appointment_at=t.appointment_at,
        token=secrets.token_urlsafe(16),
        idempotency_key=f"transfer:{t.id}",
        transferred_from_id=t.id,
        transfer_reason=reason.strip(),
        id_hash=t.id_hash,
        id_masked=t.id_masked,
        name_masked=t.name_masked,
    )
    s.add(successor)
    s.flush()
    t.transferred_to_id = successor.id
    t.transfer_reason = reason.strip()
    s.refresh(successor)
    return successor


_BUMP_SERVED = (
    update(Hall.__table__).where(Hall.id == bindparam("hall_id")).values(served_seq=Hall.served_seq + 1)
)


def window_label(code: str) -> tuple[str, str]:
    """('3号窗口', 'window 3') for code '03'."""
    shown = str(int(code)) if code.isdigit() else code
    return f"{shown}号窗口", f"window {shown}"


def announcement(t: Ticket) -> dict[str, str]:
    assert t.window is not None
    zh, en = window_label(t.window.code)
    return {
        "announcement_zh": f"请{t.number}号到{zh}办理",
        "announcement_en": f"Ticket {t.number}, please go to {en}",
    }


def can_call_now(uow: UnitOfWork, hall: HallLike) -> tuple[dict[window_queues.LineKey, Any], dict[str, int]]:
    """Today's line sizes and what each window would call now, as this transaction leaves them: the
    figures pages take from the events (one grouped count on the queue index, layout from the cache)."""
    s = uow.session
    if uow.layout_is_changing(hall.id):  # the cache holds the layout before this change
        layout = queue.layout(s, hall.id)
    else:
        version = s.connection().execute(queue.LAYOUT_SEQ, {"hall_id": hall.id}).scalar_one()
        layout = queue.layout(s, hall.id, version, uow.layouts)
    day = calendar.business_day(uow.now, hall.timezone, hall.day_starts)
    sizes = window_queues.line_sizes(s, hall.id, day, layout)
    return sizes, window_queues.can_call_counts(sizes, layout)


def emit_queue_figures(uow: UnitOfWork, hall: HallLike, service: ItemLike, zone: str) -> None:
    """How many wait for the item now, since when, and what every window can call: a page applies
    the event as it is, with no reload."""
    sizes, can_call = can_call_now(uow, hall)
    mine = [figures for (code, _cls, _target), figures in sizes.items() if code == service.code]
    payload = {
        "service": service.code,
        "zone": zone,
        "waiting": sum(n for n, _since in mine),
        "oldest_since": views.iso(min((since for _n, since in mine), default=None)),
        "can_call": can_call,
    }
    uow.emit(hall.id, "queue.changed", payload, zone=zone)
