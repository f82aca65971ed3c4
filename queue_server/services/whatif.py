"""What if the last business day had one window more or fewer? Its real tickets through the hall
simulator, with the hall's windows as they are now, and with the change."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .. import access
from ..db.models import Hall, Service, Ticket, Window
from ..domain import calendar
from ..sim.engine import simulate
from ..sim.history import PastTicket, replay, staffed
from ..sim.metrics import figures, percentile
from ..sim.model import Item, Post
from ..sim.policies import ours, plus_one
from . import lookup
from .context import Actor, Context
from .errors import Invalid, NotFound

THRESHOLD_MIN = 30  # "waited too long" for items without escalate_after_min (as in the demand file)
SHOWN = (
    "tickets",
    "served",
    "unserved",
    "mean_wait_min",
    "p90_wait_min",
    "max_wait_min",
    "over_threshold_share",
    "utilisation",
)


def what_if(
    ctx: Context, actor: Actor, hall_code: str, add_like: str | None, remove: str | None
) -> dict[str, Any]:
    access.check(actor, "sim.run", hall_code)
    if (add_like is None) == (remove is None):
        raise Invalid(
            "请选择加开一个窗口（与哪个窗口相同）或减少哪个窗口，二选一",
            "choose either one window more (like which window) or one window fewer (which one)",
            code="whatif_choice",
        )
    with ctx.read() as s:
        hall = lookup.hall(s, hall_code)
        changed = lookup.window(s, hall, add_like or remove)  # type: ignore[arg-type]
        today = calendar.business_day(ctx.clock(), hall.timezone, hall.day_starts)
        day = s.scalar(
            select(func.max(Ticket.business_day)).where(
                Ticket.hall_id == hall.id, Ticket.business_day < today
            )
        )
        if day is None:
            raise NotFound(
                "还没有以前营业日的取号记录，无法推演；有一个营业日的记录后再试",
                "no earlier business day with tickets to replay yet; try again after one",
                code="no_history",
            )
        midnight = datetime.combine(day, time(0), ZoneInfo(hall.timezone))
        items, posts, past = _read(s, hall, day, midnight)
    hours = [calendar.parse_range(r) for r in hall.hours.get(calendar.WEEKDAYS[day.weekday()], [])]
    sessions = staffed(hours, [p.issued for p in past])
    posts = [replace(p, sessions=sessions) for p in posts]
    like = next((p for p in posts if p.code == changed.code), None)
    if like is None:  # closed windows are not in the replay at all
        raise Invalid(
            f"{changed.code} 号窗口已关闭，不在推演之中；请选择开放或暂停的窗口",
            f"window {changed.code} is closed and not in the replay; choose an open or paused one",
            code="window_closed",
        )
    if remove is not None:
        variant = [p for p in posts if p.code != changed.code]
    else:
        variant = [*posts, plus_one(tuple(posts), like)]
    day_now, day_changed = replay(items, posts, past, midnight), replay(items, variant, past, midnight)
    now_fig = figures(simulate(day_now, ours(day_now), estimates=False), day_now)
    new_fig = figures(simulate(day_changed, ours(day_changed), estimates=False), day_changed)
    waited = [(p.item, p.called - p.issued) for p in past if p.called is not None]
    waits = [w for _, w in waited]
    over = sum(w > items[item].threshold_min for item, w in waited)
    base, then = now_fig["mean_wait_min"], new_fig["mean_wait_min"]
    what_zh = f"加开一个与 {changed.code} 号窗口相同的窗口" if add_like else f"少开 {changed.code} 号窗口"
    what_en = f"one more window like window {changed.code}" if add_like else f"without window {changed.code}"
    return {
        "day": day.isoformat(),
        "change": {"kind": "add" if add_like else "remove", "window": changed.code},
        "actual": {
            "tickets": len(past),
            "unserved": sum(p.called is None and p.status != "cancelled" for p in past),
            "mean_wait_min": round(sum(waits) / len(waits), 2) if waits else None,
            "p90_wait_min": round(percentile(waits, 90), 2) if waits else None,
            "max_wait_min": round(max(waits), 2) if waits else None,
            "over_threshold_share": round(over / len(waits), 3) if waits else None,
        },
        "now": {"windows": len(posts), **{k: now_fig[k] for k in SHOWN}},
        "then": {"windows": len(variant), **{k: new_fig[k] for k in SHOWN}},
        "summary_zh": f"按 {day.isoformat()} 的实际取号重演：{what_zh}，"
        f"平均等候由 {_min(base)} 变为 {_min(then)}。",
        "summary_en": f"Replaying the tickets of {day.isoformat()}: {what_en}, the mean wait goes from "
        f"{_min(base, 'en')} to {_min(then, 'en')}.",
    }


def _min(x: float | None, lang: str = "zh") -> str:
    if x is None:
        return "—"
    return f"{x:.1f} 分钟" if lang == "zh" else f"{x:.1f} min"


def _read(
    s: Session, hall: Hall, day: date, midnight: datetime
) -> tuple[dict[str, Item], list[Post], list[PastTicket]]:
    def minutes(at: datetime | None) -> float | None:
        return None if at is None else (at - midnight).total_seconds() / 60

    services = {sv.id: sv for sv in s.scalars(select(Service).where(Service.hall_id == hall.id))}
    items = {
        sv.code: Item(
            sv.code,
            sv.name,
            sv.avg_service_min,
            sv.escalate_after_min,
            sv.escalate_after_min or THRESHOLD_MIN,
        )
        for sv in services.values()
    }
    windows = s.scalars(
        select(Window)
        .where(Window.hall_id == hall.id, Window.state != "closed")
        .options(selectinload(Window.skills))
    )
    posts = [
        Post(
            w.code,
            str(w.zone_id),
            {services[k.service_id].code: k.level for k in w.skills},
            (),
            (),
            frozenset(services[k.service_id].code for k in w.skills if k.level == 1),
        )
        for w in windows
    ]
    tickets = {
        t.id: t
        for t in s.scalars(select(Ticket).where(Ticket.hall_id == hall.id, Ticket.business_day == day))
    }

    def served(t: Ticket) -> float | None:
        if t.status == "done" and t.started_at and t.ended_at:
            return (t.ended_at - t.started_at) / timedelta(minutes=1)
        return None

    past = []
    for t in tickets.values():
        if t.transferred_from_id is not None:
            continue
        after = tickets.get(t.transferred_to_id) if t.transferred_to_id else None
        past.append(
            PastTicket(
                t.id,
                services[t.service_id].code,
                minutes(t.issued_at),  # type: ignore[arg-type]
                t.status,
                t.priority_class,
                minutes(t.appointment_at),
                minutes(t.called_at),
                served(t),
                services[after.service_id].code if after else None,
                served(after) if after else None,
            )
        )
    return items, posts, past
