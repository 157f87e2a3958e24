"""More of the engine's shortcuts against the plain code they replace, to the bit.

RMDs of a year without QCDs are taken in one pass (`engine._rmds`) instead of the two passes
that QCDs need (`engine._rmds_and_qcds`); a strategy's tranches are built from plain tuples;
a year's plan without a conversion is built directly; the widow(er)'s, own and spouse's
benefits of a year without wages or months withheld are one span of runs; and the engine's
records are NamedTuples and classes with slots rather than dataclasses (cheaper to create).
Each is compared with the code it replaced, on generated households and the bundled scenarios.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planner.strategies as strategies
import planner.timeline as tl
from planner import engine
from planner.engine import Holding, project
from planner.lots import TaxLot
from planner.rules import law_tables, rules_for_year
from planner.scenario import Scenario, load_scenario, parse_scenario
from planner.strategies import Tranche
from planner.timeline import YearFacts
from tests.conftest import SCENARIOS
from tests.test_strategies_properties import strategy_dicts
from tests.test_timeline_fast import households

T = law_tables()
SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def bits(x: Any) -> Any:
    """Floats as their bytes (0.0 and -0.0 differ, as in the CSV), inside tuples and lists."""
    if isinstance(x, float):
        return struct.pack("<d", x)
    if isinstance(x, tuple | list):
        return tuple(bits(v) for v in x)
    return x


def rows(scenario: Scenario) -> list[Any]:
    """Every row of a projection, as bits (the summary too)."""
    result = project(scenario)
    return [bits(tuple(r)) for r in result.years] + [bits(tuple(result.summary))]


CENTS = st.one_of(st.just(0.0), st.integers(0, 10**10).map(lambda c: c / 100))


@st.composite
def traditional_accounts(draw: st.DrawFn) -> list[tuple[str, str | None, float, float]]:
    """(name, owner, balance, basis) of one to three traditional accounts."""
    out = []
    for i in range(draw(st.integers(1, 3))):
        balance = draw(CENTS)
        basis = round(balance * draw(st.sampled_from([0.0, 0.0, 0.25, 1.0])), 2)
        out.append((f"ira-{i}", draw(st.sampled_from(["alex", "sam", None])), balance, basis))
    return out


def year_facts(year: int, alive: tuple[str, ...]) -> YearFacts:
    """A year's facts without QCDs (only what the RMDs read matters)."""
    return YearFacts(year, alive, tuple(60 for _ in alive), tuple(60 for _ in alive),
                     "mfj" if len(alive) == 2 else "single", False, None, 1.0, 0.0, 0.0, 0.0,
                     (), 0.0, (), (), (), (), (), (), 0.0)


@settings(max_examples=500, deadline=None, database=None)
@given(traditional_accounts(), st.integers(2024, 2070), st.integers(1935, 1965),
       st.integers(1935, 1990), st.booleans())
