"""IRMAA tiers at each threshold and the yearly surcharge (reference §5.3, §5.4: CMS 2024-2026).

Tiers 1-4 start "over" their threshold; the top tier starts "at or above" it.
"""

from __future__ import annotations

import pytest

from planner.irmaa import annual_surcharge, irmaa_tier, monthly_surcharge
from planner.rules import rules_for_year

THRESHOLDS = {
    (2024, "single"): (103_000, 129_000, 161_000, 193_000, 500_000),
    (2025, "single"): (106_000, 133_000, 167_000, 200_000, 500_000),
    (2026, "single"): (109_000, 137_000, 171_000, 205_000, 500_000),
    (2024, "mfj"): (206_000, 258_000, 322_000, 386_000, 750_000),
    (2025, "mfj"): (212_000, 266_000, 334_000, 400_000, 750_000),
    (2026, "mfj"): (218_000, 274_000, 342_000, 410_000, 750_000),
}
# Part B + Part D monthly surcharge per tier 0..5.
MONTHLY = {
    2024: (0.0, 69.90 + 12.90, 174.70 + 33.30, 279.50 + 53.80, 384.30 + 74.20, 419.30 + 81.00),
    2025: (0.0, 74.00 + 13.70, 185.00 + 35.30, 295.90 + 57.00, 406.90 + 78.60, 443.90 + 85.80),
    2026: (0.0, 81.20 + 14.50, 202.90 + 37.50, 324.60 + 60.40, 446.30 + 83.30, 487.00 + 91.00),
}
CASES = [(year, status, tier) for (year, status) in THRESHOLDS for tier in range(1, 6)]


@pytest.mark.parametrize(("year", "status", "tier"), CASES)
def test_tier_at_each_threshold(year: int, status: str, tier: int) -> None:
    threshold = THRESHOLDS[year, status][tier - 1]
    thresholds = rules_for_year(year).status(status).irmaa_thresholds
    at = tier if tier == 5 else tier - 1  # top tier: at or above; others: over
    assert irmaa_tier(threshold - 1, thresholds) == tier - 1
    assert irmaa_tier(threshold, thresholds) == at
    assert irmaa_tier(threshold + 1, thresholds) == tier


@pytest.mark.parametrize(("year", "status", "tier"), CASES)
def test_annual_surcharge_per_tier(year: int, status: str, tier: int) -> None:
    rules = rules_for_year(year)
    magi = THRESHOLDS[year, status][tier - 1] + 1
    amount, got_tier = annual_surcharge(magi, status, 12, rules)
    assert got_tier == tier
    assert amount == pytest.approx(round(MONTHLY[year][tier] * 12, 2), abs=0.001)
    assert monthly_surcharge(tier, rules) == pytest.approx(MONTHLY[year][tier], abs=1e-9)


@pytest.mark.parametrize(("year", "status", "magi", "months", "expected", "tier"), [
    (2024, "single", 103_001, 12, 993.60, 1),  # (69.90 + 12.90) x 12 = 82.80 x 12
    (2025, "mfj", 750_000, 12, 6_356.40, 5),  # (443.90 + 85.80) x 12 = 529.70 x 12
    (2026, "single", 300_000, 7, 3_707.20, 4),  # (446.30 + 83.30) x 7 = 529.60 x 7
    (2026, "mfj", 300_000, 12, 2_884.80, 2),  # (202.90 + 37.50) x 12 = 240.40 x 12
    (2026, "single", 109_000, 12, 0.0, 0),  # at the first threshold: no surcharge
    (2026, "mfj", 150_000, 12, 0.0, 0),
])
def test_annual_surcharge_examples(year: int, status: str, magi: float, months: int,
                                   expected: float, tier: int) -> None:
    assert annual_surcharge(magi, status, months, rules_for_year(year)) == (
        pytest.approx(expected, abs=0.001), tier)


def test_no_months_no_surcharge() -> None:
    assert annual_surcharge(900_000, "single", 0, rules_for_year(2026)) == (0.0, 5)
