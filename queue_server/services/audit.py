"""Reading the audit trail (it is written only by `UnitOfWork.audit`, and never changed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from .. import access
from ..db.models import AuditEvent
from . import audit_words, lookup
from .context import Actor, Context
from .errors import Invalid
from .views import iso

MAX_LIMIT = 1000


def query(
    ctx: Context,
    actor: Actor,
    hall: str | None,
    *,
    ticket: int | None = None,
    window: str | None = None,
    person: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Newest first. `person` is the acting user or device; hall None (all halls) is for admins."""
    access.check(actor, "audit.read" if hall is not None else "audit.read_all", hall)
    if any(t is not None and t.tzinfo is None for t in (since, until)):
        raise Invalid("时间需带时区，例如 2026-11-25T08:00:00+08:00", "times need a zone, e.g. +08:00")
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(f"limit 只能是 1–{MAX_LIMIT}", f"limit must be 1..{MAX_LIMIT}")
    with ctx.read() as s:
        q = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
        if hall is not None:
            q = q.where(AuditEvent.hall_id == lookup.hall(s, hall).id)
        if ticket is not None:
            q = q.where(AuditEvent.object_type == "ticket", AuditEvent.object_id == str(ticket))
        if window is not None:
            q = q.where(AuditEvent.window == window)
        if person is not None:
            q = q.where(AuditEvent.actor == person)
        if since is not None:
            q = q.where(AuditEvent.at >= since)
        if until is not None:
            q = q.where(AuditEvent.at < until)
        return [_view(e) for e in s.scalars(q)]


def _view(e: AuditEvent) -> dict[str, Any]:
    out = {
        "id": e.id,
        "at": iso(e.at),
        "actor": e.actor,
        "role": e.role,
        "device": e.device,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "window": e.window,
        "before": e.before,
        "after": e.after,
    }
    out["sentence"], out["sentence_en"] = audit_words.sentence(out)
    return out
