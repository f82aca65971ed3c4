"""Windows: list, reassign, call next; and the hall snapshot."""

from typing import Any

from fastapi import APIRouter, Response

from ..services import snapshot as snapshot_service
from ..services import windows
from .deps import Ctx, Who
from .schemas import WindowPatchIn

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["windows"])


@router.get("/windows")
def list_windows(hall: str, c: Ctx) -> list[dict[str, Any]]:
    return windows.list_windows(c, hall)


@router.get("/windows/{window}")
def get_window(hall: str, window: str, c: Ctx) -> dict[str, Any]:
    return windows.get_window(c, hall, window)


@router.patch("/windows/{window}")
def patch_window(hall: str, window: str, body: WindowPatchIn, c: Ctx, who: Who) -> dict[str, Any]:
    skills = None if body.skills is None else [(s.service, s.level) for s in body.skills]
    return windows.update_window(c, who, hall, window, zone=body.zone, skills=skills, state=body.state)


@router.post("/windows/{window}/call-next", responses={204: {"description": "nothing waits for this window"}})
def call_next(hall: str, window: str, c: Ctx, who: Who) -> Any:
    called = windows.call_next(c, who, hall, window)
    return Response(status_code=204) if called is None else called


@router.get("/snapshot")
def snapshot(hall: str, c: Ctx) -> dict[str, Any]:
    return snapshot_service.snapshot(c, hall)
