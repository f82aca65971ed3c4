"""`/metrics`: Prometheus text, only for the configured token; the figures follow the hall."""

from __future__ import annotations

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from queue_server.services.context import Context
from tests.conftest import FakeClock

from .helpers import HALL, PENSION, call_next, issue, sqlite_only

SECRET = "scrape-me-please-0123456789"


def _samples(app_client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    r = app_client.get("/metrics", headers={"authorization": f"Bearer {SECRET}"})
    assert r.status_code == 200, r.text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for fam in text_string_to_metric_families(r.text)
        for s in fam.samples
    }


@sqlite_only
def test_metrics_need_the_token(ctx: Context, app_client: TestClient, client: TestClient) -> None:
    r = app_client.get("/metrics")
    assert r.status_code == 404 and "metrics_token" in r.json()["detail"]  # off until configured
    ctx.settings.metrics_token = SECRET
    assert app_client.get("/metrics").status_code == 401
    assert app_client.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code == 401
    # A manager's own sign-in token is not the scrape token either.
    assert client.get("/metrics").status_code == 401


@sqlite_only
def test_metrics_follow_the_hall(
    ctx: Context, clock: FakeClock, app_client: TestClient, client: TestClient
) -> None:
    ctx.settings.metrics_token = SECRET
    before = _samples(app_client)
    item = (("hall", HALL), ("item", PENSION))
    assert ("hq_queue_length", item) not in before
    issue(client, PENSION)
    clock.advance(minutes=3)
    issue(client, PENSION)
    clock.advance(minutes=2)
    after = _samples(app_client)
    assert after[("hq_queue_length", item)] == 2
    assert after[("hq_longest_wait_seconds", item)] == 300
    assert after[("hq_request_seconds_count", (("op", "issue"),))] == 2
    call_next(client, "05")
    later = _samples(app_client)
    assert later[("hq_queue_length", item)] == 1
    assert later[("hq_longest_wait_seconds", item)] == 120
    assert later[("hq_calls_total", ())] == 1
    assert later[("hq_request_seconds_count", (("op", "call"),))] == 1
    assert later[("hq_open_windows", (("hall", HALL),))] >= 1
    assert later[("hq_sse_clients", ())] == 0
