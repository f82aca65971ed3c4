from queue_server.domain.estimate import eta_range


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
