"""Server-Sent Events for one client: the backlog after its Last-Event-ID, then live events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from . import store
from .hub import Hub


def format_event(event: dict[str, Any]) -> str:
    data = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event['seq']}\nevent: {event['type']}\ndata: {data}\n\n"


def format_resync(seq: int) -> str:
    """Tells the client that it cannot resume: reload the snapshot. The id keeps resumption working."""
    return f"id: {seq}\nevent: resync\ndata: {json.dumps({'seq': seq})}\n\n"


async def stream(
    hub: Hub,
    hall_id: int,
    zone: str | None,
    window: str | None,
    last_id: int | None,
) -> AsyncIterator[str]:
    sub = await hub.subscribe(hall_id, zone, window)  # before the backlog read: nothing falls between
    try:
        yield "retry: 2000\n\n"
        sessions = hub.ctx.sessions
        # Comment lines keep proxies from closing idle streams (nginx closes after 60 s by default).
        heartbeat = hub.ctx.settings.sse_heartbeat
        if last_id is None:
            sent = hub.last_seq(hall_id)
        else:
            low, high = await asyncio.to_thread(store.seq_bounds, sessions, hall_id)
            if last_id > high or (low is not None and last_id < low - 1) or (low is None and last_id > 0):
                yield format_resync(high)
                sent = high
            else:
                sent = last_id
            while True:
                backlog = await asyncio.to_thread(store.events_after, sessions, hall_id, sent)
                for event in backlog:
                    if sub.wants(event):
                        yield format_event(event)
                    sent = event["seq"]
                if len(backlog) < 1000:
                    break
        while not sub.overflowed:
            try:
                event = await asyncio.wait_for(sub.queue.get(), timeout=heartbeat)
            except TimeoutError:
                yield ": ping\n\n"
                continue
            if event["seq"] <= sent:
                continue
            sent = event["seq"]
            yield format_event(event)
    finally:
        hub.unsubscribe(sub)
