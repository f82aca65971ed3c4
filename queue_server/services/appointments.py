"""Appointments (网上预约): slots, booking, cancelling, the missed-booking rule, a manager's day changes.

The release surge (thousands of phones at the release time) is why booking is built as it is: a
booking takes no hall lock and emits no live event (bookings are not the live queue); the only
contended row is its slot's counter, bumped by one conditional statement (`booked < cap`), so a slot
is never overbooked on either database. One live booking per person and item is a unique index, and
the idempotency key is another: a double tap, even on two server processes, gives one booking.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import access, privacy
from ..db.models import Appointment, Hall, Service, SlotCount, SlotDay
from ..domain import appointments as rule
from ..domain import calendar
from . import availability, lookup
from .context import SYSTEM, Actor, Context, UnitOfWork, unit_of_work
from .errors import Conflict, Invalid, LimitReached, NotFound

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out at a counter


def _rules(hall: Hall) -> rule.Rules:
    if not hall.appointments:
        raise Conflict(
            f"{hall.name}暂不提供网上预约，请到大厅现场取号",
            f"{hall.name_en} takes no appointments; take a ticket in the hall",
            code="no_appointments",
        )
    return rule.Rules.of(hall.appointments)


def _bookable_item(s: Session, hall: Hall, code: str) -> Service:
    item = lookup.service(s, hall, code)
    if not item.appointment or not item.active:
        raise Conflict(
            f"{item.name}不接受预约，请到大厅现场取号",
            f"{item.name_en} takes no appointments; take a ticket in the hall",
            code="no_appointments",
        )
    return item


def _local_iso(moment: datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).isoformat()


@dataclass(frozen=True)
class DaySlots:
    """One item's slots of one day as the rules and the manager's changes make them."""

    slots: list[rule.Slot]
    capacity: int  # bookable places per slot
    closed: bool
    reason: tuple[str, str] | None  # why there are no slots (holiday, closure, manager, not released)
    release: datetime


def day_slots(
    s: Session, hall: Hall, item: Service, day: date, now: datetime, cache: dict[int, Any]
) -> DaySlots:
    rules = _rules(hall)
    time = availability.hall_time(s, hall, now, cache)
    schedule = time.item_schedule(item.id)
    periods, closed_why = schedule.day_periods(day)
    slots = rule.day_slots(schedule, day, item.appointment["slot_min"])  # type: ignore[index]
    override = s.get(SlotDay, (item.id, day))
    capacity = rule.bookable(item.appointment["capacity"], rules.walk_in_share)  # type: ignore[index]
    if override is not None and override.capacity is not None:
        capacity = override.capacity
    release = rule.release_time(day, rules, hall.timezone)
    reason = None
    if override is not None and override.closed:
        reason = (
            "当日预约已停止，请选择其他日期",
            "appointments for this day are closed; choose another day",
        )
    elif closed_why is not None:
        reason = closed_why
    elif not periods:
        reason = ("当日不办理", "not open on this day")
    elif now < release:
        zh, en = calendar.describe(release, hall.timezone)
        reason = (f"{zh} 开放预约", f"opens for booking {en}")
    return DaySlots(slots, capacity, bool(override and override.closed), reason, release)


def list_slots(ctx: Context, hall_code: str, service_code: str, day: date) -> dict[str, Any]:
    """The day's slots of an item with the places left; none (and why) before release, on closed days."""
    now = ctx.clock()
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        item = _bookable_item(s, hall, service_code)
        found = day_slots(s, hall, item, day, now, ctx.calendars)
        booked = dict(
            s.execute(
                select(SlotCount.slot_start, SlotCount.booked).where(
                    SlotCount.service_id == item.id,
                    SlotCount.slot_start.in_([start for start, _ in found.slots] or [now]),
                )
            ).all()
        )
        slots = []
        if found.reason is None:
            slots = [
                {
                    "start": _local_iso(start, hall.timezone),
                    "end": _local_iso(end, hall.timezone),
                    "capacity": found.capacity,
                    "left": max(found.capacity - booked.get(start, 0), 0),
                }
                for start, end in found.slots
                if start > now
            ]
        return {
            "service": item.code,
            "service_name": item.name,
            "service_name_en": item.name_en,
            "date": day.isoformat(),
            "released_at": _local_iso(found.release, hall.timezone),
            "reason": found.reason[0] if found.reason else None,
            "reason_en": found.reason[1] if found.reason else None,
            "slots": slots,
        }


