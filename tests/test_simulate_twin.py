"""The vectorised twin against the scalar engine: with zero volatility every path of a simulation
is `planner project` to the cent, column by column, on every bundled scenario and on random
households; and the twin refuses, naming the key, what it does not model."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.engine import project
from planner.errors import PlannerError
from planner.returns import LognormalParams, Market, lognormal
from planner.scenario import Scenario, load_scenario, parse_scenario
from planner.vector_engine import (
    COLUMNS,
    check_supported,
    projected_years,
    run_paths,
    unsupported_key,
)
from tests.strategies_hyp import scenario_dicts

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "scenarios").glob("*.toml"))
EXAMPLES = [Path(str(p)) for p in resources.files("planner.examples").iterdir()
            if p.name.endswith(".toml")]
ZERO = {"stock_volatility": 0.0, "bond_volatility": 0.0, "inflation_volatility": 0.0}


def zero_volatility(s: Scenario) -> Scenario:
    return s.model_copy(update={"assumptions": s.assumptions.model_copy(update=ZERO)})


def assert_twin_matches(s: Scenario, paths: int = 3) -> None:
    """Every contract column, every year, every path, and the summary: exactly equal."""
    s = zero_volatility(s)
    expected = project(s)
    market = lognormal(LognormalParams.of(s.assumptions), len(projected_years(s)), paths,
                       np.random.default_rng(7))
    got = run_paths(s, market, detail=True)
    assert got.years == tuple(r.year for r in expected.years)
    for k, row in enumerate(expected.years):
        for column in COLUMNS:
            want = getattr(row, column)
            values = got.columns[column][k]
            assert np.all(values == want), (row.year, column, want, values)
    summary = expected.summary
    assert np.all(got.lifetime_federal_tax == summary.lifetime_federal_tax)
    assert np.all(got.lifetime_irmaa == summary.lifetime_irmaa)
    assert np.all(got.end_total == summary.end_total)
    assert np.all(got.after_tax_estate == summary.after_tax_estate)
    first = summary.first_shortfall_year or 0
    assert np.all(got.first_shortfall_year == first)


def test_most_bundled_scenarios_are_supported() -> None:
    supported = [p for p in [*BUNDLED, *EXAMPLES] if unsupported_key(load_scenario(p)) is None]
    assert len(supported) >= 5, supported


@pytest.mark.parametrize("path", [*BUNDLED, *EXAMPLES], ids=lambda p: p.name)
def test_zero_volatility_reproduces_project_on_bundled_scenarios(path: Path) -> None:
    """Every bundled scenario the twin supports matches `project`; the others are refused."""
    s = load_scenario(path)
    if unsupported_key(s) is None:
        assert_twin_matches(s)
    else:
        with pytest.raises(PlannerError, match="not supported"):
            check_supported(s, path.name)


BASE = """
[plan]
start_year = {start}
filing_status = "{status}"
{people}
{accounts}
{income}
[spending]
annual = {spending}
survivor_fraction = 0.6

[assumptions]
inflation = 0.03
stock_return = {stock}
bond_return = 0.035
cash_return = 0.02

[strategy]
qcd_annual = {qcd}
"""
COUPLE = """
[[people]]
name = "ann"
birth_year = {a}
birth_month = 8
longevity = {la}

