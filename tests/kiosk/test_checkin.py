"""Appointment check-in (预约签到) and rejoining after a missed call (过号), through the real QML against a
real server whose clock starts on a Wednesday at 10:05 (hall time) and runs on: the 10:30 slot is open
for check-in (from 10:00), the 11:30 one is not yet (from 11:00)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.id_cases import resident_number
from tests.kiosk.conftest import QueueServer, _database, kiosk_config
from tests.kiosk.qml_driver import doc_screenshot, find, tap, text_of, wait_for
from tests.kiosk.test_flows import CARD_NUMBER, LICENCE, start_ready

PENSION = "510403-GG-RS-004"  # 养老待遇资格认证: takes bookings, 30-minute slots
WEDNESDAY = "2026-12-02"
START = f"{WEDNESDAY}T10:05:00+08:00"
RULE = "过号后 15 分钟内"  # the hall's missed-call rule (reactivate_min = 15), as the server words it


# A client of the HTTP API: on SQLite (the server's own tests run on both databases; see conftest).
@pytest.fixture(params=["sqlite"])
def hall_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[QueueServer]:
    with _database(request.param, tmp_path) as db:
        server = QueueServer(tmp_path, db=db, clock_start=START, reactivate_min=15)
        server.start()
        yield server
        server.stop()


def book(server: QueueServer, id_number: str, start: str) -> dict[str, Any]:
    """A booking made online (the citizen's phone), for today's slot starting at `start` ("10:30")."""
    body = {
        "service": PENSION,
        "slot_start": f"{WEDNESDAY}T{start}:00+08:00",
        "id_card": {"id_number": id_number, "name": "黄二"},
        "phone": "13512345678",
        "idempotency_key": uuid.uuid4().hex,
    }
    resp = requests.post(f"{server.url}/api/v1/halls/xiqu/appointments", json=body, timeout=10)
    assert resp.status_code == 201, resp.text
    return resp.json()


def jobs_text(sim: Any, first: int) -> str:
    return "".join(job.decode("gb18030", errors="replace") for job in sim.printer.jobs[first:])


@pytest.mark.parametrize("hall_server", ["sqlite", "postgres"], indirect=True)
def test_check_in_by_id_card_on_time_then_one_slip_per_touch(
    make_kiosk: Any, hall_server: QueueServer, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    booking = book(hall_server, CARD_NUMBER, "10:30")
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, hall_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    wait_for(qtbot, lambda: find(w, "checkinButton"))
    doc_screenshot(w, "kiosk-home-checkin")
    tap(w, "languageButton")  # three buttons in a row: the English words must fit too
    wait_for(qtbot, lambda: find(w, "checkinButton").property("text") == "Appointment check-in")
    doc_screenshot(w, "kiosk-home-checkin-en")
    tap(w, "languageButton")
    tap(w, "checkinButton")
    wait_for(qtbot, lambda: b.screen == "checkin" and find(w, "checkinPlaceCard"))
    doc_screenshot(w, "kiosk-checkin")
    jobs = len(sim.printer.jobs)
    sim.reader.present(0)
    wait_for(qtbot, lambda: b.screen == "checkinTicket" and find(w, "ticketNumber"))
    assert "签到成功" in text_of(w, "checkinOutcome")
    assert text_of(w, "appointmentMark") == "预约 10:30-11:00"
    assert find(w, "takeCardPanel") is not None  # a card was read: take it back
    assert RULE in text_of(w, "missedRule")
    number = text_of(w, "ticketNumber")
    # Exactly one ticket printed: the number, the 预约 mark with the slot, the hall's missed-call rule.
    wait_for(qtbot, lambda: len(sim.printer.jobs) == jobs + 1)
    printed = jobs_text(sim, jobs)
    assert number in printed and "【预约 10:30-11:00】" in printed
    assert RULE in printed and "过号请重新取号" not in printed
    assert CARD_NUMBER not in printed and "李秀英" not in printed
    public = hall_server.get(f"/api/v1/halls/xiqu/public/tickets/by-number/{number}")
    assert public["status"] == "waiting" and public["service"] == PENSION
    doc_screenshot(w, "kiosk-checkin-on-time")

    # The slip: one touch, one slip; the button is gone while it prints and after.
    tap(w, "printSlipButton")
    assert find(w, "printSlipButton") is None
    b.checkin.printSlip()  # a second touch that got through anyway does nothing
    wait_for(qtbot, lambda: "已打印" in text_of(w, "slipMessage"))
    wait_for(qtbot, lambda: b.worker.pending() == 0)
    assert len(sim.printer.jobs) == jobs + 2
    slip = jobs_text(sim, jobs + 1)
    assert "预约凭条" in slip and booking["code"] in slip and "10:00-10:45" in slip  # the hall's window
    assert find(w, "printSlipButton") is None

    # In English too, with the server's own reason.
    tap(w, "languageButton")
    wait_for(qtbot, lambda: text_of(w, "checkinOutcome").startswith("Checked in"))
    assert text_of(w, "appointmentMark") == "Appointment 10:30-11:00"
    tap(w, "doneButton")
    wait_for(qtbot, lambda: b.screen == "home")
    assert b.checkin.ticket == {} and b.checkin._request == {}  # the ID number is gone

    # A card without a booking today: a plain explanation and what to do, no code, nothing printed.
    jobs = len(sim.printer.jobs)
    tap(w, "checkinButton")
    wait_for(qtbot, lambda: b.screen == "checkin")
    sim.reader.present(1)
    wait_for(qtbot, lambda: b.screen == "checkinRefused" and find(w, "checkinRefusalDetail"))
    assert "没有找到您今天在本大厅的预约" in text_of(w, "checkinRefusalDetail")
    assert "取号" in text_of(w, "checkinRefusalNext")
    shown = text_of(w, "checkinRefusalTitle") + text_of(w, "checkinRefusalDetail")
    assert "no_booking" not in shown and find(w, "printSlipButton") is None and find(w, "retryButton") is None
    assert len(sim.printer.jobs) == jobs
    doc_screenshot(w, "kiosk-checkin-no-booking")
    log_text = (Path(kiosk.backend.cfg.log_dir()) / "kiosk.log").read_text(encoding="utf-8")
    assert CARD_NUMBER not in log_text and "120103198806018241" not in log_text


def test_scanned_booking_too_early_then_late(
    make_kiosk: Any, hall_server: QueueServer, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    booking = book(hall_server, resident_number(7), "11:30")
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, hall_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    jobs = len(sim.printer.jobs)
    # Scanned on Home (no button needed): too early, so when to come back, and no ticket.
    sim.scanner.scan(booking["booking_url"])
    wait_for(qtbot, lambda: b.screen == "checkinRefused" and find(w, "checkinComeBack"))
    assert "还没到签到时间" in text_of(w, "checkinRefusalTitle")
    assert "11:00" in text_of(w, "checkinComeBack")  # 30 min before the slot, hall time
    assert "11:30" in text_of(w, "checkinRefusalDetail")
    assert find(w, "retryButton") is None and find(w, "takeCardPanel") is None
    assert len(sim.printer.jobs) == jobs
    waiting = hall_server.waiting(PENSION)
    doc_screenshot(w, "kiosk-checkin-too-early")
    tap(w, "languageButton")
    wait_for(qtbot, lambda: text_of(w, "checkinRefusalTitle") == "Too early to check in")
    assert "11:00" in text_of(w, "checkinComeBack") and "不" not in text_of(w, "checkinRefusalDetail")
    tap(w, "languageButton")
    # The slip, to come back with: printed once.
    tap(w, "printSlipButton")
    wait_for(qtbot, lambda: "已打印" in text_of(w, "slipMessage"))
    assert len(sim.printer.jobs) == jobs + 1 and booking["code"] in jobs_text(sim, jobs)
    assert hall_server.waiting(PENSION) == waiting  # nothing was issued

    # Later than the slot's start + 15 min: an ordinary ticket, and the citizen is told why.
    hall_server.restart_at(f"{WEDNESDAY}T11:50:00+08:00")
    wait_for(qtbot, lambda: b.health.serverOnline, timeout=15000)
    tap(w, "homeButton")
    wait_for(qtbot, lambda: b.screen == "home")
    jobs = len(sim.printer.jobs)
    sim.scanner.scan(booking["booking_url"])
    wait_for(qtbot, lambda: b.screen == "checkinTicket" and find(w, "ticketNumber"), timeout=15000)
    assert "超过签到时间" in text_of(w, "checkinOutcome") and "普通号" in text_of(w, "checkinOutcome")
    assert find(w, "appointmentMark") is None and find(w, "takeCardPanel") is None
    wait_for(qtbot, lambda: len(sim.printer.jobs) == jobs + 1)
    assert "预约" not in jobs_text(sim, jobs) and text_of(w, "ticketNumber") in jobs_text(sim, jobs)
    doc_screenshot(w, "kiosk-checkin-late")


def test_missed_ticket_rejoins_the_queue_at_the_kiosk(
    make_kiosk: Any, hall_server: QueueServer, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    from kiosk.api import ApiClient

    api = ApiClient(hall_server.url, "xiqu", hall_server.kiosk_token)
    # Born in 1990: no priority lane, so the place after rejoining is the rule's alone.
    person = {"id_number": resident_number(1), "name": "黄一", "card_type": "resident"}
    missed = api.issue_ticket(LICENCE, "rejoin-key-1", person)
    for n in (2, 3):
        api.issue_ticket(LICENCE, f"rejoin-key-{n}", {**person, "id_number": resident_number(n)})
    clerk = hall_server.clerk("01")
    v1 = f"{hall_server.url}/api/v1"
    called = requests.post(f"{v1}/halls/xiqu/windows/01/call-next", headers=clerk, timeout=5).json()
    assert called["number"] == missed["number"]
    requests.post(f"{v1}/tickets/{missed['id']}/no-show", headers=clerk, timeout=5).raise_for_status()

    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, hall_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    # Typed by number: anyone can type a number, so no rejoining (only the rule).
    b.lookup.scanned(missed["number"])
    wait_for(qtbot, lambda: b.screen == "lookupResult" and find(w, "lookupMissedRule"))
    assert RULE in text_of(w, "lookupMissedRule") and find(w, "rejoinButton") is None
    # Scanned from the ticket's QR code: the holder may rejoin, until 15 min after the no-show.
    sim.scanner.scan(missed["status_url"])
    wait_for(qtbot, lambda: find(w, "rejoinButton"))
    assert "已过号" in text_of(w, "lookupStatus") and "前可重新排队一次" in text_of(w, "rejoinUntil")
    doc_screenshot(w, "kiosk-rejoin")
    tap(w, "rejoinButton")
    wait_for(qtbot, lambda: find(w, "lookupMessage") and "已重新排队" in text_of(w, "lookupMessage"))
    assert "前面还有 1 人" in text_of(w, "lookupMessage")  # behind the next waiting ticket (rejoin_behind)
    assert "等候中" in text_of(w, "lookupStatus") and find(w, "rejoinButton") is None
    public = hall_server.get(f"/api/v1/halls/xiqu/public/tickets/by-number/{missed['number']}")
    assert public["status"] == "waiting" and public["waiting_ahead"] == 1
    doc_screenshot(w, "kiosk-rejoined")
    # Only once: missed again, the server refuses and the kiosk offers nothing.
    again = requests.post(f"{v1}/halls/xiqu/windows/01/call-next", headers=clerk, timeout=5).json()
    while again["number"] != missed["number"]:
        requests.post(f"{v1}/tickets/{again['id']}/start", headers=clerk, timeout=5).raise_for_status()
        requests.post(f"{v1}/tickets/{again['id']}/finish", headers=clerk, timeout=5).raise_for_status()
        again = requests.post(f"{v1}/halls/xiqu/windows/01/call-next", headers=clerk, timeout=5).json()
    requests.post(f"{v1}/tickets/{missed['id']}/no-show", headers=clerk, timeout=5).raise_for_status()
    sim.scanner.scan(missed["status_url"])
    wait_for(qtbot, lambda: "已过号" in text_of(w, "lookupStatus"))
    assert find(w, "rejoinButton") is None and RULE in text_of(w, "lookupMissedRule")
