"""CardPoller against the virtual reader: once per presentation, removal, unplug/replug, stop."""

from __future__ import annotations

import threading

from drivers.idcard import CardPoller
from tests.support import wait_until


class Events:
    def __init__(self) -> None:
        self.items: list[object] = []
        self.lock = threading.Lock()

    def card(self, card) -> None:
        with self.lock:
            self.items.append(("card", card.id_number))

    def removed(self) -> None:
        with self.lock:
            self.items.append("removed")

    def error(self, exc) -> None:
        with self.lock:
            self.items.append(("error", type(exc).__name__))

    def kinds(self) -> list[object]:
        with self.lock:
            return [i if isinstance(i, str) else i[0] for i in self.items]

    def cards(self) -> list[str]:
        with self.lock:
            return [i[1] for i in self.items if isinstance(i, tuple) and i[0] == "card"]


def make_poller(port, ev: Events) -> CardPoller:
    return CardPoller(port, on_card=ev.card, on_removed=ev.removed, on_error=ev.error, interval=0.02)


def test_each_card_reported_once_per_presentation_and_removal(id_sim):
    ev = Events()
    poller = make_poller(id_sim.port, ev)
    poller.start()
    try:
        id_sim.present(0)
        assert wait_until(lambda: ev.cards() == ["11010519491231002X"])
        # Many more polls while the card lies there: no second report.
        polls = len(id_sim.commands)
        assert wait_until(lambda: len(id_sim.commands) > polls + 20)
        assert ev.cards() == ["11010519491231002X"] and "removed" not in ev.kinds()
        id_sim.remove()
        assert wait_until(lambda: ev.kinds() == ["card", "removed"])
        id_sim.present(0)  # the same person again: a new presentation
        assert wait_until(lambda: ev.cards() == ["11010519491231002X"] * 2)
        id_sim.remove()
        id_sim.present(3)
        assert wait_until(lambda: ev.cards()[-1:] == ["810000199508150029"])
    finally:
        poller.stop()
    assert not poller.running
    assert ev.kinds().count("card") == 3


def test_survives_unplug_and_replug(id_sim_linked):
    sim = id_sim_linked
    ev = Events()
    opened: list[str] = []  # every (re)open attempt asks for the port

    def port() -> str:
        opened.append(sim.port)
        return sim.port

    poller = make_poller(port, ev)
    poller.start()
    try:
        sim.present(1)
        assert wait_until(lambda: ev.cards() == ["120103198806018241"])
        sim.unplug()
        assert wait_until(lambda: "error" in ev.kinds())
        assert "removed" in ev.kinds()  # no reader, no card: the kiosk must not keep showing it
        errors_during_outage = ev.kinds().count("error")
        attempts = len(opened)
        assert wait_until(lambda: len(opened) >= attempts + 5)  # five more reopen attempts failed
        assert ev.kinds().count("error") == errors_during_outage  # reported once per outage
        sim.replug()
        sim.present(4)
        assert wait_until(lambda: ev.cards()[-1:] == ["933156198507070011"])
    finally:
        poller.stop()
    assert not poller.running


def test_port_given_as_callable_follows_a_changing_path(id_sim):
    ev = Events()
    poller = make_poller(lambda: id_sim.port, ev)
    poller.start()
    try:
        id_sim.unplug()
        id_sim.replug()  # a new /dev/pts/N
        id_sim.present(2)
        assert wait_until(lambda: ev.cards() == ["360426199101010071"])
    finally:
        poller.stop()


def test_stop_is_clean_even_while_reader_is_silent(id_sim):
    id_sim.set_fault("silence")
    ev = Events()
    poller = make_poller(id_sim.port, ev)
    poller.start()
    assert wait_until(lambda: "error" in ev.kinds())
    poller.stop()
    assert not poller.running
    assert not any(t.name == "idcard-poller" for t in threading.enumerate())


def test_sam_failure_reported_once_then_recovers(id_sim):
    id_sim.set_fault("sam_failure")
    ev = Events()
    poller = make_poller(id_sim.port, ev)
    poller.start()
    try:
        assert wait_until(lambda: ("error", "SamSelfTestFailed") in ev.items)
        polls = len(id_sim.commands)
        assert wait_until(lambda: len(id_sim.commands) > polls + 5)  # it keeps trying…
        assert ev.items.count(("error", "SamSelfTestFailed")) == 1  # …but says it once
        id_sim.set_fault(None)
        id_sim.present(0)
        assert wait_until(lambda: ev.cards() == ["11010519491231002X"])
    finally:
        poller.stop()
    assert id_sim.commands[0] == (0x11, 0xFF)  # the SAM is checked first


def test_a_missed_reply_does_not_report_the_card_removed(id_sim):
    ev = Events()
    poller = make_poller(id_sim.port, ev)
    poller.start()
    try:
        id_sim.present(2)
        assert wait_until(lambda: ev.cards() == ["360426199101010071"])
        id_sim.set_fault("silence")
        assert wait_until(lambda: ("error", "IdCardTimeout") in ev.items)
        id_sim.set_fault(None)
        polls = len(id_sim.commands)
        assert wait_until(lambda: len(id_sim.commands) > polls + 10)
        assert "removed" not in ev.kinds() and ev.cards() == ["360426199101010071"]
        id_sim.remove()
        assert wait_until(lambda: "removed" in ev.kinds())
    finally:
        poller.stop()
