"""Notices (公告) a manager writes for the hall displays' ticker: text in Chinese (and English),
optionally shown only from–to (the hall's local time), in the manager's order.

Every change is audited and sent as a live event carrying the notice itself, so a display applies it
without reloading anything. Notices change no availability: no `layout_changed`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .. import access
from ..db.models import Hall, Notice
from . import lookup
from .context import Actor, Context, unit_of_work
from .errors import Conflict, Invalid, NotFound

MAX_NOTICES = 30  # not ended, per hall: a ticker longer than that nobody reads to the end


def view(n: Notice, tz: str) -> dict[str, Any]:
    zone = ZoneInfo(tz)

    def local(t: datetime | None) -> str | None:
        return t.astimezone(zone).isoformat() if t is not None else None

    return {
        "id": n.id,
        "text": n.text,
        "text_en": n.text_en,
        "starts_at": local(n.starts_at),
        "ends_at": local(n.ends_at),
        "order": n.position,
        "created_by": n.created_by,
        "updated_at": local(n.updated_at),
    }


def _not_ended(hall_id: int, now: datetime) -> Any:
    return select(Notice).where(
        Notice.hall_id == hall_id, or_(Notice.ends_at.is_(None), Notice.ends_at > now)
    )


def current(s: Session, hall: Hall, now: datetime) -> list[dict[str, Any]]:
    """The hall's notices that have not ended (also those still to start), in the ticker's order."""
    rows = s.scalars(_not_ended(hall.id, now).order_by(Notice.position, Notice.id))
    return [view(n, hall.timezone) for n in rows]


def list_notices(ctx: Context, actor: Actor, hall_code: str) -> list[dict[str, Any]]:
    """Public: what the hall's displays show or will show."""
    access.check(actor, "public.read", hall_code)
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        return current(s, hall, ctx.clock())


def _local(moment: datetime | None, tz: str) -> datetime | None:
    """A time without an offset is the hall's local time."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=ZoneInfo(tz))


def _checked(
    text: str, text_en: str | None, starts_at: datetime | None, ends_at: datetime | None, now: datetime
) -> tuple[str, str]:
    text, english = text.strip(), (text_en or "").strip()
    if not text:
        raise Invalid("请填写公告内容（中文）", "write the notice in Chinese")
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise Invalid("结束时间须晚于开始时间", "the notice must end after it starts")
    if ends_at is not None and ends_at <= now:
        raise Invalid("结束时间已过去", "the notice's end is in the past")
    return text, english


def add_notice(
    ctx: Context,
    actor: Actor,
    hall_code: str,
    *,
    text: str,
    text_en: str | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    order: int | None = None,
) -> dict[str, Any]:
    access.check(actor, "hall.notices", hall_code)
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall = lookup.hall(s, hall_code)
        uow.lock_hall(hall.id)  # the count below stays true until commit
        start, end = _local(starts_at, hall.timezone), _local(ends_at, hall.timezone)
        text, english = _checked(text, text_en, start, end, uow.now)
        alive = s.scalar(select(func.count()).select_from(_not_ended(hall.id, uow.now).subquery()))
        if (alive or 0) >= MAX_NOTICES:
            raise Conflict(
                f"公告最多 {MAX_NOTICES} 条，请先删除不用的公告",
                f"at most {MAX_NOTICES} notices: remove one first",
                code="too_many_notices",
            )
        if order is None:  # last in the ticker
            order = (s.scalar(select(func.max(Notice.position)).where(Notice.hall_id == hall.id)) or 0) + 1
        notice = Notice(
            hall_id=hall.id,
            text=text,
            text_en=english,
            starts_at=start,
            ends_at=end,
            position=order,
            created_at=uow.now,
            created_by=actor.name,
            updated_at=uow.now,
        )
        s.add(notice)
        s.flush()
        shown = view(notice, hall.timezone)
        uow.audit(hall.id, "notice.add", "notice", notice.id, None, shown)
        uow.emit(hall.id, "notice.added", shown)
        return shown


def _mine(s: Session, hall: Hall, notice_id: int) -> Notice:
    notice = s.get(Notice, notice_id)
    if notice is None or notice.hall_id != hall.id:
        raise NotFound(f"没有编号为 {notice_id} 的公告", f"unknown notice: {notice_id}")
    return notice


def update_notice(
    ctx: Context,
    actor: Actor,
    hall_code: str,
    notice_id: int,
    *,
    text: str,
    text_en: str | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    order: int | None = None,
) -> dict[str, Any]:
    """Replace a notice's text, times and place (PUT: what is not given is cleared; order is kept)."""
    access.check(actor, "hall.notices", hall_code)
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall = lookup.hall(s, hall_code)
        uow.lock_hall(hall.id)
        notice = _mine(s, hall, notice_id)
        before = view(notice, hall.timezone)
        start, end = _local(starts_at, hall.timezone), _local(ends_at, hall.timezone)
        notice.text, notice.text_en = _checked(text, text_en, start, end, uow.now)
        notice.starts_at, notice.ends_at = start, end
        if order is not None:
            notice.position = order
        notice.updated_at = uow.now
        s.flush()
        shown = view(notice, hall.timezone)
        uow.audit(hall.id, "notice.update", "notice", notice.id, before, shown)
        uow.emit(hall.id, "notice.updated", shown)
        return shown


def remove_notice(ctx: Context, actor: Actor, hall_code: str, notice_id: int) -> None:
    access.check(actor, "hall.notices", hall_code)
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall = lookup.hall(s, hall_code)
        uow.lock_hall(hall.id)
        notice = _mine(s, hall, notice_id)
        shown = view(notice, hall.timezone)
        s.delete(notice)
        uow.audit(hall.id, "notice.remove", "notice", notice_id, shown, None)
        uow.emit(hall.id, "notice.removed", {"id": notice_id})
