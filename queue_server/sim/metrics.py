"""Figures of a run, and the queueing-theory yardstick (Erlang C)."""

from __future__ import annotations

import math
from statistics import fmean
from typing import Any

from .engine import Run
from .model import Scenario


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def figures(run: Run, scenario: Scenario) -> dict[str, Any]:
    """Wait figures are over the tickets that were called (served or no-show): time from issue to the
    call, both spells for a transferred ticket. The printed range and the naive estimate are judged on
    the first spell (what the ticket promised), over tickets that got a range."""
    called = [t for t in run.tickets if t.first_call is not None]
    waits = [t.waited for t in called]
    over = [t for t in called if t.waited > scenario.items[t.arrival.item].threshold_min]
    judged = [t for t in called if t.eta[0] is not None]
    first = {id(t): t.first_wait or 0.0 for t in judged}
    mid = [abs((t.eta[0] + t.eta[1]) / 2 - first[id(t)]) for t in judged]  # type: ignore[operator]
    inside = [t for t in judged if t.eta[0] <= first[id(t)] <= t.eta[1]]  # type: ignore[operator]
    naive = [abs(t.naive - first[id(t)]) for t in judged if t.naive is not None]
    within = [t for t in judged if not t.spans_break]
    w_err = [abs((t.eta[0] + t.eta[1]) / 2 - first[id(t)]) for t in within]  # type: ignore[operator]
    w_naive = [abs(t.naive - first[id(t)]) for t in within if t.naive is not None]
    counted = [t for t in called if t.counted[0] is not None]
    c_err = [abs((t.counted[0] + t.counted[1]) / 2 - (t.first_wait or 0.0)) for t in counted]  # type: ignore[operator]
    c_in = [t for t in counted if t.counted[0] <= (t.first_wait or 0.0) <= t.counted[1]]  # type: ignore[operator]
    staffed = sum(w.staffed for w in run.windows.values())
    span = run.end - run.start
    return {
        "label": run.policy.label,
        "tickets": len(run.tickets),
        "served": sum(t.status == "done" for t in run.tickets),
        "no_show": sum(t.status == "no_show" for t in run.tickets),
        "unserved": sum(t.status == "unserved" for t in run.tickets),
        "transferred": sum(t.transferred for t in run.tickets),
        "mean_wait_min": _r(fmean(waits)) if waits else None,
        "p90_wait_min": _r(percentile(waits, 90)) if waits else None,
        "max_wait_min": _r(max(waits)) if waits else None,
        "over_threshold_share": _r(len(over) / len(called), 3) if called else None,
        "utilisation": _r(sum(w.busy for w in run.windows.values()) / staffed, 3) if staffed else None,
        "window_utilisation": {
            code: _r(w.busy / w.staffed, 3) if w.staffed else None for code, w in run.windows.items()
        },
        "eta_mae_min": _r(fmean(mid)) if mid else None,
        "eta_in_range_share": _r(len(inside) / len(judged), 3) if judged else None,
        "naive_eta_mae_min": _r(fmean(naive)) if naive else None,
        # The same over the tickets whose range does not reach lunch (cut at it, or after it), and how many.
        "eta_mae_within_session_min": _r(fmean(w_err)) if w_err else None,
        "naive_eta_mae_within_session_min": _r(fmean(w_naive)) if w_naive else None,
        "eta_spans_break_share": _r(1 - len(within) / len(judged), 3) if judged else None,
        # The range printed before the replay (tickets ahead × service quartiles ÷ windows), for comparison.
        "count_eta_mae_min": _r(fmean(c_err)) if c_err else None,
        "count_in_range_share": _r(len(c_in) / len(counted), 3) if counted else None,
        "no_eta_share": _r(1 - len(judged) / len(called), 3) if called else None,
        "little": {
            "mean_waiting": _r(run.area / span, 3) if span else 0.0,  # L
            "arrival_rate_per_min": _r(run.segments / span, 4) if span else 0.0,  # λ (waiting spells)
            "mean_spell_min": _r(run.segment_minutes / run.segments, 3) if run.segments else 0.0,  # W
        },
    }


def _r(x: float, digits: int = 2) -> float:
    return round(x, digits)


def erlang_c_wait(arrival_rate: float, mean_service: float, servers: int) -> float:
    """Mean wait in queue of M/M/c (same time unit as the inputs)."""
    a = arrival_rate * mean_service  # offered load in Erlangs
    rho = a / servers
    if rho >= 1:
        return math.inf
    term = a**servers / math.factorial(servers) / (1 - rho)
    p_wait = term / (sum(a**k / math.factorial(k) for k in range(servers)) + term)
    return p_wait * mean_service / (servers - a)
