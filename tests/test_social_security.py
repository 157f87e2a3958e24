"""Full retirement age, claiming factors and benefit months (reference §7.1, §7.2, §7.5); the
spouse's and widow(er)'s reductions, the RIB-LIM and the earnings test (docs/MODELING.md,
Social Security)."""

from __future__ import annotations

import pytest

from planner.rules import law_section, law_tables
from planner.social_security import (
    WidowBase,
    claim_factor,
    claim_start,
    earnings_test_excess,
    full_retirement_age_months,
    months_paid,
    spousal_factor,
    survivor_factor,
    survivor_full_retirement_age_months,
    survivor_share,
    widow_base,
    withhold,
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


# --- Spouse's benefits: 25/36 of 1% a month for 36 months, 5/12 of 1% beyond, no credits ------
# As a share of the worker's PIA (x 50%), these are SSA's published "percent of PIA" for spouses
# (POMS RS 00615.205 charts: e.g. 32.5% at 62 when FRA is 67, 35% when it is 66).

@pytest.mark.parametrize(("birth_year", "age", "share_of_pia"), [
    (1962, 67, 0.50),  # at FRA: 50%
    (1962, 70, 0.50),  # no delayed credits on a spouse's benefit
    (1962, 62, 0.325),  # 60 months: 36 x 25/36% + 24 x 5/12% = 25% + 10% = 35% -> 0.5 x 0.65
    (1962, 64, 0.375),  # 36 months: 25% -> 0.5 x 0.75
    (1962, 65, 0.5 * (1 - 24 * 25 / 3600)),  # 24 months: 16.67% -> 41.67%
    (1954, 62, 0.35),  # FRA 66: 48 months: 25% + 12 x 5/12% = 30% -> 0.5 x 0.70
    (1957, 62, 0.5 * (1 - 0.25 - 18 * 5 / 1200)),  # FRA 66+6: 54 months: 32.5% -> 33.75%
])
def test_spousal_factor(birth_year: int, age: float, share_of_pia: float) -> None:
    got = T.spousal_share * spousal_factor(birth_year, round(age * 12), T)
    assert got == pytest.approx(share_of_pia, abs=1e-12)


# --- Widow(er)'s benefits -------------------------------------------------------------------

@pytest.mark.parametrize(("birth_year", "years", "months"), [
    (1939, 65, 0), (1940, 65, 2), (1944, 65, 10), (1945, 66, 0), (1956, 66, 0), (1957, 66, 2),
    (1960, 66, 8), (1961, 66, 10), (1962, 67, 0), (1980, 67, 0),  # 20 CFR 404.409(b)
])
def test_survivor_full_retirement_age(birth_year: int, years: int, months: int) -> None:
    assert survivor_full_retirement_age_months(birth_year, T) == years * 12 + months


@pytest.mark.parametrize(("birth_year", "age_months", "factor"), [
    (1962, 720, 0.715),  # 60: the full 28.5% reduction
    (1962, 744, 1 - 0.285 * 60 / 84),  # 62, FRA 67: 60 of 84 months early: 79.64% (RS 00615.305)
    (1962, 804, 1.0),  # 67
    (1962, 840, 1.0),  # no increase after survivor FRA
    (1956, 756, 0.8575),  # FRA 66: 63 is 36 of 72 months early: 28.5% / 2 = 14.25%
    (1960, 720, 0.715),  # FRA 66+8: still 71.5% at 60
])
def test_survivor_factor(birth_year: int, age_months: int, factor: float) -> None:
    assert survivor_factor(birth_year, age_months, T) == pytest.approx(factor, abs=1e-12)


def test_widow_base_by_how_the_deceased_claimed() -> None:
    # Born 1962, FRA 67 (804 months). Claimed at 62: reduced to 70%, so the widow(er) gets 100%
    # of PIA limited to max(70%, 82.5%) = 82.5% (RIB-LIM, POMS RS 00615.320).
    assert widow_base(1962, 744, 900, T) == WidowBase(1.0, 0.825)
    # Claimed at 66: 14/15 = 93.33% > 82.5%, so the limit is their own benefit.
    assert widow_base(1962, 792, 900, T).limit == pytest.approx(14 / 15, abs=1e-12)
    # Claimed at 70: 124% with delayed credits, no limit (POMS RS 00615.706).
    assert widow_base(1962, 840, 900, T) == WidowBase(pytest.approx(1.24), None)
    # Died at 68y0m before claiming: 12 months of credits to death: 108%.
    assert widow_base(1962, None, 816, T) == WidowBase(pytest.approx(1.08), None)
    # Died at 64 before claiming (before FRA): 100% of PIA.
    assert widow_base(1962, None, 768, T) == WidowBase(1.0, None)


@pytest.mark.parametrize(("base", "birth_year", "age_months", "share"), [
    (WidowBase(1.0, 0.825), 1962, 804, 0.825),  # at survivor FRA: the RIB-LIM
    (WidowBase(1.0, 0.825), 1962, 720, 0.715),  # at 60: 71.5% is below the limit
    (WidowBase(1.0, 0.825), 1962, 744, 1 - 0.285 * 60 / 84),  # at 62: 79.64% < 82.5%
    (WidowBase(1.0, 0.825), 1956, 756, 0.825),  # 85.75% at 63 (FRA 66) limited to 82.5%
    (WidowBase(1.24, None), 1962, 720, 1.24 * 0.715),  # credits, then the survivor's reduction
    (WidowBase(1.24, None), 1962, 810, 1.24),
])
def test_survivor_share(base: WidowBase, birth_year: int, age_months: int, share: float) -> None:
    assert survivor_share(base, birth_year, age_months, T) == pytest.approx(share, abs=1e-12)


# --- Earnings test --------------------------------------------------------------------------

@pytest.mark.parametrize(("year", "lower", "higher"), [
    (2024, 22_320, 59_520), (2025, 23_400, 62_160), (2026, 24_480, 65_160),  # SSA OACT
])
def test_earnings_test_exempt_amounts(year: int, lower: float, higher: float) -> None:
    law = law_section(year, "ss_earnings_test")
    assert (law["lower"], law["higher"]) == (lower, higher)


def test_earnings_test_exempt_amounts_projected() -> None:
    # 2027 at 3%: 24,480 x 1.03 = 25,214.40, to the nearest $120 ($10 a month): 25,200;
    # 65,160 x 1.03 = 67,114.80 -> 67,080 (increase 1,954.80 = 16.29 steps of 120 -> 16).
    law = law_section(2027, "ss_earnings_test", 0.03)
    assert (law["lower"], law["higher"]) == (25_200, 67_080)


def test_earnings_test_excess() -> None:
    law = law_section(2024, "ss_earnings_test")
    # SSA "How Work Affects Your Benefits" (2024): $32,320 earned, $10,000 over $22,320: $5,000.
    assert earnings_test_excess(32_320, 12, False, law) == pytest.approx(5_000)
    assert earnings_test_excess(22_320, 12, False, law) == 0  # at the limit: nothing
    # The FRA year: $69,520 earned before the FRA month, $10,000 over $59,520: $3,333.33. Wages
    # of 139,040 a year prorated over 6 months before FRA are 69,520.
    assert earnings_test_excess(139_040, 6, True, law) == pytest.approx(10_000 / 3)
    assert earnings_test_excess(100_000, 6, True, law) == 0  # 50,000 < 59,520
    assert earnings_test_excess(100_000, 0, True, law) == 0  # FRA in January: no test


def test_withhold_whole_months_from_january() -> None:
    # SSA's example: $600 a month, $5,000 to withhold: January-September (9 x 600 = 5,400 >=
    # 5,000, 8 x 600 = 4,800 < 5,000): 9 months; $5,000 withheld in the year.
    held = withhold(5_000, [(600.0, 0.0)] * 12)
    assert (held.amount, held.months, held.spousal_months) == (5_000, 9, 0)
    # More than the year's benefits: all of them, 12 months.
    assert withhold(10_000, [(600.0, 0.0)] * 12) == (7_200, 12, 0)
    # Months without a benefit are skipped; a spouse's part is withheld with the own benefit:
    # 300 + 200 a month from March: $1,000 takes March and April, both with a spouse's part.
    held = withhold(1_000, [(0.0, 0.0)] * 2 + [(300.0, 200.0)] * 10)
    assert (held.amount, held.months, held.spousal_months) == (1_000, 2, 2)
    assert withhold(0, [(600.0, 0.0)] * 12) == (0, 0, 0)
