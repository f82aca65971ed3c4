"""Supervision: rectification cases of bad ratings (整改), reports and their exports, the clerk card
of a window's pad."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from ..services import alerts, cases, posts, report_export, reports
from ..services.context import Actor
from .deps import Ctx, require
from .edge import RowId
from .problems import errors
from .schemas import Body

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["supervision"], responses=errors(401, 403, 404, 409))
Handle = Annotated[Actor, require("case.handle")]
Decide = Annotated[Actor, require("case.decide")]


class ClerkCardOut(BaseModel):
    window: str
    window_name: str
    name: str | None = Field(description="the signed-in clerk's name; null when nobody is signed in")
    staff_no: str | None = Field(description="工号")


class CallbackOut(BaseModel):
    reached: bool
    satisfied: bool | None
    note: str | None


class CaseTicketOut(BaseModel):
    id: int
    number: str
    business_day: str


class CaseOut(BaseModel):
    id: int
    status: str
    status_zh: str
    owner: str
    opened_at: str
    due_on: str
    overdue: bool
    ticket: CaseTicketOut
    service: str
    service_name: str
    window: str | None
    level: int
    reasons: list[str]
    excluded: bool = Field(description="an approved appeal took the rating out of every rate")
    response: str | None
    callback: CallbackOut | None
    appeal_reason: str | None
    appeal_by: str | None = Field(description="who filed the appeal: someone else decides it")
    decision_note: str | None
    closed_at: str | None


class RespondIn(Body):
    text: str = Field(min_length=1, max_length=2000)


class CallbackIn(Body):
    reached: bool
    satisfied: bool | None = Field(None, description="required when the citizen was reached")
    note: str | None = Field(None, max_length=500)


class AppealIn(Body):
    reason: str = Field(min_length=1, max_length=500)


class DecisionIn(Body):
    note: str | None = Field(None, max_length=500)


@router.get("/windows/{window}/clerk", response_model=ClerkCardOut)
def clerk_card(
    hall: str, window: str, c: Ctx, who: Annotated[Actor, require("hall.snapshot")]
) -> dict[str, Any]:
    """The clerk serving at a window (name and staff number), shown on its evaluation pad."""
    return posts.clerk_card(c, who, hall, window)


@router.get("/cases", response_model=list[CaseOut])
def list_cases(
    hall: str,
    c: Ctx,
    who: Annotated[Actor, require("case.read")],
    state: Literal["open", "responded", "called_back", "closed", "appealing", "appealed", "overdue"]
    | None = None,
) -> list[dict[str, Any]]:
    return cases.list_cases(c, who, hall, state)


@router.get("/cases/{case_id}", response_model=CaseOut)
def get_case(
    hall: str, case_id: RowId, c: Ctx, who: Annotated[Actor, require("case.read")]
) -> dict[str, Any]:
    return cases.get_case(c, who, hall, case_id)


@router.post("/cases/{case_id}/respond", response_model=CaseOut)
def respond(hall: str, case_id: RowId, body: RespondIn, c: Ctx, who: Handle) -> dict[str, Any]:
    """The owner's answer: what was found and what was changed."""
    return cases.act(c, who, hall, case_id, "respond", text=body.text)


@router.post("/cases/{case_id}/callback", response_model=CaseOut)
def callback(hall: str, case_id: RowId, body: CallbackIn, c: Ctx, who: Handle) -> dict[str, Any]:
    """回访: the citizen was called back (reached or not; satisfied or not)."""
    return cases.act(c, who, hall, case_id, "callback", **body.model_dump())


@router.post("/cases/{case_id}/close", response_model=CaseOut)
def close(hall: str, case_id: RowId, c: Ctx, who: Handle) -> dict[str, Any]:
    return cases.act(c, who, hall, case_id, "close")


@router.post("/cases/{case_id}/appeal", response_model=CaseOut)
def appeal(hall: str, case_id: RowId, body: AppealIn, c: Ctx, who: Handle) -> dict[str, Any]:
    """The rating was mistaken or malicious: a manager decides."""
    return cases.act(c, who, hall, case_id, "appeal", reason=body.reason)


@router.post("/cases/{case_id}/approve", response_model=CaseOut)
def approve(hall: str, case_id: RowId, body: DecisionIn, c: Ctx, who: Decide) -> dict[str, Any]:
    """The appeal stands: the rating stays on record but leaves every rate."""
    return cases.act(c, who, hall, case_id, "approve", note=body.note)


