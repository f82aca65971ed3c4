"""The business calendar as a table of cases (pure: no database), with the shipped 2026 calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from queue_server.domain.calendar import (
    ALWAYS,
    Closure,
    Schedule,
    add_working_days,
    availability,
    describe,
    is_working_day,
)
from queue_server.hall_config.calendar_file import load_calendar_file
from queue_server.hall_config.load import ConfigError
from tests.conftest import ROOT

SH = ZoneInfo("Asia/Shanghai")
HALL_HOURS = {d: ["08:30-12:00", "14:30-17:30"] for d in ("mon", "tue", "wed", "thu", "fri")} | {
    "sat": [],
    "sun": [],
}
TUE_THU = {d: [] for d in ("mon", "wed", "fri", "sat", "sun")} | {
    "tue": ["09:00-12:00"],
    "thu": ["09:00-12:00"],
}
DAYS = load_calendar_file(ROOT / "config" / "calendar" / "2026.toml").days()
REPAIR = Closure(
    datetime(2026, 12, 3, 0, 0, tzinfo=SH),
    datetime(2026, 12, 4, 0, 0, tzinfo=SH),
    "系统升级",
    "System upgrade",
)
AFTERNOON = Closure(
    datetime(2026, 12, 2, 14, 0, tzinfo=SH), datetime(2026, 12, 2, 16, 0, tzinfo=SH), "消防演练", "Fire drill"
)


def at(text: str) -> datetime:
    """'12-01 10:00' (in 2026) or a full date, local time."""
    full = text if len(text) > 11 else f"2026-{text}"
    return datetime.fromisoformat(full).replace(tzinfo=SH)


def iso(text: str | None) -> datetime | None:
    return None if text is None else at(text)


H = HALL_HOURS
NATIONAL = ("国庆节", "National Day")
UPGRADE = ("系统升级", "System upgrade")
# (case, hours, closures, now local (2026), open_now, open_until, next_open, closed_reason)
CASES = [
    ("morning of a working day", H, (), "12-01 10:00", True, "12-01 12:00", "12-01 14:30", None),
    ("lunch break", H, (), "12-01 12:30", False, None, "12-01 14:30", None),
    ("the minute it opens", H, (), "12-01 08:30", True, "12-01 12:00", "12-01 14:30", None),
    ("the minute it closes", H, (), "12-01 17:30", False, None, "12-02 08:30", None),
    ("Tuesday evening", H, (), "12-01 21:45", False, None, "12-02 08:30", None),
    ("Friday evening: after the weekend", H, (), "12-04 18:00", False, None, "12-07 08:30", None),
    ("a weekend is not a reason", H, (), "12-05 10:00", False, None, "12-07 08:30", None),
    ("National Day holiday", H, (), "10-02 10:00", False, None, "10-08 08:30", NATIONAL),
    ("before a holiday: next opening after it", H, (), "09-30 18:00", False, None, "10-08 08:30", None),
    ("adjusted working Saturday (调休上班)", H, (), "10-10 09:00", True, "10-10 12:00", "10-10 14:30", None),
    ("adjusted working Sunday before it", H, (), "09-19 12:00", False, None, "09-20 08:30", None),
    ("per-item hours: not on Wednesday", TUE_THU, (), "12-02 10:00", False, None, "12-03 09:00", None),
    ("per-item hours: Thursday", TUE_THU, (), "12-03 11:00", True, "12-03 12:00", "12-08 09:00", None),
    ("round the clock: open at night", ALWAYS, (), "12-01 21:45", True, None, None, None),
    ("round the clock: open on a holiday", ALWAYS, (), "10-02 03:00", True, None, None, None),
    ("one-off closure for a whole day", H, (REPAIR,), "12-03 10:00", False, None, "12-04 08:30", UPGRADE),
    ("the day before a closure", H, (REPAIR,), "12-02 17:45", False, None, "12-04 08:30", None),
    ("closure for an afternoon", H, (AFTERNOON,), "12-02 14:45", False, None, "12-02 16:00", None),
    ("before a 14:00 closure", H, (AFTERNOON,), "12-02 11:00", True, "12-02 12:00", "12-02 16:00", None),
    ("closure of a 24 h item", ALWAYS, (REPAIR,), "12-03 10:00", False, None, "12-04 00:00", UPGRADE),
    ("24 h until a closure", ALWAYS, (REPAIR,), "12-02 22:00", True, "12-03 00:00", "12-04 00:00", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("hours", "closures", "now", "open_now", "open_until", "next_open", "reason"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_availability(
    hours: dict[str, list[str]],
    closures: tuple[Closure, ...],
    now: str,
    open_now: bool,
    open_until: str | None,
    next_open: str | None,
    reason: tuple[str, str] | None,
) -> None:
    got = availability(Schedule("Asia/Shanghai", hours, DAYS, closures), at(now))
    assert (got.open_now, got.open_until, got.next_open, got.closed_reason) == (
        open_now,
        iso(open_until),
        iso(next_open),
        reason,
    )


def test_never_open_has_no_next_opening() -> None:
    closed = {d: [] for d in HALL_HOURS}
    got = availability(Schedule("Asia/Shanghai", closed, DAYS), at("2026-12-01 10:00"))
    assert (got.open_now, got.next_open) == (False, None)


def test_answers_in_utc_are_the_same_instants() -> None:
    now = at("2026-12-01 12:30").astimezone(ZoneInfo("UTC"))
    got = availability(Schedule("Asia/Shanghai", HALL_HOURS, DAYS), now)
    assert got.next_open == at("2026-12-01 14:30") and got.next_open.utcoffset() == timedelta(hours=8)


# (start, n working days, due): over weekends, holidays and adjusted working days.
WORKING_DAYS = [
    (date(2026, 12, 1), 0, date(2026, 12, 1)),
    (date(2026, 12, 1), 3, date(2026, 12, 4)),
    (date(2026, 12, 4), 1, date(2026, 12, 7)),  # over a weekend
    (date(2026, 12, 1), 20, date(2026, 12, 29)),
    (date(2026, 9, 30), 1, date(2026, 10, 8)),  # over National Day
    (date(2026, 10, 8), 2, date(2026, 10, 10)),  # Saturday 10 Oct is a working day (调休)
    (date(2026, 9, 18), 1, date(2026, 9, 20)),  # and so is Sunday 20 Sep
    (date(2026, 2, 13), 1, date(2026, 2, 14)),  # Saturday 14 Feb, before the Spring Festival
    (date(2026, 2, 14), 1, date(2026, 2, 24)),  # then nine days off
    (date(2025, 12, 31), 1, date(2026, 1, 4)),  # New Year: 1–3 Jan off, Sunday 4 Jan worked
]


@pytest.mark.parametrize(("start", "n", "due"), WORKING_DAYS)
def test_add_working_days(start: date, n: int, due: date) -> None:
    assert add_working_days(start, n, DAYS) == due


def test_working_days_of_the_2026_notice() -> None:
    assert not is_working_day(date(2026, 5, 5), DAYS) and is_working_day(date(2026, 5, 9), DAYS)
    assert sum(n.kind == "holiday" for n in DAYS.values()) == 33  # 3+9+3+5+3+3+7 days off
    assert sorted(d for d, n in DAYS.items() if n.kind == "workday") == [
        date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28),
        date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10),
    ]  # fmt: skip
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1, DAYS)


def test_describe_in_local_time() -> None:
    moment = datetime.fromisoformat("2026-12-02T01:00:00+00:00")
    assert describe(moment, "Asia/Shanghai") == ("12月2日（周三）09:00", "Wed 2 Dec 09:00")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[[holidays]]\nname="x"\nname_en="x"\nfrom=2026-01-03\nto=2026-01-01\n', "before"),
        ('[[holidays]]\nname="x"\nname_en="x"\nfrom=2027-01-01\nto=2027-01-01\n', "not in 2026"),
        (
            '[[holidays]]\nname="x"\nname_en="x"\nfrom=2026-01-01\nto=2026-01-01\nworkdays=[2026-01-05]\n',
            "weekend",
        ),
        (
            '[[holidays]]\nname="x"\nname_en="x"\nfrom=2026-01-01\nto=2026-01-04\nworkdays=[2026-01-04]\n',
            "twice",
        ),
    ],
)
def test_calendar_file_problems(tmp_path: object, text: str, problem: str) -> None:
    path = tmp_path / "bad.toml"  # type: ignore[operator]
    path.write_text(f'year = 2026\nsource = "test"\n{text}', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_calendar_file(path)
    assert problem in "\n".join(err.value.problems)
