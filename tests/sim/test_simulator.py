"""The hall simulator against queueing theory, its own bookkeeping, and the product's rules."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from queue_server.hall_config.load import ConfigError, load_hall_file
from queue_server.sim.demand import load_demand, scenario, single_item_day
from queue_server.sim.engine import Run, simulate
from queue_server.sim.metrics import erlang_c_wait, figures
from queue_server.sim.model import Arrival, Item, Policy, Post, Scenario
from queue_server.sim.policies import compared, dedicated, ours, pooled, pooled_within_skills

ROOT = Path(__file__).resolve().parents[2]
HALL = ROOT / "config" / "hall.example.toml"
DEMAND = ROOT / "config" / "demand.example.toml"
MIDNIGHT = datetime(2026, 11, 25, tzinfo=UTC)


@pytest.fixture(scope="module")
def day() -> tuple[Scenario, list[Policy]]:
    hall = load_hall_file(HALL)
    demand = load_demand(DEMAND, hall)
    sc = scenario(hall, demand, seed=7)
    return sc, compared(sc, demand.variants)


@pytest.mark.parametrize(("servers", "rate", "textbook"), [(3, 0.18, 2.96), (2, 0.11, 4.34)])
def test_mean_wait_matches_erlang_c(servers: int, rate: float, textbook: float) -> None:
    """M/M/c, mean service 10 min, 60 % / 55 % load: over 3.2 million minutes (four seeds, about
    500,000 / 350,000 tickets) the simulated mean wait is Erlang C's within 5 %; spread of such runs
    over seeds: 1.5 % (bench/sim/RESULTS.md). One window more would wait less than half as long, so the
    check can fail. (How fast the simulator runs is measured in bench/sim, not asserted here.)"""
    mean = 10.0
    expected = erlang_c_wait(rate, mean, servers)
    assert expected == pytest.approx(textbook, abs=0.01)  # the yardstick itself, checked by hand
    waits: list[float] = []
    for seed in range(4):
        sc = single_item_day(servers, rate, mean, 800_000, seed)
        run = simulate(sc, ours(sc), seed, estimates=False)  # the printed range changes nothing here
        waits += [t.waited for t in run.tickets]
    simulated = sum(waits) / len(waits)
    assert abs(simulated - expected) / expected < 0.05, (simulated, expected)
    assert simulated > 2 * erlang_c_wait(rate, mean, servers + 1)


def _area(run: Run) -> float:
    """∫ queue length dt, from the run's queue series alone."""
    total, (t0, n0) = 0.0, (run.start, 0)
    for t, n in run.queue:
        total += n0 * (t - t0)
        t0, n0 = t, n
    return total


def test_littles_law_on_every_policy(day: tuple[Scenario, list[Policy]]) -> None:
    sc, policies = day
    for p in policies:
        run = simulate(sc, p, 7)
        waits = sum(t.waited for t in run.tickets)  # from the tickets, independently of the queue series
        assert _area(run) == pytest.approx(waits, rel=1e-9)
        little = figures(run, sc)["little"]
        span = run.end - run.start
        assert little["mean_waiting"] == pytest.approx(
            little["arrival_rate_per_min"] * little["mean_spell_min"], rel=0.01
        )
        assert run.queue[-1][1] == 0 and span > 0


def test_same_arrivals_for_every_policy_and_reproducible(day: tuple[Scenario, list[Policy]]) -> None:
    sc, policies = day
    hall = load_hall_file(HALL)
    again = scenario(hall, load_demand(DEMAND, hall), seed=7)
    assert again.arrivals == sc.arrivals
    assert scenario(hall, load_demand(DEMAND, hall), seed=8).arrivals != sc.arrivals
    runs = [simulate(sc, p, 7) for p in policies]
    assert {len(r.tickets) for r in runs} == {len(sc.arrivals)}
    assert figures(runs[2], sc) == figures(simulate(sc, policies[2], 7), sc)


def test_example_day_has_what_the_demand_file_says(day: tuple[Scenario, list[Policy]]) -> None:
    sc, _ = day
    a = sc.arrivals
    assert 250 < len(a) < 450  # 340 expected
    assert any(x.priority_class == "appointment" for x in a) and any(x.transfer_to for x in a)
    hall = load_hall_file(HALL)
    demand = load_demand(DEMAND, hall)
    days = [scenario(hall, demand, seed).arrivals for seed in range(20)]
    morning = sum(8.5 * 60 <= x.t < 9.5 * 60 for d in days for x in d)
    before_lunch = sum(11.5 * 60 <= x.t < 12 * 60 for d in days for x in d)
    # Walk-ins: weight 1.6 over an hour vs 0.6 over half an hour (≈ 76 vs 14 a day; appointments flat).
    assert 4 * before_lunch < morning < 7 * before_lunch
    assert all(8.5 * 60 <= x.t < 12 * 60 or 14.5 * 60 <= x.t < 17.5 * 60 for x in a)  # opening hours


def test_backup_post_covers_a_break() -> None:
    """Window 01 is on break; window 02 holds item X at level 2. Ours calls X at 02, dedicated waits."""
    items = {"X": Item("X", "X", 5, None, 30), "Y": Item("Y", "Y", 5, None, 30)}
    hours = ((0.0, 120.0),)
    w1 = Post("01", "z", {"X": 1}, hours, ((0.0, 60.0),), frozenset({"X"}))
    w2 = Post("02", "z", {"Y": 1, "X": 2}, hours, (), frozenset({"Y"}))

    arrivals = tuple(Arrival(n, 1.0 * n, "X", 5.0) for n in range(1, 5))
    sc = Scenario(items, (w1, w2), arrivals, MIDNIGHT)
    ours_run, dedicated_run = simulate(sc, ours(sc), 0), simulate(sc, dedicated(sc), 0)
    assert {t.window for t in ours_run.tickets} == {"02"}
    assert max(t.first_call for t in ours_run.tickets) < 60  # type: ignore[type-var]
    assert {t.window for t in dedicated_run.tickets} == {"01"}
    assert min(t.first_call for t in dedicated_run.tickets) == 60  # type: ignore[type-var]
    # Pooled: 02 serves X as if level 1, but slower when its clerk's trade is not X (no slowdown set here).
    assert {t.window for t in simulate(sc, pooled(sc), 0).tickets} == {"02"}


