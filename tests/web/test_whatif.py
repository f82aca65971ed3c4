"""The manager console's "what if" section, in Chromium, against a real server on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from queue_server.runtime import open_context
from queue_server.services import tickets, windows
from queue_server.services.context import SYSTEM
from queue_server.services.issuing import IssueRequest, issue

from .conftest import HALL, PENSION, Server, shot

T = 15_000
SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def yesterday_morning(server: Server) -> None:
    """Ten pension tickets yesterday from 10:00, a minute apart, served one by one at window 05 in
    six minutes each (written through the service layer with yesterday's clock)."""
    day = datetime.now(SHANGHAI).date() - timedelta(days=1)
    clock = Clock(datetime.combine(day, time(10, 0), SHANGHAI).astimezone(UTC))
    ctx = open_context(server.process.db_url, migrate=False)
    ctx.clock = clock
    try:
        ids = []
        for n in range(10):
            ticket, _ = issue(ctx, SYSTEM, HALL, IssueRequest(PENSION, f"whatif-{n}", channel="counter"), "")
            ids.append(ticket["id"])
            clock.now += timedelta(minutes=1)
        for tid in ids:
            called: dict[str, Any] | None = windows.call_next(ctx, SYSTEM, HALL, "05")
            assert called is not None and called["id"] == tid
            tickets.act(ctx, SYSTEM, tid, "start")
            clock.now += timedelta(minutes=6)
            tickets.act(ctx, SYSTEM, tid, "finish")
    finally:
        ctx.sessions.kw["bind"].dispose()


def test_manager_runs_what_if_on_yesterday(server: Server, new_page: Any) -> None:
    yesterday_morning(server)
    page = new_page("/ui/manager", width=1400, height=1000, role="manager")
    box = page.get_by_test_id("whatif")
    box.locator("summary").click()
    expect(page.get_by_test_id("whatif-window").locator("option")).to_have_count(14, timeout=T)
    page.get_by_test_id("whatif-kind").select_option("remove")
    page.get_by_test_id("whatif-window").select_option("05")
    page.get_by_test_id("whatif-run").click()
    summary = page.get_by_test_id("whatif-summary")
    expect(summary).to_contain_text("少开 05 号窗口", timeout=T)
    day = (datetime.now(SHANGHAI).date() - timedelta(days=1)).isoformat()
    expect(summary).to_contain_text(day)
    table = page.get_by_test_id("whatif-table")
    expect(table.locator('[data-row="tickets"] [data-col="now"]')).to_have_text("10")
    expect(table.locator('[data-row="windows"] [data-col="then"]')).to_have_text("13")
    now = float(table.locator('[data-row="mean_wait_min"] [data-col="now"]').inner_text())
    then = float(table.locator('[data-row="mean_wait_min"] [data-col="then"]').inner_text())
    assert then > now  # without window 05 only its backup post 06 serves pensions
    # The way to supervision sits in the tab row, above the floor, not floating over the tables.
    link = page.get_by_test_id("supervision-link")
    expect(link).to_have_attribute("href", f"/ui/supervision?hall={HALL}")
    link_box, zones_box = link.bounding_box(), page.get_by_test_id("zones").bounding_box()
    assert link_box is not None and zones_box is not None
    assert link_box["y"] + link_box["height"] <= zones_box["y"]
    shot(page, "manager-whatif")

    page.get_by_test_id("lang-toggle").click()
    page.get_by_test_id("whatif-kind").select_option("add")
    page.get_by_test_id("whatif-run").click()
    expect(summary).to_contain_text("one more window like window 05", timeout=T)
    expect(table.locator('[data-row="windows"] [data-col="then"]')).to_have_text("15")


def test_what_if_without_history_says_why(server: Server, new_page: Any) -> None:
    page = new_page("/ui/manager", width=1400, height=1000, role="manager")
    page.get_by_test_id("whatif").locator("summary").click()
    expect(page.get_by_test_id("whatif-window").locator("option")).to_have_count(14, timeout=T)
    page.get_by_test_id("whatif-run").click()
    error = page.get_by_test_id("whatif-error")
    expect(error).to_contain_text("还没有以前营业日的取号记录", timeout=T)
    expect(page.get_by_test_id("whatif-table")).to_have_count(0)
