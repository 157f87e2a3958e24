"""Social Security benefits by claiming age (42 U.S.C. §402(b), (e), (q), (w), §403, §416(l)).

The retirement benefit is the primary insurance amount (PIA) reduced by 5/9 of 1% for each of the
first 36 months claimed before full retirement age and 5/12 of 1% for each further month, or
increased by 2/3 of 1% for each month of delay after it, up to age 70. Spouse's and widow(er)'s
benefits have reductions of their own; the earnings test withholds benefits before FRA.
See docs/MODELING.md (Social Security).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from planner.rules import LawTables


def full_retirement_age_months(birth_year: int, tables: LawTables) -> int:
    """Full retirement age in months, by year of birth (42 U.S.C. §416(l))."""
    return _age_months(birth_year, tables.fra_by_birth_year)


def _age_months(birth_year: int, rows: tuple[tuple[int, int, int], ...]) -> int:
    """(years, months) of the last row whose first birth year is at or before `birth_year` (the
    first row before them all), in months; looked for from the end, where people born since
    1960 find theirs at once."""
    for year, y, m in reversed(rows):
        if birth_year >= year:
            return y * 12 + m
    return rows[0][1] * 12 + rows[0][2]


def claim_factor(birth_year: int, claim_age_months: int, tables: LawTables) -> float:
    """The benefit as a share of PIA when claimed at `claim_age_months` (20 CFR 404.410, .313)."""
    fra = full_retirement_age_months(birth_year, tables)
    if claim_age_months < fra:
        early = fra - claim_age_months
        first = min(early, tables.reduction_first_months)
        return 1.0 - first * tables.reduction_rate_first - (early - first) * (
            tables.reduction_rate_after
        )
    late = min(claim_age_months, tables.latest_credit_age * 12) - fra
    return 1.0 + late * tables.delayed_credit_rate


def claim_start(birth_year: int, birth_month: int, claim_age: float) -> tuple[int, int]:
    """Calendar (year, month) of the first benefit month for a claim at `claim_age`."""
    months = birth_year * 12 + (birth_month - 1) + round(claim_age * 12)
    return months // 12, months % 12 + 1


def months_paid(year: int, start: tuple[int, int]) -> int:
    """Benefit months in `year` for benefits starting at `start` (year, month)."""
    start_year, start_month = start
    if year < start_year:
        return 0
    if year == start_year:
        return 13 - start_month
    return 12


def spousal_factor(birth_year: int, start_age_months: int, tables: LawTables) -> float:
    """The spouse's benefit as a share of its unreduced amount when it starts at
    `start_age_months`: 25/36 of 1% less for each of the first 36 months before the spouse's full
    retirement age and 5/12 of 1% for each further month; no delayed credits after it
    (42 U.S.C. §402(q)(1), (q)(9); 20 CFR 404.410; POMS RS 00615.201)."""
    early = max(0, full_retirement_age_months(birth_year, tables) - start_age_months)
    first = min(early, tables.spousal_reduction_first_months)
    return (1.0 - first * tables.spousal_reduction_rate_first
            - (early - first) * tables.spousal_reduction_rate_after)


def survivor_full_retirement_age_months(birth_year: int, tables: LawTables) -> int:
    """Full retirement age for widow(er)'s benefits in months (20 CFR 404.409(b))."""
    return _age_months(birth_year, tables.survivor_fra_by_birth_year)


def survivor_factor(birth_year: int, start_age_months: int, tables: LawTables) -> float:
    """The widow(er)'s benefit as a share of its unreduced amount when it starts at
    `start_age_months` (60 or later): 28.5% less at 60, prorated by month up to the survivor's full
    retirement age (42 U.S.C. §402(q)(1), (q)(9); SSA Handbook §724.1; POMS RS 00615.305)."""
    fra = survivor_full_retirement_age_months(birth_year, tables)
    earliest = tables.survivor_earliest_age * 12
    early = min(max(0, fra - start_age_months), fra - earliest)
    return 1.0 - tables.survivor_max_reduction * early / (fra - earliest)


