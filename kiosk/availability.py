"""What the kiosk says about opening hours: pure functions over the server's availability fields.

The server computes (open_now, next_open, closed_reason, self_service, staffed, can_issue); the kiosk
only words it, in the hall's time zone: "办理中", "14:30 开始", "明天 08:30 开始", "今天不办理（国庆节）".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.i18n import pick, strings


def _moment(iso: Any, tz: str) -> datetime | None:
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(tz))


def when_text(iso: Any, tz: str, now: datetime, lang: str) -> str:
    """A coming moment as a citizen says it: "14:30", "明天 08:30", "12月3日（周四）08:30"."""
    moment = _moment(iso, tz)
    if moment is None:
        return ""
    s = strings(lang)
    local_now = now.astimezone(ZoneInfo(tz))
    days = (moment.date() - local_now.date()).days
    hhmm = moment.strftime("%H:%M")
    if days <= 0:
        return hhmm if lang == "en" else f"今天 {hhmm}"
    if days == 1:
        return f"{s['tomorrow']} {hhmm}"
    weekday = s["weekdays"].split(",")[moment.weekday()]
    if lang == "en":
        return f"{weekday} {moment.day} {moment.strftime('%b')} {hhmm}"
    return f"{moment.month}月{moment.day}日（{weekday}）{hhmm}"


def status_text(item: dict[str, Any], tz: str, now: datetime, lang: str) -> str:
    """One short line for a zone or item button: open / opens at … / closed today (why) / self-service."""
    s = strings(lang)
    if item.get("self_service"):
        return s["self_service_label"]
    if item.get("open_now", True):
        if item.get("staffed") is False:
            return s["unstaffed_label"]
        return s["open_now"]
    reason = pick(item, lang, "closed_reason")
    if reason:
        return s["closed_today_reason"].format(reason=reason)
    when = when_text(item.get("next_open"), tz, now, lang)
    return s["opens_at"].format(when=when) if when else s["closed_now"]


def hall_notice(hall: dict[str, Any] | None, tz: str, now: datetime, lang: str) -> str:
    """The home screen's plain sentence when the hall is closed; empty while it is open."""
    if not hall or hall.get("open_now", True):
        return ""
    s = strings(lang)
    reason = pick(hall, lang, "closed_reason")
    when = when_text(hall.get("next_open"), tz, now, lang)
    first = s["hall_closed_reason"].format(reason=reason) if reason else s["hall_closed"]
    second = s["hall_opens"].format(when=when) if when else ""
    return f"{first}\n{second}" if second else first  # two lines: the fact, then when


def refusal(
    reason: str,
    item: dict[str, Any],
    hall: dict[str, Any] | None,
    tz: str,
    now: datetime,
    lang: str,
    *,
    server_text: str = "",
) -> dict[str, str]:
    """The screen of a refused "take a ticket": title (why), detail, next step; never an item code."""
    s = strings(lang)
    name = pick(item, lang)
    phone = str((hall or {}).get("phone") or (hall or {}).get("complaint_phone") or "")
    if reason == "closed":
        when = when_text(item.get("next_open"), tz, now, lang)
        why = pick(item, lang, "closed_reason")
        detail = s["closed_today_reason"].format(reason=why) + s["sentence_gap"] if why else ""
        detail += s["next_open_at"].format(when=when) if when else s["next_open_unknown"]
        return {
            "kind": reason,
            "title": s["refuse_closed"].format(name=name),
            "detail": server_text or detail,
            "next": s["next_closed"],
        }
    if reason == "self_service":
        where = str(item.get("zone_location") or pick(item, lang, "zone_name") or "")
        return {
            "kind": reason,
            "title": s["refuse_self_service"],
            "detail": s["go_to"].format(where=where) if where else s["go_to_self_service"],
            "next": s["next_self_service"],
        }
    if reason == "unstaffed":
        return {
            "kind": reason,
            "title": s["refuse_unstaffed"].format(name=name),
            "detail": server_text or s["unstaffed_detail"],
            "next": s["next_unstaffed"].format(phone=phone) if phone else s["next_unstaffed_desk"],
        }
    # kiosk_down: this kiosk cannot issue (server unreachable, printer); another one may.
    return {"kind": reason, "title": s["refuse_kiosk"], "detail": server_text, "next": s["next_kiosk"]}
