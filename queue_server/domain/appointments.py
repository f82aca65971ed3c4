"""Appointments (网上预约), pure rules: slots of a day, when they are released, the check-in window,
the booking's status machine and the missed-booking rule. No database.

Check-in, by the time the citizen arrives (`checkin_outcome`):

| arrives …                                    | outcome   | the kiosk …                                  |
|----------------------------------------------|-----------|----------------------------------------------|
| before `checkin_from` (slot − early minutes) | `early`   | refuses and says when to come back           |
| from `checkin_from` to `checkin_until`       | `on_time` | issues an appointment ticket (slot order)    |
| after `checkin_until` (slot + late minutes)  | `late`    | issues an ordinary ticket and says why       |
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from .calendar import Schedule, parse_hhmm

Status = Literal["booked", "cancelled", "checked_in", "late", "missed"]
Action = Literal["cancel", "check_in", "check_in_late", "miss"]
Outcome = Literal["early", "on_time", "late"]

LIVE = "booked"
# action -> (allowed from, resulting status). A booking marked missed whose citizen still comes the
# same day checks in late: they came, so it is not a miss.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "cancel": (frozenset({"booked"}), "cancelled"),
    "check_in": (frozenset({"booked"}), "checked_in"),
    "check_in_late": (frozenset({"booked", "missed"}), "late"),
    "miss": (frozenset({"booked"}), "missed"),
}
STATUS_ZH = {
    "booked": "已预约",
    "cancelled": "已取消",
    "checked_in": "已签到",
    "late": "迟到，已按普通号取号",
    "missed": "已爽约",
}
STATUS_EN = {
    "booked": "booked",
    "cancelled": "cancelled",
    "checked_in": "checked in",
    "late": "late: given an ordinary ticket",
    "missed": "missed",
}


def next_status(status: str, action: str) -> str | None:
    allowed, result = TRANSITIONS[action]
    return result if status in allowed else None


@dataclass(frozen=True)
class Rules:
    """The hall's `[hall.appointments]` (hall_config.schema.AppointmentRules), as stored."""

    days_ahead: int = 7
    release_at: str = "08:00"
    walk_in_share: float = 0.25
    per_person_per_day: int = 2
    checkin_early_min: int = 30
    checkin_late_min: int = 15
    miss_limit: int = 3
    miss_window_days: int = 30
    miss_block_days: int = 7

    @classmethod
    def of(cls, stored: dict[str, Any]) -> Rules:
        return cls(**stored)


Slot = tuple[datetime, datetime]


def day_slots(schedule: Schedule, day: date, slot_min: int) -> list[Slot]:
    """The whole slots that fit in the item's opening periods of `day` (holidays, closures and the lunch
    break included, from the one calendar rule)."""
    length = timedelta(minutes=slot_min)
    slots: list[Slot] = []
    for start, end in schedule.day_periods(day)[0]:
        while start + length <= end:
            slots.append((start, start + length))
            start += length
    return slots


def bookable(capacity: int, walk_in_share: float) -> int:
    """Places of a slot that can be booked: the rest is kept for walk-ins (rounded in their favour)."""
    return math.floor(capacity * (1 - walk_in_share) + 1e-9)


def release_time(day: date, rules: Rules, tz: str) -> datetime:
    """When the slots of `day` open: `days_ahead` days before, at `release_at` local time."""
    opens = day - timedelta(days=rules.days_ahead)
    minutes = parse_hhmm(rules.release_at)
    return datetime.combine(opens, time(minutes // 60, minutes % 60), ZoneInfo(tz))


def last_released_day(now: datetime, rules: Rules, tz: str) -> date:
    """The last day whose slots are open for booking at `now`."""
    local = now.astimezone(ZoneInfo(tz))
    day = local.date() + timedelta(days=rules.days_ahead)
    return day if now >= release_time(day, rules, tz) else day - timedelta(days=1)


def checkin_window(slot_start: datetime, rules: Rules) -> tuple[datetime, datetime]:
    return (
        slot_start - timedelta(minutes=rules.checkin_early_min),
        slot_start + timedelta(minutes=rules.checkin_late_min),
    )


def checkin_outcome(now: datetime, checkin_from: datetime, checkin_until: datetime) -> Outcome:
    if now < checkin_from:
        return "early"
    return "on_time" if now <= checkin_until else "late"


def blocked_until(misses: Sequence[datetime], now: datetime, rules: Rules) -> datetime | None:
    """`miss_limit` misses (slot times) within `miss_window_days` block booking for `miss_block_days`
    after the last of them; None when the person may book."""
    recent = sorted(m for m in misses if m > now - timedelta(days=rules.miss_window_days))
    if len(recent) < rules.miss_limit:
        return None
    until = recent[-1] + timedelta(days=rules.miss_block_days)
    return until if until > now else None
