"""Issuing tickets and acting on them."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Request, Response

from ..services import tickets
from .deps import Ctx, Who, base_url
from .schemas import IssueIn, TicketOut, TransferIn

router = APIRouter(prefix="/api/v1", tags=["tickets"])

SimpleAction = Literal["recall", "start", "finish", "no-show", "cancel"]


@router.post("/halls/{hall}/tickets", status_code=201, response_model=TicketOut)
def issue_ticket(
    hall: str,
    body: IssueIn,
    request: Request,
    response: Response,
    c: Ctx,
    who: Who,
) -> dict[str, Any]:
    """Issue a ticket. Replaying an idempotency key returns the same ticket with status 200."""
    card = None
    if body.id_card is not None:
        card = tickets.IdCardData(
            body.id_card.id_number, body.id_card.name, body.id_card.birth_date, body.id_card.card_type
        )
    req = tickets.IssueRequest(body.service, body.idempotency_key, card, body.channel)
    view, created = tickets.issue(c, who, hall, req, base_url(request))
    if not created:
        response.status_code = 200
    return view


@router.get("/tickets/{ticket_id}")
def get_ticket(ticket_id: int, c: Ctx) -> dict[str, Any]:
    return tickets.get_ticket(c, ticket_id)


@router.post("/tickets/{ticket_id}/transfer")
def transfer(ticket_id: int, body: TransferIn, c: Ctx, who: Who) -> dict[str, Any]:
    """Move a called or serving ticket to another item and/or window; it keeps its place in line."""
    return tickets.act(
        c, who, ticket_id, "transfer", service=body.service, window=body.window, reason=body.reason
    )


@router.post("/tickets/{ticket_id}/{action}")
def ticket_action(
    ticket_id: int,
    action: SimpleAction,
    c: Ctx,
    who: Who,
    _body: Annotated[dict[str, Any] | None, Body()] = None,
) -> dict[str, Any]:
    """recall, start, finish, no-show or cancel; 409 when the ticket's status does not allow it."""
    return tickets.act(c, who, ticket_id, action)
