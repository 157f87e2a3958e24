"""Social Security retirement benefits by claiming age (42 U.S.C. §402(q), (w), §416(l)).

The benefit is the primary insurance amount (PIA) reduced by 5/9 of 1% for each of the first 36
months claimed before full retirement age and 5/12 of 1% for each further month, or increased by
2/3 of 1% for each month of delay after it, up to age 70.
"""

from __future__ import annotations

from planner.rules import LawTables


def full_retirement_age_months(birth_year: int, tables: LawTables) -> int:
    """Full retirement age in months, by year of birth (42 U.S.C. §416(l))."""
    rows = tables.fra_by_birth_year
    years, months = rows[0][1], rows[0][2]
    for year, y, m in rows:
        if birth_year >= year:
            years, months = y, m
    return years * 12 + months


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
