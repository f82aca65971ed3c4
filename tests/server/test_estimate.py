from datetime import UTC, datetime, timedelta

from queue_server.domain.estimate import (
    OVERRUN_SHARE,
    PAUSE_MIN,
    eta_range,
    on_clock,
    placed_range,
    remaining,
    replayed_range,
    replayed_wait,
)
from queue_server.domain.routing import Candidate, WindowView


def test_unknown_when_no_open_window() -> None:
    assert eta_range(3, 0, [5, 6, 7, 8], 10) == (None, None)


def test_default_when_little_history() -> None:
    # 2 ahead, 1 window, 10 min default: low = 2 * 6, high = 3 * 14
    assert eta_range(2, 1, [1.0], 10) == (12, 42)


def test_from_recent_service_times_and_windows() -> None:
    low, high = eta_range(4, 2, [4, 4, 4, 4, 8, 8, 8, 8], 30)
    assert low is not None and high is not None
    assert 0 < low <= high
    # Quartiles of the history (≈4 and ≈8 min) over 2 windows, not the 30-min default.
    assert low <= 4 * 4 / 2 + 1 and high <= (4 + 1) * 8 / 2 + 1


def test_more_windows_shorter_wait() -> None:
    one = eta_range(6, 1, [], 10)
    three = eta_range(6, 3, [], 10)
    assert three[0] < one[0] and three[1] < one[1]  # type: ignore[operator]


# ---- the replayed wait: the routing rule run forward over the queue ---------------------------------

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
MINUTES = {"X": 10.0, "Y": 5.0}


def waiting(tid: int, service: str, ago: float, cls: str = "normal") -> Candidate:
    return Candidate(tid, service, NOW - timedelta(minutes=ago), cls)  # type: ignore[arg-type]


def test_replay_sees_a_backup_post_clear_its_own_items_first() -> None:
    """Window A serves X; B serves Y first and X as backup. Two X and three Y wait before me (X):
    A takes X1 (0–10), B takes Y1, Y2, Y3 (0–15), then B is free first and takes me at 15 while A is
    still on X2 (10–20). Counting would say 5 ahead over 2 windows."""
    a, b = WindowView("A", "open", {"X": 1}), WindowView("B", "open", {"Y": 1, "X": 2})
    queue = [
        waiting(1, "X", 9),
        waiting(2, "X", 8),
        waiting(3, "Y", 7),
        waiting(4, "Y", 6),
        waiting(5, "Y", 5),
    ]
    me = waiting(9, "X", 0)
    assert replayed_wait(me, [a, b], queue, {}, NOW, MINUTES) == 15
    # Without the backup post only A serves X: X1, X2, then me at 20.
    assert replayed_wait(me, [a, WindowView("B", "open", {"Y": 1})], queue, {}, NOW, MINUTES) == 20
    # A window still busy for 4 minutes starts later.
    assert replayed_wait(me, [a, b], queue, {}, NOW, MINUTES, busy_for={"A": 4, "B": 4}) == 19


def test_a_ticket_past_its_typical_time_still_takes_a_share_of_it() -> None:
    """A window whose current ticket has run past the item's typical time is not taken as free in a
    minute: it needs `OVERRUN_SHARE` of the typical time still (it used to be 1 minute)."""
    assert remaining(10.0, 4.0) == 6.0  # on time: the rest of the typical time
    assert remaining(10.0, 25.0) == OVERRUN_SHARE * 10.0 == 3.0
    assert remaining(20.0, 19.0) == OVERRUN_SHARE * 20.0  # never less than the share
    a = WindowView("A", "open", {"X": 1})
    me = waiting(9, "X", 0)
    assert replayed_wait(me, [a], [], {}, NOW, MINUTES, busy_for={"A": remaining(10.0, 30.0)}) == 3.0


def test_replay_follows_escalation_and_the_priority_lane() -> None:
    a = WindowView("A", "open", {"X": 1, "Y": 2})
    # Y waited 50 min with a 30-min threshold: escalated, it goes before every X.
    queue = [waiting(1, "Y", 50), waiting(2, "X", 3)]
    me = waiting(9, "X", 0)
    escalation = {"X": None, "Y": timedelta(minutes=30)}
    assert replayed_wait(me, [a], queue, escalation, NOW, MINUTES) == 15  # Y (5) then X (10)
    assert replayed_wait(me, [a], queue, {}, NOW, MINUTES) == 10  # not escalated: Y waits (level 2)
    elder = waiting(9, "X", 0, "priority")
    assert replayed_wait(elder, [a], queue, {}, NOW, MINUTES) == 0  # the priority lane first


def test_replay_is_unknown_when_no_open_window_serves_the_item() -> None:
    me = waiting(9, "X", 0)
    assert replayed_wait(me, [WindowView("A", "paused", {"X": 1})], [], {}, NOW, MINUTES) is None
    assert replayed_wait(me, [WindowView("B", "open", {"Y": 1})], [], {}, NOW, MINUTES) is None
    assert replayed_range(None) == (None, None)


