"""`planner simulate`: the summary and its outputs, reproducibility, the market-responsive spending
rules, and the command line's exits."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from planner.engine import project
from planner.returns import Market
from planner.scenario import Scenario, load_scenario, parse_scenario
from planner.simulate import PERCENTILES, simulate, worst_sequence
from planner.simulate_report import band_columns
from planner.vector_engine import projected_years, run_paths

ROOT = Path(__file__).resolve().parent.parent
COUPLE = ROOT / "scenarios" / "couple-65-63.toml"
WIDOW = ROOT / "scenarios" / "widow-78.toml"
ZERO = "\nstock_volatility = 0.0\nbond_volatility = 0.0\ninflation_volatility = 0.0\n"


def _with(path: Path, assumptions: str = "", strategy: str = "") -> str:
    """The scenario's text with lines added to [assumptions] and [strategy]."""
    text = path.read_text()
    text = text.replace("[assumptions]\n", "[assumptions]\n" + assumptions.lstrip("\n"), 1)
    if strategy:
        text = text.replace("[strategy]\n", "[strategy]\n" + strategy.lstrip("\n"), 1)
    return text


def _market(s: Scenario, stock: list[float], paths: int = 1) -> Market:
    """A market with the scenario's constant rates except the stock returns given (then 7%)."""
    n = len(projected_years(s))
    a = s.assumptions
    rates = np.array((stock + [a.stock_return] * n)[:n])
    full = np.repeat(rates[:, None], paths, axis=1)
    return Market(full, np.full((n, paths), a.bond_return), np.full((n, paths), a.cash_return),
                  np.full((n, paths), a.inflation))


def test_simulation_summary_and_bands() -> None:
    s = load_scenario(COUPLE)
    r = simulate(s, paths=400, seed=1)
    assert 0.0 <= r.probability_funded <= 1.0
    for values in r.summary.values():
        assert list(values) == sorted(values) and len(values) == len(PERCENTILES)
    assert [b.year for b in r.bands] == projected_years(s)
    funded = [b.funded for b in r.bands]
    assert funded == sorted(funded, reverse=True) and funded[-1] == r.probability_funded
    assert r.sequences == () and r.worst is None


def test_same_seed_same_numbers() -> None:
    s = load_scenario(COUPLE)
    assert simulate(s, paths=200, seed=7) == simulate(s, paths=200, seed=7)
    assert simulate(s, paths=200, seed=7).summary != simulate(s, paths=200, seed=8).summary


def test_zero_volatility_summary_is_the_projection() -> None:
    s = parse_scenario(_with(COUPLE, ZERO))
    expected = project(s).summary
    r = simulate(s, paths=5, seed=3)
    assert r.summary["after_tax_estate"] == (expected.after_tax_estate,) * 5
    assert r.summary["lifetime_federal_tax"] == (expected.lifetime_federal_tax,) * 5
    assert r.summary["end_total"] == (expected.end_total,) * 5
    assert r.probability_funded == (1.0 if expected.first_shortfall_year is None else 0.0)


def test_historical_model_runs_every_start_year() -> None:
    s = load_scenario(WIDOW)
    r = simulate(s, paths=300, seed=2, model="historical")
    years = len(projected_years(s))
    assert [q.start_year for q in r.sequences] == list(range(1928, 2024 - years + 2))
    assert r.worst == worst_sequence(r.sequences)
    assert r.worst.end_total_real == min(q.end_total_real for q in r.sequences)
    assert r.block_years == 5


def test_worst_sequence_prefers_the_earliest_shortfall() -> None:
    from planner.simulate import Sequence

    runs = (Sequence(1929, None, 10.0, 1.0, 1.0, 0.0), Sequence(1966, 2040, 0.0, 0.0, 0.0, 0.0),
            Sequence(1973, 2035, 0.0, 0.0, 0.0, 0.0))
    assert worst_sequence(runs).start_year == 1973
    assert worst_sequence(()) is None


GUARDRAILS = "\n[strategy.guardrails]\nupper = 1.2\nlower = 0.8\ncut = 0.1\nincrease = 0.1\n"


def _guarded(extra: str = "") -> tuple[Scenario, Scenario]:
    base = COUPLE.read_text()
    return parse_scenario(base), parse_scenario(base + GUARDRAILS + extra)


def test_guardrails_cut_spending_after_a_crash_and_raise_it_after_a_boom() -> None:
    plain, guarded = _guarded()
    crash, boom = _market(plain, [-0.45, -0.3]), _market(plain, [0.6, 0.6, 0.6])
    a, b = run_paths(plain, crash), run_paths(guarded, crash)
    assert b.columns["spending"][0, 0] == a.columns["spending"][0, 0]
    assert b.columns["spending"][1, 0] < a.columns["spending"][1, 0]
    ratio = b.columns["spending"][1, 0] / a.columns["spending"][1, 0]
    assert ratio == pytest.approx(0.9, abs=1e-6)
    up = run_paths(guarded, boom).columns["spending"][:, 0]
    down = run_paths(plain, boom).columns["spending"][:, 0]
    assert up[3] > down[3] * 1.05


def test_guardrails_floor_limits_the_cuts() -> None:
    _, guarded = _guarded("floor = 0.95\n")
    plain = parse_scenario(COUPLE.read_text())
    crash = _market(plain, [-0.5, -0.5, -0.5, -0.5])
    a, b = run_paths(plain, crash), run_paths(guarded, crash)
    ratios = b.columns["spending"][:, 0] / a.columns["spending"][:, 0]
    assert ratios.min() == pytest.approx(0.95, abs=1e-6)


