"""Request bodies of the HTTP API (they appear in /docs); the answers are in `responses.py`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..services.id_documents import check_card
from .edge import HallTime, clean_value


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        """No control characters, lone surrogates or NaN anywhere: not in the database, not in events."""
        return clean_value(value)


class IdCardIn(Body):
    id_number: str = Field(min_length=6, max_length=30, pattern=r"^[0-9A-Za-z]+$")
    name: str = Field(min_length=1, max_length=80)
    birth_date: date | None = None
    card_type: Literal["resident", "hk_mo_tw", "foreign"] = "resident"

    @model_validator(mode="after")
    def _one_rule(self) -> IdCardIn:
        # Raises the service layer's Invalid (not ValueError): the answer is a 422 whose reason names
        # the problem in both languages. The number is normalised and the birth date taken from it.
        self.id_number, self.birth_date = check_card(self.id_number, self.birth_date)
        return self

    def __repr__(self) -> str:  # never print personal data by accident
        return "IdCardIn(<hidden>)"

    __str__ = __repr__


class IssueIn(Body):
    service: str = Field(min_length=1, max_length=40, description="service item code")
    idempotency_key: str = Field(min_length=8, max_length=80, description="same key → same ticket")
    id_card: IdCardIn | None = None
    channel: Literal["kiosk", "counter", "online"] = "kiosk"


class TransferIn(Body):
    service: str | None = Field(None, min_length=1, max_length=40)
    window: str | None = Field(None, min_length=1, max_length=20)
    reason: str = Field(min_length=1, max_length=200)


class SkillIn(Body):
    service: str = Field(min_length=1, max_length=40)
    level: int = Field(ge=1, le=4)


class WindowPatchIn(Body):
    zone: str | None = Field(None, min_length=1, max_length=40)
    skills: list[SkillIn] | None = Field(None, max_length=100)
    state: Literal["open", "paused", "closed"] | None = None


class MaterialOut(BaseModel):
    name: str
    copies: int | None = None
    form: str | None = None
    requirement: str | None = None
    note: str | None = None


class OutcomeOut(BaseModel):
    kind: Literal["accepted", "notice", "deferred", "refused", "consult"]
    label: str
    label_en: str
    slip: str | None = Field(description="the printed slip's title; null: nothing to print")
    slip_en: str | None
    missing: list[MaterialOut] = Field(description="from the item's checklist")
    owed_by: str | None = Field(description="容缺受理: the materials are due by this day")
    reason: str | None = Field(description="不予受理: why")
    at: str


class SlipOut(OutcomeOut):
    number: str
    business_day: str
    hall_name: str
    hall_phone: str
    complaint_phone: str
    hall_address: str
    timezone: str
    service: str
    service_name: str
    service_name_en: str
    agency: str
    legal_basis: str
    promised_days: int
    window: str | None
    window_name: str | None


class OutcomeIn(Body):
    kind: Literal["accepted", "notice", "deferred", "refused", "consult"] = Field(
        description="受理 · 一次性告知 · 容缺受理 · 不予受理 · 咨询"
    )
    missing: list[Annotated[str, Field(max_length=120)]] = Field(
        default_factory=list, max_length=40, description="names from the item's checklist (告知, 容缺)"
    )
    owed_by: date | None = Field(None, description="容缺受理: materials due by this day")
    reason: str | None = Field(None, max_length=500, description="不予受理: the reason")


class FinishIn(Body):
    outcome: OutcomeIn | None = None


class EvaluationIn(Body):
    level: int = Field(ge=1, le=5, description="5 非常满意 … 1 非常不满意; 1–2 are bad ratings")
    reasons: list[Annotated[str, Field(max_length=50)]] = Field(
        default_factory=list, max_length=6, description="at most 6, each at most 50 characters"
    )


class ClosureIn(Body):
    starts_at: HallTime = Field(description="ISO 8601; without an offset it is the hall's local time")
    ends_at: HallTime = Field(description="exclusive; ISO 8601, local time without an offset")
    reason: str = Field(min_length=1, max_length=120, description="shown to citizens (中文)")
    reason_en: str = Field(min_length=1, max_length=200, description="shown to citizens (English)")
    zone: str | None = Field(None, max_length=40, description="close one zone only")
    service: str | None = Field(None, max_length=40, description="close one service item only")


class NoticeIn(Body):
    text: str = Field(min_length=1, max_length=200, description="the notice (中文), shown on the displays")
    text_en: str | None = Field(None, max_length=300, description="English mode; empty: the Chinese text")
    starts_at: HallTime | None = Field(None, description="shown from; no offset: the hall's local time")
    ends_at: HallTime | None = Field(None, description="shown until (exclusive); null: until removed")
    order: int | None = Field(None, ge=0, le=10000, description="place in the ticker, smallest first")


class BookingIn(Body):
    service: str = Field(min_length=1, max_length=40, description="service item code")
    slot_start: datetime = Field(description="the slot's start as listed (with its offset)")
    id_card: IdCardIn
    phone: str = Field(min_length=6, max_length=20, description="mainland China mobile number")
    idempotency_key: str = Field(min_length=8, max_length=80, description="same key → same booking")

    def __repr__(self) -> str:  # never print personal data (the phone number) by accident
        return "BookingIn(<hidden>)"

    __str__ = __repr__


class SlotOut(BaseModel):
    start: str
    end: str
    capacity: int = Field(description="places that can be booked (walk-in share kept back)")
    left: int


class DaySlotsOut(BaseModel):
    service: str
    service_name: str
    service_name_en: str
    date: str
    released_at: str = Field(description="when this day's slots open for booking (hall's local time)")
    reason: str | None = Field(description="why there are no slots, when there are none")
    reason_en: str | None
    slots: list[SlotOut]


class AppointmentOut(BaseModel):
    code: str
    token: str | None = None  # not in a manager's list
    hall: str
    service: str
    service_name: str
    service_name_en: str
    slot_start: str
    slot_end: str
    status: str
    status_zh: str
    status_en: str
    checkin_from: str
    checkin_until: str
    id_masked: str
    name_masked: str
    phone_masked: str
    ticket: dict[str, Any] | None = Field(None, description="the live ticket after check-in")
    booking_url: str | None = Field(None, description="the booking page of this booking (its QR code)")
    qr_svg: str | None = Field(None, description="that address as a QR code, inline SVG")


class CheckInIn(Body):
    token: str | None = Field(None, max_length=60, description="from the booking's QR code")
    id_number: str | None = Field(None, max_length=30, description="read from the ID card")

    def __repr__(self) -> str:  # never print personal data by accident
        return "CheckInIn(<hidden>)"

    __str__ = __repr__


class CheckInOut(BaseModel):
    outcome: Literal["on_time", "late"]
    message: str
    message_en: str
    appointment: AppointmentOut
    ticket: dict[str, Any]


class SlotDayIn(Body):
    closed: bool = False
    capacity: int | None = Field(None, ge=0, le=500, description="places per slot; null: as the hall file")


class BookableItemOut(BaseModel):
    code: str
    name: str
    name_en: str
    slot_min: int


class BookingInfoOut(BaseModel):
    hall: str
    hall_name: str
    hall_name_en: str
    days: list[str] = Field(description="local dates open for booking now, today first")
    rules: str
    rules_en: str
    services: list[BookableItemOut]


class PriorityIn(Body):
    kind: str = Field(min_length=1, max_length=40, description="a key of the hall's priority_classes")
    reason: str = Field(min_length=1, max_length=200)


class ReactivateIn(Body):
    ticket_id: int | None = None
    token: str | None = Field(None, max_length=60)

    @model_validator(mode="after")
    def _one(self) -> ReactivateIn:
        if (self.ticket_id is None) == (self.token is None):
            raise ValueError("give ticket_id or token")
        return self
