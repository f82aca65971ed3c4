"""Issuing tickets and moving them through their lifecycle."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Row, bindparam, func, insert, select
from sqlalchemy.orm import Session

from .. import access, privacy
from ..db.models import Hall, Service, Ticket, Window, Zone
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
    issued = _issue_write(ctx, actor, hall_code, req)
    # The estimate counts the queue: do it after the commit, outside the hall's write lock.
    with ctx.read() as s:
        if isinstance(issued, int):
            earlier = s.get(Ticket, issued)
            assert earlier is not None
            ahead, eta = _estimate(s, earlier, ctx.clock())
            return views.ticket(earlier, ahead, eta, status_url(ctx, base_url, earlier.token)), False
        ahead, eta = _estimate(s, issued.waiting, ctx.clock())
    return views.ticket(issued, ahead, eta, status_url(ctx, base_url, issued.token)), True


# Issuing is the busiest write: its statements are built once and run as plain SQL rows.
_HALL = select(Hall.__table__).where(Hall.code == bindparam("code")).with_for_update()
_ITEM = (
    select(Service.__table__, Zone.key.label("zone_key"))
    .join_from(Service, Zone, Zone.id == Service.zone_id)
    .where(Service.hall_id == bindparam("hall_id"), Service.code == bindparam("code"))
)
_ISSUED_BEFORE = select(Ticket.id).where(
    Ticket.hall_id == bindparam("hall_id"), Ticket.idempotency_key == bindparam("key")
)
_INSERT = insert(Ticket.__table__).returning(Ticket.__table__.c.id)
_WAITING = (
    select(func.count())
    .select_from(Ticket)
    .where(
        Ticket.hall_id == bindparam("hall_id"),
        Ticket.business_day == bindparam("day"),
        Ticket.status == "waiting",
        Ticket.service_id == bindparam("service_id"),
    )
)


class Issued(SimpleNamespace):
    """A ticket just issued, with the attributes the views read from a `Ticket` (no session needed)."""

    @property
    def waiting(self) -> queue.Waiting:
        return queue.Waiting(
            self.id, self.hall_id, self.service_id, self.business_day, self.wait_since, self.priority_class,
            None, None,
        )  # fmt: skip


def _issue_write(ctx: Context, actor: Actor, hall_code: str, req: IssueRequest) -> Issued | int:
    """The new ticket, or the id of the ticket issued before with this idempotency key."""
    with unit_of_work(ctx, actor) as uow:
        conn = uow.session.connection()
        hall = conn.execute(_HALL, {"code": hall_code}).first()
        if hall is None:
            raise NotFound(f"没有编号为 {hall_code} 的大厅", f"unknown hall: {hall_code}")
        uow.hall_locked(hall.id)
        item = conn.execute(_ITEM, {"hall_id": hall.id, "code": req.service}).first()
        if item is None:
            raise NotFound(f"没有编码为 {req.service} 的事项", f"unknown service item: {req.service}")
        existing = conn.execute(_ISSUED_BEFORE, {"hall_id": hall.id, "key": req.idempotency_key}).scalar()
        if existing is not None:
            return existing
        day = calendar.business_day(uow.now, hall.timezone, hall.day_starts)
        _check_can_issue(uow, hall, item, day, req, ctx.settings["id_secret"])
        values: dict[str, Any] = {
            "hall_id": hall.id,
            "service_id": item.id,
            "business_day": day,
            "status": "waiting",
            "number": next_number(conn, hall, item.prefix, day),
            "priority_class": _priority_class(hall, req, uow),
            "channel": req.channel,
            "device": actor.device,
            "recall_count": 0,
            "issued_at": uow.now,
            "wait_since": uow.now,
            "token": secrets.token_urlsafe(16),
            "idempotency_key": req.idempotency_key,
            "id_hash": None,
            "id_masked": None,
            "name_masked": None,
        }
        if req.id_card is not None:
            values["id_hash"] = privacy.id_hash(ctx.settings["id_secret"], req.id_card.id_number)
            values["id_masked"] = privacy.mask_id_number(req.id_card.id_number)
            values["name_masked"] = privacy.mask_name(req.id_card.name)
        ticket_id = conn.execute(_INSERT, values).scalar_one()
        zone = SimpleNamespace(key=item.zone_key)
        ticket = Issued(
            id=ticket_id,
            **values,
            service=SimpleNamespace(code=item.code, name=item.name, name_en=item.name_en, zone=zone),
            window=None,
            target_window=None,
            called_at=None,
            started_at=None,
            ended_at=None,
        )
        uow.audit(hall.id, "ticket.issue", "ticket", ticket_id, None, views.ticket_audit(ticket))
        uow.emit(hall.id, "ticket.issued", _event_payload(ticket), zone=item.zone_key)
        emit_queue_figures(uow, hall, item, item.zone_key)
        return ticket


def _priority_class(hall: HallLike, req: IssueRequest, uow: UnitOfWork) -> str:
    birth = req.id_card.birth_date if req.id_card else None
    if birth is not None:
        today = calendar.business_day(uow.now, hall.timezone, "00:00")
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        if age >= hall.priority_age:
            return "priority"
    return "normal"


def _check_can_issue(
    uow: UnitOfWork, hall: HallLike, service: ItemLike, day: date, req: IssueRequest, secret: bytes
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


def _check_person_limits(s: Session, hall: HallLike, service: ItemLike, day: date, person: str) -> None:
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
    s: Session, t: Ticket | queue.Waiting, now: datetime
) -> tuple[int | None, tuple[int | None, int | None]]:
    """Tickets ahead and ETA range; only a waiting ticket has them."""
    if isinstance(t, Ticket):
        if t.status != "waiting":
            return None, (None, None)
        t = queue.Waiting.of(t)
    ahead, low, high = queue.estimate(s, t, now)
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
    ahead, eta = _estimate(s, t, ctx.clock())
    return views.public_ticket(t, ahead, eta)


def get_ticket(ctx: Context, actor: Actor, ticket_id: int) -> dict[str, Any]:
    """The staff view of a ticket (masked identity), for staff of its hall."""
    access.check(actor, "ticket.read")
    with ctx.read() as s:
        t = lookup.ticket(s, ticket_id)
        hall = s.get(Hall, t.hall_id)
        assert hall is not None
        access.check_hall(actor, hall.code)
        ahead, eta = _estimate(s, t, ctx.clock())
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


def emit_queue_figures(uow: UnitOfWork, hall: HallLike, service: ItemLike, zone: str) -> None:
    """How many wait for the item now."""
    day = calendar.business_day(uow.now, hall.timezone, hall.day_starts)
    params = {"hall_id": hall.id, "day": day, "service_id": service.id}
    waiting = uow.session.connection().execute(_WAITING, params).scalar_one()
    uow.emit(hall.id, "queue.changed", {"service": service.code, "zone": zone, "waiting": waiting}, zone=zone)