def test_a_paused_window_on_a_short_break_comes_back_in_the_replay() -> None:
    """A serves X; B (X as well) is paused, its clerk signed in: a break, not gone for the day. Three
    X wait before me: A alone would call me at 30; with B back after PAUSE_MIN (10) A takes X1 (0-10),
    A and B take X2 and X3 at 10, and A calls me at 20. A paused window whose clerk signed out
    (not staffed), or `paused_for=None`, is left out."""
    a = WindowView("A", "open", {"X": 1})
    b = WindowView("B", "paused", {"X": 1})
    queue = [waiting(1, "X", 9), waiting(2, "X", 8), waiting(3, "X", 7)]
    me = waiting(9, "X", 0)
    assert PAUSE_MIN == 10
    assert replayed_wait(me, [a, b], queue, {}, NOW, MINUTES) == 20
    assert replayed_wait(me, [a, b], queue, {}, NOW, MINUTES, paused_for=None) == 30
    gone = WindowView("B", "paused", {"X": 1}, staffed=False)
    assert replayed_wait(me, [a, gone], queue, {}, NOW, MINUTES) == 30
    # Paused windows alone do not make an estimate: nobody calls now (as before).
    assert replayed_wait(me, [b], queue, {}, NOW, MINUTES) is None


def test_printed_range_holds_the_replayed_wait() -> None:
    for minutes in (0.0, 0.4, 3.0, 15.0, 42.5, 120.0):
        low, high = replayed_range(minutes)
        assert low is not None and high is not None and 0 <= low <= minutes <= high
    # A window free for it now: called within the minute. The middle of the range is the point
    # estimate, and "0–1" put it half a minute late for every ticket called at once.
    assert replayed_range(0.0) == (0, 0)
    low, high = replayed_range(0.5)
    assert (low, high) != (0, 0) and low == 0 and high is not None and high >= 1
    assert (
        replayed_range(40.0)[1] - replayed_range(40.0)[0] > replayed_range(10.0)[1] - replayed_range(10.0)[0]
    )


# ---- the range on the day's clock: the queue pauses over lunch ----------------------------------

DAY = datetime(2026, 12, 1, tzinfo=UTC)
HOURS = [
    (DAY + timedelta(hours=8.5), DAY + timedelta(hours=12)),
    (DAY + timedelta(hours=14.5), DAY + timedelta(hours=17.5)),
]


def at(h: int, m: int) -> datetime:
    return DAY + timedelta(hours=h, minutes=m)


def test_a_range_within_the_session_is_printed_as_it_is() -> None:
    assert placed_range((4, 16), at(9, 0), HOURS) == (4, 16)
    assert placed_range((None, None), at(9, 0), HOURS) == (None, None)


def test_a_middle_before_lunch_keeps_the_range_before_it() -> None:
    """11:40, 4–16 open minutes: called by 11:50 or so; nobody is called in the break, so the range
    ends at 12:00 (20 min) instead of running 2.5 hours into it."""
    assert placed_range((4, 16), at(11, 40), HOURS) == (4, 16)
    assert placed_range((4, 30), at(11, 40), HOURS) == (4, 20)


def test_the_replay_runs_across_lunch() -> None:
    """One window, two X (10 min) before me, lunch 15–165 min from now: X1 0–10, X2 10–20 (the clerk
    finishes it), me at the reopening, 165. Without the break: 20."""
    a = WindowView("A", "open", {"X": 1})
    queue = [waiting(1, "X", 9), waiting(2, "X", 8)]
    me = waiting(9, "X", 0)
    assert replayed_wait(me, [a], queue, {}, NOW, MINUTES) == 20
    assert replayed_wait(me, [a], queue, {}, NOW, MINUTES, closed=[(15.0, 165.0)]) == 165


def test_a_middle_past_lunch_gets_an_after_lunch_range() -> None:
    """11:40, 30 open minutes to wait (20 before lunch, 10 after it: 180 on the clock). The range's
    width comes from the open minutes (11–49 → 161–199) and it starts no earlier than 14:30 (170).
    Adding the whole break to the high end only would have printed 11–199, its middle in the break."""
    lunch = [(20.0, 170.0)]
    assert replayed_range(180.0, lunch) == (161, 199)
    assert on_clock((14, 46), lunch) == (164, 196)  # the counted range, placed the same way
    assert on_clock((4, 16), lunch) == (4, 16)  # its middle before lunch: nothing added
    assert placed_range((164, 196), at(11, 40), HOURS) == (170, 196)


def test_after_the_last_session_the_queue_is_served_out_not_carried_overnight() -> None:
    assert placed_range((10, 40), at(17, 20), HOURS) == (10, 40)
    assert placed_range((10, 40), at(20, 0), HOURS) == (10, 40)  # closed now: nothing to place
