"""The ticket status machine: which action is allowed from which status."""

from datetime import datetime, timedelta
from typing import Literal

Status = Literal["waiting", "called", "serving", "done", "no_show", "cancelled", "transferred"]
Action = Literal["call", "recall", "start", "finish", "no-show", "cancel", "transfer", "reactivate"]

ACTIVE: frozenset[str] = frozenset({"called", "serving"})  # a window's current ticket

# action -> (allowed from, resulting status)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "call": (frozenset({"waiting"}), "called"),
    "recall": (frozenset({"called"}), "called"),
    "start": (frozenset({"called"}), "serving"),
    "finish": (frozenset({"serving"}), "done"),
    "no-show": (frozenset({"called"}), "no_show"),
    "cancel": (frozenset({"waiting", "called"}), "cancelled"),
    "transfer": (frozenset({"called", "serving"}), "transferred"),
    "reactivate": (frozenset({"no_show"}), "waiting"),  # once, within the hall's minutes (reactivation.py)
}

STATUS_ZH = {
    "waiting": "等待中",
    "called": "已叫号",
    "serving": "办理中",
    "done": "已办结",
    "no_show": "过号",
    "cancelled": "已取消",
    "transferred": "已转办",
}


def next_status(status: str, action: str) -> str | None:
    """The status after `action`, or None when the action is not allowed from `status`."""
    allowed, result = TRANSITIONS[action]
    return result if status in allowed else None


def rejoin_until(
    status: str, ended_at: datetime | None, reactivated_at: datetime | None, minutes: int, now: datetime
) -> datetime | None:
    """Until when a missed ticket (过号) may rejoin its queue: once, within the hall's `minutes` of being
    marked; None when it cannot now (the kiosk offers "rejoin" only while this is set)."""
    if not minutes or reactivated_at is not None or ended_at is None:
        return None
    if next_status(status, "reactivate") is None:
        return None
    until = ended_at + timedelta(minutes=minutes)
    return until if now <= until else None
