"""SimulatedDevices: the three simulators together, driven by the production drivers."""

from __future__ import annotations

from drivers.idcard import IdCardReader
from drivers.printer import example_ticket, open_printer
from drivers.scanner import LineScanner
from drivers.sim import SimulatedDevices
from tests.support import wait_until


def test_all_devices_from_their_config(tmp_path):
    with SimulatedDevices.start(png_dir=str(tmp_path)) as devices:
        cfg = devices.config()
        with open_printer(cfg["printer"]["url"], cfg["printer"]["profile"]) as printer:
            assert printer.status().ready is True
            printer.print_document(example_ticket())
        with IdCardReader(cfg["idcard"]["port"], cfg["idcard"]["baud"]) as reader:
            devices.idcard.present(1)
            card = reader.read_once()
        with LineScanner(cfg["scanner"]["port"], cfg["scanner"]["baud"], cfg["scanner"]["terminator"]) as s:
            devices.scanner.scan("YY7318")
            scan = s.read_line(5)
        assert wait_until(lambda: len(list(tmp_path.glob("job-*.png"))) == 1)
    assert card is not None and card.masked()["id_number"] == "1201**********8241"
    assert scan == "YY7318"
