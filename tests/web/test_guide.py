"""The service guide page (/guide/{hall}/{code}) opened from the QR code of a printed notice slip.

The slip is made as the kiosk makes it: the guide from the kiosk's API client, its `guide_url` into
the drivers' NoticeSlip, rendered to ESC/POS bytes; the QR payload is read back from those bytes by
the virtual printer's interpreter and opened in Chromium at a phone's size.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from drivers.printer import Material, NoticeSlip, render
from drivers.sim.escpos_interp import EscPosInterpreter, Picture
from kiosk.api import ApiClient

from .conftest import FOOD, HALL, Server, shot

T = 10_000
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
WARNING = "QUEUE_PUBLIC_URL is not set"


def slip_qr(kiosk_server_url: str, code: str) -> tuple[str, dict[str, Any]]:
    """(the QR payload printed on the notice slip of `code`, the guide it was made from)."""
    guide = ApiClient(kiosk_server_url, HALL).guide(code)
    slip = NoticeSlip(  # as kiosk/backend.py printNotice builds it
        hall_name="测试大厅", service_code=str(guide["code"]), service_name=str(guide["name"]),
        materials=[Material(m["name"], int(m["copies"]), m["form"], m["requirement"], m["note"])
                   for m in guide["materials"]],
        guide_url=str(guide.get("guide_url") or ""), printed_at=datetime.now(ZoneInfo("Asia/Shanghai")),
    )
    printer = EscPosInterpreter()
    printer.feed(render(slip, "80mm"))
    printer.finish()
    codes = [item.data.decode() for item in printer.items if isinstance(item, Picture) and item.kind == "qr"]
    assert len(codes) == 1, codes
    return codes[0], guide


def shows(locator: Any, text: str, timeout: int = 5_000) -> None:
    """The text is on screen (innerText: the other language's hidden half does not count)."""
    expect(locator).to_contain_text(text, use_inner_text=True, timeout=timeout)


def reads(locator: Any, text: str) -> None:
    expect(locator).to_have_text(text, use_inner_text=True)


def no_horizontal_overflow(page: Any) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"page is {width[0]} px wide in a {width[1]} px viewport"


def test_the_slips_qr_opens_the_full_guide_on_a_phone(server: Server, new_page: Any) -> None:
    # Started without QUEUE_PUBLIC_URL: the start-up log says that phones cannot open the QR codes.
    assert server.log_path.read_text().count(WARNING) == 1
    # The address phones reach differs from the one the kiosk uses (127.0.0.1): QR codes carry it.
    public = f"http://localhost:{server.port}"
    server.stop()
    server.env["QUEUE_PUBLIC_URL"] = public + "/"
    server.start()
    assert server.log_path.read_text().count(WARNING) == 1  # not again
    assert server.issue(FOOD)["status_url"].startswith(f"{public}/t/")

    url, guide = slip_qr(server.url, FOOD)
    assert url == f"{public}/guide/{HALL}/{FOOD}"
    phone = new_page("/healthz", width=390, height=844, mobile=True)
    requested: list[str] = []
    phone.on("request", lambda r: requested.append(r.url))
    phone.goto(url)
    shows(phone.get_by_test_id("service-name"), guide["name"], timeout=T)
    materials = phone.get_by_test_id("material")
    expect(materials).to_have_count(len(guide["materials"]))
    for i, m in enumerate(guide["materials"]):
        shows(materials.nth(i), m["name"])
    shows(phone.get_by_test_id("materials"), "可容缺后补")  # a "later" material
    reads(phone.get_by_test_id("statutory"), f"{guide['statutory_days']} 个工作日")
    reads(phone.get_by_test_id("promised"), f"{guide['promised_days']} 个工作日")
    reads(phone.get_by_test_id("complaint-phone"), guide["complaint_phone"])
    shows(phone.get_by_test_id("where"), guide["zone_name"])
    shows(phone.get_by_test_id("legal-basis"), "食品安全法")
    shows(phone.get_by_test_id("conditions"), guide["conditions"][0])
    expect(phone.get_by_test_id("open-state")).to_be_visible()
    shows(phone.get_by_test_id("hours"), "周一至周五")
    no_horizontal_overflow(phone)
    DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(DOCS_IMAGES / "guide-phone.png"))  # what a phone shows first: 390×844
    shot(phone, "guide-phone-zh")

    phone.get_by_test_id("lang-toggle").click()
    reads(phone.get_by_test_id("statutory"), f"{guide['statutory_days']} working days")
    reads(phone.get_by_test_id("promised"), f"{guide['promised_days']} working days")
    shows(phone.get_by_test_id("materials"), "Documents to bring")
    shows(phone.get_by_test_id("materials"), "May be supplied later")
    shows(phone.get_by_test_id("complaint"), "Questions and complaints")
    reads(phone.get_by_test_id("service-name"), guide["name_en"])
    shows(phone.get_by_test_id("hours"), "Mon–Fri")
    expect(phone.get_by_test_id("limits")).not_to_contain_text("工作日", use_inner_text=True)
    no_horizontal_overflow(phone)
    shot(phone, "guide-phone-en")
    # Nothing from anywhere but the server itself: no CDN, no web fonts.
    assert requested and {urlsplit(u).netloc for u in requested} == {urlsplit(public).netloc}, requested


