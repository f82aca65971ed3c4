"""Read-only search of a hall's audit trail, for the manager console.

The audit trail itself is written by the service layer (`UnitOfWork.audit`); this only reads it.
Entries carry masked data at most (ticket numbers, states, item codes), never names or ID numbers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import String, cast, or_, select

from ..api.deps import Ctx
from ..db.models import AuditEvent
from ..services import lookup

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["audit"])


@router.get("/audit", include_in_schema=True)
def search_audit(
    hall: str,
    c: Ctx,
    q: Annotated[str, Query(max_length=80, description="text in actor, action, object or values")] = "",
    action: Annotated[str, Query(max_length=40, description="action prefix, e.g. ticket. or window.")] = "",
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    """Audit entries of the hall, newest first."""
    with c.read() as s:
        h = lookup.hall(s, hall)
        stmt = select(AuditEvent).where(AuditEvent.hall_id == h.id)
        if action:
            stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
        if since is not None:
            stmt = stmt.where(AuditEvent.at >= since)
        if until is not None:
            stmt = stmt.where(AuditEvent.at < until)
        for word in q.split():
            pattern = f"%{word}%"
            stmt = stmt.where(
                or_(
                    AuditEvent.actor.ilike(pattern),
                    AuditEvent.action.ilike(pattern),
                    AuditEvent.object_id.ilike(pattern),
                    AuditEvent.device.ilike(pattern),
                    cast(AuditEvent.before, String).ilike(pattern),
                    cast(AuditEvent.after, String).ilike(pattern),
                )
            )
        rows = s.scalars(stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)).all()
        return [
            {
                "id": r.id,
                "at": r.at.isoformat(),
                "actor": r.actor,
                "role": r.role,
                "device": r.device,
                "action": r.action,
                "object_type": r.object_type,
                "object_id": r.object_id,
                "before": r.before,
                "after": r.after,
            }
            for r in rows
        ]
