"""What the screens show: time zone, wait ranges, hours, material labels, masking."""

from __future__ import annotations

from kiosk.present import eta_text, guide_view, hours_text, local_time, ticket_view


def test_times_are_shown_in_the_halls_time_zone() -> None:
    # 17:30 UTC is 01:30 the next morning in Shanghai: no 8-hour shift bugs.
    assert local_time("2026-11-26T17:30:00+00:00", "Asia/Shanghai") == "01:30"
    assert local_time("2026-11-26T09:41:00Z", "Asia/Shanghai", "%Y-%m-%d %H:%M") == "2026-11-26 17:41"
    assert local_time(None, "Asia/Shanghai") == ""


def test_wait_is_a_range_or_unknown() -> None:
    assert eta_text(10, 25, "zh") == "10–25 分钟"
    assert eta_text(5, 5, "en") == "5 min"
    assert eta_text(None, None, "zh") == "暂无法估计"
    assert eta_text(0, 0, "zh") == "即将叫号"  # a window is free for it now, not "0 分钟"
    assert eta_text(0, 0, "en") == "You will be called shortly"


def test_opening_hours_are_grouped() -> None:
    week = {d: ["08:30-12:00", "14:30-17:30"] for d in ("mon", "tue", "wed", "thu", "fri")}
    week |= {"sat": ["09:00-12:00"], "sun": []}
    assert hours_text(week, "zh") == "周一至周五 08:30-12:00, 14:30-17:30; 周六 09:00-12:00"
    assert hours_text(week, "en").startswith("Mon–Fri 08:30")


def test_materials_carry_their_requirement_label() -> None:
    guide = {
        "code": "X",
        "name": "事项",
        "name_en": "Item",
        "materials": [
            {"name": "申请书", "copies": 1, "form": "original", "requirement": "required", "note": ""},
            {"name": "委托书", "copies": 2, "form": "copy", "requirement": "optional", "note": ""},
            {
                "name": "证明",
                "copies": 1,
                "form": "original_and_copy",
                "requirement": "later",
                "note": "30 日内",
            },
        ],
        "statutory_days": 20,
        "promised_days": 0,
        "fee": None,
    }
    zh = guide_view(guide, "zh")
    assert [m["requirementLabel"] for m in zh["materials"]] == ["必需", "非必需", "可容缺后补"]
    assert zh["materials"][1]["form"] == "复印件" and zh["materials"][1]["copiesText"] == "2 份"
    assert guide_view(guide, "en")["materials"][0]["copiesText"] == "1 copy"
    assert zh["promised"] == "即办" and zh["statutory"] == "20 个工作日" and zh["fee"] == "—"
    en = guide_view(guide, "en")
    assert en["name"] == "Item"
    labels = [m["requirementLabel"] for m in en["materials"]]
    assert labels == ["Required", "Optional", "May be supplied later"]


def test_ticket_view_uses_english_service_name_and_window_name() -> None:
    ticket = {
        "number": "B003",
        "service_name": "营业执照",
        "service_name_en": "Business licence",
        "status": "called",
        "waiting_ahead": None,
        "eta_min": None,
        "eta_max": None,
        "window": "01",
        "window_name": "1号窗口",
        "issued_at": "2026-11-26T01:00:00+00:00",
    }
    view = ticket_view(ticket, "en", "Asia/Shanghai")
    assert view["serviceName"] == "Business licence"
    assert view["window"] == "1号窗口"
    assert view["statusText"].startswith("Called")
    assert view["issuedAt"] == "09:00"
