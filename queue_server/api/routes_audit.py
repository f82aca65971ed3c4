"""The audit trail, read-only: there is no route that changes or deletes it."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ..services import audit
from ..services.context import Actor
from .deps import Ctx, require
from .edge import INT32_MAX, AwareTime
from .problems import errors
from .responses import AuditOut

router = APIRouter(prefix="/api/v1", tags=["audit"], responses=errors(401, 403))
Reader = Annotated[Actor, require("audit.read")]


@router.get("/halls/{hall}/audit", response_model=list[AuditOut], responses=errors(404))
def hall_audit(
    hall: str,
    c: Ctx,
    who: Reader,
    ticket: Annotated[int | None, Query(ge=1, le=INT32_MAX)] = None,
    window: str | None = None,
    actor: str | None = None,
    since: AwareTime | None = None,
    until: AwareTime | None = None,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_LIMIT)] = 100,
) -> list[dict[str, Any]]:
    """Newest first; `actor` is the acting user or device; `since`/`until` are ISO times with zone."""
    return audit.query(
        c, who, hall, ticket=ticket, window=window, person=actor, since=since, until=until, limit=limit
    )


@router.get("/audit", response_model=list[AuditOut])
def all_audit(
    c: Ctx,
    who: Annotated[Actor, require("audit.read_all")],
    actor: str | None = None,
    since: AwareTime | None = None,
    until: AwareTime | None = None,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_LIMIT)] = 100,
) -> list[dict[str, Any]]:
    """Every hall and the hall-less events (accounts, retention): administrators only."""
    return audit.query(c, who, None, person=actor, since=since, until=until, limit=limit)
