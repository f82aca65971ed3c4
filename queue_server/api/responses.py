"""What each route answers, as typed models: the OpenAPI at /openapi.json is generated from these.

Every model forbids fields it does not list, so a service that starts returning something new fails
the tests (a 500 from the response check) until the contract here says so: the contract is the code.
Times are ISO 8601 strings with their offset, as the services write them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..domain.lifecycle import Status
from .schemas import SlipOut

IsoTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
WindowState = Literal["open", "paused", "closed"]
ZoneKind = Literal["window_service", "consulting", "complaints", "self_service", "waiting", "public"]
PriorityClass = Literal["normal", "appointment", "priority"]
Channel = Literal["kiosk", "counter", "online"]
StatusValue = str | bool | int | float | None


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Health(Out):
    ok: bool
    database: str = Field(description='"ok", or the kind of failure')


# ---- catalogue -------------------------------------------------------------------------------


class Availability(Out):
    """Open or closed now, and until or from when (the hall's local time, with its offset)."""

    open_now: bool
    open_until: IsoTime | None = Field(description="when the current opening period ends; null when closed")
    next_open: IsoTime | None = Field(
        description="closed: the next opening; open: the next one after this period (e.g. after lunch); "
        "null when none within about a year"
    )
    closed_reason: str | None = Field(description="closed all day today: the holiday or closure (中文)")
    closed_reason_en: str | None


class PriorityClassOut(Out):
    """A priority class staff may give a waiting ticket (优先), from the hall file."""

    key: str
    name: str
    name_en: str


class HallOut(Availability):
    code: str
    name: str
    name_en: str
    timezone: str
    phone: str
    complaint_phone: str
    address: str
    missed_call_rule: str = Field(description="过号: what the ticket and the kiosk say about a missed call")
    missed_call_rule_en: str
    reactivate_min: int = Field(
        description="过号恢复: minutes a no-show ticket may rejoin the queue, once; 0: not allowed"
    )
    priority_classes: list[PriorityClassOut] = Field(description="the classes staff may give (优先)")
    appointments: bool = Field(description="the hall takes bookings (the kiosk offers check-in)")
    common: list[str] = Field(description="codes of the hall's common items (常办事项), in the kiosk's order")


class ZoneOut(Out):
    key: str
    name: str
    name_en: str
    kind: ZoneKind
    location: str
    open_now: bool
    next_open: IsoTime | None
    self_service: bool
    waiting: int


class ServiceOut(Availability):
    code: str
    name: str
    name_en: str
    prefix: str
    zone: str
    waiting: int
    id_required: bool
    active: bool
    self_service: bool = Field(description="served by machines in a self-service area: no ticket needed")
    staffed: bool = Field(description="an open window serving it has a clerk signed in now")
    can_issue: bool = Field(description="open_now and staffed and not self_service: a kiosk offers a ticket")
    eta_min: int | None = Field(description="minutes for a ticket taken now (staffed windows); null: unknown")
    eta_max: int | None


class MaterialOut(Out):
    name: str
    copies: int
    form: Literal["original", "copy", "original_and_copy", "electronic"]
    requirement: Literal["required", "optional", "later"]
    note: str


class GuideWindowOut(Out):
    code: str
    name: str
    state: WindowState


class GuideOut(ServiceOut):
    """The service guide (办事指南) of one item."""

    zone_name: str
    zone_name_en: str
    zone_location: str
    approval: Literal["single", "joint"]
    legal_basis: str
    agency: str
    applicant_types: list[Literal["legal_person", "natural_person"]]
    statutory_days: int
    promised_days: int
    fee: str
    conditions: list[str]
    materials: list[MaterialOut]
    hours: dict[str, list[str]] = Field(description="weekday (mon…sun) → ranges HH:MM-HH:MM, local time")
    escalate_after_min: int | None
    daily_quota: int
    per_person_daily_limit: int
    guide_url: str = Field(description="this server's guide page of the item (the notice slip's QR code)")
    online_guide_url: str | None = Field(description="the item's page elsewhere (e.g. a provincial portal)")
    windows: list[GuideWindowOut]
    complaint_phone: str


# ---- tickets ---------------------------------------------------------------------------------


class TicketOut(Out):
    """The staff and issuing view of a ticket: identity as masks only."""

    id: int
    number: str
    service: str
    service_name: str
    service_name_en: str
    zone: str
    status: Status
    priority_class: PriorityClass
    channel: Channel
    window: str | None
    target_window: str | None
    recall_count: int
    waiting_ahead: int | None = Field(description="tickets the routing would call first; null unless waiting")
    eta_min: int | None = Field(description="minutes; null when no open window serves the item")
    eta_max: int | None
    status_url: str | None
    issued_at: IsoTime
    called_at: IsoTime | None
    started_at: IsoTime | None
    ended_at: IsoTime | None
    id_masked: str | None
    name_masked: str | None
    priority_kind: str | None = Field(description="the priority class staff gave (hall file key)")
    priority_name: str | None = Field(description="its name (中文), e.g. 残疾人")
    priority_name_en: str | None


class IssuedTicketOut(TicketOut):
    """The issuing answer: the ticket and its token, the holder's own credential (status page, rating);
    never in any other staff view."""

    token: str


class PublicTicketOut(Out):
    """What anyone holding the ticket's token sees: no personal data."""

    number: str
    service: str
    service_name: str
    service_name_en: str
    zone: str
    zone_name: str
    status: Status
    waiting_ahead: int | None
    eta_min: int | None
    eta_max: int | None
    window: str | None
    window_name: str | None
    issued_at: IsoTime | None
    called_at: IsoTime | None
    recall_count: int
    outcome: SlipOut | None = Field(None, description="the window's decision and its slip, once finished")
    rating: int | None = Field(None, description="the holder's rating (1–5) once given")
    rejoin_until: IsoTime | None = Field(
        None,
        description="missed (过号), asked by its token: until when it may rejoin the queue; null: it cannot",
    )


class MissedTicketOut(Out):
    """A no-show ticket (过号) of a window that may still rejoin the queue, by the hall's rule."""

    id: int
    number: str
    service: str
    service_name: str
    service_name_en: str
    ended_at: IsoTime = Field(description="marked as a no-show then")
    rejoin_until: IsoTime = Field(description="it may rejoin until then (the hall's reactivate_min)")


class EvaluationOut(Out):
    ticket_id: int
    number: str
    level: int = Field(ge=1, le=5)
    label: str
    reasons: list[str]
    bad: bool
    window: str | None
    case: int | None = Field(description="the rectification case a bad rating opened (整改), else null")


# ---- windows and the snapshot ----------------------------------------------------------------


class SkillOut(Out):
    service: str
    level: int = Field(ge=1, le=4)


class CurrentTicketOut(Out):
    id: int
    number: str
    service: str
    status: Status
    priority_class: PriorityClass
    called_at: IsoTime | None
    recall_count: int


class QueuedTicket(Out):
    """A ticket in a window's call order, as Call next would take them (the routing rule)."""

    id: int
    number: str
    service: str
    priority_class: PriorityClass
    wait_since: IsoTime
    target_window: str | None
    level: int | None = Field(description="the window's precedence level for it (1 primary, 2–4 backup)")
    escalated: bool = Field(description="waited past its item's escalate_after_min: called first")


class WindowOut(Out):
    code: str
    name: str
    name_en: str
    zone: str
    state: WindowState
    skills: list[SkillOut]
    clerk: str | None = Field(description="username of the clerk signed in")
    current: CurrentTicketOut | None


class WindowViewOut(WindowOut):
    """One window with its call order (GET …/windows/{window})."""

    staffed: bool = Field(description="a clerk is signed in")
    can_call: int = Field(description="tickets this window would call, in all (0 when paused or closed)")
    queue: list[QueuedTicket] = Field(description="the first of them, in the order Call next takes them")


class SnapshotHall(Availability):
    code: str
    name: str
    name_en: str
    timezone: str
    phone: str
    complaint_phone: str
    business_day: str = Field(json_schema_extra={"format": "date"})
    server_voice: bool = Field(description="the server speaks calls (`…/calls/{id}/voice`, espeak-ng)")


class SnapshotZone(Out):
    key: str
    name: str
    name_en: str
    kind: ZoneKind
    location: str
    waiting: int


class LateTicket(Out):
    number: str
    waited_min: float


class SnapshotService(Out):
    code: str
    name: str
    name_en: str
    zone: str
    waiting: int
    longest_wait_min: float
    oldest_since: IsoTime | None = Field(description="the longest wait started then (pages let it grow)")
    escalate_after_min: int | None
    over_threshold: bool
    late: list[LateTicket] = Field(description="tickets waiting past the item's threshold, longest first")
    open_now: bool


class SnapshotWindow(WindowViewOut):
    idle_with_waiting: bool = Field(
        description="staffed, open, nothing called, and its items have tickets waiting"
    )


class RecentCall(Out):
    id: int
    number: str
    service: str
    zone: str
    window: str | None
    status: Status
    called_at: IsoTime | None
    priority_class: PriorityClass


class SnapshotOut(Out):
    """The whole live state of a hall; then follow `/events` from `event_seq`."""

    hall: SnapshotHall
    event_seq: int
    generated_at: IsoTime
    zones: list[SnapshotZone]
    services: list[SnapshotService]
    windows: list[SnapshotWindow]
    recent_calls: list[RecentCall]
    notices: list[NoticeOut] = Field(description="not ended, in the ticker's order (some may start later)")


class ClosureOut(Out):
    """A one-off closure; times in the hall's local time."""

    id: int
    scope: Literal["hall", "zone", "service"]
    zone: str | None
    zone_name: str | None
    service: str | None
    service_name: str | None
    starts_at: IsoTime
    ends_at: IsoTime
    reason: str
    reason_en: str
    created_by: str
    created_at: IsoTime


class NoticeOut(Out):
    """A notice (公告) of the hall displays' ticker; times in the hall's local time."""

    id: int
    text: str
    text_en: str = Field(description="empty: English mode shows the Chinese text")
    starts_at: IsoTime | None
    ends_at: IsoTime | None
    order: int
    created_by: str
    updated_at: IsoTime


# ---- devices, accounts, audit ----------------------------------------------------------------


class DeviceOut(Out):
    name: str
    kind: Literal["kiosk", "display", "pad"]
    hall: str | None
    window: str | None
    active: bool
    revoked_at: IsoTime | None
    rotated_at: IsoTime | None
    last_seen: IsoTime | None
    version: str | None
    status: dict[str, StatusValue] | None


class DeviceTokenOut(DeviceOut):
    token: str = Field(description="shown in this answer only: the server keeps its hash")


class UserOut(Out):
    username: str
    role: Literal["clerk", "manager", "maintenance", "admin"]
    halls: list[str]
    disabled: bool
    locked_until: IsoTime | None
    created_at: IsoTime | None
    full_name: str = Field(description="shown on the window's evaluation pad")
    staff_no: str = Field(description="工号, shown on the evaluation pad")


class SignedInUser(Out):
    username: str
    role: str
    halls: list[str]


class LoginOut(Out):
    token: str
    expires_at: IsoTime
    user: SignedInUser


class MeOut(Out):
    username: str
    role: str
    halls: list[str]
    device: str | None
    window: str | None


class AuditOut(Out):
    id: int
    at: IsoTime
    actor: str
    role: str
    device: str | None
    action: str
    object_type: str
    object_id: str
    window: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    sentence: str = Field(description="the entry in words (中文), with ticket numbers, never codes")
    sentence_en: str
