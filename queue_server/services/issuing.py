"""Issuing tickets: the checks, the number, the ticket, its audit and events, and its place in line.

Concurrent requests are written in one transaction (`group_commit`): each still gets its own checks,
number, audit entry and `ticket.issued` event, and an error in one request does not touch the others.
The wait estimates of a batch come from one count of the queue, taken inside the transaction while
the hall is locked, so that they are exact.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, insert, select
from sqlalchemy.orm import Session

from .. import access, privacy
from ..db.models import AuditEvent, Hall, Service, Ticket, Zone
from ..domain import calendar
from . import availability, links, queue, views
from .context import Actor, Context, UnitOfWork, unit_of_work
from .errors import Conflict, Invalid, LimitReached, NotFound, ServiceError
from .group_commit import Job
from .numbering import next_number
from .ticket_event import TicketEvent
from .tickets import HallLike, ItemLike, emit_queue_figures, estimate_of


@dataclass(frozen=True)
class IdCardData:
    id_number: str
    name: str
    birth_date: date | None = None
    card_type: str = "resident"


@dataclass(frozen=True)
class BookedPerson:
    """A checked-in booking: its slot orders the ticket; the person is known only by hash and masks."""

    slot_start: datetime | None  # None: checked in late, an ordinary ticket
    id_hash: str
    id_masked: str
    name_masked: str


@dataclass(frozen=True)
class IssueRequest:
    service: str
    idempotency_key: str
    id_card: IdCardData | None = None
    channel: str = "kiosk"
    booking: BookedPerson | None = None


def status_url(ctx: Context, base_url: str, token: str) -> str:
    return links.status_url(ctx, base_url, token)


def issue(
    ctx: Context, actor: Actor, hall_code: str, req: IssueRequest, base_url: str
) -> tuple[dict[str, Any], bool]:
    """Issue a ticket; returns (ticket view, created). A repeated idempotency key returns the same ticket."""
    if f"ticket.issue.{req.channel}" not in access.PERMISSIONS:
        raise Invalid(f"未知取号渠道 {req.channel}", f"unknown channel {req.channel}")
    access.check(actor, "ticket.issue", hall_code)
    access.check(actor, f"ticket.issue.{req.channel}", hall_code)
    issued = ctx.group_commit.submit(Job(actor, hall_code, req), lambda batch: _write(ctx, batch))
    if isinstance(issued, Issued):
        return views.ticket(
            issued, issued.ahead, issued.eta, status_url(ctx, base_url, issued.token), for_holder=True
        ), True
    with ctx.read() as s:  # a replayed idempotency key: the ticket as it is now
        earlier = s.get(Ticket, issued)
        assert earlier is not None
        ahead, eta = estimate_of(s, earlier, ctx.clock(), ctx)
        return views.ticket(
            earlier, ahead, eta, status_url(ctx, base_url, earlier.token), for_holder=True
        ), False


# Issuing is the busiest write: its statements are built once and return plain rows.
_HALL = select(Hall.__table__).where(Hall.code == bindparam("code")).with_for_update()
_ITEM = (
    select(
        Service.__table__,
        Zone.key.label("zone_key"),
        Zone.name.label("zone_name"),
        Zone.name_en.label("zone_name_en"),
        Zone.location.label("zone_location"),
    )
    .join_from(Service, Zone, Zone.id == Service.zone_id)
    .where(Service.hall_id == bindparam("hall_id"), Service.code == bindparam("code"))
)
_ISSUED_BEFORE = select(
    Ticket.idempotency_key, Ticket.id, Ticket.service_id, Ticket.channel, Ticket.id_hash, Ticket.name_masked
).where(Ticket.hall_id == bindparam("hall_id"), Ticket.idempotency_key.in_(bindparam("keys", expanding=True)))
# Who asked for a ticket is in its audit entry (read for replayed keys only: they are rare).
_ISSUED_BY = select(AuditEvent.object_id, AuditEvent.actor, AuditEvent.role).where(
    AuditEvent.hall_id == bindparam("hall_id"),
    AuditEvent.action == "ticket.issue",
    AuditEvent.object_type == "ticket",
    AuditEvent.object_id.in_(bindparam("ids", expanding=True)),
)
_INSERT = insert(Ticket.__table__).returning(Ticket.__table__.c.id)


@dataclass(frozen=True)
class IssuedZone:
    key: str


@dataclass(frozen=True)
class IssuedItem:
    """The item of a ticket just issued, as the views and events read it."""

    id: int
    code: str
    name: str
    name_en: str
    zone: IssuedZone


@dataclass
class Issued:
    """A ticket just issued, built from the values inserted (not read back): what the views and events
    read of a `Ticket`, its hall's row (locked in this transaction), and its place in line."""

    id: int
    hall_id: int
    service_id: int
    business_day: date
    status: str
    number: str
    priority_class: str
    channel: str
    device: str | None
    recall_count: int
    issued_at: datetime
    wait_since: datetime
    token: str
    idempotency_key: str
    id_hash: str | None
    id_masked: str | None
    name_masked: str | None
    service: IssuedItem
    hall: Row[Any]
    ahead: int | None = None  # set once the batch's places in line are counted
    eta: tuple[int | None, int | None] = (None, None)
    # Not called yet.
    window: None = None
    target_window: None = None
    called_at: None = None
    started_at: None = None
    ended_at: None = None
    appointment_at: datetime | None = None
    priority_kind: None = None  # given by staff later (priority.py)

    @property
    def waiting(self) -> queue.Waiting:
        return queue.Waiting(
            self.id, self.hall_id, self.service_id, self.business_day, self.wait_since, self.priority_class,
            self.appointment_at, None,
        )  # fmt: skip