def test_unknown_hall_or_item_gets_a_page_that_says_what_to_do(server: Server, new_page: Any) -> None:
    for path in (f"/guide/{HALL}/510403-NO-SUCH-1", "/guide/nowhere/510403-XK-SC-005", f"/guide/{HALL}"):
        page = new_page(path, width=390, height=844, mobile=True)
        shows(page.get_by_test_id("not-found"), "没有找到这份办事指南", timeout=T)
        shows(page.get_by_test_id("not-found"), "咨询台")
        assert "detail" not in page.content()  # no raw JSON
        page.get_by_test_id("lang-toggle").click()
        shows(page.get_by_test_id("not-found"), "information desk")
        no_horizontal_overflow(page)
    shot(page, "guide-not-found-en")


def test_closed_item_shows_its_next_opening_in_the_halls_time(server: Server, new_page: Any) -> None:
    # The availability fields come from the calendar (another branch); the page shows them when sent.
    def closed(route: Any) -> None:
        body = json.loads(route.fetch().text())
        body |= {"open_now": False, "open_until": None, "next_open": "2030-12-02T00:30:00Z",
                 "closed_reason": "元旦", "closed_reason_en": "New Year's Day"}
        route.fulfill(json=body)

    page = new_page("/healthz", width=390, height=844, mobile=True)
    page.route(f"**/api/v1/halls/{HALL}/services/*", closed)
    page.goto(f"{server.url}/guide/{HALL}/{FOOD}")
    state = page.get_by_test_id("open-state")
    shows(state, "现在不办理", timeout=T)
    shows(state, "元旦")
    shows(page.get_by_test_id("next-open"), "12月2日")  # 00:30 UTC: 08:30 in Shanghai
    shows(page.get_by_test_id("next-open"), "08:30")
    page.get_by_test_id("lang-toggle").click()
    shows(page.get_by_test_id("next-open"), "Opens Mon 2 Dec, 08:30")
    shows(state, "New Year's Day")
    shot(page, "guide-phone-closed-en")

    # Within opening hours, but no clerk at any window serving the item: no "open now" promise.
    def unstaffed(route: Any) -> None:
        route.fulfill(json=json.loads(route.fetch().text()) | {"open_now": True, "staffed": False})

    page = new_page("/healthz", width=390, height=844, mobile=True)
    page.route(f"**/api/v1/halls/{HALL}/services/*", unstaffed)
    page.goto(f"{server.url}/guide/{HALL}/{FOOD}")
    shows(page.get_by_test_id("open-state"), "现在没有窗口受理此事项", timeout=T)
    expect(page.get_by_test_id("open-state")).not_to_contain_text("现在可以办理")
