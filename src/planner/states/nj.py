"""New Jersey gross income tax (Form NJ-1040), N.J.S.A. Title 54A.

Total income (line 27) is wages, interest, dividends, net gains from the disposition of property
(a net loss counts as zero: categories do not offset), pensions, IRA withdrawals and other
income; Social Security is exempt (54A:6-6). Less the pension exclusion (line 28a, 54A:6-10) and
the other retirement income exclusion (line 28b part I, 54A:6-15), New Jersey gross income
(line 29) is taxed under the joint or single schedule after $1,000 per filer and $1,000 per
filer 65 or older (54A:3-1); none is due at or below the filing threshold (54A:2-4). Left out:
the special exclusion (line 28b part II, for filers never eligible for Social Security: the
planner's filers are), the property tax deduction or credit, medical expenses, dependents and
credits, and the New Jersey basis of IRA or pension contributions (distributions are taken at
their federal taxable amount). Nothing is indexed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def exclusions(inp: StateTaxInput, total: float, rules: Mapping[str, Any]) -> float:
    """Lines 28a and 28b part I: pension and other retirement income exclusions.

    Only the income of a filer who is 62 or older counts (household investment income is split
    equally between spouses, as for jointly owned accounts); the percentage and the income limit
    go by the return's total income (line 27)."""
    p = rules["pension_exclusion"]
    mfj = inp.filing_status == "mfj"
    fraction = 0.0
    fractions = p["mfj_fractions" if mfj else "single_fractions"]
    for floor, f in zip(p["income_floors"], fractions, strict=True):
        if total > floor or floor == 0:
            fraction = f
    eligible = [i for i, a in enumerate(inp.ages) if a >= p["age"]]
    if fraction == 0 or not eligible:
        return 0.0
    cap = p["mfj_cap"] if mfj else p["single_cap"]
    pensions = sum(
        max(0.0, inp.pensions[i]) + max(0.0, inp.retirement_distributions[i]) for i in eligible
    )
    used = min(pensions * fraction, cap)
    if (
        sum(max(0.0, w) for w in inp.wages)
        > rules["other_retirement_exclusion"]["earned_income_limit"]
    ):
        return used
    investment = (
        max(0.0, inp.interest)
        + max(0.0, inp.dividends)
        + max(0.0, inp.capital_gains)
        + max(0.0, inp.other_income)
    )
    income = pensions + sum(max(0.0, inp.wages[i]) for i in eligible)
    income += investment * len(eligible) / len(inp.ages)
    return max(used, min(fraction * income, cap))


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """New Jersey income tax (NJ-1040 line 43)."""
    mfj = inp.filing_status == "mfj"
    total = (
        sum(max(0.0, w) for w in inp.wages)
        + max(0.0, inp.interest)
        + max(0.0, inp.dividends)
        + max(0.0, inp.capital_gains)
        + sum(max(0.0, p) for p in inp.pensions)
        + sum(max(0.0, d) for d in inp.retirement_distributions)
        + max(0.0, inp.other_income)
    )
    agi = max(0.0, total - exclusions(inp, total, rules))
    ex = rules["exemptions"]
    exemptions = ex["personal"] * len(inp.ages) + ex["aged"] * sum(
        a >= ex["aged_age"] for a in inp.ages
    )
    taxable = max(0.0, agi - exemptions)
    b = rules["brackets"]
    key = "mfj" if mfj else "single"
    amount = bracket_tax(taxable, b[key], b[f"{key}_rates"])
    if agi <= rules["filing_threshold"][key]:
        amount = 0.0
    return StateTaxResult(state="NJ", agi=agi, taxable_income=taxable, tax=amount)
