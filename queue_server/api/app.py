"""The FastAPI application: routes of the v1 contract, error mapping, context wiring."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from .. import web
from ..live.hub import Hub
from ..services import links
from ..services.context import Context
from . import (
    problems,
    routes_appointments,
    routes_audit,
    routes_auth,
    routes_catalogue,
    routes_closures,
    routes_devices,
    routes_events,
    routes_pairing,
    routes_priority,
    routes_public,
    routes_tickets,
    routes_users,
    routes_whatif,
    routes_windows,
)
from .deps import require
from .events_doc import document_events
from .problems import errors
from .responses import Health
from .security import SecurityMiddleware


def create_app(ctx: Context) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        links.warn_if_unusable(ctx)  # phones cannot open QR codes that carry 127.0.0.1
        # Bookings worked on at once (the release surge waits for these, not in the thread pool).
        app.state.booking_workers = asyncio.Semaphore(ctx.settings.booking_workers)
        hub = Hub(ctx)
        await hub.start()
        app.state.hub = hub
        yield
        await hub.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="hall-queue 政务服务中心排队服务",
        version="1",
        description="Queue server of a government service hall: catalogue, tickets, windows, live state.",
        # The interactive docs load scripts from a CDN, which the pages' CSP (and an offline hall)
        # forbid: the API is described by /openapi.json only.
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(SecurityMiddleware, max_body=ctx.settings.max_body_bytes)
    app.state.ctx = ctx
    problems.install(app)

    @app.get(
        "/healthz",
        tags=["health"],
        response_model=Health,
        dependencies=[require("public.read")],
        responses={503: {"model": Health, "description": "the database cannot be reached"}} | errors(500),
    )
    def healthz() -> dict[str, Any]:
        try:
            with ctx.read() as s:
                s.execute(text("SELECT 1"))
            return {"ok": True, "database": "ok"}
        except Exception as exc:  # the point of the endpoint is to report, not to raise
            return JSONResponse({"ok": False, "database": type(exc).__name__}, status_code=503)  # type: ignore[return-value]

    for module in (  # the busiest first: routes are matched in this order
        routes_tickets,
        routes_windows,
        routes_auth,
        routes_catalogue,
        routes_public,
        routes_events,
        routes_devices,
        routes_pairing,
        routes_users,
        routes_audit,
        routes_whatif,
        routes_closures,
        routes_appointments,
        routes_priority,
    ):
        app.include_router(module.router, responses=errors(400, 422, 500))
    app.include_router(web.router)  # the web pages (/ui/..., /t/{token}) and their static files
    document_events(app)
    return app
