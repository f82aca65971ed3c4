"""Every QR address the server hands out comes from QUEUE_PUBLIC_URL (ticket status and guide pages)."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from queue_server.api.app import create_app
from queue_server.services.context import Context

from .helpers import FOOD, HALL, issue

PUBLIC = "https://hall.example.gov.cn"


def test_qr_addresses_use_the_public_url(ctx: Context, client: TestClient) -> None:
    ctx.settings.public_url = PUBLIC + "/"
    t = issue(client, FOOD)
    assert t["status_url"] == f"{PUBLIC}/t/{t['token']}"
    guide = client.get(f"/api/v1/halls/{HALL}/services/{FOOD}").json()
    assert guide["guide_url"] == f"{PUBLIC}/guide/{HALL}/{FOOD}"
    # The page it names exists on this server (the phone reaches it through the public address).
    page = client.get(f"/guide/{HALL}/{FOOD}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/ui/static/js/guide.js" in page.text


def test_without_a_public_url_the_callers_address_stands_in_and_start_up_warns(
    ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    ctx.settings.public_url = ""
    with caplog.at_level(logging.WARNING, logger="queue_server.links"), TestClient(create_app(ctx)) as tc:
        guide = tc.get(f"/api/v1/halls/{HALL}/services/{FOOD}").json()
    assert guide["guide_url"] == f"http://testserver/guide/{HALL}/{FOOD}"
    warnings = [r.getMessage() for r in caplog.records if r.name == "queue_server.links"]
    assert len(warnings) == 1 and "QUEUE_PUBLIC_URL" in warnings[0] and "127.0.0.1" in warnings[0]
    for public, warned in ((PUBLIC, False), ("hall.example.gov.cn", True)):
        caplog.clear()
        ctx.settings.public_url = public
        with caplog.at_level(logging.WARNING, logger="queue_server.links"), TestClient(create_app(ctx)):
            pass
        warnings = [r.getMessage() for r in caplog.records if r.name == "queue_server.links"]
        assert len(warnings) == warned and all("https://" in w for w in warnings), (public, warnings)
