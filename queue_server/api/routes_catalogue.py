"""Catalogue: halls, zones, service items and guides (public)."""

from typing import Any

from fastapi import APIRouter, Request

from ..services import catalogue
from .deps import Ctx, base_url, require
from .problems import errors
from .responses import GuideOut, HallOut, ServiceOut, ZoneOut

router = APIRouter(
    prefix="/api/v1",
    tags=["catalogue"],
    dependencies=[require("public.read")],
    responses=errors(404),
)


@router.get("/halls", response_model=list[HallOut])
def list_halls(c: Ctx) -> list[dict[str, Any]]:
    return catalogue.halls(c)


@router.get("/halls/{hall}", response_model=HallOut)
def get_hall(hall: str, c: Ctx) -> dict[str, Any]:
    return catalogue.hall(c, hall)


@router.get("/halls/{hall}/zones", response_model=list[ZoneOut])
def list_zones(hall: str, c: Ctx) -> list[dict[str, Any]]:
    return catalogue.zones(c, hall)


@router.get("/halls/{hall}/services", response_model=list[ServiceOut])
def list_services(hall: str, c: Ctx) -> list[dict[str, Any]]:
    return catalogue.services(c, hall)


@router.get("/halls/{hall}/services/{code}", response_model=GuideOut)
def service_guide(hall: str, code: str, request: Request, c: Ctx) -> dict[str, Any]:
    return catalogue.guide(c, hall, code, base_url(request))
