"""Regenerate bench/sim: RESULTS.md, results.json and the plots, from the example hall and demand files.

    .venv/bin/python bench/sim/run.py [--seed 1] [--seeds 20]

The reference day is one seed; the goals are also checked on the mean over `--seeds` days, so that
one lucky or unlucky day does not decide them.
"""

from __future__ import annotations

import argparse
import json
import textwrap
import time
from pathlib import Path
from statistics import fmean
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager

from queue_server.hall_config.load import load_hall_file
from queue_server.sim.compare import compare_files, table
from queue_server.sim.demand import load_demand, scenario, single_item_day
from queue_server.sim.engine import Run, simulate
from queue_server.sim.metrics import erlang_c_wait
from queue_server.sim.model import Scenario
from queue_server.sim.policies import ours, pooled_within_skills

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
HALL = ROOT / "config" / "hall.example.toml"
DEMAND = ROOT / "config" / "demand.example.toml"
CJK = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


NOTES = """## What the figures say

- **Routing as configured (c)** beats dedicated windows (a) on the mean wait by the goal's margin, but
  misses pooling (b) and the over-threshold goal (see Goals). What limits it is the hall's skills, not
  the rule: window 09 (户政, police only) is the only window that may serve its items, at about 92 % load
  all day, while 03/04 (construction) and 12/13 idle more than half of it and social security (05/06)
  queues all morning. The Goals line "without any rule" measures that limit: every window but 09 serves
  every other item first come first served, 09 serves 户政 alone, and the hall still waits about twice as
  long as under (b), above (b)'s 1.2 ×; 09's tickets alone add 4.7 min to the hall's mean wait over 20
  days, against 3.8 allowed; taking ID cards before 户籍迁入 at 09 (the shorter item first, the order with
  the shortest mean at one window) still adds 3.7, which would leave 0.1 min of mean wait for everyone
  else. So no routing rule and no backup layout of the other windows meets "(c) within 1.2 × of (b)"
  while 户政 stays with the police post; only more police capacity, or other clerks allowed to handle 户政,
  would. With every window backing up every item (`full_backup`) the mean wait is below fully pooled
  FCFS, because windows keep to their own trade first (pooled pays `backup_slowdown` = 1.2 on foreign
  items). `social_backup` is the realistic step (03, 04 and 13 back up social security and medical
  insurance): it meets the over-threshold goal and the mean-wait goal against (a), not pooling.
  `cross_trained` also gives 09's items to 03/04/13 (not allowed for police items in most halls). The
  example hall file was left as it is (tests and pages rely on its skills); which backup posts to add is
  the hall's decision, and these variants are the numbers for it.
- **Escalation by level** (`domain/routing.py`, December 2026): overdue tickets still come first, but
  a window now takes its own overdue tickets (its best level) before the overdue tickets it only backs
  up; before, the longest-waiting overdue ticket came first whatever its level. Window 06 (medical
  insurance, backing up social security) used to take every overdue social-security ticket before its
  own medical-insurance line, which then went overdue in turn: medical-insurance tickets waited 35 min
  under (c) against 8.5 min at dedicated windows. Same arrivals, 20 days, before → after: `ours` mean
  wait 22.6 → 20.9 min, P90 57.4 → 52.5, over threshold 23.7 % → 22.2 %, ETA error 7.60 → 7.29 (naive
  16.97), longest wait 226.6 → 230.5 min; every backup variant's mean wait and share over threshold
  fell too (`social_backup` 13.7 → 13.1 min, 12.8 % → 12.2 %; `cross_trained` 10.1 → 9.4 min), and
  `full_backup` is unchanged. No constant was tuned. Also measured and not taken: escalation only
  within a level (a backup post takes foreign tickets only when its own lines are empty): over
  threshold 20.0 %, mean 20.5 min, but longest wait 236.8 min, ETA error 8.19 and in range 84 %; it
  gives up the AB岗 promise that an overdue queue is covered by its backup posts.
- **Printed wait**: the server replays the routing rule over the queue (`estimate.replayed_wait`, 0.4
  × it − 1 to 1.6 × it + 1 minutes, "0–0" with a window free for it now; the `counted` columns are the
  count-based range printed beyond 300 waiting). The replay runs across lunch: nobody is called in
  today's breaks, a clerk finishes the ticket in hand and calls again at the reopening, so the wait is
  on the clock; the range's width comes from the open minutes only, and `estimate.placed_range` keeps
  it in the period where its middle falls (11:40 with 30 open minutes to wait prints "170–199 min",
  not "14–196"). A paused window whose clerk is signed in (a short break) now calls again after
  `PAUSE_MIN` (10) in the replay; it used to count as gone all day, so every ticket issued during
  window 05's morning break (10:00–10:20) was promised after lunch and called before it (errors of
  about 200 minutes). With that, the mean error fell from 9.25 to 8.08 min (20 days, naive 18.53), and
  the range was re-tuned on seeds 1–5 (0.5/1.5 → 0.4/1.6: 80 % → 83 % of waits inside at the same
  error; seeds 6–20: 84.5 %). What remains comes from people who arrive later with precedence
  (escalation, the priority lane, due appointments, a window's own items): no replay of the present
  queue sees them.
- **Printed wait with broad backup posts**: with every window backing up every item (`full_backup`)
  waits are a few minutes, and the replay's error was 0.75 × the naive one, not 0.5 × (20 days: 1.59
  min against naive 2.11; the naive figure is 0 for about 91 % of tickets, since their item has nobody
  waiting, which is right for every ticket called at once). Two causes, both in `domain/estimate.py`:
  (1) a ticket with a window free for it got "0–1", so its point estimate (the middle) was half a
  minute late, and 58 % of `full_backup` tickets are called at once: it now gets "0–0" (called within
  the minute); (2) a window whose ticket ran past its item's typical time was taken as free in 1
  minute (`max(typical − elapsed, 1)`), and the tickets the replay promised for "1 min" waited 2.4 min
  on average (seeds 1–5): it now needs 0.3 × the typical time still (`estimate.remaining`, used by the
  server and the simulator alike). The share was tuned on seeds 1–10 (0.1–0.4 are within 0.04 × naive
  of each other on every policy) and checked on seeds 11–20. Mean error over 20 days, before → after
  (naive): `ours` 8.15 → 7.60 (18.53), `plus_social` 5.93 → 5.44 (11.24), `move_13_to_social` 6.49 →
  5.95 (12.47), `social_backup` 5.75 → 5.24 (10.88), `cross_trained` 4.80 → 4.23 (8.57), `full_backup`
  1.59 → 1.10 (2.11); in range 83–87 % → 87–95 %. Every routed policy now meets "≤ 0.5 × naive" on the
  20-day mean except `full_backup`, which misses by 0.05 min (0.52 × naive; seeds 1–10: 0.56, seeds
  11–20: 0.49). What is left there is mostly chance: with all windows busy the ticket goes to
  whichever clerk finishes first, and even printing the median actual wait of the tickets with the
  same replayed wait (known only afterwards) would lower the error by only about 4 % (seeds 1–10).
  Tried, no better on seeds 1–10: remaining times from the recent service times (their mean or median
  past the time spent, a quantile by the number of busy windows), later arrivals replayed at the last
  hour's rate, a wider, higher or narrower range (0.3–0.6 / 1.5–2.2, pad 0–1).
- **Tried, not kept** (November 2026, before escalation by level): escalating earlier (at 0.75, 0.5, 0.3
  × each item's `escalate_after_min`, 8 days): over threshold 21.5–22.5 % against 22.9 %, mean wait 1–6
  % longer. Also (20 days, November 2026): ordering within a precedence tier by due time (wait start +
  the item's threshold, EDF) and letting a window's own tickets past 0.7 × their threshold go before
  foreign escalated ones: mean wait 22.6 → 20.1 min, over threshold 23.7 % → 19.5 % (goal 18.5 %), in
  range 80 %; with earlier escalation on top (0.7 ×, own at 0.3 ×) 18.4 % but in range 79 %. Tuned to
  the yardstick and still short of it, so those were not taken; the 户政 post (09, police only, no backup
  possible) alone keeps about 5.7 points of the share over threshold in every rule.
- Definitions: a wait is issue → first call (both spells for a transferred ticket), over the tickets
  called that day; the ETA is judged on the first spell, at the middle of the printed range, over
  tickets that got a range; naive = same-item tickets waiting × configured mean ÷ open windows serving
  the item (no lunch in it: the yardstick as the issue defines it). Over threshold = wait > the
  item's `escalate_after_min` (30 min when unset). At lunch clerks finish their current ticket and
  leave, the queue waits; at the day's end they serve it out. "Range reaches lunch": tickets whose
  printed range reaches lunch: cut at 12:00, or after it. The dedicated and pooled policies
  call first come first served; their printed range is still the product's (a replay of the
  product's rule), so only (c)'s ETA figures are the goal's.
"""


