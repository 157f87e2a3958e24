"""Medicare income-related monthly adjustment amounts (IRMAA; 42 U.S.C. §1395r(i),
§1395w-113(a)(7); 20 CFR 418.2115).

A beneficiary's Part B and Part D surcharges for a year are set by the MAGI (AGI plus tax-exempt
interest) of the tax return two years earlier, against that year's tiers for the filing status
of that return. Each tier is "over" its threshold; the top tier is "at or above" its threshold.
"""

from __future__ import annotations

from bisect import bisect_left

from planner.rules import YearRules


def irmaa_tier(magi: float, thresholds: tuple[float, ...]) -> int:
    """0 for no surcharge, up to len(thresholds) for the top tier: the number of (ascending)
    thresholds `magi` is over, the top one counting when `magi` is at it (20 CFR 418.2115)."""
    if thresholds and magi >= thresholds[-1]:
        return len(thresholds)
    return bisect_left(thresholds, magi)


def monthly_surcharge(tier: int, rules: YearRules) -> float:
    """Part B plus Part D surcharge per beneficiary per month for `tier`."""
    return rules.part_b_surcharge[tier] + rules.part_d_surcharge[tier]


def annual_surcharge(
    lookback_magi: float, lookback_status: str, enrolled_months: int, rules: YearRules
) -> tuple[float, int]:
    """(surcharge for one beneficiary's enrolled months, tier) for the premium year `rules.year`."""
    tier = irmaa_tier(lookback_magi, rules.status(lookback_status).irmaa_thresholds)
    return round(monthly_surcharge(tier, rules) * enrolled_months, 2), tier
