"""Priority classes given by staff (优先): 军人/消防救援人员, 残疾人, 孕妇 and the hall file's others.

Age comes from the ID card at issue (`hall.priority_age`); these are given by a clerk or manager to a
waiting ticket, with a reason, and audited. Routing then ranks the ticket in the priority lane (after
due appointments, before everyone else: `domain.routing`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from .. import access
from ..db.models import Hall, Ticket
from . import lookup, views
from .context import Actor, Context, unit_of_work
from .errors import Conflict, Invalid
from .ticket_event import TicketEvent
from .tickets import WITH_ITEM, emit_queue_figures


def give(
    ctx: Context, actor: Actor, hall_code: str, ticket_id: int, kind: str, reason: str
) -> dict[str, Any]:
    access.check(actor, "ticket.priority")
    if not reason.strip():
        raise Invalid("请填写给予优先的原因", "give the reason for the priority")
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall_id = s.scalar(select(Ticket.hall_id).where(Ticket.id == ticket_id))
        if hall_id is None:
            lookup.ticket(s, ticket_id)  # raises NotFound
        uow.lock_hall(hall_id)
        t = s.get(Ticket, ticket_id, populate_existing=True, options=WITH_ITEM)
        assert t is not None
        hall = t.service.hall
        if hall.code != hall_code:
            lookup.ticket(s, -1)  # raises NotFound: not a ticket of this hall
        access.check_hall(actor, hall.code)
        classes = {c["key"]: c for c in hall.priority_classes}
        if kind not in classes:
            names = "、".join(c["name"] for c in hall.priority_classes)
            raise Invalid(
                f"没有这个优先类别；本大厅的类别：{names}",
                f"unknown priority class {kind!r}",
                code="unknown_class",
            )
        if t.status != "waiting":
            raise Conflict(
                f"号票 {t.number} 已不在等候中，不能再给予优先", f"ticket {t.number} is no longer waiting",
                code="not_waiting",
            )  # fmt: skip
        before = views.ticket_audit(t)
        t.priority_class, t.priority_kind, t.priority_reason = "priority", kind, reason.strip()
        s.flush()
        after = {**views.ticket_audit(t), "reason": t.priority_reason}
        uow.audit(t.hall_id, "ticket.priority", "ticket", t.id, before, after)
        uow.emit(t.hall_id, "ticket.priority", TicketEvent.of(t).payload(), zone=t.service.zone.key)
        emit_queue_figures(uow, s.get(Hall, t.hall_id), t.service, t.service.zone.key)  # type: ignore[arg-type]
        return views.ticket(t)
