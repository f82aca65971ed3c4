"""Device pairing: a display, pad or kiosk gets its credential without anyone typing or mailing it.

The device asks for a pairing (`start`): it shows the short code and keeps the long secret. A
manager or maintenance user enters the code and names the device, its hall and window or zone
(`approve`); the device, asking with its secret (`claim`), receives its token once, and the request
is gone. Pairing a name that exists gives that device a new token (the console's "re-pair" is how
a token is rotated onto the device). Codes live ten minutes; the server keeps only hashes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select

from .. import access, credentials
from ..db.models import Device, PairingRequest, Zone
from . import devices, lookup
from .context import Actor, Context, unit_of_work
from .errors import Conflict, Invalid, LimitReached, NotFound

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a screen across a hall
CODE_LENGTH = 8
LIFETIME = timedelta(minutes=10)
MAX_OPEN = 200  # open requests at once: the public start cannot fill the table
DEVICE = Actor(name="pairing", role="system")  # the claim acts for the manager who approved it


@dataclass(frozen=True)
class Started:
    code: str  # shown as ABCD-EFGH
    secret: str
    expires_at: datetime


@dataclass(frozen=True)
class Claimed:
    token: str
    device: dict[str, Any]
    zone: str | None


def normalise(code: str) -> str:
    """What a person typed ("abcd efgh", "ABCD-EFGH") as the code itself."""
    return "".join(c for c in code.upper() if c.isalnum())


def _hash(text: str) -> str:
    return credentials.token_hash("pair:" + text)


def start(ctx: Context, kind: str) -> Started:
    if kind not in access.DEVICE_KINDS:
        raise Invalid(
            f"设备类型只能是 {'/'.join(access.DEVICE_KINDS)}", f"kind must be one of {access.DEVICE_KINDS}"
        )
    with unit_of_work(ctx, DEVICE) as uow:
        s = uow.session
        s.execute(delete(PairingRequest).where(PairingRequest.expires_at < uow.now))
        if s.scalar(select(func.count()).select_from(PairingRequest)) >= MAX_OPEN:
            raise LimitReached(
                "等待配对的设备过多，请几分钟后再试",
                "too many devices waiting to pair; try again in a few minutes",
            )
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        secret = secrets.token_urlsafe(32)
        expires = uow.now + LIFETIME
        s.add(
            PairingRequest(
                code_hash=_hash(code),
                secret_hash=_hash(secret),
                kind=kind,
                created_at=uow.now,
                expires_at=expires,
            )
        )
    return Started(f"{code[:4]}-{code[4:]}", secret, expires)


def approve(
    ctx: Context,
    actor: Actor,
    code: str,
    name: str,
    hall: str,
    window: str | None = None,
    zone: str | None = None,
) -> dict[str, Any]:
    """Names the device showing `code`; returns the device (its token goes to the device only)."""
    access.check(actor, "device.pair", hall)
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        req = s.scalar(
            select(PairingRequest).where(
                PairingRequest.code_hash == _hash(normalise(code)), PairingRequest.expires_at >= uow.now
            )
        )
        if req is None or req.device_id is not None:
            raise NotFound(
                "配对码无效或已过期：请核对屏幕上的配对码，或让设备重新显示新的配对码",
                "no such pairing code (or it expired): check the code on the device's screen, "
                "or let the device show a new one",
                code="no_pairing",
            )
        h = lookup.hall(s, hall)
        if (
            zone is not None
            and s.scalar(select(Zone.id).where(Zone.hall_id == h.id, Zone.key == zone)) is None
        ):
            raise NotFound(f"大厅 {hall} 没有区域 {zone}", f"hall {hall} has no zone {zone}")
        existing = s.scalar(select(Device).where(Device.name == name))
        if existing is None:
            device_id = None
        elif existing.kind != req.kind or existing.hall_id != h.id:
            raise Conflict(
                f"设备名 {name} 已用于另一台{existing.kind}设备，请换一个名字",
                f"the name {name} belongs to another device ({existing.kind}); choose another name",
            )
        else:
            device_id = existing.id
    if device_id is None:  # a new device, registered by the approver (its first token is never shown)
        view, _ = devices.add_device(ctx, actor, name, req.kind, hall, window, "device.pair")
    else:
        view = devices.device_view_by_name(ctx, name)
    with unit_of_work(ctx, actor) as uow:
        req = uow.session.get(PairingRequest, req.id)
        if req is None or req.device_id is not None:
            raise Conflict("此配对码刚刚已被使用", "this pairing code was used a moment ago")
        req.device_id = uow.session.scalar(select(Device.id).where(Device.name == name))
        req.zone = zone
        uow.audit(
            lookup.hall(uow.session, hall).id,
            "device.pair",
            "device",
            name,
            None,
            {"kind": view["kind"], "hall": hall, "window": window, "zone": zone},
        )
    return view


def claim(ctx: Context, secret: str) -> Claimed | None:
    """The device's token once its pairing was approved; None while it waits."""
    with unit_of_work(ctx, DEVICE) as uow:
        s = uow.session
        req = s.scalar(select(PairingRequest).where(PairingRequest.secret_hash == _hash(secret)))
        if req is None or req.expires_at < uow.now:
            raise NotFound(
                "配对已过期，请重新开始配对",
                "the pairing expired; start pairing again",
                code="pairing_expired",
            )
        if req.device_id is None:
            return None
        device = s.get(Device, req.device_id)
        assert device is not None  # the request goes with its device (ON DELETE CASCADE)
        token = credentials.new_token(credentials.DEVICE_PREFIX)
        device.token_hash = credentials.token_hash(token)
        device.revoked_at = None
        device.rotated_at = uow.now
        zone = req.zone
        s.delete(req)
        uow.audit(
            device.hall_id,
            "device.rotate",
            "device",
            device.name,
            None,
            {"kind": device.kind, "paired": True},
        )
        return Claimed(token, devices.device_view(device), zone)
