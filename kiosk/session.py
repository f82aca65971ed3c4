"""The current citizen's session: the only place the ID data lives, wiped when the citizen leaves."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from kiosk.devices import IdCard, mask_id_number, mask_name

MANUAL_NAME = "手工输入"


@dataclass
class CitizenSession:
    service_code: str | None = None
    card: IdCard | None = None
    manual_id: str | None = None
    skipped_identity: bool = False
    idempotency_key: str | None = None

    # A new identity is a new request: a retry key must never carry a ticket over to another person.
    def set_card(self, card: IdCard) -> None:
        self.card, self.manual_id, self.skipped_identity = card, None, False
        self.idempotency_key = None

    def set_manual_id(self, id_number: str) -> None:
        self.card, self.manual_id, self.skipped_identity = None, id_number, False
        self.idempotency_key = None

    def skip_identity(self) -> None:
        self.card, self.manual_id, self.skipped_identity = None, None, True
        self.idempotency_key = None

    def has_identity(self) -> bool:
        return self.card is not None or self.manual_id is not None

    def issue_key(self) -> str:
        """One key per ticket attempt: a retry after a network error reuses it (same ticket)."""
        if self.idempotency_key is None:
            self.idempotency_key = uuid.uuid4().hex
        return self.idempotency_key

    def id_card_payload(self) -> dict[str, Any] | None:
        if self.card is not None:
            payload = {"id_number": self.card.id_number, "name": self.card.name,
                       "card_type": self.card.card_type}
            if self.card.birth_date:
                payload["birth_date"] = _iso_date(self.card.birth_date)
            return payload
        if self.manual_id is not None:
            # A typed number carries no name, but the API requires one: say how it was entered.
            # The birth date is part of the number (digits 7–14): it drives the elderly priority.
            return {"id_number": self.manual_id, "name": MANUAL_NAME, "card_type": "resident",
                    "birth_date": _iso_date(self.manual_id[6:14])}
        return None

    def masked(self) -> dict[str, str]:
        if self.card is not None:
            return {"source": "card", "name": mask_name(self.card.name),
                    "idNumber": mask_id_number(self.card.id_number)}
        if self.manual_id is not None:
            return {"source": "keypad", "name": "", "idNumber": mask_id_number(self.manual_id)}
        return {"source": "none", "name": "", "idNumber": ""}

    def wipe(self) -> None:
        self.service_code = None
        self.card = None
        self.manual_id = None
        self.skipped_identity = False
        self.idempotency_key = None


def _iso_date(value: str) -> str:
    digits = "".join(c for c in str(value) if c.isdigit())
    if len(digits) == 8:
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    return str(value)
