"""A simulated serial device on a pseudo-terminal: the driver opens /dev/pts/N with pyserial as if
it were /dev/ttyUSB0, and a thread here answers on the master side.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import threading
import tty
from abc import ABC, abstractmethod


class PtyDevice(ABC):
    """Owns the pty pair and an I/O thread; subclasses react to bytes in `on_data` and answer with
    `send`. `link`, when given, is a symlink kept pointing at the current /dev/pts/N (like a udev
    rule's SYMLINK), so a driver can find the device again after unplug/replug.
    """

    thread_name = "sim-pty"

    def __init__(self, link: str | None = None) -> None:
        self.link = link
        self._master: int | None = None
        self._slave: int | None = None
        self._pts: str | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._write_lock = threading.Lock()

    # -- lifecycle ----------------------------------------------------------------------------------
    def start(self) -> PtyDevice:
        if self._thread is not None:
            return self
        master, slave = os.openpty()
        # Raw mode on the device side: no echo, no line editing, no CR/LF translation of binary frames.
        tty.setraw(slave)
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        self._pts = os.ttyname(slave)
        if self.link:
            tmp = self.link + ".new"
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            os.symlink(self._pts, tmp)
            os.replace(tmp, self.link)
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        for fd in (self._master, self._slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = None
        if self.link:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.link)

    def unplug(self) -> None:
        """The cable is pulled: the pty goes away, the driver's reads and writes fail."""
        self.stop()

    def replug(self) -> None:
        """The device comes back, usually on another /dev/pts/N (the link, if any, follows)."""
        self.start()

    @property
    def port(self) -> str:
        """The path a driver opens: the link when configured, else /dev/pts/N."""
        if self.link:
            return self.link
        if self._pts is None:
            raise RuntimeError("device not started")
        return self._pts

    @property
    def pts(self) -> str | None:
        return self._pts

    @property
    def running(self) -> bool:
        return self._thread is not None

    def __enter__(self) -> PtyDevice:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- I/O ----------------------------------------------------------------------------------------
    def send(self, data: bytes, timeout: float = 2.0) -> None:
        """Writes to the driver; data the driver does not drain within `timeout` is dropped."""
        master = self._master
        if master is None:
            return
        view = memoryview(data)
        with self._write_lock:
            while view:
                try:
                    n = os.write(master, view)
                    view = view[n:]
                except BlockingIOError:
                    _, ready, _ = select.select([], [master], [], timeout)
                    if not ready:
                        return
                except OSError:
                    return

    def _run(self) -> None:
        master = self._master
        assert master is not None
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([master], [], [], 0.05)
            except (OSError, ValueError):
                return
            if not ready:
                continue
            try:
                data = os.read(master, 65536)
            except BlockingIOError:
                continue
            except OSError as exc:
                if exc.errno == errno.EIO:
                    self._stop.wait(0.01)
                    continue
                return
            if data:
                self.on_data(data)

    @abstractmethod
    def on_data(self, data: bytes) -> None:
        """Bytes the driver wrote to the port."""
