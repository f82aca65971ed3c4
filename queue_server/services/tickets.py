"""Issuing tickets and moving them through their lifecycle."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import access, privacy
from ..db.models import Hall, Service, Ticket, Window
from ..domain import calendar
from ..domain.lifecycle import STATUS_ZH, next_status
from . import lookup, queue, views
from .context import Actor, Context, UnitOfWork, unit_of_work
from .errors import Conflict, Invalid, LimitReached, NotFound
from .numbering import next_number
from .scope import check_window

ACTION_ZH = {
    "recall": "重呼",
    "start": "开始办理",
    "finish": "办结",
    "no-show": "过号",
    "cancel": "取消",
    "transfer": "转办",
}
EVENT_OF_ACTION = {
    "recall": "ticket.recalled",
    "start": "ticket.started",
    "finish": "ticket.finished",
    "no-show": "ticket.no_show",
    "cancel": "ticket.cancelled",
    "transfer": "ticket.transferred",
}


@dataclass(frozen=True)
class IdCardData:
    id_number: str
    name: str
    birth_date: date | None = None
    card_type: str = "resident"


@dataclass(frozen=True)
class IssueRequest:
    service: str
    idempotency_key: str
    id_card: IdCardData | None = None
    channel: str = "kiosk"


def status_url(ctx: Context, base_url: str, token: str) -> str:
    base = ctx.settings.get("public_url") or base_url
    return f"{base.rstrip('/')}/t/{token}"


def issue(
    ctx: Context, actor: Actor, hall_code: str, req: IssueRequest, base_url: str
) -> tuple[dict[str, Any], bool]:
    """Issue a ticket; returns (ticket view, created). A repeated idempotency key returns the same ticket."""
    if f"ticket.issue.{req.channel}" not in access.PERMISSIONS:
        raise Invalid(f"未知取号渠道 {req.channel}", f"unknown channel {req.channel}")
    access.check(actor, "ticket.issue", hall_code)
    access.check(actor, f"ticket.issue.{req.channel}", hall_code)
    ticket_id, created = _issue_write(ctx, actor, hall_code, req)
    # The estimate reads the whole queue: do it after the commit, outside the hall's write lock.
    with ctx.read() as s:
        ticket = s.get(Ticket, ticket_id)
        assert ticket is not None
        hall = s.get(Hall, ticket.hall_id)
        assert hall is not None
        ahead, eta = _estimate(s, hall, ticket, ctx.clock())
        return views.ticket(ticket, ahead, eta, status_url(ctx, base_url, ticket.token)), created


def _issue_write(ctx: Context, actor: Actor, hall_code: str, req: IssueRequest) -> tuple[int, bool]:
    """The ticket's id, and whether it was created now (False: its idempotency key was used before)."""
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall = lookup.hall(s, hall_code)
        uow.lock_hall(hall.id)
        existing = s.scalar(
            select(Ticket.id).where(Ticket.hall_id == hall.id, Ticket.idempotency_key == req.idempotency_key)
        )
        if existing is not None:
            return existing, False
        service = lookup.service(s, hall, req.service)
        day = calendar.business_day(uow.now, hall.timezone, hall.day_starts)
        _check_can_issue(uow, hall, service, day, req, ctx.settings["id_secret"])
        ticket = Ticket(
            hall_id=hall.id,
            service_id=service.id,
            business_day=day,
            status="waiting",
            number=next_number(s, hall, service.prefix, day),
            priority_class=_priority_class(hall, req, uow),
            channel=req.channel,
            device=actor.device,
            issued_at=uow.now,
            wait_since=uow.now,
            token=secrets.token_urlsafe(16),
            idempotency_key=req.idempotency_key,
        )
        if req.id_card is not None:
            ticket.id_hash = privacy.id_hash(ctx.settings["id_secret"], req.id_card.id_number)
            ticket.id_masked = privacy.mask_id_number(req.id_card.id_number)
            ticket.name_masked = privacy.mask_name(req.id_card.name)
        s.add(ticket)
        s.flush()
        uow.audit(hall.id, "ticket.issue", "ticket", ticket.id, None, views.ticket_audit(ticket))
        uow.emit(hall.id, "ticket.issued", _event_payload(ticket), zone=service.zone.key)
        emit_queue_figures(uow, hall, service)
        return ticket.id, True


def _priority_class(hall: Hall, req: IssueRequest, uow: UnitOfWork) -> str:
    birth = req.id_card.birth_date if req.id_card else None
    if birth is not None:
        today = calendar.business_day(uow.now, hall.timezone, "00:00")
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        if age >= hall.priority_age:
            return "priority"
    return "normal"


