"""Reading the event outbox (hall_events): the source of truth for streams and their resumption."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from ..db.models import HallEvent
from ..services.events import event_dict


def events_after(
    sessions: sessionmaker[Session], hall_id: int, seq: int, limit: int = 1000
) -> list[dict[str, Any]]:
    with sessions() as s:
        rows = s.scalars(
            select(HallEvent)
            .where(HallEvent.hall_id == hall_id, HallEvent.seq > seq)
            .order_by(HallEvent.seq)
            .limit(limit)
        ).all()
        return [event_dict(e) for e in rows]


def seq_bounds(sessions: sessionmaker[Session], hall_id: int) -> tuple[int | None, int]:
    """(oldest kept seq or None, newest seq or 0) of a hall."""
    with sessions() as s:
        low, high = s.execute(
            select(func.min(HallEvent.seq), func.max(HallEvent.seq)).where(HallEvent.hall_id == hall_id)
        ).one()
        return low, high or 0


def prune(sessions: sessionmaker[Session], now: datetime, keep: timedelta) -> int:
    """Drop events older than `keep`; a stream that needs them gets a resync instead."""
    with sessions() as s, s.begin():
        count = s.execute(delete(HallEvent).where(HallEvent.at < now - keep)).rowcount
        engine = s.get_bind()
    if count and engine.dialect.name == "sqlite":
        from ..db.backup import give_back_space

        give_back_space(engine)
    return count
