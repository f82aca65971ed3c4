"""A stream outlives its request: end it when the token that opened it expires or is revoked."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from ..services import identity
from ..services.context import Context
from ..services.errors import Unauthorized


async def while_token_valid(
    body: AsyncIterator[str], ctx: Context, token: str | None
) -> AsyncIterator[str]:
    """Pass the stream through; between chunks (heartbeats come every few seconds) re-check the token."""
    every = ctx.settings.stream_recheck
    checked = time.monotonic()
    try:
        async for chunk in body:
            yield chunk
            if token and time.monotonic() - checked >= every:
                checked = time.monotonic()
                try:
                    await asyncio.to_thread(identity.resolve, ctx, token)
                except Unauthorized:
                    return  # the client reconnects and gets 401
    finally:
        aclose = getattr(body, "aclose", None)  # an async generator: let it unsubscribe from the hub
        if aclose is not None:
            await aclose()
