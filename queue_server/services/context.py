"""What every service call runs with: sessions, the clock, the event bus, and who acts."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from ..db.models import AuditEvent, Hall, HallEvent
from .events import EventBus


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Actor:
    """Who performs an action, as recorded in the audit trail."""

    name: str = "anonymous"
    role: str = "public"
    device: str | None = None
    user_id: int | None = None
    device_id: int | None = None
    halls: tuple[str, ...] = ()  # hall codes where the actor works (admin and system: all)
    window: str | None = None  # a pad's window


SYSTEM = Actor(name="system", role="system")


def _window_of(
    object_type: str, object_id: object, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> str | None:
    """The window an audit event concerns, so that the trail can be queried by window."""
    if object_type == "window":
        return str(object_id)
    for state in (after, before):
        if state and state.get("window"):
            return str(state["window"])
    return None


@dataclass
class Context:
    sessions: sessionmaker[Session]
    clock: Callable[[], datetime] = utcnow
    bus: EventBus = field(default_factory=EventBus)
    settings: dict[str, Any] = field(default_factory=dict)
    write_lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def engine(self) -> Engine:
        return self.sessions.kw["bind"]

    def read(self) -> Session:
        """A session for reading only (on SQLite it takes no write lock)."""
        return self.sessions(bind=self.engine.execution_options(read_only=True))


class UnitOfWork:
    """One transaction: the change, its audit events and its live events commit together."""

    def __init__(self, session: Session, actor: Actor, now: datetime) -> None:
        self.session = session
        self.actor = actor
        self.now = now
        self.events: list[HallEvent] = []
        self._locked: set[int] = set()

    def lock_hall(self, hall_id: int) -> None:
        """Serialise writers of one hall (PostgreSQL row lock; SQLite is serialised by BEGIN IMMEDIATE)."""
        if hall_id not in self._locked:
            self.session.execute(select(Hall.id).where(Hall.id == hall_id).with_for_update())
            self._locked.add(hall_id)

    def audit(
        self,
        hall_id: int | None,
        action: str,
        object_type: str,
        object_id: object,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        self.session.add(
            AuditEvent(
                at=self.now,
                hall_id=hall_id,
                actor=self.actor.name,
                role=self.actor.role,
                device=self.actor.device,
                window=_window_of(object_type, object_id, before, after),
                action=action,
                object_type=object_type,
                object_id=str(object_id),
                before=before,
                after=after,
            )
        )

    def emit(
        self,
        hall_id: int,
        type_: str,
        payload: dict[str, Any],
        zone: str | None = None,
        window: str | None = None,
    ) -> None:
        """Queue a live event; it gets the hall's next sequence number, gapless across processes."""
        seq = self.session.execute(
            update(Hall)
            .where(Hall.id == hall_id)
            .values(event_seq=Hall.event_seq + 1)
            .returning(Hall.event_seq)
        ).scalar_one()
        self._locked.add(hall_id)
        event = HallEvent(
            hall_id=hall_id, seq=seq, at=self.now, type=type_, zone=zone, window=window, payload=payload
        )
        self.session.add(event)
        self.events.append(event)


NOTIFY_CHANNEL = "hall_events"


@contextmanager
def unit_of_work(ctx: Context, actor: Actor) -> Iterator[UnitOfWork]:
    sqlite = ctx.engine.dialect.name == "sqlite"
    # SQLite has one writer at a time: queue this process's writers here rather than in SQLite's
    # busy handler, which sleeps in growing steps (other processes still wait there).
    with ctx.write_lock if sqlite else contextlib.nullcontext(), ctx.sessions() as session:
        uow = UnitOfWork(session, actor, ctx.clock())
        with session.begin():
            yield uow
            if uow.events and session.get_bind().dialect.name == "postgresql":
                # NOTIFY inside the transaction is delivered on commit only, to every server process.
                for hall_id in sorted({e.hall_id for e in uow.events}):
                    session.execute(select(func.pg_notify(NOTIFY_CHANNEL, str(hall_id))))
        # Only committed events reach listeners.
        if uow.events:
            ctx.bus.publish(uow.events)
