"""One hub per server process: wakes on local commits and on PostgreSQL NOTIFY from other processes,
reads new events from the outbox in sequence order and hands them to the subscribed streams.

Notifications only say "hall N has news"; the events themselves always come from the database in
`seq` order, so a stream never sees them out of order, and a lost notification only delays delivery
until the next one or the periodic check.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ..services.context import Context
from . import store
from .pg_listener import PgListener

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0
PRUNE_SECONDS = 6 * 3600
KEEP_EVENTS = timedelta(days=3)


@dataclass(eq=False)
class Subscription:
    hall_id: int
    zone: str | None = None
    window: str | None = None
    queue: asyncio.Queue[dict[str, Any]] = field(default_factory=lambda: asyncio.Queue(maxsize=5000))
    overflowed: bool = False

    def wants(self, event: dict[str, Any]) -> bool:
        """Zone and window filters pass matching events and hall-wide ones (no zone / no window)."""
        if self.zone is not None and event["zone"] not in (None, self.zone):
            return False
        return not (self.window is not None and event["window"] not in (None, self.window))

    def offer(self, event: dict[str, Any]) -> None:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            # A stalled client: end its stream; it resumes from its Last-Event-ID.
            self.overflowed = True


class Hub:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._subs: dict[int, set[Subscription]] = {}
        self._last: dict[int, int] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._pending: set[int] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: PgListener | None = None
        self._unsubscribe = lambda: None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._unsubscribe = self.ctx.bus.subscribe(
            lambda batch: [self.wake(h) for h in {e["hall_id"] for e in batch}]
        )
        url = self.ctx.engine.url
        if url.get_backend_name() == "postgresql":
            dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._listener = PgListener(dsn, self.wake, self.wake_all)
            self._listener.start()
        self._spawn(self._periodic())

    async def stop(self) -> None:
        self._unsubscribe()
        if self._listener is not None:
            await asyncio.to_thread(self._listener.stop)
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # Thread-safe entry points (called from request threads and the listener thread).
    def wake(self, hall_id: int) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._schedule, hall_id)

    def wake_all(self) -> None:
        for hall_id in list(self._subs):
            self.wake(hall_id)

    def _schedule(self, hall_id: int) -> None:
        if self._subs.get(hall_id) and hall_id not in self._pending:
            self._pending.add(hall_id)
            self._spawn(self._fetch(hall_id))

    async def _fetch(self, hall_id: int) -> None:
        async with self._locks.setdefault(hall_id, asyncio.Lock()):
            self._pending.discard(hall_id)  # a wake during the read schedules another read
            while True:
                events = await asyncio.to_thread(
                    store.events_after, self.ctx.sessions, hall_id, self._last[hall_id]
                )
                for event in events:
                    for sub in list(self._subs.get(hall_id, ())):
                        if sub.wants(event):
                            sub.offer(event)
                    self._last[hall_id] = event["seq"]
                if len(events) < 1000:
                    return

    async def _periodic(self) -> None:
        since_prune = PRUNE_SECONDS
        while True:
            await asyncio.sleep(POLL_SECONDS)
            self.wake_all()
            since_prune += POLL_SECONDS
            if since_prune >= PRUNE_SECONDS:
                since_prune = 0
                try:
                    await asyncio.to_thread(store.prune, self.ctx.sessions, self.ctx.clock(), KEEP_EVENTS)
                except Exception:  # pruning is housekeeping; never let it stop the hub
                    log.exception("pruning old events failed")

    async def subscribe(self, hall_id: int, zone: str | None, window: str | None) -> Subscription:
        if hall_id not in self._last:
            _, high = await asyncio.to_thread(store.seq_bounds, self.ctx.sessions, hall_id)
            self._last.setdefault(hall_id, high)
        sub = Subscription(hall_id, zone, window)
        self._subs.setdefault(hall_id, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        self._subs.get(sub.hall_id, set()).discard(sub)

    def clients(self) -> int:
        """Event stream clients connected now."""
        return sum(len(subs) for subs in self._subs.values())

    def last_seq(self, hall_id: int) -> int:
        return self._last.get(hall_id, 0)
