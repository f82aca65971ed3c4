"""The hall configuration file's schema (TOML), validated with pydantic.

`config/hall.example.toml` is the documented example. Unknown keys are errors, so a typo never
passes silently.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..domain.calendar import WEEKDAYS, parse_hhmm, parse_range

Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{3,40}$")]
Key = Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,40}$")]
ZoneKind = Literal["window_service", "consulting", "complaints", "self_service", "waiting", "public"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_hours(value: dict[str, list[str]]) -> dict[str, list[str]]:
    for day, ranges in value.items():
        if day not in WEEKDAYS:
            raise ValueError(f"unknown weekday {day!r}; use {', '.join(WEEKDAYS)}")
        for rng in ranges:
            if not re.fullmatch(r"\d\d:\d\d-\d\d:\d\d", rng):
                raise ValueError(f"{day}: {rng!r} is not HH:MM-HH:MM")
            parse_range(rng)
    return {d: value.get(d, []) for d in WEEKDAYS}


class AppointmentRules(Strict):
    """网上预约: when slots open and the rules of booking, check-in and missed bookings (hall-wide)."""

    days_ahead: int = Field(7, ge=1, le=60)  # slots of day D open `days_ahead` days before, at `release_at`
    release_at: str = "08:00"
    walk_in_share: float = Field(0.25, ge=0, le=1)  # share of each slot's capacity kept for walk-ins
    per_person_per_day: int = Field(2, ge=1, le=20)  # live bookings of one ID for one day, all items
    checkin_early_min: int = Field(30, ge=0, le=240)
    checkin_late_min: int = Field(15, ge=0, le=240)
    miss_limit: int = Field(3, ge=1, le=50)  # this many missed bookings within miss_window_days …
    miss_window_days: int = Field(30, ge=1, le=365)
    miss_block_days: int = Field(7, ge=1, le=365)  # … and the ID may not book for this many days

    @field_validator("release_at")
    @classmethod
    def _release(cls, v: str) -> str:
        if not re.fullmatch(r"\d\d:\d\d", v) or parse_hhmm(v) >= 24 * 60:
            raise ValueError(f"{v!r} is not a time of day HH:MM")
        return v


class AppointmentSlots(Strict):
    """An item that takes appointments: slot length and how many citizens one slot serves."""

    slot_min: int = Field(30, ge=5, le=240)
    capacity: int = Field(ge=1, le=500)


class PriorityClass(Strict):
    """A priority class staff may give a ticket (优先), besides age from the ID card."""

    key: Key
    name: str = Field(min_length=1, max_length=40)
    name_en: str = Field(min_length=1, max_length=80)


DEFAULT_PRIORITY_CLASSES = [
    PriorityClass(key="service", name="军人/消防救援人员", name_en="Service member / firefighter"),
    PriorityClass(key="disability", name="残疾人", name_en="Person with a disability"),
    PriorityClass(key="pregnant", name="孕妇", name_en="Pregnant woman"),
]


class HallSection(Strict):
    code: Key
    name: str = Field(min_length=1, max_length=120)
    name_en: str = Field(min_length=1, max_length=160)
    timezone: str = "Asia/Shanghai"
    day_starts: str = "00:00"
    number_start: int = Field(1, ge=0, le=9999)
    number_width: int = Field(3, ge=1, le=5)
    enforce_hours: bool = True
    priority_age: int = Field(70, ge=50, le=120)
    per_person_daily_total: int = Field(5, ge=0, le=100)  # tickets per ID per day, all items; 0 = no limit
    address: str = ""
    phone: str = ""
    complaint_phone: str = "12345"
    hours: dict[str, list[str]]
    # 常办事项: the items a kiosk offers on one touch from its home screen, in this order.
    common: list[str] = Field(default_factory=list, max_length=12)
    appointments: AppointmentRules | None = None  # None: the hall takes no appointments
    priority_classes: list[PriorityClass] = Field(default_factory=lambda: list(DEFAULT_PRIORITY_CLASSES))
    # Missed calls (过号): a no-show ticket may be reactivated within this many minutes (0: never),
    # rejoining the queue behind the next `rejoin_behind` waiting tickets of its item.
    reactivate_min: int = Field(0, ge=0, le=240)
    rejoin_behind: int = Field(3, ge=0, le=100)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {v!r}") from exc
        return v

    @field_validator("day_starts")
    @classmethod
    def _day_starts(cls, v: str) -> str:
        if not re.fullmatch(r"\d\d:\d\d", v) or parse_hhmm(v) >= 24 * 60:
            raise ValueError(f"{v!r} is not a time of day HH:MM")
        return v

    _hours = field_validator("hours")(_check_hours)


class ZoneSection(Strict):
    key: Key
    name: str = Field(min_length=1, max_length=80)
    name_en: str = Field(min_length=1, max_length=120)
    kind: ZoneKind
    location: str = ""


class MaterialSection(Strict):
    name: str = Field(min_length=1, max_length=120)
    copies: int = Field(1, ge=0, le=20)
    form: Literal["original", "copy", "original_and_copy", "electronic"]
    requirement: Literal["required", "optional", "later"]
    note: str = ""


class ServiceSection(Strict):
    code: Code
    name: str = Field(min_length=1, max_length=80)
    name_en: str = Field(min_length=1, max_length=160)
    prefix: str = Field(pattern=r"^[A-Z]{1,2}$")
    zone: Key
    approval: Literal["single", "joint"]
    legal_basis: str = ""
    agency: str = ""
    applicant_types: list[Literal["legal_person", "natural_person"]] = Field(min_length=1)
    statutory_days: int = Field(ge=0, le=365)
    promised_days: int = Field(ge=0, le=365)
    fee: str = ""
    conditions: list[str] = Field(default_factory=list)
    escalate_after_min: int | None = Field(None, ge=1, le=600)
    daily_quota: int = Field(0, ge=0)
    avg_service_min: int = Field(10, ge=1, le=240)
    id_required: bool = True
    per_person_daily_limit: int = Field(0, ge=0)
    active: bool = True
    hours: dict[str, list[str]] | None = None
    guide_url: str | None = None
    appointment: AppointmentSlots | None = None
    materials: list[MaterialSection] = Field(default_factory=list)

    _hours = field_validator("hours")(lambda v: None if v is None else _check_hours(v))

    @model_validator(mode="after")
    def _limits(self) -> ServiceSection:
        if self.promised_days > self.statutory_days:
            raise ValueError(
                f"promised_days ({self.promised_days}) exceeds statutory_days ({self.statutory_days})"
            )
        return self


class SkillSection(Strict):
    service: Code
    level: int = Field(ge=1, le=4)


class WindowSection(Strict):
    code: str = Field(pattern=r"^[A-Za-z0-9-]{1,20}$")
    name: str = Field(min_length=1, max_length=80)
    name_en: str = ""
    zone: Key
    state: Literal["open", "paused", "closed"] = "open"
    skills: list[SkillSection] = Field(default_factory=list)


class HallFile(Strict):
    hall: HallSection
    zones: list[ZoneSection] = Field(min_length=1)
    services: list[ServiceSection] = Field(min_length=1)
    windows: list[WindowSection] = Field(default_factory=list)
