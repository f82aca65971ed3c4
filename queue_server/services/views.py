"""What the outside world sees of the model: plain dicts, never personal data beyond masks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..db.models import Service, Ticket, Window


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def ticket(
    t: Ticket,
    ahead: int | None = None,
    eta: tuple[int | None, int | None] = (None, None),
    status_url: str | None = None,
    *,
    for_holder: bool = False,
) -> dict[str, Any]:
    """The staff view of a ticket (masked identity only); `for_holder`: the issuing answer, which alone
    carries the token (it is printed on the ticket, and rating by it is the holder's)."""
    view = {
        "id": t.id,
        "number": t.number,
        "service": t.service.code,
        "service_name": t.service.name,
        "service_name_en": t.service.name_en,
        "zone": t.service.zone.key,
        "status": t.status,
        "priority_class": t.priority_class,
        "channel": t.channel,
        "window": t.window.code if t.window else None,
        "target_window": t.target_window.code if t.target_window else None,
        "recall_count": t.recall_count,
        "waiting_ahead": ahead,
        "eta_min": eta[0],
        "eta_max": eta[1],
        "status_url": status_url,
        "issued_at": iso(t.issued_at),
        "called_at": iso(t.called_at),
        "started_at": iso(t.started_at),
        "ended_at": iso(t.ended_at),
        "id_masked": t.id_masked,
        "name_masked": t.name_masked,
        **priority_of(t),
    }
    if for_holder:
        view["token"] = t.token
    return view


def priority_of(t: Ticket) -> dict[str, Any]:
    """The priority class staff gave the ticket (优先), with its names from the hall file."""
    kind = getattr(t, "priority_kind", None)
    names = {"key": kind, "name": kind, "name_en": kind}
    if kind is not None:
        names = next((c for c in t.service.hall.priority_classes if c["key"] == kind), names)
    return {"priority_kind": kind, "priority_name": names["name"], "priority_name_en": names["name_en"]}


def public_ticket(t: Ticket, ahead: int | None, eta: tuple[int | None, int | None]) -> dict[str, Any]:
    """What anyone holding the ticket's token may see: no personal data at all."""
    return {
        "number": t.number,
        "service": t.service.code,
        "service_name": t.service.name,
        "service_name_en": t.service.name_en,
        "zone": t.service.zone.key,
        "zone_name": t.service.zone.name,
        "status": t.status,
        "waiting_ahead": ahead,
        "eta_min": eta[0],
        "eta_max": eta[1],
        "window": t.window.code if t.window else None,
        "window_name": t.window.name if t.window else None,
        "issued_at": iso(t.issued_at),
        "called_at": iso(t.called_at),
        "recall_count": t.recall_count,
    }


def window(w: Window, current: Ticket | None) -> dict[str, Any]:
    return {
        "code": w.code,
        "name": w.name,
        "name_en": w.name_en,
        "zone": w.zone.key,
        "state": w.state,
        "skills": [{"service": s.service.code, "level": s.level} for s in w.skills],
        "clerk": w.post.user.username if w.post else None,  # the signed-in clerk (staff username)
        "current": None
        if current is None
        else {
            "id": current.id,
            "number": current.number,
            "service": current.service.code,
            "status": current.status,
            "priority_class": current.priority_class,
            "called_at": iso(current.called_at),
            "recall_count": current.recall_count,
        },
    }


def service_summary(s: Service, waiting: int) -> dict[str, Any]:
    return {
        "code": s.code,
        "name": s.name,
        "name_en": s.name_en,
        "prefix": s.prefix,
        "zone": s.zone.key,
        "waiting": waiting,
        "id_required": s.id_required,
        "active": s.active,
    }


def window_audit(w: Window) -> dict[str, Any]:
    return {
        "zone": w.zone.key,
        "state": w.state,
        "skills": sorted([s.service.code, s.level] for s in w.skills),
    }


def ticket_audit(t: Ticket) -> dict[str, Any]:
    return {
        "number": t.number,
        "status": t.status,
        "service": t.service.code,
        "window": t.window.code if t.window else None,
        "recall_count": t.recall_count,
        "priority_class": t.priority_class,
        "priority_kind": getattr(t, "priority_kind", None),
    }
