"""Group commit of concurrent issues: one transaction per batch, yet every request stands alone."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from queue_server.db.models import AuditEvent, Hall, Ticket, User
from queue_server.hall_config.load import load_hall_file
from queue_server.runtime import open_context
from queue_server.services import accounts, issuing, posts, windows
from queue_server.services.context import SYSTEM, Actor, Context
from queue_server.services.errors import Conflict, LimitReached, NotFound
from queue_server.services.group_commit import GroupCommit, Job
from queue_server.services.hall_import import import_hall
from queue_server.services.identity import actor_of_user
from tests.conftest import EXAMPLE_HALL
from tests.support import wait_until

from .helpers import HALL, PENSION

MANAGER = Actor(name="manager-a", role="manager", halls=(HALL,))


def _job(service: str = PENSION, actor: Actor = MANAGER, key: str | None = None) -> Job:
    return Job(actor, HALL, issuing.IssueRequest(service, key or uuid.uuid4().hex, None, "counter"))


def test_group_commit_gives_each_job_its_own_outcome_and_batches_under_load() -> None:
    group = GroupCommit()
    sizes: list[int] = []

    def process(batch: list[Job]) -> None:
        sizes.append(len(batch))
        if len(sizes) == 1:  # a slow first transaction: every other thread's request arrives meanwhile
            wait_until(lambda: len(group._pending) >= 15, what="15 requests waiting")
        for job in batch:
            if job.args[0] % 7 == 0:
                job.error = ValueError(job.args[0])
            else:
                job.result = job.args[0] * 10

    def one(i: int) -> object:
        try:
            return group.submit(Job(i), process)
        except ValueError as exc:
            return f"error {exc}"

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(one, range(1, 101)))
    assert results == [f"error {i}" if i % 7 == 0 else i * 10 for i in range(1, 101)]
    assert sum(sizes) == 100
    assert sizes[0] == 1 and sizes[1] >= 15  # those that arrived during a transaction shared the next one


def test_a_refused_request_does_not_touch_the_others_in_its_batch(ctx: Context) -> None:
    other = Actor(name="kiosk-7", role="kiosk", device="kiosk-7", halls=(HALL,))
    jobs = [
        _job(),
        _job("NO-SUCH-ITEM"),
        _job(actor=other),
        Job(MANAGER, "no-such-hall", issuing.IssueRequest(PENSION, "k-1", None, "counter")),
        _job(key="same-key"),
        _job(key="same-key"),  # a retry inside the same batch: the same ticket
    ]
    issuing._write(ctx, jobs)
    assert isinstance(jobs[1].error, NotFound) and isinstance(jobs[3].error, NotFound)
    made = [jobs[0].result, jobs[2].result, jobs[4].result]
    assert [t.number for t in made] == ["S001", "S002", "S003"]
    assert [t.ahead for t in made] == [0, 1, 2]
    assert jobs[5].result == jobs[4].result.id
    with ctx.read() as s:
        assert s.scalar(select(Ticket.id).where(Ticket.idempotency_key == "same-key")) == made[2].id
        actors = dict(
            s.execute(
                select(AuditEvent.object_id, AuditEvent.actor).where(AuditEvent.action == "ticket.issue")
            ).all()
        )
    # Each ticket's audit entry names who asked for it, not whoever led the batch.
    assert actors == {str(made[0].id): "manager-a", str(made[1].id): "kiosk-7", str(made[2].id): "manager-a"}


def test_limits_count_the_tickets_issued_earlier_in_the_same_batch(ctx: Context) -> None:
    card = issuing.IdCardData("110101199003070935", "张三")
    jobs = [
        Job(MANAGER, HALL, issuing.IssueRequest(PENSION, uuid.uuid4().hex, card, "counter")) for _ in range(7)
    ]
    issuing._write(ctx, jobs)
    # The item allows one ticket per ID per day: the first request of the batch gets it.
    assert jobs[0].error is None and jobs[0].result.number == "S001"
    assert all(isinstance(job.error, LimitReached) for job in jobs[1:])


def test_a_failed_batch_is_redone_request_by_request_without_gaps(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    failures = iter([True])
    real = issuing.next_number

    def flaky(*args: object) -> str:
        if next(failures, False):
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(issuing, "next_number", flaky)
    jobs = [_job() for _ in range(4)]
    issuing._write(ctx, jobs)
    assert [job.error for job in jobs] == [None] * 4
    # The rolled-back batch left no ticket and used no number.
    assert [job.result.number for job in jobs] == ["S001", "S002", "S003", "S004"]
    with ctx.read() as s:
        assert len(s.scalars(select(Ticket.id)).all()) == 4


def test_concurrent_issues_get_exact_places_in_line(ctx: Context) -> None:
    start = threading.Barrier(12)

    def one(_: int) -> dict[str, object]:
        start.wait()
        req = issuing.IssueRequest(PENSION, uuid.uuid4().hex, None, "counter")
        return issuing.issue(ctx, MANAGER, HALL, req, "http://x/")[0]

    with ThreadPoolExecutor(12) as pool:
        views = list(pool.map(one, range(36)))
    # One item, nobody called yet: the ticket numbered k has exactly k - 1 tickets ahead of it,
    # whichever batch it was issued in.
    by_number = sorted(views, key=lambda v: str(v["number"]))
    assert [v["waiting_ahead"] for v in by_number] == list(range(36))


def test_each_process_sees_a_layout_change_made_by_another(ctx: Context, db_url: str) -> None:
    """Routing's view of windows is kept per process; a change made elsewhere must replace it."""
    other = open_context(db_url, migrate=False)  # a second server process, as far as caches go
    other.clock = ctx.clock
    try:

        def issue() -> dict[str, object]:
            req = issuing.IssueRequest(PENSION, uuid.uuid4().hex, None, "counter")
            return issuing.issue(ctx, MANAGER, HALL, req, "http://x/")[0]

        first = issue()
        assert first["eta_max"] is not None  # window 05 serves the item
        for code in ("05", "06"):  # its primary and backup posts
            windows.update_window(other, SYSTEM, HALL, code, state="paused")
        with pytest.raises(Conflict) as refused:  # nobody serves the item now: seen at once
            issue()
        assert refused.value.code == "unstaffed"
        windows.update_window(other, SYSTEM, HALL, "07", skills=[(PENSION, 1)])
        # Window 07 (staffed) took the item on: tickets again, with the first one ahead and an
        # estimate; 07 calls the first ticket.
        second = issue()
        assert second["waiting_ahead"] == 1 and second["eta_max"] is not None
        assert windows.call_next(ctx, MANAGER, HALL, "07")["number"] == first["number"]  # type: ignore[index]
    finally:
        other.sessions.kw["bind"].dispose()


