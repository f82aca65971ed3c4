"""Maintenance PIN: hashed, never stored in clear; five wrong tries lock, and the lock survives a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.pin import PinGuard, hash_pin, verify_pin


def test_pin_is_stored_salted_and_hashed() -> None:
    a, b = hash_pin("2468"), hash_pin("2468")
    assert "2468" not in a
    assert a != b  # salted
    assert verify_pin("2468", a) and verify_pin("2468", b)
    assert not verify_pin("2469", a)
    assert not verify_pin("2468", "garbage")


@pytest.mark.parametrize("pin", ["123", "abcd", "1234567890123", ""])
def test_weak_or_malformed_pins_are_refused(pin: str) -> None:
    with pytest.raises(ValueError):
        hash_pin(pin)


def test_lockout_after_five_wrong_tries_persists_and_expires(tmp_path: Path) -> None:
    now = [1000.0]
    stored = hash_pin("2468")
    guard = PinGuard(tmp_path / "pin.json", max_tries=5, lockout_s=600, clock=lambda: now[0])
    lefts = [guard.check("0000", stored).tries_left for _ in range(4)]
    assert lefts == [4, 3, 2, 1]
    fifth = guard.check("0000", stored)
    assert not fifth.ok and fifth.locked_until == 1600.0
    assert not guard.check("2468", stored).ok  # even the right PIN while locked
    restarted = PinGuard(tmp_path / "pin.json", max_tries=5, lockout_s=600, clock=lambda: now[0])
    assert restarted.locked_until() == 1600.0
    assert not restarted.check("2468", stored).ok
    now[0] = 1601.0
    assert restarted.check("2468", stored).ok


def test_a_right_pin_resets_the_count(tmp_path: Path) -> None:
    stored = hash_pin("2468")
    guard = PinGuard(tmp_path / "pin.json", max_tries=5, lockout_s=600)
    for _ in range(4):
        guard.check("1111", stored)
    assert guard.check("2468", stored).ok
    assert guard.check("1111", stored).tries_left == 4


def test_no_pin_configured_opens_nothing(tmp_path: Path) -> None:
    guard = PinGuard(tmp_path / "pin.json", max_tries=5, lockout_s=600)
    assert not guard.check("", "").ok
