"""Runs blocking calls (HTTP, printer, serial) on a thread pool and hands results back on the GUI thread.

One long-lived dispatcher QObject lives in the GUI thread; a task emits its signal from the pool
thread, Qt queues the call, and the callback runs in the GUI thread. No per-task QObjects, so
nothing accumulates over months of operation.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)
_Done = Callable[[Any], None]
_Failed = Callable[[Exception], None]


class _Task(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], Any], dispatcher: Worker) -> None:
        super().__init__()
        self._job_id = job_id
        self._fn = fn
        self._dispatcher = dispatcher
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # handed to the GUI thread's error callback
            self._dispatcher.finished.emit(self._job_id, False, exc)
        else:
            self._dispatcher.finished.emit(self._job_id, True, result)


class Worker(QObject):
    finished = Signal(int, bool, object)

    def __init__(self, max_threads: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[_Done | None, _Failed | None]] = {}
        self.finished.connect(self._deliver)

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[Exception], None] | None = None) -> int:
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_done, on_error)
        self._pool.start(_Task(job_id, fn, self))
        return job_id

    def pending(self) -> int:
        return len(self._callbacks)

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, payload: object) -> None:
        on_done, on_error = self._callbacks.pop(job_id, (None, None))
        try:
            if ok and on_done is not None:
                on_done(payload)
            elif not ok:
                if on_error is not None:
                    on_error(payload)  # type: ignore[arg-type]
                else:
                    log.warning("background task failed: %s", type(payload).__name__)
        except Exception:
            log.exception("callback of a background task failed")
