"""One policy through one hall day: a discrete-event simulation.

The routing rule and the wait estimate are the server's own (`domain/routing.py`, `domain/estimate.py`),
fed the way `services/queue.py` feeds them: a window sees the head of each line of its items plus the
appointments; a new ticket's place is counted from routing buckets of the waiting queue; the ETA comes
from the item's last `recent_n` service times, else its configured average.
"""

from __future__ import annotations

import bisect
import heapq
import math
import random
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import fmean

from ..domain import calendar, routing
from ..domain.estimate import REPLAY_LIMIT, eta_range, on_clock, remaining, replayed_range, replayed_wait
from ..services.availability import breaks_ahead, placed
from .model import Arrival, Policy, Post, Scenario

# A window's day as a table: (state, what happens) -> new state. "closing": the session is over, the
# clerk serves out the tickets still waiting for the window, then leaves.
# "close" ends a session before a break (lunch): the clerk finishes the current ticket and goes, the
# queue waits, as the printed wait assumes (services/availability.py, with_breaks); "leave" ends the
# day (or any session, with `serve_out_at_breaks`).
SHIFT: dict[tuple[str, str], str] = {
    ("closed", "open"): "open",
    ("closing", "open"): "open",
    ("open", "pause"): "paused",
    ("paused", "resume"): "open",
    ("open", "close"): "closed",
    ("paused", "close"): "closed",
    ("open", "leave"): "closing",
    ("paused", "leave"): "closing",
    ("closing", "idle"): "closed",
}
_VIEW_STATE = {"open": "open", "closing": "open", "paused": "paused", "closed": "closed"}
_ORDER = {"open": 0, "pause": 1, "resume": 2, "close": 3, "leave": 3}  # same-minute changes


@dataclass(eq=False)
class Ticket:
    arrival: Arrival
    item: str
    candidate: routing.Candidate
    wait_since: float
    segment_start: float
    eta: tuple[int | None, int | None] = (None, None)  # printed on the ticket
    naive: float | None = None
    counted: tuple[int | None, int | None] = (None, None)  # the count-based range (estimate.eta_range)
    spans_break: bool = False  # the printed range reaches lunch (cut at it, or after it)
    first_call: float | None = None
    waited: float = 0.0  # over all waiting segments (a transferred ticket waits twice)
    status: str = "waiting"  # waiting, called, done, no_show, unserved
    transferred: bool = False
    window: str | None = None

    @property
    def first_wait(self) -> float | None:
        return None if self.first_call is None else self.first_call - self.arrival.t


@dataclass
class WindowStats:
    busy: float = 0.0
    staffed: float = 0.0  # open, serving out, or busy
    served: int = 0


@dataclass
class _Window:
    post: Post
    view: routing.WindowView
    state: str = "closed"
    busy: bool = False
    since: float = 0.0  # when the current ticket was called
    item: str = ""  # and its item
    last: float = 0.0
    stats: WindowStats = field(default_factory=WindowStats)


@dataclass
class Run:
    policy: Policy
    tickets: list[Ticket]
    queue: list[tuple[float, int]]  # (minute, tickets waiting) after each change
    windows: dict[str, WindowStats]
    start: float
    end: float
    area: float  # ∫ tickets waiting dt
    segments: int  # waiting spells (a transferred ticket has two)
    segment_minutes: float  # their total length


