"""The idle watch: a warning with a countdown and "继续 / Continue" before the session is wiped.

Counts in ticks of `tick_ms` (1000 = real seconds; tests use a few milliseconds per tick, so a
10-second timeout is over in a fraction of a second without sleeping).
"""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

WARNING_TICKS = 10  # the last seconds are a visible countdown


class IdleWatch(QObject):
    changed = Signal()
    expired = Signal()

    def __init__(self, tick_ms: int = 1000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._tick)
        self._limit = 0
        self._left = 0

    def _get_warning(self) -> bool:
        return self._timer.isActive() and 0 < self._left <= self._warning_ticks()

    warning = Property(bool, _get_warning, notify=changed)

    def _get_left(self) -> int:
        return self._left

    secondsLeft = Property(int, _get_left, notify=changed)

    def _warning_ticks(self) -> int:
        return min(WARNING_TICKS, max(1, self._limit // 3))

    def start(self, ticks: int) -> None:
        """(Re)start counting `ticks` down; the warning shows for the last of them."""
        was_warning = self._get_warning()
        self._limit = self._left = ticks
        self._timer.start()
        if was_warning:
            self.changed.emit()

    def stop(self) -> None:
        was_warning = self._get_warning()
        self._timer.stop()
        if was_warning:
            self.changed.emit()

    def set_tick_ms(self, tick_ms: int) -> None:
        self._timer.setInterval(tick_ms)

    def active(self) -> bool:
        return self._timer.isActive()

    @Slot()
    def keepAlive(self) -> None:
        """Any touch, or the Continue button: the citizen is still there."""
        if self._timer.isActive():
            self.start(self._limit)

    def _tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._timer.stop()
            self.changed.emit()
            self.expired.emit()
        elif self._left <= self._warning_ticks():
            self.changed.emit()
