"""Wait-time estimate: a range, or unknown, never a falsely precise number."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import quantiles


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
