"""Wait-time estimate: a range, or unknown, never a falsely precise number."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from statistics import quantiles

from . import routing


def eta_range(
    ahead: int, open_windows: int, recent_minutes: Sequence[float], default_minutes: float
) -> tuple[int | None, int | None]:
    """ETA in whole minutes as (low, high); (None, None) when no open window serves the item.

    The service time per ticket is taken from recent service times of the item (quartiles), or
    the item's configured average when there is too little history.
    """
    if open_windows <= 0:
        return None, None
    if len(recent_minutes) >= 4:
        q1, _, q3 = quantiles(recent_minutes, n=4)
        low, high = max(q1, 0.5), max(q3, 1.0)
    else:
        low, high = default_minutes * 0.6, default_minutes * 1.4
    return math.floor(ahead * low / open_windows), math.ceil((ahead + 1) * high / open_windows)


# A paused window with its clerk signed in is a short break, not a window gone for the day: the
# replay lets it call again after this many minutes. Leaving it out made every ticket issued during
# one clerk's 20-minute morning break look due after lunch (hall simulator, bench/sim: ETA mean
# error 9.3 -> 8.1 min on seeds 1-20; 10 to 20 minutes do about as well).
PAUSE_MIN = 10.0

# A ticket past its item's typical service time is not "done in a minute": service times spread
# (cv about 0.6), and one that has run long often runs on. The replay lets such a window's clerk call
# again after this share of the typical time. The old fixed 1 minute made every busy hall look about
# to call: with every window holding every item as a backup post, tickets the replay promised for
# "1 min" waited 2.4 min on average (hall simulator, bench/sim). Tuned on seeds 1-10 (0.1 to 0.4 do
# about as well; 0.3 best summed over the routed policies), checked on seeds 11-20.
OVERRUN_SHARE = 0.3


def remaining(typical: float, elapsed: float) -> float:
    """Minutes a window's current ticket is taken to need still (`replayed_wait`'s `busy_for`): its
    item's typical service time less the time already spent, at least `OVERRUN_SHARE` of it."""
    return max(typical - elapsed, OVERRUN_SHARE * typical)


def replayed_wait(
    me: routing.Candidate,
    windows: Sequence[routing.WindowView],
    queue: Iterable[routing.Candidate],
    escalation: Mapping[str, timedelta | None],
    now: datetime,
    service_min: Mapping[str, float],
    busy_for: Mapping[str, float] | None = None,
    max_calls: int = 1000,
    closed: Sequence[tuple[float, float]] = (),
    paused_for: float | None = PAUSE_MIN,
) -> float | None:
    """Minutes until some window calls `me`: the routing rule replayed over the tickets waiting now,
    each taking its item's typical service time, every open window with a clerk free after `busy_for`
    (its current ticket), nobody arriving later. None when no such window can call `me` (or past
    `max_calls`). `closed`: spans (minutes from now, e.g. lunch) in which nobody is called: a clerk
    finishes the ticket in hand and calls again when the hall reopens, so the replay runs across the
    break and its result is on the clock. `paused_for`: a paused window whose clerk is signed in
    (a short break) calls again after this many minutes; None: it is left out, as if gone all day.

    Counting tickets ahead and dividing by windows misses who serves what: a backup post first
    clears its own items, a short item waits behind long ones. The replay sees both.
    """
    open_windows = [w for w in windows if w.state == "open" and w.staffed]  # as count_ahead
    if not any(routing.level_at(w, me) is not None for w in open_windows):
        return None
    busy = dict(busy_for or {})
    if paused_for is not None:
        for w in windows:
            if w.state == "paused" and w.staffed:
                open_windows.append(replace(w, state="open"))
                busy[w.code] = max(busy.get(w.code, 0.0), paused_for)
    lines: dict[tuple[str, str | None, str], list[routing.Candidate]] = {}
    for c in sorted(
        {c.ticket_id: c for c in (me, *queue)}.values(), key=lambda c: (c.wait_since, c.ticket_id)
    ):
        lines.setdefault((c.service, c.target_window, c.priority_class), []).append(c)
    for line in lines.values():
        line.reverse()  # pop() takes the longest-waiting
    free = [(busy.get(w.code, 0.0), n, w) for n, w in enumerate(open_windows)]
    heapq.heapify(free)
    for _ in range(max_calls):
        if not free:
            break
        at, n, w = heapq.heappop(free)
        if closed:
            at = next((end for start, end in closed if start <= at < end), at)
        # Each line is in wait order, so only its head can be called next (appointments: due or not).
        heads = [
            c for key, line in lines.items() if line for c in (line if key[2] == "appointment" else line[-1:])
        ]
        chosen = routing.choose_next(w, heads, escalation, now + timedelta(minutes=at))
        if chosen is None:
            continue  # nothing left for this window in the replay
        if chosen.ticket_id == me.ticket_id:
            return at
        lines[(chosen.service, chosen.target_window, chosen.priority_class)].remove(chosen)
        heapq.heappush(free, (at + service_min[chosen.service], n, w))
    return None


