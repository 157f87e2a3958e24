"""`federal_tax.compute_tax` for many household-years at once, on numpy arrays.

Every line mirrors `compute_tax` operation for operation and in the same order, so equal inputs
give bit-for-bit equal results (tests/test_simulate_tax.py checks it on random returns). The law
may hold arrays too (one figure per path, from `vector_rules.path_rules`). Short-term gains and
tax-exempt interest are zero here, as the engine's conventional path never produces them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.rules import StatusRules, YearRules


@dataclass(frozen=True, slots=True)
class TaxArrays:
    """The lines of the return the simulation keeps, one element per path."""

    agi: np.ndarray
    magi: np.ndarray
    taxable_social_security: np.ndarray
    loss_carryforward: np.ndarray
    taxable_income: np.ndarray
    niit: np.ndarray
    total_tax: np.ndarray


def bracket_tax(amount: np.ndarray, floors: tuple, rates: tuple[float, ...]) -> np.ndarray:
    """Tax on ordinary taxable income by the rate schedule (IRC §1(j)), top bracket first."""
    tax = np.zeros_like(amount)
    for i in range(len(floors) - 1, -1, -1):
        floor = floors[i]
        above = amount > floor
        if not above.any():
            continue
        tax = np.where(above, tax + (amount - floor) * rates[i], tax)
        amount = np.where(above, floor, amount)
    return tax


def taxable_social_security(benefits: np.ndarray, other_income: np.ndarray, st: StatusRules,
                            rate_1: float, rate_2: float) -> np.ndarray:
    """IRS Pub 915, Worksheet 1, lines 1-18, as `federal_tax.taxable_social_security`."""
    provisional = rate_1 * benefits + other_income
    over_base = provisional - st.ss_base
    band = st.ss_adjusted_base - st.ss_base
    over_adjusted = np.maximum(0.0, over_base - band)
    first_tier = np.minimum(rate_1 * np.minimum(over_base, band), rate_1 * benefits)
    taxable = np.minimum(first_tier + rate_2 * over_adjusted, rate_2 * benefits)
    return np.where((benefits <= 0.0) | (over_base <= 0.0), 0.0, taxable)


def tentative_minimum_tax(amti: np.ndarray, preferential: np.ndarray,
                          regular_ordinary_income: np.ndarray, st: StatusRules,
                          rules: YearRules) -> np.ndarray:
    """Form 6251 lines 4-9 and Part III, as `amt.tentative_minimum_tax`."""
    exemption = np.maximum(0.0, st.amt_exemption - rules.amt_phaseout_rate * np.maximum(
        0.0, amti - st.amt_phaseout_start))
    excess = np.maximum(0.0, amti - exemption)
    low, high = rules.amt_rates
    floors = (0.0, rules.amt_breakpoint)
    full = bracket_tax(excess, floors, (low, high))
    pref = np.minimum(excess, preferential)
    tax = bracket_tax(excess - pref, floors, (low, high))
    r0, r15, r20 = rules.cg_rates
    room_zero = np.maximum(0.0, st.cg_zero_top - regular_ordinary_income)
    at_zero = np.minimum(room_zero, pref)
    room = np.maximum(0.0, st.cg_fifteen_top - (room_zero + regular_ordinary_income))
    at_fifteen = np.minimum(pref - at_zero, room)
    at_twenty = pref - at_zero - at_fifteen
    tax = tax + (at_zero * r0 + at_fifteen * r15 + at_twenty * r20)
    tmt = np.where(pref <= 0.0, full, np.minimum(tax, full))
    return np.where(excess <= 0.0, 0.0, tmt)


def vector_tax(rules: YearRules, st: StatusRules, seniors: int, ordinary: np.ndarray,
               interest: np.ndarray, qualified_dividends: np.ndarray, ltcg: np.ndarray,
               social_security: np.ndarray) -> TaxArrays:
    """Federal income tax and NIIT of one return per path (`compute_tax`, line by line)."""
    capital_gain = np.maximum(ltcg, -rules.capital_loss_limit)
    net_capital_gain = np.maximum(0.0, ltcg)

    other = ordinary + interest + qualified_dividends + capital_gain
    taxable_ss = taxable_social_security(social_security, other, st, rules.ss_rate_1,
                                         rules.ss_rate_2)
    agi = other + taxable_ss

    senior: np.ndarray | float = 0.0
    if rules.senior_amount > 0.0 and seniors:
        each = rules.senior_amount - rules.senior_phaseout_rate * np.maximum(
            0.0, agi - st.senior_phaseout_start)
        senior = seniors * np.maximum(0.0, each)
    deduction = st.standard_deduction + seniors * st.additional_65 + senior
    taxable_income = np.maximum(0.0, agi - deduction)
    # Capital Loss Carryover Worksheet (IRC §1212(b)(2)).
    deducted = -capital_gain
    used = np.minimum(deducted, np.maximum(0.0, agi - deduction + deducted))
    carryforward = np.where(ltcg < 0.0, -ltcg - used, 0.0)

    preferential = np.minimum(taxable_income, qualified_dividends + net_capital_gain)
    ordinary_part = taxable_income - preferential
    ordinary_tax = bracket_tax(ordinary_part, st.bracket_floors, st.bracket_rates)
    preferential_tax = np.zeros_like(ordinary_tax)
    has_preferential = preferential > 0.0
    if has_preferential.any():
        at_zero = np.maximum(0.0, np.minimum(taxable_income, st.cg_zero_top) - ordinary_part)
        at_fifteen = np.maximum(0.0, np.minimum(
            preferential - at_zero,
            np.minimum(taxable_income, st.cg_fifteen_top) - ordinary_part - at_zero))
        at_twenty = preferential - at_zero - at_fifteen
        r0, r15, r20 = rules.cg_rates
        stacked = at_zero * r0 + at_fifteen * r15 + at_twenty * r20
        regular = bracket_tax(taxable_income, st.bracket_floors, st.bracket_rates)
        stacked = np.where(ordinary_tax + stacked > regular, regular - ordinary_tax, stacked)
        preferential_tax = np.where(has_preferential, stacked, 0.0)
    regular_tax = ordinary_tax + preferential_tax
    income_tax = regular_tax
    owes_amt = agi > st.amt_exemption
    if owes_amt.any():
        tmt = tentative_minimum_tax(agi, qualified_dividends + net_capital_gain, ordinary_part,
                                    st, rules)
        income_tax = regular_tax + np.where(owes_amt, np.maximum(0.0, tmt - regular_tax), 0.0)

    nii = np.maximum(0.0, interest + qualified_dividends + capital_gain)
    niit = rules.niit_rate * np.minimum(nii, np.maximum(0.0, agi - st.niit_threshold))
    return TaxArrays(agi=agi, magi=agi, taxable_social_security=taxable_ss,
                     loss_carryforward=carryforward, taxable_income=taxable_income, niit=niit,
                     total_tax=income_tax + niit)
