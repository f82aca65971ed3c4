"""Maintenance mode: PIN entry with lockout, settings (validated, saved atomically), device tests.

Reached from Home by the hidden gesture (five taps on the hall name); everything a technician does
here goes through an on-screen pad or a plugged-in keyboard; port, profile and baud are picked from lists.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk import config as cfgmod
from kiosk import devices as dev
from kiosk.api import ApiClient, ApiError, NetworkError
from kiosk.backend import KioskBackend
from kiosk.i18n import strings
from kiosk.logs import recent
from kiosk.pin import PinGuard, hash_pin

log = logging.getLogger(__name__)

# The settings a technician edits, in screen order: (key, zh label, en label).
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("server.url", "服务器地址", "Server address"),
    ("server.hall", "大厅代码", "Hall code"),
    ("server.token", "终端令牌", "Kiosk token"),
    ("printer.url", "打印机地址", "Printer address"),
    ("printer.profile", "打印机型号", "Printer profile"),
    ("reader.port", "读卡器串口", "Card reader port"),
    ("reader.baud", "读卡器波特率", "Card reader baud"),
    ("scanner.port", "扫码器串口", "Scanner port"),
    ("scanner.baud", "扫码器波特率", "Scanner baud"),
    ("ui.idle_timeout_s", "无操作返回（秒）", "Idle timeout (s)"),
)


class MaintenanceBackend(QObject):
    changed = Signal()

    def __init__(self, kiosk: KioskBackend, config_path: Path,
                 devices_factory: Callable[[cfgmod.KioskConfig], dev.Devices] = dev.Devices,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        self.config_path = config_path
        self._devices_factory = devices_factory
        m = kiosk.cfg.maintenance
        self.guard = PinGuard(kiosk.cfg.data_dir() / "pin-state.json", m.max_tries, m.lockout_minutes * 60)
        self._pin = ""
        self._pin_message = ""
        self._values: dict[str, str] = {}
        self._errors: dict[str, str] = {}
        self._result = ""
        self._card_test_until = 0.0
        self._new_pin: str | None = None
        self._card_timer = QTimer(self)
        self._card_timer.setSingleShot(True)
        self._card_timer.timeout.connect(self._card_test_timeout)
        self._pairing: tuple[ApiClient, str] | None = None  # (client, secret) while a code is shown
        self._pair_timer = QTimer(self)
        self._pair_timer.setInterval(2000)
        self._pair_timer.timeout.connect(self._pair_poll)
        kiosk.devices.cardRead.connect(self._on_card)
        kiosk.screenChanged.connect(self._on_screen)

    def _on_screen(self) -> None:
        # Left by the idle timeout or a save: half-typed PINs and unsaved edits do not linger.
        if self.kiosk.screen not in ("pin", "maintenance") and (self._pin or self._values):
            self._pin = ""
            self._values, self._errors = {}, {}
            self._new_pin = None
            self._result = ""
            self.changed.emit()

    def _t(self) -> dict[str, str]:
        return strings(self.kiosk.display.lang)

    # -- PIN ------------------------------------------------------------------------------------
    def _get_pin_dots(self) -> str:
        return "●" * len(self._pin)

    pinDots = Property(str, _get_pin_dots, notify=changed)

    def _get_pin_message(self) -> str:
        return self._pin_message

    pinMessage = Property(str, _get_pin_message, notify=changed)

    def _get_locked(self) -> bool:
        return self.guard.locked_until() > 0

    locked = Property(bool, _get_locked, notify=changed)

    @Slot(str)
    def pinPress(self, key: str) -> None:
        self.kiosk.touched()
        if key == "del":
            self._pin = self._pin[:-1]
        elif key == "clear":
            self._pin = ""
        elif key.isdigit() and len(self._pin) < 12:
            self._pin += key
        self.changed.emit()

    @Slot()
    def pinSubmit(self) -> None:
        t = self._t()
        pin, self._pin = self._pin, ""
        result = self.guard.check(pin, self.kiosk.cfg.maintenance.pin_hash)
        if result.ok:
            log.info("maintenance mode opened")
            self._pin_message = ""
            self._load_values()
            self.kiosk.showScreen("maintenance")
        elif result.locked_until:
            until = datetime.fromtimestamp(result.locked_until, ZoneInfo("Asia/Shanghai")).strftime("%H:%M")
            self._pin_message = t["pin_locked"].format(t=until)
            log.warning("maintenance PIN locked after repeated wrong tries")
        else:
            self._pin_message = t["pin_wrong"].format(n=result.tries_left)
            log.warning("wrong maintenance PIN")
        self.changed.emit()

    @Slot()
    def leave(self) -> None:
        self._pin = ""
        self._pin_message = self._result = ""
        self._values, self._errors = {}, {}
        self._new_pin = None
        self.changed.emit()
        self.kiosk.showScreen("home")

    # -- settings ---------------------------------------------------------------------------------
    def _load_values(self) -> None:
        cfg = self.kiosk.cfg
        self._values = {}
        for key, _, _ in FIELDS:
            section, _, name = key.partition(".")
            self._values[key] = str(getattr(getattr(cfg, section), name))
        self._errors = {}
        self._result = ""

    def _get_fields(self) -> list[dict[str, str]]:
        en = self.kiosk.display.lang == "en"
        return [{"key": key, "label": label_en if en else label_zh, "value": self._values.get(key, ""),
                 "error": self._errors.get(key, ""), "secret": key == "server.token"}
                for key, label_zh, label_en in FIELDS]

    fields = Property("QVariantList", _get_fields, notify=changed)

    def _get_result(self) -> str:
        return self._result

    result = Property(str, _get_result, notify=changed)

    def _get_errors(self) -> dict[str, str]:
        return dict(self._errors)

    errors = Property("QVariantMap", _get_errors, notify=changed)

    @Slot(str, str)
    def setValue(self, key: str, value: str) -> None:
        self.kiosk.touched()
        if key in self._values:
            self._values[key] = value
            self._errors.pop(key, None)
            self.changed.emit()

    @Slot(str, result=str)
    def value(self, key: str) -> str:
        return self._values.get(key, "")

    @Slot(str, result="QVariantList")
    def choices(self, key: str) -> list[str]:
        """What a setting can be, to pick from a list instead of typing: printer profiles, the serial
        ports found on this machine (the udev links first), baud rates. Empty: typed."""
        if key == "printer.profile":
            return list(dev.printer_profiles())
        if key.endswith(".baud"):
            return [str(b) for b in dev.BAUDS]
        if key in ("reader.port", "scanner.port"):
            return dev.serial_ports()
        return []

    @Slot(result=bool)
    def save(self) -> bool:
        """Validate everything, then write the file atomically and apply it; nothing is saved on error."""
        t = self._t()
        try:
            candidate = self.kiosk.cfg.with_values(self._values)
            if self._new_pin is not None:
                candidate = candidate.with_values({"maintenance.pin_hash": hash_pin(self._new_pin)})
            cfgmod.validate(candidate)
        except cfgmod.ConfigError as exc:
            self._errors = dict(exc.errors)
            self._result = t["not_saved"]
            log.warning("settings refused: %s", ", ".join(sorted(exc.errors)))
            self.changed.emit()
            return False
        cfgmod.save(candidate, self.config_path)
        log.info("settings saved to %s", self.config_path)
        self._errors = {}
        self._new_pin = None
        self.kiosk.apply_config(candidate, self._devices_factory(candidate))
        self.kiosk.devices.cardRead.connect(self._on_card)
        self._result = t["saved"]
        self.changed.emit()
        return True

    @Slot(str, result=bool)
    def changePin(self, pin: str) -> bool:
        """Stage a new PIN; it is hashed and written with the next save."""
        try:
            hash_pin(pin)
        except ValueError as exc:
            self._result = str(exc)
            self.changed.emit()
            return False
        self._new_pin = pin
        self._result = ""
        self.changed.emit()
        return True

    # -- tests ----------------------------------------------------------------------------------------
    @Slot()
    def testPrint(self) -> None:
        self.kiosk.touched()
        hall = self.kiosk.cache.hall or {}
        tz = ZoneInfo(str(hall.get("timezone") or "Asia/Shanghai"))
        doc = dev.QueueTicket(
            hall_name=str(hall.get("name") or "测试 / Test"), number="T000",
            service_name="测试打印 / Test print", waiting_ahead=0, eta_min=None, eta_max=None,
            issued_at=datetime.now(tz), wait_area="—", status_url=self.kiosk.cfg.server.url,
            notice="维护测试，非有效号票 / maintenance test, not a ticket",
        )
        devices = self.kiosk.devices

        def job() -> tuple[int, dict[str, Any]]:
            return devices.print_document(doc), devices.printer_status()

        self._set_result("…")
        self.kiosk.worker.submit(
            job, lambda r: self._set_result(self._printer_words(r[1])),
            lambda e: self._set_result(self._said(f"打印失败：{e}", f"printing failed: {e}")))

    def _printer_words(self, status: dict[str, Any]) -> str:
        problems = []
        if status.get("online") is False:
            problems.append(("打印机离线", "the printer is offline"))
        if status.get("cover_open"):
            problems.append(("纸仓盖未关好", "the cover is open"))
        if status.get("paper") == "out":
            problems.append(("缺纸，请装纸", "out of paper: load paper"))
        elif status.get("paper") == "near_end":
            problems.append(("纸快用完了", "the paper is near its end"))
        if status.get("error"):
            problems.append(("打印机报告故障", "the printer reports an error"))
        if not problems:
            return self._said("打印机正常，已打印测试页", "printer OK, test page printed")
        return self._said("已发送测试页，但" + "，".join(z for z, _ in problems),
                          "test page sent, but " + "; ".join(e for _, e in problems))

    def _said(self, zh: str, en: str) -> str:
        """A result as people read it: the hall's local time, Chinese, English."""
        tz = ZoneInfo(str((self.kiosk.cache.hall or {}).get("timezone") or "Asia/Shanghai"))
        return f"{datetime.now(tz):%H:%M:%S} {zh} / {en}"

    @Slot()
    def testCardRead(self) -> None:
        self.kiosk.touched()
        if self.kiosk.devices.reader_state == "absent":
            self._set_result(self._t()["status_absent"])
            return
        self._card_test_until = time.monotonic() + 10
        self._card_timer.start(10000)
        self._set_result(self._t()["card_test_wait"])

    def _on_card(self, card: dev.IdCard) -> None:
        if time.monotonic() > self._card_test_until:
            return
        self._card_timer.stop()
        self._card_test_until = 0.0
        # Masked even here: the technician needs to see that reading works, not whose card it is.
        who = f"{dev.mask_name(card.name)} {dev.mask_id_number(card.id_number)}"
        if card.check_digit_ok:
            self._set_result(self._said(f"读卡器正常，已读到证件 {who}", f"card reader OK, read {who}"))
        else:
            self._set_result(self._said(f"已读到证件 {who}，但证件号码校验位不符",
                                        f"read {who}, but the ID number's check digit is wrong"))

    def _card_test_timeout(self) -> None:
        self._card_test_until = 0.0
        state = self.kiosk.devices.reader_state
        self._set_result(self._said(f"10 秒内未读到证件：请把证件平放在感应区（读卡器状态 {state}）",
                                    f"no card read in 10 s: lay the card on the reader (reader {state})"))

    @Slot()
    def networkCheck(self) -> None:
        self.kiosk.touched()
        url = self._values.get("server.url") or self.kiosk.cfg.server.url
        hall = self._values.get("server.hall") or self.kiosk.cfg.server.hall
        client = ApiClient(url, hall, self._values.get("server.token", ""), 5.0)

        def job() -> str:
            started = time.perf_counter()
            health = client.health()
            ms = (time.perf_counter() - started) * 1000
            known = any(h.get("code") == hall for h in client.halls())
            hb = client.heartbeat(self.kiosk.health.heartbeat_payload())
            db_ok = health.get("database") == "ok"
            zh = (f"服务器{'正常' if db_ok else '的数据库有故障'}（{ms:.0f} 毫秒），大厅 {hall} "
                  f"{'已找到' if known else '不存在，请核对大厅代码'}，"
                  f"{'终端令牌有效' if hb in (200, 204) else f'终端令牌无效（HTTP {hb}），请重新配对'}")
            en = (f"server {'OK' if db_ok else 'has a database fault'} ({ms:.0f} ms), hall {hall} "
                  f"{'found' if known else 'NOT found: check the hall code'}, "
                  f"{'kiosk token valid' if hb in (200, 204) else f'kiosk token refused (HTTP {hb})'}")
            return self._said(zh, en)

        def failed(exc: Exception) -> None:
            detail = exc.detail if isinstance(exc, ApiError) else str(exc)
            if isinstance(exc, NetworkError):
                self._set_result(self._said(f"无法连接服务器：检查网线和服务器地址（{detail}）",
                                            f"cannot reach the server: check cable and address ({detail})"))
            else:
                self._set_result(self._said(f"服务器拒绝：{detail}", f"the server refused: {detail}"))

        self._set_result("…")
        self.kiosk.worker.submit(job, self._set_result, failed)

    @Slot()
    def pair(self) -> None:
        """Shows a pairing code; once a manager enters it (/ui/pair), the credential is saved here."""
        self.kiosk.touched()
        url = self._values.get("server.url") or self.kiosk.cfg.server.url
        hall = self._values.get("server.hall") or self.kiosk.cfg.server.hall
        client = ApiClient(url, hall, "", 5.0)

        def shown(started: dict[str, Any]) -> None:
            self._pairing = (client, str(started["secret"]))
            code = started["code"]
            self._set_result(self._said(f"配对码 {code}：请管理员在“设备配对”页面（/ui/pair）输入",
                                        f"pairing code {code}: a manager enters it at /ui/pair"))
            self._pair_timer.start()

        self._set_result("…")
        self.kiosk.worker.submit(client.start_pairing, shown, self._pair_failed)

    def _pair_poll(self) -> None:
        if self._pairing is None or self.kiosk.screen != "maintenance":
            self._pair_timer.stop()
            self._pairing = None
            return
        client, secret = self._pairing

        def answered(got: dict[str, Any] | None) -> None:
            if got is None or self._pairing is None:
                return  # not yet approved
            self._pair_timer.stop()
            self._pairing = None
            self.setValue("server.token", str(got["token"]))
            if self.save():
                name = got.get("device", {}).get("name", "")
                self._set_result(self._said(f"已配对（{name}），终端凭据已保存",
                                            f"paired ({name}): credential saved"))

        self.kiosk.worker.submit(lambda: client.claim_pairing(secret), answered, self._pair_failed)

    def _pair_failed(self, exc: Exception) -> None:
        self._pair_timer.stop()
        self._pairing = None
        detail = exc.detail if isinstance(exc, ApiError) else str(exc)
        self._set_result(self._said(f"配对未完成：{detail}", f"pairing did not finish: {detail}"))

    def _get_log(self) -> str:
        return "\n".join(recent(40))

    logText = Property(str, _get_log, notify=changed)

    @Slot()
    def refreshLog(self) -> None:
        self.changed.emit()

    @Slot()
    def restart(self) -> None:
        self.kiosk.requestRestart()

    def _set_result(self, text: str) -> None:
        self._result = text
        self.changed.emit()