def test_only_changes_of_what_routing_reads_move_the_layout_version(ctx: Context) -> None:
    """The layout cache is invalidated by the services that change what routing and availability read:
    windows, items, zones, and who staffs a window (walk-in tickets and the ETA need a staffed window);
    not by a change that changes nothing."""

    def version() -> int:
        with ctx.read() as s:
            return s.scalar(select(Hall.layout_seq).where(Hall.code == HALL))

    start = version()
    accounts.create_user(ctx, SYSTEM, "clerk-l", "clerk", "password-l-1", [HALL])
    with ctx.read() as s:
        clerk = actor_of_user(s.scalar(select(User).where(User.username == "clerk-l")))
    posts.sign_in(ctx, clerk, HALL, "05")  # window 05 is staffed now
    assert version() == start + 1
    posts.sign_out(ctx, clerk, HALL, "05")
    assert version() == start + 2
    windows.update_window(ctx, SYSTEM, HALL, "05", state="open")  # no change at all
    import_hall(ctx, SYSTEM, load_hall_file(EXAMPLE_HALL))  # the same file again
    assert version() == start + 2
    windows.update_window(ctx, SYSTEM, HALL, "05", state="paused")
    assert version() == start + 3
    cfg = load_hall_file(EXAMPLE_HALL)
    cfg.services[0].escalate_after_min = 99
    import_hall(ctx, SYSTEM, cfg)
    assert version() == start + 4
