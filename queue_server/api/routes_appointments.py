"""Appointments (网上预约): slots, booking and cancelling by phone, check-in, a manager's day changes."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from ..services import appointments, checkin, links
from ..services.context import Actor
from .deps import Ctx, base_url, require
from .problems import errors
from .schemas import (
    AppointmentOut,
    BookingIn,
    BookingInfoOut,
    CheckInIn,
    CheckInOut,
    DaySlotsOut,
    SlotDayIn,
)

router = APIRouter(prefix="/api/v1", tags=["appointments"], responses=errors(401, 403, 404, 409, 429))


@router.get("/halls/{hall}/booking", response_model=BookingInfoOut, dependencies=[require("public.read")])
def booking_info(hall: str, c: Ctx) -> dict[str, Any]:
    """For the booking page: items that take bookings, the days open for booking now, the rules."""
    return appointments.booking_info(c, hall)


@router.get(
    "/halls/{hall}/services/{code}/slots",
    response_model=DaySlotsOut,
    dependencies=[require("public.read")],
)
def slots(hall: str, code: str, c: Ctx, day: Annotated[date, Query(alias="date")]) -> dict[str, Any]:
    """The item's slots of a day with `capacity` and `left`; none before release (and `reason` says why)."""
    return appointments.list_slots(c, hall, code, day)


@router.post("/halls/{hall}/appointments", status_code=201, response_model=AppointmentOut)
async def book(
    hall: str,
    body: BookingIn,
    request: Request,
    response: Response,
    c: Ctx,
    who: Annotated[Actor, require("public.book")],
) -> dict[str, Any]:
    """Book a slot. Replaying an idempotency key returns the same booking with status 200."""
    req = appointments.BookingRequest(
        body.service,
        body.slot_start,
        body.id_card.id_number,
        body.id_card.name,
        body.phone,
        body.idempotency_key,
    )
    async with request.app.state.booking_workers:  # the surge waits here, not in the kiosks' thread pool
        view, created = await run_in_threadpool(appointments.book, c, who, hall, req)
    if not created:
        response.status_code = 200
    return _with_qr(c, request, view)


def _with_qr(c: Ctx, request: Request, view: dict[str, Any]) -> dict[str, Any]:
    url = links.booking_url(c, base_url(request), view["hall"], view["token"])
    return {**view, "booking_url": url, "qr_svg": links.qr_svg(url)}


@router.get(
    "/public/appointments/{token}", response_model=AppointmentOut, dependencies=[require("public.read")]
)
def by_token(token: str, request: Request, c: Ctx) -> dict[str, Any]:
    """The booking by its token (the QR code); after check-in with the live ticket."""
    return _with_qr(c, request, appointments.public_view(c, token))


@router.post("/public/appointments/{token}/cancel", response_model=AppointmentOut)
def cancel(token: str, c: Ctx, who: Annotated[Actor, require("public.book")]) -> dict[str, Any]:
    """Cancel before the slot starts; the place is free again at once."""
    return appointments.cancel(c, who, token)


@router.post("/halls/{hall}/appointments/check-in", response_model=CheckInOut)
def check_in(
    hall: str,
    body: CheckInIn,
    request: Request,
    c: Ctx,
    who: Annotated[Actor, require("appointment.checkin")],
) -> dict[str, Any]:
    """Check in by the booking's token (QR) or an ID number read from the card: 409 `too_early` with
    `come_back_at`; otherwise the ticket (`outcome` on_time: appointment class; late: ordinary)."""
    return checkin.check_in(c, who, hall, base_url(request), token=body.token, id_number=body.id_number)


@router.get("/halls/{hall}/appointments", response_model=list[AppointmentOut])
def day_bookings(
    hall: str,
    c: Ctx,
    who: Annotated[Actor, require("appointment.manage")],
    day: Annotated[date, Query(alias="date")],
) -> list[dict[str, Any]]:
    """A day's bookings (masked); bookings whose check-in window has ended are marked missed first."""
    return appointments.day_bookings(c, who, hall, day)


@router.put("/halls/{hall}/services/{code}/slot-days/{day}", response_model=DaySlotsOut)
def change_day(
    hall: str,
    code: str,
    day: date,
    body: SlotDayIn,
    c: Ctx,
    who: Annotated[Actor, require("appointment.manage")],
) -> dict[str, Any]:
    """Close a day's slots of an item, or set its places per slot; bookings already made stay."""
    return appointments.change_day(c, who, hall, code, day, closed=body.closed, capacity=body.capacity)