def test_rmds_match_the_two_pass_code(accounts: list[tuple[str, str | None, float, float]],
                                      year: int, alex: int, sam: int, both: bool) -> None:
    birth = {"alex": alex, "sam": sam}
    rmd_from = {"alex": alex + 73, "sam": sam + 75}
    alive = ("alex", "sam") if both else ("alex",)
    joint = both and abs(alex - sam) > 10
    facts = year_facts(year, alive)
    rules = rules_for_year(year, 0.02)
    results = []
    for rmds_of in (engine._rmds, engine._rmds_and_qcds):
        holdings = [Holding(name, "traditional", owner, balance, basis, 0.6, 0.0, 0.0)
                    for name, owner, balance, basis in accounts]
        lists: tuple[list, list, list, dict] = ([], [], [], {})
        totals = rmds_of(holdings, facts, rules, rmd_from, birth, T, joint, *lists)
        results.append(bits((totals, *lists[:3], tuple(lists[3].items()),
                             [(h.balance, h.basis) for h in holdings])))
    assert results[0] == results[1]


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_projection_with_one_pass_rmds_matches_the_two_passes(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load_scenario(path)
    fast = rows(scenario)
    monkeypatch.setattr(engine, "_rmds", engine._rmds_and_qcds)
    assert rows(scenario) == fast


@SETTINGS
@given(strategy_dicts())
def test_generated_projections_match_the_plain_code(monkeypatch: pytest.MonkeyPatch,
                                                    doc: dict[str, Any]) -> None:
    # Every order, conversion policy and harvesting: the one-pass RMDs and the tranches built
    # from plain tuples against the two passes and `Tranche(...)`.
    scenario = parse_scenario(tomli_w.dumps(doc))
    fast = rows(scenario)
    with monkeypatch.context() as m:
        m.setattr(engine, "_rmds", engine._rmds_and_qcds)
        m.setattr(strategies, "_units", slow_units)
        assert rows(scenario) == fast


def slow_units(h: Holding, year: int, available: dict[Holding, float] | None) -> list[Tranche]:
    """`strategies._units` as it was, with `Tranche(...)` and `taxable_share()` for every kind."""
    if h.lots is not None:
        out = []
        for lot in h.lots:
            if lot.value > 0.0:
                share = lot.gain_share()
                lt = lot.long_term(year)
                out.append(Tranche(lot.value, 0.0, share if lt else 0.0, 0.0 if lt else share,
                                   ((h, lot, lot.value),)))
        return out
    cap = h.balance if available is None else available.get(h, h.balance)
    if cap <= 0.0:
        return []
    share = h.taxable_share()
    if h.kind == "traditional":
        return [Tranche(cap, share, 0.0, 0.0, ((h, None, cap),), share * h.penalty)]
    if h.kind == "taxable":
        return [Tranche(cap, 0.0, share, 0.0, ((h, None, cap),))]
    if h.kind == "hsa":
        return [Tranche(cap, 1.0, 0.0, 0.0, ((h, None, cap),), h.penalty)]
    if h.kind == "roth" and h.penalty > 0.0:
        return strategies._roth_layers(h, year, cap)
    return [Tranche(cap, 0.0, 0.0, 0.0, ((h, None, cap),))]


@settings(max_examples=1_000, deadline=None, database=None)
@given(st.sampled_from(["cash", "taxable", "traditional", "roth", "hsa"]), CENTS, CENTS,
       st.sampled_from([0.0, 0.1, 0.2]), st.one_of(st.none(), CENTS), st.booleans())
def test_units_match_the_tranche_constructor(kind: str, balance: float, basis: float,
                                             penalty: float, left: float | None,
                                             lots: bool) -> None:
    h = Holding("a", kind, "alex", balance, basis, 0.6, 0.0, 0.0, penalty=penalty)
    if lots and kind == "taxable":
        h.lots = [TaxLot(balance, basis, 2030), TaxLot(basis, balance, 2020)]
    available = None if left is None else {h: left}
    fast, slow = strategies._units(h, 2028, available), slow_units(h, 2028, available)
    assert [type(t) for t in fast] == [Tranche] * len(slow)
    assert bits(fast) == bits(slow)


@pytest.mark.parametrize("filer", [None, {"alex": 0}, {"alex": 0, "sam": 1}])
def test_a_plan_of_nothing_converted_is_what_the_year_builds(filer: dict[str, int] | None
                                                             ) -> None:
    # `project` builds the year's plain plan directly, as `_plan` with nothing converted.
    holdings = [Holding("ira", "traditional", "alex", 1_000.0, 0.0, 0.6, 0.0, 0.0)]
    p = engine._plan("conventional", holdings, 2030, 0.0, holdings, 0.0, False, filer)
    assert (p.converted, p.parts, p.ordinary, p.available) == (0.0, [], 0.0, None)
    assert p.ordinary_by == ((0.0,) * len(filer) if filer is not None else None)


@settings(max_examples=150, deadline=None, database=None)
@given(households())
def test_runs_without_wages_match_the_month_loop(s: Scenario) -> None:
    # `_benefits_by_runs` of every year with no wages and no month withheld takes the year as
    # one span of runs: against `_benefits_by_month`, steady years and the others alike.
    death = {p.name: p.birth_year + p.longevity for p in s.people}
    claims = tl._claims(s, death, T)
    start, inflation = s.plan.start_year, s.assumptions.inflation
    for p in s.people:
        other = next((q.name for q in s.people if q.name != p.name), None)
        for year in range(start, death[p.name] + 1):
            args = (claims[p.name], p.birth_year, year, (1.0 + inflation) ** (year - start),
                    0.0, (0, 0), death[other] if other else None, inflation, T)
            assert repr(tl._benefits_by_runs(*args)) == repr(tl._benefits_by_month(*args))


def test_mutable_defaults_are_not_shared() -> None:
    a = Holding("a", "roth", "alex", 1.0, 1.0, 0.6, 0.0, 0.0)
    b = Holding("b", "roth", "alex", 1.0, 1.0, 0.6, 0.0, 0.0)
    a.conversions.append([2030, 1.0, 1.0])
    assert b.conversions == [] and a.conversions is not b.conversions
