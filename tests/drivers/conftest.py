"""Fixtures: simulated devices on real pseudo-terminals and TCP sockets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.sim import VirtualIdCardReader, VirtualPrinter, VirtualScanner


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
