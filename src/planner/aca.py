"""The ACA premium tax credit (IRC §36B) for Marketplace coverage before Medicare.

Household income is the §36B(d)(2)(B) modified AGI of the tax household: AGI plus tax-exempt
interest, the Social Security benefits §86 leaves untaxed, and foreign earned income and housing
amounts excluded under §911. The caller computes it; this module takes it as given.

The credit for a year (IRC §36B(b)(2); Treas. Reg. §1.36B-3(d), (g)):

* the poverty line is the HHS guideline for the 48 contiguous states and DC most recently
  published when open enrollment for the coverage year began, i.e. the guideline of the year
  before (§36B(d)(3)(B); Treas. Reg. §1.36B-1(h)); Alaska and Hawaii guidelines are out of scope;
* the applicable percentage rises linearly within each band of household income as a multiple
  of the poverty line, from the band's initial to its final percentage, and is rounded to the
  nearest one-hundredth of one percent (Treas. Reg. §1.36B-3(g)(1)); the expected contribution
  is that percentage times household income;
* credit = max(0, benchmark (second-lowest-cost silver) premium - expected contribution), not
  more than the premium of the plan actually bought (§36B(b)(2)(A), (B));
* no credit below 100% of the poverty line (§36B(c)(1)(A)). Households there are presumed to be
  Medicaid-eligible or, in a non-expansion state, in the coverage gap; Medicaid and the
  §36B(c)(1)(B) exception for lawfully present aliens are out of scope: they get no credit;
* above 400% no credit in years with the cliff (§36B(c)(1)(A)); in the ARPA/IRA years 2021-2025
  (§36B(c)(1)(E)) the top band's final percentage applies to all higher incomes.

Amounts are annual, for a full year of coverage, in nominal dollars of the coverage year. The
month-by-month computation of Form 8962 equals this when the premiums are level all year. The
form's whole-dollar rounding and its reading of the income percentage in whole percents (Form
8962 line 5) are not applied: the exact ratio is used, as the regulation states it.

For a solver: within a band the percentage is linear in income, so the expected contribution
(percentage x income) is piecewise quadratic in MAGI; a linear model must approximate it between
the kinks that `aca_magi_breakpoints` returns. The rounding to 0.01% adds steps of at most
0.0001 x MAGI; `rounded=False` gives the continuous schedule. Where the table has the cliff, the
credit drops to zero just above 400% (and in 2026 the percentage jumps at 133%).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from planner.rules import law_section

# Household income within this relative distance of a band edge counts as on the edge, so a MAGI
# computed as edge x poverty line lands in the band the table says despite float error.
_EDGE_TOLERANCE = 1e-12


@dataclass(frozen=True, slots=True)
class AcaResult:
    """One year's premium tax credit for a tax household (annual amounts)."""

    fpl: float
    fpl_ratio: float
    applicable_percentage: float
    expected_contribution: float
    benchmark_premium: float
    premium: float
    credit: float
    net_premium: float
    eligible: bool


@dataclass(frozen=True, slots=True)
class _AcaTable:
    """A year's poverty line and applicable percentage table, parsed once."""

    first_person: float
    additional_person: float
    floor: float
    cliff: bool
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    initial: tuple[float, ...]
    final: tuple[float, ...]


@cache
def _table(year: int, inflation: float) -> _AcaTable:
    fpl = law_section(year, "aca_poverty_line", inflation)
    pct = law_section(year, "aca_applicable_percentage", inflation)
    return _AcaTable(
        first_person=float(fpl["first_person"]),
        additional_person=float(fpl["additional_person"]),
        floor=float(pct["eligibility_floor"]),
        cliff=bool(pct["cliff"]),
        lower=tuple(float(x) for x in pct["lower"]),
        upper=tuple(float(x) for x in pct["upper"]),
        initial=tuple(float(x) for x in pct["initial"]),
        final=tuple(float(x) for x in pct["final"]),
    )


def poverty_line(household_size: int, year: int, inflation: float = 0.025) -> float:
    """The poverty line for a household of `household_size` in coverage year `year`: the prior
    year's HHS guideline, 48 contiguous states and DC (IRC §36B(d)(3); Treas. Reg. §1.36B-1(h))."""
    if household_size < 1:
        raise ValueError(f"household size must be at least 1 (got {household_size})")
    t = _table(year, inflation)
    return t.first_person + t.additional_person * (household_size - 1)


