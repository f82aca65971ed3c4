"""Apply a validated hall file to the database: all or nothing, and idempotent."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import access
from ..db.models import Device, Hall, Service, Ticket, Window, WindowSkill, Zone
from ..hall_config.load import ConfigError
from ..hall_config.schema import HallFile
from .context import Actor, Context, UnitOfWork, unit_of_work

HALL_FIELDS = (
    "name",
    "name_en",
    "timezone",
    "day_starts",
    "number_start",
    "number_width",
    "enforce_hours",
    "priority_age",
    "per_person_daily_total",
    "address",
    "phone",
    "complaint_phone",
    "hours",
    "common",
    "appointments",
    "priority_classes",
    "reactivate_min",
    "rejoin_behind",
)
ZONE_FIELDS = ("name", "name_en", "kind", "location")
SERVICE_FIELDS = (
    "name",
    "name_en",
    "prefix",
    "approval",
    "legal_basis",
    "agency",
    "applicant_types",
    "statutory_days",
    "promised_days",
    "fee",
    "conditions",
    "escalate_after_min",
    "daily_quota",
    "avg_service_min",
    "id_required",
    "per_person_daily_limit",
    "active",
    "hours",
    "guide_url",
    "appointment",
)
WINDOW_FIELDS = ("name", "name_en", "state")


@dataclass
class ImportSummary:
    hall: str
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return any(k.split(".")[1] != "unchanged" for k in self.counts if self.counts[k])

    def __str__(self) -> str:
        parts = [f"{k}={v}" for k, v in sorted(self.counts.items()) if v]
        return f"hall {self.hall}: " + (", ".join(parts) if parts else "nothing")


def _apply_fields(
    obj: Any, values: dict[str, Any], names: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set the fields that differ; return (before, after) of just those fields."""
    before, after = {}, {}
    for name in names:
        new = values[name]
        if getattr(obj, name) != new:
            before[name], after[name] = getattr(obj, name), new
            setattr(obj, name, new)
    return before, after


def import_hall(ctx: Context, actor: Actor, cfg: HallFile) -> ImportSummary:
    """Create or update the hall described by `cfg`. Raises ConfigError (and changes nothing) on conflicts."""
    access.check(actor, "hall.import")
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        summary = ImportSummary(cfg.hall.code)
        hall = s.scalar(select(Hall).where(Hall.code == cfg.hall.code))
        if hall is None:
            values = cfg.hall.model_dump()
            hall = Hall(code=cfg.hall.code, event_seq=0, **{f: values[f] for f in HALL_FIELDS})
            s.add(hall)
            s.flush()
            uow.audit(hall.id, "hall.create", "hall", hall.code, None, {"name": hall.name})
            summary.counts["halls.created"] += 1
        else:
            uow.lock_hall(hall.id)
            _refuse_lost_codes(s, hall, cfg)
            before, after = _apply_fields(hall, cfg.hall.model_dump(), HALL_FIELDS)
            _count(uow, summary, hall.id, "hall", hall.code, before, after)
        zones = _sync_zones(uow, summary, hall, cfg)
        services = _sync_services(uow, summary, hall, cfg, zones)
        _sync_windows(uow, summary, hall, cfg, zones, services)
        _delete_missing(uow, summary, hall, cfg)
        if summary.changed:
            uow.layout_changed(hall.id)  # items, zones or windows may have changed: routing reloads them
            uow.emit(hall.id, "catalogue.changed", {"summary": str(summary)})
        return summary