def test_escalation_and_printed_range_come_from_the_product() -> None:
    """An escalated backup-level ticket beats a fresh primary one at the backup window (routing.py), and
    the printed range is the server's estimate: unknown while no open window serves the item."""
    items = {"X": Item("X", "X", 10, 20, 20), "Y": Item("Y", "Y", 10, None, 30)}
    w2 = Post("02", "z", {"Y": 1, "X": 2}, ((100.0, 300.0),), (), frozenset({"Y"}))

    arrivals = (Arrival(1, 0.0, "X", 10.0), Arrival(2, 99.0, "Y", 10.0))
    sc = Scenario(items, (w2,), arrivals, MIDNIGHT)
    run = simulate(sc, ours(sc), 0)
    x, y = run.tickets
    assert x.eta == (None, None)  # nobody serves X at 00:00
    assert x.first_call == 100 and y.first_call == 110  # X escalated (waited 100 > 20) goes first


def test_three_thousand_tickets_in_under_ten_seconds() -> None:
    hall = load_hall_file(HALL)
    sc = scenario(hall, load_demand(DEMAND, hall), seed=3, scale=9)
    assert len(sc.arrivals) >= 3000
    started = time.process_time()  # CPU time, not wall time: the test machine is shared
    run = simulate(sc, ours(sc), 3)
    assert time.process_time() - started < 10
    assert sum(t.status in ("done", "no_show") for t in run.tickets) >= 2990


def test_cli_prints_one_json_object() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "queue_server",
            "simulate",
            "--hall",
            str(HALL),
            "--demand",
            str(DEMAND),
            "--seed",
            "2",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result = json.loads(out.stdout)
    assert {"dedicated", "pooled", "ours"} <= set(result["policies"])
    keys = {
        "tickets",
        "mean_wait_min",
        "p90_wait_min",
        "over_threshold_share",
        "eta_mae_min",
        "eta_in_range_share",
        "naive_eta_mae_min",
    }
    for figures_ in result["policies"].values():
        assert keys <= set(figures_)
        assert figures_["tickets"] == result["policies"]["ours"]["tickets"] > 0


def test_bad_demand_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    bad = tmp_path / "demand.toml"
    bad.write_text(DEMAND.read_text().replace('service = "510403-XK-SC-002"', 'service = "NOPE-1"'))
    with pytest.raises(ConfigError, match="unknown service item 'NOPE-1'"):
        load_demand(bad, load_hall_file(HALL))
    out = subprocess.run(
        [sys.executable, "-m", "queue_server", "simulate", "--demand", str(bad), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2 and "NOPE-1" in out.stderr and out.stdout == ""


def test_variants_change_only_what_they_say(day: tuple[Scenario, list[Policy]]) -> None:
    sc, policies = day
    by_name = {p.name: p for p in policies}
    configured = {w.code: w for w in sc.windows}
    plus = {w.code: w for w in by_name["plus_social"].windows}
    assert set(plus) - set(configured) == {"05-2"} and plus["05-2"].skills == configured["05"].skills
    moved = {w.code: w for w in by_name["move_13_to_social"].windows}
    assert moved["13"].skills == configured["05"].skills and moved["13"].zone == "social"
    trained = {w.code: w for w in by_name["cross_trained"].windows}
    own = configured["03"].skills
    assert {i: lv for i, lv in trained["03"].skills.items() if i not in own} == dict.fromkeys(
        configured["05"].home | configured["06"].home | configured["09"].home, 3
    )
    assert all(trained["03"].skills[i] == lv for i, lv in own.items())  # its own posts stay as they were
    assert trained["01"] == configured["01"]
    social = {w.code: w for w in by_name["social_backup"].windows}
    assert {
        i: lv for i, lv in social["13"].skills.items() if i not in configured["13"].skills
    } == dict.fromkeys(
        configured["05"].home | configured["06"].home, 3
    )  # household registration (09) stays with the police post
    full = by_name["full_backup"].windows
    assert all(set(w.skills) == set(sc.items) for w in full)


def test_pooling_within_the_skills_keeps_the_police_items_at_the_police_post(
    day: tuple[Scenario, list[Policy]],
) -> None:
    """The yardstick "pooled where the skills allow": 户政 (held by window 09 alone) stays there and 09
    serves nothing else; every other window serves every other item. It waits longer than full pooling
    and less than the configured backup posts (the day of the fixture)."""
    sc, policies = day
    by_name = {p.name: p for p in policies}
    police = {"510403-QR-GA-001", "510403-XK-GA-001"}
    within = {w.code: w for w in pooled_within_skills(sc).windows}
    assert set(within["09"].skills) == police
    assert all(set(w.skills) == set(sc.items) - police for code, w in within.items() if code != "09")

    def mean_wait(policy: Policy) -> float:
        run = simulate(sc, policy, 7, estimates=False)
        called = [t.waited for t in run.tickets if t.first_call is not None]
        return sum(called) / len(called)

    assert mean_wait(by_name["pooled"]) < mean_wait(pooled_within_skills(sc)) < mean_wait(by_name["ours"])
