"""The engine's shortcuts against the plain ways they replace, to the bit.

A projection's CSV must not change by a byte when the engine gets faster, so each shortcut is
checked here against the code it replaced: the timeline (sums that are one amount already in
cents, ages shared, rows built from plain tuples), the federal tax (conditionals for min/max,
brackets from the top one reached), `Holding.take` (rounding without `round`), the distribution
period, the full retirement age tables, the summary's lifetime sums, and the rows built from
plain tuples (every field present, in order).
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import planner.timeline as tl
from planner import engine
from planner.amt import alternative_minimum_tax
from planner.engine import Holding, YearResult, project
from planner.federal_tax import TaxInput, TaxResult, bracket_tax, compute_tax, tax_of_return
from planner.rules import law_tables, rules_for_year
from planner.scenario import Scenario, load_scenario, parse_scenario
from planner.social_security import (
    full_retirement_age_months,
    survivor_full_retirement_age_months,
)
from planner.timeline import YearFacts, timeline
from tests.conftest import SCENARIOS
from tests.strategies_hyp import scenario_texts
from tests.test_timeline_fast import households

T = law_tables()


def bits(x: Any) -> Any:
    """Floats as their bytes (0.0 and -0.0 differ, as in the CSV); anything else as it is."""
    if isinstance(x, float):
        return struct.pack("<d", x)
    if isinstance(x, tuple):
        return tuple(bits(v) for v in x)
    return x


def slow_bracket_tax(amount: float, floors: tuple[float, ...], rates: tuple[float, ...]) -> float:
    tax = 0.0
    for i in range(len(floors) - 1, -1, -1):
        floor = floors[i]
        if amount > floor:
            tax += (amount - floor) * rates[i]
            amount = floor
    return tax


def slow_compute_tax(inp: TaxInput, rules) -> TaxResult:
    """`compute_tax` as it was, with min and max and the bracket loop over every bracket."""
    from planner.federal_tax import taxable_social_security

    status, ages, ordinary, interest, dividends, ltcg, stcg, benefits, exempt = inp
    st = rules.mfj if status == "mfj" else rules.single
    net_gain = ltcg + stcg
    limit = -rules.capital_loss_limit
    capital_gain = limit if limit > net_gain else net_gain
    net_capital_gain = net_gain if net_gain < ltcg else ltcg
    if not net_capital_gain > 0.0:
        net_capital_gain = 0.0
    other = ordinary + interest + dividends + capital_gain
    taxable_ss = taxable_social_security(benefits, other + exempt, st, rules.ss_rate_1,
                                         rules.ss_rate_2)
    agi = other + taxable_ss
    magi = agi + exempt
    seniors = sum(1 for age in ages if age >= 65)
    senior = 0.0
    if rules.senior_amount > 0.0 and seniors:
        each = rules.senior_amount - rules.senior_phaseout_rate * max(
            0.0, agi - st.senior_phaseout_start)
        senior = seniors * max(0.0, each)
    additional = seniors * st.additional_65
    deduction = st.standard_deduction + additional + senior
    taxable_income = agi - deduction
    if not taxable_income > 0.0:
        taxable_income = 0.0
    carryforward = 0.0
    if net_gain < 0.0:
        deducted = -capital_gain
        used = min(deducted, max(0.0, agi - deduction + deducted))
        carryforward = -net_gain - used
    preferential = dividends + net_capital_gain
    if not preferential < taxable_income:
        preferential = taxable_income
    ordinary_part = taxable_income - preferential
    ordinary_tax = slow_bracket_tax(ordinary_part, st.bracket_floors, st.bracket_rates)
    preferential_tax = 0.0
    if preferential > 0.0:
        at_zero = max(0.0, min(taxable_income, st.cg_zero_top) - ordinary_part)
        at_fifteen = max(
            0.0, min(preferential - at_zero, min(taxable_income, st.cg_fifteen_top)
                     - ordinary_part - at_zero))
        at_twenty = preferential - at_zero - at_fifteen
        r0, r15, r20 = rules.cg_rates
        preferential_tax = at_zero * r0 + at_fifteen * r15 + at_twenty * r20
        regular = slow_bracket_tax(taxable_income, st.bracket_floors, st.bracket_rates)
        if ordinary_tax + preferential_tax > regular:
            preferential_tax = regular - ordinary_tax
    amt = 0.0
    if agi > st.amt_exemption and ordinary_tax + preferential_tax < rules.amt_rates[1] * (
            agi - st.amt_exemption + rules.amt_phaseout_rate * max(
                0.0, agi - st.amt_phaseout_start)):
        amt = alternative_minimum_tax(agi, dividends + net_capital_gain,
                                      ordinary_part, ordinary_tax + preferential_tax, st, rules)
    income_tax = ordinary_tax + preferential_tax + amt
    nii = interest + dividends + capital_gain
    if not nii > 0.0:
        nii = 0.0
    over = agi - st.niit_threshold
    if not over > 0.0:
        over = 0.0
    niit = rules.niit_rate * (over if over < nii else nii)
    return TaxResult(agi, magi, taxable_ss, capital_gain, carryforward, st.standard_deduction,
                     additional, senior, deduction, taxable_income, preferential, ordinary_tax,
                     preferential_tax, amt, income_tax, nii, niit, income_tax + niit)


AMOUNTS = st.one_of(
    st.just(0.0), st.just(-0.0),
    st.integers(-5_000_000, 200_000_000).map(lambda c: c / 100),
    st.floats(-1e6, 1e8, allow_nan=False),
)
FLOORS = st.lists(st.integers(0, 1_000_000).map(float), min_size=1, max_size=8).map(
    lambda xs: tuple(sorted(xs)))


@settings(max_examples=1_000, deadline=None, database=None)
@given(AMOUNTS, FLOORS, st.data())
def test_bracket_tax_matches_the_loop_over_every_bracket(amount: float,
                                                         floors: tuple[float, ...],
                                                         data: st.DataObject) -> None:
    rates = tuple(data.draw(st.lists(st.sampled_from([0.0, 0.1, 0.12, 0.22, 0.37, 0.5]),
                                     min_size=len(floors), max_size=len(floors))))
    at_a_floor = data.draw(st.sampled_from(floors))
    for x in (amount, at_a_floor):
        assert bits(bracket_tax(x, floors, rates)) == bits(slow_bracket_tax(x, floors, rates))


@settings(max_examples=1_000, deadline=None, database=None)
@given(st.sampled_from(["single", "mfj"]), st.integers(2024, 2070),
       st.sampled_from([(40,), (66,), (64, 70), (70, 81), (50, 55)]),
       AMOUNTS, AMOUNTS, AMOUNTS, AMOUNTS, AMOUNTS, AMOUNTS)
def test_tax_matches_the_min_max_formulation(status: str, year: int, ages: tuple[int, ...],
                                             ordinary: float, interest: float,
                                             dividends: float, ltcg: float, stcg: float,
                                             benefits: float) -> None:
    rules = rules_for_year(year, 0.025)
    inp = TaxInput(status, ages, ordinary, interest, abs(dividends), ltcg, stcg, abs(benefits))
    want = bits(tuple(slow_compute_tax(inp, rules)))
    assert bits(tuple(compute_tax(inp, rules))) == want
    assert bits(tuple(tax_of_return(*inp, rules))) == want


def slow_take(h: Holding, amount: float) -> float:
    """`Holding.take` as it was, with `round`."""
    if h.kind == "roth":
        h._take_roth_basis(amount)
    share = h.taxable_share()
    if h.kind in ("traditional", "taxable") and h.balance > 0.0:
        h.basis = round(h.basis - h.basis * amount / h.balance, 2)
        if amount >= h.balance:
            h.basis = 0.0
    h.balance = round(h.balance - amount, 2)
    return amount * share


CENTS = st.integers(-100, 10**10).map(lambda c: c / 100)


@settings(max_examples=1_000, deadline=None, database=None)
@given(st.sampled_from(["cash", "taxable", "traditional", "roth", "hsa"]), CENTS, CENTS,
       st.one_of(CENTS, st.just(0.0)), st.booleans())
def test_take_matches_round(kind: str, balance: float, basis: float, amount: float,
                            everything: bool) -> None:
    def holding() -> Holding:
        h = Holding("a", kind, "alex", balance, basis, 0.6, 0.0, 0.0)
        if kind == "roth" and basis > 0.0:
            h.conversions = [[2020, round(basis / 2, 2), 1.0]]
        return h

    amount = balance if everything else amount
    fast, slow = holding(), holding()
    assert bits(fast.take(amount)) == bits(slow_take(slow, amount))
    assert bits((fast.balance, fast.basis)) == bits((slow.balance, slow.basis))
    assert fast.conversions == slow.conversions


def test_distribution_period_and_retirement_ages_match_the_tables() -> None:
    from planner.rmd import distribution_period, joint_divisor, uniform_divisor

    for age in range(0, 130):
        index = min(max(age - T.uniform_first_age, 0), len(T.uniform_divisors) - 1)
        assert uniform_divisor(age, T) == T.uniform_divisors[index]
        assert distribution_period(age, T) == T.uniform_divisors[index]
        for spouse in (age - 11, age - 30):
            if spouse >= 0:
                assert distribution_period(age, T, spouse) == joint_divisor(age, spouse, T)
        assert distribution_period(age, T, age - 5) == T.uniform_divisors[index]

    def slow(birth_year: int, rows: tuple[tuple[int, int, int], ...]) -> int:
        years, months = rows[0][1], rows[0][2]
        for year, y, m in rows:
            if birth_year >= year:
                years, months = y, m
        return years * 12 + months

    for born in range(1900, 2010):
        assert full_retirement_age_months(born, T) == slow(born, T.fra_by_birth_year)
        assert survivor_full_retirement_age_months(born, T) == slow(
            born, T.survivor_fra_by_birth_year)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_rows_have_every_field_and_the_summary_its_sums(path: Path) -> None:
    scenario = load_scenario(path)
    result = project(scenario)
    for row in result.years:
        assert type(row) is YearResult and len(row) == len(YearResult._fields)
    for facts in timeline(scenario, T):
        assert type(facts) is YearFacts and len(facts) == len(YearFacts._fields)
    rows = result.years
    shortfalls = [r.year for r in rows if r.shortfall > 0.0]
    summary = result.summary
    assert summary.first_shortfall_year == (shortfalls[0] if shortfalls else None)
    for name in ("federal_tax", "irmaa", "state_tax", "aca_net_premium", "payroll_tax",
                 "early_withdrawal_penalty"):
        key = "lifetime_" + name
        assert bits(getattr(summary, key)) == bits(
            engine.cents(sum(getattr(r, name) for r in rows))), key


def slow_timeline(scenario: Scenario) -> list[YearFacts]:
    """`timeline` as it was: every sum rounded by `round`, benefits month by month."""
    def cents(x: float) -> float:
        return round(x + 0.0, 2)

    people = scenario.people
    start, last = scenario.plan.start_year, scenario.last_year()
    inflation = scenario.assumptions.inflation
    death = {p.name: p.birth_year + p.longevity for p in people}
    spouse = {p.name: q.name for p in people for q in people if q.name != p.name}
    claims = tl._claims(scenario, death, T)
    credited = {name: (0, 0) for name in claims}
    spouse_death = {p.name: death.get(spouse.get(p.name, "")) for p in people}
    others = [tl._other(inc, start, last, death, spouse) for inc in scenario.income
              if inc.kind != "social_security"]
    qcd_from = {p.name: p.birth_year + (T.qcd_age_months + p.birth_month - 12 + 11) // 12
                for p in people}
    medicare_from = {p.name: p.birth_year + T.medicare_age for p in people}
    annual, fraction = scenario.spending.annual, scenario.spending.survivor_fraction
    qcd_annual = scenario.strategy.qcd_annual
    out: list[YearFacts] = []
    for years, h in tl._households(people, death, start, last):
        names, count = h.names, len(h.names)
        widowed = h.survivor is not None
        share = fraction if widowed else 1.0
        qcd_years = [(qcd_from[name], name) for name in names]
        medicare_years = [(medicare_from[p.name], 13 - p.birth_month) for p in h.alive]
        for year in years:
            index = (1.0 + inflation) ** (year - start)
            other_total = 0.0
            taxable: list[float] = []
            wages = [0.0] * count
            pensions = [0.0] * count
            premiums: list[tuple[str, float]] = []
            earned = dict.fromkeys(names, 0.0)
            for o in others:
                amount, to = tl._other_income(o, year, index)
                other_total += amount
                if o.taxable:
                    taxable.append(amount)
                at = names.index(to) if to in names else 0
                if o.kind == "wages":
                    wages[at] += amount
                    if o.owner in earned:
                        earned[o.owner] += amount
                elif o.kind in ("pension", "annuity") and o.taxable:
                    pensions[at] += amount
                if o.premium is not None and year == o.start_year and o.owner in names:
                    premiums.append((o.from_account or "", o.premium))
            benefits: list[float] = []
            withheld = 0.0
            for name, born in zip(names, h.births, strict=True):
                paid, held, months = tl._benefits_by_month(
                    claims[name], born, year, index, earned[name], credited[name],
                    spouse_death[name], inflation, T)
                if months != (0, 0):
                    credited[name] = (credited[name][0] + months[0],
                                      credited[name][1] + months[1])
                benefits.append(paid)
                withheld += held
            out.append(YearFacts(
                year, names, tuple([year - born for born in h.births]),
                tuple([None if born is None else year - born for born in h.all_births]),
                h.status, widowed, h.survivor, index, cents(annual * index * share),
                cents(sum(benefits)), cents(other_total), tuple(taxable),
                cents(qcd_annual * index),
                tuple([name for first, name in qcd_years if year >= first]),
                tuple([12 if year > first else months for first, months in medicare_years
                       if year >= first]),
                tuple([cents(x) for x in benefits]), tuple([cents(x) for x in wages]),
                tuple([cents(x) for x in pensions]), tuple(premiums), cents(withheld),
            ))
    return out


def same_timeline(scenario: Scenario) -> None:
    fast, slow = timeline(scenario, T), slow_timeline(scenario)
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow, strict=True):
        assert type(a) is YearFacts and len(a) == len(b)
        assert bits(tuple(a)) == bits(tuple(b)), a.year


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_timeline_matches_the_plain_one_on_bundled_scenarios(path: Path) -> None:
    same_timeline(load_scenario(path))


@settings(max_examples=150, deadline=None, database=None)
@given(scenario_texts())
def test_timeline_matches_the_plain_one(text: str) -> None:
    same_timeline(parse_scenario(text))


@settings(max_examples=100, deadline=None, database=None)
@given(households())
def test_timeline_matches_the_plain_one_with_the_earnings_test(scenario: Scenario) -> None:
    same_timeline(scenario)
