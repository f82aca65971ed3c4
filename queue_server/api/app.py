"""The FastAPI application: routes of the v1 contract, error mapping, context wiring."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from .. import web
from ..live.hub import Hub
from ..metrics import Metrics, sse_count
from ..services import alerts, links, reports
from ..services.context import Context
from ..services.errors import ServiceError
from . import (
    routes_audit,
    routes_auth,
    routes_catalogue,
    routes_closures,
    routes_devices,
    routes_events,
    routes_public,
    routes_supervision,
    routes_tickets,
    routes_users,
    routes_windows,
)
from .deps import require


def _readable(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{loc}: {err.get('msg')}")
    return "请求内容有误 / invalid request: " + "; ".join(parts)


async def _watch_alerts(ctx: Context) -> None:
    """Fire and clear the live alerts every `alert_interval` seconds (each process: the hall lock and
    the one-active-alert rule keep them from doubling); summarise the days that have ended."""
    log = logging.getLogger("queue_server.alerts")
    while True:
        await asyncio.sleep(ctx.settings.alert_interval)  # first after one interval: the server is up
        try:
            await asyncio.to_thread(alerts.sweep, ctx)
            await asyncio.to_thread(reports.build_recent, ctx)  # cheap once built: one query per hall
        except Exception:  # a failed check must not stop the next one
            log.exception("alert check failed")


def create_app(ctx: Context) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        links.warn_if_unusable(ctx)  # phones cannot open QR codes that carry 127.0.0.1
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
    )
    app.state.ctx = ctx

    @app.exception_handler(ServiceError)
    async def _service_error(_: Request, exc: ServiceError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
        if "retry_after" in exc.extra:  # seconds; clients and proxies know this header
            headers["Retry-After"] = str(exc.extra["retry_after"])
        return JSONResponse(exc.body(), status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        return JSONResponse({"detail": _readable(errors), "errors": errors}, status_code=422)

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

    @app.get("/healthz", tags=["health"], dependencies=[require("public.read")])
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
        routes_users,
        routes_audit,
        routes_closures,
        routes_supervision,
    ):
        app.include_router(module.router)
    app.include_router(web.router)  # the web pages (/ui/..., /t/{token}) and their static files
    return app
