"""`kiosk --simulate`: the virtual printer, ID card reader and scanner of `drivers.sim`, in-process,
plus a small control strip on screen to place a card, take it away, scan a ticket or empty the paper.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from drivers.sim import VirtualIdCardReader, VirtualPrinter, VirtualScanner
from kiosk.config import KioskConfig

log = logging.getLogger(__name__)

CARDS_FILE = Path(__file__).resolve().parent.parent / "drivers" / "sim" / "cards.example.json"


class Simulator(QObject):
    changed = Signal()

    def __init__(self, cards_file: Path = CARDS_FILE, parent: QObject | None = None,
                 tickets_dir: Path | None = None) -> None:
        super().__init__(parent)
        # Every printed job is also rendered as a PNG here, so people can see the tickets.
        self.tickets_dir = tickets_dir
        png_dir = None
        if tickets_dir is not None:
            tickets_dir.mkdir(parents=True, exist_ok=True)
            png_dir = str(tickets_dir)
        self.printer = VirtualPrinter(transport="tcp", paper="ok", png_dir=png_dir)
        self.reader = VirtualIdCardReader(cards_file=str(cards_file))
        self.scanner = VirtualScanner()
        self._paper = "ok"
        self.last_status_url = ""

    def start(self) -> None:
        self.printer.start()
        self.reader.start()
        self.scanner.start()
        log.info("simulated printer at %s, reader at %s, scanner at %s", self.printer.url, self.reader.port,
                 self.scanner.port)

    def stop(self) -> None:
        for device in (self.scanner, self.reader, self.printer):
            try:
                device.stop()
            except Exception:
                log.debug("stopping a simulated device failed", exc_info=True)

    def configure(self, cfg: KioskConfig) -> KioskConfig:
        """The configuration pointed at the simulated devices."""
        return replace(cfg, printer=replace(cfg.printer, url=self.printer.url),
                       reader=replace(cfg.reader, port=self.reader.port, baud=115200),
                       scanner=replace(cfg.scanner, port=self.scanner.port, terminator="CR"))

    def _get_paper(self) -> str:
        return self._paper

    paper = Property(str, _get_paper, notify=changed)

    def _get_jobs(self) -> int:
        return len(self.printer.jobs)

    jobs = Property(int, _get_jobs, notify=changed)

    @Slot(int)
    def presentCard(self, index: int) -> None:
        self.reader.present(index)

    @Slot()
    def removeCard(self) -> None:
        self.reader.remove()

    @Slot()
    def togglePaper(self) -> None:
        self._paper = "out" if self._paper == "ok" else "ok"
        self.printer.set_paper(self._paper)
        self.changed.emit()

    @Slot(str)
    def scan(self, text: str) -> None:
        if text:
            self.scanner.scan(text)

    def note_ticket(self, ticket: dict[str, Any]) -> None:
        self.last_status_url = str(ticket.get("status_url") or "")
        self.changed.emit()

    def _get_last(self) -> str:
        return self.last_status_url

    lastStatusUrl = Property(str, _get_last, notify=changed)
