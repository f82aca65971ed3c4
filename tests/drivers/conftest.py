"""Fixtures: simulated devices on real pseudo-terminals and TCP sockets."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from drivers.sim import VirtualIdCardReader, VirtualPrinter, VirtualScanner


def wait_until(condition: Callable[[], object], timeout: float = 5.0) -> bool:
    """Polls `condition` until true; a generous limit that only guards against hangs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return bool(condition())


@pytest.fixture
def id_sim() -> Iterator[VirtualIdCardReader]:
    sim = VirtualIdCardReader().start()
    yield sim
    sim.stop()


@pytest.fixture
def id_sim_linked(tmp_path) -> Iterator[VirtualIdCardReader]:
    """A reader behind a stable symlink, as a udev rule gives one (/dev/idcard)."""
    sim = VirtualIdCardReader(link=str(tmp_path / "idcard")).start()
    yield sim
    sim.stop()


@pytest.fixture
def tcp_printer() -> Iterator[VirtualPrinter]:
    vp = VirtualPrinter(transport="tcp").start()
    yield vp
    vp.stop()


@pytest.fixture
def pty_printer(tmp_path) -> Iterator[VirtualPrinter]:
    vp = VirtualPrinter(transport="pty", path=str(tmp_path / "ttyPrinter")).start()
    yield vp
    vp.stop()


@pytest.fixture
def scanner_sim() -> Iterator[VirtualScanner]:
    sim = VirtualScanner("CR").start()
    yield sim
    sim.stop()
