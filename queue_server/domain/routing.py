"""Which waiting ticket a window calls next: the routing rule, as one pure module.

The server uses it (and a hall simulator would use it) unchanged. It sees plain values only.

The rule (docs/design.md, "Routing"):

1. Candidates are the waiting tickets of the items in the window's skills, plus tickets transferred
   to this very window (which rank as level 1 there). Binding happens at the call, never at issue.
   A ticket transferred to another window is never a candidate here.
2. Escalation first: a candidate that has waited longer than its item's escalation threshold is
   taken before anything else; among several, those of the window's best level first (a post's own
   overdue tickets before the overdue tickets it only backs up), then the longest-waiting one.
   Why by level: when a backup post takes another post's overdue tickets before its own, its own
   go overdue in turn; the hall simulator measured it (bench/sim/RESULTS.md, "Escalation by level").
3. Otherwise the best (lowest number) precedence level that has candidates: level 1 is the primary
   post, 2–4 are backup posts (AB岗). Within that level: appointments that are due (booked time
   reached), then priority-lane tickets, then everything else (including appointments not yet
   due); within each class the longest wait first.
4. Ties (same wait start) go to the lower ticket id, i.e. the one issued first.
5. A window that is paused or closed calls nothing.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, NamedTuple

PriorityClass = Literal["normal", "appointment", "priority"]
WindowState = Literal["open", "paused", "closed"]

TOP_LEVEL = 1
_CLASS_RANK = {"appointment_due": 0, "priority": 1, "normal": 2}


class Candidate(NamedTuple):
    """A waiting ticket as the rule sees it (a named tuple: screens build hundreds per request, and
    a tuple is made three times faster than a frozen dataclass)."""

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
    staffed: bool = True  # a clerk is signed in: only staffed windows count for the wait estimate

    @functools.cached_property
    def kind(self) -> tuple[tuple[str, int], ...]:
        """Windows of the same kind rank every queue alike (unless a ticket names one of them)."""
        return tuple(sorted(self.skills.items()))


RankKey = tuple[int, int, int, datetime, int]


def level_at(window: WindowView, cand: Candidate) -> int | None:
    """The precedence level `cand` has at `window`, or None when the window cannot call it."""
    return level_for(window, cand.service, cand.target_window)


def level_for(window: WindowView, service: str, target_window: str | None) -> int | None:
    if target_window is not None:
        return TOP_LEVEL if target_window == window.code else None
    return window.skills.get(service)


def is_escalated(cand: Candidate, escalation: Mapping[str, timedelta | None], now: datetime) -> bool:
    limit = escalation.get(cand.service)
    return limit is not None and now - cand.wait_since > limit


def class_rank_of(priority_class: str, appointment_due: bool) -> int:
    """Due appointments first, then the priority lane, then everyone else (appointments not yet due)."""
    if priority_class == "appointment" and appointment_due:
        return _CLASS_RANK["appointment_due"]
    if priority_class == "priority":
        return _CLASS_RANK["priority"]
    return _CLASS_RANK["normal"]


def class_rank(cand: Candidate, now: datetime) -> int:
    due = cand.appointment_at is not None and cand.appointment_at <= now
    return class_rank_of(cand.priority_class, due)


def _precedence(level: int, escalated: bool, cls: int) -> tuple[int, int, int]:
    """The part of the rank that is not wait order: escalated first (by level), then level, then class."""
    return (0, level, 0) if escalated else (1, level, cls)


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
    return ranked(level, is_escalated(cand, escalation, now), class_rank(cand, now), cand)


def ranked(level: int, escalated: bool, cls: int, cand: Candidate) -> RankKey:
    """`rank_key` from its parts (for callers that rank one ticket at many windows)."""
    return (*_precedence(level, escalated, cls), cand.wait_since, cand.ticket_id)


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


@dataclass(frozen=True)
class Bucket:
    """Waiting tickets that every window ranks alike against one given ticket.

    Same item, target window, class and escalation state, and all waiting since before that ticket
    (`earlier`, ties broken by the lower id) or all since after it. A queue of thousands falls into a
    handful of buckets, which a database can count without sending the tickets.
    """

    service: str
    target_window: str | None
    class_rank: int
    escalated: bool
    earlier: bool
    count: int


def count_ahead(
    ticket: Candidate,
    windows: Sequence[WindowView],
    buckets: Iterable[Bucket],
    escalation: Mapping[str, timedelta | None],
    now: datetime,
) -> tuple[int, int]:
    """(tickets ahead, open staffed windows that can call `ticket`), from buckets that exclude `ticket`.

    A ticket is ahead when at least one open staffed window that can call `ticket` would call it first.
    """
    serving = [w for w in windows if w.state == "open" and w.staffed and level_at(w, ticket) is not None]
    buckets = list(buckets)
    targeted = {b.target_window for b in buckets if b.target_window is not None}
    # Windows with the same skills rank the queue the same way: keep one of each kind.
    kinds: dict[object, WindowView] = {}
    for w in serving:
        named = w.code in targeted or w.code == ticket.target_window
        kinds.setdefault((w.kind, w.code if named else None), w)
    mine_escalated, mine_class = is_escalated(ticket, escalation, now), class_rank(ticket, now)
    mine = {
        key: _precedence(level_at(w, ticket) or TOP_LEVEL, mine_escalated, mine_class)
        for key, w in kinds.items()
    }

    def ahead(b: Bucket) -> bool:
        for key, w in kinds.items():
            level = level_for(w, b.service, b.target_window)
            if level is None:
                continue
            head = _precedence(level, b.escalated, b.class_rank)
            if head < mine[key] or (head == mine[key] and b.earlier):
                return True
        return False

    return sum(b.count for b in buckets if b.count and ahead(b)), len(serving)


def buckets_among(
    tickets: Iterable[Candidate], escalation: Mapping[str, timedelta | None], now: datetime
) -> dict[int, list[Bucket]]:
    """For each of `tickets`, all the others in buckets relative to it (n log n, not n²)."""
    order = sorted({t.ticket_id: t for t in tickets}.values(), key=lambda t: (t.wait_since, t.ticket_id))
    keys = [(t.service, t.target_window, class_rank(t, now), is_escalated(t, escalation, now)) for t in order]
    where: dict[tuple[str, str | None, int, bool], list[int]] = {}
    for position, key in enumerate(keys):
        where.setdefault(key, []).append(position)  # positions in wait order, ascending
    out: dict[int, list[Bucket]] = {}
    for position, t in enumerate(order):
        buckets = []
        for key, positions in where.items():
            before = bisect.bisect_left(positions, position)
            after = len(positions) - before - (keys[position] == key)
            if before:
                buckets.append(Bucket(*key, earlier=True, count=before))
            if after:
                buckets.append(Bucket(*key, earlier=False, count=after))
        out[t.ticket_id] = buckets
    return out


def ahead_of(
    ticket: Candidate,
    windows: Sequence[WindowView],
    candidates: Iterable[Candidate],
    escalation: Mapping[str, timedelta | None],
    now: datetime,
) -> tuple[int, int]:
    """`count_ahead` for a queue given ticket by ticket (the hall simulator's case)."""
    buckets = buckets_among([ticket, *candidates], escalation, now)[ticket.ticket_id]
    return count_ahead(ticket, windows, buckets, escalation, now)
