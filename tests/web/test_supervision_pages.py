"""Supervision in the browser: the citizen rates from their own status page and sees the window's
decision; the counter's printable slip; the pad names the clerk."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from .conftest import COMPANY, HALL, PENSION, Server, shot

T = 10_000  # ms: an upper bound for what should happen at once
COMPANY_FORM = "公司登记（备案）申请书"


def _serve(server: Server, service: str, window: str, **finish: Any) -> dict[str, Any]:
    t = server.issue(service)
    called = server.call_next(window)
    assert called and called["number"] == t["number"]
    assert server.act(t["id"], "start").status_code == 200
    r = server.act(t["id"], "finish", **finish)
    assert r.status_code == 200, r.text
    return t


def test_the_citizen_rates_from_the_status_page_and_sees_the_notice(server: Server, new_page: Any) -> None:
    t = _serve(server, COMPANY, "01", outcome={"kind": "notice", "missing": [COMPANY_FORM]})
    page = new_page(f"/t/{t['token']}", width=390, height=844, mobile=True)
    expect(page.get_by_test_id("outcome")).to_contain_text("一次性告知", timeout=T)
    expect(page.get_by_test_id("missing")).to_contain_text(COMPANY_FORM)
    page.get_by_test_id("rate-2").click()  # a bad rating asks for reasons
    page.get_by_test_id("rate-reason-3").check()
    shot(page, "status-rate")
    page.get_by_test_id("rate-submit").click()
    expect(page.get_by_test_id("rated")).to_contain_text("不满意", timeout=T)
    cases = server.api("GET", f"/api/v1/halls/{HALL}/cases").json()
    assert [(c["ticket"]["number"], c["level"], c["reasons"]) for c in cases] == [
        (t["number"], 2, ["一次性告知不清楚"])
    ]
    # Opened again, the page shows the rating given, not the form.
    again = new_page(f"/t/{t['token']}", width=390, height=844, mobile=True)
    expect(again.get_by_test_id("rated")).to_contain_text("不满意", timeout=T)
    expect(again.get_by_test_id("rate")).to_have_count(0)


def test_the_counter_prints_the_refusal_notice(server: Server, new_page: Any) -> None:
    t = _serve(server, COMPANY, "01", outcome={"kind": "refused", "reason": "申请事项不属于本机关职权范围"})
    page = new_page(f"/ui/slip/{t['id']}", width=900, height=1200, role="manager")
    expect(page.get_by_test_id("slip-title")).to_have_text("不予受理通知书", timeout=T)
    expect(page.get_by_test_id("reason")).to_have_text("申请事项不属于本机关职权范围")
    expect(page.get_by_test_id("slip")).to_contain_text(t["number"])
    shot(page, "slip-refused")


def test_the_pad_names_the_clerk(server: Server, new_page: Any) -> None:
    pad = new_page(f"/ui/pad/{HALL}/05", device="pad-05")
    clerk = server.api("GET", f"/api/v1/halls/{HALL}/windows/05/clerk").json()
    assert clerk["name"]  # the template signs a clerk in at every open window
    expect(pad.get_by_test_id("clerk-card")).to_contain_text(clerk["name"], timeout=T)
    _serve(server, PENSION, "05")


def _fast_alerts(server: Server) -> None:
    """The alert check every 0.2 s (the default is 10 s), so that a test sees one at once."""
    server.stop()
    server.process.env["QUEUE_ALERT_INTERVAL"] = "0.2"
    server.start()


def test_an_alert_appears_within_a_second_and_is_resolved(server: Server, new_page: Any) -> None:
    _fast_alerts(server)
    page = new_page(f"/ui/supervision?hall={HALL}", width=1400, height=900, role="manager")
    expect(page.locator("html")).to_have_attribute("data-live", "live", timeout=T)
    expect(page.get_by_test_id("tab-alerts")).to_have_attribute("aria-selected", "true")
    # The clerk at window 14 leaves; the window stays open with nobody at it.
    r = server.api("POST", f"/api/v1/halls/{HALL}/windows/14/sign-out")
    assert r.status_code in (200, 204), r.text
    row = page.locator('[data-testid="alert"][data-kind="unstaffed_window"][data-subject="14"]')
    expect(row).to_be_visible(timeout=1200)  # the 0.2 s check, then the live event: within a second
    expect(page.locator("html")).to_have_attribute("data-chimes", re.compile(r"[1-9]"))
    shot(page, "supervision-alert")
    row.get_by_test_id("resolve-note").fill("已安排 A 岗顶岗")
    row.locator('[data-act="resolve"]').click()
    expect(row.get_by_test_id("alert-state")).to_contain_text("已处理", timeout=T)
    stored = [a for a in server.api("GET", f"/api/v1/halls/{HALL}/alerts").json() if a["subject"] == "14"]
    assert [(a["kind"], a["resolution"]) for a in stored] == [("unstaffed_window", "已安排 A 岗顶岗")]


def test_the_report_page_with_charts(server: Server, new_page: Any) -> None:
    _serve(server, COMPANY, "01", outcome={"kind": "accepted"})
    _serve(server, PENSION, "05", outcome={"kind": "consult"})
    page = new_page(
        f"/ui/supervision?hall={HALL}&tab=reports&by=item", width=1400, height=1000, role="manager"
    )
    expect(page.get_by_test_id("report-table")).to_be_visible(timeout=T)
    expect(page.get_by_test_id("chart")).to_have_count(3)
    expect(page.locator('[data-testid="chart"] svg rect').first).to_be_visible()
    total = page.get_by_test_id("report-total")
    expect(total).to_contain_text("合计")
    issued = total.locator("th").nth(1)
    expect(issued).to_have_text("2")
    shot(page, "supervision-report")


def test_the_clerk_records_the_outcome_after_finishing(server: Server, new_page: Any) -> None:
    place = f"localStorage.setItem('hq.clerk.place', '{HALL}/01');"
    page = new_page("/ui/clerk", width=1400, height=900, role="manager", init_script=place)
    expect(page.locator("html")).to_have_attribute("data-live", "live", timeout=T)
    t = _serve(server, COMPANY, "01")  # finished without an outcome (by the API, as clerk.js does)
    panel = page.get_by_test_id("outcome-panel")
    expect(panel).to_contain_text(t["number"], timeout=T)
    panel.get_by_test_id("kind-notice").check()
    panel.get_by_test_id("material-0").check()
    shot(page, "clerk-outcome")
    panel.get_by_test_id("outcome-save").click()
    expect(panel.get_by_test_id("slip-link")).to_contain_text("一次性告知单", timeout=T)
    slip = server.api("GET", f"/api/v1/tickets/{t['id']}/outcome").json()
    assert slip["kind"] == "notice" and [m["name"] for m in slip["missing"]] == [COMPANY_FORM]


def test_the_manager_answers_and_closes_a_case_on_the_page(server: Server, new_page: Any) -> None:
    t = _serve(server, PENSION, "05")
    r = server.http.post(f"/api/v1/public/tickets/{t['token']}/evaluation", json={"level": 1})
    assert r.status_code == 201, r.text
    page = new_page(f"/ui/supervision?hall={HALL}&tab=cases", width=1400, height=900, role="manager")
    row = page.locator('[data-testid="case"]').first
    expect(row.get_by_test_id("case-state")).to_have_text("待整改", timeout=T)
    row.locator('[data-case-act="4"]').click()  # close before any answer: refused, with the reason
    expect(page.get_by_test_id("case-error")).to_contain_text("不能办结", timeout=T)
    row.get_by_test_id("case-text").fill("已调整窗口排班")
    row.locator('[data-case-act="0"]').click()
    expect(row.get_by_test_id("case-state")).to_contain_text("已答复", timeout=T)
    row.locator('[data-case-act="1"]').click()
    expect(row.get_by_test_id("case-state")).to_contain_text("已回访", timeout=T)
    row.locator('[data-case-act="4"]').click()
    expect(row.get_by_test_id("case-state")).to_contain_text("已办结", timeout=T)
    shot(page, "supervision-cases")
