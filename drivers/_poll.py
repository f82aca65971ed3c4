"""A background thread that keeps a device open, polls it, and reopens it after it went away."""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable

log = logging.getLogger(__name__)

ErrorCallback = Callable[[Exception], None]


class DevicePoller(ABC):
    """Subclasses implement _open, _close and _poll_once; this class owns the thread and recovery.

    A device error closes the device, is reported once per outage through on_error, and the port is
    reopened every `interval` until it works again. stop() returns once the thread has ended.
    """

    name = "device-poller"

    def __init__(self, on_error: ErrorCallback | None, interval: float) -> None:
        self.on_error = on_error
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._in_outage = False

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("poller already started")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> DevicePoller:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    self._open()
                    self._poll_once()
                    self._in_outage = False
                except Exception as exc:  # any device failure: report, close, retry later
                    self._safe_close()
                    self._device_failed(exc)
                    if not self._in_outage:
                        self._in_outage = True
                        self._report(exc)
                self._stop.wait(self._pause())
        finally:
            self._safe_close()

    def _pause(self) -> float:
        return self.interval

    def _report(self, exc: Exception) -> None:
        log.warning("%s: %s", self.name, exc)
        if self.on_error is not None:
            try:
                self.on_error(exc)
            except Exception:
                log.exception("%s: on_error callback failed", self.name)

    def _safe_close(self) -> None:
        try:
            self._close()
        except Exception:
            log.debug("%s: close failed", self.name, exc_info=True)

    @staticmethod
    def call(callback: Callable[..., object] | None, *args: object) -> None:
        """Runs a user callback; its failure is logged and never stops the poller."""
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:
            log.exception("poller callback failed")

    # -- for subclasses -----------------------------------------------------------------------------
    @abstractmethod
    def _open(self) -> None:
        """Opens the device when it is not open (called before every poll)."""

    @abstractmethod
    def _close(self) -> None:
        """Closes the device; must not fail when it is already gone."""

    @abstractmethod
    def _poll_once(self) -> None:
        """One poll; raises on device failure."""

    def _device_failed(self, exc: Exception) -> None:  # noqa: B027 - an optional hook, empty by default
        """Hook: a poll failed with `exc` and the device was closed (e.g. report a card as removed)."""
