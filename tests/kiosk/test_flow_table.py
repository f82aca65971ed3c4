"""The kiosk's flow table and availability wording, without Qt: the README shows the real table,
every screen has its QML and a way home, and after hours is decided before identity."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk import availability, flow

ROOT = Path(__file__).resolve().parents[2]
TZ = "Asia/Shanghai"
NIGHT = datetime(2026, 12, 1, 21, 45, tzinfo=ZoneInfo(TZ))  # a Tuesday, after hours
CODE = "510403-XK-SC-001"


def test_readme_shows_the_table_of_the_code() -> None:
    readme = (ROOT / "kiosk" / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- flow-table:start -->\n(.*?)<!-- flow-table:end -->", readme, re.S)
    assert found, "kiosk/README.md lost its flow-table markers"
    assert found.group(1) == flow.markdown(), "README table differs: run python -m kiosk.flow --markdown"


def test_every_screen_has_its_qml_and_every_qml_screen_is_in_the_table() -> None:
    files = {
        p.name.removesuffix("Screen.qml") for p in (ROOT / "kiosk" / "qml" / "screens").glob("*Screen.qml")
    }
    assert files == {s[0].upper() + s[1:] for s in flow.SCREENS}
    for (screen, event), target in flow.TRANSITIONS.items():
        assert screen in flow.SCREENS and target in flow.SCREENS and event in flow.EVENTS


def test_home_is_reachable_from_every_screen_but_a_running_request() -> None:
    for screen in flow.SCREENS:
        if screen in ("home", *flow.BUSY):
            assert flow.next_screen(screen, "home") is None
        else:
            assert flow.next_screen(screen, "home") == "home"
            assert flow.next_screen(screen, "idle") == "home"
    # issuing always ends: every outcome of the issue job leads somewhere
    for outcome in ("issued", "refused", "failed", "kiosk_down", *flow.REFUSALS):
        assert flow.next_screen("issuing", outcome) is not None
    # so does a check-in: a ticket, or a screen that says why not
    for outcome in ("checked_in", "checkin_refused", "failed"):
        assert flow.next_screen("checkingIn", outcome) is not None


@pytest.mark.parametrize(
    ("item", "online", "printer_ok", "event"),
    [
        ({"can_issue": True, "open_now": True}, True, True, "take"),
        (
            {"can_issue": False, "open_now": False, "next_open": "2026-12-02T08:30:00+08:00"},
            True,
            True,
            "closed",
        ),
        ({"can_issue": False, "open_now": True, "staffed": False}, True, True, "unstaffed"),
        ({"can_issue": False, "open_now": True, "self_service": True}, True, True, "self_service"),
        ({"can_issue": True, "open_now": True}, False, True, "kiosk_down"),
        ({"can_issue": True, "open_now": True}, True, False, "kiosk_down"),
        ({"open_now": True}, True, True, "take"),  # a server without the availability fields
    ],
)
def test_take_is_decided_before_identity(item: dict, online: bool, printer_ok: bool, event: str) -> None:
    assert flow.take_event(online=online, printer_ok=printer_ok, item=item) == event
    target = flow.next_screen("guide", event)
    assert target == ("identity" if event == "take" else "unavailable")


def test_the_servers_late_refusals_are_the_same_events() -> None:
    for code in ("closed", "unstaffed", "self_service"):
        assert flow.next_screen("issuing", code) == "unavailable"
    assert flow.next_screen("issuing", "refused") == "error"
    assert flow.next_screen("error", "retry") == "issuing"


def test_after_hours_lookup_and_notice_stay_open() -> None:
    assert flow.next_screen("unavailable", "lookup") == "lookup"
    assert flow.next_screen("home", "lookup") == "lookup"
    assert flow.next_screen("unavailable", "back") == "guide"


CLOSED_TONIGHT = {
    "code": CODE,
    "name": "营业执照（企业设立）",
    "name_en": "Business licence",
    "open_now": False,
    "next_open": "2026-12-02T08:30:00+08:00",
    "can_issue": False,
    "zone_name": "企业服务区",
}


@pytest.mark.parametrize(
    ("item", "lang", "expected"),
    [
        ({"open_now": True, "staffed": True}, "zh", "办理中"),
        ({"open_now": True, "staffed": False}, "zh", "窗口暂无工作人员"),
        ({"self_service": True, "open_now": True}, "zh", "自助办理，无需取号"),
        (CLOSED_TONIGHT, "zh", "明天 08:30 开始办理"),
        (CLOSED_TONIGHT, "en", "Opens tomorrow 08:30"),
        ({"open_now": False, "next_open": "2026-12-01T22:30:00+08:00"}, "zh", "今天 22:30 开始办理"),
        (
            {"open_now": False, "next_open": "2026-12-03T08:30:00+08:00"},
            "zh",
            "12月3日（周四）08:30 开始办理",
        ),
        (
            {
                "open_now": False,
                "closed_reason": "元旦",
                "closed_reason_en": "New Year's Day",
                "next_open": "2026-12-02T08:30:00+08:00",
            },
            "zh",
            "今天元旦，不办理",
        ),
        (
            {"open_now": False, "closed_reason": "元旦", "closed_reason_en": "New Year's Day"},
            "en",
            "Closed today (New Year's Day)",
        ),
        ({"open_now": False, "next_open": None}, "zh", "未开放"),
        # the server answers in UTC: shown in the hall's time zone
        ({"open_now": False, "next_open": "2026-12-02T00:30:00Z"}, "zh", "明天 08:30 开始办理"),
    ],
)
def test_status_words(item: dict, lang: str, expected: str) -> None:
    assert availability.status_text(item, TZ, NIGHT, lang) == expected


def test_hall_notice_says_closed_and_when_it_opens() -> None:
    hall = {"open_now": False, "next_open": "2026-12-02T08:30:00+08:00", "name": "西区政务服务中心"}
    assert availability.hall_notice(hall, TZ, NIGHT, "zh") == "本中心现在不办公\n下次开放：明天 08:30"
    assert availability.hall_notice({**hall, "open_now": True}, TZ, NIGHT, "zh") == ""
    holiday = {**hall, "closed_reason": "国庆节", "closed_reason_en": "National Day"}
    assert availability.hall_notice(holiday, TZ, NIGHT, "en") == (
        "The hall is closed today (National Day)\nOpens again tomorrow 08:30"
    )


@pytest.mark.parametrize("reason", ["closed", "unstaffed", "self_service", "kiosk_down"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_refusals_say_why_and_what_next_without_the_item_code(reason: str, lang: str) -> None:
    item = {**CLOSED_TONIGHT, "zone_location": "一楼东侧 自助服务区"}
    hall = {"phone": "0812-5551234", "complaint_phone": "12345"}
    text = availability.refusal(reason, item, hall, TZ, NIGHT, lang, server_text="")
    assert text["title"] and text["next"]
    assert all(CODE not in value for value in text.values())
    if reason == "closed":
        assert ("明天 08:30" if lang == "zh" else "tomorrow 08:30") in text["detail"]
    if reason == "self_service":
        assert "一楼东侧 自助服务区" in text["detail"]
    if reason == "unstaffed":
        assert "0812-5551234" in text["next"]