def _check_can_issue(
    uow: UnitOfWork, hall: Hall, service: Service, day: date, req: IssueRequest, secret: bytes
) -> None:
    s = uow.session
    if not service.active:
        raise Conflict(f"事项 {service.name} 暂停办理", f"service item {service.code} is not offered now")
    if hall.enforce_hours and not calendar.is_open(uow.now, hall.timezone, service.hours or hall.hours):
        raise Conflict(
            f"事项 {service.name} 当前不在办理时间，请在办理时间内取号",
            f"service item {service.code} is not open now; tickets are issued during opening hours",
        )
    if req.id_card is None and service.id_required and req.channel == "kiosk":
        raise Invalid(f"办理 {service.name} 需要身份证", f"service item {service.code} needs an ID card")
    if (
        req.id_card is not None
        and req.id_card.card_type == "resident"
        and not privacy.valid_resident_id(req.id_card.id_number)
    ):
        raise Invalid("身份证号码校验不通过", "the ID number is not valid (check digit)")
    if service.daily_quota:
        issued = s.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(
                Ticket.service_id == service.id,
                Ticket.business_day == day,
                Ticket.transferred_from_id.is_(None),
            )
        )
        if issued >= service.daily_quota:
            raise LimitReached(
                f"事项 {service.name} 今日号源已取完（{service.daily_quota} 个）",
                f"today's quota of {service.daily_quota} tickets for {service.code} is used up",
            )
    if req.id_card is not None:
        _check_person_limits(s, hall, service, day, privacy.id_hash(secret, req.id_card.id_number))


def _check_person_limits(s: Session, hall: Hall, service: Service, day: date, person: str) -> None:
    """Anti-touting: counted for the person whose ID is presented, whoever takes the ticket.

    A transfer's successor is the same visit, not a new ticket, so it does not count.
    """
    mine = (
        select(func.count())
        .select_from(Ticket)
        .where(
            Ticket.hall_id == hall.id,
            Ticket.business_day == day,
            Ticket.id_hash == person,
            Ticket.transferred_from_id.is_(None),
        )
    )
    limit = service.per_person_daily_limit
    if limit and s.scalar(mine.where(Ticket.service_id == service.id)) >= limit:
        raise LimitReached(
            f"同一证件今日办理 {service.name} 最多取号 {limit} 次",
            f"one ID may take at most {limit} tickets a day for {service.code}",
        )
    if hall.per_person_daily_total and s.scalar(mine) >= hall.per_person_daily_total:
        raise LimitReached(
            f"同一证件今日在本大厅最多取号 {hall.per_person_daily_total} 次（所有事项合计）",
            f"one ID may take at most {hall.per_person_daily_total} tickets a day in this hall (all items)",
        )


def _estimate(
    s: Session, hall: Hall, t: Ticket, now: datetime
) -> tuple[int | None, tuple[int | None, int | None]]:
    """Tickets ahead and ETA range; only a waiting ticket has them."""
    if t.status != "waiting":
        return None, (None, None)
    ahead, low, high = queue.estimate(s, hall, t, now)
    return ahead, (low, high)


def public_status(ctx: Context, token: str) -> dict[str, Any]:
    with ctx.read() as s:
        t = lookup.ticket_by_token(s, token)
        return _public_view(s, ctx, t)


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


def _public_view(s: Session, ctx: Context, t: Ticket) -> dict[str, Any]:
    hall = s.get(Hall, t.hall_id)
    ahead, eta = _estimate(s, hall, t, ctx.clock())
    return views.public_ticket(t, ahead, eta)


def get_ticket(ctx: Context, actor: Actor, ticket_id: int) -> dict[str, Any]:
    """The staff view of a ticket (masked identity), for staff of its hall."""
    access.check(actor, "ticket.read")
    with ctx.read() as s:
        t = lookup.ticket(s, ticket_id)
        hall = s.get(Hall, t.hall_id)
        assert hall is not None
        access.check_hall(actor, hall.code)
        ahead, eta = _estimate(s, hall, t, ctx.clock())
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
) -> dict[str, Any]:
    """Apply a lifecycle action (recall, start, finish, no-show, cancel, transfer) to a ticket."""
    access.check(actor, "ticket.act")
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall_id = s.scalar(select(Ticket.hall_id).where(Ticket.id == ticket_id))
        if hall_id is None:
            lookup.ticket(s, ticket_id)  # raises NotFound
        uow.lock_hall(hall_id)
        t = s.get(Ticket, ticket_id, populate_existing=True)
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
        s.flush()
        uow.audit(t.hall_id, f"ticket.{action}", "ticket", t.id, before, views.ticket_audit(t))
        payload = _event_payload(t)
        if action == "recall":
            payload.update(announcement(t))
        if successor is not None:
            payload["transferred_to"] = {
                "service": successor.service.code,
                "window": successor.target_window.code if successor.target_window else None,
            }
        uow.emit(
            t.hall_id,
            EVENT_OF_ACTION[action],
            payload,
            zone=t.service.zone.key,
            window=t.window.code if t.window else None,
        )
        if action in ("cancel", "transfer"):
            hall = s.get(Hall, t.hall_id)
            assert hall is not None
            emit_queue_figures(uow, hall, (successor or t).service)
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


def _event_payload(t: Ticket) -> dict[str, Any]:
    """Live-event body: what displays need, never personal data."""
    return {
        "ticket_id": t.id,
        "number": t.number,
        "service": t.service.code,
        "service_name": t.service.name,
        "zone": t.service.zone.key,
        "status": t.status,
        "window": t.window.code if t.window else None,
        "window_name": t.window.name if t.window else None,
        "recall_count": t.recall_count,
    }


def emit_queue_figures(uow: UnitOfWork, hall: Hall, service: Service) -> None:
    day = calendar.business_day(uow.now, hall.timezone, hall.day_starts)
    waiting = uow.session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(Ticket.service_id == service.id, Ticket.business_day == day, Ticket.status == "waiting")
    )
    uow.emit(
        hall.id,
        "queue.changed",
        {"service": service.code, "zone": service.zone.key, "waiting": waiting},
        zone=service.zone.key,
    )
