"""The yearly holiday calendar file (`config/calendar/YYYY.toml`, format in docs/calendar.md)."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..domain.calendar import DayNote
from .load import ConfigError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class HolidaySection(_Strict):
    name: str = Field(min_length=1, max_length=40)
    name_en: str = Field(min_length=1, max_length=80)
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    workdays: list[date] = Field(default_factory=list)

    @model_validator(mode="after")
    def _order(self) -> HolidaySection:
        if self.end < self.start:
            raise ValueError(f"{self.name}: 'to' ({self.end}) is before 'from' ({self.start})")
        for day in self.workdays:
            if day.weekday() < 5:
                raise ValueError(
                    f"{self.name}: workday {day} is a {day:%A}: adjusted working days are weekends"
                )
        return self


class CalendarFile(_Strict):
    year: int = Field(ge=2000, le=2100)
    source: str = Field(min_length=1)
    holidays: list[HolidaySection] = Field(default_factory=list)

    @model_validator(mode="after")
    def _days(self) -> CalendarFile:
        self.days()  # raises on overlaps and dates outside the year
        return self

    def days(self) -> dict[date, DayNote]:
        out: dict[date, DayNote] = {}

        def put(day: date, note: DayNote) -> None:
            if day.year != self.year:
                raise ValueError(f"{note.name}: {day} is not in {self.year}")
            if day in out:
                raise ValueError(f"{day} is listed twice ({out[day].name}, {note.name})")
            out[day] = note

        for h in self.holidays:
            for n in range((h.end - h.start).days + 1):
                put(h.start + timedelta(days=n), DayNote("holiday", h.name, h.name_en))
            for day in h.workdays:
                put(day, DayNote("workday", h.name, h.name_en))
        return out


def load_calendar_file(path: str | Path) -> CalendarFile:
    path = Path(path)
    try:
        return CalendarFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError([f"{path}: {exc}"]) from exc
    except ValidationError as exc:
        raise ConfigError(
            [f"{path}: {'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in exc.errors()]
        ) from exc


def beside(hall_file: str | Path) -> list[Path]:
    """The calendar files that go with a hall file: `calendar/*.toml` in the hall file's folder."""
    return sorted((Path(hall_file).resolve().parent / "calendar").glob("*.toml"))
