"""Every screen, in Chinese and English (portrait), saved as PNG to artifacts/kiosk/; plus the properties
every screen must have: CJK glyphs, 2 cm touch targets, three touches to any common item, landscape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage

from kiosk.app import cjk_font_family
from tests.kiosk.conftest import kiosk_config
from tests.kiosk.qml_driver import find, screenshot, shown, tap, wait_for, walk

LICENCE = "510403-XK-SC-001"
MIN_TOUCH_PX = 120  # ≥ 2 cm on any 1080p panel of 15.6" or more


def test_cjk_font_is_installed_and_has_the_glyphs(qapp: Any) -> None:
    family = cjk_font_family()
    assert family == "WenQuanYi Micro Hei" or family is not None
    metrics = QFontMetrics(QFont(family))
    for ch in "取号办事指南营业执照请将身份证放在读卡区":
        assert metrics.inFontUcs4(ord(ch)), ch


def ink_ratio(path: Path) -> float:
    """Share of pixels that differ from the top-left background: an empty (boxes-only) page is ~0."""
    image = QImage(str(path)).scaled(270, 480)
    bg = QColor(image.pixel(image.width() - 1, image.height() // 2))
    differ = sum(
        1 for y in range(image.height()) for x in range(image.width()) if QColor(image.pixel(x, y)) != bg
    )
    return differ / (image.width() * image.height())


def walk_all_screens(kiosk: Any, sim: Any, qtbot: Any, lang: str) -> list[Path]:
    w, b = kiosk.window, kiosk.backend
    shots: list[Path] = []

    def shot(name: str) -> None:
        qtbot.wait(150)  # let the loader and images settle
        shots.append(screenshot(w, f"{name}_{lang}_portrait"))

    if lang == "en":
        tap(w, "languageButton")
        wait_for(qtbot, lambda: b.display.lang == "en")
    shot("01-home")
    tap(w, "zone_business")
    wait_for(qtbot, lambda: find(w, f"service_{LICENCE}"))
    shot("02-services")
    tap(w, f"service_{LICENCE}")
    wait_for(qtbot, lambda: b.catalogue.guide.get("materials"))
    shot("03-guide")
    tap(w, "takeTicketButton")
    wait_for(qtbot, lambda: find(w, "placeCardText"))
    shot("04-identity")
    tap(w, "useKeypadButton")
    wait_for(qtbot, lambda: find(w, "key_1"))
    for ch in "12010319880601824":
        tap(w, f"key_{ch}")
    tap(w, "key_2")
    tap(w, "keypadOk")
    shot("05-keypad-error")
    tap(w, "key_del")
    tap(w, "key_1")
    tap(w, "keypadOk")
    wait_for(qtbot, lambda: b.screen == "confirm")
    shot("06-confirm")
    tap(w, "confirmButton")
    wait_for(qtbot, lambda: b.screen == "ticket" and find(w, "ticketQr").property("loaded"))
    shot("07-ticket")
    status_url = b.issuing.current_ticket()["status_url"]
    tap(w, "doneButton")
    wait_for(qtbot, lambda: find(w, "lookupButton"))
    if lang == "en":
        tap(w, "languageButton")  # Home starts every citizen in Chinese again
        wait_for(qtbot, lambda: b.display.lang == "en")
    tap(w, "lookupButton")
    wait_for(qtbot, lambda: find(w, "prefix_B"))
    tap(w, "prefix_B")
    shot("08-lookup")
    sim.scanner.scan(status_url)
    wait_for(qtbot, lambda: b.screen == "lookupResult")
    shot("09-lookup-result")
    tap(w, "homeButton")
    wait_for(qtbot, lambda: b.screen == "home" and find(w, "secretArea"))
    if lang == "en":
        tap(w, "languageButton")  # home resets to Chinese; switch again for the PIN pad
        wait_for(qtbot, lambda: b.display.lang == "en")
    for _ in range(5):
        tap(w, "secretArea")
    wait_for(qtbot, lambda: find(w, "pinKey_1"))
    shot("10-pin")
    for ch in "2468":
        tap(w, f"pinKey_{ch}")
    tap(w, "pinOk")
    wait_for(qtbot, lambda: find(w, "saveButton"))
    tap(w, "edit_server.url")
    wait_for(qtbot, lambda: find(w, "kb_a"))
    shot("11-maintenance")
    tap(w, "leaveButton")
    wait_for(qtbot, lambda: b.screen == "home")
    return shots


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_screenshots_of_every_screen(
    lang: str, make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = make_kiosk(kiosk_config(tmp_path, queue_server, sim))
    wait_for(qtbot, lambda: find(kiosk.window, "zone_business"))
    shots = walk_all_screens(kiosk, sim, qtbot, lang)
    assert len(shots) == 11
    for path in shots:
        assert path.stat().st_size > 10_000, path
        assert ink_ratio(path) > 0.02, f"{path.name} looks empty"


def test_large_text_and_high_contrast(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = make_kiosk(kiosk_config(tmp_path, queue_server, sim))
    w, b = kiosk.window, kiosk.backend
    wait_for(qtbot, lambda: find(w, "zone_business"))
    normal = find(w, "homePrompt").property("font").pixelSize()
    tap(w, "largeTextButton")
    tap(w, "contrastButton")
    wait_for(qtbot, lambda: b.display.largeText and b.display.highContrast)
    assert find(w, "homePrompt").property("font").pixelSize() >= normal * 1.25
    assert QColor(w.color()).name() == "#000000"
    screenshot(w, "12-home-large-contrast_zh_portrait")
    tap(w, "zone_business")
    wait_for(qtbot, lambda: find(w, "homeButton"))
    tap(w, "homeButton")
    wait_for(qtbot, lambda: b.screen == "home")
    assert not b.display.largeText and not b.display.highContrast  # the next citizen starts with the defaults


def test_touch_targets_are_at_least_two_centimetres(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = make_kiosk(kiosk_config(tmp_path, queue_server, sim))
    w, b = kiosk.window, kiosk.backend
    wait_for(qtbot, lambda: find(w, "zone_business"))

    def check_screen() -> int:
        buttons = [
            i
            for i in walk(w.contentItem())
            if shown(i) and i.property("primary") is not None and i.property("subText") is not None
        ]
        for item in buttons:
            assert item.width() >= MIN_TOUCH_PX and item.height() >= MIN_TOUCH_PX, (
                b.screen,
                item.objectName(),
                item.width(),
                item.height(),
            )
        return len(buttons)

    counted = check_screen()
    for action in (
        lambda: tap(w, "zone_business"),
        lambda: tap(w, f"service_{LICENCE}"),
        lambda: tap(w, "takeTicketButton"),
        lambda: tap(w, "useKeypadButton"),
    ):
        action()
        qtbot.wait(300)
        counted += check_screen()
    assert counted > 30


def test_any_common_item_is_three_touches_away(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = make_kiosk(kiosk_config(tmp_path, queue_server, sim))
    w, b = kiosk.window, kiosk.backend
    wait_for(qtbot, lambda: find(w, "zone_business"))
    # The hall file's short list (常办事项), in its order: not every item.
    hall = next(h for h in queue_server.get("/api/v1/halls") if h["code"] == "xiqu")
    common = [s["code"] for s in b.catalogue.common_services()]
    assert common == hall["common"] and 0 < len(common) <= 12
    for code in common:
        tap(w, "commonButton")  # touch 1
        wait_for(qtbot, lambda code=code: find(w, f"service_{code}"))
        item = find(w, f"service_{code}")
        if item.mapToScene(item.boundingRect().center()).y() > w.height():
            pytest.fail(f"{code} needs scrolling")
        tap(w, f"service_{code}")  # touch 2: its guide
        wait_for(qtbot, lambda: b.screen == "guide" and find(w, "takeTicketButton"))
        assert b.catalogue.guide["code"] == code  # touch 3 would take the ticket
        tap(w, "homeButton")
        wait_for(qtbot, lambda: b.screen == "home")


def test_landscape_layout(make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any) -> None:
    kiosk = make_kiosk(kiosk_config(tmp_path, queue_server, sim), size=(1920, 1080))
    w = kiosk.window
    wait_for(qtbot, lambda: find(w, "zone_business"))
    assert w.property("landscape") is True
    grid = find(w, "zoneGrid")
    assert grid.property("columns") == 4
    # Every zone on screen: none cut off at the grid's bottom edge.
    bottom = grid.mapToScene(QPointF(0, grid.height())).y()
    for zone in kiosk.backend.catalogue.zones:
        tile = find(w, f"zone_{zone['key']}")
        assert tile is not None, zone["key"]
        assert tile.mapToScene(QPointF(0, tile.height())).y() <= bottom + 1, f"{zone['key']} is cut off"
    screenshot(w, "13-home_zh_landscape")
    tap(w, "zone_business")
    wait_for(qtbot, lambda: find(w, f"service_{LICENCE}"))
    tap(w, f"service_{LICENCE}")
    wait_for(qtbot, lambda: kiosk.backend.catalogue.guide.get("materials"))
    screenshot(w, "14-guide_zh_landscape")
