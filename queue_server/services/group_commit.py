"""Group commit: requests that arrive while a transaction is running share the next one.

Issuing is the busiest write and each hall's writes are serialised on purpose (gapless numbers and
event ids). Instead of queueing N transactions behind the hall's lock, the thread that finds no
batch running takes every waiting request into one transaction; the others wait for their result.
Alone, a request is a batch of one and pays nothing extra.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Job:
    """One request in a batch: the batch's processor sets `result` or `error` for it."""

    def __init__(self, *args: Any) -> None:
        self.args = args
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommit:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._pending: list[Job] = []
        self._busy = False

    def submit(self, job: Job, process: Callable[[list[Job]], None]) -> Any:
        """Run `job` in the next batch; `process` must give every job of its batch a result or error."""
        with self._cond:
            self._pending.append(job)
            while self._busy and not job.done:
                self._cond.wait()
            if job.done:
                return job.outcome()
            self._busy = True
            batch, self._pending = self._pending, []
        try:
            process(batch)
        except BaseException as exc:  # a processor bug must not leave anyone waiting forever
            for other in batch:
                if other.result is None and other.error is None:
                    other.error = exc
            raise
        finally:
            with self._cond:
                for other in batch:
                    other.done = True
                self._busy = False
                self._cond.notify_all()
        return job.outcome()
