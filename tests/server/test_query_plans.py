"""No hot query reads the tickets table from end to end: every statement that issuing, calling,
public status, a window's view and the snapshot send is explained on both databases, and a full scan
of `tickets` (a plan that grows with every ticket ever stored) fails the test."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from queue_server.services import issuing, snapshot, tickets, windows
from queue_server.services.context import SYSTEM, Context

from .helpers import COMPANY, HALL

# SQLite: "SCAN tickets" (optionally "USING [COVERING] INDEX …": still every row); PostgreSQL: a
# sequential scan. An index search ("SEARCH tickets USING INDEX … (hall_id=? AND …)") is what we want;
# on SQLite a search by the hall alone reads every ticket the hall ever had, so it counts as a scan
# too (SQLite picks indexes by their columns; PostgreSQL by statistics, which on the test's few rows
# rate every index alike, so there only sequential scans are judged).
FULL_SCAN = re.compile(
    r"^SCAN tickets\b|^SEARCH tickets USING (?:COVERING )?INDEX \w+ \(hall_id=\?\)$|Seq Scan on tickets\b",
    re.MULTILINE,
)


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, sql: str, params: Any, context: Any, executemany: bool) -> None:
        if (
            not executemany
            and re.search(r"\btickets\b", sql)
            and sql.lstrip().upper().startswith(("SELECT", "UPDATE", "WITH"))
        ):
            seen.append((sql, params))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def plan(engine: Engine, sql: str, params: Any) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
            return "\n".join(str(r[-1]) for r in rows)
        # With sequential scans priced out, the planner uses an index wherever one can serve.
        conn.exec_driver_sql("SET enable_seqscan = off")
        return "\n".join(str(r[0]) for r in conn.exec_driver_sql("EXPLAIN " + sql, params).all())


def test_hot_queries_never_scan_the_tickets_table(ctx: Context) -> None:
    engine: Engine = ctx.sessions.kw["bind"]
    with statements(engine) as seen:
        issued = [
            issuing.issue(
                ctx, SYSTEM, HALL, issuing.IssueRequest(COMPANY, uuid.uuid4().hex, channel="counter"), ""
            )
            for _ in range(3)
        ]
        tickets.public_status(ctx, issued[0][0]["token"])
        tickets.public_status_by_number(ctx, HALL, issued[0][0]["number"])
        snapshot.snapshot(ctx, HALL)
        snapshot.window_view(ctx, HALL, "01")
        windows.list_windows(ctx, HALL)
        called = windows.call_next(ctx, SYSTEM, HALL, "01")
        assert called is not None
        tickets.act(ctx, SYSTEM, called["id"], "start")
        tickets.act(ctx, SYSTEM, called["id"], "finish")
        windows.call_next(ctx, SYSTEM, HALL, "01")
    assert len(seen) >= 10, "the operations ran their queries"
    scans = {}
    for sql, params in seen:
        found = plan(engine, sql, params)
        if FULL_SCAN.search(found):
            scans[sql] = found
    assert not scans, "\n\n".join(f"{sql}\n--> {p}" for sql, p in scans.items())