def _count(
    uow: UnitOfWork,
    summary: ImportSummary,
    hall_id: int,
    kind: str,
    ident: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    if after:
        uow.audit(hall_id, f"{kind}.update", kind, ident, before, after)
        summary.counts[f"{kind}s.updated"] += 1
    else:
        summary.counts[f"{kind}s.unchanged"] += 1


def _refuse_lost_codes(s: Session, hall: Hall, cfg: HallFile) -> None:
    """An item code that tickets use can never change or disappear; neither can such a window."""
    problems = []
    codes = {sv.code for sv in cfg.services}
    for sv in hall.services:
        if sv.code in codes:
            continue
        used = s.scalar(select(func.count()).select_from(Ticket).where(Ticket.service_id == sv.id))
        if used:
            problems.append(
                f"services: item {sv.code} ({sv.name}) is used by {used} tickets and is missing "
                f"from the file: a used code can never change or be removed; keep it and set active = false"
            )
    window_codes = {w.code for w in cfg.windows}
    for w in hall.windows:
        if w.code in window_codes:
            continue
        used = s.scalar(
            select(func.count())
            .select_from(Ticket)
            .where((Ticket.window_id == w.id) | (Ticket.target_window_id == w.id))
        )
        if used:
            problems.append(
                f"windows: window {w.code} has served {used} tickets and is missing from the file; "
                f'keep it and set state = "closed"'
            )
        pads = s.scalars(select(Device.name).where(Device.window_id == w.id)).all()
        if pads:
            problems.append(
                f"windows: window {w.code} is missing from the file but evaluation pad(s) "
                f'{", ".join(pads)} are registered to it; keep it and set state = "closed"'
            )
    if problems:
        raise ConfigError(problems)


def _sync_zones(uow: UnitOfWork, summary: ImportSummary, hall: Hall, cfg: HallFile) -> dict[str, Zone]:
    s = uow.session
    existing = {z.key: z for z in s.scalars(select(Zone).where(Zone.hall_id == hall.id))}
    for zc in cfg.zones:
        zone = existing.get(zc.key)
        if zone is None:
            zone = Zone(hall_id=hall.id, key=zc.key, **{f: getattr(zc, f) for f in ZONE_FIELDS})
            s.add(zone)
            existing[zc.key] = zone
            uow.audit(hall.id, "zone.create", "zone", zc.key, None, zc.model_dump())
            summary.counts["zones.created"] += 1
        else:
            before, after = _apply_fields(zone, zc.model_dump(), ZONE_FIELDS)
            _count(uow, summary, hall.id, "zone", zc.key, before, after)
    s.flush()
    return existing


def _sync_services(
    uow: UnitOfWork, summary: ImportSummary, hall: Hall, cfg: HallFile, zones: dict[str, Zone]
) -> dict[str, Service]:
    s = uow.session
    existing = {sv.code: sv for sv in s.scalars(select(Service).where(Service.hall_id == hall.id))}
    for sc in cfg.services:
        values = sc.model_dump()
        service = existing.get(sc.code)
        if service is None:
            service = Service(
                hall_id=hall.id,
                code=sc.code,
                zone_id=zones[sc.zone].id,
                materials=values["materials"],
                **{f: values[f] for f in SERVICE_FIELDS},
            )
            s.add(service)
            existing[sc.code] = service
            uow.audit(hall.id, "service.create", "service", sc.code, None, {"name": sc.name, "zone": sc.zone})
            summary.counts["services.created"] += 1
            continue
        before, after = _apply_fields(service, values, (*SERVICE_FIELDS, "materials"))
        if service.zone_id != zones[sc.zone].id:
            before["zone"], after["zone"] = service.zone.key, sc.zone
            service.zone_id = zones[sc.zone].id
        _count(uow, summary, hall.id, "service", sc.code, before, after)
    s.flush()
    return existing


def _sync_windows(
    uow: UnitOfWork,
    summary: ImportSummary,
    hall: Hall,
    cfg: HallFile,
    zones: dict[str, Zone],
    services: dict[str, Service],
) -> None:
    s = uow.session
    existing = {w.code: w for w in s.scalars(select(Window).where(Window.hall_id == hall.id))}
    for wc in cfg.windows:
        window = existing.get(wc.code)
        wanted = {services[sk.service].id: sk.level for sk in wc.skills}
        if window is None:
            window = Window(
                hall_id=hall.id,
                code=wc.code,
                zone_id=zones[wc.zone].id,
                **{f: getattr(wc, f) for f in WINDOW_FIELDS},
            )
            window.skills = [WindowSkill(service_id=sid, level=lvl) for sid, lvl in wanted.items()]
            s.add(window)
            uow.audit(
                hall.id,
                "window.create",
                "window",
                wc.code,
                None,
                {"zone": wc.zone, "skills": sorted([sk.service, sk.level] for sk in wc.skills)},
            )
            summary.counts["windows.created"] += 1
            continue
        before, after = _apply_fields(window, wc.model_dump(), WINDOW_FIELDS)
        if window.zone_id != zones[wc.zone].id:
            before["zone"], after["zone"] = window.zone.key, wc.zone
            window.zone_id = zones[wc.zone].id
        current = {sk.service_id: sk.level for sk in window.skills}
        if current != wanted:
            codes = {sv.id: sv.code for sv in services.values()}
            before["skills"] = sorted([codes[k], v] for k, v in current.items())
            after["skills"] = sorted([codes[k], v] for k, v in wanted.items())
            window.skills = [WindowSkill(service_id=sid, level=lvl) for sid, lvl in wanted.items()]
            s.flush()
        _count(uow, summary, hall.id, "window", wc.code, before, after)
    s.flush()


def _delete_missing(uow: UnitOfWork, summary: ImportSummary, hall: Hall, cfg: HallFile) -> None:
    s = uow.session
    keep_windows = {w.code for w in cfg.windows}
    for w in s.scalars(select(Window).where(Window.hall_id == hall.id)).all():
        if w.code not in keep_windows:
            uow.audit(hall.id, "window.delete", "window", w.code, {"zone": w.zone.key}, None)
            s.delete(w)
            summary.counts["windows.deleted"] += 1
    s.flush()
    keep_services = {sv.code for sv in cfg.services}
    for sv in s.scalars(select(Service).where(Service.hall_id == hall.id)).all():
        if sv.code not in keep_services:
            s.execute(WindowSkill.__table__.delete().where(WindowSkill.service_id == sv.id))
            uow.audit(hall.id, "service.delete", "service", sv.code, {"name": sv.name}, None)
            s.delete(sv)
            summary.counts["services.deleted"] += 1
    s.flush()
    keep_zones = {z.key for z in cfg.zones}
    for z in s.scalars(select(Zone).where(Zone.hall_id == hall.id)).all():
        if z.key not in keep_zones:
            uow.audit(hall.id, "zone.delete", "zone", z.key, {"name": z.name}, None)
            s.delete(z)
            summary.counts["zones.deleted"] += 1
