"""LISTEN on PostgreSQL for other processes' commits, on a dedicated connection that reconnects."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg

from ..services.context import NOTIFY_CHANNEL

log = logging.getLogger(__name__)


class PgListener:
    """Calls `on_hall(hall_id)` for every NOTIFY and `on_reconnect()` after each (re)connection.

    Notifications are not kept while nobody listens, so after a reconnection the hub re-reads the
    outbox of every hall it serves: nothing is lost, only delayed.
    """

    def __init__(self, dsn: str, on_hall: Callable[[int], None], on_reconnect: Callable[[], None]) -> None:
        self.dsn = dsn
        self.on_hall = on_hall
        self.on_reconnect = on_reconnect
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-listener", daemon=True)
        self.connected = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        delay = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self.connected.set()
                    delay = 0.5
                    self.on_reconnect()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=1.0):
                            if note.payload.isdigit():
                                self.on_hall(int(note.payload))
            except psycopg.Error as exc:
                self.connected.clear()
                log.warning(
                    "event listener lost PostgreSQL (%s); reconnecting in %.1fs", type(exc).__name__, delay
                )
                self._stop.wait(delay)
                delay = min(delay * 2, 10.0)
