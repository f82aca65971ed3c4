"""Simulated devices speaking the real protocols over pseudo-terminals, TCP or a FIFO: for tests,
for `kiosk --simulate`, and for trying the diagnostics command without hardware."""

from drivers.sim.cards import EXAMPLE_CARDS, encode_card, load_cards
from drivers.sim.devices import SimulatedDevices
from drivers.sim.idcard import VirtualIdCardReader
from drivers.sim.printer import VirtualPrinter
from drivers.sim.scanner import VirtualScanner

__all__ = ["EXAMPLE_CARDS", "SimulatedDevices", "VirtualIdCardReader", "VirtualPrinter", "VirtualScanner",
           "encode_card", "load_cards"]
