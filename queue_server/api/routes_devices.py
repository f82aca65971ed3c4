"""Devices: registration and tokens (maintenance, admins), heartbeats (the devices themselves)."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Response
from pydantic import Field

from ..services import devices
from ..services.context import Actor
from .deps import Ctx, require
from .problems import errors
from .responses import DeviceOut, DeviceTokenOut, StatusValue
from .schemas import Body

router = APIRouter(prefix="/api/v1", tags=["devices"], responses=errors(401, 403))
Manage = Annotated[Actor, require("device.manage")]


class DeviceIn(Body):
    name: str = Field(min_length=2, max_length=80)
    kind: Literal["kiosk", "display", "pad"]
    hall: str | None = Field(None, min_length=1, max_length=40)
    window: str | None = Field(None, min_length=1, max_length=20)


class HeartbeatIn(Body):
    version: str = Field(min_length=1, max_length=40)
    status: dict[Annotated[str, Field(max_length=40)], StatusValue] = Field(
        default_factory=dict, max_length=32, description="printer paper, reader state, …: plain values only"
    )


@router.post("/devices/heartbeat", status_code=204, responses=errors(422))
def heartbeat(body: HeartbeatIn, c: Ctx, who: Annotated[Actor, require("device.heartbeat")]) -> Response:
    devices.heartbeat(c, who, body.version, body.status)
    return Response(status_code=204)


@router.get("/devices", response_model=list[DeviceOut])
def list_all(c: Ctx, who: Annotated[Actor, require("device.read")]) -> list[dict[str, Any]]:
    return devices.list_devices(c, who)


@router.get("/halls/{hall}/devices", response_model=list[DeviceOut], responses=errors(404))
def list_hall(hall: str, c: Ctx, who: Annotated[Actor, require("device.read")]) -> list[dict[str, Any]]:
    return devices.list_devices(c, who, hall)


@router.post("/devices", status_code=201, response_model=DeviceTokenOut, responses=errors(404, 409))
def add(body: DeviceIn, c: Ctx, who: Manage) -> dict[str, Any]:
    """The token is in this response only; the server keeps just its hash."""
    view, token = devices.add_device(c, who, body.name, body.kind, body.hall, body.window)
    return view | {"token": token}


@router.post("/devices/{name}/rotate", response_model=DeviceTokenOut, responses=errors(404))
def rotate(name: str, c: Ctx, who: Manage) -> dict[str, Any]:
    view, token = devices.rotate(c, who, name)
    return view | {"token": token}


@router.post("/devices/{name}/revoke", response_model=DeviceOut, responses=errors(404))
def revoke(name: str, c: Ctx, who: Manage) -> dict[str, Any]:
    return devices.revoke(c, who, name)
