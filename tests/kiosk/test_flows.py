"""The citizen's flows, driven through the real QML against a real queue server and simulated devices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests

from tests.kiosk.conftest import both_databases, both_databases_shared, kiosk_config
from tests.kiosk.qml_driver import find, screenshot, tap, text_of, wait_for

LICENCE = "510403-XK-SC-001"  # 营业执照（企业设立）, zone "business", ID required
CARD_NUMBER = "11010519491231002X"  # first card of drivers/sim/cards.example.json (李秀英)


def start_ready(make_kiosk: Any, cfg: Any, qtbot: Any, **options: Any) -> Any:
    kiosk = make_kiosk(cfg, **options)
    wait_for(qtbot, lambda: kiosk.backend.health.serverOnline and kiosk.backend.health.issuingEnabled)
    wait_for(qtbot, lambda: find(kiosk.window, "zone_business"))
    return kiosk


def open_licence_guide(kiosk: Any, qtbot: Any) -> None:
    tap(kiosk.window, "zone_business")
    wait_for(qtbot, lambda: find(kiosk.window, f"service_{LICENCE}"))
    tap(kiosk.window, f"service_{LICENCE}")
    b = kiosk.backend
    wait_for(qtbot, lambda: b.screen == "guide" and b.catalogue.guide.get("materials"))


@both_databases_shared
def test_citizen_takes_a_ticket_with_an_id_card(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    open_licence_guide(kiosk, qtbot)
    tap(w, "takeTicketButton")
    wait_for(qtbot, lambda: b.screen == "identity" and find(w, "placeCardText"))
    sim.reader.present(0)
    wait_for(qtbot, lambda: b.screen == "confirm")
    shown = text_of(w, "confirmIdentity")
    assert "李*" in shown and CARD_NUMBER not in shown and "1101" in shown  # masked, never in full
    jobs_before = len(sim.printer.jobs)
    tap(w, "confirmButton")
    wait_for(qtbot, lambda: b.screen == "ticket" and find(w, "ticketNumber"))
    number = text_of(w, "ticketNumber")
    assert number.startswith("B")
    assert "前面还有 0 人" in text_of(w, "ticketAhead")
    assert "请取走小票" in text_of(w, "printState")
    qr = find(w, "ticketQr")
    assert qr is not None and qr.property("loaded")  # the e-ticket QR is on screen
    # The printer got exactly one more job, and it carries the number in GB18030.
    wait_for(qtbot, lambda: len(sim.printer.jobs) == jobs_before + 1)
    assert number.encode("gb18030") in sim.printer.jobs[-1]
    # The server knows the ticket, and it knows it came with an ID card (priority for a 1949 birth).
    public = queue_server.get(f"/api/v1/halls/xiqu/public/tickets/by-number/{number}")
    assert public["status"] == "waiting" and public["service"] == LICENCE
    tap(w, "doneButton")
    wait_for(qtbot, lambda: b.screen == "home")
    assert b.session.card is None and b.identity.identity["source"] == "none"


def test_keypad_validates_the_check_digit_then_issues(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    open_licence_guide(kiosk, qtbot)
    tap(w, "takeTicketButton")
    wait_for(qtbot, lambda: find(w, "useKeypadButton"))
    tap(w, "useKeypadButton")
    wait_for(qtbot, lambda: find(w, "key_1"))
    wrong = "120103198806018242"  # last digit off by one
    for ch in wrong:
        tap(w, f"key_{ch}")
    assert b.identity.keypadText == wrong
    tap(w, "keypadOk")
    assert "校验不通过" in text_of(w, "keypadError")
    assert b.screen == "keypad"
    tap(w, "key_del")
    tap(w, "key_1")
    tap(w, "keypadOk")
    wait_for(qtbot, lambda: b.screen == "confirm")
    assert "1201**********8241" in text_of(w, "confirmIdentity")
    waiting_before = queue_server.waiting(LICENCE)
    tap(w, "confirmButton")
    wait_for(qtbot, lambda: b.screen == "ticket")
    assert queue_server.waiting(LICENCE) == waiting_before + 1


def test_x_is_accepted_only_as_the_check_character(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot)
    b = kiosk.backend
    b.identity.keypadPress("X")
    assert b.identity.keypadText == ""
    for ch in CARD_NUMBER:
        b.identity.keypadPress(ch)
    assert b.identity.keypadText == CARD_NUMBER


def test_printer_out_of_paper_stops_issuing_and_tells_the_server(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    sim.printer.set_paper("out")
    wait_for(qtbot, lambda: not b.health.issuingEnabled)
    wait_for(qtbot, lambda: find(w, "bannerText"))
    assert "打印纸已用完" in text_of(w, "bannerText")
    screenshot(w, "paper-out_zh_portrait")
    # The server was told at once (a heartbeat went out with issuing disabled).
    assert b.health.last_heartbeat is not None and b.health.last_heartbeat["issuing_enabled"] is False
    beat = b.health.last_heartbeat
    assert beat["printer_paper"] == "out" and beat["printer_ready"] is False
    wait_for(qtbot, lambda: b.health.last_heartbeat_status == 204)  # accepted by the server
    open_licence_guide(kiosk, qtbot)
    # The touch is decided before identity: a screen that says why and what to do, no dead button.
    tap(w, "takeTicketButton")
    wait_for(qtbot, lambda: b.screen == "unavailable" and find(w, "unavailableDetail"))
    assert "打印纸已用完" in text_of(w, "unavailableDetail")
    assert "其他取号机" in text_of(w, "unavailableNext")
    sim.printer.set_paper("ok")
    wait_for(qtbot, lambda: b.health.issuingEnabled)
    tap(w, "backButton")
    wait_for(qtbot, lambda: b.screen == "guide" and find(w, "takeTicketButton"))
    tap(w, "takeTicketButton")
    wait_for(qtbot, lambda: b.screen == "identity")


def test_paper_running_out_just_before_confirm_issues_no_ticket(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    # A printer poll far in the future: only the check made at the confirm touch can notice.
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot, printer_poll_ms=600000)
    b = kiosk.backend
    open_licence_guide(kiosk, qtbot)
    tap(kiosk.window, "takeTicketButton")
    sim.reader.present(1)
    wait_for(qtbot, lambda: b.screen == "confirm")
    waiting_before = queue_server.waiting(LICENCE)
    sim.printer.set_paper("out")
    tap(kiosk.window, "confirmButton")
    wait_for(qtbot, lambda: b.screen == "unavailable" and find(kiosk.window, "unavailableDetail"))
    assert "打印纸已用完" in text_of(kiosk.window, "unavailableDetail")
    assert queue_server.waiting(LICENCE) == waiting_before  # no phantom ticket


def test_print_failure_after_issuing_shows_the_e_ticket(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    # A printer device node that cannot be opened: its status is unknown (so issuing is allowed),
    # and the job fails after the ticket exists.
    cfg = kiosk_config(tmp_path, queue_server, sim).with_values(
        {"printer.url": f"file://{tmp_path}/no-such-dir/lp0"}
    )
    kiosk = start_ready(make_kiosk, cfg, qtbot)
    w, b = kiosk.window, kiosk.backend
    open_licence_guide(kiosk, qtbot)
    tap(w, "takeTicketButton")
    sim.reader.present(0)
    wait_for(qtbot, lambda: b.screen == "confirm")
    tap(w, "confirmButton")
    wait_for(qtbot, lambda: b.screen == "ticket" and find(w, "ticketNumber"))
    number = text_of(w, "ticketNumber")
    assert "打印失败" in text_of(w, "printState")
    assert find(w, "ticketQr").property("loaded")
    assert b.health.print_failures == 1
    screenshot(w, "ticket-print-failed_zh_portrait")
    # The ticket is real: the citizen keeps their place.
    assert queue_server.get(f"/api/v1/halls/xiqu/public/tickets/by-number/{number}")["status"] == "waiting"
    wait_for(
        qtbot,
        lambda: (
            b.health.last_heartbeat is not None
            and "last job failed (1 in total)" in b.health.last_heartbeat["printer_detail"]
        ),
    )
    wait_for(qtbot, lambda: b.health.last_heartbeat_status == 204)


def test_server_down_then_back(
    make_kiosk: Any, own_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    queue_server = own_server
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    other = "510403-XK-SC-002"
    wait_for(qtbot, lambda: b.cache.guide(other) is not None)  # guides are prefetched for offline use
    assert "等候" in find(w, "zone_business").property("subText")  # the zone's live count, while online
    queue_server.stop()
    wait_for(qtbot, lambda: not b.health.serverOnline)
    wait_for(qtbot, lambda: find(w, "bannerText"))
    assert "暂时无法取号" in text_of(w, "bannerText")
    # The zones' last waiting counts are stale with the server gone: not shown.
    assert "等候" not in find(w, "zone_business").property("subText")
    screenshot(w, "server-down_zh_portrait")
    # The catalogue and a guide never opened before are still there, from the cache.
    tap(w, "zone_business")
    wait_for(qtbot, lambda: find(w, f"service_{other}"))
    tap(w, f"service_{other}")
    wait_for(qtbot, lambda: b.screen == "guide" and b.catalogue.guide.get("materials"))
    assert find(w, "guideCacheNote") is not None
    tap(w, "takeTicketButton")
    wait_for(qtbot, lambda: b.screen == "unavailable" and find(w, "unavailableDetail"))
    assert "服务器连接中断" in text_of(w, "unavailableDetail")
    queue_server.start()  # same port, same database
    wait_for(qtbot, lambda: b.health.serverOnline and b.health.issuingEnabled, timeout=15000)
    assert find(w, "bannerText") is None
    tap(w, "backButton")
    wait_for(qtbot, lambda: b.screen == "guide" and find(w, "takeTicketButton"))
    tap(w, "backButton")  # the zone's items: their waiting counts are back
    wait_for(qtbot, lambda: b.screen == "services" and find(w, f"service_{other}"))
    wait_for(qtbot, lambda: "等候" in find(w, f"service_{other}").property("subText"))
    tap(w, f"service_{other}")
    wait_for(qtbot, lambda: b.screen == "guide" and find(w, "takeTicketButton"))
    tap(w, "takeTicketButton")
    sim.reader.present(0)
    wait_for(qtbot, lambda: b.screen == "confirm")
    tap(w, "confirmButton")
    wait_for(qtbot, lambda: b.screen == "ticket")


@both_databases
def test_issue_retries_with_the_same_key_never_twice(own_server: Any, tmp_path: Path) -> None:
    from kiosk.api import ApiClient, NetworkError

    queue_server = own_server
    client = ApiClient(queue_server.url, "xiqu", queue_server.kiosk_token, timeout_s=2)
    card = {"id_number": CARD_NUMBER, "name": "李秀英", "birth_date": "1949-12-31", "card_type": "resident"}
    first = client.issue_ticket(LICENCE, "retry-key-0001", card)
    again = client.issue_ticket(LICENCE, "retry-key-0001", card)  # e.g. the answer was lost
    assert again["id"] == first["id"] and again["number"] == first["number"]
    # While the server is down the request is retried, then reported; nothing is invented.
    queue_server.stop()
    sleeps: list[float] = []
    try:
        client.issue_ticket(LICENCE, "retry-key-0002", card, sleep=sleeps.append)
    except NetworkError:
        pass
    else:
        raise AssertionError("no error while the server is down")
    assert len(sleeps) == 4
    queue_server.start()
    later = client.issue_ticket(LICENCE, "retry-key-0002", card)
    assert later["number"] != first["number"]
    assert requests.get(queue_server.url + "/healthz", timeout=2).ok


def test_idle_timeout_returns_home_and_wipes_the_id_data(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    cfg = kiosk_config(tmp_path, queue_server, sim, idle_timeout_s=10)
    # A long tick while the citizen acts, then a short one: ten "seconds" pass in a fraction of one.
    kiosk = start_ready(make_kiosk, cfg, qtbot, idle_tick_ms=60000)
    w, b = kiosk.window, kiosk.backend
    open_licence_guide(kiosk, qtbot)
    tap(w, "takeTicketButton")
    sim.reader.present(0)
    wait_for(qtbot, lambda: b.screen == "confirm")
    assert b.session.card is not None and b.session.card.id_number == CARD_NUMBER
    b.idle.set_tick_ms(30)
    b.touched()
    # First the warning with its countdown (the session is still there), then Home.
    wait_for(qtbot, lambda: find(w, "idleCountdown"), timeout=5000)
    assert b.screen == "confirm" and b.session.card is not None
    assert "秒后返回首页" in text_of(w, "idleCountdown")
    wait_for(qtbot, lambda: b.screen == "home", timeout=5000)
    assert find(w, "idleOverlay") is None
    assert b.session.card is None and b.session.manual_id is None and b.session.service_code is None
    assert b.identity.identity == {"source": "none", "name": "", "idNumber": ""}
    assert not find(w, "confirmIdentity")
    log_text = (Path(cfg.log_dir()) / "kiosk.log").read_text(encoding="utf-8")
    assert CARD_NUMBER not in log_text and "李秀英" not in log_text


def test_a_touch_keeps_the_session_alive(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    cfg = kiosk_config(tmp_path, queue_server, sim, idle_timeout_s=10)
    kiosk = start_ready(make_kiosk, cfg, qtbot, idle_tick_ms=60000)
    w, b = kiosk.window, kiosk.backend
    open_licence_guide(kiosk, qtbot)
    b.idle.set_tick_ms(40)
    b.touched()
    wait_for(qtbot, lambda: find(w, "idleContinue"), timeout=5000)  # the warning, with its button
    with qtbot.assertNotEmitted(b.idle.expired, wait=0):
        tap(w, "idleContinue")
    assert b.screen == "guide" and b.idle.secondsLeft >= 9 and find(w, "idleOverlay") is None
    wait_for(qtbot, lambda: find(w, "idleContinue"), timeout=5000)  # counting again from 10
    b.idle.set_tick_ms(60000)
    tap(w, "guideFlick")  # any touch, even on plain text, keeps the session too
    assert b.screen == "guide" and find(w, "idleOverlay") is None and b.idle.secondsLeft == 10


def test_look_up_a_ticket_by_scanning_and_by_typing(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    from kiosk.api import ApiClient

    ticket = ApiClient(queue_server.url, "xiqu", queue_server.kiosk_token).issue_ticket(
        "510403-XK-SC-001",
        f"lookup-key-{tmp_path.name}",
        {"id_number": CARD_NUMBER, "name": "李秀英", "card_type": "resident"},
    )
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    sim.scanner.scan(ticket["status_url"])
    wait_for(qtbot, lambda: b.screen == "lookupResult")
    assert text_of(w, "lookupNumber") == ticket["number"]
    assert "等候中" in text_of(w, "lookupStatus")
    tap(w, "homeButton")
    wait_for(qtbot, lambda: find(w, "lookupButton"))
    tap(w, "lookupButton")
    wait_for(qtbot, lambda: find(w, "prefix_B"))
    tap(w, "prefix_B")
    for ch in ticket["number"][1:]:
        tap(w, f"lookupKey_{ch}")
    tap(w, "lookupSubmit")
    wait_for(qtbot, lambda: b.screen == "lookupResult")
    assert text_of(w, "lookupNumber") == ticket["number"]
    tap(w, "backButton")
    wait_for(qtbot, lambda: find(w, "prefix_B"))
    tap(w, "lookupKey_clear")
    for ch in "B999":
        tap(w, f"prefix_{ch}" if ch.isalpha() else f"lookupKey_{ch}")
    tap(w, "lookupSubmit")
    wait_for(qtbot, lambda: "没有找到" in (text_of(w, "lookupMessage") if find(w, "lookupMessage") else ""))


def test_print_the_materials_list(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot)
    open_licence_guide(kiosk, qtbot)
    before = len(sim.printer.jobs)
    tap(kiosk.window, "printNoticeButton")
    wait_for(qtbot, lambda: len(sim.printer.jobs) == before + 1)
    assert "公司章程".encode("gb18030") in sim.printer.jobs[-1]
    wait_for(qtbot, lambda: "已打印" in text_of(kiosk.window, "guideMessage"))


def test_reader_unplugged_then_back(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    from drivers.sim import VirtualIdCardReader
    from tests.kiosk.conftest import CARDS_FILE

    # A stable name for the port, as the udev rule gives the real reader.
    reader = VirtualIdCardReader(cards_file=str(CARDS_FILE), link=str(tmp_path / "idcard"))
    reader.start()
    try:
        cfg = kiosk_config(tmp_path, queue_server, sim).with_values({"reader.port": reader.port})
        kiosk = start_ready(make_kiosk, cfg, qtbot)
        w, b = kiosk.window, kiosk.backend
        open_licence_guide(kiosk, qtbot)
        tap(w, "takeTicketButton")
        wait_for(qtbot, lambda: find(w, "placeCardText"))
        reader.unplug()
        wait_for(qtbot, lambda: b.identity.readerState == "error")
        wait_for(qtbot, lambda: "读卡器故障" in text_of(w, "placeCardText"))
        assert b.health.heartbeat_payload()["reader"] == "error"
        reader.replug()
        wait_for(qtbot, lambda: b.identity.readerState == "ok")
        reader.present(0)
        wait_for(qtbot, lambda: b.screen == "confirm")
    finally:
        reader.stop()


def test_network_failure_at_confirm_then_retry_gives_exactly_one_ticket(
    make_kiosk: Any, own_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, own_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    open_licence_guide(kiosk, qtbot)
    tap(w, "takeTicketButton")
    sim.reader.present(0)
    wait_for(qtbot, lambda: b.screen == "confirm")
    key = b.session.issue_key()
    own_server.stop()
    b.confirm()  # the touch, as the connection drops
    wait_for(qtbot, lambda: b.screen == "error", timeout=20000)
    assert "网络中断" in text_of(w, "errorText")
    assert find(w, "retryButton") is not None
    screenshot(w, "issue-network-error_zh_portrait")
    assert b.session.idempotency_key == key and b.session.card is not None
    own_server.start()
    tap(w, "retryButton")
    wait_for(qtbot, lambda: b.screen == "ticket", timeout=15000)
    number = b.issuing.ticket["number"]
    # Once more with the same key (as if the answer had been lost): the same ticket, not a second one.
    from kiosk.api import ApiClient

    again = ApiClient(own_server.url, "xiqu", own_server.kiosk_token).issue_ticket(
        LICENCE, key, b.session.id_card_payload()
    )
    assert again["number"] == number
    assert own_server.waiting(LICENCE) == 1


def test_skip_identity_only_where_the_item_allows_it(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    open_licence_guide(kiosk, qtbot)
    tap(w, "takeTicketButton")
    wait_for(qtbot, lambda: find(w, "useKeypadButton"))
    assert find(w, "skipIdentityButton") is None  # the licence needs an ID
    b.skipIdentity()  # even if called anyway
    assert b.screen == "identity"
    tap(w, "homeButton")
    consulting = "510403-GG-ZW-001"  # 综合咨询: no ID needed
    wait_for(qtbot, lambda: find(w, "zone_consulting"))
    tap(w, "zone_consulting")
    wait_for(qtbot, lambda: find(w, f"service_{consulting}"))
    tap(w, f"service_{consulting}")
    wait_for(qtbot, lambda: b.screen == "guide" and find(w, "takeTicketButton"))
    tap(w, "takeTicketButton")
    wait_for(qtbot, lambda: find(w, "skipIdentityButton"))
    tap(w, "skipIdentityButton")
    wait_for(qtbot, lambda: b.screen == "confirm")
    assert "未验证" in text_of(w, "confirmIdentity")
    tap(w, "confirmButton")
    wait_for(qtbot, lambda: b.screen == "ticket")
    public = queue_server.get(f"/api/v1/halls/xiqu/public/tickets/by-number/{b.issuing.ticket['number']}")
    assert public["service"] == consulting


def test_per_person_daily_limit_is_explained(
    make_kiosk: Any, own_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    from kiosk.api import ApiClient

    client = ApiClient(own_server.url, "xiqu", own_server.kiosk_token)
    person = {"id_number": CARD_NUMBER, "name": "李秀英", "card_type": "resident"}
    for n in (1, 2):  # the example hall allows two licence tickets per person and day
        client.issue_ticket(LICENCE, f"limit-key-000{n}", person)
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, own_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    open_licence_guide(kiosk, qtbot)
    tap(w, "takeTicketButton")
    sim.reader.present(0)
    wait_for(qtbot, lambda: b.screen == "confirm")
    tap(w, "confirmButton")
    wait_for(qtbot, lambda: b.screen == "error")
    assert "最多取号 2 次" in text_of(w, "errorText")
    assert "已取的号仍然有效" in text_of(w, "errorText")  # and what to do next
    assert find(w, "retryButton") is None  # retrying cannot help
    assert own_server.waiting(LICENCE) == 2
    screenshot(w, "limit-reached_zh_portrait")
    # In English too: the server's own words, naming the item, never its code.
    tap(w, "languageButton")
    wait_for(qtbot, lambda: "at most 2 tickets a day for Business licence" in text_of(w, "errorText"))
    assert LICENCE not in text_of(w, "errorText")


def test_rate_a_finished_ticket_by_scanning_it(
    make_kiosk: Any, own_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    from kiosk.api import ApiClient

    clerk = own_server.clerk("01")
    card = {"id_number": CARD_NUMBER, "name": "李秀英", "card_type": "resident"}
    ticket = ApiClient(own_server.url, "xiqu", own_server.kiosk_token).issue_ticket(
        LICENCE, "rate-key-1", card
    )
    api = f"{own_server.url}/api/v1"
    called = requests.post(f"{api}/halls/xiqu/windows/01/call-next", headers=clerk, timeout=5).json()
    assert called["number"] == ticket["number"]
    for action in ("start", "finish"):
        requests.post(f"{api}/tickets/{ticket['id']}/{action}", headers=clerk, timeout=5).raise_for_status()
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, own_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    # Typed by number: no token, so no rating (anyone can type a number).
    tap(w, "lookupButton")
    wait_for(qtbot, lambda: find(w, "prefix_B"))
    tap(w, "prefix_B")
    for ch in ticket["number"][1:]:
        tap(w, f"lookupKey_{ch}")
    tap(w, "lookupSubmit")
    wait_for(qtbot, lambda: b.screen == "lookupResult" and find(w, "lookupStatus"))
    assert "已办结" in text_of(w, "lookupStatus") and find(w, "rate_5") is None
    # Scanned from the ticket's QR code: the holder rates it, once.
    sim.scanner.scan(ticket["status_url"])
    wait_for(qtbot, lambda: find(w, "rate_5"))
    tap(w, "rate_5")
    wait_for(qtbot, lambda: find(w, "lookupMessage") and "感谢" in text_of(w, "lookupMessage"))
    assert find(w, "rate_5") is None
    sim.scanner.scan(ticket["status_url"])
    wait_for(qtbot, lambda: find(w, "rate_4"))
    tap(w, "rate_4")
    wait_for(qtbot, lambda: find(w, "lookupMessage") and "已评价" in text_of(w, "lookupMessage"))
