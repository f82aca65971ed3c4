"""Hall time: business days, opening hours, holidays, closures and working days (pure, no database).

One question, answered here only: when is a hall, or one of its items, open? A day's opening periods
come from a table of cases (`day_periods`):

| the day is …                             | periods                   | closed all day because |
|------------------------------------------|---------------------------|------------------------|
| any day, item round the clock (24 h × 7) | its hours of that weekday | —                      |
| a public holiday (放假)                  | none                      | the holiday's name     |
| an adjusted working day (调休上班)       | Monday's hours            | —                      |
| any other day                            | its weekday's hours       | —                      |

then a manager's one-off closures are cut out of those periods; a closure that leaves nothing of a
day that had hours is that day's reason. Round-the-clock items are machines (the self-service area):
holidays do not close them, closures do.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ALL_DAY = "00:00-24:00"
ALWAYS: Mapping[str, Sequence[str]] = {d: [ALL_DAY] for d in WEEKDAYS}
WORKDAY_HOURS_OF = "mon"  # an adjusted working day (调休上班) keeps a normal working day's hours
HORIZON_DAYS = 370  # "next opening" looks this far ahead; beyond it, there is none


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


def round_the_clock(hours: Mapping[str, Sequence[str]]) -> bool:
    return all(list(hours.get(d, ())) == [ALL_DAY] for d in WEEKDAYS)


@dataclass(frozen=True)
class DayNote:
    """A dated line of the national calendar: a public holiday, or an adjusted working day."""

    kind: Literal["holiday", "workday"]
    name: str
    name_en: str


@dataclass(frozen=True)
class Closure:
    """A one-off closure a manager added (aware datetimes; end exclusive)."""

    start: datetime
    end: datetime
    reason: str
    reason_en: str


Period = tuple[datetime, datetime]


@dataclass(frozen=True)
class Schedule:
    """Everything that decides when one hall or item is open."""

    tz: str
    hours: Mapping[str, Sequence[str]]  # the item's own hours, else the hall's
    days: Mapping[date, DayNote] = field(default_factory=dict)
    closures: Sequence[Closure] = ()

    @functools.cached_property
    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @functools.cached_property
    def _ranges(self) -> dict[str, list[tuple[int, int]]]:
        return {d: sorted(parse_range(r) for r in self.hours.get(d, ())) for d in WEEKDAYS}

    @functools.cached_property
    def _machine(self) -> bool:
        return round_the_clock(self.hours)

    def day_periods(self, day: date) -> tuple[list[Period], tuple[str, str] | None]:
        """The day's opening periods, and why it is closed all day when a holiday or closure says so."""
        note = None if self._machine else self.days.get(day)
        if note is not None and note.kind == "holiday":
            return [], (note.name, note.name_en)
        weekday = WORKDAY_HOURS_OF if note is not None else WEEKDAYS[day.weekday()]
        midnight = datetime(day.year, day.month, day.day, tzinfo=self._zone)
        periods = [
            (midnight + timedelta(minutes=a), midnight + timedelta(minutes=b))
            for a, b in self._ranges[weekday]
        ]
        if not periods:
            return [], None
        left, cut_by = _cut(periods, self.closures)
        if not left and cut_by is not None:
            return [], (cut_by.reason, cut_by.reason_en)
        return left, None

    def closure_at(self, now: datetime) -> Closure | None:
        """The closure in force at `now`, if any (to say why a refusal happens mid-day)."""
        return next((c for c in self.closures if c.start <= now < c.end), None)

    def periods_from(self, day: date, days: int = HORIZON_DAYS) -> Iterator[Period]:
        """Opening periods from `day` on, in order, touching periods merged (24:00 meets 00:00)."""
        current: Period | None = None
        for n in range(days):
            for start, end in self.day_periods(day + timedelta(days=n))[0]:
                if current is not None and start <= current[1]:
                    current = (current[0], max(current[1], end))
                    continue
                if current is not None:
                    yield current
                current = (start, end)
        if current is not None:
            yield current


def _cut(periods: list[Period], closures: Sequence[Closure]) -> tuple[list[Period], Closure | None]:
    """The periods without the closures, and the last closure that cut something."""
    cut_by = None
    for c in closures:
        out: list[Period] = []
        for start, end in periods:
            if c.end <= start or c.start >= end:
                out.append((start, end))
                continue
            cut_by = c
            if start < c.start:
                out.append((start, c.start))
            if c.end < end:
                out.append((c.end, end))
        periods = out
    return periods, cut_by


@dataclass(frozen=True)
class Availability:
    open_now: bool
    open_until: datetime | None  # end of the current period (null when closed, or not within the horizon)
    next_open: datetime | None  # closed: the next opening; open: the next opening after this period
    closed_reason: tuple[str, str] | None  # (zh, en) when today is closed all day by a holiday or closure


def open_at(schedule: Schedule, now: datetime) -> bool:
    """Just "open now?" (the issuing path): today's periods only."""
    today = now.astimezone(ZoneInfo(schedule.tz)).date()
    return any(start <= now < end for start, end in schedule.day_periods(today)[0])


def availability(schedule: Schedule, now: datetime) -> Availability:
    if schedule._machine and not schedule.closures:
        return Availability(True, None, None, None)  # round the clock, nothing closes it
    local = now.astimezone(ZoneInfo(schedule.tz))
    today = local.date()
    open_until = next_open = None
    is_open = False
    for start, end in schedule.periods_from(today - timedelta(days=1)):
        if end <= now:
            continue
        if start <= now and not is_open:
            is_open, open_until = True, end
            continue
        next_open = start
        break
    horizon_end = datetime.combine(today, time(), ZoneInfo(schedule.tz)) + timedelta(days=HORIZON_DAYS - 1)
    if open_until is not None and open_until >= horizon_end:
        open_until = None  # open for as far as we look (round the clock)
    tz = ZoneInfo(schedule.tz)  # closures come in UTC: answer in the hall's own time
    return Availability(
        is_open,
        open_until.astimezone(tz) if open_until else None,
        next_open.astimezone(tz) if next_open else None,
        schedule.day_periods(today)[1],
    )


def is_working_day(day: date, days: Mapping[date, DayNote]) -> bool:
    """A statutory working day: Monday to Friday unless a holiday, and every adjusted working day."""
    note = days.get(day)
    if note is not None:
        return note.kind == "workday"
    return day.weekday() < 5


def add_working_days(start: date, n: int, days: Mapping[date, DayNote]) -> date:
    """The n-th working day after `start` (n = 0: `start` itself), e.g. a due date of n working days."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n:
        day += timedelta(days=1)
        n -= is_working_day(day, days)
    return day


def describe(moment: datetime, tz: str) -> tuple[str, str]:
    """'12月2日（周三）09:00' and 'Wed 2 Dec 09:00', in the hall's local time."""
    t = moment.astimezone(ZoneInfo(tz))
    wd = t.weekday()
    zh = f"{t.month}月{t.day}日（{WEEKDAYS_ZH[wd]}）{t:%H:%M}"
    en = f"{WEEKDAYS_EN[wd]} {t.day} {MONTHS_EN[t.month - 1]} {t:%H:%M}"
    return zh, en
