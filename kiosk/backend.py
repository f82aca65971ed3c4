"""The citizen's flow on screen: turns touches, device input and server answers into the events of
kiosk/flow.py and shows the screen its table names. The jobs live in their own objects, which the
QML binds to directly: `ui` (display), `catalogue`, `identity`, `issuing`, `lookup`, `checkin`, `health`,
`idle`.

All network and device I/O runs on the worker pool; results come back on the GUI thread, so a slow
server or printer never freezes the touch screen.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk import devices as dev
from kiosk import flow
from kiosk.api import booking_token
from kiosk.catalogue import Catalogue
from kiosk.checkin import CheckIn
from kiosk.config import KioskConfig
from kiosk.display import Display
from kiosk.health import Health
from kiosk.identity import Identity
from kiosk.idle import IdleWatch
from kiosk.issuing import Issuing
from kiosk.lookup import Lookup
from kiosk.parts import Parts
from kiosk.worker import Worker

log = logging.getLogger(__name__)
SECRET_TAPS, SECRET_WINDOW_S = 5, 3.0


class KioskBackend(QObject):
    screenChanged = Signal()
    restartRequested = Signal()

    def __init__(
        self,
        cfg: KioskConfig,
        devices: dev.Devices,
        *,
        refresh_ms: int = 10000,
        offline_retry_ms: int = 3000,
        printer_poll_ms: int = 10000,
        heartbeat_ms: int = 60000,
        idle_tick_ms: int = 1000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.display = Display(cfg.ui, self)
        self.parts = Parts.build(cfg, devices, Worker(parent=self), self.display)
        self.health = Health(self.parts, self)
        self.catalogue = Catalogue(
            self.parts, self.health, refresh_ms=refresh_ms, offline_retry_ms=offline_retry_ms, parent=self
        )
        self.identity = Identity(self.parts, self.catalogue, self)
        self.issuing = Issuing(self.parts, self.catalogue, self.health, self)
        self.lookup = Lookup(self.parts, self.catalogue, self)
        self.checkin = CheckIn(self.parts, self.catalogue, self.health, self.issuing.chime, self)
        self.idle = IdleWatch(idle_tick_ms, self)
        self._screen = "home"
        self._taps: deque[float] = deque(maxlen=SECRET_TAPS)

        self.health.changed.connect(self.identity.changed)  # the reader's state travels with the health
        self.issuing.outcome.connect(self.fire)
        self.lookup.found.connect(lambda: self.fire("found"))
        self.lookup.notFound.connect(lambda: self.fire("lookup"))
        self.checkin.outcome.connect(self.fire)
        self.idle.expired.connect(self._on_idle)
        self._printer_timer = QTimer(self)
        self._printer_timer.timeout.connect(self.health.pollPrinter)
        self._printer_poll_ms = printer_poll_ms
        self._heartbeat_timer = QTimer(self)
        self._heartbeat_timer.timeout.connect(self.health.sendHeartbeat)
        self._heartbeat_ms = heartbeat_ms
        self._connect_devices()

    # -- the parts other modules use (maintenance, simulator, benchmark) ---------------------------
    @property
    def cfg(self) -> KioskConfig:
        return self.parts.cfg

    @property
    def devices(self) -> dev.Devices:
        return self.parts.devices

    @property
    def session(self) -> Any:
        return self.parts.session

    @property
    def cache(self) -> Any:
        return self.parts.cache

    @property
    def worker(self) -> Worker:
        return self.parts.worker

    def objects(self) -> dict[str, QObject]:
        """The QML context properties besides `kiosk` itself."""
        return {
            "ui": self.display,
            "catalogue": self.catalogue,
            "identity": self.identity,
            "issuing": self.issuing,
            "lookup": self.lookup,
            "checkin": self.checkin,
            "health": self.health,
            "idle": self.idle,
        }

    # -- life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        self.parts.devices.start()
        self.catalogue.start()
        self.health.pollPrinter()
        self._printer_timer.start(self._printer_poll_ms)
        self._heartbeat_timer.start(self._heartbeat_ms)

    def stop(self) -> None:
        for timer in (self._printer_timer, self._heartbeat_timer):
            timer.stop()
        self.idle.stop()
        self.catalogue.stop()
        self.parts.devices.stop()
        self.parts.worker.wait(10000)

    def _connect_devices(self) -> None:
        self.parts.devices.cardRead.connect(self._on_card)
        self.parts.devices.readerFailed.connect(lambda _reason: self.identity.changed.emit())
        self.parts.devices.scanned.connect(self._on_scan)

    def apply_config(self, cfg: KioskConfig, devices: dev.Devices) -> None:
        """Switch to a newly saved configuration without restarting the process."""
        self.parts.devices.stop()
        self.parts.reconfigure(cfg, devices)
        self._connect_devices()
        self.parts.devices.start()
        self.health.reset()
        self.catalogue.refresh()
        self.health.pollPrinter()
        self.health.changed.emit()

    # -- the screen ---------------------------------------------------------------------------------
    def _get_screen(self) -> str:
        return self._screen

    screen = Property(str, _get_screen, notify=screenChanged)

    @Slot(str)
    def fire(self, event: str) -> bool:
        """Apply one event of the flow table; False when it does nothing on this screen."""
        target = flow.next_screen(self._screen, event)
        if target is None:
            return False
        if target != self._screen:
            self._screen = target
            self.screenChanged.emit()
        if target == "home":  # after leaving: the old screen never re-renders with emptied data
            self._wipe()
        if target in flow.NO_IDLE:
            self.idle.stop()
        else:
            self.idle.start(self.parts.cfg.ui.idle_timeout_s * flow.IDLE_FACTOR.get(target, 1))
        return True

    def _wipe(self) -> None:
        """Everything about the last citizen is forgotten; the next one starts with the defaults."""
        self.parts.session.wipe()
        self.identity.forget()
        self.issuing.forget()
        self.lookup.forget()
        self.checkin.forget()
        self.catalogue.forget()
        self.display.reset(self.parts.cfg.ui)

    @Slot()
    def touched(self) -> None:
        """Any touch on the screen: the citizen is still there."""
        self.idle.keepAlive()

    def _on_idle(self) -> None:
        log.info("idle timeout on screen %s: back to home", self._screen)
        self.fire("idle")

    # -- navigation -------------------------------------------------------------------------------
    @Slot()
    def goHome(self) -> None:
        self.fire("home")

    @Slot()
    def back(self) -> None:
        if self._screen in ("identity", "keypad", "confirm"):
            self.identity.drop()  # keep the chosen item, drop the person
        if self._screen == "guide" and not self.catalogue.came_from_list():
            self.fire("home")
        else:
            self.fire("back")

    @Slot(str)
    def openZone(self, key: str) -> None:
        self.catalogue.choose_zone(key)
        self.fire("zone")

    @Slot()
    def openCommon(self) -> None:
        self.catalogue.choose_common()
        self.fire("common")

    @Slot(str)
    def openService(self, code: str) -> None:
        if self.catalogue.choose_service(code):
            self.parts.session.service_code = code
            self.fire("service")

    @Slot()
    def openLookup(self) -> None:
        self.lookup.forget()
        self.fire("lookup")

    @Slot()
    def openCheckin(self) -> None:
        self.fire("checkin")

    @Slot()
    def retryCheckin(self) -> None:
        """Only after a network failure: the server gives the same ticket for the same booking."""
        if self._screen == "checkinRefused" and self.checkin.retry():
            self.fire("retry")

    @Slot(str)
    def showScreen(self, name: str) -> None:
        """The maintenance backend enters (pin_ok) and leaves its screens."""
        self.fire("home" if name == "home" else "pin_ok" if name == "maintenance" else name)

    @Slot()
    def secretTap(self) -> None:
        """Five taps on the hall name within three seconds open the PIN pad (only from Home)."""
        now = time.monotonic()
        self._taps.append(now)
        if len(self._taps) == SECRET_TAPS and now - self._taps[0] <= SECRET_WINDOW_S and self.fire("secret"):
            self._taps.clear()

    # -- taking a ticket ----------------------------------------------------------------------------
    @Slot()
    def takeTicket(self) -> None:
        """Decided before identity: a ticket now, or a screen that says why not and what to do."""
        item = self.catalogue.item()
        if not item or self._screen != "guide":
            return
        event = flow.take_event(
            online=self.health.serverOnline, printer_ok=self.health.printer_blocks() is None, item=item
        )
        if event != "take":
            self.issuing.refuse(event)
        self.fire(event)

    @Slot()
    def useKeypad(self) -> None:
        self.identity.start_keypad()
        self.fire("use_keypad")

    @Slot()
    def keypadConfirm(self) -> None:
        if self._screen == "keypad" and self.identity.keypad_confirm():
            self.fire("identified")

    @Slot()
    def skipIdentity(self) -> None:
        if self._screen == "identity" and self.identity.skip():
            self.fire("skip")

    def _on_card(self, card: dev.IdCard) -> None:
        # A card on the reader outside the identity and check-in steps is not read at all.
        taking = self._screen in ("identity", "keypad", "confirm")
        checking_in = self._screen in ("checkin", "checkinRefused")
        if (taking and self.identity.card(card)) or (checking_in and self.checkin.by_card(card)):
            self.fire("identified")

    @Slot()
    def confirm(self) -> None:
        if self._screen == "confirm" and self.catalogue.item():
            self.fire("confirm")
            self.issuing.confirm()

    @Slot()
    def retryIssue(self) -> None:
        """Same idempotency key as the failed attempt: if that one reached the server, we get it back."""
        if self._screen == "error" and self.issuing.refusal.get("retry") and self.fire("retry"):
            self.issuing.confirm()

    def _on_scan(self, text: str) -> None:
        if self._screen not in flow.CITIZEN or self._screen in flow.BUSY:
            return
        token = booking_token(text)
        if token is None:
            self.lookup.scanned(text)
        elif self.checkin.by_token(token):  # a booking's QR code: check in, from any idle screen
            self.identity.drop()  # a half-taken ticket's identity is not carried into the check-in
            self.fire("booking")

    @Slot()
    def requestRestart(self) -> None:
        log.info("restart requested from maintenance")
        self.restartRequested.emit()
