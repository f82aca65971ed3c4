"""整改: every bad rating opens a rectification case; its owner answers, calls the citizen back and
closes it, or files an appeal that a manager approves (the rating then leaves every rate)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from .. import access
from ..db.models import Evaluation, Hall, RectificationCase, Service
from ..domain import calendar
from ..domain.cases import ACTION_ZH, DECISIONS, STATE_ZH, next_state, overdue
from . import availability, lookup, reports
from .context import Actor, Context, UnitOfWork, unit_of_work
from .errors import Conflict, Forbidden, Invalid, NotFound

MANAGERS = "大厅管理员"


def open_case(uow: UnitOfWork, ev: Evaluation, item: Service, hall: Hall, due_days: int) -> RectificationCase:
    """Called by the rating itself, in its transaction: the case exists as soon as the rating does."""
    today = calendar.business_day(uow.now, hall.timezone, hall.day_starts)
    case = RectificationCase(
        hall_id=ev.hall_id,
        evaluation_id=ev.id,
        status="open",
        owner=item.agency or MANAGERS,
        opened_at=uow.now,
        due_on=availability.add_working_days(uow.session, today, due_days),
    )
    uow.session.add(case)
    uow.session.flush()
    uow.audit(ev.hall_id, "case.open", "case", case.id, None, _audit(case))
    return case


def list_cases(ctx: Context, actor: Actor, hall_code: str, state: str | None = None) -> list[dict[str, Any]]:
    access.check(actor, "case.read", hall_code)
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        q = select(RectificationCase).where(RectificationCase.hall_id == hall.id)
        if state == "overdue":
            today = calendar.business_day(ctx.clock(), hall.timezone, hall.day_starts)
            q = q.where(
                RectificationCase.status.not_in(("closed", "appealed")), RectificationCase.due_on < today
            )
        elif state is not None:
            if state not in STATE_ZH:
                raise Invalid(f"没有「{state}」这种整改状态", f"unknown case state: {state}")
            q = q.where(RectificationCase.status == state)
        cases = s.scalars(q.order_by(RectificationCase.id).options(_WITH_TICKET)).all()
        return [view(c, hall, ctx.clock()) for c in cases]


def get_case(ctx: Context, actor: Actor, hall_code: str, case_id: int) -> dict[str, Any]:
    access.check(actor, "case.read", hall_code)
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        return view(_case(s, hall, case_id), hall, ctx.clock())


def act(
    ctx: Context, actor: Actor, hall_code: str, case_id: int, action: str, **fields: Any
) -> dict[str, Any]:
    """respond(text) · callback(reached, satisfied, note) · close · appeal(reason) · approve/reject(note)."""
    access.check(actor, "case.decide" if action in DECISIONS else "case.handle", hall_code)
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall = lookup.hall(s, hall_code)
        uow.lock_hall(hall.id)
        case = _case(s, hall, case_id)
        new = next_state(case.status, action)
        if new is None:
            raise Conflict(
                f"整改件 {case.id} 当前为「{STATE_ZH[case.status]}」，不能{ACTION_ZH[action]}",
                f"case {case.id} is {case.status}; cannot {action}",
            )
        before = _audit(case)
        if action == "respond":
            case.response = fields["text"]
        elif action == "callback":
            if fields["reached"] and fields.get("satisfied") is None:
                raise Invalid("联系上群众时请记录其是否满意", "say whether the reached citizen was satisfied")
            case.callback_reached = fields["reached"]
            case.callback_satisfied = fields["satisfied"] if fields["reached"] else None
            case.callback_note = fields.get("note") or None
        elif action == "appeal":
            case.appeal_reason, case.appeal_by = fields["reason"], actor.name
        elif action in DECISIONS:
            if actor.name == case.appeal_by:
                raise Forbidden(
                    "申诉须由提出申诉者以外的管理员审批",
                    "an appeal is decided by someone other than who filed it",
                )
            case.decision_note = fields.get("note") or None
            case.evaluation.excluded = action == "approve"
        case.status = new
        if action in ("callback", "approve", "reject"):  # figures of the rated ticket's day change
            reports.mark_stale(s, hall.id, case.evaluation.ticket.business_day)
        if new in ("closed", "appealed"):
            case.closed_at = uow.now
        s.flush()
        uow.audit(hall.id, f"case.{action}", "case", case.id, before, _audit(case))
        uow.emit(hall.id, "case.changed", {"case": case.id, "status": case.status})
        return view(case, hall, uow.now)


_WITH_TICKET = joinedload(RectificationCase.evaluation)


def _case(s: Session, hall: Hall, case_id: int) -> RectificationCase:
    case = s.get(RectificationCase, case_id)
    if case is None or case.hall_id != hall.id:
        raise NotFound(f"没有编号为 {case_id} 的整改件", f"unknown case: {case_id}")
    return case


def _audit(c: RectificationCase) -> dict[str, Any]:
    return {
        "status": c.status,
        "owner": c.owner,
        "due_on": c.due_on.isoformat(),
        "callback_reached": c.callback_reached,
        "callback_satisfied": c.callback_satisfied,
        "excluded": c.evaluation.excluded if c.evaluation else False,
    }


def view(c: RectificationCase, hall: Hall, now: datetime) -> dict[str, Any]:
    ev = c.evaluation
    t = ev.ticket
    today: date = calendar.business_day(now, hall.timezone, hall.day_starts)
    return {
        "id": c.id,
        "status": c.status,
        "status_zh": STATE_ZH[c.status],
        "owner": c.owner,
        "opened_at": c.opened_at.isoformat(),
        "due_on": c.due_on.isoformat(),
        "overdue": overdue(c.status, c.due_on, today),
        "ticket": {"id": t.id, "number": t.number, "business_day": t.business_day.isoformat()},
        "service": t.service.code,
        "service_name": t.service.name,
        "window": t.window.code if t.window else None,
        "level": ev.level,
        "reasons": ev.reasons,
        "excluded": ev.excluded,
        "response": c.response,
        "callback": None
        if c.callback_reached is None
        else {"reached": c.callback_reached, "satisfied": c.callback_satisfied, "note": c.callback_note},
        "appeal_reason": c.appeal_reason,
        "appeal_by": c.appeal_by,
        "decision_note": c.decision_note,
        "closed_at": c.closed_at.isoformat() if c.closed_at else None,
    }
