"""What every service call runs with: sessions, the clock, the event bus, and who acts."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, String, bindparam, cast, func, insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from ..credentials import Passwords
from ..db.models import AuditEvent, Hall, HallEvent
from ..settings import Settings
from .events import EventBus
from .group_commit import GroupCommit
from .throttle import LoginThrottle


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
    settings: Settings = field(default_factory=Settings)
    id_secret: bytes = b""  # the key of ID-number hashes (privacy.py)
    write_lock: threading.RLock = field(default_factory=threading.RLock)
    group_commit: GroupCommit = field(default_factory=GroupCommit)
    layouts: dict[int, Any] = field(default_factory=dict)  # hall id -> (layout_seq, queue.Layout)
    calendars: dict[int, Any] = field(default_factory=dict)  # hall id -> (layout_seq, availability.HallTime)
    passwords: Passwords = field(init=False)
    throttle: LoginThrottle = field(init=False)

    def __post_init__(self) -> None:
        s = self.settings
        self.passwords = Passwords(
            s.argon2_time_cost, s.argon2_memory_kib, s.hash_workers, s.hash_queue, s.hash_reserved
        )
        self.throttle = LoginThrottle(s)

    @property
    def engine(self) -> Engine:
        return self.sessions.kw["bind"]

    @functools.cached_property
    def reader(self) -> Engine:
        """The engine for reading only (on SQLite its transactions take no write lock)."""
        return self.engine.execution_options(read_only=True)

    def read(self) -> Session:
        """A session for reading only."""
        return self.sessions(bind=self.reader)


class UnitOfWork:
    """One transaction: the change, its audit events and its live events commit together."""

    def __init__(self, session: Session, actor: Actor, now: datetime) -> None:
        self.session = session
        self.actor = actor
        self.now = now
        self.events: list[PendingEvent] = []
        self.audits: list[dict[str, Any]] = []  # written together, just before the commit
        self._layouts_changed: set[int] = set()
        self._locked: set[int] = set()
        self.layouts: dict[int, Any] | None = None  # the process's layout cache (Context.layouts)

    def lock_hall(self, hall_id: int) -> None:
        """Serialise writers of one hall (PostgreSQL row lock; SQLite is serialised by BEGIN IMMEDIATE)."""
        if hall_id not in self._locked:
            self.session.execute(select(Hall.id).where(Hall.id == hall_id).with_for_update())
            self._locked.add(hall_id)

    def lock_person(self, id_hash: str) -> None:
        """Serialise one person's writes that check per-person limits across items (PostgreSQL: an
        advisory lock until the commit, keyed by the ID hash; SQLite: BEGIN IMMEDIATE already does)."""
        if self.session.get_bind().dialect.name == "postgresql":
            key = int.from_bytes(bytes.fromhex(id_hash[:16]), "big", signed=True)
            self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})

    def hall_locked(self, hall_id: int) -> None:
        """The caller has locked the hall's row itself (SELECT … FOR UPDATE of halls)."""
        self._locked.add(hall_id)

    def layout_is_changing(self, hall_id: int) -> bool:
        """This transaction changed the hall's layout: the cached one is stale until the commit."""
        return hall_id in self._layouts_changed

    def layout_changed(self, hall_id: int) -> None:
        """This transaction changes what routing reads of the hall (its items, zones or windows): at
        commit, every process's cached layout of it goes stale."""
        self._layouts_changed.add(hall_id)

    def audit(
        self,
        hall_id: int | None,
        action: str,
        object_type: str,
        object_id: object,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        *,
        by: Actor | None = None,
    ) -> None:
        """Record a change; `by`: who made it, when not the unit's actor (a batch of several callers)."""
        who = by or self.actor
        row = {
            "at": self.now,
            "hall_id": hall_id,
            "actor": who.name,
            "role": who.role,
            "device": who.device,
            "window": _window_of(object_type, object_id, before, after),
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "before": before,
            "after": after,
        }
        self.audits.append(row)

    def emit(
        self,
        hall_id: int,
        type_: str,
        payload: dict[str, Any],
        zone: str | None = None,
        window: str | None = None,
    ) -> None:
        """Queue a live event; at commit it gets the hall's next sequence number, gapless across processes."""
        self.lock_hall(hall_id)  # the hall's row first, as every writer does: no lock-order deadlocks
        self.events.append(PendingEvent(hall_id, self.now, type_, zone, window, payload))

    def write_audits(self) -> None:
        conn = self.session.connection()
        if self.audits:
            conn.execute(_INSERT_AUDIT, self.audits)
        for hall_id in sorted(self._layouts_changed):
            conn.execute(_BUMP_LAYOUT, {"hall_id": hall_id})

    def write_events(self) -> None:
        """Number the queued events (one counter bump per hall) and store them in the outbox."""
        conn = self.session.connection()
        for hall_id in sorted({e.hall_id for e in self.events}):
            mine = [e for e in self.events if e.hall_id == hall_id]
            bump = _BUMP_SEQ_NOTIFY if conn.dialect.name == "postgresql" else _BUMP_SEQ
            last = conn.execute(bump, {"hall_id": hall_id, "n": len(mine)}).scalar_one()
            for seq, event in enumerate(mine, start=last - len(mine) + 1):
                event.seq = seq
        conn.execute(_INSERT_EVENT, [vars(e) for e in self.events])


@dataclass
class PendingEvent:
    """A live event of this transaction; `seq` is given just before the commit."""

    hall_id: int
    at: datetime
    type: str
    zone: str | None
    window: str | None
    payload: dict[str, Any]
    seq: int = 0


# Every change writes these: built once.
_INSERT_AUDIT = insert(AuditEvent.__table__)
_INSERT_EVENT = insert(HallEvent.__table__)
_BUMP_LAYOUT = (
    update(Hall.__table__).where(Hall.id == bindparam("hall_id")).values(layout_seq=Hall.layout_seq + 1)
)
NOTIFY_CHANNEL = "hall_events"
_BUMP_SEQ = (
    update(Hall.__table__)
    .where(Hall.id == bindparam("hall_id"))
    .values(event_seq=Hall.event_seq + bindparam("n"))
    .returning(Hall.event_seq)
)
# PostgreSQL: NOTIFY inside the transaction is delivered on commit only, to every server process;
# sent by the same statement, it costs no extra round trip.
_BUMP_SEQ_NOTIFY = _BUMP_SEQ.returning(func.pg_notify(NOTIFY_CHANNEL, cast(Hall.id, String)))


@contextmanager
def unit_of_work(ctx: Context, actor: Actor) -> Iterator[UnitOfWork]:
    sqlite = ctx.engine.dialect.name == "sqlite"
    # SQLite has one writer at a time: queue this process's writers here rather than in SQLite's
    # busy handler, which sleeps in growing steps (other processes still wait there).
    with ctx.write_lock if sqlite else contextlib.nullcontext(), ctx.sessions() as session:
        uow = UnitOfWork(session, actor, ctx.clock())
        uow.layouts = ctx.layouts
        with session.begin():
            yield uow
            uow.write_audits()
            if uow.events:
                uow.write_events()
        # Only committed events reach listeners.
        if uow.events:
            ctx.bus.publish(uow.events)
