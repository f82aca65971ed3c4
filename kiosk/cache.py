"""Offline copy of the catalogue and service guides, so the kiosk still informs when the server is down.

One JSON file per hall in the data dir, replaced atomically on every successful refresh.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


class CatalogueCache:
    def __init__(self, data_dir: Path, hall: str) -> None:
        self._path = data_dir / f"catalogue-{hall}.json"
        self._data: dict[str, Any] = {"hall": None, "zones": [], "services": [], "guides": {}}
        self._load()

    @property
    def path(self) -> Path:
        return self._path

    def _load(self) -> None:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict):
            self._data.update({k: data[k] for k in ("hall", "zones", "services", "guides") if k in data})

    def _save(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self._path)

    @property
    def hall(self) -> dict[str, Any] | None:
        return self._data["hall"]

    @property
    def zones(self) -> list[dict[str, Any]]:
        return self._data["zones"]

    @property
    def services(self) -> list[dict[str, Any]]:
        return self._data["services"]

    def guide(self, code: str) -> dict[str, Any] | None:
        return self._data["guides"].get(code)

    def has_catalogue(self) -> bool:
        return bool(self._data["services"])

    def store_catalogue(self, hall: dict[str, Any] | None, zones: list[dict[str, Any]],
                        services: list[dict[str, Any]]) -> None:
        # Only write when the stable part changed: waiting counts change every few seconds and the
        # flash card of an appliance should not be rewritten that often.
        changed = (_stable(zones) != _stable(self.zones) or _stable(services) != _stable(self.services)
                   or hall != self.hall)
        self._data["hall"], self._data["zones"], self._data["services"] = hall, zones, services
        known = {s.get("code") for s in services}
        stale = [code for code in self._data["guides"] if code not in known]
        for code in stale:
            del self._data["guides"][code]
        if changed or stale:
            self._save()

    def store_guide(self, guide: dict[str, Any]) -> None:
        if self._data["guides"].get(guide["code"]) != guide:
            self._data["guides"][guide["code"]] = guide
            self._save()


def _stable(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.items() if k not in _MOMENTARY} for item in items]


# What changes by the minute: kept in memory, not a reason to rewrite the file.
_MOMENTARY = frozenset({"waiting", "open_now", "open_until", "next_open", "staffed", "can_issue", "eta_min",
                        "eta_max"})
