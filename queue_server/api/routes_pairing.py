"""Device pairing: the device starts and claims (no credential yet), staff approve by the code."""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ..services import devices, pairing
from ..services.context import Actor
from .deps import Ctx, require
from .problems import errors
from .responses import DeviceOut
from .schemas import Body

router = APIRouter(prefix="/api/v1/pairing", tags=["devices"], responses=errors(401, 403, 404, 409, 429))
Public = Annotated[Actor, require("public.read")]


class StartIn(Body):
    kind: Literal["kiosk", "display", "pad"]


class StartOut(BaseModel):
    code: str = Field(description="shown on the device's screen, entered by staff: ABCD-EFGH")
    secret: str = Field(description="kept by the device, sent back in the claim's body (never in an address)")
    expires_at: datetime


class ClaimIn(Body):
    secret: str = Field(min_length=20, max_length=100)


class PendingOut(BaseModel):
    pending: bool = Field(True, description="not approved yet: ask again in a few seconds")


class ClaimOut(BaseModel):
    token: str = Field(description="the device's credential: send it as Authorization: Bearer …")
    device: dict[str, Any]
    zone: str | None = Field(description="the zone a display was paired for")


class ApproveIn(Body):
    code: str = Field(min_length=8, max_length=20)
    name: str = Field(min_length=2, max_length=80)
    hall: str = Field(min_length=1, max_length=40)
    window: str | None = Field(None, max_length=20)
    zone: str | None = Field(None, max_length=40)


@router.post("", status_code=201)
def start(body: StartIn, c: Ctx, _: Public) -> StartOut:
    s = pairing.start(c, body.kind)
    return StartOut(code=s.code, secret=s.secret, expires_at=s.expires_at)


@router.post(
    "/claim",
    response_model=ClaimOut,
    responses={202: {"model": PendingOut, "description": "not approved yet: ask again in a few seconds"}},
)
def claim(body: ClaimIn, c: Ctx, _: Public) -> Any:
    got = pairing.claim(c, body.secret)
    if got is None:
        return JSONResponse(PendingOut().model_dump(), status_code=202)
    return ClaimOut(token=got.token, device=got.device, zone=got.zone)


@router.post("/approve", response_model=DeviceOut, responses=errors(403, 404, 409))
def approve(body: ApproveIn, c: Ctx, who: Annotated[Actor, require("device.pair")]) -> dict[str, Any]:
    return pairing.approve(c, who, body.code, body.name, body.hall, body.window, body.zone)


@router.post("/{name}/unpair", response_model=DeviceOut, responses=errors(403, 404))
def unpair(name: str, c: Ctx, who: Annotated[Actor, require("device.pair")]) -> dict[str, Any]:
    """Ends the device's credential: it shows a new pairing code, to be paired again (a new token)."""
    return devices.revoke(c, who, name, permission="device.pair")
