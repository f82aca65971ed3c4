"""Kiosks, displays and evaluation pads: registration, token rotation and revocation, heartbeats."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from .. import access, credentials
from ..db.models import Device, Hall
from . import lookup
from .context import Actor, Context, UnitOfWork, unit_of_work
from .errors import Conflict, Forbidden, Invalid, NotFound
from .views import iso

NAME = re.compile(r"^[A-Za-z0-9_.-]{2,80}$")
STATUS_KEYS = 32
STATUS_TEXT = 200


def device_view(d: Device) -> dict[str, Any]:
    return {
        "name": d.name,
        "kind": d.kind,
        "hall": d.hall.code if d.hall else None,
        "window": d.window.code if d.window else None,
        "active": d.revoked_at is None and d.token_hash is not None,
        "revoked_at": iso(d.revoked_at),
        "rotated_at": iso(d.rotated_at),
        "last_seen": iso(d.last_seen),
        "version": d.last_version,
        "status": d.last_status,
    }


def device_view_by_name(ctx: Context, name: str) -> dict[str, Any]:
    with ctx.read() as s:
        d = s.scalar(select(Device).where(Device.name == name))
        if d is None:
            raise NotFound(f"没有设备 {name}", f"unknown device: {name}")
        return device_view(d)


def _audit_view(d: Device) -> dict[str, Any]:
    v = device_view(d)
    return {k: v[k] for k in ("kind", "hall", "window", "active")}


def _device(uow: UnitOfWork, actor: Actor, name: str) -> Device:
    d = uow.session.scalar(select(Device).where(Device.name == name))
    if d is None:
        raise NotFound(f"没有设备 {name}", f"unknown device: {name}")
    _check_device_scope(actor, d)
    return d


def _check_device_scope(actor: Actor, d: Device) -> None:
    if d.hall is not None:
        access.check_hall(actor, d.hall.code)
    elif actor.role not in access.ALL_HALLS:
        raise Forbidden("无权管理未分配大厅的设备", "only admins manage devices without a hall")


def _default_hall(uow: UnitOfWork) -> Hall | None:
    """With --hall left out on a one-hall server, the device belongs to that hall."""
    if uow.session.scalar(select(func.count()).select_from(Hall)) == 1:
        return uow.session.scalar(select(Hall))
    return None


def add_device(
    ctx: Context,
    actor: Actor,
    name: str,
    kind: str,
    hall: str | None = None,
    window: str | None = None,
    permission: str = "device.manage",
) -> tuple[dict[str, Any], str]:
    """Register a device; returns its view and its token, which is shown this once only (pairing
    registers with `device.pair` and never shows this first token)."""
    access.check(actor, permission, hall)
    if not NAME.match(name):
        raise Invalid("设备名只能包含字母、数字和 _ . -（2–80 位）", "device name: 2-80 of A-Z a-z 0-9 _ . -")
    if kind not in access.DEVICE_KINDS:
        raise Invalid(
            f"设备类型只能是 {'/'.join(access.DEVICE_KINDS)}", f"kind must be one of {access.DEVICE_KINDS}"
        )
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        if s.scalar(select(Device.id).where(Device.name == name)) is not None:
            raise Conflict(f"设备 {name} 已存在", f"device {name} already exists")
        h = lookup.hall(s, hall) if hall else _default_hall(uow)
        if kind == "pad" and (h is None or window is None):
            raise Invalid("评价器需要指定大厅和窗口", "a pad needs --hall and --window")
        w = lookup.window(s, h, window) if (h is not None and window) else None
        token = credentials.new_token(credentials.DEVICE_PREFIX)
        d = Device(
            name=name,
            kind=kind,
            hall=h,
            window=w,
            token_hash=credentials.token_hash(token),
            created_at=uow.now,
            rotated_at=uow.now,
        )
        _check_device_scope(actor, d)
        s.add(d)
        s.flush()
        uow.audit(h.id if h else None, "device.add", "device", name, None, _audit_view(d))
        return device_view(d), token


def rotate(ctx: Context, actor: Actor, name: str) -> tuple[dict[str, Any], str]:
    """A new token for the device; the old one stops working at once (a revoked device is re-enrolled)."""
    access.check(actor, "device.manage")
    with unit_of_work(ctx, actor) as uow:
        d = _device(uow, actor, name)
        before = _audit_view(d)
        token = credentials.new_token(credentials.DEVICE_PREFIX)
        d.token_hash = credentials.token_hash(token)
        d.revoked_at = None
        d.rotated_at = uow.now
        uow.audit(d.hall_id, "device.rotate", "device", name, before, _audit_view(d) | {"rotated": True})
        return device_view(d), token


def revoke(ctx: Context, actor: Actor, name: str, permission: str = "device.manage") -> dict[str, Any]:
    """Ends the device's token at once (`device.pair` may do it too: the console's "pair again")."""
    access.check(actor, permission)
    with unit_of_work(ctx, actor) as uow:
        d = _device(uow, actor, name)
        before = _audit_view(d)
        d.token_hash = None
        d.revoked_at = uow.now
        uow.audit(d.hall_id, "device.revoke", "device", name, before, _audit_view(d))
        return device_view(d)


def list_devices(ctx: Context, actor: Actor, hall: str | None = None) -> list[dict[str, Any]]:
    """Devices of one hall, or (hall None) of every hall the actor works in."""
    access.check(actor, "device.read", hall)
    with ctx.read() as s:
        query = select(Device).order_by(Device.name)
        if hall is not None:
            query = query.where(Device.hall_id == lookup.hall(s, hall).id)
        devices = list(s.scalars(query))
        if actor.role not in access.ALL_HALLS:
            devices = [d for d in devices if d.hall is not None and d.hall.code in actor.halls]
        return [device_view(d) for d in devices]


def _clean_status(status: dict[str, Any]) -> dict[str, Any]:
    """Flat, small status documents only: they go to the database and to live events."""
    if len(status) > STATUS_KEYS:
        raise Invalid(f"状态最多 {STATUS_KEYS} 项", f"at most {STATUS_KEYS} status entries")
    for key, value in status.items():
        if len(key) > 40 or not isinstance(value, str | int | float | bool | None):
            raise Invalid("状态项必须是简单值", f"status entry {key[:40]!r} must be a plain value")
        if isinstance(value, str) and len(value) > STATUS_TEXT:
            raise Invalid("状态文字过长", f"status entry {key!r} is longer than {STATUS_TEXT}")
    return status


def heartbeat(ctx: Context, actor: Actor, version: str, status: dict[str, Any]) -> None:
    """Keep the device's last status and when it was seen; a change is audited and announced."""
    access.check(actor, "device.heartbeat")
    status = _clean_status(status)
    with unit_of_work(ctx, actor) as uow:
        d = uow.session.get(Device, actor.device_id)
        if d is None or d.revoked_at is not None:
            raise Forbidden("设备已被吊销", "the device is revoked")
        d.last_seen = uow.now
        if (d.last_version, d.last_status) == (version, status):
            return  # nothing new: last_seen alone is bookkeeping, not an audited change
        before = {"version": d.last_version, "status": d.last_status}
        d.last_version, d.last_status = version, status
        after = {"version": version, "status": status}
        uow.audit(d.hall_id, "device.status", "device", d.name, before, after)
        if d.hall_id is not None:
            uow.emit(
                d.hall_id, "device.status", {"device": d.name, "kind": d.kind, "seen": iso(uow.now), **after}
            )