@dataclass(frozen=True)
class BookingRequest:
    service: str
    slot_start: datetime
    id_number: str
    name: str
    phone: str
    idempotency_key: str


def view(a: Appointment, hall: Hall, ticket: dict[str, Any] | None = None) -> dict[str, Any]:
    tz = hall.timezone
    return {
        "code": a.code,
        "token": a.token,
        "hall": hall.code,
        "service": a.service.code,
        "service_name": a.service.name,
        "service_name_en": a.service.name_en,
        "slot_start": _local_iso(a.slot_start, tz),
        "slot_end": _local_iso(a.slot_end, tz),
        "status": a.status,
        "status_zh": rule.STATUS_ZH[a.status],
        "status_en": rule.STATUS_EN[a.status],
        "checkin_from": _local_iso(a.checkin_from, tz),
        "checkin_until": _local_iso(a.checkin_until, tz),
        "id_masked": a.id_masked,
        "name_masked": a.name_masked,
        "phone_masked": a.phone_masked,
        "ticket": ticket,
    }


def audit_view(a: Appointment) -> dict[str, Any]:
    """What the audit trail keeps of a booking: no hashes, masks only."""
    return {
        "code": a.code,
        "service": a.service.code if a.service else a.service_id,
        "slot_start": a.slot_start.isoformat(),
        "status": a.status,
        "id_masked": a.id_masked,
        "phone_masked": a.phone_masked,
    }


def _check_request(req: BookingRequest) -> str:
    phone = privacy.normalise_mobile(req.phone)
    if phone is None:
        raise Invalid(
            "手机号码格式不正确，请输入11位大陆手机号码", "enter an 11-digit mainland China mobile number",
            code="bad_phone",
        )  # fmt: skip
    if not privacy.valid_resident_id(req.id_number):
        raise Invalid(
            "身份证号码校验不通过，请核对", "the ID number is not valid; please check it", code="bad_id"
        )
    if not req.name.strip():
        raise Invalid("请填写姓名", "enter your name", code="bad_name")
    if req.slot_start.tzinfo is None:
        raise Invalid("预约时段须带时区", "slot_start needs a time zone offset")
    return phone


def _overdue(person: str | None = None, hall_id: int | None = None) -> Any:
    """Live bookings whose check-in window has ended (of one person, or of one hall)."""
    q = select(Appointment).where(
        Appointment.status == rule.LIVE, Appointment.checkin_until < bindparam("now")
    )
    if person is not None:
        q = q.where(Appointment.id_hash == person)
    if hall_id is not None:
        q = q.where(Appointment.hall_id == hall_id)
    return q


def _refuse_if_full(ctx: Context, hall_code: str, req: BookingRequest) -> None:
    """At the release most requests find the slot full: say so from a read, without taking a writer's
    place (SQLite has one writer at a time). The conditional bump stays the rule; this only saves work."""
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        item = _bookable_item(s, hall, req.service)
        booked = s.scalar(
            select(SlotCount.booked).where(
                SlotCount.service_id == item.id, SlotCount.slot_start == req.slot_start
            )
        )
        if booked is None:
            return
        found = day_slots(
            s,
            hall,
            item,
            req.slot_start.astimezone(ZoneInfo(hall.timezone)).date(),
            ctx.clock(),
            ctx.calendars,
        )
        if booked >= found.capacity and _by_key(s, hall.id, req.idempotency_key) is None:
            raise _full()


def _full() -> Conflict:
    return Conflict("该时段已约满，请选择其他时段", "this slot is fully booked; choose another", code="full")


