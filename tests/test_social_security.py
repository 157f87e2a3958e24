"""Full retirement age, claiming factors and benefit months (reference §7.1, §7.2, §7.5)."""

from __future__ import annotations

import pytest

from planner.rules import law_tables
from planner.social_security import (
    claim_factor,
    claim_start,
    full_retirement_age_months,
    months_paid,
)

T = law_tables()


@pytest.mark.parametrize(("birth_year", "years", "months"), [
    (1930, 65, 0), (1937, 65, 0), (1938, 65, 2), (1942, 65, 10), (1943, 66, 0), (1954, 66, 0),
    (1955, 66, 2), (1957, 66, 6), (1959, 66, 10), (1960, 67, 0), (1975, 67, 0),
])
def test_full_retirement_age(birth_year: int, years: int, months: int) -> None:
    assert full_retirement_age_months(birth_year, T) == years * 12 + months


# FRA 67 (born 1960 or later). 5/9 of 1% a month for 36 months, then 5/12 of 1%; 2/3 of 1% a
# month of delay up to 70.
FRA_67 = [
    (62, 0.70),  # 36 x 5/9% + 24 x 5/12% = 20% + 10%
    (63, 0.75),  # 20% + 5%
    (64, 0.80),  # 36 x 5/9% = 20%
    (65, 13 / 15),  # 24 x 5/9% = 13.33%: 0.8667
    (66, 14 / 15),  # 12 x 5/9% = 6.67%: 0.9333
    (67, 1.00),
    (68, 1.08),  # 12 x 2/3%
    (69, 1.16),
    (70, 1.24),  # SSA chart: $1,240 per $1,000 PIA
    (71, 1.24),  # no credits after 70
    (62.5, 0.725),  # 54 months early: 20% + 18 x 5/12% = 27.5%
    (67.5, 1.04),  # 6 x 2/3%
]


@pytest.mark.parametrize(("age", "factor"), FRA_67)
def test_claim_factor_fra_67(age: float, factor: float) -> None:
    assert claim_factor(1962, round(age * 12), T) == pytest.approx(factor, abs=1e-12)


@pytest.mark.parametrize(("birth_year", "age", "factor"), [
    (1954, 62, 0.75),  # FRA 66: 48 months: 20% + 12 x 5/12% = 25%
    (1954, 63, 0.80),
    (1954, 66, 1.00),
    (1954, 70, 1.32),  # 48 x 2/3% = 32%
    (1957, 62, 0.725),  # FRA 66+6: 54 months early
    (1957, 70, 1.28),  # 42 x 2/3% = 28%
    (1959, 62, 0.7083333333333334),  # FRA 66+10: 20% + 22 x 5/12% = 29.1667%
])
def test_claim_factor_other_fras(birth_year: int, age: float, factor: float) -> None:
    assert claim_factor(birth_year, round(age * 12), T) == pytest.approx(factor, abs=1e-12)


@pytest.mark.parametrize(("birth", "claim_age", "start"), [
    ((1961, 6), 70, (2031, 6)),
    ((1961, 6), 62.5, (2023, 12)),
    ((1960, 11), 67.25, (2028, 2)),  # Nov 2027 + 3 months
    ((1958, 1), 62, (2020, 1)),
])
def test_claim_start(birth: tuple[int, int], claim_age: float, start: tuple[int, int]) -> None:
    assert claim_start(*birth, claim_age) == start


@pytest.mark.parametrize(("year", "start", "months"), [
    (2030, (2031, 6), 0),
    (2031, (2031, 6), 7),  # June through December
    (2031, (2031, 1), 12),
    (2031, (2031, 12), 1),
    (2032, (2031, 6), 12),
])
def test_months_paid(year: int, start: tuple[int, int], months: int) -> None:
    assert months_paid(year, start) == months
