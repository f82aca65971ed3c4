"""The body of a ticket's live events (`ticket.issued`, `ticket.called`, …): what displays need of a
ticket, never personal data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from ..db.models import Ticket
    from .issuing import Issued


class Transfer(BaseModel):
    service: str
    window: str | None


class TicketEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    ticket_id: int
    number: str
    service: str
    service_name: str
    zone: str
    status: str
    priority_class: str
    window: str | None
    window_name: str | None
    recall_count: int
    # A call or recall: what the hall's displays say.
    announcement_zh: str | None = None
    announcement_en: str | None = None
    # A transfer: where the ticket went.
    transferred_to: Transfer | None = None

    @classmethod
    def of(cls, t: Ticket | Issued, **extra: Any) -> TicketEvent:
        return cls(
            ticket_id=t.id,
            number=t.number,
            service=t.service.code,
            service_name=t.service.name,
            zone=t.service.zone.key,
            status=t.status,
            priority_class=t.priority_class,
            window=t.window.code if t.window else None,
            window_name=t.window.name if t.window else None,
            recall_count=t.recall_count,
            **extra,
        )

    def payload(self) -> dict[str, Any]:
        """As stored and sent: the extras only where they apply."""
        return self.model_dump(exclude_unset=True)