def test_guardrails_off_changes_nothing() -> None:
    plain = parse_scenario(COUPLE.read_text())
    same = parse_scenario(_with(COUPLE, strategy="bonds_first_after_fall = false\n"))
    m = _market(plain, [0.1, -0.2, 0.3], paths=2)
    a, b = run_paths(plain, m, detail=True), run_paths(same, m, detail=True)
    for name in a.columns:
        assert np.array_equal(a.columns[name], b.columns[name])


def test_bonds_first_after_a_fall_keeps_stocks_for_the_recovery() -> None:
    plain = parse_scenario(COUPLE.read_text())
    rule = parse_scenario(_with(COUPLE, strategy="bonds_first_after_fall = true\n"))
    rebound = _market(plain, [-0.3, 0.4])
    a, b = run_paths(plain, rebound, detail=True), run_paths(rule, rebound, detail=True)
    # Year 1 (after the fall) draws bonds first: same taxes, more left after the rebound.
    assert np.array_equal(a.columns["federal_tax"][:2], b.columns["federal_tax"][:2])
    assert b.columns["end_total"][1, 0] > a.columns["end_total"][1, 0]
    # Without a fall the rule changes nothing.
    steady = _market(plain, [0.05, 0.02, 0.1])
    c, d = run_paths(plain, steady, detail=True), run_paths(rule, steady, detail=True)
    assert np.array_equal(c.columns["end_total"], d.columns["end_total"])


# --- the command line -----------------------------------------------------------------------


def test_cli_csv_has_a_row_per_year_and_the_band_columns(run_cli) -> None:
    res = run_cli("simulate", COUPLE, "--paths", 300, "--format", "csv")
    assert res.code == 0, res.err
    rows = list(csv.reader(io.StringIO(res.out)))
    assert rows[0] == band_columns()
    assert [int(r[0]) for r in rows[1:]] == projected_years(load_scenario(COUPLE))
    assert all(len(r) == len(rows[0]) for r in rows)


def test_cli_json_is_reproducible_and_complete(run_cli) -> None:
    first = run_cli("simulate", WIDOW, "--paths", 200, "--seed", 4, "-f", "json",
                    "--model", "historical", "--block-years", 3)
    again = run_cli("simulate", WIDOW, "--paths", 200, "--seed", 4, "-f", "json",
                    "--model", "historical", "--block-years", 3)
    assert first.code == 0 and first.out == again.out
    doc = json.loads(first.out)
    assert doc["model"] == "historical" and doc["paths"] == 200 and doc["seed"] == 4
    assert doc["block_years"] == 3
    summary = doc["summary"]
    assert set(summary["end_total"]) == {f"p{p}" for p in PERCENTILES}
    for key in ("probability_funded", "after_tax_estate", "lifetime_federal_tax",
                "worst_start_year"):
        assert key in summary
    assert summary["worst_start_year"]["start_year"] in [s["start_year"]
                                                        for s in doc["sequences"]]
    assert doc["years"][0]["end_total_real"]["p50"] > 0


def test_cli_table_and_progress_bar(run_cli, monkeypatch) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    res = run_cli("simulate", COUPLE, "--paths", 1000)
    assert res.code == 0, res.err
    assert "Funded to the end" in res.out and "95th" in res.out


def test_cli_refuses_what_the_twin_does_not_model(run_cli, tmp_path) -> None:
    path = tmp_path / "prop.toml"
    path.write_text(WIDOW.read_text().replace('withdrawal_order = "conventional"',
                                              'withdrawal_order = "proportional"'))
    res = run_cli("simulate", path)
    assert res.code == 2
    assert res.err.count("\n") == 1 and "strategy.withdrawal_order" in res.err
    assert "Traceback" not in res.err


def test_cli_inconsistent_correlations_exit_2(run_cli, tmp_path) -> None:
    path = tmp_path / "corr.toml"
    path.write_text(_with(WIDOW, "stock_bond_correlation = 0.9\nstock_inflation_correlation = "
                                 "0.9\nbond_inflation_correlation = -0.9\n"))
    res = run_cli("simulate", path, "--paths", 10)
    assert res.code == 2 and "assumptions.stock_bond_correlation" in res.err


def test_cli_bad_options_exit_2(run_cli) -> None:
    assert run_cli("simulate", COUPLE, "--paths", 0).code == 2
    assert run_cli("simulate", COUPLE, "--model", "garch").code == 2


def test_cli_fail_below(run_cli, tmp_path) -> None:
    path = tmp_path / "poor.toml"
    path.write_text(WIDOW.read_text().replace("[spending]\nannual = ", "[spending]\nannual = 9"))
    res = run_cli("simulate", path, "--paths", 100, "--fail-below", 0.99, "-f", "csv")
    assert res.code == 1 and "below" in res.err
    ok = run_cli("simulate", COUPLE, "--paths", 100, "--fail-below", 0.0, "-f", "csv")
    assert ok.code == 0


def test_cli_plot_writes_a_png(run_cli, tmp_path) -> None:
    out = tmp_path / "fan.png"
    res = run_cli("simulate", COUPLE, "--paths", 200, "--plot", out, "-f", "csv")
    assert res.code == 0, res.err
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_plot_without_matplotlib_is_one_line_exit_2(run_cli, tmp_path, monkeypatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "matplotlib" else real(name, *a))
    res = run_cli("simulate", COUPLE, "--plot", tmp_path / "x.png")
    assert res.code == 2 and res.err.count("\n") == 1
    assert "--plot" in res.err and "planner[plot]" in res.err
    assert not (tmp_path / "x.png").exists()


def test_cli_output_file(run_cli, tmp_path) -> None:
    out = tmp_path / "bands.csv"
    res = run_cli("simulate", COUPLE, "--paths", 50, "-f", "csv", "-o", out)
    assert res.code == 0 and res.out == ""
    assert out.read_text().splitlines()[0] == ",".join(band_columns())
