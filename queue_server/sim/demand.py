"""The demand file (`config/demand.example.toml` documents it) and the day it describes: the hall's
windows as staffed that day and the arrivals, drawn with a seed."""

from __future__ import annotations

import itertools
import math
import random
import tomllib
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..domain.calendar import WEEKDAYS, Schedule, parse_hhmm, parse_range
from ..hall_config.load import ConfigError
from ..hall_config.schema import HallFile
from .model import Arrival, Behaviour, Item, Post, Scenario, Span


def _share(default: float = 0.0) -> float:
    return Field(default, ge=0, le=1)  # type: ignore[no-any-return]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Defaults(_Strict):
    cv: float = Field(0.6, gt=0, le=3)
    priority_share: float = _share()
    no_show_share: float = _share()
    late_share: float = _share()
    transfer_share: float = _share()
    recall_after_min: float = Field(1.0, ge=0, le=30)
    no_show_after_min: float = Field(3.0, ge=0, le=30)
    transfer_after_min: float = Field(3.0, ge=0, le=60)
    backup_slowdown: float = Field(1.0, ge=1, le=3)
    serve_out_at_breaks: bool = False
    threshold_min: float = Field(30, gt=0, le=600)
    appointment_early_min: float = Field(15, ge=0, le=120)
    appointment_late_min: float = Field(5, ge=0, le=120)


class ItemDemand(_Strict):
    service: str
    tickets: float = Field(ge=0, le=10_000_000)  # walk-ins expected over the day
    mean_min: float | None = Field(None, gt=0, le=480)  # default: the item's avg_service_min
    cv: float | None = Field(None, gt=0, le=3)
    distribution: Literal["lognormal", "exponential"] = "lognormal"
    appointments: int = Field(0, ge=0, le=10_000)
    transfer_share: float | None = Field(None, ge=0, le=1)
    transfer_to: str | None = None


class Break(_Strict):
    window: str
    at: str

    _at = field_validator("at")(lambda v: (parse_range(v), v)[1])


class Staffing(_Strict):
    window: str
    hours: list[str]

    _hours = field_validator("hours")(lambda v: ([parse_range(r) for r in v], v)[1])


class Variant(_Strict):
    name: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    label: str
    add: str | None = None  # one more window with this window's skills, zone and hours
    move: str | None = None  # this window takes the zone and skills of `like`
    like: str | None = None
    backup: list[str] = Field(default_factory=list)  # these windows ("*": all) also hold, at `level`,
    items_of: list[str] = Field(default_factory=list)  # the level-1 items of these windows (empty: all)
    level: int = Field(3, ge=2, le=4)

    @model_validator(mode="after")
    def _one(self) -> Variant:
        kinds = (self.add is not None) + (self.move is not None) + bool(self.backup)
        if kinds != 1 or (self.move is not None and self.like is None):
            raise ValueError(
                "a variant needs one of: add = WINDOW; move = WINDOW with like = WINDOW; backup = [WINDOW, …]"
            )
        return self


class DemandFile(_Strict):
    date: date
    profile: dict[str, float] = Field(min_length=1)
    defaults: Defaults = Field(default_factory=Defaults)
    items: list[ItemDemand] = Field(min_length=1)
    breaks: list[Break] = Field(default_factory=list)
    staffing: list[Staffing] = Field(default_factory=list)
    variants: list[Variant] = Field(default_factory=list)

    @field_validator("profile")
    @classmethod
    def _profile(cls, v: dict[str, float]) -> dict[str, float]:
        for at, weight in v.items():
            parse_hhmm(at)
            if weight < 0:
                raise ValueError(f"{at}: a weight is never negative")
        return v


def load_demand(path: str | Path, hall: HallFile) -> DemandFile:
    path = Path(path)
    try:
        demand = DemandFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError([f"{path}: {exc}"]) from exc
    except ValidationError as exc:
        raise ConfigError(
            [f"{path}: {'.'.join(map(str, e['loc'])) or '(top)'}: {e['msg']}" for e in exc.errors()]
        ) from exc
    items, windows = {s.code for s in hall.services}, {w.code for w in hall.windows}
    problems = [f"unknown service item {d.service!r}" for d in demand.items if d.service not in items]
    problems += [
        f"unknown transfer_to {d.transfer_to!r}"
        for d in demand.items
        if d.transfer_to and d.transfer_to not in items
    ]
    named = [b.window for b in demand.breaks] + [s.window for s in demand.staffing]
    named += [w for v in demand.variants for w in (v.add, v.move, v.like, *v.items_of) if w]
    named += [w for v in demand.variants for w in v.backup if w != "*"]
    problems += [f"unknown window {w!r}" for w in named if w not in windows]
    if problems:
        raise ConfigError([f"{path}: {p}" for p in problems])
    return demand


