"""Looking up a ticket: scanned from its QR code, or typed as its number (prefix letters + digits)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.api import ApiError
from kiosk.catalogue import Catalogue
from kiosk.i18n import strings
from kiosk.parts import Parts
from kiosk.present import local_time, ticket_view
from kiosk.printing import missed_rule

NUMBER = re.compile(r"^[A-Z]{0,3}\d{1,5}$")
MAX_LENGTH = 8


class Lookup(QObject):
    changed = Signal()
    found = Signal()
    notFound = Signal()  # shown on the look-up screen, wherever the scan happened

    def __init__(self, parts: Parts, catalogue: Catalogue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.parts = parts
        self.catalogue = catalogue
        self._text = ""
        self._result: dict[str, Any] | None = None
        self._token = ""  # known when the ticket's QR code was scanned: it lets the holder rate it
        self._rated = False
        self._rejoining = False
        self._message = ""
        parts.display.langChanged.connect(self.changed)

    def _get_text(self) -> str:
        return self._text

    lookupText = Property(str, _get_text, notify=changed)

    def _get_result(self) -> dict[str, Any]:
        return ticket_view(self._result, self.parts.lang, self.parts.hall_tz()) if self._result else {}

    lookupResult = Property("QVariantMap", _get_result, notify=changed)

    def _get_can_rate(self) -> bool:
        return bool(self._token and self._result and self._result.get("status") == "done" and not self._rated)

    canRate = Property(bool, _get_can_rate, notify=changed)

    @Slot(int)
    def rate(self, level: int) -> None:
        """好差评 of a finished ticket, at any hour (5 非常满意 … 1 非常不满意)."""
        if not self._get_can_rate() or level not in range(1, 6):
            return
        token, api = self._token, self.parts.api
        self._rated = True  # one touch, one rating
        self.changed.emit()
        self.parts.worker.submit(lambda: api.rate(token, level), self._on_rated, self._on_rate_error)

    def _on_rated(self, _answer: Any) -> None:
        self._message = strings(self.parts.lang)["rated"]
        self.changed.emit()

    def _on_rate_error(self, exc: Exception) -> None:
        if isinstance(exc, ApiError):  # already rated, not finished: the server says which
            self._message = exc.text(self.parts.lang)
        else:
            self._rated = False  # the network failed: the citizen may try again
            self.catalogue.mark_offline()
            self._message = strings(self.parts.lang)["server_down"]
        self.changed.emit()

    # -- 过号: a missed ticket rejoins the queue, when the server says it may (its token was scanned) ------
    def _get_missed_rule(self) -> str:
        missed = bool(self._result and self._result.get("status") == "no_show")
        return missed_rule(self.parts.cache.hall, self.parts.lang) if missed else ""

    missedRule = Property(str, _get_missed_rule, notify=changed)

    def _get_can_rejoin(self) -> bool:
        result = self._result or {}
        missed = result.get("status") == "no_show" and result.get("rejoin_until")
        return bool(self._token and missed and not self._rejoining)

    canRejoin = Property(bool, _get_can_rejoin, notify=changed)

    def _get_rejoin_until(self) -> str:
        if not self._get_can_rejoin() or self._result is None:
            return ""
        when = local_time(str(self._result["rejoin_until"]), self.parts.hall_tz())
        return strings(self.parts.lang)["rejoin_until"].format(time=when)

    rejoinUntil = Property(str, _get_rejoin_until, notify=changed)

    @Slot()
    def rejoin(self) -> None:
        """One touch, one request: the button is gone while it runs; the fresh status comes back."""
        if self._rejoining or not self._get_can_rejoin():
            return
        token, api = self._token, self.parts.api
        self._rejoining, self._message = True, ""
        self.changed.emit()

        def job() -> dict[str, Any]:
            api.reactivate(token)
            return api.ticket_by_token(token)  # with its place: the reactivation answer has none

        self.parts.worker.submit(job, self._on_rejoined, self._on_rejoin_error)

    def _on_rejoined(self, ticket: dict[str, Any]) -> None:
        self._rejoining, self._result = False, ticket
        ahead = int(ticket.get("waiting_ahead") or 0)
        self._message = strings(self.parts.lang)["rejoined"].format(n=ahead)
        self.changed.emit()

    def _on_rejoin_error(self, exc: Exception) -> None:
        self._rejoining = False
        if isinstance(exc, ApiError):  # too late, already once: the server says so, with the rule
            self._message = exc.text(self.parts.lang)
            if self._result is not None:
                self._result = {**self._result, "rejoin_until": None}
        else:
            self.catalogue.mark_offline()
            self._message = strings(self.parts.lang)["server_down"]
        self.changed.emit()

    def _get_message(self) -> str:
        return self._message

    message = Property(str, _get_message, notify=changed)

    @Slot(str)
    def lookupPress(self, key: str) -> None:
        if key == "del":
            self._text = self._text[:-1]
        elif key == "clear":
            self._text = ""
        elif len(self._text) < MAX_LENGTH and (key.isdigit() or key.isalpha()):
            self._text += key.upper()
        self.changed.emit()

    @Slot()
    def lookupSubmit(self) -> None:
        number = self._text
        if NUMBER.match(number):
            self._query(lambda: self.parts.api.ticket_by_number(number))

    def scanned(self, text: str) -> None:
        text = text.strip()
        api = self.parts.api
        if "/t/" in text:
            token = text.rsplit("/t/", 1)[1].split("?")[0].strip("/")
            self._query(lambda: api.ticket_by_token(token), token)
        elif NUMBER.match(text.upper()):
            number = text.upper()
            self._query(lambda: api.ticket_by_number(number))
        elif text:
            self._query(lambda: api.ticket_by_token(text), text)

    def _query(self, fn: Callable[[], dict[str, Any]], token: str = "") -> None:
        self._token, self._rated, self._rejoining = token, False, False
        self._message = ""
        self.changed.emit()
        self.parts.worker.submit(fn, self._on_found, self._on_error)

    def _on_found(self, ticket: dict[str, Any]) -> None:
        self._result = ticket
        self.changed.emit()
        self.found.emit()

    def _on_error(self, exc: Exception) -> None:
        s = strings(self.parts.lang)
        if isinstance(exc, ApiError):
            self._message = s["lookup_not_found"] if exc.status in (404, 422) else exc.text(self.parts.lang)
        else:
            self.catalogue.mark_offline()
            self._message = s["server_down"]
        self.changed.emit()
        self.notFound.emit()

    def forget(self, keep_message: bool = False) -> None:
        self._text = ""
        self._result = None
        self._token, self._rated = "", False
        if not keep_message:
            self._message = ""
        self.changed.emit()
