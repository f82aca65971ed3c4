"""Reports: a generated day with known times (the fake clock drives the service layer through the API)
whose every figure is asserted exactly, live on the day and from the summary afterwards, on both
databases; the CSV, the XLSX (opened with openpyxl) and `queue-server report` hold the same cells."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from queue_server.cli import main as cli_main
from queue_server.db.models import ReportDaily, ReportDay
from queue_server.services import reports
from queue_server.services.context import SYSTEM, Context
from tests.conftest import FakeClock

from .helpers import COMPANY, HALL, PENSION, call_next, issue, sqlite_only

DAY = "2026-11-25"  # the fake clock's Wednesday; 10:00 in Shanghai
COMPANY_FORM = "公司登记（备案）申请书"


def _act(client: TestClient, t: dict[str, Any], action: str, **body: Any) -> dict[str, Any]:
    r = client.post(f"/api/v1/tickets/{t['id']}/{action}", json=body or None)
    assert r.status_code == 200, r.text
    return r.json()


def _call(client: TestClient, window: str, expect: dict[str, Any]) -> None:
    called = call_next(client, window)
    assert called is not None and called["number"] == expect["number"], called


def generate_day(
    client: TestClient, app_client: TestClient, clock: FakeClock, decider: TestClient
) -> dict[str, Any]:
    """Six tickets of two items at windows 05 and 01, with times to the minute (see the figures)."""
    p1, p2, p3, p4 = (issue(client, PENSION) for _ in range(4))  # 10:00
    clock.advance(minutes=4)  # 10:04
    _call(client, "05", p1)
    clock.advance(minutes=1)
    _act(client, p1, "start")
    clock.advance(minutes=6)  # 10:11
    _act(client, p1, "finish", outcome={"kind": "accepted"})
    _call(client, "05", p2)
    _act(client, p2, "start")
    clock.advance(minutes=2)  # 10:13
    _act(client, p2, "finish", outcome={"kind": "consult"})
    _call(client, "05", p3)
    clock.advance(minutes=2)  # 10:15
    _act(client, p3, "no-show")
    _act(client, p4, "cancel")
    c1, c2 = issue(client, COMPANY), issue(client, COMPANY)  # 10:15
    clock.advance(minutes=5)  # 10:20
    _call(client, "01", c1)
    _act(client, c1, "start")
    clock.advance(minutes=10)  # 10:30
    _act(client, c1, "finish", outcome={"kind": "notice", "missing": [COMPANY_FORM]})
    _call(client, "01", c2)
    clock.advance(minutes=1)
    _act(client, c2, "start")
    clock.advance(minutes=1)  # 10:32: to the pension item; its wait is not counted again
    successor = _act(client, c2, "transfer", service=PENSION, reason="应办理养老认证")
    clock.advance(minutes=1)  # 10:33
    _call(client, "05", successor)
    _act(client, successor, "start")
    clock.advance(minutes=4)  # 10:37
    _act(client, successor, "finish", outcome={"kind": "accepted"})
    rate = "/api/v1/public/tickets/{}/evaluation"
    assert app_client.post(rate.format(p1["token"]), json={"level": 5}).status_code == 201
    bad = app_client.post(rate.format(p2["token"]), json={"level": 2}).json()["case"]
    wrong = app_client.post(rate.format(c1["token"]), json={"level": 1}).json()["case"]
    cases = f"/api/v1/halls/{HALL}/cases"
    client.post(f"{cases}/{bad}/respond", json={"text": "已提醒窗口提速"})
    client.post(f"{cases}/{bad}/callback", json={"reached": True, "satisfied": True})
    client.post(f"{cases}/{wrong}/appeal", json={"reason": "群众误触"})
    assert decider.post(f"{cases}/{wrong}/approve", json={}).json()["excluded"] is True
    return {"p1": p1}


# item → every figure, worked out by hand from the times above.
PENSION_ROW = {
    "issued": 4, "served": 3, "no_show": 1, "transferred": 0, "cancelled": 1,
    "wait_mean": 9.3, "wait_p90": 13,  # waits 4, 11, 13 min (p3 was called, then missed)
    "service_mean": 4.0, "service_p90": 6,  # 6, 2, 4 min
    "accepted": 2, "notice": 0, "deferred": 0, "refused": 0, "consult": 1, "completion": 100.0,
    "rated": 2, "bad": 1, "excluded": 0, "satisfaction": 50.0, "callback": 100.0,
}  # fmt: skip
COMPANY_ROW = {
    "issued": 2, "served": 1, "no_show": 0, "transferred": 1, "cancelled": 0,
    "wait_mean": 10.0, "wait_p90": 15,  # 5, 15 min
    "service_mean": 10.0, "service_p90": 10,
    "accepted": 0, "notice": 1, "deferred": 0, "refused": 0, "consult": 0, "completion": 0.0,
    "rated": 0, "bad": 0, "excluded": 1, "satisfaction": None, "callback": None,
}  # fmt: skip
TOTAL = {
    "issued": 6, "served": 4, "no_show": 1, "transferred": 1, "cancelled": 1,
    "wait_mean": 9.6, "wait_p90": 15,  # 2880 s / 5; 4, 5, 11, 13, 15
    "service_mean": 5.5, "service_p90": 10,  # 1320 s / 4; 2, 4, 6, 10
    "accepted": 2, "notice": 1, "deferred": 0, "refused": 0, "consult": 1, "completion": 75.0,
    "rated": 2, "bad": 1, "excluded": 1, "satisfaction": 50.0, "callback": 100.0,
}  # fmt: skip


def _report(client: TestClient, by: str = "item", first: str = DAY, to: str = DAY) -> dict[str, Any]:
    r = client.get(f"/api/v1/halls/{HALL}/reports", params={"from": first, "to": to, "by": by})
    assert r.status_code == 200, r.text
    return r.json()


def _by_key(rep: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["label"]: row["figures"] for row in rep["rows"]}


def test_a_known_day_every_figure(
    ctx: Context, clock: FakeClock, client: TestClient, app_client: TestClient, login: Any
) -> None:
    generate_day(client, app_client, clock, login("manager2", "manager"))
    live = _report(client)  # on the day itself: counted from the tickets
    rows = _by_key(live)
    assert len(rows) == 2
    pension = next(v for k, v in rows.items() if PENSION in k)
    company = next(v for k, v in rows.items() if COMPANY in k)
    assert pension == PENSION_ROW
    assert company == COMPANY_ROW
    assert live["total"] == TOTAL
    assert live["cases"]["called_back"] == 1 and live["cases"]["appealed"] == 1
    with ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(ReportDay)) == 0  # today is never stored
    # The next day, the same figures come from the summary, built once.
    clock.advance(days=1)
    assert _report(client) == live
    with ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(ReportDay)) == 1
    by_window = {
        k: (v["issued"], v["served"], v["cancelled"]) for k, v in _by_key(_report(client, "window")).items()
    }
    assert sorted(by_window.values()) == [(1, 0, 1), (2, 1, 0), (3, 3, 0)]
    assert _report(client, "hall")["rows"][0]["figures"] == TOTAL
    assert _report(client, "day", DAY, "2026-11-26")["rows"][0]["key"] == DAY
    # Weeks and months are summed from their days once they have ended: the same figures.
    clock.advance(days=40)  # 4 January 2027 (the service itself: staff tokens have expired by then)
    for by, key in (("month", "2026-11"), ("week", "2026-11-23"), ("item", None)):
        rep = reports.report(ctx, SYSTEM, HALL, date(2026, 11, 1), date(2026, 12, 31), by)
        assert rep["total"] == TOTAL, by
        if key:
            assert [r["key"] for r in rep["rows"]] == [key]
    with ctx.read() as s:
        spans = set(s.scalars(select(ReportDay.span)))
    assert spans == {"day", "week", "month"}


@sqlite_only
def test_a_late_change_rebuilds_the_day(
    clock: FakeClock, client: TestClient, app_client: TestClient, login: Any
) -> None:
    """An appeal decided after the day was summarised takes the rating out of the rate."""
    t = issue(client, PENSION)
    call_next(client, "05")
    _act(client, t, "start")
    _act(client, t, "finish")
    case = app_client.post(f"/api/v1/public/tickets/{t['token']}/evaluation", json={"level": 1}).json()[
        "case"
    ]
    clock.advance(days=1)
    assert _report(client)["total"]["satisfaction"] == 0.0
    client.post(f"/api/v1/halls/{HALL}/cases/{case}/appeal", json={"reason": "误触"})
    login("manager2", "manager").post(f"/api/v1/halls/{HALL}/cases/{case}/approve", json={})
    total = _report(client)["total"]
    assert (total["satisfaction"], total["rated"], total["excluded"]) == (None, 0, 1)


@sqlite_only
def test_exports_hold_the_same_cells(
    ctx: Context,
    clock: FakeClock,
    client: TestClient,
    app_client: TestClient,
    tmp_path: Path,
    db_url: str,
    login: Any,
) -> None:
    generate_day(client, app_client, clock, login("manager2", "manager"))
    params = {"from": DAY, "to": DAY, "by": "item"}
    r = client.get(f"/api/v1/halls/{HALL}/reports.csv", params=params)
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    cells = [_trim([_same(v) for v in row]) for row in csv.reader(io.StringIO(r.content.decode("utf-8-sig")))]
    x = client.get(f"/api/v1/halls/{HALL}/reports.xlsx", params=params)
    assert x.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(x.content))

    def sheet_cells(ws: Any) -> list[list[str]]:
        """Cells as the CSV writes them (a sheet pads short rows to its width: cut the padding)."""
        return [_trim([_same(v) for v in row]) for row in ws.iter_rows(values_only=True)]

    table = sheet_cells(wb["报表"])
    assert table == cells[: len(table)]
    assert table[-1][0] == "合计" and table[-1][1] == "6"  # issued
    head = table[1]
    assert table[-1][head.index("满意率（%）")] == "50"
    cases = sheet_cells(wb["整改"])
    assert cases == cells[len(table) + 1 : len(table) + 1 + len(cases)]
    assert sheet_cells(wb["告警"]) == cells[len(table) + len(cases) + 2 :]
    # The command line writes the same workbook.
    out = tmp_path / "r.xlsx"
    argv = ["report", "--db", db_url, "--hall", HALL, "--from", DAY, "--to", DAY, "--by", "item"]
    assert cli_main([*argv, "--format", "xlsx", "-o", str(out)]) == 0
    assert sheet_cells(openpyxl.load_workbook(out)["报表"]) == table


def _same(v: Any) -> str:
    """A cell as text, numbers written alike (a sheet reads 10.0 back as 10)."""
    if v is None:
        return ""
    try:
        return f"{float(v):g}"
    except ValueError:
        return str(v)


def _trim(row: list[str]) -> list[str]:
    """Without the empty cells a sheet pads short rows with."""
    return row[: max((i + 1 for i, v in enumerate(row) if v), default=0)]


@sqlite_only
def test_bad_ranges_are_refused_plainly(client: TestClient, login: Any) -> None:
    r = client.get(f"/api/v1/halls/{HALL}/reports", params={"from": "2026-11-25", "to": "2026-11-01"})
    assert r.status_code == 422 and "日期范围" in r.json()["detail"]
    assert client.get(f"/api/v1/halls/{HALL}/reports", params={"from": "x", "to": DAY}).status_code == 422
    assert (
        login("clerk7", "clerk")
        .get(f"/api/v1/halls/{HALL}/reports", params={"from": DAY, "to": DAY})
        .status_code
        == 403
    )


pytestmark = pytest.mark.timeout(300)


def test_cover_takes_whole_months_then_weeks_then_days() -> None:
    from datetime import timedelta

    from queue_server.services.reports import cover

    parts = cover(date(2026, 10, 29), date(2026, 12, 13), ("month", "week", "day"))
    december = [("day", date(2026, 12, 1) + timedelta(days=i)) for i in range(6)]  # Tuesday to Sunday
    assert parts == [
        ("day", date(2026, 10, 29)),
        ("day", date(2026, 10, 30)),
        ("day", date(2026, 10, 31)),
        ("month", date(2026, 11, 1)),
        *december,
        ("week", date(2026, 12, 7)),  # Monday to Sunday 13 December
    ]
    assert cover(date(2026, 12, 7), date(2026, 12, 13), ("day",)) == [
        ("day", date(2026, 12, 7) + timedelta(days=i)) for i in range(7)
    ]


@sqlite_only
def test_ended_days_are_summarised_ahead(ctx: Context, clock: FakeClock, client: TestClient) -> None:
    issue(client, PENSION)
    assert reports.build_recent(ctx) == 7  # the 7 days before today (empty ones too: never asked again)
    assert reports.build_recent(ctx) == 0
    clock.advance(days=1)
    assert reports.build_recent(ctx) == 1  # the day just ended; today is never stored
    with ctx.read() as s:
        days = s.scalars(select(ReportDay.business_day).order_by(ReportDay.business_day)).all()
        rows = s.scalars(select(ReportDaily.business_day)).all()
    assert days[0] == date(2026, 11, 18) and days[-1] == date(2026, 11, 25) and len(days) == 8
    assert set(rows) == {date(2026, 11, 25)}
