"""Pure functions that turn API documents into what the screens show, in the chosen language."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.i18n import STATUS_KEYS, pick, strings

REQUIREMENT_KEYS = {
    "required": "req_required", "optional": "req_optional", "later": "req_later",
    "tolerated": "req_later", "may_be_later": "req_later", "supply_later": "req_later",
}


def local_time(iso: str | None, tz: str, fmt: str = "%H:%M") -> str:
    """An ISO timestamp from the server shown in the hall's time zone."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(tz)).strftime(fmt)


def eta_text(eta_min: Any, eta_max: Any, lang: str) -> str:
    s = strings(lang)
    if eta_min is None and eta_max is None:
        return s["eta_unknown"]
    low = int(eta_min if eta_min is not None else eta_max)
    high = int(eta_max if eta_max is not None else eta_min)
    if high == 0:  # a window is free for it now: "0 minutes" reads like a fault
        return s["eta_now"]
    span = f"{low}" if low == high else f"{low}–{high}"
    return f"{span} {s['minutes']}"


def zone_view(zone: dict[str, Any], lang: str, service_count: int, status: str) -> dict[str, Any]:
    return {"key": zone.get("key", ""), "name": pick(zone, lang), "location": str(zone.get("location") or ""),
            "open": bool(zone.get("open_now")), "waiting": int(zone.get("waiting") or 0),
            "count": service_count, "kind": str(zone.get("kind") or ""), "status": status,
            "selfService": bool(zone.get("self_service"))}


def service_view(service: dict[str, Any], lang: str, status: str) -> dict[str, Any]:
    """`status`: the availability line (open / opens at … / closed today), see kiosk/availability.py."""
    return {"code": service.get("code", ""), "name": pick(service, lang), "prefix": service.get("prefix", ""),
            "open": bool(service.get("open_now")), "waiting": int(service.get("waiting") or 0),
            "idRequired": bool(service.get("id_required")), "zone": service.get("zone", ""), "status": status,
            "selfService": bool(service.get("self_service"))}


FORM_KEYS = {"original": "form_original", "copy": "form_copy", "original_and_copy": "form_both",
             "electronic": "form_electronic"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def hours_text(hours: Any, lang: str) -> str:
    """{"mon": ["08:30-12:00", …], …} → "周一至周五 08:30-12:00, 14:30-17:30"; strings pass through."""
    if not isinstance(hours, dict):
        return str(hours or "")
    s = strings(lang)
    names = s["weekdays"].split(",")
    groups: list[tuple[list[int], str]] = []
    for index, day in enumerate(WEEKDAYS):
        spans = ", ".join(hours.get(day) or [])
        if not spans:
            continue
        if groups and groups[-1][1] == spans and groups[-1][0][-1] == index - 1:
            groups[-1][0].append(index)
        else:
            groups.append(([index], spans))
    parts = []
    for days, spans in groups:
        label = names[days[0]] if len(days) == 1 else f"{names[days[0]]}{s['to']}{names[days[-1]]}"
        parts.append(f"{label} {spans}")
    return "; ".join(parts) or s["closed_now"]


def copies_text(copies: int, lang: str) -> str:
    if lang == "en":
        return f"{copies} {'copy' if copies == 1 else 'copies'}"
    return f"{copies} 份"


def days_text(days: Any, lang: str) -> str:
    s = strings(lang)
    if days is None or days == "":
        return "—"
    if int(days) == 0:
        return s["same_day"]
    return f"{days} {s['days']}"


def guide_view(guide: dict[str, Any], lang: str) -> dict[str, Any]:
    s = strings(lang)
    materials = []
    for m in guide.get("materials") or []:
        key = REQUIREMENT_KEYS.get(str(m.get("requirement") or "required"))
        form = str(m.get("form") or "")
        materials.append({
            "name": str(m.get("name") or ""), "copies": int(m.get("copies") or 1),
            "copiesText": copies_text(int(m.get("copies") or 1), lang),
            "form": s[FORM_KEYS[form]] if form in FORM_KEYS else form, "note": str(m.get("note") or ""),
            "requirement": str(m.get("requirement") or "required"),
            "requirementLabel": s[key] if key else str(m.get("requirement")),
        })
    windows = ", ".join(str(w.get("name") or w.get("code")) for w in guide.get("windows") or [])
    fee = guide.get("fee")
    return {
        "code": guide.get("code", ""), "name": pick(guide, lang), "prefix": guide.get("prefix", ""),
        "zoneName": pick(guide, lang, "zone_name") if guide.get("zone_name") else "",
        "location": str(guide.get("zone_location") or ""),
        "agency": str(guide.get("agency") or ""), "legalBasis": str(guide.get("legal_basis") or ""),
        "conditions": [str(c) for c in guide.get("conditions") or []],
        "materials": materials,
        "statutory": days_text(guide.get("statutory_days"), lang),
        "promised": days_text(guide.get("promised_days"), lang),
        "fee": str(fee) if fee not in (None, "") else "—",
        "hours": hours_text(guide.get("hours"), lang), "windows": windows,
        "open": bool(guide.get("open_now")), "idRequired": bool(guide.get("id_required")),
        "guideUrl": str(guide.get("guide_url") or ""),
    }


def status_text(status: str, lang: str) -> str:
    key = STATUS_KEYS.get(status)
    return strings(lang)[key] if key else status


def ticket_view(ticket: dict[str, Any], lang: str, tz: str) -> dict[str, Any]:
    window = ticket.get("window_name") or ticket.get("window")
    if isinstance(window, dict):
        window = window.get("name") or window.get("code")
    return {
        "number": str(ticket.get("number") or ""),
        "serviceName": pick(ticket, lang, "service_name") or str(ticket.get("service") or ""),
        "status": str(ticket.get("status") or ""),
        "statusText": status_text(str(ticket.get("status") or ""), lang),
        "waitingAhead": int(ticket.get("waiting_ahead") or 0),
        "eta": eta_text(ticket.get("eta_min"), ticket.get("eta_max"), lang),
        "window": str(window or ""),
        "issuedAt": local_time(ticket.get("issued_at"), tz),
        "priority": ticket.get("priority_class") == "priority",
        "calledAt": local_time(ticket.get("called_at"), tz),
    }