def _applicable_percentage(ratio: float, t: _AcaTable, rounded: bool) -> float:
    """Treas. Reg. §1.36B-3(g)(1): linear within the band, rounded to 0.01 percentage point."""
    last = len(t.upper) - 1
    i = 0
    while i < last and ratio >= t.upper[i] * (1.0 - _EDGE_TOLERANCE):
        i += 1
    lo, hi = t.lower[i], t.upper[i]
    share = min(1.0, max(0.0, (ratio - lo) / (hi - lo)))
    pct = t.initial[i] + (t.final[i] - t.initial[i]) * share
    if not rounded:
        return pct
    return math.floor(pct * 10_000 + 0.5 + 1e-9) / 10_000


def _compute(
    magi: float, household_size: int, benchmark: float, premium: float, t: _AcaTable,
    rounded: bool,
) -> tuple[float, float, float, float, float, bool]:
    """(poverty line, ratio, applicable percentage, expected contribution, credit, eligible)."""
    if household_size < 1:
        raise ValueError(f"household size must be at least 1 (got {household_size})")
    if benchmark < 0 or premium < 0:
        raise ValueError("premiums cannot be negative")
    fpl = t.first_person + t.additional_person * (household_size - 1)
    ratio = magi / fpl
    if ratio < t.floor * (1.0 - _EDGE_TOLERANCE) or (
            t.cliff and ratio > t.upper[-1] * (1.0 + _EDGE_TOLERANCE)):
        return fpl, ratio, 0.0, 0.0, 0.0, False
    pct = _applicable_percentage(ratio, t, rounded)
    contribution = pct * magi
    credit = min(premium, max(0.0, benchmark - contribution))
    return fpl, ratio, pct, contribution, credit, True


def premium_tax_credit(
    magi: float,
    household_size: int,
    benchmark_premium: float,
    premium: float,
    year: int,
    inflation: float = 0.025,
    *,
    rounded: bool = True,
) -> AcaResult:
    """The premium tax credit of coverage year `year` (IRC §36B(b)(2), (b)(3)(A), (c)(1);
    Treas. Reg. §1.36B-3(g)).

    `magi` is the household's §36B(d)(2)(B) modified AGI; `benchmark_premium` the annual premium
    of the second-lowest-cost silver plan covering the household; `premium` the annual premium of
    the plan bought. Not eligible (below 100% of the poverty line, or over 400% where the cliff
    applies): no credit, and `applicable_percentage` and `expected_contribution` are 0.
    `rounded=False` skips the 0.01% rounding (a continuous schedule for solvers).
    """
    benchmark, paid = float(benchmark_premium), float(premium)
    fpl, ratio, pct, contribution, credit, eligible = _compute(
        magi, household_size, benchmark, paid, _table(year, inflation), rounded)
    return AcaResult(fpl, ratio, pct, contribution, benchmark, paid, credit, paid - credit,
                     eligible)


def aca_net_premium(
    magi: float,
    household_size: int,
    benchmark_premium: float,
    premium: float,
    year: int,
    inflation: float = 0.025,
    *,
    rounded: bool = True,
) -> float:
    """The annual premium the household pays after the credit, as a function of MAGI: the
    `net_premium` of `premium_tax_credit`, without building the result (for a solver that calls
    it repeatedly)."""
    paid = float(premium)
    credit = _compute(magi, household_size, float(benchmark_premium), paid,
                      _table(year, inflation), rounded)[4]
    return paid - credit


def aca_magi_breakpoints(
    household_size: int, year: int, inflation: float = 0.025
) -> tuple[float, ...]:
    """MAGI at the edges of the year's applicable percentage bands, ascending: the 100% floor,
    each band edge (133%, 150%, 200%, 250%, 300%, as the table has them) and 400%, where the
    cliff falls or (ARPA/IRA years) the percentage stops rising (Rev. Proc. 2025-25 §3.01;
    IRC §36B(b)(3)(A)(iii)). Between two breakpoints the expected contribution is quadratic in
    MAGI (the percentage is linear in it), or linear where the band is flat."""
    t = _table(year, inflation)
    fpl = poverty_line(household_size, year, inflation)
    edges = sorted({t.floor, *t.lower, *t.upper})
    return tuple(e * fpl for e in edges)