@dataclass
class _Batch:
    """What the requests of one batch share: halls (locked), items, and idempotency keys seen."""

    halls: dict[str, Row[Any] | None]
    items: dict[tuple[int, str], Row[Any] | None]
    keys: dict[tuple[int, str], tuple[int, _Asked]]  # (hall id, idempotency key) -> ticket id, request


@dataclass(frozen=True)
class _Asked:
    """What a request asked for: a replayed idempotency key must ask for the very same thing."""

    service_id: int
    channel: str
    caller: tuple[str, str]  # (name, role) of the user or device
    id_hash: str | None
    name_masked: str | None


def _load_keys(conn: Connection, shared: _Batch, hall_id: int, keys: list[str]) -> None:
    rows = conn.execute(_ISSUED_BEFORE, {"hall_id": hall_id, "keys": keys}).all()
    if not rows:
        return
    callers = {
        object_id: (actor, role)
        for object_id, actor, role in conn.execute(
            _ISSUED_BY, {"hall_id": hall_id, "ids": [str(r.id) for r in rows]}
        )
    }
    for r in rows:
        caller = callers.get(str(r.id), ("", ""))
        asked = _Asked(r.service_id, r.channel, caller, r.id_hash, r.name_masked)
        shared.keys[(hall_id, r.idempotency_key)] = (r.id, asked)


def _asked(actor: Actor, req: IssueRequest, service_id: int, secret: bytes) -> _Asked:
    card = req.id_card
    return _Asked(
        service_id,
        req.channel,
        (actor.name, actor.role),
        privacy.id_hash(secret, card.id_number) if card else None,
        privacy.mask_name(card.name) if card else None,
    )