def goals(p: dict[str, dict[str, Any]], ours: str = "ours") -> list[tuple[str, str, bool]]:
    a, b, c = p["dedicated"], p["pooled"], p[ours]
    return [
        (
            "mean wait (c) ≤ 0.6 × (a)",
            f"{c['mean_wait_min']:.1f} vs {0.6 * a['mean_wait_min']:.1f}",
            c["mean_wait_min"] <= 0.6 * a["mean_wait_min"],
        ),
        (
            "mean wait (c) ≤ 1.2 × (b)",
            f"{c['mean_wait_min']:.1f} vs {1.2 * b['mean_wait_min']:.1f}",
            c["mean_wait_min"] <= 1.2 * b["mean_wait_min"],
        ),
        (
            "over threshold (c) ≤ 0.5 × (a)",
            f"{c['over_threshold_share']:.1%} vs {0.5 * a['over_threshold_share']:.1%}",
            c["over_threshold_share"] <= 0.5 * a["over_threshold_share"],
        ),
        (
            "ETA MAE (c) ≤ 0.5 × naive",
            f"{c['eta_mae_min']:.2f} vs {0.5 * c['naive_eta_mae_min']:.2f}",
            c["eta_mae_min"] <= 0.5 * c["naive_eta_mae_min"],
        ),
        (
            "(for information) the same, tickets whose range does not reach lunch",
            f"{c['eta_mae_within_session_min']:.2f} vs {0.5 * c['naive_eta_mae_within_session_min']:.2f}",
            c["eta_mae_within_session_min"] <= 0.5 * c["naive_eta_mae_within_session_min"],
        ),
        (
            "actual wait in printed range (c) ≥ 80 %",
            f"{c['eta_in_range_share']:.1%}",
            c["eta_in_range_share"] >= 0.8,
        ),
    ]


