"""The figures of a report and how each is computed from the summary's counters: one list, shared by
the API, the CSV and XLSX exports and the charts, so that they always show the same numbers.

Definitions (the README's "Reports" section repeats them):
- issued: tickets taken (a transfer continues its ticket: not counted again);
- wait: issue → first call; service: start → finish (done tickets);
- p90: the 90th percentile, rounded up to whole minutes (the least m with ≥ 90 % of cases ≤ m min);
- 办结率 completion: 受理 + 容缺受理 + 咨询 among finished tickets with a recorded outcome;
- 满意率 satisfaction: ratings above the bottom two levels among ratings not set aside on appeal;
- 回访率 call-back: bad ratings whose case recorded a call-back among bad ratings not set aside.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# The summary's additive counters, in table order (report_daily's columns).
COUNTERS = (
    "issued",
    "served",
    "no_show",
    "transferred",
    "cancelled",
    "waited",
    "wait_s",
    "service_n",
    "service_s",
    "accepted",
    "notice",
    "deferred",
    "refused",
    "consult",
    "rated_good",
    "rated_bad",
    "rated_excluded",
    "called_back",
)
HISTOGRAMS = ("wait_hist", "service_hist")  # {"minutes rounded up": count}


def p90(hist: Mapping[str, int]) -> int | None:
    n = sum(hist.values())
    if n == 0:
        return None
    need = math.ceil(0.9 * n)
    seen = 0
    for minute in sorted(hist, key=int):
        seen += hist[minute]
        if seen >= need:
            return int(minute)
    raise AssertionError("unreachable")


def minutes_up(seconds: float) -> int:
    return math.ceil(seconds / 60) if seconds > 0 else 0


def _ratio(num: int, den: int) -> float | None:
    return None if den == 0 else round(100 * num / den, 1)


def _mean_min(total_s: int, n: int) -> float | None:
    return None if n == 0 else round(total_s / n / 60, 1)


@dataclass(frozen=True)
class Figure:
    key: str
    zh: str
    en: str
    unit: str  # "" count · "min" · "%"
    of: Callable[[Mapping[str, Any]], Any]


def _c(key: str) -> Callable[[Mapping[str, Any]], Any]:
    return lambda a: a[key]


FIGURES: tuple[Figure, ...] = (
    Figure("issued", "取号", "Issued", "", _c("issued")),
    Figure("served", "办结", "Served", "", _c("served")),
    Figure("no_show", "过号", "No-show", "", _c("no_show")),
    Figure("transferred", "转办", "Transferred", "", _c("transferred")),
    Figure("cancelled", "取消", "Cancelled", "", _c("cancelled")),
    Figure("wait_mean", "平均等候", "Mean wait", "min", lambda a: _mean_min(a["wait_s"], a["waited"])),
    Figure("wait_p90", "90%等候", "90th pct wait", "min", lambda a: p90(a["wait_hist"])),
    Figure(
        "service_mean", "平均办理", "Mean service", "min", lambda a: _mean_min(a["service_s"], a["service_n"])
    ),
    Figure("service_p90", "90%办理", "90th pct service", "min", lambda a: p90(a["service_hist"])),
    Figure("accepted", "受理", "Accepted", "", _c("accepted")),
    Figure("notice", "一次性告知", "Notice given", "", _c("notice")),
    Figure("deferred", "容缺受理", "Accepted, materials owed", "", _c("deferred")),
    Figure("refused", "不予受理", "Not accepted", "", _c("refused")),
    Figure("consult", "咨询", "Consultation", "", _c("consult")),
    Figure(
        "completion",
        "办结率",
        "Completion",
        "%",
        lambda a: _ratio(
            a["accepted"] + a["deferred"] + a["consult"],
            a["accepted"] + a["deferred"] + a["consult"] + a["notice"] + a["refused"],
        ),
    ),
    Figure("rated", "评价数", "Ratings", "", lambda a: a["rated_good"] + a["rated_bad"]),
    Figure("bad", "差评", "Bad ratings", "", _c("rated_bad")),
    Figure("excluded", "申诉剔除", "Set aside on appeal", "", _c("rated_excluded")),
    Figure(
        "satisfaction",
        "满意率",
        "Satisfaction",
        "%",
        lambda a: _ratio(a["rated_good"], a["rated_good"] + a["rated_bad"]),
    ),
    Figure("callback", "回访率", "Call-back", "%", lambda a: _ratio(a["called_back"], a["rated_bad"])),
)


def empty() -> dict[str, Any]:
    return {**dict.fromkeys(COUNTERS, 0), **{h: {} for h in HISTOGRAMS}}


def add(into: dict[str, Any], row: Mapping[str, Any]) -> None:
    for key in COUNTERS:
        into[key] += row[key]
    for h in HISTOGRAMS:
        for minute, n in row[h].items():
            into[h][minute] = into[h].get(minute, 0) + n


def figures(acc: Mapping[str, Any]) -> dict[str, Any]:
    return {f.key: f.of(acc) for f in FIGURES}