[[people]]
name = "bo"
birth_year = {b}
birth_month = 2
longevity = {lb}
"""


def _scenario(*, start=2026, status="mfj", people=None, accounts="", income="", spending=90000,
              stock=0.06, qcd=0, history="") -> Scenario:
    people = people if people is not None else COUPLE.format(a=1957, la=80, b=1960, lb=93)
    text = BASE.format(start=start, status=status, people=people, accounts=accounts,
                       income=income, spending=spending, stock=stock, qcd=qcd) + history
    return parse_scenario(text)


def _account(name: str, kind: str, balance: float, owner: str | None = None, **extra) -> str:
    lines = [f'[[accounts]]\nname = "{name}"\nkind = "{kind}"\nbalance = {balance}']
    if owner:
        lines.append(f'owner = "{owner}"')
    lines += [f"{k} = {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


CASES = {
    # Medicare from the first year and no [history]: the first-year IRMAA fixed point.
    "first-year-irmaa-fixed-point": _scenario(
        accounts=_account("ira", "traditional", 4_000_000, "ann")
        + _account("brk", "taxable", 900_000, basis=300_000, dividend_yield=0.02),
        spending=260_000),
    # Cash interest decides the first year's MAGI, so IRMAA tiers differ by cash rate.
    "first-year-irmaa-big-cash": _scenario(
        accounts=_account("big-cash", "cash", 2_500_000), spending=200_000),
    # A taxable account under water: capital losses, the $3,000 limit and the carryforward.
    "capital-loss-carryforward": _scenario(
        accounts=_account("brk", "taxable", 400_000, basis=900_000)
        + _account("ira", "traditional", 300_000, "bo"),
        spending=70_000),
    # No taxable account: the surplus of the RMDs opens one.
    "surplus-opens-taxable": _scenario(
        accounts=_account("ira", "traditional", 3_000_000, "ann"), spending=20_000,
        income='[[income]]\nkind = "pension"\nowner = "bo"\nannual = 60000\n'),
    # Runs out of money: shortfalls, the cap, and the survivor's single return.
    "shortfall-and-survivor": _scenario(
        accounts=_account("cash", "cash", 50_000) + _account("roth", "roth", 200_000, "bo"),
        spending=150_000, stock=-0.05,
        income='[[income]]\nkind = "social_security"\nowner = "ann"\npia = 3000\n'
               'claim_age = 62\n[[income]]\nkind = "social_security"\nowner = "bo"\n'
               'pia = 1500\nclaim_age = 70\n'),
    # A single filer with QCDs, wages with inflation, a nondeductible IRA basis, history.
    "single-qcd-wages-history": _scenario(
        status="single", people='[[people]]\nname = "cy"\nbirth_year = 1950\nlongevity = 97\n',
        accounts=_account("ira", "traditional", 900_000, "cy", basis=100_000)
        + _account("brk", "taxable", 250_000, interest_yield=0.01),
        income='[[income]]\nkind = "wages"\nowner = "cy"\nannual = 30000\nend_year = 2029\n'
               'inflation_adjusted = true\n',
        spending=65_000, qcd=15_000,
        history="\n[history.magi]\n2024 = 150000\n2025 = 90000\n"),
    # A QCD larger than one IRA's RMD counts toward the owner's other IRA (Reg. §1.408-8(e)).
    "qcd-across-two-iras": _scenario(
        status="single", people='[[people]]\nname = "cy"\nbirth_year = 1946\nlongevity = 95\n',
        accounts=_account("ira-1", "traditional", 404_000, "cy")
        + _account("ira-2", "traditional", 404_000, "cy"),
        spending=40_000, qcd=30_000),
    # Guardrails: spending above the first year's withdrawal rate is cut, below it raised.
    "guardrails": parse_scenario(BASE.format(
        start=2026, status="mfj", people=COUPLE.format(a=1957, la=80, b=1960, lb=93),
        accounts=_account("ira", "traditional", 1_200_000, "ann"), income="", spending=90_000,
        stock=0.01, qcd=0) + "\n[strategy.guardrails]\nupper = 1.1\nlower = 0.9\n"),
    # Starts after the last published law: every year's rules are projected.
    "projected-law-years": _scenario(
        start=2031, accounts=_account("ira", "traditional", 1_500_000, "bo")
        + _account("brk", "taxable", 600_000, basis=500_000, dividend_yield=0.015),
        spending=110_000,
        income='[[income]]\nkind = "annuity"\nannual = 24000\ntaxable = false\n'),
    # Early retirees: the 10% additional tax before 59½ on IRA money and on Roth earnings
    # beyond contributions (IRC §72(t), §408A(d)(4)(B)); payroll tax on a couple's wages above
    # the wage base and the additional Medicare threshold (IRC §3101).
    "early-withdrawals-and-payroll": _scenario(
        people=COUPLE.format(a=1973, la=90, b=1975, lb=92),
        accounts=_account("ira", "traditional", 400_000, "ann")
        + _account("roth", "roth", 300_000, "bo", basis=60_000),
        spending=120_000,
        income='[[income]]\nkind = "wages"\nowner = "bo"\nannual = 240000\nend_year = 2027\n'
               '[[income]]\nkind = "wages"\nowner = "ann"\nannual = 60000\nend_year = 2026\n'),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_zero_volatility_reproduces_project_on_edge_cases(name: str) -> None:
    assert_twin_matches(CASES[name])


def _supported_dicts():
    def strip(doc):
        for acc in doc.get("accounts", []):
            acc.pop("lots", None)
            if "balance" not in acc:
                acc["balance"] = 100_000.0
        doc["plan"].pop("state", None)  # the twin models neither state tax nor ACA premiums
        doc["plan"].pop("moves", None)
        doc.pop("health", None)
        doc.pop("contributions", None)
        doc["spending"].pop("medical", None)
        doc["accounts"] = [a for a in doc.get("accounts", []) if a["kind"] != "hsa"]
        if not doc["accounts"]:
            del doc["accounts"]
        for acc in doc.get("accounts", []):
            acc.pop("plan_type", None)
        for person in doc["people"]:
            person.pop("separation_year", None)
        return doc

    return scenario_dicts().map(strip)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_supported_dicts())
def test_zero_volatility_reproduces_project_on_random_households(doc) -> None:
    assert_twin_matches(parse_scenario(tomli_w.dumps(doc)), paths=2)


@pytest.mark.parametrize(("extra", "key"), [
    ('[strategy]\nwithdrawal_order = "proportional"\n', "strategy.withdrawal_order"),
    ("[strategy]\nroth_conversion = { up_to_bracket = 0.22 }\n", "strategy.roth_conversion"),
    ("[strategy]\nharvest_losses = true\n", "strategy.harvest_losses"),
])
def test_unsupported_strategies_are_named(extra: str, key: str) -> None:
    text = (ROOT / "scenarios" / "single-66-ira.toml").read_text().split("[strategy]")[0]
    s = parse_scenario(text + extra)
    assert unsupported_key(s) == key
    with pytest.raises(PlannerError) as err:
        check_supported(s, "x.toml")
    assert str(err.value).startswith(f"x.toml: {key}: not supported")


def test_tax_lots_are_named() -> None:
    s = _scenario(accounts='[[accounts]]\nname = "b"\nkind = "taxable"\n'
                           '[[accounts.lots]]\nvalue = 100\nbasis = 50\n')
    assert unsupported_key(s) == "accounts[1].lots"


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=5, deadline=None)
def test_constant_returns_give_identical_paths(seed: int) -> None:
    s = zero_volatility(CASES["capital-loss-carryforward"])
    market = lognormal(LognormalParams.of(s.assumptions), len(projected_years(s)), 4,
                       np.random.default_rng(seed))
    got = run_paths(s, market)
    assert np.all(got.end_total == got.end_total[0])


def _piecewise(knots: np.ndarray, slopes: np.ndarray, offset: float):
    """An increasing piecewise-linear function (scalar and vectorised) with given knots."""

    def f(x):
        x = np.asarray(x, dtype=float)
        y = offset + slopes[0] * x
        for k, s in zip(knots, np.diff(slopes), strict=False):
            y = y + s * np.maximum(0.0, x - k)
        return y

    return f


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=30, deadline=None)
def test_vectorised_solve_is_the_engine_solve(seed: int) -> None:
    from planner.engine import _solve as scalar_solve
    from planner.vector_engine import _solve

    rng = np.random.default_rng(seed)
    fs = [_piecewise(np.sort(rng.uniform(0, 2e5, 4)), rng.uniform(0.4, 1.0, 5),
                     -rng.uniform(0, 3e5)) for _ in range(20)]
    cap = rng.uniform(0, 4e5, 20)

    def g(x, idx):
        return np.array([fs[i](v) for i, v in zip(idx, x, strict=True)], dtype=float)

    got = _solve(g, cap, np.arange(20))
    want = [scalar_solve(lambda v, f=f: float(f(v)), c) for f, c in zip(fs, cap, strict=True)]
    assert got.tolist() == want


def test_solve_raises_rather_than_stop_unconverged(monkeypatch) -> None:
    from planner import vector_engine

    monkeypatch.setattr(vector_engine, "MAX_ITERATIONS", 1)
    with pytest.raises(vector_engine.SolveError, match="did not converge"):
        vector_engine._solve(lambda x, idx: x ** 3 - 5.0 + 0.3 * np.sin(7 * x),
                             np.full(3, 10.0), np.arange(3))


RATES = [(0.07, 0.04, 0.03), (-0.05, 0.01, 0.0), (0.12, 0.06, 0.11), (0.0, -0.02, 0.05),
         (0.25, 0.03, 0.08), (0.03, 0.03, 0.015)]


@pytest.mark.parametrize("name", ["first-year-irmaa-big-cash", "capital-loss-carryforward",
                                  "shortfall-and-survivor", "single-qcd-wages-history"])
def test_each_path_is_project_with_its_own_rates(name: str) -> None:
    """Paths that differ (each with its own constant stock, bond and cash rates) are each the
    projection of the scenario with those rates: the per-path arithmetic never mixes paths."""
    s = zero_volatility(CASES[name])
    n, k = len(projected_years(s)), len(RATES)
    rates = np.array(RATES)
    market = Market(np.tile(rates[:, 0], (n, 1)), np.tile(rates[:, 1], (n, 1)),
                    np.tile(rates[:, 2], (n, 1)), np.full((n, k), s.assumptions.inflation))
    got = run_paths(s, market, detail=True)
    for i, (stock, bond, cash_rate) in enumerate(RATES):
        a = s.assumptions.model_copy(update={"stock_return": stock, "bond_return": bond,
                                             "cash_return": cash_rate})
        expected = project(s.model_copy(update={"assumptions": a}))
        for k_year, row in enumerate(expected.years):
            for column in COLUMNS:
                assert got.columns[column][k_year, i] == getattr(row, column), (
                    i, row.year, column)


def test_a_path_with_other_inflation_follows_it() -> None:
    """A path whose inflation is constant but not the scenario's indexes spending, incomes and
    the projected law by its own: it tracks `project` run at that inflation."""
    s = zero_volatility(load_scenario(ROOT / "scenarios" / "couple-65-63.toml"))
    other = s.model_copy(update={"assumptions": s.assumptions.model_copy(
        update={"inflation": 0.05})})
    n = len(projected_years(s))
    a = s.assumptions
    market = Market(np.full((n, 1), a.stock_return), np.full((n, 1), a.bond_return),
                    np.full((n, 1), a.cash_return), np.full((n, 1), 0.05))
    got = run_paths(s, market, detail=True)
    want = project(other)
    for k, row in enumerate(want.years):
        assert got.columns["spending"][k, 0] == pytest.approx(row.spending, abs=0.011)
        assert got.columns["income_social_security"][k, 0] == pytest.approx(
            row.income_social_security, abs=0.011)
        assert got.columns["federal_tax"][k, 0] == pytest.approx(row.federal_tax, rel=0.01,
                                                                 abs=50)
    assert got.end_total[0] == pytest.approx(want.summary.end_total, rel=0.005)
    assert got.price_index[-1, 0] == pytest.approx(1.05 ** (n - 1))
