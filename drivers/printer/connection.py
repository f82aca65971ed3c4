"""Printer addresses (URLs) and the connection under them: python-escpos's connection classes
(Usb, Serial, Network, File, Dummy) for opening and writing, plus reading replies with a timeout,
which python-escpos does not offer in a usable form.

python-escpos keeps the open device in `_device` and writes through `_raw`; it has no public
equivalent, so this module is the one place that touches them (pinned python-escpos==3.1).
"""

from __future__ import annotations

import contextlib
import errno
import socket
import termios
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import serial
from escpos import printer as escpos_printer
from escpos.exceptions import DeviceNotFoundError

from drivers.errors import UDEV_RULES, DeviceError, describe_open_error

SCHEMES = ("usb", "serial", "tcp", "file", "dummy")
BAUDS = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400)
FLOWS = ("none", "xonxoff", "rtscts")


class PrinterError(DeviceError):
    """A printer could not be used or a job failed. `kind` names the cause for programs."""

    def __init__(self, message: str, kind: str = "error", maybe_printed: bool = False) -> None:
        super().__init__(message, kind)
        self.maybe_printed = maybe_printed


class ConnectionLost(PrinterError):
    """The device went away (unplugged, powered off, socket closed)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "lost")


@dataclass(frozen=True)
class PrinterAddress:
    scheme: str
    path: str = ""  # device file for serial/file
    host: str = ""
    port: int = 9100
    vid: int = 0
    pid: int = 0
    baud: int = 9600
    flow: str = "none"
    timeout: float = 5.0
    options: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        if self.scheme == "usb":
            return f"usb://{self.vid:04x}:{self.pid:04x}"
        if self.scheme == "serial":
            return f"serial://{self.path}?baud={self.baud}&flow={self.flow}"
        if self.scheme == "tcp":
            return f"tcp://{self.host}:{self.port}"
        if self.scheme == "file":
            return f"file://{self.path}"
        return "dummy:"


def _bad(url: str, why: str) -> PrinterError:
    return PrinterError(
        f"打印机地址无效 {url!r}：{why} / invalid printer URL {url!r}: {why}. "
        "Forms: usb://VID:PID, serial:///dev/ttyUSB0?baud=9600&flow=xonxoff, "
        "tcp://host:9100, file:///dev/usb/lp0, dummy:",
        "bad_url",
    )


def parse_printer_url(url: str) -> PrinterAddress:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if scheme not in SCHEMES:
        raise _bad(url, f"unknown scheme {scheme!r}")
    try:
        timeout = float(query.get("timeout", "5"))
    except ValueError:
        raise _bad(url, "timeout must be a number of seconds") from None
    if scheme == "dummy":
        return PrinterAddress("dummy", options=query)
    if scheme == "tcp":
        if not parts.hostname:
            raise _bad(url, "missing host")
        try:
            port = parts.port or 9100
        except ValueError:
            raise _bad(url, "bad port") from None
        return PrinterAddress("tcp", host=parts.hostname, port=port, timeout=timeout, options=query)
    if scheme == "usb":
        try:
            vid_text, pid_text = parts.netloc.split(":")
            vid, pid = int(vid_text, 16), int(pid_text, 16)
        except ValueError:
            raise _bad(url, "expected usb://VID:PID in hex, e.g. usb://0416:5011") from None
        if not (0 < vid <= 0xFFFF and 0 < pid <= 0xFFFF):
            raise _bad(url, "VID and PID are 4 hex digits")
        return PrinterAddress("usb", vid=vid, pid=pid, timeout=timeout, options=query)
    path = parts.path
    if not path:
        raise _bad(url, "missing device path")
    if scheme == "file":
        return PrinterAddress("file", path=path, options=query)
    try:
        baud = int(query.get("baud", "9600"))
    except ValueError:
        raise _bad(url, "baud must be a number") from None
    if baud not in BAUDS:
        raise _bad(url, f"unsupported baud {baud}; one of {BAUDS}")
    flow = query.get("flow", "none").lower()
    if flow not in FLOWS:
        raise _bad(url, f"flow must be one of {FLOWS}")
    return PrinterAddress("serial", path=path, baud=baud, flow=flow, timeout=timeout, options=query)


class _Serial(escpos_printer.Serial):
    """python-escpos's Serial cannot ask pyserial for RTS/CTS (its dsrdtr flag does not do that on
    Linux), so it is switched on after opening."""

    def __init__(self, *args: Any, rtscts: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rtscts = rtscts

    def open(self, raise_not_found: bool = True) -> None:
        super().open(raise_not_found)
        if self.rtscts and self._device:
            self._device.rtscts = True


# What goes wrong on a device file, serial port, socket or USB handle (pyusb's USBError is an OSError).
_IO_ERRORS = (OSError, serial.SerialException, termios.error)


class Link(ABC):
    """An open connection to a printer: write bytes, read status replies with a timeout.

    One subclass per transport (USB, serial, TCP, file, dummy), as python-escpos has one class per
    connection; this base holds what they share and the defaults of a transport that cannot read.
    """

    can_read = False

    def __init__(self, addr: PrinterAddress) -> None:
        self.addr = addr
        self.conn: Any = self._escpos()
        self._open = False

    @abstractmethod
    def _escpos(self) -> Any:
        """The python-escpos connection object for the address (not opened)."""

    def open(self) -> None:
        try:
            self.conn.open()
        except (DeviceNotFoundError, *_IO_ERRORS) as exc:
            raise self._open_error(exc) from exc
        self._opened()
        self._open = True

    def _opened(self) -> None:
        """Transport set-up right after opening."""
        return None  # a default hook: nothing to do for most transports

    def _open_error(self, exc: BaseException) -> PrinterError:
        return PrinterError(
            f"找不到打印机 {self.addr}：未连接或未通电 / no printer at {self.addr}: "
            "not connected or powered off",
            "not_found",
        )

    def _lost(self, exc: BaseException) -> ConnectionLost:
        return ConnectionLost(f"打印机连接中断 / printer connection lost ({self.addr}): {exc}")

    def write(self, data: bytes) -> None:
        try:
            self._raw(data)
        except _IO_ERRORS as exc:
            raise self._lost(exc) from exc

    def _raw(self, data: bytes) -> None:
        self.conn._raw(data)

    def wait_sent(self) -> None:
        """Returns when written bytes have left the computer (at once unless the transport buffers)."""
        return None  # a default hook: nothing to do for most transports

    def drain(self) -> None:
        """Discards stale bytes (late replies to an earlier query) before asking again."""
        return None  # a default hook: nothing to do for most transports

    def read(self, n: int, timeout: float) -> bytes:
        """Up to n bytes that arrive within `timeout`; b"" when none did."""
        return b""

    def close(self) -> None:
        if self._open:
            self._open = False
            # The device may be gone already; closing must still release what is left.
            with contextlib.suppress(Exception):
                self.conn.close()
            # python-escpos forgets the device only when its close succeeded; a vanished device
            # would make it try again (and fail) when the object is garbage collected.
            self.conn._device = False


class UsbLink(Link):
    can_read = True

    def _escpos(self) -> Any:
        if not escpos_printer.Usb.is_usable():
            raise PrinterError(
                f"USB 打印需要 pyusb，本机未安装；或改用 file:///dev/usb/lp0 / {self.addr} "
                "needs the pyusb package, which is not installed; or use file:///dev/usb/lp0",
                "unsupported",
            )
        # Keyword arguments only: the 3.x positional order differs from 2.x (timeout before endpoints).
        kwargs: dict[str, Any] = {
            "idVendor": self.addr.vid,
            "idProduct": self.addr.pid,
            "timeout": int(self.addr.timeout * 1000),
        }
        for ep in ("in_ep", "out_ep"):
            if ep in self.addr.options:
                kwargs[ep] = int(self.addr.options[ep], 0)
        return escpos_printer.Usb(**kwargs)

    def _opened(self) -> None:
        if self.conn._device is None:
            raise PrinterError(f"找不到 USB 打印机 {self.addr} / no USB printer {self.addr}", "not_found")

    def _open_error(self, exc: BaseException) -> PrinterError:
        cause = exc.__cause__ or exc.__context__ or exc
        denied = "Access denied" in str(exc) or "Permission" in str(exc)
        if denied or getattr(cause, "errno", None) == errno.EACCES:
            return PrinterError(
                f"没有权限访问 {self.addr}：把此型号加入 udev 规则 {UDEV_RULES} / permission denied on "
                f"{self.addr}: add this VID:PID to the udev rules ({UDEV_RULES}, source packaging/udev/)",
                "permission",
            )
        return super()._open_error(exc)

    def read(self, n: int, timeout: float) -> bytes:
        start = time.monotonic()
        timeout = max(timeout, 0.001)
        try:
            return bytes(self.conn._device.read(self.conn.in_ep, n, int(timeout * 1000)))
        except Exception as exc:
            # pyusb reports a read timeout as USBTimeoutError (errno 110); anything else is a lost device.
            if getattr(exc, "errno", None) == errno.ETIMEDOUT or time.monotonic() - start >= timeout:
                return b""
            raise self._lost(exc) from exc


class SerialLink(Link):
    can_read = True

    def _escpos(self) -> Any:
        a = self.addr
        return _Serial(
            devfile=a.path,
            baudrate=a.baud,
            timeout=1,
            xonxoff=a.flow == "xonxoff",
            dsrdtr=False,
            rtscts=a.flow == "rtscts",
        )

    def _open_error(self, exc: BaseException) -> PrinterError:
        return _file_open_error(self.addr.path, exc)

    def _raw(self, data: bytes) -> None:
        if self.conn._device is not None:
            # Time for the bytes at this baud, plus room for the printer to pause us (flow control).
            self.conn._device.write_timeout = len(data) * 10 / self.addr.baud * 2 + 5
        self.conn._raw(data)

    def wait_sent(self) -> None:
        try:
            self.conn._device.flush()  # tcdrain
        except _IO_ERRORS as exc:
            raise self._lost(exc) from exc

    def drain(self) -> None:
        try:
            self.conn._device.reset_input_buffer()
        except _IO_ERRORS as exc:
            raise self._lost(exc) from exc

    def read(self, n: int, timeout: float) -> bytes:
        dev = self.conn._device
        try:
            dev.timeout = max(timeout, 0.001)
            return bytes(dev.read(n))
        except _IO_ERRORS as exc:
            raise self._lost(exc) from exc


class TcpLink(Link):
    can_read = True

    def _escpos(self) -> Any:
        return escpos_printer.Network(host=self.addr.host, port=self.addr.port, timeout=self.addr.timeout)

    def _opened(self) -> None:
        # A status query right after a job would otherwise wait for the job's ACK (Nagle + delayed
        # ACK: about 40 ms per query).
        self.conn._device.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _open_error(self, exc: BaseException) -> PrinterError:
        cause = exc.__cause__ or exc.__context__ or exc
        return PrinterError(
            f"无法连接网络打印机 {self.addr}（{cause}）：检查电源、网线和 IP / "
            f"cannot connect to {self.addr} ({cause}): check power, cable and address",
            "not_found",
        )

    def _closed_by_printer(self) -> ConnectionLost:
        return ConnectionLost(f"打印机断开了连接 / printer closed the connection ({self.addr})")

    def drain(self) -> None:
        dev = self.conn._device
        try:
            dev.setblocking(False)
            try:
                while True:
                    if not dev.recv(4096):
                        raise self._closed_by_printer()
            except (BlockingIOError, InterruptedError):
                pass
            finally:
                dev.settimeout(self.addr.timeout)
        except _IO_ERRORS as exc:
            raise self._lost(exc) from exc

    def read(self, n: int, timeout: float) -> bytes:
        dev = self.conn._device
        try:
            dev.settimeout(max(timeout, 0.001))
            try:
                chunk = dev.recv(n)
            except TimeoutError:
                return b""
            finally:
                dev.settimeout(self.addr.timeout)
        except _IO_ERRORS as exc:
            raise self._lost(exc) from exc
        if not chunk:
            raise self._closed_by_printer()
        return chunk


class FileLink(Link):
    """A device file such as the kernel's /dev/usb/lp0: write only (no paper status)."""

    def _escpos(self) -> Any:
        return escpos_printer.File(devfile=self.addr.path)

    def _open_error(self, exc: BaseException) -> PrinterError:
        return _file_open_error(self.addr.path, exc)


class DummyLink(Link):
    """Prints nothing (a kiosk without a printer); python-escpos's Dummy keeps the bytes."""

    def _escpos(self) -> Any:
        return escpos_printer.Dummy()


def _file_open_error(path: str, exc: BaseException) -> PrinterError:
    cause = exc.__cause__ or exc.__context__ or exc
    err = describe_open_error(path, cause if getattr(cause, "errno", None) else exc)
    return PrinterError(str(err), err.kind)


LINKS: dict[str, type[Link]] = {
    "usb": UsbLink,
    "serial": SerialLink,
    "tcp": TcpLink,
    "file": FileLink,
    "dummy": DummyLink,
}


def make_escpos(addr: PrinterAddress) -> Any:
    """The python-escpos connection object for an address (not opened)."""
    return LINKS[addr.scheme](addr).conn


def open_link(addr: PrinterAddress) -> Link:
    link = LINKS[addr.scheme](addr)
    link.open()
    return link


__all__ = [
    "LINKS",
    "ConnectionLost",
    "Link",
    "PrinterAddress",
    "PrinterError",
    "open_link",
    "parse_printer_url",
]
