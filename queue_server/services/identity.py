"""Turn a presented bearer token into the Actor it stands for (a staff user or a device)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..credentials import DEVICE_PREFIX, token_hash
from ..db.models import Device, StaffToken, User
from .context import Actor, Context
from .errors import Unauthorized

INVALID = Unauthorized("登录凭证无效或已过期，请重新登录", "the token is invalid, expired or revoked")


def actor_of_user(user: User) -> Actor:
    return Actor(name=user.username, role=user.role, user_id=user.id, halls=tuple(h.code for h in user.halls))


def actor_of_device(device: Device) -> Actor:
    return Actor(
        name=device.name,
        role=device.kind,
        device=device.name,
        device_id=device.id,
        halls=(device.hall.code,) if device.hall else (),
        window=device.window.code if device.window else None,
    )


def resolve(ctx: Context, token: str) -> Actor:
    """The actor of a token; 401 when it is unknown, expired, revoked or its owner disabled."""
    digest = token_hash(token)
    with ctx.read() as s:
        if token.startswith(DEVICE_PREFIX):
            return _device(s, digest)
        return _staff(s, ctx, digest)


def _device(s: Session, digest: str) -> Actor:
    device = s.scalar(select(Device).where(Device.token_hash == digest, Device.revoked_at.is_(None)))
    if device is None:
        raise INVALID
    return actor_of_device(device)


def _staff(s: Session, ctx: Context, digest: str) -> Actor:
    row = s.execute(
        select(StaffToken, User)
        .join(User, User.id == StaffToken.user_id)
        .where(StaffToken.token_hash == digest)
    ).first()
    if row is None:
        raise INVALID
    token, user = row
    if token.revoked_at is not None or token.expires_at <= ctx.clock() or user.disabled:
        raise INVALID
    return actor_of_user(user)
