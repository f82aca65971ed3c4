"""The live event stream of a hall (Server-Sent Events), and its calls spoken by the server."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from ..live import sse
from ..services import lookup, voice
from ..services.context import Actor
from .deps import Ctx, presented_token, require
from .edge import INT32_MAX, RowId
from .problems import errors
from .stream_auth import while_token_valid

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["events"], responses=errors(401, 403, 404))


def _hall_id(c: Ctx, code: str) -> int:
    with c.read() as s:
        return lookup.hall(s, code).id


@router.get("/events", response_class=StreamingResponse)
async def events(
    hall: str,
    request: Request,
    c: Ctx,
    _: Annotated[Actor, require("hall.events")],
    zone: Annotated[str | None, Query(max_length=40)] = None,
    window: Annotated[str | None, Query(max_length=20)] = None,
    last_event_id_q: Annotated[int | None, Query(alias="last_event_id", ge=0, le=INT32_MAX)] = None,
    last_event_id: Annotated[int | None, Header(ge=0, le=INT32_MAX)] = None,
) -> StreamingResponse:
    """Events of the hall as they commit, with per-hall increasing ids.

    Resume with the `Last-Event-ID` header (or `?last_event_id=`); without either the stream starts
    with the next event (load `/snapshot` first, then connect with its `event_seq`). `event: resync`
    means the missed events are no longer kept: reload the snapshot. Comment lines every 15 s keep
    proxies from closing an idle stream. Filters: `zone`, `window` (hall-wide events always pass).
    Browsers' EventSource cannot set headers: pass the token as `?access_token=`.
    """
    hall_id = await asyncio.to_thread(_hall_id, c, hall)
    resume = last_event_id if last_event_id is not None else last_event_id_q
    body = sse.stream(request.app.state.hub, hall_id, zone, window, resume)
    body = while_token_valid(body, c, presented_token(request))
    return StreamingResponse(
        body,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "Connection": "keep-alive"},
    )


@router.get(
    "/calls/{ticket_id}/voice",
    response_class=Response,
    responses={
        200: {
            "content": {"audio/wav": {"schema": {"type": "string", "format": "binary"}}},
            "description": "the call, spoken (WAV)",
        }
    },
)
def call_voice(
    hall: str,
    ticket_id: RowId,
    c: Ctx,
    _: Annotated[Actor, require("hall.snapshot")],
    lang: Annotated[Literal["zh", "en"], Query()] = "zh",
) -> Response:
    """A ticket's call to its window spoken by the server (espeak-ng), for displays whose browser has
    no Chinese voice; only while the ticket is being called. 404 `voice_unavailable`: the server has
    no synthesiser (the display plays its chime only)."""
    audio = voice.call_audio(c, hall, ticket_id, lang)
    return Response(audio, media_type="audio/wav", headers={"Cache-Control": "private, max-age=600"})
