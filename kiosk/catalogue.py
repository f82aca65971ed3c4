"""What the hall offers: zones, items, the chosen item's guide, opening hours; cached for offline use."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk import availability
from kiosk.api import ApiError, NetworkError
from kiosk.health import Health
from kiosk.i18n import pick, strings
from kiosk.parts import Parts
from kiosk.present import guide_view, service_view, zone_view

log = logging.getLogger(__name__)
COMMON_LIMIT = 12  # "常办事项" is a short list: one screen of large buttons
GUIDES_STALE_S = 1800


class Catalogue(QObject):
    changed = Signal()  # hall, zones, items, the chosen list
    guideChanged = Signal()
    clockChanged = Signal()

    def __init__(
        self,
        parts: Parts,
        health: Health,
        *,
        refresh_ms: int,
        offline_retry_ms: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.parts = parts
        self.health = health
        self._zone_key = ""
        self._common = False
        self._guide: dict[str, Any] | None = None
        self._guide_cached = False
        self._refreshing = False
        self._fetching_guides = False
        self._guides_fetched_at = 0.0
        self._refresh_ms, self._offline_ms = refresh_ms, offline_retry_ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self.clockChanged)
        parts.display.langChanged.connect(self.changed)
        parts.display.langChanged.connect(self.guideChanged)
        parts.display.langChanged.connect(self.clockChanged)
        health.changed.connect(self.guideChanged)

    def start(self) -> None:
        self.refresh()
        self._clock.start(15000)

    def stop(self) -> None:
        self._timer.stop()
        self._clock.stop()

    # -- hall ----------------------------------------------------------------------------------------
    def _now(self) -> datetime:
        return datetime.now(ZoneInfo(self.parts.hall_tz()))

    def _get_clock(self) -> str:
        return self._now().strftime("%Y-%m-%d %H:%M")

    clock = Property(str, _get_clock, notify=clockChanged)

    def _get_hall_name(self) -> str:
        hall = self.parts.cache.hall
        return pick(hall, self.parts.lang) if hall else strings(self.parts.lang)["app_title"]

    hallName = Property(str, _get_hall_name, notify=changed)

    def _get_hall_notice(self) -> str:
        return availability.hall_notice(
            self.parts.cache.hall, self.parts.hall_tz(), self._now(), self.parts.lang
        )

    hallNotice = Property(str, _get_hall_notice, notify=changed)

    def _get_complaint_phone(self) -> str:
        return str((self.parts.cache.hall or {}).get("complaint_phone") or "")

    complaintPhone = Property(str, _get_complaint_phone, notify=changed)

    def _get_takes_bookings(self) -> bool:
        """Home offers 预约签到 only where the hall takes bookings (the server's hall view says so)."""
        return bool((self.parts.cache.hall or {}).get("appointments"))

    takesBookings = Property(bool, _get_takes_bookings, notify=changed)

    # -- zones and items ------------------------------------------------------------------------------
    def _services_of(self, zone_key: str) -> list[dict[str, Any]]:
        return [s for s in self.parts.cache.services if s.get("zone") == zone_key]

    def _status(self, item: dict[str, Any]) -> str:
        return availability.status_text(item, self.parts.hall_tz(), self._now(), self.parts.lang)

    def _get_zones(self) -> list[dict[str, Any]]:
        lang = self.parts.lang
        return [
            zone_view(z, lang, len(self._services_of(z.get("key", ""))), self._status(z))
            for z in self.parts.cache.zones
            if self._services_of(z.get("key", ""))
        ]

    zones = Property("QVariantList", _get_zones, notify=changed)

    def common_services(self) -> list[dict[str, Any]]:
        """The hall file's short list of common items (else this kiosk's own list), in that order."""
        by_code = {s.get("code"): s for s in self.parts.cache.services}
        codes = (self.parts.cache.hall or {}).get("common") or self.parts.cfg.ui.common_items
        return [by_code[c] for c in codes if c in by_code][:COMMON_LIMIT]

    def _get_has_common(self) -> bool:
        return bool(self.common_services())

    hasCommon = Property(bool, _get_has_common, notify=changed)

    def _get_services(self) -> list[dict[str, Any]]:
        items = self.common_services() if self._common else self._services_of(self._zone_key)
        return [service_view(s, self.parts.lang, self._status(s)) for s in items]

    services = Property("QVariantList", _get_services, notify=changed)

    def _get_zone_title(self) -> str:
        if self._common:
            return strings(self.parts.lang)["common_items"]
        zone = next((z for z in self.parts.cache.zones if z.get("key") == self._zone_key), None)
        return pick(zone, self.parts.lang) if zone else ""

    zoneTitle = Property(str, _get_zone_title, notify=changed)

    def _get_prefixes(self) -> list[str]:
        return sorted({str(s.get("prefix") or "") for s in self.parts.cache.services} - {""})

    lookupPrefixes = Property("QVariantList", _get_prefixes, notify=changed)

    def choose_zone(self, key: str) -> None:
        self._zone_key, self._common = key, False
        self.changed.emit()

    def choose_common(self) -> None:
        self._common = True
        self.changed.emit()

    def came_from_list(self) -> bool:
        return bool(self._zone_key or self._common)

    # -- the chosen item's guide ------------------------------------------------------------------------
    def item(self) -> dict[str, Any] | None:
        """The chosen item with its guide (the freshest answer known), or None."""
        return self._guide

    def _get_guide(self) -> dict[str, Any]:
        if not self._guide:
            return {}
        view = guide_view(self._guide, self.parts.lang)
        view["status"] = self._status(self._guide)
        view["selfService"] = bool(self._guide.get("self_service"))
        return view

    guide = Property("QVariantMap", _get_guide, notify=guideChanged)

    def _get_guide_cached(self) -> bool:
        return self._guide_cached

    guideFromCache = Property(bool, _get_guide_cached, notify=guideChanged)

    def choose_service(self, code: str) -> bool:
        summary = next((s for s in self.parts.cache.services if s.get("code") == code), None)
        if summary is None:
            return False
        cached = self.parts.cache.guide(code)
        # The summary is newer than a cached guide for what changes by the minute (open, staffed, …).
        self._guide = {**(cached or {"conditions": [], "materials": []}), **summary}
        self._guide_cached = not self.health.serverOnline
        self.guideChanged.emit()
        api = self.parts.api
        self.parts.worker.submit(
            lambda: api.guide(code), lambda g: self._on_guide(code, g), self._on_guide_error
        )
        return True

    def _on_guide(self, code: str, guide: dict[str, Any]) -> None:
        self.parts.cache.store_guide(guide)
        if self._guide is not None and self._guide.get("code") == code:
            self._guide = guide
            self._guide_cached = False
            self.guideChanged.emit()

    def _on_guide_error(self, exc: Exception) -> None:
        if isinstance(exc, NetworkError):
            self.mark_offline()
            self._guide_cached = True
            self.guideChanged.emit()

    def forget(self) -> None:
        """Home: nothing chosen."""
        self._guide = None
        self._zone_key, self._common = "", False
        self.guideChanged.emit()
        self.changed.emit()

    # -- refresh from the server ------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        if self._refreshing:
            return
        self._refreshing = True
        api = self.parts.api

        def job() -> tuple[dict[str, Any] | None, list[dict[str, Any]], list[dict[str, Any]]]:
            hall = next((h for h in api.halls() if h.get("code") == api.hall), None)
            return hall, api.zones(), api.services()

        self.parts.worker.submit(job, self._on_catalogue, self._on_catalogue_error)

    def _on_catalogue(self, result: tuple[Any, list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        self._refreshing = False
        hall, zones, services = result
        self.parts.cache.store_catalogue(hall, zones, services)
        if self._guide is not None:  # availability of the chosen item, as fresh as the list
            fresh = next((s for s in services if s.get("code") == self._guide.get("code")), None)
            if fresh is not None:
                self._guide = {**self._guide, **fresh}
        self.health.mark_online()
        self.changed.emit()
        self.guideChanged.emit()
        self._prefetch_guides()
        self._timer.start(self._refresh_ms)

    def _on_catalogue_error(self, exc: Exception) -> None:
        self._refreshing = False
        if isinstance(exc, ApiError):
            log.error("catalogue refused by the server: %s %s", exc.status, exc.detail)
        self.mark_offline()
        self._timer.start(self._offline_ms)

    def mark_offline(self) -> None:
        self.health.mark_offline()
        if not self._timer.isActive():
            self._timer.start(self._offline_ms)

    def _prefetch_guides(self) -> None:
        """Keep every guide in the cache, so all of them can be read while the server is down."""
        cache = self.parts.cache
        stale = time.monotonic() - self._guides_fetched_at > GUIDES_STALE_S
        codes = [s["code"] for s in cache.services if stale or cache.guide(s["code"]) is None]
        if not codes or self._fetching_guides:
            return
        self._fetching_guides = True
        api = self.parts.api

        def job() -> list[dict[str, Any]]:
            return [api.guide(code) for code in codes]

        def done(guides: list[dict[str, Any]]) -> None:
            self._fetching_guides = False
            self._guides_fetched_at = time.monotonic()
            for guide in guides:
                cache.store_guide(guide)

        def failed(_exc: Exception) -> None:
            self._fetching_guides = False

        self.parts.worker.submit(job, done, failed)
