"""Check-in of a booking at the kiosk (ID card or the booking's QR code) or a counter.

The outcome comes from the time (`domain.appointments.checkin_outcome`): too early → refused with the
time to come back; on time → an appointment ticket that routing orders by its slot; too late → an
ordinary ticket, and the answer says why. The ticket's idempotency key is the booking's, so a
repeated check-in (a double tap, a lost answer) gives the same ticket.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from .. import access, privacy
from ..db.models import Appointment, Hall, Ticket
from ..domain import appointments as rule
from ..domain import calendar
from . import issuing, links, lookup, tickets
from .appointments import audit_view, by_token, view
from .context import Actor, Context, unit_of_work
from .errors import Conflict, Invalid, NotFound

MESSAGES = {
    "on_time": ("签到成功，已按预约时段为您排号", "checked in: your ticket is ordered by your booked time"),
    "late": (
        "您已超过签到时间（预约时段开始后{late}分钟内），已为您取普通号，按到达顺序办理",
        "you came after the check-in time (up to {late} min after your slot): you have an ordinary ticket, "
        "served in order of arrival",
    ),
}


def _find(ctx: Context, hall: Hall, token: str | None, id_number: str | None, now: datetime) -> Appointment:
    with ctx.read() as s:
        if token:
            a = by_token(s, token)
            if a.hall_id != hall.id:
                raise NotFound("这个预约不属于本大厅", "this booking is for another hall", code="other_hall")
            return a
        if not id_number or not privacy.valid_resident_id(id_number):
            raise Invalid("请刷身份证或扫描预约二维码", "read the ID card or scan the booking QR code")
        tz = ZoneInfo(hall.timezone)
        midnight = datetime.combine(now.astimezone(tz).date(), datetime.min.time(), tz)
        today = s.scalars(
            select(Appointment)
            .where(
                Appointment.hall_id == hall.id,
                Appointment.id_hash == privacy.id_hash(ctx.id_secret, id_number),
                Appointment.status.in_(("booked", "missed", "checked_in", "late")),
                Appointment.slot_start >= midnight,
                Appointment.slot_start < midnight + timedelta(days=1),
            )
            .order_by(Appointment.slot_start)
        ).all()
        if not today:
            raise NotFound(
                "没有找到您今天在本大厅的预约；可直接取号", "no booking of yours for today in this hall; "
                "you can take an ordinary ticket", code="no_booking",
            )  # fmt: skip
        # The first one still to come or to check in; else the last (late).
        return next((a for a in today if a.status == "booked" and a.checkin_until >= now), today[-1])


def check_in(
    ctx: Context,
    actor: Actor,
    hall_code: str,
    base_url: str,
    *,
    token: str | None = None,
    id_number: str | None = None,
) -> dict[str, Any]:
    access.check(actor, "appointment.checkin", hall_code)
    now = ctx.clock()
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        s.expunge(hall)
    a = _find(ctx, hall, token, id_number, now)
    tz = hall.timezone
    if a.status in ("checked_in", "late") and a.ticket_id is not None:
        return _answer(ctx, hall, a, "on_time" if a.status == "checked_in" else "late", base_url)
    if a.status == "cancelled":
        raise Conflict(
            "该预约已取消，请重新取号", "this booking was cancelled; take a ticket", code="cancelled"
        )
    if a.slot_start.astimezone(ZoneInfo(tz)).date() != now.astimezone(ZoneInfo(tz)).date():
        zh, en = calendar.describe(a.slot_start, tz)
        raise Conflict(
            f"您的预约时间是 {zh}，不是今天", f"your booking is for {en}, not today", code="not_today"
        )
    outcome = rule.checkin_outcome(now, a.checkin_from, a.checkin_until)
    if outcome == "early":
        zh, en = calendar.describe(a.checkin_from, tz)
        slot_zh, slot_en = calendar.describe(a.slot_start, tz)
        raise Conflict(
            f"您预约的时段是 {slot_zh}，请于 {zh} 后再来签到", f"your slot is {slot_en}: check in from {en}",
            code="too_early", come_back_at=a.checkin_from.astimezone(ZoneInfo(tz)).isoformat(),
            appointment=_booking(ctx, hall, a.id, base_url),  # masked; the kiosk prints its slip from it
        )  # fmt: skip
    person = issuing.BookedPerson(
        a.slot_start if outcome == "on_time" else None, a.id_hash, a.id_masked, a.name_masked
    )
    channel = "kiosk" if actor.role == "kiosk" else "counter"
    req = issuing.IssueRequest(a.service.code, f"appointment:{a.id}", None, channel, person)
    ticket, _ = issuing.issue(ctx, actor, hall_code, req, base_url)
    with unit_of_work(ctx, actor) as uow:
        mine = uow.session.scalar(
            select(Appointment).where(Appointment.id == a.id).with_for_update(of=Appointment)
        )
        assert mine is not None
        action = "check_in" if outcome == "on_time" else "check_in_late"
        after = rule.next_status(mine.status, action)
        if after is None and mine.ticket_id != ticket["id"]:
            raise Conflict(
                f"预约状态为「{rule.STATUS_ZH[mine.status]}」，不能签到",
                f"the booking is {rule.STATUS_EN[mine.status]}; it cannot be checked in",
                code="cannot_check_in",
            )
        if after is not None:
            before = audit_view(mine)
            mine.status, mine.ticket_id, mine.changed_at = after, ticket["id"], uow.now
            uow.audit(hall.id, f"appointment.{action}", "appointment", mine.code, before, audit_view(mine))
    return _answer(ctx, hall, a, outcome, base_url, ticket)


def _answer(
    ctx: Context,
    hall: Hall,
    a: Appointment,
    outcome: str,
    base_url: str,
    ticket: dict[str, Any] | None = None,
) -> dict[str, Any]:
    with ctx.read() as s:
        fresh = s.get(Appointment, a.id)
        assert fresh is not None and fresh.ticket_id is not None
        if ticket is None:
            t = s.get(Ticket, fresh.ticket_id)
            assert t is not None
            ahead, eta = tickets.estimate_of(s, t, ctx.clock(), ctx)
            from . import views

            ticket = views.ticket(t, ahead, eta, issuing.status_url(ctx, base_url, t.token))
    rules = rule.Rules.of(hall.appointments or {})
    zh, en = MESSAGES[outcome]
    return {
        "outcome": outcome,
        "message": zh.format(late=rules.checkin_late_min),
        "message_en": en.format(late=rules.checkin_late_min),
        "appointment": _booking(ctx, hall, a.id, base_url),
        "ticket": ticket,
    }


def _booking(ctx: Context, hall: Hall, appointment_id: int, base_url: str) -> dict[str, Any]:
    """The booking as its holder sees it (masks only) with the address its QR code carries."""
    with ctx.read() as s:
        a = s.get(Appointment, appointment_id)
        assert a is not None
        return {**view(a, hall), "booking_url": links.booking_url(ctx, base_url, hall.code, a.token)}
