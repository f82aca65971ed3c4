"""Notices (公告): a manager writes one in the console and the hall display shows it live, in both
languages. The behaviour does not depend on the database: SQLite only (Playwright tests are slow)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import HALL, Server, shot

T = 10_000
sqlite_only = pytest.mark.parametrize("template_db", ["sqlite"], indirect=True)


@sqlite_only
def test_a_manager_publishes_a_notice_and_the_display_scrolls_it_live(server: Server, new_page: Any) -> None:
    display = new_page(f"/ui/display/{HALL}/business", width=1920, height=1080, device="tv-web")
    expect(display.locator("html")).to_have_attribute("data-live", "live", timeout=T)
    expect(display.get_by_test_id("ticker")).to_be_hidden()  # nothing to say: no empty band
    snapshots = display.evaluate("() => window.__hq.live.stats.snapshots")

    manager = new_page("/ui/manager?tab=notices", width=1920, height=1080, role="manager")
    manager.get_by_test_id("notice-save").click()  # empty: refused in our words, nothing sent
    expect(manager.get_by_test_id("notice-msg")).to_contain_text("请填写公告内容", timeout=T)
    expect(manager.get_by_test_id("no-notices")).to_be_visible()
    manager.get_by_test_id("notice-text").fill("本周六（12月5日）上午正常办公，下午不办理业务")
    manager.get_by_test_id("notice-text-en").fill("Open on Saturday 5 December, mornings only")
    manager.get_by_test_id("notice-save").click()
    expect(manager.get_by_test_id("notice-row")).to_have_count(1, timeout=T)
    manager.get_by_test_id("notice-text").fill("请保管好随身物品，谨防诈骗")
    manager.get_by_test_id("notice-order").fill("0")
    manager.get_by_test_id("notice-save").click()
    expect(manager.get_by_test_id("notice-row")).to_have_count(2, timeout=T)
    expect(manager.get_by_test_id("notice-row").first).to_contain_text("请保管好随身物品")
    shot(manager, "manager-notices")

    # The display shows both at once, in the manager's order, from the events (no snapshot reload).
    notices = display.get_by_test_id("notice")
    expect(notices).to_have_count(2, timeout=T)
    expect(notices.first).to_contain_text("请保管好随身物品")
    expect(notices.nth(1)).to_contain_text("本周六（12月5日）上午正常办公")
    assert display.evaluate("() => window.__hq.live.stats.snapshots") == snapshots
    # A bottom row of its own: it overlaps nothing of the page above it and stays on the screen.
    ticker = display.get_by_test_id("ticker").bounding_box()
    assert ticker is not None and ticker["y"] + ticker["height"] <= 1080 + 0.5 and ticker["height"] >= 40
    for part in ("waiting", "windows", "phones", "sound-state", "calls-now"):
        box = display.get_by_test_id(part).bounding_box()
        assert box is None or box["y"] + box["height"] <= ticker["y"] + 0.5, part
    shot(display, "display-ticker")

    # Edited: the display follows; English mode shows the English text (the Chinese when none).
    row = manager.get_by_test_id("notice-row").nth(1)
    row.get_by_test_id("notice-edit").click()
    expect(manager.get_by_test_id("notice-text")).to_have_value("本周六（12月5日）上午正常办公，下午不办理业务")
    manager.get_by_test_id("notice-text").fill("本周六（12月5日）全天正常办公")
    manager.get_by_test_id("notice-text-en").fill("Open all day on Saturday 5 December")
    manager.get_by_test_id("notice-save").click()
    expect(notices.nth(1)).to_contain_text("全天正常办公", timeout=T)
    display.get_by_test_id("lang-toggle").click()
    expect(notices.nth(1)).to_have_text("Open all day on Saturday 5 December", use_inner_text=True)
    expect(notices.first).to_have_text("请保管好随身物品，谨防诈骗", use_inner_text=True)
    shot(display, "display-ticker-english")

    # Removed (after a confirmation): gone from the display at once.
    manager.get_by_test_id("notice-remove").first.click()
    manager.get_by_test_id("notice-confirm-ok").click()
    expect(manager.get_by_test_id("notice-row")).to_have_count(1, timeout=T)
    expect(notices).to_have_count(1, timeout=T)
    expect(notices.first).to_contain_text("Saturday")
    assert display.evaluate("() => window.__hq.live.stats.snapshots") == snapshots
    listed = server.http.get(f"/api/v1/halls/{HALL}/notices").json()
    assert [n["text"] for n in listed] == ["本周六（12月5日）全天正常办公"]


@sqlite_only
def test_clerk_page_and_console_apply_events_without_reloading_the_snapshot(
    server: Server, new_page: Any
) -> None:
    """Ordinary events (issue, call, transfer, pause) are applied one by one: no page asks for the
    snapshot again, and the counts they show still agree with what Call next does."""
    from .conftest import COMPANY, PENSION

    clerk = new_page(f"/ui/clerk?hall={HALL}&window=01", width=1024, height=600, role="clerk")
    manager = new_page(f"/ui/manager?hall={HALL}", width=1920, height=1080, role="manager")
    asked: dict[Any, int] = {clerk: 0, manager: 0}
    for page in (clerk, manager):
        expect(page.locator("html")).to_have_attribute("data-live", "live", timeout=T)
        page.on("request", lambda r, p=page: asked.__setitem__(p, asked[p] + ("/snapshot" in r.url)))

    def can_call(page: Any, window: str | None = None) -> Any:
        return (page.get_by_test_id(f"win-{window}") if window else page).get_by_test_id("can-call")

    first, second = server.issue(COMPANY), server.issue(COMPANY)
    server.issue(PENSION)
    expect(can_call(clerk)).to_have_attribute("data-count", "2", timeout=T)
    expect(clerk.get_by_test_id("queue-ticket")).to_have_count(2, timeout=T)
    expect(can_call(manager, "01")).to_have_attribute("data-count", "2", timeout=T)
    expect(can_call(manager, "05")).to_have_attribute("data-count", "1", timeout=T)
    expect(manager.get_by_test_id("svc-" + COMPANY)).to_contain_text("2", timeout=T)

    clerk.keyboard.press("n")  # the clerk's own call: the page shows it from the event
    expect(clerk.get_by_test_id("current-number")).to_have_text(first["number"], timeout=T)
    expect(can_call(clerk)).to_have_attribute("data-count", "1", timeout=T)
    expect(manager.get_by_test_id("win-01")).to_contain_text(first["number"], timeout=T)
    clerk.keyboard.press("t")
    clerk.get_by_test_id("transfer-window").select_option("05")
    clerk.get_by_test_id("transfer-reason-0").check()
    clerk.get_by_test_id("transfer-submit").click()
    expect(clerk.get_by_test_id("current-number")).to_have_text("—", timeout=T)
    expect(can_call(manager, "05")).to_have_attribute("data-count", "2", timeout=T)
    r = server.api("POST", f"/api/v1/halls/{HALL}/windows/05/pause")
    assert r.status_code == 200, r.text
    expect(can_call(manager, "05")).to_have_attribute("data-count", "0", timeout=T)
    expect(manager.get_by_test_id("win-05")).to_have_attribute("data-state", "paused", timeout=T)
    seq = server.marker()
    for page in (clerk, manager):
        page.wait_for_function("seq => window.__hq.live.seq >= seq", arg=seq, timeout=T)
    assert asked == {clerk: 0, manager: 0}, "a page reloaded the snapshot on an ordinary event"
    # And what they show is what Call next does.
    expect(clerk.get_by_test_id("queue-ticket").first).to_have_attribute("data-number", second["number"])
    called = server.call_next("01")
    assert called is not None and called["number"] == second["number"]
    expect(can_call(manager, "01")).to_have_attribute("data-count", "0", timeout=T)
    expect(can_call(clerk)).to_have_attribute("data-count", "0", timeout=T)
    assert asked == {clerk: 0, manager: 0}
