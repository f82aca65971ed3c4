"""CardPoller: watches a reader in a thread; one on_card per presentation, on_removed when it leaves."""

from __future__ import annotations

import time
from collections.abc import Callable

from drivers._poll import DevicePoller, ErrorCallback
from drivers.idcard.codes import IdCardPortError, SelectFailed, Sw3Error
from drivers.idcard.reader import IdCardReader
from drivers.idcard.record import IdCard

PortSource = str | Callable[[], str]


class CardPoller(DevicePoller):
    """Polls find() every `interval` seconds.

    After a card has been read the reader answers "no card" to find until the card leaves the field
    and comes back, so find alone cannot tell "still there" from "gone". While a card is reported we
    therefore also try select(): success means it is still in the field, failure means removal. A
    reader that refuses select on an already-read card only makes the removal come early; the card
    is never reported twice for one presentation, because find stays negative until it returns.
    """

    name = "idcard-poller"

    def __init__(self, port: PortSource, baud: int = 115200,
                 on_card: Callable[[IdCard], object] | None = None,
                 on_removed: Callable[[], object] | None = None,
                 on_error: ErrorCallback | None = None,
                 interval: float = 0.3, sam_check_interval: float = 10.0) -> None:
        super().__init__(on_error, interval)
        self.sam_check_interval = sam_check_interval
        self._last_sam_check = float("-inf")
        self._port_source = port
        self.baud = baud
        self.on_card = on_card
        self.on_removed = on_removed
        self._reader: IdCardReader | None = None
        self._card_present = False

    @property
    def card_present(self) -> bool:
        return self._card_present

    @property
    def connected(self) -> bool:
        """The port is open (the reader is plugged in)."""
        return self._reader is not None

    def _open(self) -> None:
        if self._reader is None:
            port = self._port_source() if callable(self._port_source) else self._port_source
            reader = IdCardReader(port, self.baud)
            reader.open()
            self._reader = reader
            self._last_sam_check = float("-inf")  # check the SAM right after (re)opening

    def _close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _device_failed(self, exc: Exception) -> None:
        # A reader that is gone cannot see the card: the kiosk must not keep a stale one on screen.
        # A timeout or SAM error says nothing about the card, which stays as it was.
        if isinstance(exc, IdCardPortError):
            self._set_removed()

    def _poll_once(self) -> None:
        reader = self._reader
        assert reader is not None
        if time.monotonic() - self._last_sam_check >= self.sam_check_interval:
            # A failed SAM raises its named error: reported once, and the port is reopened until it
            # works again, so maintenance sees "SAM self-test failed" rather than "no card".
            reader.sam_status()
            self._last_sam_check = time.monotonic()
        if reader.find():
            if self._card_present:
                # find only succeeds again after the card left the field: a new presentation.
                self._set_removed()
            try:
                reader.select()
                card = reader.read_card()
            except Sw3Error as exc:
                # Card pulled away mid-read, or unreadable: report, and let the next find retry.
                self._report(exc)
                return
            self._card_present = True
            self.call(self.on_card, card)
            return
        if self._card_present:
            try:
                reader.select()
            except SelectFailed:
                self._set_removed()
            except Sw3Error:
                self._set_removed()

    def _set_removed(self) -> None:
        if self._card_present:
            self._card_present = False
            self.call(self.on_removed)
