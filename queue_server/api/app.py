"""The FastAPI application: routes of the v1 contract, error mapping, context wiring."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from .. import web
from ..live.hub import Hub
from ..metrics import Metrics, sse_count
from ..services import alerts, appointments, links, reports
from ..services.context import Context
from ..services.errors import ServiceError
from . import (
    problems,
    routes_appointments,
    routes_audit,
    routes_auth,
    routes_catalogue,
    routes_closures,
    routes_devices,
    routes_events,
    routes_notices,
    routes_pairing,
    routes_priority,
    routes_public,
    routes_supervision,
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


async def _watch_alerts(ctx: Context) -> None:
    """Fire and clear the live alerts every `alert_interval` seconds (each process: the hall lock and
    the one-active-alert rule keep them from doubling); mark ended bookings missed; summarise the days
    that have ended."""
    log = logging.getLogger("queue_server.alerts")
    while True:
        await asyncio.sleep(ctx.settings.alert_interval)  # first after one interval: the server is up
        try:
            await asyncio.to_thread(alerts.sweep, ctx)
            await asyncio.to_thread(appointments.sweep_ended, ctx)  # bookings whose window has ended
            await asyncio.to_thread(reports.build_recent, ctx)  # cheap once built: one query per hall
        except Exception:  # a failed check must not stop the next one
            log.exception("alert check failed")


def create_app(ctx: Context) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        links.warn_if_unusable(ctx)  # phones cannot open QR codes that carry 127.0.0.1
        # Bookings worked on at once (the release surge waits for these, not in the thread pool).
        app.state.booking_workers = asyncio.Semaphore(ctx.settings.booking_workers)
        hub = Hub(ctx)
        await hub.start()
        app.state.hub = hub
        watcher = asyncio.create_task(_watch_alerts(ctx))
        yield
        watcher.cancel()
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

    metrics = Metrics(ctx, sse_count(app))
    app.middleware("http")(metrics.middleware)

    async def prometheus(request: Request) -> Response:
        """Prometheus metrics, for machines: outside the permission table, behind the `metrics_token`
        setting as a bearer token (404 while unset)."""
        try:
            return await run_in_threadpool(metrics.answer, request.headers.get("authorization"))
        except ServiceError as exc:
            return JSONResponse(exc.body(), status_code=exc.status)

    app.add_route("/metrics", prometheus, methods=["GET"], include_in_schema=False)

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
        routes_notices,
        routes_appointments,
        routes_priority,
        routes_supervision,
    ):
        app.include_router(module.router, responses=errors(400, 422, 500))
    app.include_router(web.router)  # the web pages (/ui/..., /t/{token}) and their static files
    document_events(app)
    return app
