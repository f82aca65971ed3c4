"""`/metrics` in the Prometheus text format, for the operator's monitoring; not public: it answers
only a bearer token equal to the `metrics_token` setting (and 404 while that is unset).

Request figures (issue and call latency, calls) are counted by this process as requests pass; the
hall's state (queue length and longest wait per item, staffed open windows, device states, event
stream clients) is read when scraped, so it is right whichever process changed it."""

from __future__ import annotations

import hmac
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response

from .db.models import Device, Hall, Service, Ticket, Window, WindowPost
from .domain import calendar
from .domain.alerts import paper_of
from .services.context import Context
from .services.errors import NotFound, Unauthorized

ONLINE_WITHIN = timedelta(seconds=90)  # a device that reported within this is online
TIMED = {  # route template → the latency histogram's label
    "/api/v1/halls/{hall}/tickets": "issue",
    "/api/v1/halls/{hall}/windows/{window}/call-next": "call",
}
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)


class HallState(Collector):
    def __init__(self, ctx: Context, sse_clients: Callable[[], int]) -> None:
        self.ctx = ctx
        self.sse_clients = sse_clients

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self.ctx.clock()
        waiting = GaugeMetricFamily("hq_queue_length", "tickets waiting, per item", labels=["hall", "item"])
        longest = GaugeMetricFamily(
            "hq_longest_wait_seconds",
            "the longest wait of a waiting ticket, per item",
            labels=["hall", "item"],
        )
        windows = GaugeMetricFamily("hq_open_windows", "open windows with a clerk signed in", labels=["hall"])
        online = GaugeMetricFamily(
            "hq_device_online", "1 if the device reported recently", labels=["device", "kind"]
        )
        paper = GaugeMetricFamily(
            "hq_device_paper_ok", "1 unless the printer reports paper out or low", labels=["device"]
        )
        with self.ctx.read() as s:
            for hall in s.scalars(select(Hall)):
                day = calendar.business_day(now, hall.timezone, hall.day_starts)
                rows = s.execute(
                    select(Service.code, func.count(), func.min(Ticket.wait_since))
                    .join(Service, Service.id == Ticket.service_id)
                    .where(Ticket.hall_id == hall.id, Ticket.business_day == day, Ticket.status == "waiting")
                    .group_by(Service.code)
                )
                for code, n, since in rows:
                    waiting.add_metric([hall.code, code], n)
                    longest.add_metric([hall.code, code], max(0.0, (now - since).total_seconds()))
                staffed = s.scalar(
                    select(func.count())
                    .select_from(Window)
                    .join(WindowPost, WindowPost.window_id == Window.id)
                    .where(Window.hall_id == hall.id, Window.state == "open")
                )
                windows.add_metric([hall.code], staffed or 0)
            for d in s.scalars(select(Device).where(Device.revoked_at.is_(None))):
                online.add_metric(
                    [d.name, d.kind], int(d.last_seen is not None and now - d.last_seen <= ONLINE_WITHIN)
                )
                if d.kind == "kiosk":
                    paper.add_metric([d.name], int(paper_of(d.last_status) in (None, "ok")))
        sse = GaugeMetricFamily("hq_sse_clients", "event stream clients connected to this process")
        sse.add_metric([], self.sse_clients())
        yield from (waiting, longest, windows, online, paper, sse)


class Metrics:
    def __init__(self, ctx: Context, sse_clients: Callable[[], int]) -> None:
        self.ctx = ctx
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "hq_request_seconds",
            "latency of issuing and calling",
            ["op"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.calls = Counter("hq_calls", "tickets called to a window", registry=self.registry)
        self.registry.register(HallState(ctx, sse_clients))

    async def middleware(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        start = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        op = TIMED.get(getattr(route, "path", "")) if request.method == "POST" else None
        if op is not None and response.status_code < 400:
            self.latency.labels(op).observe(time.perf_counter() - start)
            if op == "call" and response.status_code == 200:
                self.calls.inc()
        return response

    def answer(self, authorization: str | None) -> Response:
        expected = self.ctx.settings.metrics_token
        if not expected:
            raise NotFound("未启用监控指标（需设置 metrics_token）", "metrics are off: set metrics_token")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise Unauthorized("监控指标需要正确的令牌", "metrics need the right bearer token")
        return Response(generate_latest(self.registry), media_type="text/plain; version=0.0.4; charset=utf-8")


def sse_count(app: Any) -> Callable[[], int]:
    def count() -> int:
        hub = getattr(app.state, "hub", None)
        return hub.clients() if hub is not None else 0

    return count
