"""What the kiosk prints, built from the server's answers: the queue ticket (walk-in or checked in) and
the appointment slip. Pure functions; the printing itself is `Devices.print_document` on a worker."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiosk import devices as dev
from kiosk.i18n import STRINGS, pick

# Said before the hall's missed-call rule, on paper and on screen.
LISTEN = ("请留意叫号。", "Listen for your number. ")


def local(raw: Any, tz: str) -> datetime:
    """A server timestamp in the hall's time zone (now, when it cannot be read)."""
    zone = ZoneInfo(tz)
    try:
        moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(zone)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(zone)


def hall_tz(hall: dict[str, Any]) -> str:
    return str(hall.get("timezone") or "Asia/Shanghai")


def missed_rule(hall: dict[str, Any] | None, lang: str) -> str:
    """过号: the hall's own rule as the server words it (reactivation allowed or not); an older server
    without it had only "take a new ticket"."""
    hall = hall or {}
    if hall.get("missed_call_rule"):
        return pick(hall, lang, "missed_call_rule")
    zh, en = STRINGS["missed_rule_default"]
    return en if lang == "en" else zh


def slot_text(booking: dict[str, Any], tz: str) -> str:
    """ "10:30-11:00": the booked slot in the hall's local time."""
    return f"{local(booking.get('slot_start'), tz):%H:%M}-{local(booking.get('slot_end'), tz):%H:%M}"


def ticket_document(
    ticket: dict[str, Any],
    guide: dict[str, Any],
    hall: dict[str, Any],
    status_url: str,
    appointment_at: str | None = None,
) -> dev.QueueTicket:
    """The printed ticket: `guide` gives the English name, the waiting area and the windows (the issue
    answer has the Chinese name only); `appointment_at` marks a ticket checked in on time."""
    tz = hall_tz(hall)
    return dev.QueueTicket(
        hall_name=str(hall.get("name") or ""),
        number=str(ticket["number"]),
        service_name=str(ticket.get("service_name") or guide.get("name") or ""),
        waiting_ahead=int(ticket.get("waiting_ahead") or 0),
        eta_min=ticket.get("eta_min"),
        eta_max=ticket.get("eta_max"),
        issued_at=local(ticket.get("issued_at"), tz),
        wait_area=str(guide.get("zone_location") or guide.get("zone_name") or ""),
        status_url=status_url,
        notice=LISTEN[0] + missed_rule(hall, "zh"),
        notice_en=LISTEN[1] + missed_rule(hall, "en"),
        service_name_en=ticket.get("service_name_en") or guide.get("name_en"),
        window_hint=", ".join(str(w.get("name") or w.get("code")) for w in guide.get("windows") or [])
        or None,
        priority=ticket.get("priority_class") == "priority",
        appointment_at=appointment_at,
    )


def appointment_slip(booking: dict[str, Any], hall: dict[str, Any], now: datetime) -> dev.AppointmentSlip:
    """预约凭条: the booking (masked data only), its QR code and the hall's check-in window."""
    tz = hall_tz(hall)
    return dev.AppointmentSlip(
        hall_name=str(hall.get("name") or ""),
        service_name=str(booking.get("service_name") or ""),
        slot_start=local(booking.get("slot_start"), tz),
        slot_end=local(booking.get("slot_end"), tz),
        booking_code=str(booking.get("code") or ""),
        checkin_url=str(booking.get("booking_url") or ""),
        printed_at=now.astimezone(ZoneInfo(tz)),
        checkin_from=local(booking["checkin_from"], tz) if booking.get("checkin_from") else None,
        checkin_until=local(booking["checkin_until"], tz) if booking.get("checkin_until") else None,
        service_name_en=str(booking.get("service_name_en") or "") or None,
    )
