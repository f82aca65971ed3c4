"""What the serial devices (ID card reader, scanner) share: opening with clear errors, closing safely."""

from __future__ import annotations

import contextlib
import termios
from types import TracebackType
from typing import Any, Self

import serial

from drivers.errors import DeviceError, describe_open_error


class SerialDevice:
    """A device on a serial port; subclasses name their error class and port settings."""

    error_class: type[DeviceError] = DeviceError

    def __init__(self, port: str, baud: int) -> None:
        self.port = port
        self.baud = baud
        self._serial: serial.Serial | None = None

    def _open_port(self, **settings: Any) -> bool:
        """Open the port unless it is open; True when it was opened now."""
        if self._serial is not None:
            return False
        try:
            self._serial = serial.Serial(self.port, self.baud, exclusive=True, **settings)
        except (serial.SerialException, OSError, ValueError) as exc:
            err = describe_open_error(self.port, exc)
            raise self.error_class(str(err), err.kind) from exc
        return True

    def close(self) -> None:
        if self._serial is not None:
            # The device may already be gone; closing must not fail.
            with contextlib.suppress(serial.SerialException, OSError, termios.error):
                self._serial.close()
            self._serial = None

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def open(self) -> None:
        self._open_port()

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
