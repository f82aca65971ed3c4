"""The public catalogue: halls, zones, service items and their guides."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db.models import Hall, Service, Ticket, Window, WindowSkill
from ..domain import calendar
from ..domain.estimate import eta_range, on_clock
from . import availability, links, lookup, queue, reactivation, views
from .context import Context


@dataclass
class _Facts:
    """What the views of one hall's items need: its calendar, its staffing, the clock."""

    time: availability.HallTime
    layout: queue.Layout
    staffed: set[str]
    now: datetime

    def item(self, s: Session, sv: Service, waiting: int) -> dict[str, Any]:
        """The item's availability fields, and an ETA for a ticket taken now (staffed windows only)."""
        schedule = self.time.item_schedule(sv.id)
        avail = calendar.availability(schedule, self.now)
        self_service = self.time.items[sv.id].self_service
        staffed = sv.code in self.staffed
        can_issue = avail.open_now and staffed and not self_service and sv.active
        low = high = None
        if can_issue:
            servers = sum(
                1
                for w in self.layout.windows.values()
                if w.state == "open" and w.staffed and sv.code in w.skills
            )
            recent = queue.recent_service_minutes(s, sv.id)
            counted = eta_range(waiting, servers, recent, sv.avg_service_min)
            closed = availability.breaks_ahead(self.now, schedule)
            low, high = availability.placed(self.now, avail, on_clock(counted, closed), schedule)
        return availability.fields(avail) | {
            "self_service": self_service,
            "staffed": staffed,
            "can_issue": can_issue,
            "eta_min": low,
            "eta_max": high,
        }


def _facts(ctx: Context, s: Session, hall: Hall) -> _Facts:
    now = ctx.clock()
    found = queue.layout(s, hall.id, hall.layout_seq, ctx.layouts)
    time = availability.hall_time(s, hall, now, ctx.calendars)
    return _Facts(time, found, availability.staffed_items(found), now)


def hall_view(ctx: Context, s: Session, hall: Hall) -> dict[str, Any]:
    time = availability.hall_time(s, hall, ctx.clock(), ctx.calendars)
    return {
        "code": hall.code,
        "name": hall.name,
        "name_en": hall.name_en,
        "timezone": hall.timezone,
        **availability.fields(calendar.availability(time.hall_schedule(), ctx.clock())),
        "phone": hall.phone,
        "complaint_phone": hall.complaint_phone,
        "address": hall.address,
        "common": list(hall.common or []),
        "appointments": bool(hall.appointments),
        # 过号: what the ticket and the kiosk say (one wording, reactivation.py).
        **dict(zip(("missed_call_rule", "missed_call_rule_en"), reactivation.rule_text(hall), strict=True)),
        "reactivate_min": hall.reactivate_min or 0,
        "priority_classes": [
            {"key": c["key"], "name": c["name"], "name_en": c["name_en"]} for c in hall.priority_classes or []
        ],
    }


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
        return [hall_view(ctx, s, h) for h in s.scalars(select(Hall).order_by(Hall.code))]


def hall(ctx: Context, hall_code: str) -> dict[str, Any]:
    with ctx.read() as s:
        return hall_view(ctx, s, lookup.hall(s, hall_code))


def zones(ctx: Context, hall_code: str) -> list[dict[str, Any]]:
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        waiting = waiting_by_service(s, hall, ctx)
        facts = _facts(ctx, s, hall)
        out = []
        for z in hall.zones:
            items = [sv for sv in hall.services if sv.zone_id == z.id and sv.active]
            schedules = [facts.time.item_schedule(sv.id) for sv in items] or [facts.time.hall_schedule()]
            avails = [calendar.availability(sch, facts.now) for sch in schedules]
            nexts = [a.next_open for a in avails if a.next_open is not None]
            out.append(
                {
                    "key": z.key,
                    "name": z.name,
                    "name_en": z.name_en,
                    "kind": z.kind,
                    "location": z.location,
                    "open_now": any(a.open_now for a in avails),
                    "next_open": min(nexts).isoformat() if nexts else None,
                    "self_service": z.kind == "self_service",
                    "waiting": sum(waiting[sv.id] for sv in items),
                }
            )
        return out


def services(ctx: Context, hall_code: str) -> list[dict[str, Any]]:
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        waiting = waiting_by_service(s, hall, ctx)
        facts = _facts(ctx, s, hall)
        return [
            views.service_summary(sv, waiting[sv.id]) | facts.item(s, sv, waiting[sv.id])
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
        waiting = waiting_by_service(s, hall, ctx)[sv.id]
        return (
            views.service_summary(sv, waiting)
            | _facts(ctx, s, hall).item(s, sv, waiting)
            | {
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
                # The slip's QR: always this server's guide page; a hall file's own link is shown there.
                "guide_url": links.guide_url(ctx, base_url, hall.code, sv.code),
                "online_guide_url": sv.guide_url,
                "windows": [{"code": w.code, "name": w.name, "state": w.state} for w in windows],
                "complaint_phone": hall.complaint_phone,
            }
        )
