"""Maintenance mode: hidden gesture + PIN with lockout; settings validated, refused when wrong, saved
atomically."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kiosk import config as cfgmod
from kiosk.pin import PinGuard
from tests.kiosk.conftest import kiosk_config
from tests.kiosk.qml_driver import find, screenshot, tap, text_of, wait_for


def open_pin_pad(kiosk: Any, qtbot: Any) -> None:
    wait_for(qtbot, lambda: find(kiosk.window, "secretArea"))
    for _ in range(5):
        tap(kiosk.window, "secretArea")
    wait_for(qtbot, lambda: kiosk.backend.screen == "pin" and find(kiosk.window, "pinKey_1"))


def enter_pin(kiosk: Any, pin: str) -> None:
    for digit in pin:
        tap(kiosk.window, f"pinKey_{digit}")
    tap(kiosk.window, "pinOk")


def test_four_taps_do_not_open_maintenance(
    make_kiosk: Any, queue_server: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = make_kiosk(kiosk_config(tmp_path, queue_server, None))
    wait_for(qtbot, lambda: find(kiosk.window, "secretArea"))
    for _ in range(4):
        tap(kiosk.window, "secretArea")
    assert kiosk.backend.screen == "home"


def test_pin_lockout_after_five_wrong_tries(
    make_kiosk: Any, queue_server: Any, tmp_path: Path, qtbot: Any
) -> None:
    cfg = kiosk_config(tmp_path, queue_server, None)
    kiosk = make_kiosk(cfg)
    open_pin_pad(kiosk, qtbot)
    for attempt in range(1, 5):
        enter_pin(kiosk, "1357")
        assert f"还可尝试 {5 - attempt} 次" in text_of(kiosk.window, "pinMessage")
    enter_pin(kiosk, "1357")
    assert "已锁定" in text_of(kiosk.window, "pinMessage")
    wait_for(qtbot, lambda: not find(kiosk.window, "pinOk").isEnabled())
    screenshot(kiosk.window, "pin-locked_zh_portrait")
    # Even the right PIN is refused now, and a restart does not clear the lock.
    kiosk.maintenance.pinPress("2")
    for digit in "468":
        kiosk.maintenance.pinPress(digit)
    kiosk.maintenance.pinSubmit()
    assert kiosk.backend.screen == "pin"
    guard = PinGuard(cfg.data_dir() / "pin-state.json", 5, 600)
    assert guard.locked_until() > 0
    assert "2468" not in (tmp_path / "kiosk.toml").read_text()


def test_right_pin_opens_settings_and_a_wrong_setting_is_refused(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    cfg = kiosk_config(tmp_path, queue_server, sim)
    kiosk = make_kiosk(cfg)
    config_path = tmp_path / "kiosk.toml"
    before = config_path.read_bytes()
    open_pin_pad(kiosk, qtbot)
    enter_pin(kiosk, "2468")
    wait_for(qtbot, lambda: kiosk.backend.screen == "maintenance" and find(kiosk.window, "saveButton"))
    w, m = kiosk.window, kiosk.maintenance
    # Type a wrong baud rate on the on-screen keyboard: clear the field, then 1 2 3 4 5.
    tap(w, "edit_reader.baud")
    wait_for(qtbot, lambda: find(w, "kb_clear"))
    tap(w, "kb_clear")
    for ch in "12345":
        tap(w, f"kb_{ch}")
    assert m.value("reader.baud") == "12345"
    m.setValue("printer.url", "lpt://printer")
    tap(w, "saveButton")
    wait_for(qtbot, lambda: find(w, "error_reader.baud"))
    assert "波特率" in text_of(w, "error_reader.baud")
    assert "打印机地址" in text_of(w, "error_printer.url")
    assert "未保存" in text_of(w, "maintResult")
    assert config_path.read_bytes() == before  # nothing written
    screenshot(w, "maintenance-refused_zh_portrait")
    # Corrected values are saved atomically, loaded back, and applied.
    m.setValue("reader.baud", "115200")
    m.setValue("printer.url", sim.printer.url)
    m.setValue("ui.idle_timeout_s", "45")
    tap(w, "saveButton")
    wait_for(qtbot, lambda: "已保存" in text_of(w, "maintResult"))
    saved = cfgmod.load(config_path)
    assert saved.ui.idle_timeout_s == 45 and saved.reader.baud == 115200
    assert saved.maintenance.pin_hash == cfg.maintenance.pin_hash
    assert kiosk.backend.cfg.ui.idle_timeout_s == 45
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("kiosk.toml")] == ["kiosk.toml"]


def test_maintenance_tests_print_read_network_and_restart(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    kiosk = make_kiosk(kiosk_config(tmp_path, queue_server, sim))
    open_pin_pad(kiosk, qtbot)
    enter_pin(kiosk, "2468")
    wait_for(qtbot, lambda: find(kiosk.window, "testPrintButton"))
    w, m = kiosk.window, kiosk.maintenance
    jobs = len(sim.printer.jobs)
    # Results in words, Chinese and English, at the hall's local time.
    local = re.compile(r"^\d\d:\d\d:\d\d ")
    tap(w, "testPrintButton")
    wait_for(qtbot, lambda: "printer OK, test page printed" in m.result)
    assert "打印机正常，已打印测试页" in m.result and local.match(m.result)
    assert len(sim.printer.jobs) == jobs + 1 and b"T000" in sim.printer.jobs[-1]
    tap(w, "testCardButton")
    sim.reader.present(1)
    wait_for(qtbot, lambda: "card reader OK" in m.result)
    assert "读卡器正常" in m.result and "马*" in m.result and "120103198806018241" not in m.result
    tap(w, "networkButton")
    wait_for(qtbot, lambda: "server OK" in m.result)
    assert "found" in m.result and "kiosk token valid" in m.result and local.match(m.result)
    tap(w, "logButton")
    assert "maintenance mode opened" in text_of(w, "logText")
    screenshot(w, "maintenance_zh_portrait")
    with qtbot.waitSignal(kiosk.backend.restartRequested, timeout=2000):
        tap(w, "restartButton")
    tap(w, "leaveButton")
    wait_for(qtbot, lambda: kiosk.backend.screen == "home")


def test_settings_from_lists_and_a_physical_keyboard(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    kiosk = make_kiosk(kiosk_config(tmp_path, queue_server, sim))
    open_pin_pad(kiosk, qtbot)
    enter_pin(kiosk, "2468")
    wait_for(qtbot, lambda: find(kiosk.window, "edit_printer.profile"))
    w, m = kiosk.window, kiosk.maintenance
    # Lists instead of typing: profiles, baud rates, the serial ports this machine has.
    assert "58mm" in m.choices("printer.profile") and "115200" in m.choices("reader.baud")
    assert m.choices("server.url") == []
    tap(w, "edit_printer.profile")
    wait_for(qtbot, lambda: find(w, "choice_58mm"))
    tap(w, "choice_58mm")
    assert m.value("printer.profile") == "58mm"
    # A USB keyboard types into the field being edited; Backspace deletes, Enter ends editing.
    tap(w, "edit_server.hall")
    before = m.value("server.hall")
    for ch in "-2b":
        QTest.keyClick(w, ord(ch))  # the char overload: a key press with its text
    QTest.keyClick(w, Qt.Key.Key_Backspace)
    assert m.value("server.hall") == before + "-2"
    QTest.keyClick(w, Qt.Key.Key_Return)
    QTest.keyClick(w, ord("z"))  # not editing any more: typing changes nothing
    assert m.value("server.hall") == before + "-2"


def test_the_kiosk_gets_its_credential_by_pairing(
    make_kiosk: Any, queue_server: Any, sim: Any, tmp_path: Path, qtbot: Any
) -> None:
    """No token typed: the kiosk shows a code, the manager pairs it, the kiosk saves its credential."""
    from tests.support import run_cli

    cfg = kiosk_config(tmp_path, queue_server, sim)
    kiosk = make_kiosk(cfg)
    open_pin_pad(kiosk, qtbot)
    enter_pin(kiosk, "2468")
    wait_for(qtbot, lambda: find(kiosk.window, "pairButton"))
    w, m = kiosk.window, kiosk.maintenance
    tap(w, "pairButton")
    wait_for(qtbot, lambda: "pairing code" in m.result)
    code = re.search(r"pairing code ([A-Z2-9]{4}-[A-Z2-9]{4})", m.result).group(1)  # type: ignore[union-attr]
    assert "配对码" in m.result
    name = f"kiosk-paired-{tmp_path.name[-8:]}"
    run_cli("device", "pair", code, "--name", name, "--hall", "xiqu", "--db", queue_server.db,
            env=queue_server.env)
    wait_for(qtbot, lambda: "credential saved" in m.result, timeout=20000)
    saved = cfgmod.load(tmp_path / "kiosk.toml")
    assert saved.server.token.startswith("hqd_") and saved.server.token != cfg.server.token
    assert kiosk.backend.cfg.server.token == saved.server.token
    tap(w, "networkButton")
    wait_for(qtbot, lambda: "kiosk token valid" in m.result)
