"""Ticket numbers: one atomic counter row per hall × prefix × business day."""

from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam
from sqlalchemy.dialects import postgresql, sqlite

from ..db.models import NumberCounter


def _bump(insert: Any) -> Any:
    stmt = insert(NumberCounter).values(
        hall_id=bindparam("hall_id"),
        prefix=bindparam("prefix"),
        business_day=bindparam("day"),
        value=bindparam("start"),
    )
    return stmt.on_conflict_do_update(
        index_elements=["hall_id", "prefix", "business_day"],
        set_={"value": NumberCounter.value + 1},
    ).returning(NumberCounter.value)


_BUMP = {"postgresql": _bump(postgresql.insert), "sqlite": _bump(sqlite.insert)}


def next_number(conn: Connection, hall: Any, prefix: str, day: date) -> str:
    """Bump the counter in one statement (insert, or increment on conflict) and format it.

    Never "max + 1": the row is created or incremented atomically, so concurrent requests, in one
    process or many, each get their own value. `hall`: a Hall, or a row of the halls table.
    """
    params = {"hall_id": hall.id, "prefix": prefix, "day": day, "start": hall.number_start}
    value = conn.execute(_BUMP[conn.dialect.name], params).scalar_one()
    return f"{prefix}{value:0{hall.number_width}d}"
