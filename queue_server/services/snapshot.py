"""The whole live state of a hall in one document (for staff screens and displays).

A fixed number of queries whatever the number of windows or tickets: the hall's layout eagerly,
today's waiting queue as plain rows, every window's current ticket in one query. Each window's call
order comes from `window_queues` (the routing rule), so pages never rank tickets themselves.
"""

from __future__ import annotations

import bisect
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..db.models import Hall, Service, Ticket, Window, WindowSkill
from ..domain import calendar
from ..domain.lifecycle import ACTIVE
from . import availability, lookup, notices, queue, views, voice, window_queues
from .context import Context

LATE_SHOWN = 8  # over-threshold ticket numbers listed per item on the console

_HALL_LAYOUT = (
    selectinload(Hall.zones),
    selectinload(Hall.services).selectinload(Service.zone),
    selectinload(Hall.windows).selectinload(Window.zone),
    selectinload(Hall.windows).selectinload(Window.skills).selectinload(WindowSkill.service),
)


def load_hall(s: Session, hall_code: str) -> Hall:
    found = lookup.hall(s, hall_code)
    # One query per relationship for the whole hall, not one per window.
    s.scalars(select(Hall).where(Hall.id == found.id).options(*_HALL_LAYOUT)).one()
    return found


def current_tickets(s: Session, windows: list[Window]) -> dict[int, Ticket]:
    """Every window's current ticket in one query (index `ix_tickets_window_status`)."""
    found: dict[int, Ticket] = {}
    rows = s.scalars(
        select(Ticket)
        .where(Ticket.window_id.in_([w.id for w in windows]), Ticket.status.in_(ACTIVE))
        .options(selectinload(Ticket.service))
        .order_by(Ticket.called_at)
    )
    for t in rows:
        assert t.window_id is not None
        found[t.window_id] = t  # the latest call wins, as in `windows.current_ticket`
    return found


def _since(r: window_queues.Row) -> datetime:
    return r.cand.wait_since


_MINUTE = timedelta(minutes=1)


def _minutes(since: datetime, now: datetime) -> float:
    return max(0.0, (now - since) / _MINUTE)


def snapshot(ctx: Context, hall_code: str) -> dict[str, Any]:
    with ctx.read() as s:
        hall = load_hall(s, hall_code)
        now = ctx.clock()
        day = calendar.business_day(now, hall.timezone, hall.day_starts)
        layout = queue.layout(s, hall.id, hall.layout_seq, ctx.layouts)
        q = window_queues.load(s, hall.id, day, now, layout)
        time = availability.hall_time(s, hall, now, ctx.calendars)
        count: dict[str, int] = {}
        oldest: dict[str, datetime] = {}
        for (code, _cls, _target), (n, since) in q.sizes.items():
            count[code] = count.get(code, 0) + n
            oldest[code] = min(since, oldest.get(code, since))
        heads: dict[str, list[list[window_queues.Row]]] = {}
        for (code, _cls, _target), line in q.heads.items():
            heads.setdefault(code, []).append(line)
        services = []
        for sv in hall.services:
            longest = _minutes(oldest[sv.code], now) if sv.code in oldest else 0.0
            limit = sv.escalate_after_min
            # The item's longest waits over its threshold: each line (in wait order) starts with
            # its late ones, so the first LATE_SHOWN of those from every line, in wait order.
            late: list[window_queues.Row] = []
            if limit:
                cutoff = now - timedelta(minutes=limit)
                for line in heads.get(sv.code, ()):
                    n = bisect.bisect_left(line, cutoff, hi=min(len(line), LATE_SHOWN), key=_since)
                    late += line[:n]
                late = sorted(late, key=window_queues.wait_order)[:LATE_SHOWN]
            services.append(
                {
                    "code": sv.code,
                    "name": sv.name,
                    "name_en": sv.name_en,
                    "zone": sv.zone.key,
                    "waiting": count.get(sv.code, 0),
                    "longest_wait_min": round(longest, 1),
                    "oldest_since": views.iso(oldest.get(sv.code)),
                    "escalate_after_min": limit,
                    "over_threshold": bool(limit and longest > limit),
                    # the longest-waiting tickets over the item's threshold (wait order)
                    "late": [
                        {"number": r.number, "waited_min": round(_minutes(r.cand.wait_since, now), 1)}
                        for r in late
                    ],
                    "open_now": calendar.availability(time.item_schedule(sv.id), now).open_now,
                }
            )
        currents = current_tickets(s, list(hall.windows))
        routing_views = {v.code: v for v in layout.windows.values()}
        windows = []
        for w in hall.windows:
            current = currents.get(w.id)
            view = views.window(w, current)
            order = window_queues.of_window(routing_views[w.code], q)
            view["staffed"] = w.post is not None
            view["can_call"] = order.can_call
            view["queue"] = order.first
            # An alarm only where a clerk could act: open, signed in, free, and something to call.
            view["idle_with_waiting"] = (
                view["staffed"] and w.state == "open" and current is None and order.can_call > 0
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
                "phone": hall.phone,
                "complaint_phone": hall.complaint_phone,
                "business_day": day.isoformat(),
                "server_voice": voice.available(),
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
            "recent_calls": [
                {
                    "id": t.id,
                    "number": t.number,
                    "service": t.service.code,
                    "zone": t.service.zone.key,
                    "window": t.window.code if t.window else None,
                    "status": t.status,
                    "called_at": views.iso(t.called_at),
                    "priority_class": t.priority_class,
                }
                for t in recent
            ],
            "notices": notices.current(s, hall, now),
        }


def window_view(ctx: Context, hall_code: str, window_code: str) -> dict[str, Any]:
    """One window as its clerk sees it: the snapshot's entry for it, call order included."""
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        w = lookup.window(s, hall, window_code)
        now = ctx.clock()
        day = calendar.business_day(now, hall.timezone, hall.day_starts)
        layout = queue.layout(s, hall.id, hall.layout_seq, ctx.layouts)
        q = window_queues.load(s, hall.id, day, now, layout)
        view = views.window(w, current_tickets(s, [w]).get(w.id))
        order = window_queues.of_window(next(v for v in layout.windows.values() if v.code == w.code), q)
        view.update(staffed=w.post is not None, can_call=order.can_call, queue=order.first)
        return view
