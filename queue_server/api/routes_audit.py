"""The audit trail, read-only: there is no route that changes or deletes it."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from ..services import audit
from ..services.context import Actor
from .deps import Ctx, require

router = APIRouter(prefix="/api/v1", tags=["audit"])
Reader = Annotated[Actor, require("audit.read")]


@router.get("/halls/{hall}/audit")
def hall_audit(
    hall: str,
    c: Ctx,
    who: Reader,
    ticket: int | None = None,
    window: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_LIMIT)] = 100,
) -> list[dict[str, Any]]:
    """Newest first; `actor` is the acting user or device; `since`/`until` are ISO times with zone."""
    return audit.query(
        c, who, hall, ticket=ticket, window=window, person=actor, since=since, until=until, limit=limit
    )


@router.get("/audit")
def all_audit(
    c: Ctx,
    who: Annotated[Actor, require("audit.read_all")],
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_LIMIT)] = 100,
) -> list[dict[str, Any]]:
    """Every hall and the hall-less events (accounts, retention): administrators only."""
    return audit.query(c, who, None, person=actor, since=since, until=until, limit=limit)