def _sweep_person(ctx: Context, actor: Actor, person: str) -> None:
    """Mark the person's ended bookings missed, committed on its own: a refusal of the booking that
    follows must not undo it (and the misses count for the rule at once)."""
    now = ctx.clock()
    with ctx.read() as s:
        if s.scalar(_overdue(person).with_only_columns(Appointment.id).limit(1), {"now": now}) is None:
            return  # the usual case: one indexed read
        hall_id = s.scalar(_overdue(person).with_only_columns(Appointment.hall_id).limit(1), {"now": now})
    with unit_of_work(ctx, actor) as uow:
        sweep_missed(uow, hall_id, person)


def sweep_ended(ctx: Context) -> int:
    """Mark every hall's bookings whose check-in window has ended as missed: run by the server's
    periodic check, so reports and the miss rule see them without waiting for someone to ask."""
    now = ctx.clock()
    with ctx.read() as s:
        halls = s.scalars(
            select(Appointment.hall_id)
            .where(Appointment.status == rule.LIVE, Appointment.checkin_until < now)
            .distinct()
        ).all()
    marked = 0
    for hall_id in halls:
        with unit_of_work(ctx, SYSTEM) as uow:
            marked += sweep_missed(uow, hall_id)
    return marked


def sweep_missed(uow: UnitOfWork, hall_id: int, person: str | None = None) -> int:
    """Mark the hall's bookings whose check-in window has ended as missed (audited one by one)."""
    s = uow.session
    due = s.scalars(
        select(Appointment)
        .where(
            Appointment.hall_id == hall_id,
            Appointment.status == rule.LIVE,
            Appointment.checkin_until < uow.now,
        )
        .with_for_update(skip_locked=True, of=Appointment)
    ).all()
    for a in due:
        before = audit_view(a)
        a.status, a.changed_at = "missed", uow.now
        uow.audit(hall_id, "appointment.miss", "appointment", a.code, before, audit_view(a))
    return len(due)


def book(ctx: Context, actor: Actor, hall_code: str, req: BookingRequest) -> tuple[dict[str, Any], bool]:
    """Book a slot; returns (booking view, created). A repeated idempotency key returns the same booking."""
    access.check(actor, "public.book", hall_code)
    phone = _check_request(req)
    person = privacy.id_hash(ctx.id_secret, req.id_number)
    _refuse_if_full(ctx, hall_code, req)
    _sweep_person(ctx, actor, person)
    for _ in range(3):  # a clash on a random code (or a racing double tap) is decided by re-reading
        try:
            return _book(ctx, actor, hall_code, req, person, phone)
        except Conflict:
            # A double tap on another process may commit between our reads and our checks, so that our
            # request looks like a second booking ("already booked", "full"): it is the same booking.
            with ctx.read() as s:
                hall = lookup.hall(s, hall_code)
                earlier = _by_key(s, hall.id, req.idempotency_key)
                if earlier is not None:
                    return view(earlier, hall), False
            raise
        except IntegrityError:
            with ctx.read() as s:
                hall = lookup.hall(s, hall_code)
                earlier = _by_key(s, hall.id, req.idempotency_key)
                if earlier is not None:
                    return view(earlier, hall), False
                item = lookup.service(s, hall, req.service)
                if _live_booking(s, item.id, person) is not None:
                    raise _already(item) from None
    raise Conflict("预约暂时未能完成，请重试", "the booking could not be completed; please try again")


def _by_key(s: Session, hall_id: int, key: str) -> Appointment | None:
    return s.scalar(
        select(Appointment).where(Appointment.hall_id == hall_id, Appointment.idempotency_key == key)
    )


def _already(item: Service) -> Conflict:
    return Conflict(
        f"您已预约{item.name}，同一事项只能保留一个预约；如需改期请先取消原预约",
        f"you already hold a booking for {item.name_en}; cancel it first to choose another time",
        code="already_booked",
    )


def _live_booking(s: Session, service_id: int, person: str) -> Appointment | None:
    return s.scalar(
        select(Appointment).where(
            Appointment.service_id == service_id,
            Appointment.id_hash == person,
            Appointment.status == rule.LIVE,
        )
    )


