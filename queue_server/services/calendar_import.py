"""Load a year of the national holiday calendar into the database (all halls use it)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, insert, select

from .. import access
from ..db.models import CalendarDay, Hall
from ..hall_config.calendar_file import CalendarFile
from .context import Actor, Context, unit_of_work


def import_calendar(ctx: Context, actor: Actor, cfg: CalendarFile) -> int:
    """Replace the year's days with the file's; every hall's availability is recomputed. Returns the
    number of dated days (holidays and adjusted working days)."""
    access.check(actor, "hall.import")
    days = cfg.days()
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        first, last = date(cfg.year, 1, 1), date(cfg.year, 12, 31)
        before = {
            d.isoformat(): k
            for d, k in s.execute(
                select(CalendarDay.day, CalendarDay.kind).where(CalendarDay.day.between(first, last))
            )
        }
        after = {d.isoformat(): n.kind for d, n in sorted(days.items())}
        if before == after and before:
            names = s.execute(
                select(CalendarDay.day, CalendarDay.name).where(CalendarDay.day.between(first, last))
            )
            if {d: name for d, name in names} == {d: n.name for d, n in days.items()}:
                return len(days)  # nothing changed: no audit, no event
        s.execute(delete(CalendarDay).where(CalendarDay.day.between(first, last)))
        if days:
            s.execute(
                insert(CalendarDay),
                [
                    {"day": d, "kind": n.kind, "name": n.name, "name_en": n.name_en}
                    for d, n in sorted(days.items())
                ],
            )
        uow.audit(
            None, "calendar.import", "calendar", cfg.year, before or None, after | {"source": cfg.source}
        )
        for hall_id in s.scalars(select(Hall.id).order_by(Hall.id)):
            uow.layout_changed(hall_id)  # every process reloads the hall's calendar
            uow.emit(hall_id, "catalogue.changed", {"summary": f"calendar {cfg.year}"})
        return len(days)