class Simulation:
    def __init__(self, scenario: Scenario, policy: Policy, seed: int = 0, estimates: bool = True) -> None:
        self.sc, self.policy, self.rng = scenario, policy, random.Random(seed)
        self.estimates = estimates  # the printed ranges; they never change what happens in the hall
        self.b = scenario.behaviour
        routed = policy.rule == "routing"
        self.escalation: dict[str, timedelta | None] = {
            code: timedelta(minutes=i.escalate_after_min) if routed and i.escalate_after_min else None
            for code, i in scenario.items.items()
        }
        self.limits = {code: lim.total_seconds() / 60 for code, lim in self.escalation.items() if lim}
        self.windows = {
            p.code: _Window(p, routing.WindowView(p.code, "closed", dict(p.skills))) for p in policy.windows
        }
        self.views = [w.view for w in self.windows.values()]
        self.lines: dict[tuple[str, str], list[tuple[float, int, Ticket]]] = {}
        self.recent: dict[str, deque[float]] = {
            code: deque(maxlen=self.b.recent_n) for code in scenario.items
        }
        self.events: list[tuple[float, int, int, str, object]] = []
        self.seq = 0
        self.tickets: list[Ticket] = []
        self.waiting = 0
        self.area = 0.0
        self.last_change = 0.0
        self.queue: list[tuple[float, int]] = []
        self.segments = 0
        self.segment_minutes = 0.0
        self.offset = len(scenario.arrivals)  # a transfer's successor gets a new, later id

    # -- events -------------------------------------------------------------------------------------

    def _push(self, t: float, order: int, kind: str, what: object) -> None:
        self.seq += 1
        heapq.heappush(self.events, (t, order, self.seq, kind, what))

    def run(self) -> Run:
        for a in self.sc.arrivals:
            self._push(a.t, 9, "arrive", a)
        for w in self.windows.values():
            last = max((b for _, b in w.post.sessions), default=0.0)
            changes = [(a, "open") for a, _ in w.post.sessions]
            changes += [
                (b, "leave" if b == last or self.b.serve_out_at_breaks else "close")
                for _, b in w.post.sessions
            ]
            changes += [(a, "pause") for a, _ in w.post.breaks] + [(b, "resume") for _, b in w.post.breaks]
            for t, what in changes:
                self._push(t, _ORDER[what], "shift", (w, what))
        start = self.events[0][0] if self.events else 0.0
        self.last_change = start
        for w in self.windows.values():
            w.last = start
        t = start
        while self.events:
            t, _, _, kind, what = heapq.heappop(self.events)
            if kind == "arrive":
                self._arrive(t, what)  # type: ignore[arg-type]
            elif kind == "shift":
                w, change = what  # type: ignore[misc]
                self._tick(w, t)
                new = SHIFT.get((w.state, change))
                if new is not None:
                    self._set_state(w, new)
            else:
                self._finish(t, *what)  # type: ignore[misc]
            self._dispatch(t)
        return self._close(t, start)

    def _close(self, end: float, start: float) -> Run:
        for line in self.lines.values():
            for _, _, tk in line:
                tk.status = "unserved"
                self._end_segment(tk, end)
        self._queue_change(end, -self.waiting)
        for w in self.windows.values():
            self._tick(w, end)
        # Little's law, L = λW, on the waiting line: the area under the queue-length curve is the sum of
        # the waiting spells. It holds exactly for any run that starts and ends empty; a difference means
        # a ticket was lost or counted twice.
        if not math.isclose(self.area, self.segment_minutes, rel_tol=1e-9, abs_tol=1e-6):
            raise AssertionError(f"Little's law fails: area {self.area} != waits {self.segment_minutes}")
        return Run(
            self.policy,
            self.tickets,
            self.queue,
            {code: w.stats for code, w in self.windows.items()},
            start,
            end,
            self.area,
            self.segments,
            self.segment_minutes,
        )

    # -- bookkeeping --------------------------------------------------------------------------------

    def _queue_change(self, t: float, delta: int) -> None:
        self.area += self.waiting * (t - self.last_change)
        self.last_change = t
        self.waiting += delta
        self.queue.append((t, self.waiting))

    def _end_segment(self, tk: Ticket, t: float) -> None:
        spell = t - tk.segment_start
        tk.waited += spell
        self.segments += 1
        self.segment_minutes += spell

    def _tick(self, w: _Window, t: float) -> None:
        dt = t - w.last
        if w.busy or w.state in ("open", "closing"):
            w.stats.staffed += dt
        if w.busy:
            w.stats.busy += dt
        w.last = t

    def _set_state(self, w: _Window, state: str) -> None:
        w.state = state
        if w.view.state != _VIEW_STATE[state]:
            w.view = routing.WindowView(w.post.code, _VIEW_STATE[state], w.view.skills)  # type: ignore[arg-type]
            self.views = [x.view for x in self.windows.values()]

    def _at(self, t: float) -> datetime:
        return self.sc.midnight + timedelta(minutes=t)

    def _enqueue(self, tk: Ticket, t: float) -> None:
        line = self.lines.setdefault((tk.item, tk.candidate.priority_class), [])
        bisect.insort(line, (tk.wait_since, tk.candidate.ticket_id, tk))
        tk.segment_start = t
        tk.status = "waiting"
        self._queue_change(t, +1)

    def _candidate(self, a: Arrival, item: str, ticket_id: int) -> routing.Candidate:
        appt = None if a.appointment_at is None else self._at(a.appointment_at)
        return routing.Candidate(ticket_id, item, self._at(a.t), a.priority_class, appt)

    # -- arrivals and the printed estimate ----------------------------------------------------------

    def _arrive(self, t: float, a: Arrival) -> None:
        tk = Ticket(a, a.item, self._candidate(a, a.item, a.id), a.t, t)
        if self.estimates:
            tk.counted, tk.naive = self._estimate(tk, t)
            # As services/queue.py: the replayed range while the queue is short enough, else the count.
            replayed = self._replay(tk, t) if self.waiting + 1 <= REPLAY_LIMIT else (None, None)
            tk.eta = replayed if replayed[0] is not None else tk.counted
            tk.eta, tk.counted = self._placed(tk, t, tk.eta), self._placed(tk, t, tk.counted)
            high = tk.eta[1]
            tk.spans_break = high is not None and any(start <= high for start, _ in self._closed(tk, t))
        self.tickets.append(tk)
        self._enqueue(tk, t)

    def _buckets(self, t: float) -> list[routing.Bucket]:
        """The waiting queue in routing buckets relative to a ticket issued now (all came earlier)."""
        out: list[routing.Bucket] = []
        for (item, cls), line in self.lines.items():
            if not line:
                continue
            limit = self.limits.get(item)
            groups: dict[tuple[int, bool], int] = {}
            for ws, _, tk in line if cls == "appointment" else ():
                due = tk.arrival.appointment_at is not None and tk.arrival.appointment_at <= t
                key = (routing.class_rank_of(cls, due), limit is not None and ws < t - limit)
                groups[key] = groups.get(key, 0) + 1
            if cls != "appointment":
                rank = routing.class_rank_of(cls, False)
                escalated = bisect.bisect_left(line, (t - limit,)) if limit is not None else 0
                groups = {(rank, True): escalated, (rank, False): len(line) - escalated}
            out += [routing.Bucket(item, None, rank, esc, True, n) for (rank, esc), n in groups.items() if n]
        return out

    def _estimate(self, tk: Ticket, t: float) -> tuple[tuple[int | None, int | None], float | None]:
        """The count-based range (`estimate.eta_range`, fed as services/queue.py feeds it) and the naive
        estimate (same-item tickets ahead × the configured mean ÷ open windows serving the item)."""
        item = self.sc.items[tk.item]
        ahead, serving = routing.count_ahead(
            tk.candidate, self.views, self._buckets(t), self.escalation, self._at(t)
        )
        eta = on_clock(
            eta_range(ahead, serving, list(self.recent[tk.item]), item.configured_min), self._closed(tk, t)
        )
        same = sum(len(line) for (code, _), line in self.lines.items() if code == tk.item)
        naive = same * item.configured_min / serving if serving else None
        return eta, naive

    def _closed(self, tk: Ticket, t: float) -> list[tuple[float, float]]:
        """The item's breaks still to come today: the estimate runs across them (as the server's)."""
        schedule = self.sc.schedules.get(tk.item)
        return breaks_ahead(self._at(t), schedule) if schedule else []

    def _placed(
        self, tk: Ticket, t: float, eta: tuple[int | None, int | None]
    ) -> tuple[int | None, int | None]:
        """The range (on the clock) kept before lunch or after it, as the server prints it."""
        schedule = self.sc.schedules.get(tk.item)
        if schedule is None or eta[0] is None:
            return eta
        now = self._at(t)
        avail = calendar.availability(schedule, now)
        return placed(now, avail, eta, schedule)

    def _typical(self) -> dict[str, float]:
        return {
            code: fmean(r) if len(r) >= 4 else self.sc.items[code].configured_min
            for code, r in self.recent.items()
        }

    def _replay(self, tk: Ticket, t: float) -> tuple[int | None, int | None]:
        typical = self._typical()
        busy = {
            w.post.code: remaining(typical[w.item], t - w.since)
            for w in self.windows.values()
            if w.busy and w.view.state == "open"
        }
        queue = [x.candidate for line in self.lines.values() for _, _, x in line]
        closed = self._closed(tk, t)
        minutes = replayed_wait(
            tk.candidate, self.views, queue, self.escalation, self._at(t), typical, busy, closed=closed
        )
        return replayed_range(minutes, closed)

    # -- calls and service --------------------------------------------------------------------------

    def _dispatch(self, t: float) -> None:
        idle = [w for w in self.windows.values() if not w.busy and w.state in ("open", "closing")]
        if len(idle) > 1:
            self.rng.shuffle(idle)  # whichever clerk clicks first
        for w in idle:
            tk = self._choose(w, t) if self.waiting else None
            if tk is None:
                if w.state == "closing":
                    self._tick(w, t)
                    self._set_state(w, SHIFT[("closing", "idle")])
                continue
            self._call(w, tk, t)

    def _choose(self, w: _Window, t: float) -> Ticket | None:
        heads: list[tuple[float, int, Ticket]] = []
        for item in w.post.skills:
            for cls in ("normal", "priority"):
                line = self.lines.get((item, cls))
                if line:
                    heads.append(line[0])
            heads += self.lines.get((item, "appointment"), ())
        if not heads:
            return None
        if self.policy.rule == "fcfs" or len(heads) == 1:  # one candidate: the rule has nothing to decide
            return min(heads, key=lambda h: (h[0], h[1]))[2]
        by_id = {h[1]: h[2] for h in heads}
        chosen = routing.choose_next(w.view, [h[2].candidate for h in heads], self.escalation, self._at(t))
        return None if chosen is None else by_id[chosen.ticket_id]

    def _call(self, w: _Window, tk: Ticket, t: float) -> None:
        line = self.lines[(tk.item, tk.candidate.priority_class)]
        line.pop(bisect.bisect_left(line, (tk.wait_since, tk.candidate.ticket_id)))
        self._queue_change(t, -1)
        self._end_segment(tk, t)
        first = tk.first_call is None
        if first:
            tk.first_call = t
        tk.status, tk.window = "called", w.post.code
        self._tick(w, t)
        w.busy, w.since, w.item = True, t, tk.item
        a, b = tk.arrival, self.b
        factor = 1.0 if tk.item in w.post.home else b.backup_slowdown
        if first and a.no_show:
            self._push(t + b.no_show_after_min, 5, "finish", (w, tk, "no_show", 0.0))
            return
        delay = b.recall_after_min if first and a.late else 0.0
        if first and a.transfer_to:
            self._push(t + delay + b.transfer_after_min, 5, "finish", (w, tk, "transfer", 0.0))
            return
        service = (a.transfer_service_min if tk.transferred else a.service_min) * factor
        self._push(t + delay + service, 5, "finish", (w, tk, "done", service))

    def _finish(self, t: float, w: _Window, tk: Ticket, outcome: str, service: float) -> None:
        self._tick(w, t)
        w.busy = False
        if outcome == "transfer":
            # A transferred ticket keeps its number and its place in line (services/tickets.py).
            tk.item, tk.transferred = tk.arrival.transfer_to, True  # type: ignore[assignment]
            tk.candidate = self._candidate(tk.arrival, tk.item, self.offset + tk.arrival.id)
            self._enqueue(tk, t)
            return
        tk.status = outcome
        if outcome == "done":
            w.stats.served += 1
            self.recent[tk.item].append(service)


def simulate(scenario: Scenario, policy: Policy, seed: int = 0, estimates: bool = True) -> Run:
    return Simulation(scenario, policy, seed, estimates).run()
