"""One-off closures of a hall, a zone or an item (managers)."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from ..services import closures
from ..services.context import Actor
from .deps import Ctx, require
from .schemas import ClosureIn

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["calendar"])


@router.get("/closures")
def list_closures(hall: str, c: Ctx, who: Annotated[Actor, require("hall.closures")]) -> list[dict[str, Any]]:
    """Closures that have not ended yet, earliest first (times in the hall's local time)."""
    return closures.list_closures(c, who, hall)


@router.post("/closures", status_code=201)
def add_closure(
    hall: str, body: ClosureIn, c: Ctx, who: Annotated[Actor, require("hall.closures")]
) -> dict[str, Any]:
    """Close the whole hall, one zone or one item from `starts_at` to `ends_at` (without an offset:
    the hall's local time). Items show it at once: `open_now`, `next_open`, `closed_reason`."""
    return closures.add_closure(c, who, hall, **body.model_dump())


@router.delete("/closures/{closure_id}", status_code=204)
def remove_closure(
    hall: str,
    closure_id: Annotated[int, Path(ge=1, le=2**31 - 1)],  # an id the databases' integer column can hold
    c: Ctx,
    who: Annotated[Actor, require("hall.closures")],
) -> Response:
    closures.remove_closure(c, who, hall, closure_id)
    return Response(status_code=204)
