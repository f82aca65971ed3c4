"""In-process fan-out of committed live events to whoever listens (event streams, tests)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

Listener = Callable[[list[dict[str, Any]]], None]


def event_dict(event: Any) -> dict[str, Any]:
    return {
        "hall_id": event.hall_id,
        "seq": event.seq,
        "at": event.at.isoformat(),
        "type": event.type,
        "zone": event.zone,
        "window": event.window,
        "payload": event.payload,
    }


class EventBus:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, events: Iterable[Any]) -> None:
        batch = [event_dict(e) for e in events]
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(batch)
