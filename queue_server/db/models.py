"""The data model (SQLAlchemy 2 typed ORM). Migrations live in `migrations/`; change both together."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .types import UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Hall(Base):
    __tablename__ = "halls"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(160))
    timezone: Mapped[str] = mapped_column(String(64))
    day_starts: Mapped[str] = mapped_column(String(5))  # "HH:MM" local business-day boundary
    number_start: Mapped[int] = mapped_column(Integer)
    number_width: Mapped[int] = mapped_column(Integer)
    enforce_hours: Mapped[bool] = mapped_column(Boolean)
    priority_age: Mapped[int] = mapped_column(Integer)
    # Anti-touting: tickets one ID may take in this hall per business day, all items together (0 = no limit).
    per_person_daily_total: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    hours: Mapped[dict[str, Any]] = mapped_column(JSON)
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    complaint_phone: Mapped[str] = mapped_column(String(40), default="")
    # 常办事项: the items a kiosk offers first, in the hall file's order.
    common: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Bumped by every state-changing transaction of the hall: gives events a gapless per-hall
    # sequence and serialises the hall's writers (the row lock is held until commit).
    event_seq: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped by the services that change the hall's zones, items or windows (`UnitOfWork.layout_changed`):
    # lets each process keep the layout that routing reads, and know when it is stale.
    layout_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Bumped whenever a ticket of the hall is finished: each process keeps the items' typical service
    # times (the printed wait's replay) until it moves, instead of reading the latest ones every time.
    served_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # 网上预约 rules of the hall file (hall_config.schema.AppointmentRules); None: no appointments.
    appointments: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Priority classes staff may give ([{key, name, name_en}]), and the missed-call rule.
    priority_classes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reactivate_min: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rejoin_behind: Mapped[int] = mapped_column(Integer, default=3, server_default="3")

    zones: Mapped[list[Zone]] = relationship(back_populates="hall", order_by="Zone.id")
    services: Mapped[list[Service]] = relationship(back_populates="hall", order_by="Service.id")
    windows: Mapped[list[Window]] = relationship(back_populates="hall", order_by="Window.code")


class Zone(Base):
    __tablename__ = "zones"
    __table_args__ = (UniqueConstraint("hall_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(120), default="")

    hall: Mapped[Hall] = relationship(back_populates="zones")


class Service(Base):
    """A service item (事项). Its code never changes once tickets use it."""

    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(160))
    prefix: Mapped[str] = mapped_column(String(2))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    approval: Mapped[str] = mapped_column(String(10))
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    agency: Mapped[str] = mapped_column(String(120), default="")
    applicant_types: Mapped[list[Any]] = mapped_column(JSON)
    statutory_days: Mapped[int] = mapped_column(Integer)
    promised_days: Mapped[int] = mapped_column(Integer)
    fee: Mapped[str] = mapped_column(String(120), default="")
    conditions: Mapped[list[Any]] = mapped_column(JSON)
    materials: Mapped[list[Any]] = mapped_column(JSON)
    escalate_after_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    daily_quota: Mapped[int] = mapped_column(Integer, default=0)
    avg_service_min: Mapped[int] = mapped_column(Integer)
    id_required: Mapped[bool] = mapped_column(Boolean)
    per_person_daily_limit: Mapped[int] = mapped_column(Integer, default=0)
    hours: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    guide_url: Mapped[str | None] = mapped_column(String(300), nullable=True)
    appointment: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # {slot_min, capacity}

    hall: Mapped[Hall] = relationship(back_populates="services")
    zone: Mapped[Zone] = relationship()


class Window(Base):
    __tablename__ = "windows"
    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    state: Mapped[str] = mapped_column(String(10))  # open | paused | closed

    hall: Mapped[Hall] = relationship(back_populates="windows")
    zone: Mapped[Zone] = relationship()
    skills: Mapped[list[WindowSkill]] = relationship(
        back_populates="window", cascade="all, delete-orphan", order_by="WindowSkill.service_id"
    )
    post: Mapped[WindowPost | None] = relationship(viewonly=True, lazy="selectin")


class WindowSkill(Base):
    """Window × service item with a precedence level: 1 is the primary post, 2–4 backup posts."""

    __tablename__ = "window_skills"
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    level: Mapped[int] = mapped_column(Integer)

    window: Mapped[Window] = relationship(back_populates="skills")
    service: Mapped[Service] = relationship()


class NumberCounter(Base):
    """Last number issued per hall × prefix × business day; bumped atomically, never max + 1."""

    __tablename__ = "number_counters"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(2), primary_key=True)
    business_day: Mapped[date] = mapped_column(Date, primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("hall_id", "idempotency_key"),
        # The live queue, in the order the wait estimate counts it (an index-only scan on both databases).
        Index(
            "ix_tickets_queue",
            "hall_id",
            "business_day",
            "status",
            "service_id",
            "priority_class",
            "target_window_id",
            "wait_since",
        ),
        # Recent service times of an item, for the ETA.
        Index("ix_tickets_service_done", "service_id", "status", "ended_at"),
        # A hall's latest finished tickets (the ETA's replay: every item's typical time at once).
        Index("ix_tickets_hall_done", "hall_id", "status", "ended_at"),
        # Tickets transferred to one window.
        Index("ix_tickets_target", "target_window_id", "status"),
        # A window's current ticket (call-next, snapshot, window view): never a scan of history.
        Index("ix_tickets_window_status", "window_id", "status"),
        # Today's latest calls (snapshot, displays).
        Index("ix_tickets_recent_calls", "hall_id", "business_day", "called_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    number: Mapped[str] = mapped_column(String(12))
    business_day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))
    priority_class: Mapped[str] = mapped_column(String(12))  # normal | appointment | priority
    channel: Mapped[str] = mapped_column(String(10))  # kiosk | counter | online
    device: Mapped[str | None] = mapped_column(String(80), nullable=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"), nullable=True)
    target_window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"), nullable=True)
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    issued_at: Mapped[datetime]
    wait_since: Mapped[datetime]  # issue time, kept across a transfer so the citizen keeps their place
    appointment_at: Mapped[datetime | None] = mapped_column(nullable=True)
    called_at: Mapped[datetime | None] = mapped_column(nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(80))
    transferred_from_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    transferred_to_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    transfer_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Personal data, kept only as a keyed hash and masked forms (see the privacy rules).
    id_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    id_masked: Mapped[str | None] = mapped_column(String(24), nullable=True)
    name_masked: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # A priority class given by staff (the hall's `priority_classes` key) and why; None: not given.
    priority_kind: Mapped[str | None] = mapped_column(String(40), nullable=True)
    priority_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    reactivated_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # The clerk signed in at the window when the ticket was called (reports per clerk, the pad's card).
    clerk_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # users.id (no FK: migration 0010)

    service: Mapped[Service] = relationship()
    window: Mapped[Window | None] = relationship(foreign_keys=[window_id])
    target_window: Mapped[Window | None] = relationship(foreign_keys=[target_window_id])


class Evaluation(Base):
    """好差评: one five-level rating per ticket; levels 1–2 are bad ratings that need a follow-up."""

    __tablename__ = "evaluations"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"), nullable=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    level: Mapped[int] = mapped_column(Integer)  # 5 非常满意 … 1 非常不满意
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    at: Mapped[datetime]
    follow_up: Mapped[str | None] = mapped_column(String(12), nullable=True)  # "open" for bad ratings
    clerk_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # users.id (no FK: migration 0010)
    # An approved appeal showed the rating mistaken or malicious: it stays, but no rate counts it.
    excluded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    ticket: Mapped[Ticket] = relationship()


class RectificationCase(Base):
    """整改: the follow-up of one bad rating, through the states of domain/cases.py."""

    __tablename__ = "rectification_cases"
    __table_args__ = (Index("ix_cases_hall_status", "hall_id", "status", "due_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), unique=True)
    status: Mapped[str] = mapped_column(String(12))
    owner: Mapped[str] = mapped_column(String(120))  # the item's department, else the hall's managers
    opened_at: Mapped[datetime]
    due_on: Mapped[date] = mapped_column(Date)
    response: Mapped[str | None] = mapped_column(Text, nullable=True)
    callback_reached: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    callback_satisfied: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    callback_note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    appeal_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    appeal_by: Mapped[str | None] = mapped_column(String(80), nullable=True)  # decided by someone else
    decision_note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)

    evaluation: Mapped[Evaluation] = relationship()


class TicketOutcome(Base):
    """What the window decided when it finished a ticket (domain/outcomes.py)."""

    __tablename__ = "ticket_outcomes"
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    kind: Mapped[str] = mapped_column(String(12))
    missing: Mapped[list[Any]] = mapped_column(JSON)  # names from the item's checklist
    owed_by: Mapped[date | None] = mapped_column(Date, nullable=True)  # 容缺受理: materials due
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)  # 不予受理
    at: Mapped[datetime]


class AuditEvent(Base):
    """Append-only record of every state change."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    hall_id: Mapped[int | None] = mapped_column(ForeignKey("halls.id"), nullable=True, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    device: Mapped[str | None] = mapped_column(String(80), nullable=True)
    # The window an event concerns (a window change, or a ticket at that window), for queries.
    window: Mapped[str | None] = mapped_column(String(20), nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[str] = mapped_column(String(60))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class HallEvent(Base):
    """Outbox of live events, numbered per hall, kept so that streams can resume."""

    __tablename__ = "hall_events"
    __table_args__ = (UniqueConstraint("hall_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    type: Mapped[str] = mapped_column(String(40))
    zone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    window: Mapped[str | None] = mapped_column(String(20), nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class User(Base):
    """A staff account: clerk, manager, maintenance or admin. Only an argon2 hash of the password."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime]
    password_changed_at: Mapped[datetime]
    full_name: Mapped[str] = mapped_column(String(40), default="", server_default="")  # shown on the pad
    staff_no: Mapped[str] = mapped_column(String(20), default="", server_default="")  # 工号

    halls: Mapped[list[Hall]] = relationship(secondary="user_halls", order_by="Hall.code")


class UserHall(Base):
    """The halls a staff member works in (admins work in all, whatever is listed here)."""

    __tablename__ = "user_halls"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"), primary_key=True)


class StaffToken(Base):
    """A bearer token of a signed-in user: only its SHA-256 is stored; it expires and can be revoked."""

    __tablename__ = "staff_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Device(Base):
    """A kiosk, display or evaluation pad, with the hash of its token and its last heartbeat."""

    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # kiosk | display | pad
    hall_id: Mapped[int | None] = mapped_column(ForeignKey("halls.id"), nullable=True, index=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"), nullable=True)  # pads
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime]
    rotated_at: Mapped[datetime]
    last_seen: Mapped[datetime | None] = mapped_column(nullable=True)
    last_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    last_status: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    hall: Mapped[Hall | None] = relationship()
    window: Mapped[Window | None] = relationship()


class WindowPost(Base):
    """Which clerk is signed in to a window: one clerk per window, one window per clerk."""

    __tablename__ = "window_posts"
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    since: Mapped[datetime]

    user: Mapped[User] = relationship(lazy="joined")


class CalendarDay(Base):
    """A dated line of the national holiday calendar (`config/calendar/YYYY.toml`), shared by all halls."""

    __tablename__ = "calendar_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # holiday (放假) | workday (调休上班)
    name: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(80))


class Closure(Base):
    """A one-off closure a manager added: the whole hall, one zone or one item, from–to (end exclusive)."""

    __tablename__ = "closures"
    __table_args__ = (Index("ix_closures_hall_end", "hall_id", "ends_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"), nullable=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"), nullable=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(120))
    reason_en: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(80))

    zone: Mapped[Zone | None] = relationship()
    service: Mapped[Service | None] = relationship()


class Notice(Base):
    """A notice (公告) a manager writes for the hall displays' ticker; shown from–to when given."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_hall", "hall_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    text: Mapped[str] = mapped_column(String(200))
    text_en: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime | None] = mapped_column(nullable=True)
    ends_at: Mapped[datetime | None] = mapped_column(nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # the ticker's order, smallest first
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime]


class PairingRequest(Base):
    """A device waiting to be paired: it shows `code` (kept hashed) and asks with `secret` (hashed)
    until a manager names it; then it collects its token once and the request is gone."""

    __tablename__ = "pairing_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # what the device says it is
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), nullable=True)
    zone: Mapped[str | None] = mapped_column(String(40), nullable=True)  # a display's zone, chosen at pairing


class Appointment(Base):
    """A booking (网上预约) of one slot of one item. Personal data only as keyed hashes and masks."""

    __tablename__ = "appointments"
    __table_args__ = (
        UniqueConstraint("hall_id", "idempotency_key"),
        # One live booking per person and item: the database keeps the rule against double taps.
        Index(
            "ux_appointments_live",
            "service_id",
            "id_hash",
            unique=True,
            sqlite_where=text("status = 'booked'"),
            postgresql_where=text("status = 'booked'"),
        ),
        Index("ix_appointments_person", "id_hash", "slot_start"),
        Index("ix_appointments_due", "hall_id", "status", "checkin_until"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    code: Mapped[str] = mapped_column(String(12), unique=True)  # read out or typed at the kiosk
    token: Mapped[str] = mapped_column(String(40), unique=True)  # the credential of the booking page / QR
    idempotency_key: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12))  # domain.appointments.TRANSITIONS
    slot_start: Mapped[datetime]
    slot_end: Mapped[datetime]
    checkin_from: Mapped[datetime]
    checkin_until: Mapped[datetime]
    created_at: Mapped[datetime]
    changed_at: Mapped[datetime]
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    id_hash: Mapped[str] = mapped_column(String(64))
    id_masked: Mapped[str] = mapped_column(String(24))
    name_masked: Mapped[str] = mapped_column(String(40))
    phone_hash: Mapped[str] = mapped_column(String(64))
    phone_masked: Mapped[str] = mapped_column(String(16))

    service: Mapped[Service] = relationship(lazy="joined", innerjoin=True)


class SlotCount(Base):
    """Places booked of one slot; bumped only by `booked < cap` conditional updates (never overbooked)."""

    __tablename__ = "slot_counts"
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    slot_start: Mapped[datetime] = mapped_column(primary_key=True)
    booked: Mapped[int] = mapped_column(Integer, default=0)


class SlotDay(Base):
    """A manager's change to one item's slots on one day: closed, or another capacity per slot."""

    __tablename__ = "slot_days"
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)  # bookable places per slot
    changed_by: Mapped[str] = mapped_column(String(80))
    changed_at: Mapped[datetime]


