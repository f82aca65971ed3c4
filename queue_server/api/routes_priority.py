"""Staff-given priority classes (优先) and reactivating a missed call (过号)."""

from typing import Annotated, Any

from fastapi import APIRouter

from ..services import priority, reactivation
from ..services.context import Actor
from .deps import Ctx, require
from .edge import RowId
from .problems import errors
from .responses import MissedTicketOut, TicketOut
from .schemas import PriorityIn, ReactivateIn

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["tickets"], responses=errors(401, 403, 404, 409))


@router.post("/tickets/{ticket_id}/priority", response_model=TicketOut, responses=errors(403, 404, 409))
def give_priority(
    hall: str, ticket_id: RowId, body: PriorityIn, c: Ctx, who: Annotated[Actor, require("ticket.priority")]
) -> dict[str, Any]:
    """Give a waiting ticket one of the hall's priority classes, with a reason (audited)."""
    return priority.give(c, who, hall, ticket_id, body.kind, body.reason)


@router.post("/reactivations", response_model=TicketOut, responses=errors(403, 404, 409))
def reactivate(
    hall: str, body: ReactivateIn, c: Ctx, who: Annotated[Actor, require("ticket.reactivate")]
) -> dict[str, Any]:
    """A no-show ticket rejoins behind the next K waiting (hall setting); by its id (clerk) or its
    token (kiosk, from the ticket's QR code)."""
    return reactivation.reactivate(c, who, hall, ticket_id=body.ticket_id, token=body.token)


@router.get("/windows/{window}/missed", response_model=list[MissedTicketOut], responses=errors(403, 404))
def missed(
    hall: str, window: str, c: Ctx, who: Annotated[Actor, require("window.read")]
) -> list[dict[str, Any]]:
    """This window's no-shows (过号) of today that may still rejoin, the latest first (the hall's
    `reactivate_min`); empty when the hall does not allow reactivation. Staff who read the window
    (not kiosks, which rejoin one ticket by its token)."""
    return reactivation.missed(c, who, hall, window)
