"""Issuing tickets and acting on them."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Request, Response
from starlette.concurrency import run_in_threadpool

from ..services import evaluations, issuing, outcomes, tickets
from ..services.context import Actor
from .deps import Ctx, base_url, require
from .edge import RowId
from .problems import errors
from .responses import EvaluationOut, IssuedTicketOut, TicketOut
from .schemas import EvaluationIn, FinishIn, IssueIn, OutcomeIn, OutcomeOut, SlipOut, TransferIn

router = APIRouter(prefix="/api/v1", tags=["tickets"], responses=errors(401, 403, 404))

Act = Annotated[Actor, require("ticket.act")]
SimpleAction = Literal["recall", "start", "no-show", "cancel"]


@router.post(
    "/halls/{hall}/tickets",
    status_code=201,
    response_model=IssuedTicketOut,
    responses={200: {"model": IssuedTicketOut, "description": "a replayed idempotency key: the same ticket"}}
    | errors(409, 429),
)
async def issue_ticket(
    hall: str,
    body: IssueIn,
    request: Request,
    response: Response,
    c: Ctx,
    who: Annotated[Actor, require("ticket.issue")],
) -> dict[str, Any]:
    """Issue a ticket. Replaying an idempotency key returns the same ticket with status 200; the same
    key with another item, channel, caller or card is refused (409 `idempotency_mismatch`)."""
    card = None
    if body.id_card is not None:
        card = issuing.IdCardData(
            body.id_card.id_number, body.id_card.name, body.id_card.birth_date, body.id_card.card_type
        )
    req = issuing.IssueRequest(body.service, body.idempotency_key, card, body.channel)
    # The busiest route: one trip to the thread pool (a sync route would take a second one to
    # check its response).
    view, created = await run_in_threadpool(issuing.issue, c, who, hall, req, base_url(request))
    if not created:
        response.status_code = 200
    return view


@router.get("/tickets/{ticket_id}", response_model=TicketOut)
def get_ticket(ticket_id: RowId, c: Ctx, who: Annotated[Actor, require("ticket.read")]) -> dict[str, Any]:
    return tickets.get_ticket(c, who, ticket_id)


@router.post("/tickets/{ticket_id}/transfer", response_model=TicketOut, responses=errors(409))
def transfer(ticket_id: RowId, body: TransferIn, c: Ctx, who: Act) -> dict[str, Any]:
    """Move a called or serving ticket to another item and/or window; it keeps its place in line."""
    return tickets.act(
        c, who, ticket_id, "transfer", service=body.service, window=body.window, reason=body.reason
    )


def _outcome(body: OutcomeIn) -> outcomes.Outcome:
    return outcomes.Outcome(body.kind, body.missing, body.owed_by, body.reason)


@router.post("/tickets/{ticket_id}/finish", response_model=TicketOut, responses=errors(409))
def finish(ticket_id: RowId, c: Ctx, who: Act, body: FinishIn | None = None) -> dict[str, Any]:
    """Finish a ticket being served, with the window's outcome (受理 / 一次性告知 / 容缺受理 /
    不予受理 / 咨询); without one, it can be recorded afterwards (`POST …/outcome`)."""
    outcome = _outcome(body.outcome) if body and body.outcome else None
    return tickets.act(c, who, ticket_id, "finish", outcome=outcome)


@router.post(
    "/tickets/{ticket_id}/outcome", status_code=201, response_model=OutcomeOut, responses=errors(409)
)
def record_outcome(ticket_id: RowId, body: OutcomeIn, c: Ctx, who: Act) -> dict[str, Any]:
    """The outcome of a ticket finished without one (once)."""
    return outcomes.record_after(c, who, ticket_id, _outcome(body))


@router.get("/tickets/{ticket_id}/outcome", response_model=SlipOut, responses=errors(404, 409))
def get_outcome(ticket_id: RowId, c: Ctx, who: Annotated[Actor, require("ticket.read")]) -> dict[str, Any]:
    """The outcome with what its slip prints (受理单 / 一次性告知单 / 不予受理通知书)."""
    return outcomes.get(c, who, ticket_id)


@router.post(
    "/tickets/{ticket_id}/evaluation", status_code=201, response_model=EvaluationOut, responses=errors(409)
)
def evaluate(
    ticket_id: RowId, body: EvaluationIn, c: Ctx, who: Annotated[Actor, require("ticket.evaluate")]
) -> dict[str, Any]:
    """好差评: once per finished ticket (409 for a second rating or an unfinished ticket)."""
    return evaluations.evaluate(c, who, ticket_id, body.level, body.reasons)


@router.post("/tickets/{ticket_id}/{action}", response_model=TicketOut, responses=errors(409))
def ticket_action(
    ticket_id: RowId,
    action: SimpleAction,
    c: Ctx,
    who: Act,
    _body: Annotated[dict[str, Any] | None, Body()] = None,
) -> dict[str, Any]:
    """recall, start, no-show or cancel; 409 when the ticket's status does not allow it."""
    return tickets.act(c, who, ticket_id, action)
