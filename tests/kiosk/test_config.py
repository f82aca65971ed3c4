"""Settings: validation explains every wrong value; saving is atomic and round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import config as cfgmod
from kiosk.devaddr import validate_printer_url


def test_example_config_loads_and_is_valid() -> None:
    cfg = cfgmod.load(Path(__file__).resolve().parents[2] / "config" / "kiosk.example.toml")
    assert cfg.server.hall == "xiqu"
    assert cfg.ui.idle_timeout_s == 30
    assert cfg.maintenance.max_tries == 5


@pytest.mark.parametrize(
    "url",
    [
        "usb://04b8:0e15",
        "serial:///dev/ttyUSB0?baud=9600&flow=xonxoff",
        "tcp://192.168.1.20:9100",
        "tcp://printer.local",
        "file:///dev/usb/lp0",
        "dummy:",
    ],
)
def test_printer_address_forms_of_the_design_are_accepted(url: str) -> None:
    assert validate_printer_url(url) is None
    cfgmod.validate(cfgmod.KioskConfig().with_values({"printer.url": url}))


@pytest.mark.parametrize(
    "url",
    [
        "lpt://1",
        "usb://4b8:e15x",
        "serial:///dev/ttyUSB0?baud=12345",
        "serial:///dev/ttyUSB0?flow=dsrdtr",
        "serial://ttyUSB0",
        "tcp://:9100",
        "file://relative/lp0",
        "",
    ],
)
def test_wrong_printer_addresses_are_explained(url: str) -> None:
    with pytest.raises(cfgmod.ConfigError) as err:
        cfgmod.validate(cfgmod.KioskConfig().with_values({"printer.url": url}))
    assert "printer.url" in err.value.errors
    assert "/" in err.value.errors["printer.url"]  # bilingual: "中文 / English"


def test_every_wrong_value_is_reported_at_once() -> None:
    cfg = cfgmod.KioskConfig().with_values(
        {
            "server.url": "ftp://x",
            "reader.baud": "12345",
            "scanner.port": "ttyS0",
            "ui.idle_timeout_s": "3",
            "printer.profile": "90mm",
        }
    )
    with pytest.raises(cfgmod.ConfigError) as err:
        cfgmod.validate(cfg)
    assert set(err.value.errors) == {
        "server.url",
        "reader.baud",
        "scanner.port",
        "ui.idle_timeout_s",
        "printer.profile",
    }


def test_a_number_field_with_letters_is_refused_not_crashed() -> None:
    with pytest.raises(cfgmod.ConfigError) as err:
        cfgmod.KioskConfig().with_values({"reader.baud": "fast"})
    assert "reader.baud" in err.value.errors


def test_save_round_trips_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    cfg = cfgmod.KioskConfig().with_values(
        {
            "server.url": "http://10.0.0.5:8000",
            "server.token": 'tok"en\\x',
            "reader.port": "/dev/idcard",
            "ui.common_items": "A,B",
            "ui.large_text": "true",
        }
    )
    cfgmod.save(cfg, path)
    assert cfgmod.load(path) == cfg
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.toml"]
    assert path.stat().st_mode & 0o077 == 0  # token and PIN hash: owner only


def test_invalid_config_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    cfgmod.save(cfgmod.KioskConfig(), path)
    before = path.read_bytes()
    with pytest.raises(cfgmod.ConfigError):
        cfgmod.save(cfgmod.KioskConfig().with_values({"printer.url": "nonsense"}), path)
    assert path.read_bytes() == before


def test_unknown_keys_in_the_file_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('[server]\nurl = "http://127.0.0.1:8000"\nprot = 5\n')
    with pytest.raises(cfgmod.ConfigError) as err:
        cfgmod.load(path)
    assert "server.prot" in err.value.errors