def _book(
    ctx: Context, actor: Actor, hall_code: str, req: BookingRequest, person: str, phone: str
) -> tuple[dict[str, Any], bool]:
    with unit_of_work(ctx, actor) as uow:
        s, now = uow.session, uow.now
        hall = lookup.hall(s, hall_code)
        rules = _rules(hall)
        earlier = _by_key(s, hall.id, req.idempotency_key)
        if earlier is not None:
            return view(earlier, hall), False
        item = _bookable_item(s, hall, req.service)
        start = req.slot_start.astimezone(ZoneInfo(hall.timezone))
        day = start.date()
        if start <= now:
            raise Conflict("该时段已过，请选择其他时段", "this time has passed; choose another", code="past")
        if day > rule.last_released_day(now, rules, hall.timezone):
            zh, en = calendar.describe(rule.release_time(day, rules, hall.timezone), hall.timezone)
            raise Conflict(
                f"该日预约尚未开放，{zh} 开放", f"booking for this day opens {en}", code="not_released",
                opens_at=rule.release_time(day, rules, hall.timezone).isoformat(),
            )  # fmt: skip
        found = day_slots(s, hall, item, day, now, ctx.calendars)
        slot = next(((a, b) for a, b in found.slots if a == start), None)
        if slot is None:
            raise Invalid(
                "没有这个预约时段，请重新选择", "there is no such slot; choose again", code="no_slot"
            )
        if found.reason is not None:
            raise Conflict(found.reason[0], found.reason[1], code="day_closed")
        live = _live_booking(s, item.id, person)
        if live is not None and live.idempotency_key == req.idempotency_key:
            return view(live, hall), False  # a double tap whose twin committed since we looked
        uow.lock_person(person)  # two items at once from two processes must not pass the day's cap
        _check_person(s, hall, item, rules, person, day, now)
        if not _take_place(s, item.id, slot[0], found.capacity):
            twin = _by_key(s, hall.id, req.idempotency_key)  # a double tap that took the last place
            if twin is not None:
                return view(twin, hall), False
            raise _full()
        checkin_from, checkin_until = rule.checkin_window(slot[0], rules)
        a = Appointment(
            hall_id=hall.id,
            service_id=item.id,
            code="".join(secrets.choice(CODE_ALPHABET) for _ in range(8)),
            token=secrets.token_urlsafe(16),
            idempotency_key=req.idempotency_key,
            status=rule.LIVE,
            slot_start=slot[0],
            slot_end=slot[1],
            checkin_from=checkin_from,
            checkin_until=checkin_until,
            created_at=now,
            changed_at=now,
            id_hash=person,
            id_masked=privacy.mask_id_number(req.id_number),
            name_masked=privacy.mask_name(req.name),
            phone_hash=privacy.id_hash(ctx.id_secret, "tel:" + phone),
            phone_masked=privacy.mask_phone(phone),
            service=item,
        )
        s.add(a)
        s.flush()  # the unique indexes speak here: a racing double tap raises IntegrityError
        uow.audit(hall.id, "appointment.book", "appointment", a.code, None, audit_view(a), by=actor)
        return view(a, hall), True


def _check_person(
    s: Session, hall: Hall, item: Service, rules: rule.Rules, person: str, day: date, now: datetime
) -> None:
    misses = s.scalars(
        select(Appointment.slot_start).where(
            Appointment.id_hash == person,
            Appointment.status == "missed",
            Appointment.slot_start > now - timedelta(days=rules.miss_window_days),
        )
    ).all()
    until = rule.blocked_until(misses, now, rules)
    if until is not None:
        zh, en = calendar.describe(until, hall.timezone)
        raise LimitReached(
            f"您{rules.miss_window_days}天内有{len(misses)}次预约未到，{zh} 前不能网上预约；可到大厅现场取号",
            f"{len(misses)} missed bookings in {rules.miss_window_days} days: no online booking before {en}; "
            "you can still take a ticket in the hall",
            code="blocked",
            until=until.astimezone(ZoneInfo(hall.timezone)).isoformat(),
        )
    if _live_booking(s, item.id, person) is not None:
        raise _already(item)
    tz = ZoneInfo(hall.timezone)
    midnight = datetime.combine(day, datetime.min.time(), tz)
    same_day = s.scalar(
        select(func.count())
        .select_from(Appointment)
        .where(
            Appointment.id_hash == person,
            Appointment.status == rule.LIVE,
            Appointment.slot_start >= midnight,
            Appointment.slot_start < midnight + timedelta(days=1),
        )
    )
    if same_day >= rules.per_person_per_day:
        raise LimitReached(
            f"同一证件同一天最多预约 {rules.per_person_per_day} 个事项",
            f"one ID may hold at most {rules.per_person_per_day} bookings for one day",
            code="day_limit",
        )


