"""One-off closures a manager adds: the whole hall, one zone or one item, from–to in local time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from .. import access
from ..db.models import Closure, Hall, Service, Zone
from . import lookup
from .context import Actor, Context, unit_of_work
from .errors import Invalid, NotFound

MAX_DAYS = 366


def view(c: Closure, hall: Hall) -> dict[str, Any]:
    tz = ZoneInfo(hall.timezone)
    return {
        "id": c.id,
        "scope": "service" if c.service_id else "zone" if c.zone_id else "hall",
        "zone": c.zone.key if c.zone else None,
        "zone_name": c.zone.name if c.zone else None,
        "service": c.service.code if c.service else None,
        "service_name": c.service.name if c.service else None,
        "starts_at": c.starts_at.astimezone(tz).isoformat(),
        "ends_at": c.ends_at.astimezone(tz).isoformat(),
        "reason": c.reason,
        "reason_en": c.reason_en,
        "created_by": c.created_by,
        "created_at": c.created_at.astimezone(tz).isoformat(),
    }


def list_closures(ctx: Context, actor: Actor, hall_code: str) -> list[dict[str, Any]]:
    """The hall's closures that have not ended, earliest first."""
    access.check(actor, "hall.closures", hall_code)
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        rows = s.scalars(
            select(Closure)
            .where(Closure.hall_id == hall.id, Closure.ends_at > ctx.clock())
            .order_by(Closure.starts_at, Closure.id)
        )
        return [view(c, hall) for c in rows]


def _local(moment: datetime, tz: str) -> datetime:
    """A time without an offset is the hall's local time."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ZoneInfo(tz))


def add_closure(
    ctx: Context,
    actor: Actor,
    hall_code: str,
    *,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    reason_en: str,
    zone: str | None = None,
    service: str | None = None,
) -> dict[str, Any]:
    access.check(actor, "hall.closures", hall_code)
    if zone and service:
        raise Invalid(
            "停办范围只能是整个大厅、一个区域或一个事项", "close the whole hall, one zone or one item"
        )
    if not reason.strip() or not reason_en.strip():
        raise Invalid("请填写停办原因（中文和英文）", "give the reason in Chinese and in English")
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall = lookup.hall(s, hall_code)
        uow.lock_hall(hall.id)
        start, end = _local(starts_at, hall.timezone), _local(ends_at, hall.timezone)
        if end <= start:
            raise Invalid("结束时间须晚于开始时间", "the closure must end after it starts")
        if end <= uow.now:
            raise Invalid("结束时间已过去", "the closure's end is in the past")
        if end - start > timedelta(days=MAX_DAYS):
            raise Invalid(f"一次停办最长 {MAX_DAYS} 天", f"a closure lasts at most {MAX_DAYS} days")
        zone_row = service_row = None
        if zone:
            zone_row = s.scalar(select(Zone).where(Zone.hall_id == hall.id, Zone.key == zone))
            if zone_row is None:
                raise NotFound(f"没有区域 {zone}", f"unknown zone: {zone}")
        if service:
            service_row = s.scalar(select(Service).where(Service.hall_id == hall.id, Service.code == service))
            if service_row is None:
                raise NotFound("没有这个事项", f"unknown service item: {service}")
        closure = Closure(
            hall_id=hall.id,
            zone_id=zone_row.id if zone_row else None,
            service_id=service_row.id if service_row else None,
            starts_at=start,
            ends_at=end,
            reason=reason.strip(),
            reason_en=reason_en.strip(),
            created_at=uow.now,
            created_by=actor.name,
        )
        s.add(closure)
        s.flush()
        s.refresh(closure)
        shown = view(closure, hall)
        uow.audit(hall.id, "closure.add", "closure", closure.id, None, shown)
        uow.emit(hall.id, "closure.added", shown, zone=zone)
        uow.layout_changed(hall.id)  # every process reloads the hall's calendar
        return shown


def remove_closure(ctx: Context, actor: Actor, hall_code: str, closure_id: int) -> None:
    access.check(actor, "hall.closures", hall_code)
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall = lookup.hall(s, hall_code)
        uow.lock_hall(hall.id)
        closure = s.get(Closure, closure_id)
        if closure is None or closure.hall_id != hall.id:
            raise NotFound(f"没有编号为 {closure_id} 的停办安排", f"unknown closure: {closure_id}")
        shown = view(closure, hall)
        s.delete(closure)
        uow.audit(hall.id, "closure.remove", "closure", closure_id, shown, None)
        uow.emit(hall.id, "closure.removed", {"id": closure_id}, zone=shown["zone"])
        uow.layout_changed(hall.id)
