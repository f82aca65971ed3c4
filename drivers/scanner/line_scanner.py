"""Serial QR / barcode scanners: each scan is one line of text ended by CR, LF or CRLF."""

from __future__ import annotations

import termios
import time
from collections.abc import Callable
from typing import Literal

import serial

from drivers._poll import DevicePoller, ErrorCallback
from drivers.errors import DeviceError
from drivers.serial_device import SerialDevice

Terminator = Literal["CR", "LF", "CRLF"]
TERMINATORS: dict[str, bytes] = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}
NO_READ = ("%%NoRead", "NoRead", "NR")  # what some scanners send for a failed trigger
MAX_LINE = 4096  # a QR code holds at most ~3 KB; anything longer is noise


class ScannerError(DeviceError):
    """The scanner's port could not be opened or went away."""


def decode_scan(raw: bytes, encoding: str | None = None) -> str:
    """With no encoding given: UTF-8 (most scanners), else GB18030 (scanners set to a Chinese code
    page). Some GB18030 text is also valid UTF-8, so set the encoding when the scanner is known."""
    if encoding:
        return raw.decode(encoding, errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def looks_garbled(text: str) -> bool:
    """Control characters or replacement marks in a scan usually mean a wrong baud rate."""
    return any((ord(c) < 0x20 and c not in "\t") or c == "\ufffd" for c in text)


class LineScanner(SerialDevice):
    """Reads scans from a serial port. A line ends at the terminator, or, for scanners that send
    none, when nothing more arrives for `idle_gap` seconds."""

    error_class = ScannerError

    def __init__(self, port: str, baud: int = 9600, terminator: Terminator = "CR",
                 idle_gap: float = 0.1, encoding: str | None = None) -> None:
        if terminator not in TERMINATORS:
            raise ValueError("terminator must be CR, LF or CRLF")
        super().__init__(port, baud)
        self.terminator = terminator
        self.idle_gap = idle_gap
        self.encoding = encoding
        self._buf = bytearray()
        self._pending: list[bytes] = []

    def open(self) -> None:
        if self._open_port(timeout=0.02):
            self._buf.clear()

    def read_line(self, timeout: float | None = None) -> str | None:
        """The next scan (without terminator), or None when none completes within `timeout`."""
        if self._pending:
            return self._emit(self._pending.pop(0))
        if self._serial is None:
            self.open()
        port = self._serial
        assert port is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        last_byte = time.monotonic()
        while True:
            try:
                chunk = port.read(max(1, port.in_waiting))
            except (serial.SerialException, OSError, termios.error) as exc:
                self.close()
                raise ScannerError(f"扫码器连接中断 / scanner connection lost on {self.port}: {exc}",
                                   "lost") from exc
            now = time.monotonic()
            if chunk:
                last_byte = now
                self._buf += chunk
                self._split()
                if self._pending:
                    return self._emit(self._pending.pop(0))
            elif self._buf and now - last_byte >= self.idle_gap:
                raw = bytes(self._buf)
                self._buf.clear()
                return self._emit(raw)
            if deadline is not None and now >= deadline and not self._buf:
                return None
            if deadline is not None and now >= deadline + self.idle_gap:
                return None

    def _split(self) -> None:
        # Split on the configured terminator only: a QR code may carry line breaks of its own (vCard,
        # addresses). A neighbouring CR or LF left over from a mismatched setting is stripped in _emit.
        *lines, rest = bytes(self._buf).split(TERMINATORS[self.terminator])
        self._pending += [line for line in lines if line.strip()]
        self._buf = bytearray(rest[-MAX_LINE:])
        if len(self._pending) > 64:
            del self._pending[:-64]  # nobody is reading: keep the latest scans only

    def _emit(self, raw: bytes) -> str | None:
        text = decode_scan(raw[:MAX_LINE], self.encoding).strip()
        if not text or text in NO_READ:
            return None
        return text


class ScanPoller(DevicePoller):
    """Reads scans in a thread and calls on_scan(text) for each; survives unplug/replug."""

    name = "scan-poller"

    def __init__(self, port: str | Callable[[], str], baud: int = 9600, terminator: Terminator = "CR",
                 on_scan: Callable[[str], object] | None = None, on_error: ErrorCallback | None = None,
                 idle_gap: float = 0.1, interval: float = 0.3) -> None:
        super().__init__(on_error, interval)
        self._port_source = port
        self.baud = baud
        self.terminator: Terminator = terminator
        self.idle_gap = idle_gap
        self.on_scan = on_scan
        self._scanner: LineScanner | None = None

    @property
    def connected(self) -> bool:
        """The port is open (the scanner is plugged in)."""
        return self._scanner is not None

    def _open(self) -> None:
        if self._scanner is None:
            port = self._port_source() if callable(self._port_source) else self._port_source
            scanner = LineScanner(port, self.baud, self.terminator, self.idle_gap)
            scanner.open()
            self._scanner = scanner

    def _close(self) -> None:
        if self._scanner is not None:
            self._scanner.close()
            self._scanner = None

    def _pause(self) -> float:
        # While the scanner works, read_line itself waits; only retries after a failure pause.
        return self.interval if self._scanner is None else 0.0

    def _poll_once(self) -> None:
        assert self._scanner is not None
        text = self._scanner.read_line(timeout=0.2)
        if text is not None:
            self.call(self.on_scan, text)
