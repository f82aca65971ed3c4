"""What anyone holding a ticket may see: no personal data."""

from typing import Annotated, Any

from fastapi import APIRouter

from ..services import evaluations, tickets
from ..services.context import Actor
from .deps import Ctx, require
from .problems import errors
from .responses import EvaluationOut, PublicTicketOut
from .schemas import EvaluationIn

router = APIRouter(prefix="/api/v1", tags=["public"], responses=errors(404))


@router.post(
    "/public/tickets/{token}/evaluation",
    status_code=201,
    response_model=EvaluationOut,
    responses=errors(401, 403, 409),  # 403: staff may not rate a citizen's ticket
)
def evaluate_own(
    token: str, body: EvaluationIn, c: Ctx, who: Annotated[Actor, require("public.evaluate")]
) -> dict[str, Any]:
    """好差评 by the ticket holder: the ticket's token is the credential."""
    return evaluations.evaluate_by_token(c, who, token, body.level, body.reasons)


@router.get("/public/tickets/{token}", response_model=PublicTicketOut, dependencies=[require("public.read")])
def by_token(token: str, c: Ctx) -> dict[str, Any]:
    return tickets.public_status(c, token)


@router.get(
    "/halls/{hall}/public/tickets/by-number/{number}",
    response_model=PublicTicketOut,
    dependencies=[require("public.read")],
)
def by_number(hall: str, number: str, c: Ctx) -> dict[str, Any]:
    return tickets.public_status_by_number(c, hall, number)