def mean_wait_within_skills(day: Scenario) -> float:
    """Mean wait when pooled where the hall's skills allow (policies.pooled_within_skills)."""
    run = simulate(day, pooled_within_skills(day), estimates=False)
    return fmean(t.waited for t in run.tickets if t.first_call is not None)


def plots(runs: list[Run]) -> None:
    font_manager.fontManager.addfont(str(CJK))
    plt.rcParams["font.family"] = font_manager.FontProperties(fname=str(CJK)).get_name()
    names = [r.policy.label.split(" / ")[0] for r in runs]

    fig, ax = plt.subplots(figsize=(12, 5.5))
    waits = [[t.waited for t in r.tickets if t.first_call is not None] for r in runs]
    ax.boxplot(waits, whis=(10, 90), showfliers=True, flierprops={"markersize": 2})
    ax.set_xticks(range(1, len(runs) + 1), [textwrap.fill(n, 10) for n in names])
    ax.set_ylabel("等候时间 wait (min)")
    ax.set_title("每种方案的等候时间分布 Wait per policy (box: quartiles, whiskers: P10–P90)")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(HERE / "wait_distribution.png", dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(14, 5.5))
    for r, name in zip(runs, names, strict=True):
        xs = [r.start / 60] + [t / 60 for t, _ in r.queue]
        ys = [0] + [n for _, n in r.queue]
        ax.step(xs, ys, where="post", label=name, linewidth=1.2)
    ax.set_xlabel("时刻 time of day (h)")
    ax.set_ylabel("等候人数 tickets waiting")
    ax.set_title("全天排队人数 Queue length over the day")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")  # beside the curves, not on them
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(HERE / "queue_length.png", dpi=110)
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seeds", type=int, default=20)
    args = ap.parse_args()
    result, runs = compare_files(HALL, DEMAND, args.seed)
    plots(runs)
    many = [compare_files(HALL, DEMAND, s)[0]["policies"] for s in range(1, args.seeds + 1)]
    mean = {
        name: {
            k: round(fmean(d[name][k] for d in many), 3)
            for k in result["policies"][name]
            if isinstance(many[0][name][k], float | int)
        }
        for name in result["policies"]
    }
    hall = load_hall_file(HALL)
    demand = load_demand(DEMAND, hall)
    within = [mean_wait_within_skills(scenario(hall, demand, s)) for s in range(1, args.seeds + 1)]
    within_ref = mean_wait_within_skills(scenario(hall, demand, args.seed))
    erlang = []
    for servers, rate in ((3, 0.18), (2, 0.11)):
        waits: list[float] = []
        for seed in range(4):
            sc = single_item_day(servers, rate, 10.0, 800_000, seed)
            waits += [t.waited for t in simulate(sc, ours(sc), seed, estimates=False).tickets]
        erlang.append((servers, rate, len(waits), fmean(waits), erlang_c_wait(rate, 10.0, servers)))
    big = scenario(hall, demand, args.seed, scale=9)
    started = time.perf_counter()
    simulate(big, ours(big), args.seed)
    big_seconds = time.perf_counter() - started
    (HERE / "results.json").write_text(
        json.dumps(
            {
                "reference_day": result,
                "mean_over_seeds": mean,
                "big_day": {"tickets": len(big.arrivals), "seconds": round(big_seconds, 2)},
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    lines = [
        "# Hall simulator: results",
        "",
        "Regenerate everything here (table, `results.json`, plots) with one command:",
        "",
        "```sh",
        f".venv/bin/python bench/sim/run.py --seed {args.seed} --seeds {args.seeds}",
        "```",
        "",
        f"Example hall and its reference day (`config/demand.example.toml`), seed {args.seed}; the same",
        "arrivals, service times, no-shows and transfers for every policy. For machines:",
        "`queue-server simulate --hall config/hall.example.toml --demand config/demand.example.toml"
        f" --seed {args.seed} --json`.",
        "",
        table(result),
        "",
        f"Mean over seeds 1–{args.seeds}:",
        "",
        table({"policies": {n: {**mean[n], "label": result["policies"][n]["label"]} for n in mean}}),
        "",
        "## Goals",
        "",
        f"| Goal | reference day (seed {args.seed}) | met | mean of {args.seeds} days | met |",
        "|---|---|---|---|---|",
    ]
    b_ref, b_mean = 1.2 * result["policies"]["pooled"]["mean_wait_min"], 1.2 * mean["pooled"]["mean_wait_min"]
    w_mean = fmean(within)
    limit = (
        "| (for information) without any rule: the mean wait pooled where the skills allow"
        f" (09 keeps 户政) ≤ 1.2 × (b) | {within_ref:.1f} vs {b_ref:.1f} |"
        f" {'yes' if within_ref <= b_ref else '**no**'} |"
        f" {w_mean:.1f} vs {b_mean:.1f} | {'yes' if w_mean <= b_mean else '**no**'} |"
    )
    for name in ("ours", "social_backup", "cross_trained", "full_backup"):
        if name != "ours":
            lines.append(
                f"| *`{name}` as (c): a change of the hall's backup posts, for comparison* | | | | |"
            )
        for (goal, shown, ok), (_, shown_m, ok_m) in zip(
            goals(result["policies"], name), goals(mean, name), strict=True
        ):
            yes, yes_m = "yes" if ok else "**no**", "yes" if ok_m else "**no**"
            lines.append(f"| {goal} | {shown} | {yes} | {shown_m} | {yes_m} |")
            if name == "ours" and goal.startswith("mean wait (c) ≤ 1.2"):
                lines.append(limit)
    lines += [
        f"| a day of 3,000 tickets < 10 s | {len(big.arrivals)} tickets (hall ×9) in {big_seconds:.2f} s,"
        f" one policy | {'yes' if big_seconds < 10 else '**no**'} | | |",
        "",
        *NOTES.splitlines(),
        "",
        "## Validation",
        "",
        "Single item, identical windows open all along, Poisson arrivals, exponential service (mean 10 min),",
        "four seeds × 800,000 minutes (the test `tests/sim/test_simulator.py` runs the same; over other",
        "seed sets the ratio spreads by about 1.5 %):",
        "",
        "| windows | arrivals / min | tickets | simulated mean wait | Erlang C | ratio |",
        "|---|---|---|---|---|---|",
        *(f"| {c} | {r} | {n} | {s:.3f} | {e:.3f} | {s / e:.3f} |" for c, r, n, s, e in erlang),
        "",
        "Little's law (L = λW on the waiting line) is asserted at the end of every run, and checked by a",
        "test against the tickets' own waits for every policy.",
        "",
        "![wait distribution](wait_distribution.png)",
        "",
        "![queue length](queue_length.png)",
        "",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
