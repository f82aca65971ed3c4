"""Window outcomes: recorded when a ticket is finished (or just after, once), checked against the
item's checklist, shown on the citizen's status page and the printable slip."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from .. import access
from ..db.models import Hall, Ticket, TicketOutcome
from ..domain import calendar
from ..domain.outcomes import KINDS
from . import lookup, reports
from .context import Actor, Context, UnitOfWork, unit_of_work
from .errors import Conflict, Invalid
from .scope import check_window

OWED_MAX_DAYS = 90  # a 容缺 due date further out is a typing error


@dataclass(frozen=True)
class Outcome:
    kind: str
    missing: list[str] = field(default_factory=list)
    owed_by: date | None = None
    reason: str | None = None


def record(uow: UnitOfWork, t: Ticket, outcome: Outcome) -> TicketOutcome:
    """Check the decision against the item and store it with the (finished) ticket."""
    kind = KINDS.get(outcome.kind)
    if kind is None:
        raise Invalid(f"没有「{outcome.kind}」这种办理结果", f"unknown outcome: {outcome.kind}")
    missing = [m.strip() for m in outcome.missing if m.strip()]
    reason = (outcome.reason or "").strip() or None
    checklist = [m["name"] for m in t.service.materials]
    if "missing" in kind.needs:
        if not missing:
            raise Invalid(f"{kind.zh}需要写明所缺材料", f"{kind.en}: name the missing materials")
        unknown = [m for m in missing if m not in checklist]
        if unknown:
            raise Invalid(
                f"材料不在本事项的材料清单中：{'、'.join(unknown)}",
                f"not on this item's checklist: {', '.join(unknown)}",
            )
    elif missing:
        raise Invalid(f"{kind.zh}不需要填写所缺材料", f"{kind.en} takes no missing materials")
    if "owed_by" in kind.needs:
        hall = t.service.hall
        today = calendar.business_day(uow.now, hall.timezone, hall.day_starts)
        if outcome.owed_by is None or not 0 < (outcome.owed_by - today).days <= OWED_MAX_DAYS:
            raise Invalid(
                f"容缺受理需要补交期限：今天之后 {OWED_MAX_DAYS} 天以内的日期",
                f"materials owed need a due date within {OWED_MAX_DAYS} days after today",
            )
    elif outcome.owed_by is not None:
        raise Invalid(f"{kind.zh}不需要补交期限", f"{kind.en} takes no due date")
    if "reason" in kind.needs and not reason:
        raise Invalid("不予受理需要写明理由", "a refusal needs its reason")
    row = TicketOutcome(
        ticket_id=t.id,
        hall_id=t.hall_id,
        kind=outcome.kind,
        missing=missing,
        owed_by=outcome.owed_by,
        reason=reason if "reason" in kind.needs else None,
        at=uow.now,
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def record_after(ctx: Context, actor: Actor, ticket_id: int, outcome: Outcome) -> dict[str, Any]:
    """The outcome of a ticket finished without one (once; the clerk at its window or a manager)."""
    access.check(actor, "ticket.act")
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        t = lookup.ticket(s, ticket_id)
        uow.lock_hall(t.hall_id)
        access.check_hall(actor, t.service.hall.code)
        check_window(s, actor, t.window)
        if t.status != "done":
            raise Conflict(f"号票 {t.number} 尚未办结", f"ticket {t.number} is not finished")
        if s.get(TicketOutcome, t.id) is not None:
            raise Conflict(f"号票 {t.number} 已记录办理结果", f"ticket {t.number} already has its outcome")
        row = record(uow, t, outcome)
        reports.mark_stale(s, t.hall_id, t.business_day)
        uow.audit(t.hall_id, "ticket.outcome", "ticket", t.id, None, {"outcome": row.kind})
        return view(row, t)


def get(ctx: Context, actor: Actor, ticket_id: int) -> dict[str, Any]:
    """The outcome and slip of a ticket, for staff of its hall (the counter prints it)."""
    access.check(actor, "ticket.read")
    with ctx.read() as s:
        t = lookup.ticket(s, ticket_id)
        access.check_hall(actor, t.service.hall.code)
        row = s.get(TicketOutcome, t.id)
        if row is None:
            raise Conflict(f"号票 {t.number} 还没有办理结果", f"ticket {t.number} has no outcome yet")
        return {**view(row, t), **slip_facts(s, t)}


def of_ticket(s: Session, t: Ticket) -> dict[str, Any] | None:
    row = s.get(TicketOutcome, t.id)
    return None if row is None else {**view(row, t), **slip_facts(s, t)}


def view(row: TicketOutcome, t: Ticket) -> dict[str, Any]:
    kind = KINDS[row.kind]
    return {
        "kind": row.kind,
        "label": kind.zh,
        "label_en": kind.en,
        "slip": kind.slip_zh,
        "slip_en": kind.slip_en,
        "missing": [m for m in t.service.materials if m["name"] in row.missing],
        "owed_by": row.owed_by.isoformat() if row.owed_by else None,
        "reason": row.reason,
        "at": row.at.isoformat(),
    }


def slip_facts(s: Session, t: Ticket) -> dict[str, Any]:
    """What a slip prints besides the decision: the hall, the item, the window, the time limit."""
    hall = s.get(Hall, t.hall_id)
    assert hall is not None
    item = t.service
    return {
        "number": t.number,
        "business_day": t.business_day.isoformat(),
        "hall_name": hall.name,
        "hall_phone": hall.phone,
        "complaint_phone": hall.complaint_phone,
        "hall_address": hall.address,
        "timezone": hall.timezone,
        "service": item.code,
        "service_name": item.name,
        "service_name_en": item.name_en,
        "agency": item.agency,
        "legal_basis": item.legal_basis,
        "promised_days": item.promised_days,
        "window": t.window.code if t.window else None,
        "window_name": t.window.name if t.window else None,
    }
