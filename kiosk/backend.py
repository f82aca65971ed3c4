"""The citizen's flow: the state machine behind every screen, exposed to QML as one QObject.

Screens: home → services → guide → identity (card / keypad / skip) → confirm → issuing → ticket,
and home → lookup → lookupResult. All network and device I/O runs on the worker pool; results come
back on the GUI thread, so a slow server or printer never freezes the touch screen.
"""

from __future__ import annotations

import logging
import re
import time
from collections import deque
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk import devices as dev
from kiosk.api import ApiClient, ApiError, NetworkError
from kiosk.cache import CatalogueCache
from kiosk.config import KioskConfig
from kiosk.i18n import pick, strings
from kiosk.present import guide_view, service_view, ticket_view, zone_view
from kiosk.qrimage import qr_source
from kiosk.session import CitizenSession
from kiosk.worker import Worker

log = logging.getLogger(__name__)

CITIZEN_SCREENS = (
    "home",
    "services",
    "guide",
    "identity",
    "keypad",
    "confirm",
    "issuing",
    "ticket",
    "error",
    "lookup",
    "lookupResult",
)
ID_KEYS = tuple("0123456789X")
_NUMBER = re.compile(r"^[A-Z]{0,3}\d{1,5}$")
COMMON_LIMIT = 20
HEARTBEAT_TEXT = 200