def _write(ctx: Context, batch: list[Job]) -> None:
    """Issue every job of the batch in one transaction; on a database error, each on its own."""
    try:
        with unit_of_work(ctx, batch[0].args[0]) as uow:
            conn = uow.session.connection()
            shared = _Batch({}, {}, {})
            for code in sorted({job.args[1] for job in batch}):  # one lock order for every writer
                hall = shared.halls[code] = conn.execute(_HALL, {"code": code}).first()
                if hall is not None:
                    keys = [job.args[2].idempotency_key for job in batch if job.args[1] == code]
                    _load_keys(conn, shared, hall.id, keys)
            issued: list[Issued] = []
            for job in batch:
                try:
                    job.result = _issue_one(ctx, uow, shared, *job.args)
                except ServiceError as exc:  # refused before it wrote anything
                    job.error = exc
                    continue
                if isinstance(job.result, Issued):
                    issued.append(job.result)
            _after_issuing(ctx, uow, issued)
    except Exception as exc:
        # Rolled back: no job may keep a ticket from it.
        if len(batch) == 1:
            batch[0].result, batch[0].error = None, exc
            return
        for job in batch:  # do each request again, alone
            job.result = job.error = None
            _write(ctx, [job])


def _issue_one(
    ctx: Context,
    uow: UnitOfWork,
    shared: _Batch,
    actor: Actor,
    hall_code: str,
    req: IssueRequest,
) -> Issued | int:
    """The new ticket, or the id of the ticket issued before with this idempotency key."""
    conn = uow.session.connection()
    hall = shared.halls[hall_code]
    if hall is None:
        raise NotFound(f"没有编号为 {hall_code} 的大厅", f"unknown hall: {hall_code}")
    uow.hall_locked(hall.id)
    if (hall.id, req.service) not in shared.items:  # batches are mostly of a few items
        shared.items[(hall.id, req.service)] = conn.execute(
            _ITEM, {"hall_id": hall.id, "code": req.service}
        ).first()
    item = shared.items[(hall.id, req.service)]
    if item is None:
        raise NotFound(f"没有编码为 {req.service} 的事项", f"unknown service item: {req.service}")
    asked = _asked(actor, req, item.id, ctx.id_secret)
    existing = shared.keys.get((hall.id, req.idempotency_key))
    if existing is not None:
        if existing[1] != asked:  # never hand one caller's ticket (and its token) to another request
            raise Conflict(
                "该取号请求编号已用于另一次不同的取号（事项、渠道、取号人或证件不同），请重新取号",
                "this idempotency key was used for a different request (item, channel, caller or ID card);"
                " start again with a new key",
                code="idempotency_mismatch",
            )
        return existing[0]
    day = calendar.business_day(uow.now, hall.timezone, hall.day_starts)
    _check_open_and_staffed(ctx, uow, hall, item)
    _check_can_issue(uow, hall, item, day, req, ctx.id_secret)
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
        "appointment_at": None,
    }
    if req.booking is not None:
        b = req.booking
        values.update(id_hash=b.id_hash, id_masked=b.id_masked, name_masked=b.name_masked)
        if b.slot_start is not None:
            values.update(priority_class="appointment", appointment_at=b.slot_start)
    if req.id_card is not None:
        values["id_hash"] = asked.id_hash
        values["id_masked"] = privacy.mask_id_number(req.id_card.id_number)
        values["name_masked"] = asked.name_masked
    ticket_id = conn.execute(_INSERT, values).scalar_one()
    shared.keys[(hall.id, req.idempotency_key)] = (ticket_id, asked)  # a retry later in this batch
    ticket = Issued(
        id=ticket_id,
        **values,
        service=IssuedItem(item.id, item.code, item.name, item.name_en, IssuedZone(item.zone_key)),
        hall=hall,
    )
    uow.audit(hall.id, "ticket.issue", "ticket", ticket_id, None, views.ticket_audit(ticket), by=actor)
    uow.emit(hall.id, "ticket.issued", TicketEvent.of(ticket).payload(), zone=item.zone_key)
    return ticket


