"""The simulation's vectorised pieces against the scalar code they mirror: `vector_tax` equals
`compute_tax` bit for bit, `cents` equals `round(x, 2)`, and `path_rules` is `rules_for_year`
on every path (exactly with the scenario's inflation, and within a bucket otherwise)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.federal_tax import TaxInput, compute_tax
from planner.rules import rules_for_year
from planner.vector_money import ceil_cents, cents
from planner.vector_rules import BUCKET, path_rules, take_rules, varies
from planner.vector_tax import vector_tax

YEARS = (2024, 2025, 2026, 2029, 2045)


def _inputs(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Incomes spread over every part of the return: brackets, SS bands, gains, losses, AMT."""
    scale = rng.choice([1e3, 3e4, 1.5e5, 6e5, 3e6], size=n)
    return {
        "ordinary": np.round(rng.uniform(0, 1, n) * scale, 2),
        "interest": np.round(rng.uniform(0, 0.1, n) * scale, 2),
        "dividends": np.round(rng.uniform(0, 0.3, n) * scale, 2),
        "ltcg": np.round(rng.uniform(-0.3, 0.8, n) * scale, 2),
        "ss": np.round(rng.choice([0.0, 1.0], n) * rng.uniform(0, 90_000, n), 2),
    }


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("status", ["single", "mfj"])
@pytest.mark.parametrize("seniors", [0, 1, 2])
def test_vector_tax_is_compute_tax_bit_for_bit(year: int, status: str, seniors: int) -> None:
    if status == "single" and seniors == 2:
        return
    rng = np.random.default_rng(year * 10 + seniors)
    rules = rules_for_year(year, 0.03)
    x = _inputs(rng, 400)
    got = vector_tax(rules, rules.status(status), seniors, x["ordinary"], x["interest"],
                     x["dividends"], x["ltcg"], x["ss"])
    ages = (70, 68)[:seniors] + (50, 50)[: (1 if status == "single" else 2) - seniors]
    for i in range(400):
        want = compute_tax(TaxInput(status, ages, x["ordinary"][i], x["interest"][i],
                                    x["dividends"][i], x["ltcg"][i], 0.0, x["ss"][i]), rules)
        for name in ("agi", "magi", "taxable_social_security", "loss_carryforward",
                     "taxable_income", "niit", "total_tax"):
            assert getattr(got, name)[i] == getattr(want, name), (name, i)


def test_vector_tax_takes_a_law_per_path() -> None:
    """With figures that differ by path, each path is taxed under its own figures."""
    deviation = np.array([0.8, 1.0, 1.3, 2.0])
    rules = path_rules(2050, 0.025, deviation)
    assert varies(rules)
    x = _inputs(np.random.default_rng(1), 4)
    got = vector_tax(rules, rules.mfj, 2, x["ordinary"], x["interest"], x["dividends"],
                     x["ltcg"], x["ss"])
    for i in range(4):
        own = take_rules(rules, np.array([i]))
        scalar = _scalar(own)
        want = compute_tax(TaxInput("mfj", (70, 70), x["ordinary"][i], x["interest"][i],
                                    x["dividends"][i], x["ltcg"][i], 0.0, x["ss"][i]), scalar)
        assert got.total_tax[i] == want.total_tax


def _scalar(rules):
    """A one-path `YearRules` with plain floats (as `compute_tax` expects)."""

    def plain(v):
        if hasattr(v, "_fields"):
            return v._make(plain(getattr(v, name)) for name in v._fields)
        if isinstance(v, tuple):
            return tuple(plain(x) for x in v)
        if isinstance(v, np.ndarray):
            return float(v[0])
        return v

    return plain(rules)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=30))
def test_cents_is_python_round(values: list[float]) -> None:
    assert cents(np.array(values)).tolist() == [round(v + 0.0, 2) for v in values]


def test_cents_on_ties_and_near_ties() -> None:
    ties = [0.125, 2.675, 1.005, 0.285, 1234.565, -0.015, 5e9 + 0.005, 0.1 + 0.2]
    near = [math.nextafter(v, math.inf) for v in ties] + [math.nextafter(v, -math.inf)
                                                           for v in ties]
    values = ties + near
    assert cents(np.array(values)).tolist() == [round(v, 2) for v in values]
    assert ceil_cents(np.array([1.0, 1.001, 1.0099999999])).tolist() == [1.0, 1.01, 1.01]


@pytest.mark.parametrize("inflation", [0.0, 0.025, 0.07])
def test_path_rules_with_the_scenario_inflation_are_rules_for_year(inflation: float) -> None:
    for year in (2026, 2027, 2040, 2070):
        assert path_rules(year, inflation, None) == rules_for_year(year, inflation)
        assert path_rules(year, inflation, np.ones(5)) == rules_for_year(year, inflation)


def test_path_rules_follow_each_path_inflation() -> None:
    """Each path's figures are those of a constant inflation within a bucket of its own."""
    year, inflation = 2046, 0.025
    years = year - 2026
    deviation = np.exp(np.linspace(-0.3, 0.4, 9))
    rules = path_rules(year, inflation, deviation)
    for i, dev in enumerate(deviation):
        exact = rules_for_year(year, ((1 + inflation) ** years * dev) ** (1 / years) - 1)
        got = _scalar(take_rules(rules, np.array([i])))
        width = max(BUCKET, float(np.ptp(np.log(deviation))) / 48)
        for mine, theirs in [(got.mfj.standard_deduction, exact.mfj.standard_deduction),
                             (got.single.bracket_floors[3], exact.single.bracket_floors[3]),
                             (got.qcd_limit, exact.qcd_limit)]:
            assert abs(mine / theirs - 1) <= width + 0.01
    low, high = _scalar(take_rules(rules, np.array([0]))), _scalar(take_rules(rules,
                                                                              np.array([8])))
    assert low.mfj.standard_deduction < high.mfj.standard_deduction
