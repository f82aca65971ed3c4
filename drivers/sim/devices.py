"""All three simulated devices at once, for `kiosk --simulate` and demos."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drivers.sim.idcard import VirtualIdCardReader
from drivers.sim.printer import Transport, VirtualPrinter
from drivers.sim.scanner import VirtualScanner


@dataclass
class SimulatedDevices:
    printer: VirtualPrinter
    idcard: VirtualIdCardReader
    scanner: VirtualScanner

    @classmethod
    def start(cls, printer_transport: Transport = "tcp", png_dir: str | None = None,
              cards_file: str | None = None) -> SimulatedDevices:
        printer = VirtualPrinter(transport=printer_transport, png_dir=png_dir).start()
        try:
            idcard = VirtualIdCardReader(cards_file=cards_file).start()
        except Exception:
            printer.stop()
            raise
        try:
            scanner = VirtualScanner("CR").start()
        except Exception:
            printer.stop()
            idcard.stop()
            raise
        return cls(printer, idcard, scanner)

    def config(self) -> dict[str, Any]:
        """Device settings in the form the kiosk configuration uses."""
        return {
            "printer": {"url": self.printer.url, "profile": "80mm"},
            "idcard": {"port": self.idcard.port, "baud": 115200},
            "scanner": {"port": self.scanner.port, "baud": 9600, "terminator": "CR"},
        }

    def stop(self) -> None:
        self.scanner.stop()
        self.idcard.stop()
        self.printer.stop()

    def __enter__(self) -> SimulatedDevices:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
