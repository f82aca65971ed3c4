"""The parts every job object of the kiosk shares; replaced together when a new configuration is applied."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk import devices as dev
from kiosk.api import ApiClient
from kiosk.cache import CatalogueCache
from kiosk.config import KioskConfig
from kiosk.display import Display
from kiosk.session import CitizenSession
from kiosk.worker import Worker


@dataclass
class Parts:
    cfg: KioskConfig
    devices: dev.Devices
    api: ApiClient
    cache: CatalogueCache
    worker: Worker
    session: CitizenSession
    display: Display

    @classmethod
    def build(cls, cfg: KioskConfig, devices: dev.Devices, worker: Worker, display: Display) -> Parts:
        return cls(
            cfg,
            devices,
            ApiClient(cfg.server.url, cfg.server.hall, cfg.server.token, cfg.server.timeout_s),
            CatalogueCache(cfg.data_dir(), cfg.server.hall),
            worker,
            CitizenSession(),
            display,
        )

    def reconfigure(self, cfg: KioskConfig, devices: dev.Devices) -> None:
        self.cfg, self.devices = cfg, devices
        self.api = ApiClient(cfg.server.url, cfg.server.hall, cfg.server.token, cfg.server.timeout_s)
        self.cache = CatalogueCache(cfg.data_dir(), cfg.server.hall)

    @property
    def lang(self) -> str:
        return self.display.lang

    def hall_tz(self) -> str:
        return str((self.cache.hall or {}).get("timezone") or "Asia/Shanghai")
