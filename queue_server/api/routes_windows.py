"""Windows: list, reassign, call next; and the hall snapshot."""

from typing import Annotated, Any

from fastapi import APIRouter, Response

from ..services import posts, windows
from ..services import snapshot as snapshot_service
from ..services.context import Actor
from .deps import Ctx, require
from .problems import errors
from .responses import SnapshotOut, TicketOut, WindowOut, WindowViewOut
from .schemas import WindowPatchIn

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["windows"], responses=errors(401, 403, 404))


@router.get("/windows", response_model=list[WindowOut])
def list_windows(hall: str, c: Ctx, _: Annotated[Actor, require("window.read")]) -> list[dict[str, Any]]:
    return windows.list_windows(c, hall)


@router.get("/windows/{window}", response_model=WindowViewOut)
def get_window(hall: str, window: str, c: Ctx, _: Annotated[Actor, require("window.read")]) -> dict[str, Any]:
    return windows.get_window(c, hall, window)


@router.patch("/windows/{window}", response_model=WindowOut)
def patch_window(
    hall: str, window: str, body: WindowPatchIn, c: Ctx, who: Annotated[Actor, require("window.update")]
) -> dict[str, Any]:
    skills = None if body.skills is None else [(s.service, s.level) for s in body.skills]
    return windows.update_window(c, who, hall, window, zone=body.zone, skills=skills, state=body.state)


@router.post("/windows/{window}/pause", response_model=WindowOut)
def pause(hall: str, window: str, c: Ctx, who: Annotated[Actor, require("window.pause")]) -> dict[str, Any]:
    """The clerk at the window pauses it (break, backup post takes over); managers may too."""
    return windows.pause_own(c, who, hall, window, paused=True)


@router.post("/windows/{window}/resume", response_model=WindowOut, responses=errors(409))
def resume(hall: str, window: str, c: Ctx, who: Annotated[Actor, require("window.pause")]) -> dict[str, Any]:
    """Reopen a paused window (a closed window is opened by a manager)."""
    return windows.pause_own(c, who, hall, window, paused=False)


@router.post(
    "/windows/{window}/call-next",
    response_model=TicketOut,
    responses={204: {"description": "nothing waits for this window"}} | errors(409),
)
def call_next(hall: str, window: str, c: Ctx, who: Annotated[Actor, require("ticket.call")]) -> Any:
    called = windows.call_next(c, who, hall, window)
    return Response(status_code=204) if called is None else called


@router.get("/snapshot", response_model=SnapshotOut)
def snapshot(hall: str, c: Ctx, _: Annotated[Actor, require("hall.snapshot")]) -> dict[str, Any]:
    return snapshot_service.snapshot(c, hall)


@router.post("/windows/{window}/sign-in", response_model=WindowOut, responses=errors(422))
def sign_in(
    hall: str, window: str, c: Ctx, who: Annotated[Actor, require("window.sign_in")]
) -> dict[str, Any]:
    """A clerk takes a window; one already there is signed out of it (AB post takeover, audited)."""
    return posts.sign_in(c, who, hall, window)


@router.post("/windows/{window}/sign-out", status_code=204, responses=errors(409))
def sign_out(hall: str, window: str, c: Ctx, who: Annotated[Actor, require("window.sign_in")]) -> Response:
    posts.sign_out(c, who, hall, window)
    return Response(status_code=204)
