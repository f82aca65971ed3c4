"""Hall time: business days and opening hours in the hall's own time zone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_hhmm(text: str) -> int:
    """'08:30' -> minutes after midnight; '24:00' is allowed as an end."""
    hh, mm = text.split(":")
    h, m = int(hh), int(mm)
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m):
        raise ValueError(f"not a time of day: {text!r}")
    return h * 60 + m


def parse_range(text: str) -> tuple[int, int]:
    start, end = (parse_hhmm(p.strip()) for p in text.split("-"))
    if start >= end:
        raise ValueError(f"range ends before it starts: {text!r}")
    return start, end


def business_day(now: datetime, tz: str, day_starts: str) -> date:
    """The local date whose numbering `now` belongs to (the day starts at `day_starts` local)."""
    local = now.astimezone(ZoneInfo(tz))
    return (local - timedelta(minutes=parse_hhmm(day_starts))).date()


def is_open(now: datetime, tz: str, hours: Mapping[str, Sequence[str]]) -> bool:
    local = now.astimezone(ZoneInfo(tz))
    minute = local.hour * 60 + local.minute
    for rng in hours.get(WEEKDAYS[local.weekday()], ()):
        start, end = parse_range(rng)
        if start <= minute < end:
            return True
    return False


def local_time(now: datetime, tz: str) -> time:
    return now.astimezone(ZoneInfo(tz)).time()
