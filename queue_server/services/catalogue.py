"""The public catalogue: halls, zones, service items and their guides."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db.models import Hall, Service, Ticket, Window, WindowSkill
from ..domain import calendar
from . import lookup, views
from .context import Context


def _open_now(ctx: Context, hall: Hall, service: Service | None = None) -> bool:
    """Whether tickets are issued now: always, in a hall that does not enforce its hours."""
    if not hall.enforce_hours:
        return True
    hours = service.hours if service is not None and service.hours else hall.hours
    return calendar.is_open(ctx.clock(), hall.timezone, hours)


def waiting_by_service(s: Session, hall: Hall, ctx: Context) -> Counter[int]:
    day = calendar.business_day(ctx.clock(), hall.timezone, hall.day_starts)
    rows = s.execute(
        select(Ticket.service_id, func.count())
        .where(Ticket.hall_id == hall.id, Ticket.business_day == day, Ticket.status == "waiting")
        .group_by(Ticket.service_id)
    ).all()
    return Counter({sid: n for sid, n in rows})


def halls(ctx: Context) -> list[dict[str, Any]]:
    with ctx.read() as s:
        return [
            {
                "code": h.code,
                "name": h.name,
                "name_en": h.name_en,
                "timezone": h.timezone,
                "open_now": _open_now(ctx, h),
            }
            for h in s.scalars(select(Hall).order_by(Hall.code))
        ]


def zones(ctx: Context, hall_code: str) -> list[dict[str, Any]]:
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        waiting = waiting_by_service(s, hall, ctx)
        out = []
        for z in hall.zones:
            items = [sv for sv in hall.services if sv.zone_id == z.id and sv.active]
            out.append(
                {
                    "key": z.key,
                    "name": z.name,
                    "name_en": z.name_en,
                    "kind": z.kind,
                    "location": z.location,
                    "open_now": any(_open_now(ctx, hall, sv) for sv in items)
                    if items
                    else _open_now(ctx, hall),
                    "waiting": sum(waiting[sv.id] for sv in items),
                }
            )
        return out


def services(ctx: Context, hall_code: str) -> list[dict[str, Any]]:
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        waiting = waiting_by_service(s, hall, ctx)
        return [
            views.service_summary(sv, _open_now(ctx, hall, sv), waiting[sv.id])
            for sv in hall.services
            if sv.active
        ]


def guide(ctx: Context, hall_code: str, code: str, base_url: str = "") -> dict[str, Any]:
    """The full service guide (办事指南) of one item."""
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        sv = lookup.service(s, hall, code)
        windows = s.scalars(
            select(Window)
            .join(WindowSkill)
            .where(WindowSkill.service_id == sv.id)
            .order_by(WindowSkill.level, Window.code)
        ).all()
        base = ctx.settings.public_url or base_url
        return views.service_summary(
            sv, _open_now(ctx, hall, sv), waiting_by_service(s, hall, ctx)[sv.id]
        ) | {
            "zone_name": sv.zone.name,
            "zone_name_en": sv.zone.name_en,
            "zone_location": sv.zone.location,
            "approval": sv.approval,
            "legal_basis": sv.legal_basis,
            "agency": sv.agency,
            "applicant_types": sv.applicant_types,
            "statutory_days": sv.statutory_days,
            "promised_days": sv.promised_days,
            "fee": sv.fee,
            "conditions": sv.conditions,
            "materials": sv.materials,
            "hours": sv.hours or hall.hours,
            "escalate_after_min": sv.escalate_after_min,
            "daily_quota": sv.daily_quota,
            "per_person_daily_limit": sv.per_person_daily_limit,
            "guide_url": sv.guide_url or f"{base.rstrip('/')}/guide/{hall.code}/{sv.code}",
            "windows": [{"code": w.code, "name": w.name, "state": w.state} for w in windows],
            "complaint_phone": hall.complaint_phone,
        }