class WidowBase(NamedTuple):
    """The widow(er)'s benefit before the survivor's own reduction for age, as shares of the
    deceased's PIA."""

    original: float  # 100% of PIA, or the deceased's benefit with delayed credits
    limit: float | None  # RIB-LIM when the deceased had claimed early, else None


def widow_base(birth_year: int, claim_age_months: int | None, death_age_months: int,
               tables: LawTables) -> WidowBase:
    """The deceased's side of the widow(er)'s benefit.

    `claim_age_months` is the deceased's age at their claim, None if they died before claiming;
    `death_age_months` their age in the month of death.
    - Claimed at or after FRA: their benefit with delayed credits (POMS RS 00615.706).
    - Claimed before FRA: 100% of PIA, limited to the larger of their reduced benefit and 82.5%
      of PIA (RIB-LIM, 42 U.S.C. §402(e)(2)(D), (f)(3)(D); POMS RS 00615.320).
    - Died before claiming: PIA with the delayed credits earned up to death if past FRA, else
      100% of PIA (§402(e)(2)(A), (w); POMS RS 00615.690).
    """
    fra = full_retirement_age_months(birth_year, tables)
    if claim_age_months is None:
        return WidowBase(claim_factor(birth_year, max(death_age_months, fra), tables), None)
    if claim_age_months < fra:
        reduced = claim_factor(birth_year, claim_age_months, tables)
        return WidowBase(1.0, max(reduced, tables.survivor_rib_lim_share))
    return WidowBase(claim_factor(birth_year, claim_age_months, tables), None)


def survivor_share(base: WidowBase, birth_year: int, start_age_months: int,
                   tables: LawTables) -> float:
    """The widow(er)'s monthly benefit as a share of the deceased's PIA: the original benefit
    reduced for the survivor's age at its start, then limited by the RIB-LIM (POMS RS 00615.320
    A.3: the limit applies to the benefit after the reduction for age)."""
    share = base.original * survivor_factor(birth_year, start_age_months, tables)
    return share if base.limit is None else min(share, base.limit)


def earnings_test_excess(wages: float, months_before_fra: int, fra_year: bool,
                         law: Mapping[str, Any]) -> float:
    """Benefits to withhold for a year's wages (42 U.S.C. §403(b), (f)(1), (f)(3); 20 CFR
    404.415, .430): $1 for every $2 above the lower exempt amount in years before the year of
    full retirement age; in that year $1 for every $3 above the higher amount, counting only the
    earnings of the months before FRA (the year's wages prorated by month)."""
    if months_before_fra <= 0 or wages <= 0:
        return 0.0
    if fra_year:
        counted = wages * months_before_fra / 12
        return max(0.0, counted - law["higher"]) * law["rate_higher"]
    return max(0.0, wages - law["lower"]) * law["rate_lower"]


class Withholding(NamedTuple):
    """Benefits withheld by the earnings test in one year."""

    amount: float  # dollars withheld
    months: int  # months with any benefit withheld
    spousal_months: int  # of which months in which a spouse's benefit was payable


def withhold(excess: float, payments: Sequence[tuple[float, float]]) -> Withholding:
    """Withhold `excess` from the year's benefits, month by month from January (20 CFR
    404.415-.416, POMS RS 02501.140). `payments` holds each month's (own, spouse's) benefit
    before FRA. A month counts as withheld if any of its benefit is; the last month's remainder
    is paid in it (SSA withholds the whole month and repays the overage the next year)."""
    left = excess
    amount, months, spousal = 0.0, 0, 0
    for own, spouse in payments:
        if left <= 0:
            break
        payable = own + spouse
        if payable <= 0:
            continue
        take = min(left, payable)
        left -= take
        amount += take
        months += 1
        spousal += spouse > 0
    return Withholding(amount, months, spousal)