# The printed range around a replayed wait: low = 0.4 × it − 1, high = 1.6 × it + 1 minutes. Tuned on
# the hall simulator (bench/sim, seeds 1–5, with paused windows back after PAUSE_MIN: 0.5/1.5 held 80 %
# of waits, 0.4/1.6 holds 83 % at the same mean error; checked on seeds 6–20: 84.5 %, error 7.9 vs 7.8
# min; with `remaining` and "0–0" below, other shapes did no better on seeds 1–10).
# Later arrivals with precedence (escalated, priority lane, due appointments, a window's own items)
# make the real wait longer more often than shorter.
# With a window free for the ticket now it is "0–0" (whole minutes: called within the minute). It used
# to be "0–1" ("its clerk still has to call"), but the middle of the range is the point estimate: half
# a minute too long for every ticket called at once, and with broad backup posts that is most tickets
# (bench/sim `full_backup`: 58 %, about a third of the mean error).
REPLAY_LOW, REPLAY_HIGH, REPLAY_PAD = 0.4, 1.6, 1.0
# Beyond this many waiting tickets the count-based range (`eta_range`) is printed: it costs the same
# for any queue, the replay grows with it.
REPLAY_LIMIT = 300


def replayed_range(
    minutes: float | None, closed: Sequence[tuple[float, float]] = ()
) -> tuple[int | None, int | None]:
    """The printed range around `replayed_wait`; (None, None) when nobody serves the item, (0, 0) when
    a window is free for it now. Its width grows with the open minutes only: the closed time
    (`closed`, as given to the replay) it spans is added as it is, not stretched."""
    if minutes is None:
        return None, None
    if minutes <= 0:
        return 0, 0  # a window that can call it is free now
    shut = sum(max(0.0, min(minutes, end) - start) for start, end in closed if start < minutes)
    wait = minutes - shut
    low = max(0.0, wait * REPLAY_LOW - REPLAY_PAD)
    return math.floor(shut + low), math.ceil(shut + wait * REPLAY_HIGH + REPLAY_PAD)


def on_clock(
    eta: tuple[int | None, int | None], closed: Sequence[tuple[float, float]]
) -> tuple[int | None, int | None]:
    """A range of open minutes (the count-based one) on the clock: the closed time (`closed`, minutes
    from now, in order) before its middle is added to both ends, as the replay adds it."""
    low, high = eta
    if low is None or high is None:
        return eta
    clock = (low + high) / 2
    for start, end in closed:
        if start < clock:
            clock += end - start
    shut = clock - (low + high) / 2
    return math.floor(low + shut), math.ceil(high + shut)


def placed_range(
    eta: tuple[int | None, int | None], now: datetime, periods: Sequence[tuple[datetime, datetime]]
) -> tuple[int | None, int | None]:
    """A range on the clock (`replayed_range`, `on_clock`) kept inside the one of today's opening
    `periods` where its middle falls: never across lunch, when nobody is called, and a middle in a
    break moves to the reopening. After the day's last period the minutes run on: clerks serve out the
    day's queue, a ticket is not carried to tomorrow."""
    low, high = eta
    upcoming = [(max(start, now), end) for start, end in periods if end > now]
    if low is None or high is None or not upcoming or upcoming[0][0] > now:
        return eta  # closed now: nothing to place
    middle = (low + high) / 2
    at = now + timedelta(minutes=middle)
    for n, (start, end) in enumerate(upcoming):
        last = n == len(upcoming) - 1
        if at < end or last:
            at = max(at, start)
            break
    centre = (at - now).total_seconds() / 60
    lo = max(centre - (middle - low), (start - now).total_seconds() / 60)
    hi = centre + (high - middle)
    if not last:
        hi = min(hi, (end - now).total_seconds() / 60)
    return math.floor(lo), math.ceil(hi)
