"""The whole live state of a hall in one document (for staff screens and displays)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..db.models import Ticket
from ..domain import calendar
from . import availability, lookup, views
from .context import Context
from .windows import current_ticket


def snapshot(ctx: Context, hall_code: str) -> dict[str, Any]:
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        now = ctx.clock()
        day = calendar.business_day(now, hall.timezone, hall.day_starts)
        queue = s.scalars(
            select(Ticket)
            .where(Ticket.hall_id == hall.id, Ticket.business_day == day, Ticket.status == "waiting")
            .options(selectinload(Ticket.target_window), selectinload(Ticket.service))
            .order_by(Ticket.id)
        ).all()
        time = availability.hall_time(s, hall, now, ctx.calendars)
        waiting: dict[int, list[Ticket]] = {}
        for t in queue:
            waiting.setdefault(t.service_id, []).append(t)
        services = []
        for sv in hall.services:
            mine = waiting.get(sv.id, [])
            longest = max(((now - t.wait_since).total_seconds() / 60 for t in mine), default=0.0)
            services.append(
                {
                    "code": sv.code,
                    "name": sv.name,
                    "name_en": sv.name_en,
                    "zone": sv.zone.key,
                    "waiting": len(mine),
                    "longest_wait_min": round(longest, 1),
                    "escalate_after_min": sv.escalate_after_min,
                    "over_threshold": bool(sv.escalate_after_min and longest > sv.escalate_after_min),
                    "open_now": calendar.availability(time.item_schedule(sv.id), now).open_now,
                }
            )
        waiting_codes = {sv["code"] for sv in services if sv["waiting"]}
        windows = []
        for w in hall.windows:
            current = current_ticket(s, w)
            view = views.window(w, current)
            view["idle_with_waiting"] = (
                w.state == "open"
                and current is None
                and any(sk["service"] in waiting_codes for sk in view["skills"])
            )
            windows.append(view)
        recent = s.scalars(
            select(Ticket)
            .where(Ticket.hall_id == hall.id, Ticket.business_day == day, Ticket.called_at.is_not(None))
            .order_by(Ticket.called_at.desc())
            .limit(20)
        ).all()
        zone_waiting = {z.key: 0 for z in hall.zones}
        for sv in services:
            zone_waiting[sv["zone"]] += sv["waiting"]
        return {
            "hall": {
                "code": hall.code,
                "name": hall.name,
                "name_en": hall.name_en,
                "timezone": hall.timezone,
                "business_day": day.isoformat(),
                **availability.fields(calendar.availability(time.hall_schedule(), now)),
            },
            "event_seq": hall.event_seq,
            "generated_at": now.isoformat(),
            "zones": [
                {
                    "key": z.key,
                    "name": z.name,
                    "name_en": z.name_en,
                    "kind": z.kind,
                    "location": z.location,
                    "waiting": zone_waiting[z.key],
                }
                for z in hall.zones
            ],
            "services": services,
            "windows": windows,
            "waiting": [
                {
                    "id": t.id,
                    "number": t.number,
                    "service": t.service.code,
                    "priority_class": t.priority_class,
                    "wait_since": t.wait_since.isoformat(),
                    "target_window": t.target_window.code if t.target_window else None,
                }
                for t in queue
            ],
            "recent_calls": [
                {
                    "id": t.id,
                    "number": t.number,
                    "service": t.service.code,
                    "zone": t.service.zone.key,
                    "window": t.window.code if t.window else None,
                    "status": t.status,
                    "called_at": views.iso(t.called_at),
                }
                for t in recent
            ],
        }
