"""Windows: listing, calling the next ticket, and reassignment by managers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import access
from ..db.models import Hall, Ticket, Window, WindowSkill, Zone
from ..domain import routing
from ..domain.lifecycle import ACTIVE
from . import lookup, queue, snapshot, views
from .context import Actor, Context, unit_of_work
from .errors import Conflict, Invalid, NotFound
from .scope import check_window
from .ticket_event import TicketEvent
from .tickets import WITH_ITEM, announcement, can_call_now, emit_queue_figures

WINDOW_STATES = ("open", "paused", "closed")
# What a clerk may do to the state of the window they staff: pause it and resume it. A closed window
# stays closed until a manager opens it (managers may make any change).
OWN_POST_MOVES = {
    ("open", "paused"),
    ("paused", "paused"),
    ("paused", "open"),
    ("open", "open"),
}


def current_ticket(s: Session, window: Window) -> Ticket | None:
    return s.scalar(
        select(Ticket)
        .where(Ticket.window_id == window.id, Ticket.status.in_(ACTIVE))
        .order_by(Ticket.called_at.desc())
        .limit(1)
    )


def list_windows(ctx: Context, hall_code: str) -> list[dict[str, Any]]:
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        currents = snapshot.current_tickets(s, list(hall.windows))
        return [views.window(w, currents.get(w.id)) for w in hall.windows]


def get_window(ctx: Context, hall_code: str, window_code: str) -> dict[str, Any]:
    """One window as its clerk sees it, call order included (`snapshot.window_view`)."""
    return snapshot.window_view(ctx, hall_code, window_code)


def call_next(ctx: Context, actor: Actor, hall_code: str, window_code: str) -> dict[str, Any] | None:
    """Call the ticket the routing rule picks for this window; None when nothing waits for it."""
    access.check(actor, "ticket.call", hall_code)
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall = lookup.hall(s, hall_code)
        uow.lock_hall(hall.id)
        window = lookup.window(s, hall, window_code)
        check_window(s, actor, window)
        if window.state != "open":
            raise Conflict(
                f"{window.name}当前为{'暂停' if window.state == 'paused' else '关闭'}状态，不能叫号",
                f"window {window.code} is {window.state} and calls nothing",
            )
        busy = current_ticket(s, window)
        if busy is not None:
            raise Conflict(
                f"{window.name}还有号票 {busy.number} 未办结，请先办结、过号或转办",
                f"window {window.code} still has ticket {busy.number} ({busy.status}); finish it first",
            )
        while True:
            state = queue.call_candidates(s, hall, window.id, uow.now, ctx.layouts)
            chosen = routing.choose_next(
                state.windows[window.id], state.candidates, state.escalation, uow.now
            )
            if chosen is None:
                return None
            # Conditional update: only a still-waiting ticket can be taken, so two windows can never
            # call the same ticket even if the hall lock were missing (then look again).
            taken = s.execute(
                update(Ticket)
                .where(Ticket.id == chosen.ticket_id, Ticket.status == "waiting")
                .values(
                    status="called",
                    window_id=window.id,
                    called_at=uow.now,
                    clerk_id=window.post.user_id if window.post else actor.user_id,
                )
            ).rowcount
            if taken == 1:
                break
        ticket = s.get(Ticket, chosen.ticket_id, populate_existing=True, options=WITH_ITEM)
        assert ticket is not None
        uow.audit(
            hall.id, "ticket.call", "ticket", ticket.id, {"status": "waiting"}, views.ticket_audit(ticket)
        )
        payload = TicketEvent.of(ticket, **announcement(ticket)).payload()
        uow.emit(hall.id, "ticket.called", payload, zone=window.zone.key, window=window.code)
        emit_queue_figures(uow, hall, ticket.service, ticket.service.zone.key)
        return views.ticket(ticket)


def update_window(
    ctx: Context,
    actor: Actor,
    hall_code: str,
    window_code: str,
    *,
    zone: str | None = None,
    skills: list[tuple[str, int]] | None = None,
    state: str | None = None,
    _own_post: bool = False,
) -> dict[str, Any]:
    """Reassign a window to a zone and items, and open, pause or close it."""
    access.check(actor, "window.pause" if _own_post else "window.update", hall_code)
    with unit_of_work(ctx, actor) as uow:
        s = uow.session
        hall = lookup.hall(s, hall_code)
        uow.lock_hall(hall.id)
        window = lookup.window(s, hall, window_code)
        if _own_post:
            check_window(s, actor, window)
            # Checked here, with the hall locked: a manager's close cannot slip in before the write.
            if state is not None and (window.state, state) not in OWN_POST_MOVES:
                raise Conflict(
                    f"{window.name}已关闭，请联系大厅管理员开放",
                    f"window {window.code} is closed: a manager opens it",
                    code="window_closed",
                )
        before = views.window_audit(window)
        if state is not None:
            if state not in WINDOW_STATES:
                raise Invalid(
                    f"窗口状态只能是 {'/'.join(WINDOW_STATES)}", f"state must be one of {WINDOW_STATES}"
                )
            window.state = state
        if zone is not None:
            window.zone = _zone(s, hall, zone)
        if skills is not None:
            set_skills(s, hall, window, skills)
        after = views.window_audit(window)
        if after != before:
            s.flush()
            uow.layout_changed(hall.id)  # routing reads windows' states and skills
            uow.audit(hall.id, "window.update", "window", window.code, before, after)
            _, can_call = can_call_now(uow, hall)  # its state or items change what windows can call
            uow.emit(
                hall.id,
                "window.changed",
                {"window": window.code, "name": window.name, "before": before, **after, "can_call": can_call},
                zone=None,  # hall-wide: the zone it left must hear of it too
                window=window.code,
            )
        return views.window(window, current_ticket(s, window))


def pause_own(ctx: Context, actor: Actor, hall_code: str, window_code: str, paused: bool) -> dict[str, Any]:
    """A clerk pauses or resumes the window they are signed in to (managers: any window of their
    halls); while it is paused, the windows holding its items as backup posts call them. A closed
    window is the manager's to open (`OWN_POST_MOVES`)."""
    return update_window(
        ctx, actor, hall_code, window_code, state="paused" if paused else "open", _own_post=True
    )


def set_skills(s: Session, hall: Hall, window: Window, skills: list[tuple[str, int]]) -> None:
    seen: set[str] = set()
    for code, level in skills:
        if not 1 <= level <= 4:
            raise Invalid(f"优先级 {level} 无效，只能是 1–4", f"precedence level {level} must be 1..4")
        if code in seen:
            raise Invalid(f"事项 {code} 重复", f"service item {code} listed twice")
        seen.add(code)
    wanted = {(svc := lookup.service(s, hall, code)).id: (svc, level) for code, level in skills}
    for skill in list(window.skills):
        if skill.service_id not in wanted:
            window.skills.remove(skill)
        else:
            skill.level = wanted.pop(skill.service_id)[1]
    for svc, level in wanted.values():
        window.skills.append(WindowSkill(service=svc, level=level))


def _zone(s: Session, hall: Hall, key: str) -> Zone:
    found = s.scalar(select(Zone).where(Zone.hall_id == hall.id, Zone.key == key))
    if found is None:
        raise NotFound(f"没有功能区 {key}", f"unknown zone: {key}")
    return found
