"""The kiosk's one door to the hardware: printer, ID card reader, QR scanner (all via `drivers`).

Printer calls block (serial/USB/TCP I/O) and are meant for worker threads; one lock serialises them
because a printer handles one job at a time. The reader's and scanner's pollers call back from
their own threads; this class re-emits those callbacks as Qt signals, which Qt queues to the GUI
thread.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from drivers.idcard import CardPoller, IdCard, mask_id_number, mask_name, validate_id_number
from drivers.printer import (
    DEFAULT_NOTICE,
    AppointmentSlip,
    Material,
    NoticeSlip,
    PrinterError,
    QueueTicket,
    open_printer,
)
from drivers.printer.connection import BAUDS
from drivers.printer.profiles import PROFILES
from drivers.scanner import ScanPoller
from kiosk.config import KioskConfig

log = logging.getLogger(__name__)

__all__ = [
    "BAUDS",
    "DEFAULT_NOTICE",
    "AppointmentSlip",
    "Devices",
    "IdCard",
    "Material",
    "NoticeSlip",
    "PrinterError",
    "QueueTicket",
    "mask_id_number",
    "mask_name",
    "printer_profiles",
    "serial_ports",
    "validate_id_number",
]


class Devices(QObject):
    cardRead = Signal(object)  # IdCard, GUI thread
    cardRemoved = Signal()
    readerFailed = Signal(str)
    scanned = Signal(str)

    def __init__(self, cfg: KioskConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cfg = cfg
        self._printer: Any = None
        self._printer_lock = threading.Lock()
        self._card_poller: CardPoller | None = None
        self._scan_poller: ScanPoller | None = None
        self._reader_failed = False
        self._scanner_failed = False

    @staticmethod
    def _state(port: str, poller: object, failed: bool) -> str:
        if not port:
            return "absent"
        if poller is None:
            return "error" if failed else "ok"
        # The poller reopens a lost port by itself and knows when the outage is over.
        return "error" if getattr(poller, "_in_outage", failed) else "ok"

    @property
    def reader_state(self) -> str:
        return self._state(self._cfg.reader.port, self._card_poller, self._reader_failed)

    @property
    def scanner_state(self) -> str:
        return self._state(self._cfg.scanner.port, self._scan_poller, self._scanner_failed)

    # -- printer (blocking; call from a worker thread) ---------------------------------------
    def _open(self) -> Any:
        if self._printer is None:
            self._printer = open_printer(self._cfg.printer.url, profile=self._cfg.printer.profile)
        return self._printer

    def _drop(self) -> None:
        # python-escpos does not reconnect by itself: close now, reopen on the next job.
        printer, self._printer = self._printer, None
        if printer is not None:
            try:
                printer.close()
            except Exception:
                log.debug("closing the printer failed", exc_info=True)

    def printer_status(self, timeout: float = 1.0) -> dict[str, Any]:
        """PrinterStatus.to_dict(), or an offline status when the printer cannot be opened."""
        with self._printer_lock:
            try:
                return dict(self._open().status(timeout=timeout).to_dict())
            except Exception as exc:
                self._drop()
                log.warning("printer status failed: %s", exc)
                return {"online": False, "cover_open": None, "paper": "unknown", "error": None,
                        "detail": str(exc), "ready": False}

    def print_document(self, document: Any) -> int:
        """Hand one document to the printer; returns the bytes sent; raises PrinterError."""
        with self._printer_lock:
            try:
                return int(self._open().print_document(document))
            except PrinterError:
                self._drop()
                raise
            except Exception as exc:  # a socket/USB error that the driver did not wrap
                self._drop()
                raise PrinterError(str(exc)) from exc

    # -- reader and scanner ------------------------------------------------------------------
    def start(self) -> None:
        if self._cfg.reader.port:
            self._card_poller = CardPoller(self._cfg.reader.port, baud=self._cfg.reader.baud,
                                           on_card=self._on_card, on_removed=self._on_removed,
                                           on_error=self._on_reader_error)
            self._card_poller.start()
        if self._cfg.scanner.port:
            self._scan_poller = ScanPoller(self._cfg.scanner.port, self._cfg.scanner.baud,
                                           terminator=self._cfg.scanner.terminator, on_scan=self._on_scan,
                                           on_error=self._on_scanner_error)
            self._scan_poller.start()

    def stop(self) -> None:
        for poller in (self._card_poller, self._scan_poller):
            if poller is not None:
                try:
                    poller.stop()
                except Exception:
                    log.debug("stopping a poller failed", exc_info=True)
        self._card_poller = self._scan_poller = None
        with self._printer_lock:
            self._drop()

    def _on_card(self, card: IdCard) -> None:
        self._reader_failed = False
        self.cardRead.emit(card)  # never logged: personal data

    def _on_removed(self) -> None:
        self.cardRemoved.emit()

    def _on_reader_error(self, exc: Exception) -> None:
        self._reader_failed = True
        log.warning("ID card reader error: %s", type(exc).__name__)
        self.readerFailed.emit(type(exc).__name__)

    def _on_scan(self, text: str) -> None:
        self._scanner_failed = False
        self.scanned.emit(text)  # a ticket's status URL: no personal data

    def _on_scanner_error(self, exc: Exception) -> None:
        self._scanner_failed = True
        log.warning("scanner error: %s", type(exc).__name__)


def printer_profiles() -> list[str]:
    return list(PROFILES)


def serial_ports() -> list[str]:
    """Serial ports of this machine, the kiosk's stable udev links first (packaging/udev/)."""
    import os

    from serial.tools import list_ports

    links = [p for p in ("/dev/idcard", "/dev/qrscanner") if os.path.exists(p)]
    return links + sorted(p.device for p in list_ports.comports())
