"""Request bodies and the main response shapes of the HTTP API (they appear in /docs)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..services.id_documents import check_card


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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


class TicketOut(BaseModel):
    id: int
    number: str
    service: str
    service_name: str
    zone: str
    status: str
    waiting_ahead: int | None = Field(description="tickets the routing would call first; null once called")
    eta_min: int | None = Field(description="minutes; null when no open window serves the item")
    eta_max: int | None
    token: str
    status_url: str | None
    issued_at: str


class TransferIn(Body):
    service: str | None = None
    window: str | None = None
    reason: str = Field(min_length=1, max_length=200)


class SkillIn(Body):
    service: str
    level: int = Field(ge=1, le=4)


class WindowPatchIn(Body):
    zone: str | None = None
    skills: list[SkillIn] | None = None
    state: Literal["open", "paused", "closed"] | None = None


class PublicTicketOut(BaseModel):
    number: str
    service: str
    service_name: str
    service_name_en: str
    zone: str
    zone_name: str
    status: str
    waiting_ahead: int | None
    eta_min: int | None
    eta_max: int | None
    window: str | None
    window_name: str | None
    issued_at: str | None
    called_at: str | None
    recall_count: int
    outcome: OutcomeOut | None = Field(None, description="the window's decision, once finished")
    rating: int | None = Field(None, description="the holder's rating (1–5) once given")


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
    starts_at: datetime = Field(description="ISO 8601; without an offset it is the hall's local time")
    ends_at: datetime = Field(description="exclusive; ISO 8601, local time without an offset")
    reason: str = Field(min_length=1, max_length=120, description="shown to citizens (中文)")
    reason_en: str = Field(min_length=1, max_length=200, description="shown to citizens (English)")
    zone: str | None = Field(None, max_length=40, description="close one zone only")
    service: str | None = Field(None, max_length=40, description="close one service item only")
