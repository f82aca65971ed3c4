"""Staff accounts: create, disable, reset password; sign in and out with expiring bearer tokens."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from .. import access, credentials
from ..db.models import Hall, StaffToken, User, Window, WindowPost
from .context import Actor, Context, UnitOfWork, unit_of_work
from .errors import Conflict, Invalid, LimitReached, NotFound, ServiceError, Unauthorized
from .identity import actor_of_user
from .scope import post_code, post_of
from .views import iso

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")


def _wrong() -> Unauthorized:
    """The one answer to any wrong credential: it does not tell which usernames exist."""
    return Unauthorized("用户名或密码错误", "wrong username or password")


def user_view(u: User) -> dict[str, Any]:
    return {
        "username": u.username,
        "role": u.role,
        "halls": [h.code for h in u.halls],
        "disabled": u.disabled,
        "locked_until": iso(u.locked_until),
        "created_at": iso(u.created_at),
    }


def _check_password(password: str) -> None:
    if len(password) < credentials.MIN_PASSWORD:
        raise Invalid(
            f"密码至少 {credentials.MIN_PASSWORD} 位",
            f"a password needs {credentials.MIN_PASSWORD}+ characters",
        )


def _halls(uow: UnitOfWork, codes: list[str]) -> list[Hall]:
    found = list(uow.session.scalars(select(Hall).where(Hall.code.in_(codes))))
    missing = sorted(set(codes) - {h.code for h in found})
    if missing:
        raise NotFound(f"没有大厅 {', '.join(missing)}", f"unknown hall(s): {', '.join(missing)}")
    return found


def _user(uow: UnitOfWork, username: str) -> User:
    user = uow.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"没有用户 {username}", f"unknown user: {username}")
    return user


def create_user(
    ctx: Context, actor: Actor, username: str, role: str, password: str, halls: list[str]
) -> dict[str, Any]:
    access.check(actor, "user.manage")
    if not USERNAME.match(username):
        raise Invalid("用户名只能包含字母、数字和 _ . -（2–40 位）", "username: 2-40 of A-Z a-z 0-9 _ . -")
    if role not in access.STAFF_ROLES:
        raise Invalid(
            f"角色只能是 {'/'.join(access.STAFF_ROLES)}", f"role must be one of {access.STAFF_ROLES}"
        )
    _check_password(password)
    password_hash = credentials.hash_password(password)  # slow on purpose: outside the transaction
    with unit_of_work(ctx, actor) as uow:
        if uow.session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict(f"用户 {username} 已存在", f"user {username} already exists")
        user = User(
            username=username,
            role=role,
            password_hash=password_hash,
            disabled=False,
            failed_logins=0,
            created_at=uow.now,
            password_changed_at=uow.now,
            halls=_halls(uow, sorted(set(halls))),
        )
        uow.session.add(user)
        uow.session.flush()
        view = user_view(user)
        uow.audit(None, "user.create", "user", username, None, {"role": role, "halls": view["halls"]})
        return view


def list_users(ctx: Context, actor: Actor) -> list[dict[str, Any]]:
    access.check(actor, "user.manage")
    with ctx.read() as s:
        return [user_view(u) for u in s.scalars(select(User).order_by(User.username))]


def _revoke_all(uow: UnitOfWork, user: User) -> None:
    uow.session.execute(
        update(StaffToken)
        .where(StaffToken.user_id == user.id, StaffToken.revoked_at.is_(None))
        .values(revoked_at=uow.now)
    )


def disable_user(ctx: Context, actor: Actor, username: str) -> dict[str, Any]:
    """Disable an account: its tokens stop working and it leaves its window."""
    access.check(actor, "user.manage")
    with unit_of_work(ctx, actor) as uow:
        user = _user(uow, username)
        if not user.disabled:
            user.disabled = True
            _revoke_all(uow, user)
            post = uow.session.scalar(select(WindowPost).where(WindowPost.user_id == user.id))
            if post is not None:
                window = uow.session.get(Window, post.window_id)
                uow.session.delete(post)
                if window is not None:  # nobody serves there any more: availability changes
                    uow.layout_changed.add(window.hall_id)
            uow.audit(None, "user.disable", "user", username, {"disabled": False}, {"disabled": True})
        return user_view(user)


def reset_password(ctx: Context, actor: Actor, username: str, password: str) -> dict[str, Any]:
    """Set a new password; the old tokens stop working and a lockout ends."""
    access.check(actor, "user.manage")
    _check_password(password)
    password_hash = credentials.hash_password(password)
    with unit_of_work(ctx, actor) as uow:
        user = _user(uow, username)
        user.password_hash = password_hash
        user.password_changed_at = uow.now
        user.failed_logins = 0
        user.locked_until = None
        _revoke_all(uow, user)
        uow.audit(None, "user.reset_password", "user", username, None, {"password_changed": True})
        return user_view(user)


def login(ctx: Context, username: str, password: str) -> dict[str, Any]:
    """A bearer token for the user; 401 for any wrong credential, 429 while locked out."""
    with ctx.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        actor = actor_of_user(user) if user is not None else None
    if user is None or actor is None or user.disabled:
        credentials.burn_time(password)
        raise _wrong()
    if user.locked_until is not None and user.locked_until > ctx.clock():
        raise _locked(user)
    # argon2 takes a quarter of a second on purpose: never inside a writing transaction, which on
    # SQLite would hold up every ticket of the hall meanwhile.
    correct = credentials.verify_password(user.password_hash, password)
    refusal: ServiceError | None = None
    with unit_of_work(ctx, actor) as uow:
        u = uow.session.get(User, user.id, with_for_update=True, populate_existing=True)
        assert u is not None
        if u.locked_until is not None and u.locked_until > uow.now:
            refusal = _locked(u)  # locked by a concurrent attempt meanwhile
        elif not correct or u.disabled or u.password_hash != user.password_hash:
            refusal = _failed(ctx, uow, u)
        else:
            return _grant(ctx, uow, u)
    raise refusal


def _locked(u: User) -> LimitReached:
    until = iso(u.locked_until)
    return LimitReached(
        f"登录失败次数过多，账号已锁定至 {until}", f"too many failed sign-ins: locked until {until}"
    )


def _failed(ctx: Context, uow: UnitOfWork, u: User) -> ServiceError:
    # The counter's change commits with the refusal, so lockout survives restarts and processes.
    u.failed_logins += 1
    if u.failed_logins < ctx.settings.get("login_max_failures", 5):
        uow.audit(None, "user.login_failed", "user", u.username, None, {"failed_logins": u.failed_logins})
        return _wrong()
    u.failed_logins = 0
    u.locked_until = uow.now + timedelta(minutes=ctx.settings.get("lockout_minutes", 15))
    uow.audit(None, "user.lock", "user", u.username, None, {"locked_until": iso(u.locked_until)})
    return _wrong()


def _grant(ctx: Context, uow: UnitOfWork, u: User) -> dict[str, Any]:
    u.failed_logins = 0
    u.locked_until = None
    token = credentials.new_token(credentials.STAFF_PREFIX)
    expires = uow.now + timedelta(hours=ctx.settings.get("token_hours", 12))
    uow.session.add(
        StaffToken(
            token_hash=credentials.token_hash(token), user_id=u.id, created_at=uow.now, expires_at=expires
        )
    )
    uow.audit(None, "user.login", "user", u.username, None, {"expires_at": iso(expires)})
    view = user_view(u)
    return {
        "token": token,
        "expires_at": iso(expires),
        "user": {"username": view["username"], "role": view["role"], "halls": view["halls"]},
    }


def logout(ctx: Context, actor: Actor, token: str) -> None:
    """Revoke the presented token (a device's token is revoked with `device revoke`)."""
    access.check(actor, "auth.self")
    if actor.user_id is None:
        raise Invalid(
            "设备令牌不能登出，请使用 device revoke", "device tokens are revoked with device revoke"
        )
    with unit_of_work(ctx, actor) as uow:
        uow.session.execute(
            update(StaffToken)
            .where(StaffToken.token_hash == credentials.token_hash(token), StaffToken.revoked_at.is_(None))
            .values(revoked_at=uow.now)
        )
        uow.audit(None, "user.logout", "user", actor.name, None, None)


def me(ctx: Context, actor: Actor) -> dict[str, Any]:
    access.check(actor, "auth.self")
    with ctx.read() as s:
        post = None
        if actor.user_id is not None:
            found = post_of(s, actor)
            post = post_code(s, found) if found else None
    return {
        "username": actor.name,
        "role": actor.role,
        "halls": list(actor.halls),
        "device": actor.device,
        "window": post or actor.window,
    }