def _take_place(s: Session, service_id: int, slot_start: datetime, cap: int) -> bool:
    """One place of the slot, or False when it is full: a conditional bump, never read-then-write."""
    conn = s.connection()
    ins = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(
        ins(SlotCount.__table__)
        .values(service_id=service_id, slot_start=slot_start, booked=0)
        .on_conflict_do_nothing()
    )
    bumped = conn.execute(
        update(SlotCount.__table__)
        .where(
            and_(
                SlotCount.service_id == service_id, SlotCount.slot_start == slot_start, SlotCount.booked < cap
            )
        )
        .values(booked=SlotCount.booked + 1)
        .returning(SlotCount.booked)
    ).first()
    return bumped is not None


def _give_back(s: Session, service_id: int, slot_start: datetime) -> None:
    s.connection().execute(
        update(SlotCount.__table__)
        .where(SlotCount.service_id == service_id, SlotCount.slot_start == slot_start, SlotCount.booked > 0)
        .values(booked=SlotCount.booked - 1)
    )


def by_token(s: Session, token: str, *, lock: bool = False) -> Appointment:
    q = select(Appointment).where(Appointment.token == token)
    found = s.scalar(q.with_for_update(of=Appointment) if lock else q)
    if found is None:
        raise NotFound("没有找到这个预约，请核对预约二维码", "no such booking; check the booking's QR code")
    return found


def public_view(ctx: Context, token: str) -> dict[str, Any]:
    """The booking as its holder sees it; after check-in, the live ticket too."""
    from . import tickets  # a ticket's public status is the ticket service's job

    with ctx.read() as s:
        a = by_token(s, token)
        hall = s.get(Hall, a.hall_id)
        assert hall is not None
        ticket = None
        if a.ticket_id is not None:
            from ..db.models import Ticket

            t = s.get(Ticket, a.ticket_id)
            if t is not None:
                ticket = tickets.public_status(ctx, t.token)
        shown = view(a, hall, ticket)
        if a.status == rule.LIVE and a.checkin_until < ctx.clock():
            shown.update(
                status="missed", status_zh=rule.STATUS_ZH["missed"], status_en=rule.STATUS_EN["missed"]
            )
        return shown


def cancel(ctx: Context, actor: Actor, token: str) -> dict[str, Any]:
    """Cancel by the booking's token, before its slot starts; the place is free again at once."""
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        a = by_token(s, token, lock=True)
        hall = s.get(Hall, a.hall_id)
        assert hall is not None
        if rule.next_status(a.status, "cancel") is None or a.slot_start <= uow.now:
            raise Conflict(
                f"预约状态为「{rule.STATUS_ZH[a.status]}」，不能取消" if a.status != rule.LIVE
                else "预约时段已开始，不能再取消",
                f"the booking is {rule.STATUS_EN[a.status]}; it cannot be cancelled" if a.status != rule.LIVE
                else "the slot has begun; it can no longer be cancelled",
                code="cannot_cancel",
            )  # fmt: skip
        before = audit_view(a)
        a.status, a.changed_at = "cancelled", uow.now
        _give_back(s, a.service_id, a.slot_start)
        uow.audit(hall.id, "appointment.cancel", "appointment", a.code, before, audit_view(a))
        return view(a, hall)


