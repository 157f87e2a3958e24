"""Roth conversions (IRC §408A(d)(3)): which accounts may convert in a year, and to what limit.

`[strategy] roth_conversion` is one of:

- `{ up_to_bracket = 0.22 }`: convert until ordinary taxable income reaches the top of that bracket
  (this year's brackets, for this year's filing status);
- `{ up_to_irmaa_tier = 0 }`: convert while MAGI stays at least `IRMAA_MARGIN` below the threshold
  above that tier. This year's MAGI sets the IRMAA of two years later (42 U.S.C. §1395r(i)(4)), so
  the threshold is that later year's, indexed, for this year's filing status;
- both: the lower of the two limits;
- `up_to_fpl = 4.0` with either of them: in years with Marketplace coverage, also keep the
  household income of the premium tax credit (IRC §36B(d)(2)(B)) at or under that multiple of
  the poverty line (4.0 keeps the credit where the law has a 400% cliff; `FPL_MARGIN` below);
- `{ amounts = { 2026 = 50000, ... } }`: exactly these nominal amounts in those years.

`until_age = N` converts only from accounts whose owner is younger than N on 31 December;
`stop_at_rmd = true` stops converting an account in its owner's first RMD year (an RMD cannot be
converted, Treas. Reg. §1.408A-4 A-6; the engine takes RMDs first anyway). A conversion never
makes the year short of money: it is cut to what the household can pay the tax on.
"""

from __future__ import annotations

from typing import NamedTuple

from planner.rules import rules_for_year

IRMAA_MARGIN = 1.0  # dollars kept below an IRMAA threshold, so that rounding cannot cross it
FPL_MARGIN = 1.0  # dollars kept below the `up_to_fpl` income, for the same reason


class ConversionTarget(NamedTuple):
    """This year's limits. `None` means no such limit."""

    amount: float | None
    bracket_rate: float | None
    bracket_top: float | None
    irmaa_tier: int | None
    irmaa_year: int  # the premium year whose threshold sets `magi_limit`
    magi_limit: float | None
    fpl_ratio: float | None = None  # `up_to_fpl`, for years with Marketplace coverage


def target_for_year(policy, year: int, status: str, inflation: float,
                    premium_years: tuple[int, ...] | None = None) -> ConversionTarget | None:
    """The conversion limits of `year`, or None when the policy converts nothing that year.

    `premium_years` are the years whose IRMAA this year's MAGI sets: two years later, and also
    this year and the next when the plan has no MAGI history (the engine then uses the first
    year's own MAGI); the lowest of their thresholds applies."""
    if policy.amounts is not None:
        amount = policy.amounts.get(str(year))
        if not amount:
            return None
        return ConversionTarget(round(amount, 2), None, None, None, year + 2, None)
    top = magi_limit = None
    irmaa_year = year + 2
    if policy.up_to_bracket is not None:
        st = rules_for_year(year, inflation).status(status)
        top = st.bracket_floors[st.bracket_rates.index(policy.up_to_bracket) + 1]
    if policy.up_to_irmaa_tier is not None:
        threshold, irmaa_year = min(
            (rules_for_year(y, inflation).status(status).irmaa_thresholds[policy.up_to_irmaa_tier],
             y) for y in premium_years or (year + 2,))
        magi_limit = threshold - IRMAA_MARGIN
    return ConversionTarget(None, policy.up_to_bracket, top, policy.up_to_irmaa_tier, irmaa_year,
                            magi_limit, policy.up_to_fpl)


def may_convert(policy, owner_age: int, rmd_started: bool) -> bool:
    """Whether an account whose owner is `owner_age` on 31 December may convert this year."""
    if policy.until_age is not None and owner_age >= policy.until_age:
        return False
    return not (policy.stop_at_rmd and rmd_started)


def describe(policy) -> str:
    """A short label of a policy, e.g. for `planner compare`."""
    if policy is None:
        return "none"
    if policy.amounts is not None:
        parts = [f"amounts {len(policy.amounts)} yr"]
    else:
        parts = []
        if policy.up_to_bracket is not None:
            parts.append(f"bracket {policy.up_to_bracket:.0%}")
        if policy.up_to_irmaa_tier is not None:
            parts.append(f"irmaa tier {policy.up_to_irmaa_tier}")
        if policy.up_to_fpl is not None:
            parts.append(f"{policy.up_to_fpl:.0%} FPL")
    if policy.until_age is not None:
        parts.append(f"until {policy.until_age}")
    if policy.stop_at_rmd:
        parts.append("stop at RMD")
    return ", ".join(parts)
