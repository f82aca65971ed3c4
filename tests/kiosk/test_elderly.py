"""The kiosk for an elderly citizen: take-your-card reminder with a chime, the priority mark on screen
and paper, the idle warning's Continue, the keypad's Clear key, toggles that stay buttons, a hall name
that fits, and server text shown as plain text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtQuick import QQuickItem

from tests.kiosk.conftest import kiosk_config
from tests.kiosk.qml_driver import doc_screenshot, find, tap, text_of, wait_for, walk
from tests.kiosk.test_flows import open_licence_guide, start_ready

CONSULTING = "510403-GG-ZW-001"  # 综合咨询: these tests leave the licence queue to test_flows' counts


def open_consulting_guide(kiosk: Any, qtbot: Any) -> None:
    tap(kiosk.window, "zone_consulting")
    wait_for(qtbot, lambda: find(kiosk.window, f"service_{CONSULTING}"))
    tap(kiosk.window, f"service_{CONSULTING}")
    wait_for(
        qtbot, lambda: kiosk.backend.screen == "guide" and kiosk.backend.catalogue.guide.get("materials")
    )


def test_after_printing_take_your_card_with_a_chime_and_the_priority_mark(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    open_consulting_guide(kiosk, qtbot)
    tap(w, "takeTicketButton")
    wait_for(qtbot, lambda: b.screen == "identity")
    sim.reader.present(0)  # 李秀英, born 1949: the priority lane applies (hall priority_age 70)
    wait_for(qtbot, lambda: b.screen == "confirm")
    jobs = len(sim.printer.jobs)
    tap(w, "confirmButton")
    wait_for(qtbot, lambda: b.screen == "ticket" and find(w, "takeCardText"))
    assert text_of(w, "takeCardText") == "请取回您的身份证\nPlease take your ID card"
    assert b.issuing.chime.requested == 1  # played where Qt Multimedia exists; never a crash where not
    assert b.issuing.chime.path.read_bytes()[:4] == b"RIFF"
    mark = find(w, "priorityMark")
    assert mark is not None and any("优先" in str(i.property("text") or "") for i in walk(mark))
    wait_for(qtbot, lambda: len(sim.printer.jobs) == jobs + 1)
    assert "优先".encode("gb18030") in sim.printer.jobs[-1]
    qtbot.wait(150)
    doc_screenshot(w, "kiosk-take-your-card")


def test_no_card_no_reminder_and_no_priority_for_a_young_citizen(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    open_consulting_guide(kiosk, qtbot)
    tap(w, "takeTicketButton")
    tap(w, "useKeypadButton")
    wait_for(qtbot, lambda: find(w, "key_1"))
    for ch in "120103198806018241":  # born 1988, typed: no card to forget, no priority
        tap(w, f"key_{ch}")
    tap(w, "keypadOk")
    wait_for(qtbot, lambda: b.screen == "confirm")
    tap(w, "confirmButton")
    wait_for(qtbot, lambda: b.screen == "ticket" and find(w, "ticketNumber"))
    assert find(w, "takeCardText") is None and find(w, "priorityMark") is None
    assert b.issuing.chime.requested == 0


def test_the_keypad_has_a_clear_key(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    open_licence_guide(kiosk, qtbot)
    tap(w, "takeTicketButton")
    tap(w, "useKeypadButton")
    wait_for(qtbot, lambda: find(w, "key_clear"))
    for ch in "1201031988":
        tap(w, f"key_{ch}")
    assert b.identity.keypadText == "1201031988"
    tap(w, "key_clear")
    assert b.identity.keypadText == ""
    assert text_of(w, "keypadDisplay") == ""


def test_the_idle_warning_counts_down_and_continue_keeps_the_session(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    cfg = kiosk_config(tmp_path, queue_server, sim, idle_timeout_s=10)
    kiosk = start_ready(make_kiosk, cfg, qtbot, idle_tick_ms=60000)
    w, b = kiosk.window, kiosk.backend
    open_licence_guide(kiosk, qtbot)
    tap(w, "takeTicketButton")
    sim.reader.present(0)
    wait_for(qtbot, lambda: b.screen == "confirm")
    b.idle.set_tick_ms(40)
    b.touched()
    wait_for(qtbot, lambda: find(w, "idleContinue"), timeout=5000)
    b.idle.set_tick_ms(60000)  # hold the countdown still for the picture
    assert "秒后返回首页" in text_of(w, "idleCountdown")
    doc_screenshot(w, "kiosk-idle-warning")
    tap(w, "idleContinue")
    assert find(w, "idleOverlay") is None
    assert b.screen == "confirm" and b.session.card is not None  # nothing was wiped
    b.idle.set_tick_ms(20)
    b.touched()
    wait_for(qtbot, lambda: b.screen == "home", timeout=5000)
    assert b.session.card is None


def test_toggles_stay_buttons_when_on(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    for name in ("largeTextButton", "contrastButton"):
        button = find(w, name)
        assert button.property("checked") is False
        tap(w, name)
    wait_for(qtbot, lambda: b.display.largeText and b.display.highContrast)
    for name in ("largeTextButton", "contrastButton"):
        button = find(w, name)
        assert button.property("checked") is True
        # a frame in the text colour, thicker than any other button's, and a tick before the label
        assert button.property("frameWidth") >= 6  # thicker than any other button's frame
        label = next(
            i for i in walk(button) if i is not button and str(i.property("text") or "").startswith("✓")
        )
        assert label is not None


def fits(item: QQuickItem) -> bool:
    return not item.property("truncated") and item.property("contentWidth") <= item.width() + 1


def test_the_hall_name_fits_on_one_line_in_chinese_and_two_in_english(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot)
    w, b = kiosk.window, kiosk.backend
    for large in (False, True):
        if b.display.largeText != large:
            tap(w, "largeTextButton")
        for lang in ("zh", "en"):
            b.display.setLanguage(lang)
            qtbot.wait(50)
            name = find(w, "hallName")
            full = b.catalogue.hallName
            assert name.property("text") == full and full
            assert name.property("lineCount") <= (1 if lang == "zh" else 2), (lang, large)
            assert fits(name), (lang, large, name.property("contentWidth"), name.width())
            assert name.property("fontInfo").property("pixelSize").toInt() >= 16


def test_server_text_is_shown_as_plain_text(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = start_ready(make_kiosk, kiosk_config(tmp_path, queue_server, sim), qtbot)
    w = kiosk.window
    open_licence_guide(kiosk, qtbot)
    # Every text item on screen (a QQuickText has textFormat) is the KText with PlainText.
    texts = [i for i in walk(w.contentItem()) if i.metaObject().indexOfProperty("textFormat") >= 0]
    assert len(texts) > 20
    rich = [i.property("text") for i in texts if i.property("plainText") is not True]
    assert rich == []
