"""The routing rule, clause by clause (pure module, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from queue_server.domain.routing import (
    Candidate,
    WindowView,
    ahead_of,
    call_order,
    choose_next,
    rank_key,
)

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


def c(
    tid: int,
    service: str = "A",
    waited: float = 5,
    cls: str = "normal",
    appt_in: float | None = None,
    target: str | None = None,
) -> Candidate:
    appt = None if appt_in is None else NOW + timedelta(minutes=appt_in)
    return Candidate(tid, service, ago(waited), cls, appt, target)  # type: ignore[arg-type]


W1 = WindowView("01", "open", {"A": 1, "B": 2})
ESC = {"A": timedelta(minutes=30), "B": timedelta(minutes=30), "C": None}

CASES = [
    # (clause, window, candidates, expected call order)
    ("only items in the window's skills", W1, [c(1, "C", 50), c(2, "A", 1)], [2]),
    ("nothing to call", W1, [c(1, "C")], []),
    ("paused window calls nothing", WindowView("01", "paused", {"A": 1}), [c(1)], []),
    ("closed window calls nothing", WindowView("01", "closed", {"A": 1}), [c(1)], []),
    ("longest wait first within a level", W1, [c(1, waited=3), c(2, waited=9), c(3, waited=6)], [2, 3, 1]),
    ("level 1 before level 2 even if level 2 waited longer", W1, [c(1, "B", 20), c(2, "A", 1)], [2, 1]),
    ("escalated ticket before any level", W1, [c(1, "A", 10), c(2, "B", 31)], [2, 1]),
    (
        "several escalated: the window's own level first, then the longest wait",
        W1,
        [c(1, "A", 35), c(2, "B", 50), c(3, "A", 1), c(4, "A", 40), c(5, "B", 45)],
        [4, 1, 2, 5, 3],
    ),
    (
        "an escalated backup ticket still goes before the window's own fresh ones",
        W1,
        [c(1, "A", 29), c(2, "B", 31), c(3, "A", 2)],
        [2, 1, 3],
    ),
    (
        "no threshold, no escalation",
        WindowView("01", "open", {"A": 1, "C": 2}),
        [c(1, "C", 500), c(2, "A", 1)],
        [2, 1],
    ),
    ("exactly at the threshold is not escalated", W1, [c(1, "B", 30), c(2, "A", 1)], [2, 1]),
    (
        "due appointment before priority before normal",
        W1,
        [c(1, waited=20), c(2, cls="priority", waited=2), c(3, cls="appointment", appt_in=-1, waited=1)],
        [3, 2, 1],
    ),
    (
        "appointment not yet due ranks as normal",
        W1,
        [c(1, waited=20), c(2, cls="appointment", appt_in=10, waited=25)],
        [2, 1],
    ),
    (
        "appointment not yet due ranks as normal (shorter wait)",
        W1,
        [c(1, waited=20), c(2, cls="appointment", appt_in=10, waited=1)],
        [1, 2],
    ),
    (
        "priority class only counts within the same level",
        W1,
        [c(1, "A", 1), c(2, "B", 20, cls="priority")],
        [1, 2],
    ),
    (
        "tie on wait time: lower ticket id first",
        W1,
        [c(7, waited=5), c(3, waited=5), c(5, waited=5)],
        [3, 5, 7],
    ),
    (
        "transferred to this window: a candidate at level 1 even without the skill",
        W1,
        [c(1, "A", 5), c(2, "C", 10, target="01")],
        [2, 1],
    ),
    (
        "transferred to another window: never a candidate here",
        W1,
        [c(1, "A", 50, target="02"), c(2, "A", 1)],
        [2],
    ),
]


@pytest.mark.parametrize(("clause", "window", "candidates", "expected"), CASES, ids=[x[0] for x in CASES])
def test_call_order(
    clause: str, window: WindowView, candidates: list[Candidate], expected: list[int]
) -> None:
    order = call_order(window, candidates, ESC, NOW)
    assert [x.ticket_id for x in order] == expected
    chosen = choose_next(window, candidates, ESC, NOW)
    assert (chosen.ticket_id if chosen else None) == (expected[0] if expected else None)


def test_backup_post_covers_when_primary_pauses() -> None:
    primary = WindowView("01", "paused", {"A": 1})
    backup = WindowView("02", "open", {"B": 1, "A": 3})
    queue = [c(1, "A", 10)]
    assert choose_next(primary, queue, ESC, NOW) is None
    assert choose_next(backup, queue, ESC, NOW).ticket_id == 1  # type: ignore[union-attr]
    # ...but the backup post serves its own items first.
    assert choose_next(backup, [*queue, c(2, "B", 1)], ESC, NOW).ticket_id == 2  # type: ignore[union-attr]


def test_input_order_does_not_matter() -> None:
    queue = [c(1, waited=3), c(2, waited=9), c(3, "B", 40), c(4, cls="priority", waited=1)]
    first = [x.ticket_id for x in call_order(W1, queue, ESC, NOW)]
    assert [x.ticket_id for x in call_order(W1, list(reversed(queue)), ESC, NOW)] == first == [3, 4, 2, 1]


def test_ahead_counts_tickets_any_serving_window_calls_first() -> None:
    w1 = WindowView("01", "open", {"A": 1})
    w2 = WindowView("02", "open", {"A": 2, "B": 1})
    w3 = WindowView("03", "paused", {"A": 1, "C": 1})
    mine = c(10, "A", 5)
    queue = [c(1, "A", 9), c(2, "B", 1), c(3, "A", 1), c(4, "C", 50), mine]
    # Window 01 calls 1 before mine; window 02 calls 2 (its level-1 item) and 1 first; 3 is behind;
    # window 03 is paused, so ticket 4 does not count.
    assert ahead_of(mine, [w1, w2, w3], queue, ESC, NOW) == (2, 2)


def test_ahead_with_no_open_window() -> None:
    assert ahead_of(c(1), [WindowView("01", "closed", {"A": 1})], [c(1)], ESC, NOW) == (0, 0)


def brute_force_ahead(mine: Candidate, windows: list[WindowView], queue: list[Candidate]) -> int:
    """The definition, ticket by ticket: ahead if some open window serving mine calls it first."""
    serving = [w for w in windows if w.state == "open" and rank_key(w, mine, ESC, NOW) is not None]
    return sum(
        1
        for x in queue
        if x.ticket_id != mine.ticket_id
        and any(
            (k := rank_key(w, x, ESC, NOW)) is not None and k < rank_key(w, mine, ESC, NOW)  # type: ignore[operator]
            for w in serving
        )
    )


_tickets = st.builds(
    c,
    tid=st.integers(1, 40),
    service=st.sampled_from("ABC"),
    waited=st.sampled_from([0, 1, 5, 5, 29, 31, 60]),  # repeats: ties in wait order
    cls=st.sampled_from(["normal", "normal", "priority", "appointment"]),
    appt_in=st.sampled_from([None, -10, 10]),
    target=st.sampled_from([None, None, None, "01", "02"]),
)
_windows = st.lists(
    st.builds(
        WindowView,
        code=st.sampled_from(["01", "02", "03"]),
        state=st.sampled_from(["open", "open", "paused"]),
        skills=st.dictionaries(st.sampled_from("ABC"), st.integers(1, 4), max_size=3),
    ),
    max_size=4,
    unique_by=lambda w: w.code,
)


@settings(max_examples=400, deadline=None)
@given(queue=st.lists(_tickets, min_size=1, max_size=25, unique_by=lambda x: x.ticket_id), windows=_windows)
def test_bucket_count_matches_the_definition(queue: list[Candidate], windows: list[WindowView]) -> None:
    for mine in queue:
        ahead, serving = ahead_of(mine, windows, queue, ESC, NOW)
        assert ahead == brute_force_ahead(mine, windows, queue)
        assert serving == sum(1 for w in windows if w.state == "open" and rank_key(w, mine, ESC, NOW))
