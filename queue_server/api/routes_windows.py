"""Windows: list, reassign, call next; and the hall snapshot."""

from typing import Annotated, Any

from fastapi import APIRouter, Response

from ..services import posts, windows
from ..services import snapshot as snapshot_service
from ..services.context import Actor
from .deps import Ctx, require
from .schemas import WindowPatchIn

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["windows"])


@router.get("/windows")
def list_windows(hall: str, c: Ctx, _: Annotated[Actor, require("window.read")]) -> list[dict[str, Any]]:
    return windows.list_windows(c, hall)


@router.get("/windows/{window}")
def get_window(hall: str, window: str, c: Ctx, _: Annotated[Actor, require("window.read")]) -> dict[str, Any]:
    return windows.get_window(c, hall, window)


@router.patch("/windows/{window}")
def patch_window(
    hall: str, window: str, body: WindowPatchIn, c: Ctx, who: Annotated[Actor, require("window.update")]
) -> dict[str, Any]:
    skills = None if body.skills is None else [(s.service, s.level) for s in body.skills]
    return windows.update_window(c, who, hall, window, zone=body.zone, skills=skills, state=body.state)


@router.post("/windows/{window}/pause")
def pause(hall: str, window: str, c: Ctx, who: Annotated[Actor, require("window.pause")]) -> dict[str, Any]:
    """The clerk at the window pauses it (break, backup post takes over); managers may too."""
    return windows.pause_own(c, who, hall, window, paused=True)


@router.post("/windows/{window}/resume")
def resume(hall: str, window: str, c: Ctx, who: Annotated[Actor, require("window.pause")]) -> dict[str, Any]:
    """Reopen a paused window (a closed window is opened by a manager)."""
    return windows.pause_own(c, who, hall, window, paused=False)


@router.post("/windows/{window}/call-next", responses={204: {"description": "nothing waits for this window"}})
def call_next(hall: str, window: str, c: Ctx, who: Annotated[Actor, require("ticket.call")]) -> Any:
    called = windows.call_next(c, who, hall, window)
    return Response(status_code=204) if called is None else called


@router.get("/snapshot")
def snapshot(hall: str, c: Ctx, _: Annotated[Actor, require("hall.snapshot")]) -> dict[str, Any]:
    return snapshot_service.snapshot(c, hall)


@router.post("/windows/{window}/sign-in")
def sign_in(
    hall: str, window: str, c: Ctx, who: Annotated[Actor, require("window.sign_in")]
) -> dict[str, Any]:
    """A clerk takes a window; one already there is signed out of it (AB post takeover, audited)."""
    return posts.sign_in(c, who, hall, window)


@router.post("/windows/{window}/sign-out", status_code=204)
def sign_out(hall: str, window: str, c: Ctx, who: Annotated[Actor, require("window.sign_in")]) -> Response:
    posts.sign_out(c, who, hall, window)
    return Response(status_code=204)
