"""Ticket numbers: one atomic counter row per hall × prefix × business day."""

from datetime import date

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..db.models import Hall, NumberCounter


def next_number(session: Session, hall: Hall, prefix: str, day: date) -> str:
    """Bump the counter in one statement (insert, or increment on conflict) and format it.

    Never "max + 1": the row is created or incremented atomically, so concurrent requests, in one
    process or many, each get their own value.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(NumberCounter).values(
        hall_id=hall.id, prefix=prefix, business_day=day, value=hall.number_start
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["hall_id", "prefix", "business_day"],
        set_={"value": NumberCounter.value + 1},
    ).returning(NumberCounter.value)
    value = session.execute(stmt).scalar_one()
    return f"{prefix}{value:0{hall.number_width}d}"
