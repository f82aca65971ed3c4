"""Which waiting ticket a window calls next: the routing rule, as one pure module.

The server and the hall simulator both use this module unchanged. It sees plain values only.

The rule (DESIGN.md, "Routing"):

1. Candidates are the waiting tickets of the items in the window's skills, plus tickets transferred
   to this very window (which rank as level 1 there). Binding happens at the call, never at issue.
   A ticket transferred to another window is never a candidate here.
2. Escalation first: a candidate that has waited longer than its item's escalation threshold is
   taken before anything else; among several, the longest-waiting one.
3. Otherwise the best (lowest number) precedence level that has candidates: level 1 is the primary
   post, 2–4 are backup posts (AB岗). Within that level: appointments that are due (booked time
   reached), then priority-lane tickets, then everything else (including appointments not yet
   due); within each class the longest wait first.
4. Ties (same wait start) go to the lower ticket id, i.e. the one issued first.
5. A window that is paused or closed calls nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

PriorityClass = Literal["normal", "appointment", "priority"]
WindowState = Literal["open", "paused", "closed"]

TOP_LEVEL = 1
_CLASS_RANK = {"appointment_due": 0, "priority": 1, "normal": 2}


@dataclass(frozen=True)
class Candidate:
    """A waiting ticket as the rule sees it."""

    ticket_id: int
    service: str
    wait_since: datetime
    priority_class: PriorityClass = "normal"
    appointment_at: datetime | None = None
    target_window: str | None = None  # set when transferred to one specific window


@dataclass(frozen=True)
class WindowView:
    code: str
    state: WindowState
    skills: Mapping[str, int] = field(default_factory=dict)  # service code -> level 1..4


RankKey = tuple[int, int, int, datetime, int]


def level_at(window: WindowView, cand: Candidate) -> int | None:
    """The precedence level `cand` has at `window`, or None when the window cannot call it."""
    if cand.target_window is not None:
        return TOP_LEVEL if cand.target_window == window.code else None
    return window.skills.get(cand.service)


def is_escalated(cand: Candidate, escalation: Mapping[str, timedelta | None], now: datetime) -> bool:
    limit = escalation.get(cand.service)
    return limit is not None and now - cand.wait_since > limit


def class_rank(cand: Candidate, now: datetime) -> int:
    if cand.priority_class == "appointment" and cand.appointment_at is not None:
        if cand.appointment_at <= now:
            return _CLASS_RANK["appointment_due"]
        return _CLASS_RANK["normal"]
    if cand.priority_class == "priority":
        return _CLASS_RANK["priority"]
    return _CLASS_RANK["normal"]


def rank_key(
    window: WindowView,
    cand: Candidate,
    escalation: Mapping[str, timedelta | None],
    now: datetime,
) -> RankKey | None:
    """Sort key of `cand` at `window` (smaller is called sooner), or None if not a candidate."""
    level = level_at(window, cand)
    if level is None:
        return None
    if is_escalated(cand, escalation, now):
        return (0, 0, 0, cand.wait_since, cand.ticket_id)
    return (1, level, class_rank(cand, now), cand.wait_since, cand.ticket_id)


def call_order(
    window: WindowView,
    candidates: Iterable[Candidate],
    escalation: Mapping[str, timedelta | None],
    now: datetime,
) -> list[Candidate]:
    """The candidates in the order this window would call them (empty if the window is not open)."""
    if window.state != "open":
        return []
    keyed = [(k, c) for c in candidates if (k := rank_key(window, c, escalation, now)) is not None]
    keyed.sort(key=lambda kc: kc[0])
    return [c for _, c in keyed]


def choose_next(
    window: WindowView,
    candidates: Iterable[Candidate],
    escalation: Mapping[str, timedelta | None],
    now: datetime,
) -> Candidate | None:
    """The ticket the window calls next, or None."""
    order = call_order(window, candidates, escalation, now)
    return order[0] if order else None


def ahead_of(
    ticket: Candidate,
    windows: Sequence[WindowView],
    candidates: Iterable[Candidate],
    escalation: Mapping[str, timedelta | None],
    now: datetime,
) -> tuple[int, int]:
    """(tickets ahead, open windows that can call `ticket`).

    A ticket is ahead when at least one open window that can call `ticket` would call it first.
    """
    serving = [w for w in windows if w.state == "open" and level_at(w, ticket) is not None]
    pool = [c for c in candidates if c.ticket_id != ticket.ticket_id]
    targeted = {c.target_window for c in pool if c.target_window is not None}
    ahead: set[int] = set()
    seen: set[object] = set()
    for w in serving:
        # Windows with the same skills rank the queue the same way: rank it once.
        same = (
            tuple(sorted(w.skills.items())),
            w.code if w.code in targeted or w.code == ticket.target_window else None,
        )
        if same in seen:
            continue
        seen.add(same)
        mine = rank_key(w, ticket, escalation, now)
        for c in pool:
            k = rank_key(w, c, escalation, now)
            if k is not None and mine is not None and k < mine:
                ahead.add(c.ticket_id)
    return len(ahead), len(serving)