def scenario(hall: HallFile, demand: DemandFile, seed: int, scale: int = 1) -> Scenario:
    """The day: the hall's windows (each `scale` times, for a bigger hall) and the arrivals."""
    d = demand.defaults
    hours = tuple(parse_range(r) for r in hall.hall.hours[WEEKDAYS[demand.date.weekday()]])
    items = {
        s.code: Item(
            s.code, s.name, s.avg_service_min, s.escalate_after_min, s.escalate_after_min or d.threshold_min
        )
        for s in hall.services
        if s.active
    }
    breaks: dict[str, list[Span]] = {}
    for b in demand.breaks:
        breaks.setdefault(b.window, []).append(parse_range(b.at))
    staffed = {s.window: tuple(parse_range(r) for r in s.hours) for s in demand.staffing}
    windows = [
        Post(
            w.code,
            w.zone,
            {k.service: k.level for k in w.skills if k.service in items},
            staffed.get(w.code, hours),
            tuple(breaks.get(w.code, ())),
            frozenset(k.service for k in w.skills if k.level == 1),
        )
        for w in hall.windows
        if w.state != "closed"
    ]
    windows += [replace(w, code=f"{w.code}-{n}") for n in range(2, scale + 1) for w in windows]
    midnight = datetime.combine(demand.date, time(0), ZoneInfo(hall.hall.timezone))
    behaviour = Behaviour(
        d.recall_after_min,
        d.no_show_after_min,
        d.transfer_after_min,
        d.backup_slowdown,
        d.serve_out_at_breaks,
    )
    arrivals = draw_arrivals(demand, items, hours, random.Random(seed), scale)
    schedules = {
        s.code: Schedule(hall.hall.timezone, s.hours or hall.hall.hours)
        for s in hall.services
        if s.code in items
    }
    return Scenario(items, tuple(windows), arrivals, midnight, behaviour, schedules)


def _pieces(profile: dict[str, float], hours: tuple[Span, ...]) -> list[tuple[float, float, float]]:
    """(start, end, weight) pieces of the opening hours; the weight holds from its time on."""
    marks = sorted((parse_hhmm(at), w) for at, w in profile.items())
    out = []
    for a, b in hours:
        cuts = sorted({a, b, *(m for m, _ in marks if a < m < b)})
        for s, e in itertools.pairwise(cuts):
            weight = next((w for m, w in reversed(marks) if m <= s), marks[0][1])
            out.append((s, e, weight))
    return out


def draw_arrivals(
    demand: DemandFile, items: dict[str, Item], hours: tuple[Span, ...], rng: random.Random, scale: int = 1
) -> tuple[Arrival, ...]:
    """Walk-ins: a Poisson process per item whose rate follows the profile; appointments: booked on
    half-hour slots, arriving between `appointment_early_min` early and `appointment_late_min` late."""
    d = demand.defaults
    pieces = _pieces(demand.profile, hours)
    total = sum((e - s) * w for s, e, w in pieces)
    by_code = {i.service: i for i in demand.items}
    drawn: list[dict[str, object]] = []

    def service(code: str) -> float:
        spec = by_code.get(code)
        mean = (spec.mean_min if spec else None) or items[code].configured_min
        if spec is not None and spec.distribution == "exponential":
            return rng.expovariate(1 / mean)
        cv = (spec.cv if spec else None) or d.cv
        sigma = math.sqrt(math.log1p(cv * cv))
        return rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)

    def citizen(spec: ItemDemand, t: float, **extra: object) -> None:
        transfer = (
            spec.transfer_to
            if rng.random() < (spec.transfer_share if spec.transfer_share is not None else d.transfer_share)
            else None
        )
        drawn.append(
            {
                "t": t,
                "item": spec.service,
                "service_min": service(spec.service),
                "priority_class": "priority" if rng.random() < d.priority_share else "normal",
                "no_show": rng.random() < d.no_show_share,
                "late": rng.random() < d.late_share,
                "transfer_to": transfer,
                "transfer_service_min": service(transfer) if transfer else 0.0,
                **extra,
            }
        )

    slots = [float(t) for a, b in hours for t in range(int(a), int(b) - 29, 30)]
    for spec in demand.items:
        if spec.service not in items:
            continue
        for s, e, w in pieces:
            rate = spec.tickets * scale * w / total if total else 0.0
            t = s
            while rate > 0:
                t += rng.expovariate(rate)
                if t >= e:
                    break
                citizen(spec, t)
        for _ in range(spec.appointments * scale):
            slot = rng.choice(slots)
            t = slot + rng.uniform(-d.appointment_early_min, d.appointment_late_min)
            a, b = next(span for span in hours if span[0] <= slot < span[1])
            t = min(max(t, a), b - 0.01)  # the kiosk issues within opening hours only
            citizen(spec, t, priority_class="appointment", appointment_at=slot)
    drawn.sort(key=lambda x: x["t"])  # type: ignore[arg-type, return-value]
    return tuple(Arrival(id=n, **x) for n, x in enumerate(drawn, 1))  # type: ignore[arg-type]


def single_item_day(
    servers: int, rate_per_min: float, mean_min: float, minutes: float, seed: int
) -> Scenario:
    """The textbook M/M/c hall: one item, identical windows open all along, Poisson arrivals,
    exponential service (to check the simulator against Erlang C)."""
    demand = DemandFile(
        date=date(2026, 11, 25),
        profile={"00:00": 1.0},
        items=[
            ItemDemand(
                service="A", tickets=rate_per_min * minutes, mean_min=mean_min, distribution="exponential"
            )
        ],
    )
    items = {"A": Item("A", "A", mean_min, None, 30)}
    hours = ((0.0, minutes),)
    arrivals = draw_arrivals(demand, items, hours, random.Random(seed))
    windows = tuple(Post(f"{n:02d}", "z", {"A": 1}, hours, (), frozenset({"A"})) for n in range(servers))
    return Scenario(items, windows, arrivals, datetime.combine(demand.date, time(0), ZoneInfo("UTC")))
