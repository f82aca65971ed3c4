"""Missed calls (过号): a no-show ticket may be reactivated, when the hall allows it, within
`reactivate_min` minutes of being marked, once; it rejoins its item's queue behind the next
`rejoin_behind` waiting tickets (not at the head, not at the end). A no-show does not count against
the citizen's daily limit (issuing.py), so taking a new number is the other way back.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from .. import access
from ..db.models import Hall, Ticket
from ..domain import calendar
from ..domain.lifecycle import next_status, rejoin_until
from . import lookup, views
from .context import Actor, Context, unit_of_work
from .errors import Conflict, NotFound
from .ticket_event import TicketEvent
from .tickets import WITH_ITEM, emit_queue_figures

STEP = timedelta(microseconds=1)


def rule_text(hall: Hall) -> tuple[str, str]:
    """The missed-call rule in words, for the ticket, the kiosk and refusals."""
    if not hall.reactivate_min:
        return "过号请重新取号", "Missed your call? Take a new ticket"
    return (
        f"过号后 {hall.reactivate_min} 分钟内可在自助机或窗口恢复一次，排在其后 {hall.rejoin_behind} 位；"
        "超时请重新取号",
        f"Missed your call? Within {hall.reactivate_min} min you can rejoin once (behind the next "
        f"{hall.rejoin_behind}) at a kiosk or a window; later, take a new ticket",
    )


def missed(ctx: Context, actor: Actor, hall_code: str, window_code: str) -> list[dict[str, Any]]:
    """The window's no-shows of today that may still rejoin (`rejoin_until`), the latest first: what a
    clerk may reactivate now. Empty when the hall does not allow reactivation."""
    access.check(actor, "ticket.reactivate")
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        access.check_hall(actor, hall.code)
        w = lookup.window(s, hall, window_code)
        if not hall.reactivate_min:
            return []
        now = ctx.clock()
        day = calendar.business_day(now, hall.timezone, hall.day_starts)
        rows = s.scalars(
            select(Ticket)
            .options(*WITH_ITEM)
            .where(
                Ticket.hall_id == hall.id,
                Ticket.business_day == day,
                Ticket.window_id == w.id,
                Ticket.status == "no_show",
                Ticket.reactivated_at.is_(None),
            )
            .order_by(Ticket.ended_at.desc(), Ticket.id.desc())
            .limit(50)
        ).all()
        out = []
        for t in rows:
            until = rejoin_until(t.status, t.ended_at, t.reactivated_at, hall.reactivate_min, now)
            if until is not None:
                out.append(
                    {
                        "id": t.id,
                        "number": t.number,
                        "service": t.service.code,
                        "service_name": t.service.name,
                        "service_name_en": t.service.name_en,
                        "ended_at": views.iso(t.ended_at),
                        "rejoin_until": views.iso(until),
                    }
                )
        return out


def reactivate(
    ctx: Context, actor: Actor, hall_code: str, ticket_id: int | None = None, token: str | None = None
) -> dict[str, Any]:
    access.check(actor, "ticket.reactivate")
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        found = select(Ticket.id, Ticket.hall_id)
        row = s.execute(
            found.where(Ticket.id == ticket_id) if token is None else found.where(Ticket.token == token)
        )
        first = row.first()
        if first is None:
            raise NotFound("没有找到这张号票", "no such ticket")
        uow.lock_hall(first.hall_id)
        t = s.get(Ticket, first.id, populate_existing=True, options=WITH_ITEM)
        assert t is not None
        hall = t.service.hall
        if hall.code != hall_code:
            raise NotFound("没有找到这张号票", "no such ticket")
        access.check_hall(actor, hall.code)
        zh, en = rule_text(hall)
        if next_status(t.status, "reactivate") is None or t.reactivated_at is not None:
            raise Conflict(
                f"号票 {t.number} 不是过号状态或已恢复过一次。{zh}",
                f"ticket {t.number} cannot be reactivated. {en}",
                code="cannot_reactivate",
            )  # fmt: skip
        if rejoin_until(t.status, t.ended_at, t.reactivated_at, hall.reactivate_min, uow.now) is None:
            raise Conflict(f"已超过恢复时限。{zh}", f"too late to rejoin. {en}", code="too_late")
        before = views.ticket_audit(t)
        t.wait_since = _behind(s, t, hall.rejoin_behind, uow.now)
        t.status, t.window_id, t.called_at, t.ended_at, t.reactivated_at = (
            "waiting",
            None,
            None,
            None,
            uow.now,
        )
        s.flush()
        uow.audit(t.hall_id, "ticket.reactivate", "ticket", t.id, before, views.ticket_audit(t))
        uow.emit(t.hall_id, "ticket.reactivated", TicketEvent.of(t).payload(), zone=t.service.zone.key)
        emit_queue_figures(uow, hall, t.service, t.service.zone.key)
        return views.ticket(t)


def _behind(s: Any, t: Ticket, k: int, now: Any) -> Any:
    """A wait-since just after the k-th waiting ticket of the item in call order (now, if fewer wait)."""
    if k == 0:
        first = s.scalar(_waiting(t).limit(1))
        return first - STEP if first is not None else now
    kth = s.scalar(_waiting(t).offset(k - 1).limit(1))
    return min(kth + STEP, now) if kth is not None else now


def _waiting(t: Ticket) -> Any:
    return (
        select(Ticket.wait_since)
        .where(
            Ticket.hall_id == t.hall_id,
            Ticket.business_day == t.business_day,
            Ticket.service_id == t.service_id,
            Ticket.status == "waiting",
            Ticket.id != t.id,
        )
        .order_by(Ticket.wait_since, Ticket.id)
    )
