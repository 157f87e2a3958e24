"""`planner optimize` end to end on the bundled scenarios: the schedule, replayed by the engine,
beats every built-in strategy and conversion policy; the replay is what the command reports and
what `planner project --schedule` shows.

Needs the engine's schedule hook (`planner.engine.project(scenario, schedule=...)`).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from functools import cache

import pytest

from planner.engine import project
from planner.optimize import (
    NotModelled,
    estate_floor,
    not_modelled,
    optimize,
    replay_scenario,
    with_spending,
)
from planner.optimizer.compare import strategies
from planner.scenario import load_scenario
from tests.conftest import SCENARIOS

OBJECTIVES = ("max-spending", "max-estate")
# Bundled scenarios with state tax or Marketplace premiums, which the model does not have yet:
# the optimiser must refuse them (tested below), not optimise them wrongly.
MODELLED = [p for p in SCENARIOS if not_modelled(load_scenario(p)) is None]
REFUSED = [p for p in SCENARIOS if p not in MODELLED]


@cache
def solved(path: str, objective: str):
    scenario = load_scenario(path)
    return scenario, optimize(scenario, objective)


def _meets(p, floor: float) -> bool:
    return p.summary.first_shortfall_year is None and p.summary.after_tax_estate >= floor - 0.005


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("path", [str(p) for p in MODELLED], ids=lambda p: p.split("/")[-1])
def test_beats_every_builtin_strategy(path, objective):
    scenario, result = solved(path, objective)
    floor = estate_floor(scenario, result.projection.years[-1].year) \
        if objective == "max-spending" else 0.0
    assert _meets(result.projection, floor)
    assert result.value >= result.baseline_value - 1.0
    for label, s in strategies(scenario):
        if objective == "max-estate":
            p = project(s)
            if p.summary.first_shortfall_year is None:
                assert result.value >= p.summary.after_tax_estate - 1.0, label
        else:
            assert not _meets(project(with_spending(s, result.value + 1.0)), floor), label


@pytest.mark.parametrize("path", [str(p) for p in REFUSED], ids=lambda p: p.split("/")[-1])
def test_refuses_what_the_model_lacks(path):
    with pytest.raises(NotModelled):
        optimize(load_scenario(path), "max-estate")


def test_bundled_scenarios_mostly_optimisable():
    # State tax and Marketplace premiums are modelled; HSAs and contributions are refused.
    assert len(MODELLED) == 8 and [p.name for p in REFUSED] == ["working-couple-hsa.toml"]


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_reported_numbers_are_the_engines_replay(objective):
    scenario, result = solved(str(SCENARIOS[0]), objective)
    again = project(replay_scenario(scenario), schedule=result.schedule)
    assert again == result.projection
    if objective == "max-spending":
        assert result.schedule.spending_annual == result.value
        assert result.projection.years[0].spending == pytest.approx(result.value, abs=0.01)
    else:
        assert result.schedule.spending_annual is None
        assert result.value == result.projection.summary.after_tax_estate
    assert abs(result.planned_value - result.value) <= 0.01 * result.value


def test_scheduled_amounts_are_taken():
    """Each scheduled amount is taken (up to the engine's rounding of balances to cents when the
    plan empties an account)."""
    scenario, result = solved(str(SCENARIOS[0]), "max-estate")
    rows = {r.year: r for r in result.projection.years}
    for year, plan in result.schedule.years.items():
        row = rows[year]
        assert row.roth_conversion == pytest.approx(sum(plan.conversions.values()), abs=1.0)
        taken = dict(row.withdrawals)
        for name, amount in plan.withdrawals.items():
            assert taken.get(name, 0.0) >= amount - 1.0, (year, name)


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_cli_csv_is_the_project_replay_of_the_written_schedule(run_cli, tmp_path):
    path = SCENARIOS[0]
    written = tmp_path / "plan.toml"
    optimised = run_cli("optimize", path, "--format", "csv", "--write-schedule", written)
    assert optimised.code == 0, optimised.err
    plain = run_cli("project", path, "--format", "csv")
    replayed = run_cli("project", path, "--format", "csv", "--schedule", written)
    assert replayed.code == 0, replayed.err
    assert _csv(optimised.out)[0] == _csv(plain.out)[0]
    assert optimised.out == replayed.out
    assert written.read_text().startswith("# planner optimize --objective max-spending")


def test_cli_json_and_explain(run_cli):
    result = run_cli("optimize", SCENARIOS[0], "--objective", "max-estate", "--format", "json",
                     "--explain")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    opt = doc["optimization"]
    assert opt["objective"] == "max-estate"
    assert opt["value"] == doc["summary"]["after_tax_estate"]
    assert opt["value"] > opt["scenario_value"]
    assert opt["schedule"]
    assert opt["lp_solves"] >= 1
    assert opt["engine_projections"] >= 2  # the scenario as written and the replay at least
    assert {n["kind"] for n in doc["explain"]} >= {"bracket", "rmd"}


def test_cli_json_stdout_is_only_json_in_a_real_process():
    """HiGHS writes its banner straight to file descriptor 1 (highspy 1.16 does so on
    constructing a solver), which an in-process runner never sees: run a real process."""
    done = subprocess.run([sys.executable, "-m", "planner", "optimize", str(SCENARIOS[0]),
                           "--format", "json"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("{"), done.stdout[:200]
    assert json.loads(done.stdout)["optimization"]["lp_solves"] >= 1
    assert "HiGHS" not in done.stderr


def test_cli_table_shows_what_binds(run_cli):
    result = run_cli("optimize", SCENARIOS[0], "--explain")
    assert result.code == 0, result.err
    assert "Optimised plan (max-spending)" in result.out
    assert "What binds" in result.out
    assert "Scenario as written" in result.out


def test_cli_bad_schedule_exits_2(run_cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[years.2026.withdrawals]\nnot-an-account = 5\n")
    result = run_cli("project", SCENARIOS[0], "--schedule", bad)
    assert result.code == 2
    assert result.err.strip() == (f"{bad}:2: years.2026.withdrawals.not-an-account: "
                                  "no such account in the scenario")
    missing = run_cli("optimize", SCENARIOS[0], "--write-schedule", tmp_path / "no" / "x.toml")
    assert missing.code == 2
    assert "--write-schedule" in missing.err
