"""`serve --clock-start` and `import-hall` with the calendar beside it, as real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from queue_server.runtime import shifted_clock
from tests.support import EXAMPLE_HALL, ROOT, ServerProcess, run_cli


def test_a_server_started_on_a_holiday_evening(db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "QUEUE_DATA_DIR": str(tmp_path / "data")}
    out = run_cli("import-hall", str(EXAMPLE_HALL), "--db", db_url, env=env)
    assert "calendar imported: 2026" in out.stdout  # config/calendar/ beside the hall file's folder
    srv = ServerProcess(db_url, tmp_path / "data", None, "--clock-start", "2026-10-02T21:45:00+08:00").start()
    try:
        hall = httpx.get(f"{srv.url}/api/v1/halls/xiqu", timeout=10).json()
        assert (hall["open_now"], hall["closed_reason"], hall["next_open"]) == (
            False,
            "国庆节",
            "2026-10-08T08:30:00+08:00",
        )
    finally:
        srv.stop()


def test_the_shifted_clock_starts_at_the_instant_and_runs_on() -> None:
    start = datetime.fromisoformat("2026-12-01T21:45:00+08:00")
    clock = shifted_clock(start)
    first, second = clock(), clock()
    assert timedelta(0) <= first - start < timedelta(seconds=5) and second >= first


def test_clock_start_needs_an_offset() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "queue_server", "serve", "--clock-start", "2026-12-01T21:45:00"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "+08:00" in done.stderr
