"""Plain values the simulator works on. Times are minutes after the simulated day's local midnight."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from ..domain.calendar import Schedule

Span = tuple[float, float]
Rule = Literal["fcfs", "routing"]


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    configured_min: float  # the hall file's avg_service_min: what the estimator knows
    escalate_after_min: float | None  # the routing rule's threshold (None: never escalates)
    threshold_min: float  # the "waited too long" yardstick: escalate_after_min or the demand default


@dataclass(frozen=True)
class Post:
    """A window as staffed on the simulated day."""

    code: str
    zone: str
    skills: Mapping[str, int]  # item code -> level 1..4
    sessions: tuple[Span, ...]  # staffed spans (opening hours)
    breaks: tuple[Span, ...] = ()  # the clerk's breaks inside them (the window is paused)
    home: frozenset[str] = frozenset()  # items it holds at level 1 in the hall file (its clerk's trade)


@dataclass(frozen=True)
class Arrival:
    """A citizen and everything that will happen to them, drawn before any policy runs, so that every
    policy sees the same day (common random numbers)."""

    id: int
    t: float
    item: str
    service_min: float  # at a window whose clerk's trade it is
    priority_class: Literal["normal", "appointment", "priority"] = "normal"
    appointment_at: float | None = None
    no_show: bool = False  # gone when called: the clerk recalls, waits, marks no-show
    late: bool = False  # comes only after the recall
    transfer_to: str | None = None  # the clerk transfers the ticket to this item after a short look
    transfer_service_min: float = 0.0  # service at the item transferred to


@dataclass(frozen=True)
class Behaviour:
    recall_after_min: float = 1.0  # a called citizen who does not come is recalled after this
    no_show_after_min: float = 3.0  # and marked no-show this long after the first call
    transfer_after_min: float = 3.0  # time at the first window before a transfer
    backup_slowdown: float = 1.0  # service time factor at a window whose clerk's trade the item is not
    serve_out_at_breaks: bool = False  # clerks serve the queue out before lunch too, not only at day's end
    recent_n: int = 20  # recent service times the estimate uses (services/queue.py)


@dataclass(frozen=True)
class Scenario:
    """One hall day: items, the hall's windows as configured, and the arrivals."""

    items: Mapping[str, Item]
    windows: tuple[Post, ...]
    arrivals: tuple[Arrival, ...]
    midnight: datetime  # local midnight of the day, time-zone aware (the routing rule compares datetimes)
    behaviour: Behaviour = field(default_factory=Behaviour)
    schedules: Mapping[str, Schedule] = field(default_factory=dict)  # item -> hours, for lunch in the ETA


@dataclass(frozen=True)
class Policy:
    name: str
    label: str  # Chinese / English, for tables and plots
    windows: tuple[Post, ...]
    rule: Rule  # "fcfs": oldest ticket among the window's items; "routing": domain/routing.py
