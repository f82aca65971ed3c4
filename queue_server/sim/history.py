"""A business day's real tickets as the simulator's arrivals: the managers' "what if"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from .model import Arrival, Item, Post, Scenario, Span


@dataclass(frozen=True)
class PastTicket:
    """One original ticket of the day (not a transfer's successor), in minutes after local midnight."""

    id: int
    item: str
    issued: float
    status: str
    priority_class: str = "normal"
    appointment_at: float | None = None
    called: float | None = None
    service_min: float | None = None  # started → ended, when it was served
    transfer_to: str | None = None
    transfer_service_min: float | None = None


def replay(
    items: dict[str, Item], windows: Sequence[Post], past: Sequence[PastTicket], midnight: datetime
) -> Scenario:
    """The day again: the same citizens at the same minutes, with the service times they really took
    (the item's configured average when none was recorded); no-shows again no-shows. A ticket cancelled
    before it was called needed no window and is left out."""
    arrivals = []
    for t in sorted(past, key=lambda p: (p.issued, p.id)):
        if t.item not in items or (t.status == "cancelled" and t.called is None):
            continue
        transfer = t.transfer_to if t.transfer_to in items else None
        arrivals.append(
            Arrival(
                id=len(arrivals) + 1,
                t=t.issued,
                item=t.item,
                service_min=t.service_min or items[t.item].configured_min,
                priority_class=t.priority_class,  # type: ignore[arg-type]
                appointment_at=t.appointment_at,
                no_show=t.status == "no_show",
                transfer_to=transfer,
                transfer_service_min=(t.transfer_service_min or items[transfer].configured_min)
                if transfer
                else 0.0,
            )
        )
    return Scenario(items, tuple(windows), tuple(arrivals), midnight)


def staffed(hours: Sequence[Span], issued: Sequence[float]) -> tuple[Span, ...]:
    """The windows' sessions: the opening hours, or, when tickets were issued outside them (a hall
    that does not enforce its hours), from the first ticket to the last one."""
    if issued and not all(any(a <= t < b for a, b in hours) for t in issued):
        return ((min([*issued, *(a for a, _ in hours)]), max([*issued, *(b for _, b in hours)]) + 1),)
    return tuple(hours)
