"""Notices (公告) of the hall displays' ticker: anyone reads them, managers write them."""

from typing import Annotated, Any

from fastapi import APIRouter, Response

from ..services import notices
from ..services.context import Actor
from .deps import Ctx, require
from .edge import RowId
from .problems import errors
from .responses import NoticeOut
from .schemas import NoticeIn

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["notices"], responses=errors(404))


@router.get("/notices", response_model=list[NoticeOut])
def list_notices(hall: str, c: Ctx, who: Annotated[Actor, require("public.read")]) -> list[dict[str, Any]]:
    """Notices not ended yet, in the ticker's order; a display shows those whose `starts_at` has come."""
    return notices.list_notices(c, who, hall)


@router.post("/notices", status_code=201, response_model=NoticeOut, responses=errors(401, 403, 409))
def add_notice(
    hall: str, body: NoticeIn, c: Ctx, who: Annotated[Actor, require("hall.notices")]
) -> dict[str, Any]:
    """Add a notice (last in the ticker unless `order` is given); displays show it at once (`notice.added`).
    409: the hall already has the most notices allowed."""
    return notices.add_notice(c, who, hall, **body.model_dump())


@router.put("/notices/{notice_id}", response_model=NoticeOut, responses=errors(401, 403))
def update_notice(
    hall: str, notice_id: RowId, body: NoticeIn, c: Ctx, who: Annotated[Actor, require("hall.notices")]
) -> dict[str, Any]:
    """Replace a notice's texts and times (fields left out are cleared; `order` left out is kept)."""
    return notices.update_notice(c, who, hall, notice_id, **body.model_dump())


@router.delete("/notices/{notice_id}", status_code=204, responses=errors(401, 403))
def remove_notice(
    hall: str, notice_id: RowId, c: Ctx, who: Annotated[Actor, require("hall.notices")]
) -> Response:
    notices.remove_notice(c, who, hall, notice_id)
    return Response(status_code=204)
