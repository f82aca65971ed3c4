"""The documents a kiosk prints. Plain data: rendering them is render() in drivers.printer.render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

DEFAULT_NOTICE = "请留意叫号，过号请重新取号"

MaterialForm = Literal["original", "copy", "original_and_copy", "electronic"]
Requirement = Literal["required", "optional", "later"]


@dataclass(frozen=True)
class QueueTicket:
    hall_name: str
    number: str
    service_name: str
    waiting_ahead: int
    eta_min: int | None
    eta_max: int | None
    issued_at: datetime
    wait_area: str
    status_url: str
    notice: str = DEFAULT_NOTICE
    service_name_en: str | None = None
    window_hint: str | None = None
    priority: bool = False  # the priority lane applies (the issue answer's priority_class)
    notice_en: str | None = None  # the notice in English (e.g. the hall's missed-call rule)
    appointment_at: str | None = None  # checked in on time: the booked slot, e.g. "10:30-11:00"


@dataclass(frozen=True)
class Material:
    name: str
    copies: int
    form: MaterialForm
    requirement: Requirement
    note: str = ""


@dataclass(frozen=True)
class NoticeSlip:
    hall_name: str
    service_code: str
    service_name: str
    materials: list[Material]
    guide_url: str
    printed_at: datetime


@dataclass(frozen=True)
class AppointmentSlip:
    hall_name: str
    service_name: str
    slot_start: datetime
    slot_end: datetime
    booking_code: str
    checkin_url: str
    printed_at: datetime
    checkin_from: datetime | None = None  # the hall's check-in window; unknown: "by your booked time"
    checkin_until: datetime | None = None
    service_name_en: str | None = None


Document = QueueTicket | NoticeSlip | AppointmentSlip


def example_ticket(status_url: str = "https://hall.example.gov.cn/t/7QK2M9XD") -> QueueTicket:
    """The standard ticket used by the test print, the byte-count test and the README picture."""
    return QueueTicket(
        hall_name="示例区政务服务中心",
        number="A023",
        service_name="不动产登记",
        waiting_ahead=12,
        eta_min=15,
        eta_max=25,
        issued_at=datetime(2026, 11, 26, 9, 41),
        wait_area="二楼 B 区",
        status_url=status_url,
        window_hint="5-8 号",
    )


def example_notice_slip() -> NoticeSlip:
    return NoticeSlip(
        hall_name="示例区政务服务中心",
        service_code="11440300MB2C0001",
        service_name="个体工商户设立登记",
        materials=[
            Material("经营者身份证", 1, "original", "required"),
            Material("个体工商户开业登记申请书", 1, "original", "required"),
            Material("经营场所使用证明", 1, "copy", "required", "租赁合同或产权证明"),
            Material("委托书", 1, "original", "optional", "委托他人办理时提交"),
            Material("从业人员健康证明", 1, "copy", "later", "可在领照后 30 日内补交"),
        ],
        guide_url="https://hall.example.gov.cn/g/11440300MB2C0001",
        printed_at=datetime(2026, 11, 26, 9, 41),
    )


def example_appointment_slip() -> AppointmentSlip:
    return AppointmentSlip(
        hall_name="示例区政务服务中心",
        service_name="社保卡补换",
        slot_start=datetime(2026, 11, 27, 9, 30),
        slot_end=datetime(2026, 11, 27, 10, 0),
        booking_code="YY7318",
        checkin_url="https://hall.example.gov.cn/c/YY7318",
        printed_at=datetime(2026, 11, 26, 9, 41),
    )


__all__ = [
    "DEFAULT_NOTICE",
    "AppointmentSlip",
    "Document",
    "Material",
    "NoticeSlip",
    "QueueTicket",
    "example_appointment_slip",
    "example_notice_slip",
    "example_ticket",
]
