"""Staff accounts: create, disable, reset password; sign in and out with expiring bearer tokens."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import select, update

from .. import access, credentials
from ..db.models import Hall, StaffToken, User, Window, WindowPost
from .context import Actor, Context, UnitOfWork, unit_of_work
from .errors import Conflict, Invalid, LimitReached, NotFound, Unauthorized
from .identity import actor_of_user
from .scope import post_code, post_of
from .views import iso

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")
T = TypeVar("T")


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
        "full_name": u.full_name,
        "staff_no": u.staff_no,
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
    ctx: Context,
    actor: Actor,
    username: str,
    role: str,
    password: str,
    halls: list[str],
    full_name: str = "",
    staff_no: str = "",
) -> dict[str, Any]:
    """`full_name` and `staff_no` (工号) are what a citizen sees on the window's evaluation pad."""
    access.check(actor, "user.manage")
    if not USERNAME.match(username):
        raise Invalid("用户名只能包含字母、数字和 _ . -（2–40 位）", "username: 2-40 of A-Z a-z 0-9 _ . -")
    if role not in access.STAFF_ROLES:
        raise Invalid(
            f"角色只能是 {'/'.join(access.STAFF_ROLES)}", f"role must be one of {access.STAFF_ROLES}"
        )
    _check_password(password)
    password_hash = _hashing(lambda: ctx.passwords.hash(password))  # slow on purpose: outside the transaction
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
            full_name=full_name.strip()[:40],
            staff_no=staff_no.strip()[:20],
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
                    uow.layout_changed(window.hall_id)
            uow.audit(None, "user.disable", "user", username, {"disabled": False}, {"disabled": True})
        return user_view(user)


def reset_password(ctx: Context, actor: Actor, username: str, password: str) -> dict[str, Any]:
    """Set a new password; the old tokens stop working and the username's sign-in waits end."""
    access.check(actor, "user.manage")
    _check_password(password)
    password_hash = _hashing(lambda: ctx.passwords.hash(password))
    with unit_of_work(ctx, actor) as uow:
        user = _user(uow, username)
        user.password_hash = password_hash
        user.password_changed_at = uow.now
        _revoke_all(uow, user)
        ctx.throttle.forget(username)  # the new password may be tried at once, from anywhere
        uow.audit(None, "user.reset_password", "user", username, None, {"password_changed": True})
        return user_view(user)


def login(ctx: Context, username: str, password: str, address: str = "") -> dict[str, Any]:
    """A bearer token for the user; 401 for any wrong credential; 429 while this address, or this
    username from this address, must wait after failures, or while every hash worker is busy.

    Unknown and known usernames take the same path: the throttle counts typed names, and an unknown
    one is verified against a dummy hash, so neither the answer nor its time tells them apart.
    """
    now = ctx.clock()
    ctx.throttle.check(username, address, now)
    first = ctx.throttle.trusted(address, now)
    with ctx.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        actor = actor_of_user(user) if user is not None else None
    if user is None or actor is None or user.disabled:
        _hashing(lambda: ctx.passwords.verify_unknown(password, first))
        ctx.throttle.failed(username, address, ctx.clock())
        raise _wrong()
    # argon2 takes a quarter of a second on purpose: never inside a writing transaction, which on
    # SQLite would hold up every ticket of the hall meanwhile.
    correct = _hashing(lambda: ctx.passwords.verify(user.password_hash, password, first))
    with unit_of_work(ctx, actor) as uow:
        u = uow.session.get(User, user.id, with_for_update=True, populate_existing=True)
        assert u is not None
        if correct and not u.disabled and u.password_hash == user.password_hash:
            ctx.throttle.succeeded(username, address, uow.now)
            return _grant(ctx, uow, u)
        failures = ctx.throttle.failed(username, address, uow.now)
        # The audit trail names the address: a manager can see who guesses, and from where.
        action = "user.lock" if failures == ctx.settings.login_max_failures else "user.login_failed"
        uow.audit(None, action, "user", u.username, None, {"address": address, "failures": failures})
    raise _wrong()


def _hashing(work: Callable[[], T]) -> T:
    try:
        return work()
    except credentials.Busy:
        raise LimitReached(
            "登录的人太多，服务器正忙，请 2 秒后再试",
            "the server is busy with sign-ins: try again in 2 s",
            code="busy",
            retry_after=2,
        ) from None


def _grant(ctx: Context, uow: UnitOfWork, u: User) -> dict[str, Any]:
    token = credentials.new_token(credentials.STAFF_PREFIX)
    expires = uow.now + timedelta(hours=ctx.settings.token_hours)
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
