"""Alternative minimum tax of a household with no AMT preference items (IRC §55; Form 6251).

For the households the planner models (no itemized deductions, no incentive stock options or
private-activity bond interest) AMT income is AGI: the standard deduction, the 65+ addition and
the senior deduction are not allowed against it. The exemption phases out above a threshold
(25%, 50% from 2026 under OBBBA §70107); the excess is taxed at 26%/28%, with qualified dividends
and net capital gain kept at their 0/15/20% rates (Form 6251 Part III).
"""

from __future__ import annotations

from planner.rules import StatusRules, YearRules


def tentative_minimum_tax(amti: float, preferential: float, regular_ordinary_income: float,
                          st: StatusRules, rules: YearRules) -> float:
    """Form 6251 lines 4-9 and Part III (lines 12-42): the tentative minimum tax.

    `preferential` is qualified dividends plus net capital gain (regular worksheet line 4) and
    `regular_ordinary_income` is the regular tax worksheet's line 5 (taxable income less it).
    """
    from planner.federal_tax import bracket_tax  # federal_tax imports this module

    exemption = max(0.0, st.amt_exemption - rules.amt_phaseout_rate * max(
        0.0, amti - st.amt_phaseout_start))
    excess = max(0.0, amti - exemption)  # line 6
    if excess <= 0.0:
        return 0.0
    low, high = rules.amt_rates
    floors = (0.0, rules.amt_breakpoint)
    full = bracket_tax(excess, floors, (low, high))  # line 41 (no preferential rates)
    pref = min(excess, preferential)  # line 13 (and 22)
    if pref <= 0.0:
        return full
    ordinary = excess - pref  # line 17
    tax = bracket_tax(ordinary, floors, (low, high))  # line 18
    r0, r15, r20 = rules.cg_rates
    at_zero = min(max(0.0, st.cg_zero_top - regular_ordinary_income), pref)  # lines 19-23
    room = max(0.0, st.cg_fifteen_top - (max(0.0, st.cg_zero_top - regular_ordinary_income)
                                        + regular_ordinary_income))  # lines 25-29
    at_fifteen = min(pref - at_zero, room)  # line 30
    at_twenty = pref - at_zero - at_fifteen  # line 33
    tax += at_zero * r0 + at_fifteen * r15 + at_twenty * r20  # lines 31, 34, 40
    return min(tax, full)  # line 42


def alternative_minimum_tax(amti: float, preferential: float, regular_ordinary_income: float,
                            regular_tax: float, st: StatusRules, rules: YearRules) -> float:
    """AMT owed: the tentative minimum tax over the regular tax, if any (Form 6251 line 11)."""
    tmt = tentative_minimum_tax(amti, preferential, regular_ordinary_income, st, rules)
    return max(0.0, tmt - regular_tax)
