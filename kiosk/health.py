"""Is this kiosk able to issue? The server's reachability and the printer's state, told to the server
in heartbeats and to the citizen in the banner."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.i18n import strings
from kiosk.parts import Parts

log = logging.getLogger(__name__)
HEARTBEAT_TEXT = 200


class Health(QObject):
    changed = Signal()
    wentOnline = Signal()

    def __init__(self, parts: Parts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.parts = parts
        self._online = False
        self._checked = False
        self._printer: dict[str, Any] = {"online": None, "paper": "unknown", "ready": None}
        self._polling = False
        self.last_heartbeat: dict[str, Any] | None = None
        self.last_heartbeat_status: int | None = None
        self.print_failures = 0
        self.last_print_error = ""
        parts.display.langChanged.connect(self.changed)

    # -- state -------------------------------------------------------------------------------------
    def _get_online(self) -> bool:
        return self._online

    serverOnline = Property(bool, _get_online, notify=changed)

    def printer_blocks(self) -> str | None:
        """The string key of why the printer stops issuing, or None when it may print."""
        if self._printer.get("paper") == "out":
            return "paper_out"
        if self._printer.get("ready") is False or self._printer.get("online") is False:
            return "printer_fault"
        return None

    def issuing_enabled(self) -> bool:
        return self._online and self.printer_blocks() is None

    issuingEnabled = Property(bool, issuing_enabled, notify=changed)

    def blocker(self) -> str | None:
        """The string key of why this kiosk cannot issue now, or None."""
        if not self._online:
            return "server_down"
        return self.printer_blocks()

    def _get_banner(self) -> str:
        s = strings(self.parts.lang)
        if self._checked and not self._online:
            return s["server_down"]
        blocker = self.printer_blocks()
        return s[blocker] if blocker else ""

    banner = Property(str, _get_banner, notify=changed)

    def _get_printer(self) -> dict[str, Any]:
        return dict(self._printer)

    printerStatus = Property("QVariantMap", _get_printer, notify=changed)

    def mark_online(self) -> None:
        was = self._online
        self._online = self._checked = True
        if not was:
            log.info("server reachable")
            self.changed.emit()
            self.sendHeartbeat()
            self.wentOnline.emit()

    def mark_offline(self) -> None:
        if self._online or not self._checked:
            log.warning("server unreachable: issuing paused, showing the cached catalogue")
        changed = self._online or not self._checked
        self._online = False
        self._checked = True
        if changed:
            self.changed.emit()

    def reset(self) -> None:
        self._checked = False

    # -- printer ------------------------------------------------------------------------------------
    @Slot()
    def pollPrinter(self) -> None:
        if self._polling:
            return
        self._polling = True
        self.parts.worker.submit(self.parts.devices.printer_status, self.set_printer, self._on_status_error)

    def set_printer(self, status: dict[str, Any]) -> None:
        self._polling = False
        before = self.printer_blocks()
        self._printer = status
        if self.printer_blocks() != before:
            log.warning("printer state: %s", self.printer_blocks() or "ready")
            self.sendHeartbeat()  # tell the server at once that issuing stopped or resumed
        self.changed.emit()

    def _on_status_error(self, exc: Exception) -> None:
        self.set_printer(
            {"online": False, "paper": "unknown", "ready": False, "error": None, "detail": str(exc)}
        )

    def print_failed(self, error: str) -> None:
        self.print_failures += 1
        self.last_print_error = error
        self.sendHeartbeat()  # report the failure now, not at the next periodic beat
        self.pollPrinter()

    def print_worked(self) -> None:
        self.last_print_error = ""

    # -- heartbeat ----------------------------------------------------------------------------------
    def heartbeat_payload(self) -> dict[str, Any]:
        """The device status, flat (the server keeps plain values only, texts up to 200 characters).

        The printer's status becomes printer_* entries; a failed job travels in printer_detail.
        """
        detail = str(self._printer.get("detail") or "")
        if self.last_print_error:
            failed = (
                f"上次打印失败 / last job failed ({self.print_failures} in total): {self.last_print_error}"
            )
            detail = f"{failed}; {detail}" if detail else failed  # first: the text is cut at 200
        status: dict[str, Any] = {
            f"printer_{key}": self._printer.get(key)
            for key in ("online", "cover_open", "paper", "error", "ready")
        }
        status["printer_detail"] = detail[:HEARTBEAT_TEXT]
        status.update(
            reader=self.parts.devices.reader_state,
            scanner=self.parts.devices.scanner_state,
            issuing_enabled=self.issuing_enabled(),
        )
        return status

    @Slot()
    def sendHeartbeat(self) -> None:
        payload = self.heartbeat_payload()
        self.last_heartbeat = payload
        api = self.parts.api

        def done(code: int) -> None:
            self.last_heartbeat_status = code

        def failed(_exc: Exception) -> None:
            self.last_heartbeat_status = -1

        self.parts.worker.submit(lambda: api.heartbeat(payload), done, failed)
