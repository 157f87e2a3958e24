"""The timeline's shortcuts against the slow ways they replace, to the bit.

`timeline._benefits` pays a steady year (nothing starts within it, no earnings test) as twelve
times one month and goes month by month (`_benefits_by_month`) only in the other years;
`timeline._cents` rounds to the cent without `round`'s decimal string. Both must give the very
floats of the slow way, or a projection's CSV would change by a cent somewhere.
"""

from __future__ import annotations

import math
import struct
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planner.timeline as tl
from planner.rules import law_tables
from planner.scenario import Scenario, parse_scenario
from tests.strategies_hyp import scenario_texts

T = law_tables()
NAMES = ("alex", "sam")


def bits(x: float) -> bytes:
    """A float's bytes: tells 0.0 from -0.0, as the CSV does."""
    return struct.pack("<d", x)


def same(a: Any, b: Any) -> bool:
    """Equal, with every float equal to the bit (repr shows -0.0 and every digit)."""
    return repr(a) == repr(b)


@st.composite
def households(draw: st.DrawFn) -> Scenario:
    """One or two people with Social Security claimed early or late, at whole or fractional
    ages (the spouse's and widow(er)'s benefits follow), survivor claims, deaths before and
    after the claims, and wages before full retirement age (the earnings test)."""
    start = draw(st.integers(2024, 2030))
    count = draw(st.integers(1, 2))
    people, income = [], []
    for name in NAMES[:count]:
        age = draw(st.integers(50, 75))
        people.append({"name": name, "birth_year": start - age,
                       "birth_month": draw(st.integers(1, 12)),
                       "longevity": draw(st.integers(max(age, 55), age + 40))})
        if draw(st.integers(0, 5)):
            entry: dict[str, Any] = {
                "kind": "social_security", "owner": name,
                "pia": draw(st.sampled_from([0.0, 250.0, 900.5, 1_873.33, 3_400.0, 4_500.0])),
                "claim_age": draw(st.one_of(st.integers(62, 70),
                                            st.integers(744, 840).map(lambda m: m / 12),
                                            st.floats(62, 70).map(lambda x: round(x, 4))))}
            if draw(st.booleans()):
                entry["survivor_claim_age"] = draw(st.one_of(
                    st.integers(60, 70), st.floats(60, 70).map(lambda x: round(x, 3))))
            income.append(entry)
        if draw(st.booleans()):
            first = start + draw(st.integers(0, 4))
            income.append({"kind": "wages", "owner": name, "start_year": first,
                           "end_year": first + draw(st.integers(0, 10)),
                           "annual": draw(st.sampled_from([5_000.0, 30_000.0, 61_234.56,
                                                           120_000.0]))})
    doc: dict[str, Any] = {
        "plan": {"start_year": start, "filing_status": "mfj" if count == 2 else "single"},
        "people": people,
        "accounts": [{"name": "cash", "kind": "cash", "balance": 10_000}],
        "spending": {"annual": 20_000},
        "assumptions": {"inflation": draw(st.sampled_from([0.0, 0.025, 0.0731])),
                        "stock_return": 0.05, "bond_return": 0.03, "cash_return": 0.02},
    }
    if income:
        doc["income"] = income
    return parse_scenario(tomli_w.dumps(doc))


def slow_timeline(s: Scenario, monkeypatch: pytest.MonkeyPatch) -> list[tl.YearFacts]:
    """The timeline with every year of benefits worked out month by month."""
    with monkeypatch.context() as m:
        m.setattr(tl, "_benefits", tl._benefits_by_month)
        return tl.timeline(s, T)


SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(households(), st.data())
def test_steady_years_match_the_month_loop(s: Scenario, data: st.DataObject) -> None:
    # Every year of every person, with wages or none and months already withheld or none.
    death = {p.name: p.birth_year + p.longevity for p in s.people}
    claims = tl._claims(s, death, T)
    start, inflation = s.plan.start_year, s.assumptions.inflation
    for p in s.people:
        other = next((q.name for q in s.people if q.name != p.name), None)
        spouse_death = death[other] if other else None
        for year in range(start, death[p.name] + 1):
            index = (1.0 + inflation) ** (year - start)
            wages = data.draw(st.sampled_from([0.0, 0.0, 12_345.67, 80_000.0]))
            credited = data.draw(st.sampled_from([(0, 0), (0, 0), (5, 0), (7, 3), (40, 12)]))
            args = (claims[p.name], p.birth_year, year, index, wages, credited, spouse_death,
                    inflation, T)
            assert same(tl._benefits(*args), tl._benefits_by_month(*args)), (p.name, year)


@SETTINGS
@given(households())
def test_timeline_matches_the_month_loop(monkeypatch: pytest.MonkeyPatch, s: Scenario) -> None:
    # The whole timeline, months withheld by the earnings test carried from year to year.
    assert same(tl.timeline(s, T), slow_timeline(s, monkeypatch))


@settings(max_examples=100, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(scenario_texts())
def test_any_scenario_timeline_matches_the_month_loop(monkeypatch: pytest.MonkeyPatch,
                                                      text: str) -> None:
    s = parse_scenario(text)
    assert same(tl.timeline(s, T), slow_timeline(s, monkeypatch))


def test_steady_year_finds_every_change_within_a_year() -> None:
    # Born March 1960 (FRA 67: March 2027), claims at 62 and 1 month (April 2022); the spouse's
    # part starts with the other spouse's claim in May 2030; widow(er)'s benefit from 2040.
    c = tl._Claim(born=tl._month(1960, 3), fra=804, pia=1_000.0, own_from=tl._month(2022, 4),
                  own_age=745, spousal_pia=200.0, spousal_from=tl._month(2030, 5),
                  spousal_age=842, survivor=1_500.0, survivor_from=tl._month(2040, 1),
                  own=700.0, spousal=200.0, fra_year=2028,
                  events=frozenset({2022, 2027, 2030}))
    assert [y for y in range(2020, 2042) if not tl._steady_year(c, y, 0.0)] == [2022, 2027,
                                                                               2030]
    # Wages count before the FRA year only.
    assert not tl._steady_year(c, 2025, 1.0)
    assert tl._steady_year(c, 2028, 1.0)


HALF_CENTS = st.integers(-10**9, 10**9).map(lambda n: (n + 0.5) / 100)
NEAR_HALF = st.tuples(HALF_CENTS, st.sampled_from([-1e-9, -1e-12, 0.0, 1e-12, 1e-9])).map(
    lambda t: t[0] + t[1])


@settings(max_examples=2_000, deadline=None, database=None)
@given(st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e10, 1e10),
    st.floats(-1.0, 1.0),
    st.integers(-10**12, 10**12).map(lambda n: n / 100),  # already in cents
    HALF_CENTS,
    NEAR_HALF,
    st.tuples(st.integers(0, 10**8), st.integers(0, 45)).map(
        lambda t: t[0] / 100 * 1.025 ** t[1]),  # amounts grown with inflation
    st.sampled_from([0.0, -0.0, 0.005, -0.005, 0.015, 2.675, 1.005, -0.001, 1e9, -1e9,
                     999_999_999.995, 5e-324]),
))
def test_cents_is_round_to_the_bit(x: float) -> None:
    got, want = tl._cents(x), round(x + 0.0, 2)
    assert bits(got) == bits(want) or (math.isnan(got) and math.isnan(want)), x
