"""Clerks signing in to windows: one window per clerk, one clerk per window; AB-post takeover."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from .. import access
from ..db.models import User, Window, WindowPost
from . import lookup, views
from .context import Actor, Context, UnitOfWork, unit_of_work
from .errors import Conflict, Invalid
from .scope import post_of
from .windows import current_ticket


def _announce(uow: UnitOfWork, window: Window, clerk: str | None) -> None:
    uow.emit(
        window.hall_id,
        "window.changed",
        {"window": window.code, "name": window.name, **views.window_audit(window), "clerk": clerk},
        zone=window.zone.key,
        window=window.code,
    )


def sign_in(ctx: Context, actor: Actor, hall_code: str, window_code: str) -> dict[str, Any]:
    """Sign the acting clerk in to a window. A clerk already there is signed out of it (takeover)."""
    access.check(actor, "window.sign_in", hall_code)
    if actor.user_id is None:
        raise Invalid("只有工作人员账号可以签到窗口", "only staff accounts sign in to windows")
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall = lookup.hall(s, hall_code)
        uow.lock_hall(hall.id)
        window = lookup.window(s, hall, window_code)
        mine = post_of(s, actor)
        if mine is not None and mine.window_id == window.id:
            return views.window(window, current_ticket(s, window))
        if mine is not None:  # one window at a time: leave the previous one
            old = s.get(Window, mine.window_id)
            assert old is not None
            s.delete(mine)
            uow.audit(
                old.hall_id, "window.sign_out", "window", old.code, {"clerk": actor.name}, {"clerk": None}
            )
            _announce(uow, old, None)
            uow.layout_changed(old.hall_id)  # staffing is part of the layout (walk-in tickets, ETA)
        taken = s.scalar(select(WindowPost).where(WindowPost.window_id == window.id))
        previous = None
        if taken is not None:
            previous = taken.user.username
            s.delete(taken)
        s.flush()
        s.add(WindowPost(window_id=window.id, user_id=actor.user_id, since=uow.now))
        s.flush()
        action = "window.takeover" if previous else "window.sign_in"
        uow.audit(hall.id, action, "window", window.code, {"clerk": previous}, {"clerk": actor.name})
        _announce(uow, window, actor.name)
        uow.layout_changed(hall.id)  # staffing is part of the layout (walk-in tickets, ETA)
        s.refresh(window)
        return views.window(window, current_ticket(s, window))


def sign_in_as(ctx: Context, username: str, hall_code: str, window_code: str) -> dict[str, Any]:
    """Sign a clerk in on the server's own authority (the demo's desks; the command line)."""
    with ctx.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise Invalid(f"没有用户 {username}", f"no user {username}")
        clerk = Actor(name=user.username, role=user.role, user_id=user.id, halls=(hall_code,))
    return sign_in(ctx, clerk, hall_code, window_code)


def sign_out(ctx: Context, actor: Actor, hall_code: str, window_code: str) -> None:
    """Leave a window. Managers may sign anyone out of a window of their hall."""
    access.check(actor, "window.sign_in", hall_code)
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall = lookup.hall(s, hall_code)
        uow.lock_hall(hall.id)
        window = lookup.window(s, hall, window_code)
        post = s.scalar(select(WindowPost).where(WindowPost.window_id == window.id))
        if post is None or (post.user_id != actor.user_id and actor.role == "clerk"):
            raise Conflict(f"您未签到 {window.code} 号窗口", f"you are not signed in to window {window.code}")
        clerk = s.get(User, post.user_id)
        s.delete(post)
        name = clerk.username if clerk else None
        uow.audit(hall.id, "window.sign_out", "window", window.code, {"clerk": name}, {"clerk": None})
        _announce(uow, window, None)
        uow.layout_changed(hall.id)


def clerk_card(ctx: Context, actor: Actor, hall_code: str, window_code: str) -> dict[str, Any]:
    """Who serves at a window, as the evaluation pad shows it: name and staff number (工号), no more."""
    access.check(actor, "hall.snapshot", hall_code)
    with ctx.read() as s:
        window = lookup.window(s, lookup.hall(s, hall_code), window_code)
        user = window.post.user if window.post else None
        return {
            "window": window.code,
            "window_name": window.name,
            "name": (user.full_name or user.username) if user else None,
            "staff_no": user.staff_no or None if user else None,
        }
