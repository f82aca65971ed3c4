"""Catalogue: halls, zones, service items and guides (public)."""

from typing import Any

from fastapi import APIRouter, Request

from ..services import catalogue
from .deps import Ctx, base_url, require

router = APIRouter(prefix="/api/v1", tags=["catalogue"], dependencies=[require("public.read")])


@router.get("/halls")
def list_halls(c: Ctx) -> list[dict[str, Any]]:
    return catalogue.halls(c)


@router.get("/halls/{hall}")
def get_hall(hall: str, c: Ctx) -> dict[str, Any]:
    return catalogue.hall(c, hall)


@router.get("/halls/{hall}/zones")
def list_zones(hall: str, c: Ctx) -> list[dict[str, Any]]:
    return catalogue.zones(c, hall)


@router.get("/halls/{hall}/services")
def list_services(hall: str, c: Ctx) -> list[dict[str, Any]]:
    return catalogue.services(c, hall)


@router.get("/halls/{hall}/services/{code}")
def service_guide(hall: str, code: str, request: Request, c: Ctx) -> dict[str, Any]:
    return catalogue.guide(c, hall, code, base_url(request))
