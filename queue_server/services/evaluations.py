"""好差评: the citizen's five-level rating of a finished ticket, once per ticket."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from .. import access
from ..db.models import Evaluation, Ticket
from . import cases, lookup, reports
from .context import Actor, Context, unit_of_work
from .errors import Conflict, Invalid
from .scope import check_window

LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
BAD = (1, 2)
REASON_MAX = 50  # characters of one reason
REASONS_MAX = 6


def evaluate(ctx: Context, actor: Actor, ticket_id: int, level: int, reasons: list[str]) -> dict[str, Any]:
    """A pad (for its window), a manager or admin rates a ticket by its id."""
    access.check(actor, "ticket.evaluate")
    return _evaluate(ctx, actor, ticket_id, level, reasons)


def evaluate_by_token(
    ctx: Context, actor: Actor, token: str, level: int, reasons: list[str]
) -> dict[str, Any]:
    """The ticket holder rates their own ticket: holding its token is the credential."""
    access.check(actor, "public.evaluate")  # the holder alone: staff roles do not have it
    with ctx.read() as s:
        ticket_id = lookup.ticket_by_token(s, token).id
    return _evaluate(ctx, actor, ticket_id, level, reasons, by_holder=True)


def _evaluate(
    ctx: Context, actor: Actor, ticket_id: int, level: int, reasons: list[str], by_holder: bool = False
) -> dict[str, Any]:
    if level not in LEVELS:
        raise Invalid("评价等级只能是 1–5", "level must be 1..5")
    reasons = [r.strip() for r in reasons if r.strip()]
    if len(reasons) > REASONS_MAX or any(len(r) > REASON_MAX for r in reasons):
        raise Invalid(
            f"评价原因最多 {REASONS_MAX} 条，每条不超过 {REASON_MAX} 个字",
            f"at most {REASONS_MAX} reasons of at most {REASON_MAX} characters each",
        )
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall_id = s.scalar(select(Ticket.hall_id).where(Ticket.id == ticket_id))
        if hall_id is None:
            lookup.ticket(s, ticket_id)
        uow.lock_hall(hall_id)
        t = s.get(Ticket, ticket_id, populate_existing=True)
        assert t is not None
        if not by_holder:
            access.check_hall(actor, t.service.hall.code)
            check_window(s, actor, t.window)
        if t.status != "done":
            raise Conflict(
                f"号票 {t.number} 尚未办结，不能评价", f"ticket {t.number} is {t.status}, not done"
            )
        if s.scalar(select(Evaluation.id).where(Evaluation.ticket_id == t.id)) is not None:
            raise Conflict(f"号票 {t.number} 已评价过", f"ticket {t.number} has already been rated")
        ev = Evaluation(
            ticket_id=t.id,
            hall_id=t.hall_id,
            window_id=t.window_id,
            service_id=t.service_id,
            level=level,
            reasons=reasons,
            at=uow.now,
            follow_up="open" if level in BAD else None,
            clerk_id=t.clerk_id,
        )
        s.add(ev)
        s.flush()
        reports.mark_stale(s, t.hall_id, t.business_day)
        case = None
        if level in BAD:
            case = cases.open_case(uow, ev, t.service, t.service.hall, ctx.settings.case_due_working_days)
        view = {
            "ticket_id": t.id,
            "number": t.number,
            "level": level,
            "label": LEVELS[level],
            "reasons": ev.reasons,
            "bad": level in BAD,
            "window": t.window.code if t.window else None,
            "case": case.id if case else None,
        }
        uow.audit(t.hall_id, "ticket.evaluate", "ticket", t.id, None, {"level": level, "bad": level in BAD})
        uow.emit(t.hall_id, "ticket.evaluated", view, zone=t.service.zone.key, window=view["window"])
        return view
