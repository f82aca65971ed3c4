"""Issuing and printing: the confirm touch → printer check → ticket (retried with one key) → print;
the printed materials list; and what to say when no ticket can be had (the refusal screens)."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk import availability, printing
from kiosk import devices as dev
from kiosk.api import ApiError, NetworkError
from kiosk.catalogue import Catalogue
from kiosk.flow import REFUSALS
from kiosk.health import Health
from kiosk.i18n import pick, strings
from kiosk.parts import Parts
from kiosk.present import ticket_view
from kiosk.qrimage import qr_source
from kiosk.sound import Chime

log = logging.getLogger(__name__)
# Refusals where the same request cannot succeed by retrying (the server said no, not the network).
NO_RETRY = frozenset({401, 403, 404, 409, 422, 429})
# What a late 409 tells about the item (its `code`), until the next catalogue refresh.
LATE_FACTS: dict[str, dict[str, Any]] = {
    "closed": {"open_now": False},
    "unstaffed": {"staffed": False},
    "self_service": {"self_service": True},
}


class Issuing(QObject):
    ticketChanged = Signal()
    refusalChanged = Signal()
    noticeChanged = Signal()
    outcome = Signal(
        str
    )  # a flow event: issued | refused | failed | closed | unstaffed | self_service | kiosk_down
    ticketIssued = Signal(dict)  # timings and outcome of one issue, for the benchmark and the log

    def __init__(
        self, parts: Parts, catalogue: Catalogue, health: Health, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.parts = parts
        self.catalogue = catalogue
        self.health = health
        self.chime = Chime(Path(parts.cfg.data_dir()))
        self._ticket: dict[str, Any] | None = None
        self._printed = False
        self._with_card = False
        self._refusal: tuple[str, ApiError | None, bool, str | None] | None = None
        self._notice = ""
        for signal in (self.ticketChanged, self.refusalChanged, self.noticeChanged):
            parts.display.langChanged.connect(signal)

    # -- the ticket on screen -----------------------------------------------------------------------
    def _get_ticket(self) -> dict[str, Any]:
        if not self._ticket:
            return {}
        view = ticket_view(self._ticket, self.parts.lang, self.parts.hall_tz())
        view["qr"] = qr_source(self.status_url(self._ticket))
        view["printed"] = self._printed
        view["takeCard"] = self._with_card
        view["missedRule"] = printing.missed_rule(self.parts.cache.hall, self.parts.lang)
        item = self.catalogue.item()
        view["waitArea"] = (
            str(item.get("zone_location") or pick(item, self.parts.lang, "zone_name")) if item else ""
        )
        return view

    ticket = Property("QVariantMap", _get_ticket, notify=ticketChanged)

    def current_ticket(self) -> dict[str, Any]:
        """The ticket on screen with its absolute status URL (for the simulator's scanner)."""
        if not self._ticket:
            return {}
        return {**self._ticket, "status_url": self.status_url(self._ticket)}

    def status_url(self, ticket: dict[str, Any]) -> str:
        url = str(ticket.get("status_url") or "")
        base = self.parts.cfg.server.url.rstrip("/")
        if url.startswith("/"):
            return base + url
        return url or f"{base}/t/{ticket.get('token', '')}"

    # -- why not (before identity, or the server's answer) -------------------------------------------
    def _get_refusal(self) -> dict[str, Any]:
        """Worded when shown, so the language toggle applies to it too."""
        if self._refusal is None:
            return {}
        reason, error, retry, blocker = self._refusal
        lang = self.parts.lang
        s = strings(lang)
        server_text = error.text(lang) if error is not None else ""
        if reason in (*REFUSALS, "kiosk_down"):
            tz = self.parts.hall_tz()
            item, hall = self.catalogue.item() or {}, self.parts.cache.hall
            text = availability.refusal(
                reason, item, hall, tz, datetime.now(ZoneInfo(tz)), lang, server_text=server_text
            )
            if reason == "kiosk_down" and not server_text:
                text["detail"] = s[blocker or "printer_fault"]
        else:  # refused by the server (limits, identity) or the network failed
            text = {
                "kind": reason,
                "title": server_text or s["issue_failed_network"],
                "detail": "",
                "next": s["next_retry"] if retry else s["next_refused"],
            }
        return {**text, "retry": retry}

    refusal = Property("QVariantMap", _get_refusal, notify=refusalChanged)

    def refuse(self, reason: str, error: ApiError | None = None, retry: bool = False) -> None:
        """Show why no ticket: `reason` is a flow event (closed, self_service, kiosk_down, refused, …)."""
        self._refusal = (reason, error, retry, self.health.blocker())
        self.refusalChanged.emit()

    # -- issuing ------------------------------------------------------------------------------------
    def confirm(self) -> None:
        item = self.catalogue.item()
        session = self.parts.session
        if not item:
            return
        code = str(item["code"])
        t_confirm = time.perf_counter()
        key = session.issue_key()
        id_card = session.id_card_payload()
        self._with_card = session.card is not None
        guide, hall = dict(item), dict(self.parts.cache.hall or {})
        self.parts.worker.submit(
            lambda: self._issue_job(code, key, id_card, guide, hall, t_confirm),
            self._on_issued,
            self._on_issue_error,
        )

    def _issue_job(
        self,
        code: str,
        key: str,
        id_card: dict[str, Any] | None,
        guide: dict[str, Any],
        hall: dict[str, Any],
        t_confirm: float,
    ) -> dict[str, Any]:
        """Runs on a worker thread: check the printer, issue (retried, same key), print."""
        devices, api = self.parts.devices, self.parts.api
        status = devices.printer_status()
        if status.get("paper") == "out" or status.get("ready") is False or status.get("online") is False:
            return {"blocked": True, "printer": status}
        t_status = time.perf_counter()
        ticket = api.issue_ticket(code, key, id_card)
        t_issued = time.perf_counter()
        document = printing.ticket_document(ticket, guide, hall, self.status_url(ticket))
        error = ""
        nbytes = 0
        try:
            nbytes = devices.print_document(document)
        except dev.PrinterError as exc:
            error = str(exc) or type(exc).__name__
        t_printed = time.perf_counter()
        return {
            "blocked": False,
            "ticket": ticket,
            "printed": not error,
            "print_error": error,
            "bytes": nbytes,
            "t_confirm": t_confirm,
            "t_status": t_status,
            "t_issued": t_issued,
            "t_printed": t_printed,
        }

    def _on_issued(self, result: dict[str, Any]) -> None:
        if result.get("blocked"):
            self.health.set_printer(result["printer"])
            self.refuse("kiosk_down")
            self.outcome.emit("kiosk_down")
            return
        ticket = result["ticket"]
        item = self.catalogue.item()
        if item and not ticket.get("service_name_en"):
            # The issue answer names the item in Chinese only; the English name is in the guide.
            ticket = {**ticket, "service_name_en": item.get("name_en")}
        self._ticket = ticket
        self._printed = bool(result["printed"])
        self.parts.session.idempotency_key = None  # issued: a new touch means a new ticket
        if not result["printed"]:
            log.error("ticket %s issued but not printed: %s", ticket.get("number"), result["print_error"])
            self.health.print_failed(str(result["print_error"]))
        else:
            self.health.print_worked()
            log.info("ticket %s issued and printed (%d bytes)", ticket.get("number"), result["bytes"])
        self.ticketChanged.emit()
        if self._with_card:
            self.chime.play()  # with the on-screen "take your ID card"
        self.outcome.emit("issued")
        timings = {k: v for k, v in result.items() if k.startswith("t_") or k in ("printed", "bytes")}
        self.ticketIssued.emit(timings | {"number": ticket.get("number")})

    def _on_issue_error(self, exc: Exception) -> None:
        if isinstance(exc, ApiError):
            log.warning("issue refused: %s %s", exc.status, exc.code)
            if exc.status == 409 and exc.code in REFUSALS:
                # The hall closed (or the clerk left) between the guide and the confirm touch.
                item = self.catalogue.item()
                if item is not None:  # what the server now says, until the next refresh
                    item.update({"can_issue": False, **LATE_FACTS[exc.code]})
                    item.update({k: exc.body[k] for k in ("next_open",) if exc.body.get(k)})
                    self.catalogue.guideChanged.emit()
                self.refuse(exc.code, exc)
                self.outcome.emit(exc.code)
                return
            self.refuse("refused", exc, retry=exc.status not in NO_RETRY)
            self.outcome.emit("refused")
            return
        if isinstance(exc, NetworkError):
            log.warning("issue failed: network (%s)", exc)
            self.catalogue.mark_offline()
        else:
            log.error("issue failed: %s", type(exc).__name__)
        self.refuse("failed", retry=True)
        self.outcome.emit("failed")

    # -- the printed materials list (一次性告知) -------------------------------------------------------
    def _get_notice(self) -> str:
        return self._notice

    noticeMessage = Property(str, _get_notice, notify=noticeChanged)

    def _set_notice(self, key: str) -> None:
        self._notice = strings(self.parts.lang)[key] if key else ""
        self.noticeChanged.emit()

    @Slot()
    def printNotice(self) -> None:
        item = self.catalogue.item()
        if not item:
            return
        guide, hall = dict(item), dict(self.parts.cache.hall or {})
        slip = dev.NoticeSlip(
            hall_name=str(hall.get("name") or ""),
            service_code=str(guide.get("code")),
            service_name=str(guide.get("name")),
            materials=[
                dev.Material(
                    name=str(m.get("name") or ""),
                    copies=int(m.get("copies") or 1),
                    form=str(m.get("form") or "original"),
                    requirement=str(m.get("requirement") or "required"),
                    note=str(m.get("note") or ""),
                )
                for m in guide.get("materials") or []
            ],
            guide_url=str(guide.get("guide_url") or ""),
            printed_at=datetime.now(ZoneInfo(self.parts.hall_tz())),
        )
        self._set_notice("")
        self.parts.worker.submit(
            lambda: self.parts.devices.print_document(slip),
            lambda _n: self._set_notice("notice_printed"),
            self._on_notice_failed,
        )

    def _on_notice_failed(self, exc: Exception) -> None:
        log.error("notice slip not printed: %s", exc)
        self._set_notice("notice_failed")
        self.health.pollPrinter()

    def forget(self) -> None:
        self._ticket = None
        self._printed = self._with_card = False
        self._refusal = None
        self._notice = ""
        for signal in (self.ticketChanged, self.refusalChanged, self.noticeChanged):
            signal.emit()

