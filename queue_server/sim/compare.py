"""Every policy on the same day: the figures the CLI prints and the bench tabulates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..hall_config.load import load_hall_file
from .demand import load_demand, scenario
from .engine import Run, simulate
from .metrics import figures
from .policies import compared

COLUMNS = (
    ("tickets", "号票 tickets"),
    ("mean_wait_min", "平均等候 mean wait"),
    ("p90_wait_min", "P90"),
    ("max_wait_min", "最长 max"),
    ("over_threshold_share", "超时占比 over threshold"),
    ("utilisation", "窗口利用率 utilisation"),
    ("eta_mae_min", "预计误差 ETA MAE"),
    ("eta_in_range_share", "落入区间 in range"),
    ("naive_eta_mae_min", "朴素估计误差 naive MAE"),
    ("eta_spans_break_share", "区间到午休 range reaches lunch"),
    ("eta_mae_within_session_min", "午休前误差 MAE, range short of lunch"),
    ("naive_eta_mae_within_session_min", "同上朴素 naive, same tickets"),
    ("count_eta_mae_min", "计数估计误差 counted MAE"),
    ("count_in_range_share", "计数区间命中 counted in range"),
)


def compare_files(
    hall: str | Path, demand: str | Path, seed: int, scale: int = 1
) -> tuple[dict[str, Any], list[Run]]:
    """{"policies": {name: figures}} and the runs themselves (for plots)."""
    cfg = load_hall_file(hall)
    wanted = load_demand(demand, cfg)
    day = scenario(cfg, wanted, seed, scale)
    runs = [simulate(day, p, seed) for p in compared(day, wanted.variants)]
    return {"policies": {r.policy.name: figures(r, day) for r in runs}}, runs


def table(result: dict[str, Any]) -> str:
    """A Markdown table, one policy a row."""
    head = "| 方案 policy | " + " | ".join(label for _, label in COLUMNS) + " |"
    rows = [head, "|" + "---|" * (len(COLUMNS) + 1)]
    for name, f in result["policies"].items():
        cells = ["" if f[key] is None else _cell(key, f[key]) for key, _ in COLUMNS]
        rows.append(f"| {f['label']} (`{name}`) | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _cell(key: str, value: float) -> str:
    return f"{value:.0%}" if key.endswith(("share", "utilisation")) else f"{value:g}"
