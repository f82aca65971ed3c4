"""The `kiosk` command: --simulate reaches Home against a real server and stops cleanly; --set-pin."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from kiosk import config as cfgmod
from kiosk.pin import verify_pin


def test_kiosk_simulate_reaches_home_and_stops_on_sigterm(queue_server: Any, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    errors = tmp_path / "stderr.txt"  # a file, not a pipe nobody reads while the app runs
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "--simulate",
            "--server",
            queue_server.url,
            "--windowed",
            "--token",
            queue_server.kiosk_token,
            "--config",
            str(tmp_path / "absent.toml"),
            "--data-dir",
            str(tmp_path / "data"),
            "--print-startup-time",
        ],
        stdout=subprocess.PIPE,
        stderr=errors.open("w"),
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    lines = []
    deadline = time.monotonic() + 30
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("home ready") or time.monotonic() > deadline:
            break
    assert any(line.startswith("home ready") for line in lines), (lines, errors.read_text()[-3000:])
    assert any("maintenance PIN 2468" in line for line in lines)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0, errors.read_text()[-3000:]
    log = (tmp_path / "data" / "log" / "kiosk.log").read_text(encoding="utf-8")
    assert "simulated printer at tcp://127.0.0.1:" in log and "server reachable" in log
    # The catalogue was cached for offline use.
    cached = json.loads((tmp_path / "data" / "catalogue-xiqu.json").read_text(encoding="utf-8"))
    assert len(cached["services"]) == 29 and cached["hall"]["code"] == "xiqu"


def test_set_pin_stores_only_a_hash(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(path), "--set-pin"],
        input="975310\n",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    text = path.read_text()
    assert "975310" not in text
    assert verify_pin("975310", cfgmod.load(path).maintenance.pin_hash)
    bad = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(path), "--set-pin"],
        input="12\n",
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and path.read_text() == text


def test_a_broken_config_file_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('[printer]\nurl = "lpt://1"\n')
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 2
    assert "printer.url" in result.stderr


def test_production_refuses_the_example_pin(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "config" / "kiosk.example.toml"
    path = tmp_path / "kiosk.toml"
    path.write_text(example.read_text())
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(path)],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 2
    assert "示例" in result.stderr and "example's 2468" in result.stderr and "--set-pin" in result.stderr
    assert "Traceback" not in result.stderr


def test_simulate_keeps_its_settings_in_its_data_dir(queue_server: Any, tmp_path: Path) -> None:
    """Without --config, --simulate reads and saves kiosk.toml in its data directory, never /etc."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("KIOSK_CONFIG", None)
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--simulate", "--server", queue_server.url, "--windowed",
         "--token", queue_server.kiosk_token, "--data-dir", str(data), "--print-startup-time"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("home ready"):
            break
    proc.send_signal(signal.SIGTERM)
    proc.wait(30)
    said = "".join(lines)
    assert f"settings in {data / 'kiosk.toml'}" in said
    assert f"printed tickets as PNG in {data / 'tickets'}" in said and (data / "tickets").is_dir()