class KioskBackend(QObject):
    screenChanged = Signal()
    langChanged = Signal()
    displayChanged = Signal()
    statusChanged = Signal()
    catalogueChanged = Signal()
    guideChanged = Signal()
    identityChanged = Signal()
    keypadChanged = Signal()
    ticketChanged = Signal()
    lookupChanged = Signal()
    messageChanged = Signal()
    clockChanged = Signal()
    restartRequested = Signal()
    ticketIssued = Signal(dict)  # timings and outcome of one issue, for the benchmark and the log

    def __init__(
        self,
        cfg: KioskConfig,
        devices: dev.Devices,
        *,
        refresh_ms: int = 10000,
        offline_retry_ms: int = 3000,
        printer_poll_ms: int = 10000,
        heartbeat_ms: int = 60000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.devices = devices
        self.worker = Worker(parent=self)
        self.api = ApiClient(cfg.server.url, cfg.server.hall, cfg.server.token, cfg.server.timeout_s)
        self.cache = CatalogueCache(cfg.data_dir(), cfg.server.hall)
        self.session = CitizenSession()

        self._screen = "home"
        self._lang = cfg.ui.language
        self._large = cfg.ui.large_text
        self._contrast = cfg.ui.high_contrast
        self._server_online = False
        self._server_checked = False
        self._printer: dict[str, Any] = {"online": None, "paper": "unknown", "ready": None}
        self._zone_key = ""
        self._common = False
        self._guide: dict[str, Any] | None = None
        self._guide_cached = False
        self._keypad = ""
        self._keypad_error = ""
        self._ticket: dict[str, Any] | None = None
        self._ticket_printed = False
        self._lookup_text = ""
        self._lookup: dict[str, Any] | None = None
        self._message = ""
        self._error_retry = False
        self._taps: deque[float] = deque(maxlen=5)
        self._refreshing = False
        self._polling_printer = False
        self._fetching_guides = False
        self._guides_fetched_at = 0.0
        self.last_heartbeat: dict[str, Any] | None = None
        self.last_heartbeat_status: int | None = None
        self.print_failures = 0
        self.last_print_error = ""

        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._on_idle)
        self._refresh_ms, self._offline_ms = refresh_ms, offline_retry_ms
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self.refresh)
        self._printer_timer = QTimer(self)
        self._printer_timer.timeout.connect(self.pollPrinter)
        self._printer_poll_ms = printer_poll_ms
        self._heartbeat_timer = QTimer(self)
        self._heartbeat_timer.timeout.connect(self.sendHeartbeat)
        self._heartbeat_ms = heartbeat_ms
        self._clock_timer = QTimer(self)
        self._clock_timer.timeout.connect(self.clockChanged)
        self._connect_devices()

    # -- life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        self.devices.start()
        self.refresh()
        self.pollPrinter()
        self._printer_timer.start(self._printer_poll_ms)
        self._heartbeat_timer.start(self._heartbeat_ms)
        self._clock_timer.start(15000)

    def stop(self) -> None:
        for timer in (
            self._idle,
            self._refresh_timer,
            self._printer_timer,
            self._heartbeat_timer,
            self._clock_timer,
        ):
            timer.stop()
        self.devices.stop()
        self.worker.wait(10000)

    def _connect_devices(self) -> None:
        self.devices.cardRead.connect(self._on_card)
        self.devices.readerFailed.connect(self._on_reader_failed)
        self.devices.scanned.connect(self._on_scan)

    def apply_config(self, cfg: KioskConfig, devices: dev.Devices) -> None:
        """Switch to a newly saved configuration without restarting the process."""
        self.devices.stop()
        self.cfg = cfg
        self.devices = devices
        self._connect_devices()
        self.api = ApiClient(cfg.server.url, cfg.server.hall, cfg.server.token, cfg.server.timeout_s)
        self.cache = CatalogueCache(cfg.data_dir(), cfg.server.hall)
        self.devices.start()
        self._server_checked = False
        self.refresh()
        self.pollPrinter()
        self.statusChanged.emit()

    # -- properties: display -------------------------------------------------------------------
    def _get_screen(self) -> str:
        return self._screen

    screen = Property(str, _get_screen, notify=screenChanged)

    def _set_screen(self, name: str) -> None:
        if name != self._screen:
            self._screen = name
            self.screenChanged.emit()
        if name == "home" or name == "issuing":
            self._idle.stop()
        else:
            self._idle.start(self._idle_ms())

    def _idle_ms(self) -> int:
        factor = 4 if self._screen in ("pin", "maintenance") else 1
        return self.cfg.ui.idle_timeout_s * 1000 * factor

    def _get_lang(self) -> str:
        return self._lang

    lang = Property(str, _get_lang, notify=langChanged)

    def _get_t(self) -> dict[str, str]:
        return strings(self._lang)

    t = Property("QVariantMap", _get_t, notify=langChanged)

    def _get_large(self) -> bool:
        return self._large

    largeText = Property(bool, _get_large, notify=displayChanged)

    def _get_contrast(self) -> bool:
        return self._contrast

    highContrast = Property(bool, _get_contrast, notify=displayChanged)

    def _get_orientation(self) -> str:
        return self.cfg.ui.orientation

    orientation = Property(str, _get_orientation, constant=True)

    def _get_theme(self) -> dict[str, Any]:
        # 120 px is at least 2 cm on any 1080p panel of 15.6 inches or more (0.18 mm pixels and up).
        scale = 1.3 if self._large else 1.0
        if self._contrast:
            colors = {
                "bg": "#000000",
                "panel": "#000000",
                "fg": "#FFFFFF",
                "muted": "#FFFF66",
                "accent": "#FFFF00",
                "accentFg": "#000000",
                "border": "#FFFFFF",
                "ok": "#66FF66",
                "warn": "#FFFF00",
                "bad": "#FF7070",
                "disabled": "#8C8C8C",
                "bannerBg": "#FFFF00",
                "bannerFg": "#000000",
            }
        else:
            colors = {
                "bg": "#EEF2F7",
                "panel": "#FFFFFF",
                "fg": "#1A1A1A",
                "muted": "#4A5563",
                "accent": "#1D5BA8",
                "accentFg": "#FFFFFF",
                "border": "#B8C4D2",
                "ok": "#1E7B34",
                "warn": "#9A5B00",
                "bad": "#B00020",
                "disabled": "#8A939E",
                "bannerBg": "#B00020",
                "bannerFg": "#FFFFFF",
            }
        return {
            **colors,
            "font": round(34 * scale),
            "small": round(28 * scale),
            "title": round(46 * scale),
            "big": round(60 * scale),
            "huge": round(170 * scale),
            "touch": 120,
            "radius": 18,
            "gap": 24,
        }

    theme = Property("QVariantMap", _get_theme, notify=displayChanged)

    def _get_idle_s(self) -> int:
        return self.cfg.ui.idle_timeout_s

    idleSeconds = Property(int, _get_idle_s, notify=statusChanged)

    def _hall_tz(self) -> str:
        hall = self.cache.hall or {}
        return str(hall.get("timezone") or "Asia/Shanghai")

    def _get_clock(self) -> str:
        now = datetime.now(ZoneInfo(self._hall_tz()))
        return now.strftime("%Y-%m-%d %H:%M")

    clock = Property(str, _get_clock, notify=clockChanged)

    def _get_hall_name(self) -> str:
        hall = self.cache.hall
        return pick(hall, self._lang) if hall else strings(self._lang)["app_title"]

    hallName = Property(str, _get_hall_name, notify=catalogueChanged)

    # -- properties: status ----------------------------------------------------------------------
    def _get_online(self) -> bool:
        return self._server_online

    serverOnline = Property(bool, _get_online, notify=statusChanged)

    def printer_blocks(self) -> str | None:
        """The string key of why the printer stops issuing, or None when it may print."""
        if self._printer.get("paper") == "out":
            return "paper_out"
        if self._printer.get("ready") is False or self._printer.get("online") is False:
            return "printer_fault"
        return None

    def issuing_enabled(self) -> bool:
        return self._server_online and self.printer_blocks() is None

    issuingEnabled = Property(bool, issuing_enabled, notify=statusChanged)

    def _get_banner(self) -> str:
        s = strings(self._lang)
        if self._server_checked and not self._server_online:
            return s["server_down"]
        blocker = self.printer_blocks()
        return s[blocker] if blocker else ""

    banner = Property(str, _get_banner, notify=statusChanged)

    def _get_printer(self) -> dict[str, Any]:
        return dict(self._printer)

    printerStatus = Property("QVariantMap", _get_printer, notify=statusChanged)

    # -- properties: catalogue -----------------------------------------------------------------------
    def _services_of(self, zone_key: str) -> list[dict[str, Any]]:
        return [s for s in self.cache.services if s.get("zone") == zone_key]

    def _get_zones(self) -> list[dict[str, Any]]:
        return [
            zone_view(z, self._lang, len(self._services_of(z.get("key", ""))))
            for z in self.cache.zones
            if self._services_of(z.get("key", ""))
        ]

    zones = Property("QVariantList", _get_zones, notify=catalogueChanged)

    def common_services(self) -> list[dict[str, Any]]:
        by_code = {s.get("code"): s for s in self.cache.services}
        chosen = [by_code[c] for c in self.cfg.ui.common_items if c in by_code]
        chosen += [s for s in self.cache.services if s not in chosen]
        return chosen[:COMMON_LIMIT]

    def _get_services(self) -> list[dict[str, Any]]:
        items = self.common_services() if self._common else self._services_of(self._zone_key)
        return [service_view(s, self._lang) for s in items]

    services = Property("QVariantList", _get_services, notify=catalogueChanged)

    def _get_zone_title(self) -> str:
        if self._common:
            return strings(self._lang)["common_items"]
        zone = next((z for z in self.cache.zones if z.get("key") == self._zone_key), None)
        return pick(zone, self._lang) if zone else ""

    zoneTitle = Property(str, _get_zone_title, notify=catalogueChanged)

    def _get_guide(self) -> dict[str, Any]:
        return guide_view(self._guide, self._lang) if self._guide else {}

    guide = Property("QVariantMap", _get_guide, notify=guideChanged)

    def _get_guide_cached(self) -> bool:
        return self._guide_cached

    guideFromCache = Property(bool, _get_guide_cached, notify=guideChanged)

    def _get_can_take(self) -> bool:
        # Opening hours are the server's call (it may not enforce them, e.g. the 24-hour area):
        # a closed item is labelled, and the server's 409 explains a refusal in its own words.
        return bool(self._guide) and self.issuing_enabled()

    canTakeTicket = Property(bool, _get_can_take, notify=guideChanged)

    # -- properties: identity, keypad, ticket, lookup -----------------------------------------------
    def _get_identity(self) -> dict[str, str]:
        return self.session.masked()

    identity = Property("QVariantMap", _get_identity, notify=identityChanged)

    def _get_id_required(self) -> bool:
        return bool(self._guide and self._guide.get("id_required"))

    idRequired = Property(bool, _get_id_required, notify=guideChanged)

    def _get_reader_state(self) -> str:
        return self.devices.reader_state

    readerState = Property(str, _get_reader_state, notify=statusChanged)

    def _get_keypad(self) -> str:
        return self._keypad

    keypadText = Property(str, _get_keypad, notify=keypadChanged)

    def _get_keypad_error(self) -> str:
        return self._keypad_error

    keypadError = Property(str, _get_keypad_error, notify=keypadChanged)

    def _get_ticket(self) -> dict[str, Any]:
        if not self._ticket:
            return {}
        view = ticket_view(self._ticket, self._lang, self._hall_tz())
        view["qr"] = qr_source(self._status_url(self._ticket))
        view["printed"] = self._ticket_printed
        view["waitArea"] = self._wait_area()
        return view

    ticket = Property("QVariantMap", _get_ticket, notify=ticketChanged)

    def current_ticket(self) -> dict[str, Any]:
        """The ticket on screen with its absolute status URL (for the simulator's scanner)."""
        if not self._ticket:
            return {}
        return {**self._ticket, "status_url": self._status_url(self._ticket)}

    def _get_lookup_text(self) -> str:
        return self._lookup_text

    lookupText = Property(str, _get_lookup_text, notify=lookupChanged)

    def _get_lookup_keys(self) -> list[str]:
        prefixes = sorted({str(s.get("prefix") or "") for s in self.cache.services} - {""})
        return prefixes

    lookupPrefixes = Property("QVariantList", _get_lookup_keys, notify=catalogueChanged)

    def _get_lookup(self) -> dict[str, Any]:
        return ticket_view(self._lookup, self._lang, self._hall_tz()) if self._lookup else {}

    lookupResult = Property("QVariantMap", _get_lookup, notify=lookupChanged)

    def _get_message(self) -> str:
        return self._message

    message = Property(str, _get_message, notify=messageChanged)

    def _set_message(self, text: str) -> None:
        self._message = text
        self.messageChanged.emit()

    def _get_error_retry(self) -> bool:
        return self._error_retry

    errorCanRetry = Property(bool, _get_error_retry, notify=messageChanged)

    # -- display slots -------------------------------------------------------------------------------
    @Slot()
    def toggleLanguage(self) -> None:
        self.setLanguage("en" if self._lang == "zh" else "zh")

    @Slot(str)
    def setLanguage(self, lang: str) -> None:
        if lang in ("zh", "en") and lang != self._lang:
            self._lang = lang
            for signal in (
                self.langChanged,
                self.catalogueChanged,
                self.guideChanged,
                self.ticketChanged,
                self.lookupChanged,
                self.statusChanged,
            ):
                signal.emit()

    @Slot()
    def toggleLargeText(self) -> None:
        self._large = not self._large
        self.displayChanged.emit()

    @Slot()
    def toggleHighContrast(self) -> None:
        self._contrast = not self._contrast
        self.displayChanged.emit()

    @Slot()
    def touched(self) -> None:
        """Any touch on the screen: the citizen is still there."""
        if self._idle.isActive():
            self._idle.start(self._idle_ms())

    def _on_idle(self) -> None:
        log.info("idle timeout on screen %s: back to home", self._screen)
        self.goHome()

    # -- navigation --------------------------------------------------------------------------------
    @Slot()
    def goHome(self) -> None:
        """Back to the start; everything about the last citizen is forgotten."""
        self.session.wipe()
        self._keypad = self._keypad_error = ""
        self._ticket = None
        self._ticket_printed = False
        self._lookup = None
        self._lookup_text = ""
        self._guide = None
        self._common = False
        self._error_retry = False
        self._set_message("")
        # Leave the screen first, so the old screen never re-renders with the emptied data.
        self._set_screen("home")
        self._display_defaults()
        for signal in (
            self.identityChanged,
            self.keypadChanged,
            self.ticketChanged,
            self.lookupChanged,
            self.guideChanged,
            self.catalogueChanged,
        ):
            signal.emit()

    def _display_defaults(self) -> None:
        # The next citizen starts in the default language and text size.
        changed_lang = self._lang != self.cfg.ui.language
        changed_display = (self._large, self._contrast) != (self.cfg.ui.large_text, self.cfg.ui.high_contrast)
        self._lang = self.cfg.ui.language
        self._large, self._contrast = self.cfg.ui.large_text, self.cfg.ui.high_contrast
        if changed_lang:
            self.langChanged.emit()
            self.statusChanged.emit()
        if changed_display:
            self.displayChanged.emit()

    @Slot(str)
    def openZone(self, key: str) -> None:
        self._zone_key, self._common = key, False
        self.catalogueChanged.emit()
        self._set_screen("services")

    @Slot()
    def openCommon(self) -> None:
        self._common = True
        self.catalogueChanged.emit()
        self._set_screen("services")

    @Slot(str)
    def openService(self, code: str) -> None:
        summary = next((s for s in self.cache.services if s.get("code") == code), None)
        if summary is None:
            return
        self.session.service_code = code
        cached = self.cache.guide(code)
        self._guide = cached or {**summary, "conditions": [], "materials": []}
        self._guide_cached = not self._server_online
        self.guideChanged.emit()
        self._set_screen("guide")
        api = self.api
        self.worker.submit(lambda: api.guide(code), lambda g: self._on_guide(code, g), self._on_guide_error)

    def _on_guide(self, code: str, guide: dict[str, Any]) -> None:
        self.cache.store_guide(guide)
        if self.session.service_code == code and self._screen in ("guide", "identity", "keypad", "confirm"):
            self._guide = guide
            self._guide_cached = False
            self.guideChanged.emit()

    def _on_guide_error(self, exc: Exception) -> None:
        if isinstance(exc, NetworkError):
            self._mark_offline()
            self._guide_cached = True
            self.guideChanged.emit()

    @Slot()
    def back(self) -> None:
        previous = {
            "services": "home",
            "guide": "services",
            "identity": "guide",
            "keypad": "identity",
            "confirm": "guide",
            "lookup": "home",
            "lookupResult": "lookup",
            "error": "guide",
        }
        target = previous.get(self._screen, "home")
        if self._screen == "guide" and not (self._zone_key or self._common):
            target = "home"
        if self._screen in ("keypad", "identity", "confirm"):
            # Keep the chosen service, drop the identity.
            self.session.card = None
            self.session.manual_id = None
            self.identityChanged.emit()
        if target == "home":
            self.goHome()
        else:
            self._set_screen(target)

    # -- taking a ticket -------------------------------------------------------------------------
    @Slot()
    def takeTicket(self) -> None:
        if not self._guide:
            return
        if not self._get_can_take():
            blocker = self.printer_blocks()
            key = "server_down" if not self._server_online else blocker or "printer_fault"
            self._set_message(strings(self._lang)[key])
            return
        self._set_message("")
        self._set_screen("identity")

    @Slot()
    def useKeypad(self) -> None:
        self._keypad = self._keypad_error = ""
        self.keypadChanged.emit()
        self._set_screen("keypad")

    @Slot(str)
    def keypadPress(self, key: str) -> None:
        if key == "del":
            self._keypad = self._keypad[:-1]
        elif key == "clear":
            self._keypad = ""
        # X is only ever the check character: refuse it anywhere else.
        elif key in ID_KEYS and len(self._keypad) < 18 and (key != "X" or len(self._keypad) == 17):
            self._keypad += key
        self._keypad_error = ""
        self.keypadChanged.emit()

    @Slot()
    def keypadConfirm(self) -> None:
        s = strings(self._lang)
        if len(self._keypad) != 18:
            self._keypad_error = s["id_incomplete"]
        elif not dev.validate_id_number(self._keypad):
            self._keypad_error = s["id_invalid"]
        else:
            self.session.set_manual_id(self._keypad)
            self._keypad = ""
            self.identityChanged.emit()
            self.keypadChanged.emit()
            self._set_screen("confirm")
            return
        self.keypadChanged.emit()

    @Slot()
    def skipIdentity(self) -> None:
        if self._get_id_required():
            return
        self.session.skip_identity()
        self.identityChanged.emit()
        self._set_screen("confirm")

    def _on_card(self, card: dev.IdCard) -> None:
        if self._screen not in ("identity", "keypad", "confirm"):
            return  # a card on the reader outside the identity step is not read into the session
        if not getattr(card, "check_digit_ok", True):
            self._keypad_error = strings(self._lang)["id_invalid"]
            self.keypadChanged.emit()
            return
        self.session.set_card(card)
        self.identityChanged.emit()
        self._set_screen("confirm")

    def _on_reader_failed(self, _reason: str) -> None:
        self.statusChanged.emit()

    @Slot()
    def confirm(self) -> None:
        code = self.session.service_code
        if self._screen != "confirm" or not code or not self._guide:
            return
        t_confirm = time.perf_counter()
        key = self.session.issue_key()
        id_card = self.session.id_card_payload()
        guide = dict(self._guide)
        hall = dict(self.cache.hall or {})
        self._set_screen("issuing")
        self.worker.submit(
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
        status = self.devices.printer_status()
        if status.get("paper") == "out" or status.get("ready") is False or status.get("online") is False:
            return {"blocked": True, "printer": status}
        t_status = time.perf_counter()
        ticket = self.api.issue_ticket(code, key, id_card)
        t_issued = time.perf_counter()
        document = dev.QueueTicket(
            hall_name=str(hall.get("name") or ""),
            number=str(ticket["number"]),
            service_name=str(ticket.get("service_name") or guide.get("name") or code),
            waiting_ahead=int(ticket.get("waiting_ahead") or 0),
            eta_min=ticket.get("eta_min"),
            eta_max=ticket.get("eta_max"),
            issued_at=self._issued_at(ticket, hall),
            wait_area=str(guide.get("zone_location") or guide.get("zone_name") or ""),
            status_url=self._status_url(ticket),
            notice=dev.DEFAULT_NOTICE,
            service_name_en=guide.get("name_en"),
            window_hint=", ".join(str(w.get("name") or w.get("code")) for w in guide.get("windows") or [])
            or None,
        )
        error = ""
        nbytes = 0
        try:
            nbytes = self.devices.print_document(document)
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

    def _issued_at(self, ticket: dict[str, Any], hall: dict[str, Any]) -> datetime:
        tz = ZoneInfo(str(hall.get("timezone") or "Asia/Shanghai"))
        raw = ticket.get("issued_at")
        try:
            moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=ZoneInfo("UTC"))
            return moment.astimezone(tz)
        except ValueError:
            return datetime.now(tz)

    def _status_url(self, ticket: dict[str, Any]) -> str:
        # The server builds every QR address from QUEUE_PUBLIC_URL; the kiosk never makes one up.
        return str(ticket.get("status_url") or "")

    def _wait_area(self) -> str:
        if not self._guide:
            return ""
        return str(self._guide.get("zone_location") or pick(self._guide, self._lang, "zone_name"))

    def _on_issued(self, result: dict[str, Any]) -> None:
        if result.get("blocked"):
            self._printer = result["printer"]
            self.statusChanged.emit()
            self.sendHeartbeat()
            self._show_error(strings(self._lang)[self.printer_blocks() or "printer_fault"], retry=False)
            return
        ticket = result["ticket"]
        if self._guide and not ticket.get("service_name_en"):
            # The issue answer names the item in Chinese only; the English name is in the guide.
            ticket = {**ticket, "service_name_en": self._guide.get("name_en")}
        self._ticket = ticket
        self._ticket_printed = bool(result["printed"])
        self.session.idempotency_key = None  # issued: a new touch means a new ticket
        if not result["printed"]:
            self.print_failures += 1
            self.last_print_error = str(result["print_error"])
            log.error("ticket %s issued but not printed: %s", ticket.get("number"), result["print_error"])
            self.sendHeartbeat()  # report the failure now, not at the next periodic beat
            self.pollPrinter()
        else:
            self.last_print_error = ""  # the printer works again
            log.info("ticket %s issued and printed (%d bytes)", ticket.get("number"), result["bytes"])
        self.ticketChanged.emit()
        self._set_screen("ticket")
        timings = {k: v for k, v in result.items() if k.startswith("t_") or k in ("printed", "bytes")}
        self.ticketIssued.emit(timings | {"number": ticket.get("number")})

    def _on_issue_error(self, exc: Exception) -> None:
        s = strings(self._lang)
        if isinstance(exc, ApiError):
            log.warning("issue refused: %s", exc.status)
            self._show_error(exc.detail, retry=exc.status not in (409, 422, 429, 403, 401))
        elif isinstance(exc, NetworkError):
            log.warning("issue failed: network (%s)", exc)
            self._mark_offline()
            self._show_error(s["issue_failed_network"], retry=True)
        else:
            log.error("issue failed: %s", type(exc).__name__)
            self._show_error(s["issue_failed_network"], retry=True)

    def _show_error(self, text: str, retry: bool) -> None:
        self._error_retry = retry
        self._set_message(text)
        self._set_screen("error")

    @Slot()
    def retryIssue(self) -> None:
        """Same idempotency key as the failed attempt: if that one reached the server, we get it back."""
        if self._screen == "error" and self._error_retry:
            self._screen = "confirm"
            self.confirm()

    @Slot()
    def printNotice(self) -> None:
        if not self._guide:
            return
        guide = dict(self._guide)
        hall = dict(self.cache.hall or {})
        tz = ZoneInfo(str(hall.get("timezone") or "Asia/Shanghai"))
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
            printed_at=datetime.now(tz),
        )
        self._set_message("")
        self.worker.submit(
            lambda: self.devices.print_document(slip), self._on_notice_printed, self._on_notice_failed
        )

    def _on_notice_printed(self, _nbytes: int) -> None:
        self._set_message(strings(self._lang)["notice_printed"])

    def _on_notice_failed(self, exc: Exception) -> None:
        log.error("notice slip not printed: %s", exc)
        self._set_message(strings(self._lang)["notice_failed"])
        self.pollPrinter()

    # -- looking up a ticket ------------------------------------------------------------------------
    @Slot()
    def openLookup(self) -> None:
        self._lookup_text = ""
        self._lookup = None
        self._set_message("")
        self.lookupChanged.emit()
        self._set_screen("lookup")

    @Slot(str)
    def lookupPress(self, key: str) -> None:
        if key == "del":
            self._lookup_text = self._lookup_text[:-1]
        elif key == "clear":
            self._lookup_text = ""
        elif len(self._lookup_text) < 8 and (key.isdigit() or key.isalpha()):
            self._lookup_text += key.upper()
        self.lookupChanged.emit()

    @Slot()
    def lookupSubmit(self) -> None:
        number = self._lookup_text
        if _NUMBER.match(number):
            self._lookup_query(lambda: self.api.ticket_by_number(number))

    def _on_scan(self, text: str) -> None:
        if self._screen not in CITIZEN_SCREENS or self._screen == "issuing":
            return
        text = text.strip()
        if "/t/" in text:
            token = text.rsplit("/t/", 1)[1].split("?")[0].strip("/")
            self._lookup_query(lambda: self.api.ticket_by_token(token))
        elif _NUMBER.match(text.upper()):
            number = text.upper()
            self._lookup_query(lambda: self.api.ticket_by_number(number))
        elif text:
            self._lookup_query(lambda: self.api.ticket_by_token(text))

    def _lookup_query(self, fn: Any) -> None:
        self._set_message("")
        self.worker.submit(fn, self._on_lookup, self._on_lookup_error)

    def _on_lookup(self, ticket: dict[str, Any]) -> None:
        self._lookup = ticket
        self.lookupChanged.emit()
        self._set_screen("lookupResult")

    def _on_lookup_error(self, exc: Exception) -> None:
        s = strings(self._lang)
        if isinstance(exc, ApiError) and exc.status == 404:
            self._set_message(s["lookup_not_found"])
        elif isinstance(exc, ApiError):
            self._set_message(exc.detail)
        else:
            self._mark_offline()
            self._set_message(s["server_down"])
        if self._screen not in ("lookup",):
            self.openLookup()
            self._set_message(s["lookup_not_found"] if isinstance(exc, ApiError) else s["server_down"])

    # -- maintenance gesture --------------------------------------------------------------------------
    @Slot()
    def secretTap(self) -> None:
        """Five taps on the hall name within three seconds open the PIN pad (only from Home)."""
        now = time.monotonic()
        self._taps.append(now)
        if self._screen == "home" and len(self._taps) == 5 and now - self._taps[0] <= 3.0:
            self._taps.clear()
            self._set_screen("pin")

    @Slot(str)
    def showScreen(self, name: str) -> None:
        """Used by the maintenance backend to enter and leave its screens."""
        if name == "home":
            self.goHome()
        else:
            self._set_screen(name)

    # -- server and printer state ---------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        if self._refreshing:
            return
        self._refreshing = True
        api = self.api

        def job() -> tuple[dict[str, Any] | None, list[dict[str, Any]], list[dict[str, Any]]]:
            halls = api.halls()
            hall = next((h for h in halls if h.get("code") == api.hall), None)
            return hall, api.zones(), api.services()

        self.worker.submit(job, self._on_catalogue, self._on_catalogue_error)

    def _on_catalogue(self, result: tuple[Any, list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        self._refreshing = False
        hall, zones, services = result
        self.cache.store_catalogue(hall, zones, services)
        was_online = self._server_online
        self._server_online = self._server_checked = True
        if not was_online:
            log.info("server reachable")
            self.sendHeartbeat()
        self.catalogueChanged.emit()
        self.statusChanged.emit()
        self.guideChanged.emit()
        self._prefetch_guides()
        self._refresh_timer.start(self._refresh_ms)

    def _on_catalogue_error(self, exc: Exception) -> None:
        self._refreshing = False
        if isinstance(exc, ApiError):
            log.error("catalogue refused by the server: %s %s", exc.status, exc.detail)
        self._mark_offline()
        self._refresh_timer.start(self._offline_ms)

    def _mark_offline(self) -> None:
        if self._server_online or not self._server_checked:
            log.warning("server unreachable: issuing paused, showing the cached catalogue")
        self._server_online = False
        self._server_checked = True
        self.statusChanged.emit()
        self.guideChanged.emit()
        if not self._refresh_timer.isActive():
            self._refresh_timer.start(self._offline_ms)

    def _prefetch_guides(self) -> None:
        """Keep every guide in the cache, so all of them can be read while the server is down."""
        stale = time.monotonic() - self._guides_fetched_at > 1800
        codes = [s["code"] for s in self.cache.services if stale or self.cache.guide(s["code"]) is None]
        if not codes or self._fetching_guides:
            return
        self._fetching_guides = True
        api = self.api

        def job() -> list[dict[str, Any]]:
            return [api.guide(code) for code in codes]

        def done(guides: list[dict[str, Any]]) -> None:
            self._fetching_guides = False
            self._guides_fetched_at = time.monotonic()
            for guide in guides:
                self.cache.store_guide(guide)

        def failed(_exc: Exception) -> None:
            self._fetching_guides = False

        self.worker.submit(job, done, failed)

    @Slot()
    def pollPrinter(self) -> None:
        if self._polling_printer:
            return
        self._polling_printer = True
        self.worker.submit(
            self.devices.printer_status, self._on_printer_status, self._on_printer_status_error
        )

    def _on_printer_status(self, status: dict[str, Any]) -> None:
        self._polling_printer = False
        before = self.printer_blocks()
        self._printer = status
        if self.printer_blocks() != before:
            log.warning("printer state: %s", self.printer_blocks() or "ready")
            self.sendHeartbeat()  # tell the server at once that issuing stopped or resumed
        self.statusChanged.emit()
        self.guideChanged.emit()

    def _on_printer_status_error(self, exc: Exception) -> None:
        self._polling_printer = False
        self._on_printer_status(
            {"online": False, "paper": "unknown", "ready": False, "error": None, "detail": str(exc)}
        )

    def heartbeat_payload(self) -> dict[str, Any]:
        """The device status, flat (the server keeps plain values only, texts up to 200 characters).

        The printer's status becomes printer_* entries; a failed job travels in printer_detail.
        """
        detail = str(self._printer.get("detail") or "")
        if self.last_print_error:
            failed = (
                f"上次打印失败 / last job failed ({self.print_failures} in total): {self.last_print_error}"
            )
            detail = f"{failed}; {detail}" if detail else failed  # first: the text is cut at 200
        status: dict[str, Any] = {
            f"printer_{key}": self._printer.get(key)
            for key in ("online", "cover_open", "paper", "error", "ready")
        }
        status["printer_detail"] = detail[:HEARTBEAT_TEXT]
        status.update(
            reader=self.devices.reader_state,
            scanner=self.devices.scanner_state,
            issuing_enabled=self.issuing_enabled(),
        )
        return status

    @Slot()
    def sendHeartbeat(self) -> None:
        payload = self.heartbeat_payload()
        self.last_heartbeat = payload
        api = self.api

        def done(code: int) -> None:
            self.last_heartbeat_status = code

        def failed(_exc: Exception) -> None:
            self.last_heartbeat_status = -1

        self.worker.submit(lambda: api.heartbeat(payload), done, failed)

    @Slot()
    def requestRestart(self) -> None:
        log.info("restart requested from maintenance")
        self.restartRequested.emit()
