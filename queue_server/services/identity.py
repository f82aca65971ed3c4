"""Turn a presented bearer token into the Actor it stands for (a staff user or a device)."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from ..credentials import DEVICE_PREFIX, token_hash
from ..db.models import Device, Hall, StaffToken, User, UserHall, Window
from .context import Actor, Context
from .errors import Unauthorized


def _invalid() -> Unauthorized:
    return Unauthorized("登录凭证无效或已过期，请重新登录", "the token is invalid, expired or revoked")


def actor_of_user(user: User) -> Actor:
    return Actor(name=user.username, role=user.role, user_id=user.id, halls=tuple(h.code for h in user.halls))


# Every API request resolves its token: these statements are built once (plain rows, no ORM objects).
_STAFF = (
    select(
        User.id,
        User.username,
        User.role,
        User.disabled,
        StaffToken.revoked_at,
        StaffToken.expires_at,
        Hall.code,
    )
    .join(User, User.id == StaffToken.user_id)
    .outerjoin(UserHall, UserHall.user_id == User.id)
    .outerjoin(Hall, Hall.id == UserHall.hall_id)
    .where(StaffToken.token_hash == bindparam("digest"))
    .order_by(Hall.code)
)
_DEVICE = (
    select(Device.id, Device.name, Device.kind, Hall.code, Window.code)
    .outerjoin(Hall, Hall.id == Device.hall_id)
    .outerjoin(Window, Window.id == Device.window_id)
    .where(Device.token_hash == bindparam("digest"), Device.revoked_at.is_(None))
)


def resolve(ctx: Context, token: str) -> Actor:
    """The actor of a token; 401 when it is unknown, expired, revoked or its owner disabled."""
    digest = token_hash(token)
    with ctx.reader.connect() as conn:  # a plain connection: this runs for every request
        if token.startswith(DEVICE_PREFIX):
            device = conn.execute(_DEVICE, {"digest": digest}).first()
            if device is None:
                raise _invalid()
            device_id, name, kind, hall, window = device
            return Actor(
                name=name,
                role=kind,
                device=name,
                device_id=device_id,
                halls=(hall,) if hall else (),
                window=window,
            )
        rows = conn.execute(_STAFF, {"digest": digest}).all()
    if not rows:
        raise _invalid()
    user_id, username, role, disabled, revoked_at, expires_at, _ = rows[0]
    if revoked_at is not None or expires_at <= ctx.clock() or disabled:
        raise _invalid()
    return Actor(
        name=username, role=role, user_id=user_id, halls=tuple(code for *_, code in rows if code is not None)
    )