@router.post("/cases/{case_id}/reject", response_model=CaseOut)
def reject(hall: str, case_id: RowId, body: DecisionIn, c: Ctx, who: Decide) -> dict[str, Any]:
    return cases.act(c, who, hall, case_id, "reject", note=body.note)


class ReportColumnOut(BaseModel):
    key: str
    zh: str
    en: str
    unit: Literal["", "min", "%"]


class ReportRowOut(BaseModel):
    key: str
    label: str
    figures: dict[str, float | int | None]


class ReportOut(BaseModel):
    hall: str
    hall_name: str
    from_: str = Field(alias="from")
    to: str
    by: str
    by_zh: str
    columns: list[ReportColumnOut]
    rows: list[ReportRowOut]
    total: dict[str, float | int | None]
    cases: dict[str, int] = Field(description="cases of bad ratings in the range, by state, and overdue")
    case_labels: dict[str, str] = Field(description="the Chinese name of each key of `cases`")
    alerts: dict[str, int] = Field(description="alerts fired during the range, by kind")
    alert_labels: dict[str, str]

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


ReportBy = Literal["hall", "zone", "item", "window", "clerk", "day", "week", "month"]
Reader = Annotated[Actor, require("report.read")]
From = Annotated[date, Query(alias="from", description="first business day")]
To = Annotated[date, Query(description="last business day (inclusive)")]


@router.get("/reports", response_model=ReportOut, response_model_by_alias=True)
def get_report(hall: str, first: From, to: To, c: Ctx, who: Reader, by: ReportBy = "item") -> dict[str, Any]:
    """Counts, waits (mean, 90th percentile), outcomes, completion, satisfaction and call-back rates,
    and the cases of bad ratings, over business days `from`–`to`, one row per `by` group."""
    return reports.report(c, who, hall, first, to, by)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_SCHEMA = {"type": "string"}
XLSX_SCHEMA = {"type": "string", "format": "binary"}


@router.get(
    "/reports.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": CSV_SCHEMA}}, "description": "UTF-8 with BOM"}},
)
def report_csv(hall: str, first: From, to: To, c: Ctx, who: Reader, by: ReportBy = "item") -> Response:
    rep = reports.report(c, who, hall, first, to, by)
    return _download(report_export.to_csv(rep), "text/csv; charset=utf-8", rep, "csv")


@router.get(
    "/reports.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {"schema": XLSX_SCHEMA}}, "description": "a workbook"}},
)
def report_xlsx(hall: str, first: From, to: To, c: Ctx, who: Reader, by: ReportBy = "item") -> Response:
    rep = reports.report(c, who, hall, first, to, by)
    return _download(report_export.to_xlsx(rep), XLSX, rep, "xlsx")


def _download(body: bytes, media: str, rep: dict[str, Any], ext: str) -> Response:
    name = f"report-{rep['hall']}-{rep['from']}-{rep['to']}-{rep['by']}.{ext}"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


class AlertOut(BaseModel):
    id: int
    kind: str
    title: str
    title_en: str
    subject: str = Field(description="the item, window, device, case or zone it is about")
    facts: dict[str, Any]
    fired_at: str
    cleared_at: str | None = Field(description="when its condition ended")
    acked_at: str | None
    acked_by: str | None
    resolved_at: str | None
    resolved_by: str | None
    resolution: str | None


class ResolveIn(Body):
    note: str = Field(min_length=1, max_length=500, description="what was done")


@router.get("/alerts", response_model=list[AlertOut])
def list_alerts(hall: str, c: Ctx, who: Annotated[Actor, require("alert.read")]) -> list[dict[str, Any]]:
    """Alerts still active or not yet resolved, newest first."""
    return alerts.list_alerts(c, who, hall)


@router.post("/alerts/{alert_id}/ack", response_model=AlertOut)
def ack_alert(
    hall: str, alert_id: RowId, c: Ctx, who: Annotated[Actor, require("alert.handle")]
) -> dict[str, Any]:
    return alerts.act(c, who, hall, alert_id, "ack")


@router.post("/alerts/{alert_id}/resolve", response_model=AlertOut)
def resolve_alert(
    hall: str, alert_id: RowId, body: ResolveIn, c: Ctx, who: Annotated[Actor, require("alert.handle")]
) -> dict[str, Any]:
    return alerts.act(c, who, hall, alert_id, "resolve", body.note)