class ReportDaily(Base):
    """The reports' summary: one span (a business day, or a week or month of them, starting on
    `business_day`) × item × window × clerk (0: none) of a hall, with the counters of
    domain/report_figures.py. A day is built from the tickets when first asked for after it ended, a
    week or month from its days; a late change (a rating, an appeal, a call-back) makes them stale."""

    __tablename__ = "report_daily"
    hall_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    span: Mapped[str] = mapped_column(String(5), primary_key=True)  # day | week | month
    business_day: Mapped[date] = mapped_column(Date, primary_key=True)
    service_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    window_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clerk_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    counters: Mapped[dict[str, Any]] = mapped_column(JSON)


class ReportDay(Base):
    """A span (day, week, month) whose summary rows are built and current."""

    __tablename__ = "report_days"
    hall_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    span: Mapped[str] = mapped_column(String(5), primary_key=True)
    business_day: Mapped[date] = mapped_column(Date, primary_key=True)
    built_at: Mapped[datetime]


class Alert(Base):
    """A live alert (domain/alerts.py), kept with what became of it: cleared when its condition ended,
    acknowledged and resolved by a manager."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_hall_active", "hall_id", "cleared_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(80))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    fired_at: Mapped[datetime]
    cleared_at: Mapped[datetime | None] = mapped_column(nullable=True)
    acked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    acked_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    resolution: Mapped[str | None] = mapped_column(String(500), nullable=True)
