"""Who takes the ticket: an ID card on the reader, a number typed on the keypad, or nobody (where the
item allows it). The data lives in the CitizenSession only; the screens see masked forms."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk import devices as dev
from kiosk.catalogue import Catalogue
from kiosk.i18n import strings
from kiosk.parts import Parts

ID_KEYS = tuple("0123456789X")
ID_LENGTH = 18


class Identity(QObject):
    changed = Signal()

    def __init__(self, parts: Parts, catalogue: Catalogue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.parts = parts
        self.catalogue = catalogue
        self._keypad = ""
        self._error = ""
        parts.display.langChanged.connect(self.changed)
        catalogue.guideChanged.connect(self.changed)

    def _get_identity(self) -> dict[str, str]:
        return self.parts.session.masked()

    identity = Property("QVariantMap", _get_identity, notify=changed)

    def _get_keypad(self) -> str:
        return self._keypad

    keypadText = Property(str, _get_keypad, notify=changed)

    def _get_error(self) -> str:
        return self._error

    keypadError = Property(str, _get_error, notify=changed)

    def _get_reader_state(self) -> str:
        return self.parts.devices.reader_state

    readerState = Property(str, _get_reader_state, notify=changed)

    def id_required(self) -> bool:
        item = self.catalogue.item()
        return bool(item and item.get("id_required"))

    idRequired = Property(bool, id_required, notify=changed)

    @Slot(str)
    def keypadPress(self, key: str) -> None:
        if key == "del":
            self._keypad = self._keypad[:-1]
        elif key == "clear":
            self._keypad = ""
        # X is only ever the check character: refuse it anywhere else.
        elif (
            key in ID_KEYS
            and len(self._keypad) < ID_LENGTH
            and (key != "X" or len(self._keypad) == ID_LENGTH - 1)
        ):
            self._keypad += key
        self._error = ""
        self.changed.emit()

    def start_keypad(self) -> None:
        self._keypad = self._error = ""
        self.changed.emit()

    def keypad_confirm(self) -> bool:
        """True when the typed number is valid and now the session's identity."""
        s = strings(self.parts.lang)
        if len(self._keypad) != ID_LENGTH:
            self._error = s["id_incomplete"]
        elif not dev.validate_id_number(self._keypad):
            self._error = s["id_invalid"]
        else:
            self.parts.session.set_manual_id(self._keypad)
            self._keypad = ""
            self.changed.emit()
            return True
        self.changed.emit()
        return False

    def skip(self) -> bool:
        if self.id_required():
            return False
        self.parts.session.skip_identity()
        self.changed.emit()
        return True

    def card(self, card: Any) -> bool:
        """A card on the reader during the identity step; False (with a message) when it is not valid."""
        if not getattr(card, "check_digit_ok", True):
            self._error = strings(self.parts.lang)["id_invalid"]
            self.changed.emit()
            return False
        self.parts.session.set_card(card)
        self._error = ""
        self.changed.emit()
        return True

    def drop(self) -> None:
        """Back from identity or confirm: keep the chosen item, forget the person."""
        self.parts.session.card = None
        self.parts.session.manual_id = None
        self.changed.emit()

    def forget(self) -> None:
        self._keypad = self._error = ""
        self.changed.emit()
