"""What anyone holding a ticket may see: no personal data."""

from typing import Any

from fastapi import APIRouter

from ..services import tickets
from .deps import Ctx
from .schemas import PublicTicketOut

router = APIRouter(prefix="/api/v1", tags=["public"])


@router.get("/public/tickets/{token}", response_model=PublicTicketOut)
def by_token(token: str, c: Ctx) -> dict[str, Any]:
    return tickets.public_status(c, token)


@router.get("/halls/{hall}/public/tickets/by-number/{number}", response_model=PublicTicketOut)
def by_number(hall: str, number: str, c: Ctx) -> dict[str, Any]:
    return tickets.public_status_by_number(c, hall, number)
