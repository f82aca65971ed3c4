"""Personal-data retention: after N days a ticket keeps no trace of whose it was."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, update

from .. import access
from ..db.models import Ticket
from .context import Actor, Context, unit_of_work
from .errors import Invalid
from .views import iso


def purge_personal_data(ctx: Context, actor: Actor, days: int | None = None) -> int:
    """Null the ID hash and masks of tickets issued more than `days` ago; returns how many tickets."""
    access.check(actor, "personal_data.retention")
    days = ctx.settings.retention_days if days is None else days
    if days < 1:
        raise Invalid("保留天数至少为 1", "days must be at least 1")
    with unit_of_work(ctx, actor) as uow:
        cutoff = uow.now - timedelta(days=days)
        count = uow.session.execute(
            update(Ticket)
            .where(
                Ticket.issued_at < cutoff,
                or_(
                    Ticket.id_hash.is_not(None),
                    Ticket.id_masked.is_not(None),
                    Ticket.name_masked.is_not(None),
                ),
            )
            .values(id_hash=None, id_masked=None, name_masked=None)
        ).rowcount
        uow.audit(
            None,
            "personal_data.purge",
            "tickets",
            "retention",
            None,
            {"days": days, "issued_before": iso(cutoff), "count": count},
        )
        return count
