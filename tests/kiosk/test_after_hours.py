"""The after-hours kiosk against a real server whose clock starts outside opening hours: every zone
and item says when it opens, the home screen says the hall is closed and when it opens, no path ends
in an item code or a raw error, and the notice slip, look-up and self-service stay open."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.kiosk.conftest import QueueServer, _database, kiosk_config
from tests.kiosk.qml_driver import doc_screenshot, find, shown, tap, text_of, wait_for, walk
from tests.kiosk.test_flows import LICENCE, open_licence_guide

TUESDAY_NIGHT = "2026-12-01T21:45:00+08:00"  # the example hall opens Mon–Fri 08:30–12:00, 14:30–17:30
ITEM_CODE = re.compile(r"\d{6}-[A-Z]{2,3}-[A-Z]{2,3}-\d{3}")
RAW = re.compile(r"Traceback|Exception|Error\b|HTTP \d|\b(409|422|500)\b|detail|\{|null|None|undefined")
SELF_SERVICE = "510403-GG-BDC-003"  # 不动产登记信息自助查询, in the 24-hour self-service zone


# A client of the HTTP API: on SQLite (the server's own tests run on both databases; see conftest).
@pytest.fixture(params=["sqlite"])
def night_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[QueueServer]:
    with _database(request.param, tmp_path) as db:
        server = QueueServer(tmp_path, db=db, enforce_hours=True, clock_start=TUESDAY_NIGHT)
        server.start()
        yield server
        server.stop()


def screen_texts(window: Any) -> list[str]:
    return [
        str(i.property("text"))
        for i in walk(window.contentItem())
        if shown(i) and i.metaObject().indexOfProperty("textFormat") >= 0 and i.property("text")
    ]


def assert_plain(window: Any) -> list[str]:
    texts = screen_texts(window)
    assert texts
    for text in texts:
        assert not ITEM_CODE.search(text), text
        assert not RAW.search(text), text
    return texts


def test_after_hours_the_kiosk_tells_the_truth_and_still_helps(
    make_kiosk: Any, night_server: QueueServer, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = make_kiosk(kiosk_config(tmp_path, night_server, sim))
    w, b = kiosk.window, kiosk.backend
    wait_for(qtbot, lambda: b.health.serverOnline and find(w, "zone_business") and find(w, "hallNotice"))
    # Home: closed, and when it opens (the server's clock: Tuesday 21:45 → Wednesday 08:30).
    notice = text_of(w, "hallNotice")
    assert notice.startswith("本中心现在不办公") and "08:30" in notice
    assert "查询排号" in text_of(w, "afterHoursOffer") and "打印材料清单" in text_of(w, "afterHoursOffer")
    assert "12345" in text_of(w, "complaintPhone")
    zone = find(w, "zone_business")
    assert "08:30 开始" in zone.property("subText")
    assert_plain(w)
    qtbot.wait(150)
    doc_screenshot(w, "kiosk-after-hours-home")

    # A closed item: its guide can be read; the touch on "take a ticket" says why not, before identity.
    open_licence_guide(kiosk, qtbot)
    assert "08:30 开始" in find(w, "takeTicketButton").property("subText")
    assert_plain(w)
    tap(w, "takeTicketButton")
    wait_for(qtbot, lambda: b.screen == "unavailable" and find(w, "unavailableTitle"))
    assert b.session.card is None and b.session.idempotency_key is None  # nothing asked, nothing sent
    assert "现在不办理" in text_of(w, "unavailableTitle")
    assert "08:30" in text_of(w, "unavailableDetail")
    assert "打印材料清单" in text_of(w, "unavailableNext")
    assert_plain(w)
    qtbot.wait(150)
    doc_screenshot(w, "kiosk-closed-item")

    # The one-time notice slip prints at any hour.
    before = len(sim.printer.jobs)
    tap(w, "printNoticeButton")
    wait_for(qtbot, lambda: len(sim.printer.jobs) == before + 1)
    assert "公司章程".encode("gb18030") in sim.printer.jobs[-1]
    wait_for(qtbot, lambda: "已打印" in text_of(w, "guideMessage"))

    # Look-up is open: a number that does not exist is a plain sentence, not an error.
    tap(w, "lookupButton")
    wait_for(qtbot, lambda: b.screen == "lookup" and find(w, "prefix_B"))
    for key in ("prefix_B", "lookupKey_9", "lookupKey_9", "lookupKey_9"):
        tap(w, key)
    tap(w, "lookupSubmit")
    wait_for(qtbot, lambda: find(w, "lookupMessage"))
    assert "没有找到" in text_of(w, "lookupMessage")
    assert_plain(w)

    # The 24-hour self-service items take no ticket: the kiosk says where to go.
    tap(w, "homeButton")
    wait_for(qtbot, lambda: b.screen == "home" and find(w, "zone_self_service"))
    tap(w, "zone_self_service")
    wait_for(qtbot, lambda: find(w, f"service_{SELF_SERVICE}"))
    assert "无需取号" in find(w, f"service_{SELF_SERVICE}").property("subText")
    tap(w, f"service_{SELF_SERVICE}")
    wait_for(qtbot, lambda: b.screen == "guide" and find(w, "takeTicketButton"))
    tap(w, "takeTicketButton")
    wait_for(qtbot, lambda: b.screen == "unavailable" and find(w, "unavailableTitle"))
    assert "无需取号" in text_of(w, "unavailableTitle") and "请到" in text_of(w, "unavailableDetail")
    assert_plain(w)

    # In English too.
    tap(w, "languageButton")
    wait_for(qtbot, lambda: b.display.lang == "en")
    assert "no ticket needed" in text_of(w, "unavailableTitle")
    assert_plain(w)
    tap(w, "homeButton")
    wait_for(qtbot, lambda: b.screen == "home" and find(w, "hallNotice"))
    assert_plain(w)
    # The server never issued anything.
    assert night_server.waiting(LICENCE) == 0


def test_a_clerk_leaving_between_guide_and_confirm_is_explained_not_raw(
    make_kiosk: Any, own_server: QueueServer, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = make_kiosk(kiosk_config(tmp_path, own_server, sim))
    w, b = kiosk.window, kiosk.backend
    wait_for(qtbot, lambda: b.health.issuingEnabled and find(w, "zone_business"))
    open_licence_guide(kiosk, qtbot)
    tap(w, "takeTicketButton")  # windows 01 and 02 are staffed: a ticket can be taken
    wait_for(qtbot, lambda: b.screen == "identity")
    sim.reader.present(0)
    wait_for(qtbot, lambda: b.screen == "confirm")
    # The clerks of both windows that serve licences (01, and 02 as a backup) leave.
    for window in ("01", "02"):
        url = f"{own_server.url}/api/v1/halls/xiqu/windows/{window}/sign-out"
        assert requests.post(url, headers=own_server.clerk(window), timeout=5).status_code == 204
    tap(w, "confirmButton")
    wait_for(qtbot, lambda: b.screen == "unavailable" and find(w, "unavailableTitle"))
    assert "没有工作人员" in text_of(w, "unavailableTitle")
    assert "咨询台" in text_of(w, "unavailableNext")
    assert_plain(w)
    assert own_server.waiting(LICENCE) == 0
    # Back on the guide, the item now says so before anyone presents a card again.
    tap(w, "backButton")
    wait_for(
        qtbot, lambda: b.screen == "guide" and "工作人员" in find(w, "takeTicketButton").property("subText")
    )
