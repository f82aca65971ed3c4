"""Devices: registration and tokens (maintenance, admins), heartbeats (the devices themselves)."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Response
from pydantic import Field

from ..services import devices
from ..services.context import Actor
from .deps import Ctx, require
from .schemas import Body

router = APIRouter(prefix="/api/v1", tags=["devices"])
Manage = Annotated[Actor, require("device.manage")]


class DeviceIn(Body):
    name: str = Field(min_length=2, max_length=80)
    kind: Literal["kiosk", "display", "pad"]
    hall: str | None = None
    window: str | None = None


class HeartbeatIn(Body):
    version: str = Field(min_length=1, max_length=40)
    status: dict[str, Any] = Field(default_factory=dict, description="printer paper, reader state, …")


@router.post("/devices/heartbeat", status_code=204)
def heartbeat(body: HeartbeatIn, c: Ctx, who: Annotated[Actor, require("device.heartbeat")]) -> Response:
    devices.heartbeat(c, who, body.version, body.status)
    return Response(status_code=204)


@router.get("/devices")
def list_all(c: Ctx, who: Annotated[Actor, require("device.read")]) -> list[dict[str, Any]]:
    return devices.list_devices(c, who)


@router.get("/halls/{hall}/devices")
def list_hall(hall: str, c: Ctx, who: Annotated[Actor, require("device.read")]) -> list[dict[str, Any]]:
    return devices.list_devices(c, who, hall)


@router.post("/devices", status_code=201)
def add(body: DeviceIn, c: Ctx, who: Manage) -> dict[str, Any]:
    """The token is in this response only; the server keeps just its hash."""
    view, token = devices.add_device(c, who, body.name, body.kind, body.hall, body.window)
    return view | {"token": token}


@router.post("/devices/{name}/rotate")
def rotate(name: str, c: Ctx, who: Manage) -> dict[str, Any]:
    view, token = devices.rotate(c, who, name)
    return view | {"token": token}


@router.post("/devices/{name}/revoke")
def revoke(name: str, c: Ctx, who: Manage) -> dict[str, Any]:
    return devices.revoke(c, who, name)
