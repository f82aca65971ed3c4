"""Scope checks shared by the services: the permission table, plus halls and windows.

A clerk acts only at the window it is signed in to; a pad only on tickets of its window; everyone
else within their halls (admins and the server itself everywhere).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import access
from ..db.models import Window, WindowPost
from .context import Actor
from .errors import Forbidden

check = access.check


def post_of(s: Session, actor: Actor) -> WindowPost | None:
    """The window post of the acting user, if any."""
    if actor.user_id is None:
        return None
    return s.scalar(select(WindowPost).where(WindowPost.user_id == actor.user_id))


def check_window(s: Session, actor: Actor, window: Window | None) -> None:
    """Clerks and pads act only at their own window (hall scope is checked before this)."""
    if actor.role == "clerk":
        post = post_of(s, actor)
        if post is None:
            raise Forbidden("请先签到窗口", "sign in to a window first")
        if window is None or post.window_id != window.id:
            raise Forbidden(
                f"只能在本人签到的窗口办理（{post_code(s, post)} 号窗口）",
                f"clerks act only at the window they are signed in to ({post_code(s, post)})",
            )
    elif actor.role == "pad" and (window is None or window.code != actor.window):
        raise Forbidden("评价器只能评价本窗口办结的号票", "a pad rates only tickets finished at its window")


def post_code(s: Session, post: WindowPost) -> str:
    w = s.get(Window, post.window_id)
    return w.code if w else "?"
