"""VirtualScanner: a serial QR scanner on a pseudo-terminal; scan(text) sends a line."""

from __future__ import annotations

from drivers.scanner.line_scanner import TERMINATORS, Terminator
from drivers.sim.ptydev import PtyDevice


class VirtualScanner(PtyDevice):
    thread_name = "sim-scanner"

    def __init__(self, terminator: Terminator | None = "CR", link: str | None = None,
                 encoding: str = "utf-8") -> None:
        super().__init__(link)
        if terminator is not None and terminator not in TERMINATORS:
            raise ValueError("terminator must be CR, LF, CRLF or None")
        self.terminator = terminator
        self.encoding = encoding

    def scan(self, text: str) -> None:
        """The scanner reads a code: its text followed by the terminator (none when None)."""
        end = TERMINATORS[self.terminator] if self.terminator else b""
        self.send(text.encode(self.encoding) + end)

    def send_raw(self, data: bytes) -> None:
        self.send(data)

    def on_data(self, data: bytes) -> None:
        """Scanners ignore what the host sends (trigger commands are not simulated)."""