def change_day(
    ctx: Context,
    actor: Actor,
    hall_code: str,
    service_code: str,
    day: date,
    *,
    closed: bool,
    capacity: int | None,
) -> dict[str, Any]:
    """A manager closes a day's slots or sets their capacity; what is already booked stays booked."""
    access.check(actor, "appointment.manage", hall_code)
    if capacity is not None and not 0 <= capacity <= 500:
        raise Invalid("每时段可预约人数须在 0 到 500 之间", "capacity per slot must be 0 to 500")
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall = lookup.hall(s, hall_code)
        item = _bookable_item(s, hall, service_code)
        row = s.get(SlotDay, (item.id, day))
        before = {"closed": row.closed, "capacity": row.capacity} if row else None
        if row is None:
            row = SlotDay(service_id=item.id, day=day, changed_by=actor.name, changed_at=uow.now)
            s.add(row)
        row.closed, row.capacity, row.changed_by, row.changed_at = closed, capacity, actor.name, uow.now
        after = {"service": item.code, "day": day.isoformat(), "closed": closed, "capacity": capacity}
        uow.audit(hall.id, "appointment.day", "service", item.code, before, after)
        s.flush()
    return list_slots(ctx, hall_code, service_code, day)


def day_bookings(ctx: Context, actor: Actor, hall_code: str, day: date) -> list[dict[str, Any]]:
    """A manager's list of one day's bookings (masked), after marking the ended ones as missed."""
    access.check(actor, "appointment.manage", hall_code)
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall = lookup.hall(s, hall_code)
        sweep_missed(uow, hall.id)
        tz = ZoneInfo(hall.timezone)
        midnight = datetime.combine(day, datetime.min.time(), tz)
        rows = s.scalars(
            select(Appointment)
            .where(
                Appointment.hall_id == hall.id,
                Appointment.slot_start >= midnight,
                Appointment.slot_start < midnight + timedelta(days=1),
            )
            .order_by(Appointment.slot_start, Appointment.id)
        ).all()
        return [{k: v for k, v in view(a, hall).items() if k != "token"} for a in rows]


def booking_info(ctx: Context, hall_code: str) -> dict[str, Any]:
    """What the booking page shows before any choice: the items that take bookings, the days open
    for booking now, and the rules in words (the server words them; the page shows them)."""
    now = ctx.clock()
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        rules = _rules(hall)
        tz = ZoneInfo(hall.timezone)
        today = now.astimezone(tz).date()
        last = rule.last_released_day(now, rules, hall.timezone)
        return {
            "hall": hall.code,
            "hall_name": hall.name,
            "hall_name_en": hall.name_en,
            "days": [(today + timedelta(days=n)).isoformat() for n in range((last - today).days + 1)],
            "rules": (
                f"每天 {rules.release_at} 开放第 {rules.days_ahead} 天的预约；同一事项只能保留一个预约。"
                f"请在预约时段前 {rules.checkin_early_min} 分钟至开始后 {rules.checkin_late_min} 分钟内"
                f"到大厅自助机刷身份证或扫预约二维码签到，迟到按普通号办理。"
                f"{rules.miss_window_days} 天内爽约 {rules.miss_limit} 次，"
                f"{rules.miss_block_days} 天内不能网上预约。"
            ),
            "rules_en": (
                f"Bookings for the day {rules.days_ahead} days ahead open daily at {rules.release_at}; "
                f"one live booking per item. Check in at a hall kiosk (ID card or the booking QR code) from "
                f"{rules.checkin_early_min} min before to {rules.checkin_late_min} min after the start "
                f"of your slot; later, you are served as a walk-in. {rules.miss_limit} missed bookings in "
                f"{rules.miss_window_days} days: no online booking for {rules.miss_block_days} days."
            ),
            "services": [
                {
                    "code": sv.code,
                    "name": sv.name,
                    "name_en": sv.name_en,
                    "slot_min": sv.appointment["slot_min"],
                }
                for sv in hall.services
                if sv.active and sv.appointment
            ],
        }