def _after_issuing(ctx: Context, uow: UnitOfWork, issued: list[Issued]) -> None:
    """The new queue figures (once per item), and every new ticket's place in line."""
    items = {(t.hall_id, t.service.id): t for t in issued}
    for t in items.values():
        emit_queue_figures(uow, t.hall, t.service, t.service.zone.key)
    by_hall: dict[int, list[Issued]] = defaultdict(list)
    for t in issued:
        by_hall[t.hall_id].append(t)
    for tickets in by_hall.values():
        hall = tickets[0].hall  # locked in this transaction: its layout version is current
        found = queue.layout(uow.session, hall.id, hall.layout_seq, ctx.layouts)
        closed = availability.closed_ahead(
            uow.session, hall, {t.service_id for t in tickets}, uow.now, ctx.calendars
        )
        estimates = queue.estimates(uow.session, [t.waiting for t in tickets], uow.now, found, closed)
        for t in tickets:
            ahead, low, high = estimates[t.id]
            eta = availability.eta_in_hours(
                uow.session, hall, t.service_id, uow.now, (low, high), ctx.calendars
            )
            t.ahead, t.eta = ahead, eta


def _priority_class(hall: HallLike, req: IssueRequest, uow: UnitOfWork) -> str:
    birth = req.id_card.birth_date if req.id_card else None
    if birth is not None:
        today = calendar.business_day(uow.now, hall.timezone, "00:00")
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        if age >= hall.priority_age:
            return "priority"
    return "normal"


def _check_open_and_staffed(ctx: Context, uow: UnitOfWork, hall: Row[Any], item: Row[Any]) -> None:
    """The three honest refusals (self-service, closed, unstaffed), from the hall's calendar and staffing."""
    if not item.active:
        raise Conflict(f"{item.name}暂停办理", f"{item.name_en} is not offered now", code="inactive")
    time = availability.hall_time(uow.session, hall, uow.now, ctx.calendars)
    schedule = time.item_schedule(item.id)
    self_service = time.items[item.id].self_service
    staffed = self_service or item.code in availability.staffed_items(
        queue.layout(uow.session, hall.id, hall.layout_seq, ctx.layouts)
    )
    if self_service or not staffed or not calendar.open_at(schedule, uow.now):
        avail = calendar.availability(schedule, uow.now)
        availability.refuse(hall, item, avail, self_service, staffed, schedule.closure_at(uow.now))


def _check_can_issue(
    uow: UnitOfWork, hall: HallLike, service: ItemLike, day: date, req: IssueRequest, secret: bytes
) -> None:
    s = uow.session
    if req.id_card is None and req.booking is None and service.id_required and req.channel == "kiosk":
        raise Invalid(f"办理 {service.name} 需要身份证", f"{service.name_en} needs an ID card")
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
                f"today's quota of {service.daily_quota} tickets for {service.name_en} is used up",
            )
    if req.booking is not None:
        _check_person_limits(s, hall, service, day, req.booking.id_hash)
    elif req.id_card is not None:
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
            Ticket.status != "no_show",  # a missed call does not use up the day (过号请重新取号)
        )
    )
    limit = service.per_person_daily_limit
    if limit and s.scalar(mine.where(Ticket.service_id == service.id)) >= limit:
        raise LimitReached(
            f"同一证件今日办理 {service.name} 最多取号 {limit} 次。{_LIMIT_NEXT_ZH}",
            f"One ID may take at most {limit} tickets a day for {service.name_en}. {_LIMIT_NEXT_EN}",
        )
    total = hall.per_person_daily_total
    if total and s.scalar(mine) >= total:
        raise LimitReached(
            f"同一证件今日在本大厅最多取号 {total} 次（所有事项合计）。{_LIMIT_NEXT_ZH}",
            f"One ID may take at most {total} tickets a day in this hall (all items). {_LIMIT_NEXT_EN}",
        )


# What a citizen at the limit still has (the refusal says why and what next; the kiosk adds the desk).
_LIMIT_NEXT_ZH = "您今日已取的号仍然有效，扫号票上的二维码或在“查询排号”可查看进度。"
_LIMIT_NEXT_EN = (
    "The tickets you took today stay valid: scan a ticket's QR code or use \"Check my ticket\" to see"
    " its progress."
)
