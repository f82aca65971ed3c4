"""The live events' shapes: one payload model per event type, and their place in the OpenAPI.

`PAYLOADS` is the table of every event type the services emit; a test records the events of a
whole working day and checks each against it, so an untyped or new event fails there.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI
from pydantic import BaseModel, Field, create_model

from .responses import (
    ClosureOut,
    EvaluationOut,
    IsoTime,
    NoticeOut,
    Out,
    PriorityClass,
    StatusValue,
    WindowState,
)


class TicketEvent(Out):
    """A ticket's new state, as displays need it: never personal data."""

    ticket_id: int
    number: str
    service: str
    service_name: str
    zone: str
    status: str
    priority_class: PriorityClass
    window: str | None
    window_name: str | None
    recall_count: int


class Announced(TicketEvent):
    """Called or recalled: what the hall's loudspeakers say."""

    announcement_zh: str
    announcement_en: str


class TransferTarget(Out):
    service: str
    window: str | None


class Transferred(TicketEvent):
    transferred_to: TransferTarget


class QueueChanged(Out):
    """An item's queue changed: its size, its longest wait's start, and what every window can call now
    (Call next's count), so that pages apply it without reloading the snapshot."""

    service: str
    zone: str
    waiting: int
    oldest_since: IsoTime | None
    can_call: dict[str, int] = Field(description="window code → tickets it would call")


class WindowLayout(Out):
    zone: str
    state: WindowState
    skills: list[tuple[str, int]] = Field(description="[item code, precedence level 1–4]")


class WindowChanged(WindowLayout):
    """A manager's change (with `before`), or a clerk signing in or out (with `clerk`)."""

    window: str
    name: str
    before: WindowLayout | None = None
    clerk: str | None = None
    can_call: dict[str, int] | None = Field(
        None, description="a manager's change: what each window can call now"
    )


class DeviceStatus(Out):
    device: str
    kind: Literal["kiosk", "display", "pad"]
    seen: IsoTime
    version: str | None
    status: dict[str, StatusValue] | None


class CatalogueChanged(Out):
    summary: str = Field(description="what the import changed; reload the catalogue and the snapshot")


class ClosureRemoved(Out):
    id: int


class NoticeRemoved(Out):
    id: int


class Resync(Out):
    seq: int


# event type -> its payload (`resync` is the stream's own: its data is just `{"seq": …}`)
PAYLOADS: dict[str, type[BaseModel]] = {
    "ticket.issued": TicketEvent,
    "ticket.called": Announced,
    "ticket.recalled": Announced,
    "ticket.started": TicketEvent,
    "ticket.finished": TicketEvent,
    "ticket.no_show": TicketEvent,
    "ticket.cancelled": TicketEvent,
    "ticket.transferred": Transferred,
    "ticket.evaluated": EvaluationOut,
    "queue.changed": QueueChanged,
    "window.changed": WindowChanged,
    "device.status": DeviceStatus,
    "catalogue.changed": CatalogueChanged,
    "closure.added": ClosureOut,
    "closure.removed": ClosureRemoved,
    "notice.added": NoticeOut,
    "notice.updated": NoticeOut,
    "notice.removed": NoticeRemoved,
}


def _envelope(event_type: str, payload: type[BaseModel]) -> type[BaseModel]:
    name = "Event_" + event_type.replace(".", "_")
    return create_model(
        name,
        __base__=Out,
        hall_id=(int, ...),
        seq=(int, Field(description="per-hall, increasing: the SSE `id:`; resume with Last-Event-ID")),
        at=(IsoTime, ...),
        type=(Literal[event_type], ...),  # type: ignore[valid-type]
        zone=(str | None, Field(description="the zone it concerns; null: hall-wide")),
        window=(str | None, ...),
        payload=(payload, ...),
    )


ENVELOPES = {t: _envelope(t, p) for t, p in PAYLOADS.items()}


def check_event(event: dict[str, Any]) -> BaseModel:
    """Validate one event (as the stream sends it) against its type's model; KeyError if untyped."""
    return ENVELOPES[event["type"]].model_validate(event)


def document_events(app: FastAPI) -> None:
    """The event stream's `data:` lines are one of the envelopes: say so in /openapi.json."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = plain()
        members = [*ENVELOPES.values(), Resync]
        defs: dict[str, Any] = {}
        refs = []
        for model in members:
            js = model.model_json_schema(ref_template="#/components/schemas/{model}")
            defs.update(js.pop("$defs", {}))
            defs[model.__name__] = js
            refs.append({"$ref": f"#/components/schemas/{model.__name__}"})
        union = {"oneOf": refs}
        schema.setdefault("components", {}).setdefault("schemas", {}).update(defs)
        for path, item in schema["paths"].items():
            if path.endswith("/events") and "get" in item:
                item["get"]["responses"]["200"] = {
                    "description": "Server-Sent Events: each `data:` line is one of these (JSON)",
                    "content": {"text/event-stream": {"schema": union}},
                }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
