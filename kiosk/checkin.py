"""Appointment check-in (预约签到) at the kiosk: an ID card on the reader or a scanned booking QR code →
the server's answer → the ticket printed (on time: marked 预约 with the slot; late: ordinary, and why),
or a refusal in plain words; the appointment slip (预约凭条) printed on request, once per touch.

The server decides everything (window, outcome, the ticket); a repeated check-in of one booking gives
the same ticket, so a retry after a network failure is safe. The ID number lives here only until Home.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk import printing
from kiosk.api import ApiError, NetworkError
from kiosk.catalogue import Catalogue
from kiosk.health import Health
from kiosk.i18n import pick, strings
from kiosk.parts import Parts
from kiosk.present import local_time, ticket_view
from kiosk.qrimage import qr_source
from kiosk.sound import Chime

log = logging.getLogger(__name__)
# What the citizen can do next, by the server's refusal code (the server's own text says why).
NEXT_STEP = {"too_early": "next_too_early", "not_today": "next_not_today"}


class CheckIn(QObject):
    changed = Signal()
    outcome = Signal(str)  # a flow event: checked_in | checkin_refused | failed

    def __init__(
        self, parts: Parts, catalogue: Catalogue, health: Health, chime: Chime, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.parts, self.catalogue, self.health, self.chime = parts, catalogue, health, chime
        self._request: dict[str, str] = {}  # {"token": …} or {"id_number": …}: kept for a retry only
        self._with_card = False
        self._busy = False
        self._answer: dict[str, Any] | None = None  # the 200 answer: outcome, message, appointment, ticket
        self._printed = False
        self._error: ApiError | None = None
        self._network = False
        self._slip = ""  # "" | printing | printed | failed: one touch, one slip
        parts.display.langChanged.connect(self.changed)

    # -- the request ------------------------------------------------------------------------------
    def by_card(self, card: Any) -> bool:
        """A card on the reader on the check-in screen; False when busy or the card is unreadable."""
        if self._busy or not getattr(card, "check_digit_ok", True):
            return False
        return self._start({"id_number": str(card.id_number)}, with_card=True)

    def by_token(self, token: str) -> bool:
        """A booking QR code scanned on any idle citizen screen."""
        return False if self._busy else self._start({"token": token}, with_card=False)

    def retry(self) -> bool:
        """After a network failure: the same request (the server gives the same ticket, never two)."""
        if self._busy or not self._network or not self._request:
            return False
        return self._start(self._request, with_card=self._with_card)

    def _start(self, request: dict[str, str], *, with_card: bool) -> bool:
        self.forget()
        self._request, self._with_card, self._busy = request, with_card, True
        hall = dict(self.parts.cache.hall or {})
        self.parts.worker.submit(lambda: self._job(request, hall), self._on_done, self._on_error)
        return True

    def _job(self, request: dict[str, str], hall: dict[str, Any]) -> dict[str, Any]:
        """Worker thread: check in, then print the ticket once (a print failure keeps the e-ticket)."""
        devices, api = self.parts.devices, self.parts.api
        answer = api.check_in(**request)
        ticket, booking = answer["ticket"], answer["appointment"]
        guide = self.parts.cache.guide(str(ticket.get("service") or booking.get("service"))) or {}
        on_time = answer.get("outcome") == "on_time"
        slot = printing.slot_text(booking, printing.hall_tz(hall)) if on_time else None
        document = printing.ticket_document(ticket, guide, hall, self.status_url(ticket), slot)
        try:
            devices.print_document(document)
        except Exception as exc:
            return {"answer": answer, "print_error": str(exc) or type(exc).__name__}
        return {"answer": answer, "print_error": ""}

    def status_url(self, ticket: dict[str, Any]) -> str:
        url = str(ticket.get("status_url") or "")
        base = self.parts.cfg.server.url.rstrip("/")
        return base + url if url.startswith("/") else url or f"{base}/t/{ticket.get('token', '')}"

    def _on_done(self, result: dict[str, Any]) -> None:
        self._busy = False
        self._answer, self._printed = result["answer"], not result["print_error"]
        number = self._answer["ticket"].get("number")
        if result["print_error"]:
            log.error("check-in ticket %s not printed: %s", number, result["print_error"])
            self.health.print_failed(result["print_error"])
        else:
            self.health.print_worked()
            log.info("checked in (%s): ticket %s printed", self._answer.get("outcome"), number)
        self.changed.emit()
        if self._with_card:
            self.chime.play()  # with the on-screen "take your ID card"
        self.outcome.emit("checked_in")

    def _on_error(self, exc: Exception) -> None:
        self._busy = False
        if isinstance(exc, ApiError):
            log.info("check-in refused: %s %s", exc.status, exc.code)  # the code only, never the person
            self._error = exc
            self.changed.emit()
            self.outcome.emit("checkin_refused")
            return
        if isinstance(exc, NetworkError):
            self.catalogue.mark_offline()
        log.warning("check-in failed: %s", type(exc).__name__)
        self._network = True
        self.changed.emit()
        self.outcome.emit("failed")

    # -- what the screens show, worded when read (the language toggle applies) --------------------
    def _booking(self) -> dict[str, Any]:
        if self._answer is not None:
            return dict(self._answer.get("appointment") or {})
        return dict((self._error.body.get("appointment") or {}) if self._error is not None else {})

    def _get_ticket(self) -> dict[str, Any]:
        if self._answer is None:
            return {}
        lang, tz = self.parts.lang, self.parts.hall_tz()
        s = strings(lang)
        ticket, booking = self._answer["ticket"], self._booking()
        on_time = self._answer.get("outcome") == "on_time"
        guide = self.parts.cache.guide(str(ticket.get("service") or "")) or {}
        view = ticket_view({**ticket, "service_name_en": ticket.get("service_name_en")}, lang, tz)
        view.update(
            onTime=on_time,
            message=_sentence(pick(self._answer, lang, "message")),
            slot=s["appointment_mark"].format(slot=printing.slot_text(booking, tz)) if on_time else "",
            qr=qr_source(self.status_url(ticket)),
            printed=self._printed,
            takeCard=self._with_card,
            waitArea=str(guide.get("zone_location") or pick(guide, lang, "zone_name")),
            missedRule=printing.missed_rule(self.parts.cache.hall, lang),
        )
        return view

    ticket = Property("QVariantMap", _get_ticket, notify=changed)

    def _get_refusal(self) -> dict[str, Any]:
        if self._error is None and not self._network:
            return {}
        s = strings(self.parts.lang)
        if self._error is None:
            return {
                "title": s["checkin_failed_network"],
                "comeBack": "",
                "next": s["next_retry"],
                "retry": True,
            }
        code = self._error.code
        come_back = ""
        if code == "too_early" and self._error.body.get("come_back_at"):
            when = local_time(str(self._error.body["come_back_at"]), self.parts.hall_tz())
            come_back = s["come_back_at"].format(time=when)
        forbidden = self._error.status in (401, 403)
        return {
            "title": s["too_early_title"] if code == "too_early" else s["checkin_refused_title"],
            "detail": self._error.text(self.parts.lang),
            "comeBack": come_back,
            "next": s["next_refused"] if forbidden else s[NEXT_STEP.get(code, "next_no_booking")],
            "retry": False,
            "takeCard": self._with_card,
        }

    refusal = Property("QVariantMap", _get_refusal, notify=changed)

    # -- the appointment slip -----------------------------------------------------------------------
    def _get_can_print_slip(self) -> bool:
        return bool(self._booking().get("code")) and self._slip in ("", "failed")

    canPrintSlip = Property(bool, _get_can_print_slip, notify=changed)

    def _get_slip_message(self) -> str:
        key = {"printing": "slip_printing", "printed": "slip_printed", "failed": "slip_failed"}.get(
            self._slip
        )
        return strings(self.parts.lang)[key] if key else ""

    slipMessage = Property(str, _get_slip_message, notify=changed)

    @Slot()
    def printSlip(self) -> None:
        """One touch, one slip: the button is gone until the job ends (again only if it failed)."""
        if not self._get_can_print_slip():
            return
        hall = dict(self.parts.cache.hall or {})
        slip = printing.appointment_slip(self._booking(), hall, datetime.now(ZoneInfo(self.parts.hall_tz())))
        self._slip = "printing"
        self.changed.emit()
        self.parts.worker.submit(
            lambda: self.parts.devices.print_document(slip), self._slip_done, self._slip_failed
        )

    def _slip_done(self, _nbytes: Any) -> None:
        self._slip = "printed"
        self.health.print_worked()
        self.changed.emit()

    def _slip_failed(self, exc: Exception) -> None:
        log.error("appointment slip not printed: %s", type(exc).__name__)
        self._slip = "failed"
        self.health.pollPrinter()
        self.changed.emit()

    def forget(self) -> None:
        """Home (or a new request): the person's number and the last answer are gone."""
        self._request, self._with_card = {}, False
        self._answer, self._error, self._network, self._printed, self._slip = None, None, False, False, ""
        self.changed.emit()


def _sentence(text: str) -> str:
    """The server's English messages start in lower case (they follow a code in its logs)."""
    return text[:1].upper() + text[1:]
