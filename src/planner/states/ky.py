"""Kentucky individual income tax (Form 740, Schedule P), KRS chapter 141.

Kentucky AGI is federal AGI less the taxable Social Security (KRS 141.019(1)) and each
filer's pension income exclusion (pensions and IRA distributions up to a cap, no age test:
141.019(1)(l)). A flat rate (141.020(2)) on Kentucky AGI less the standard deduction (141.081),
less the $40 personal tax credit for each filer 65 or older (141.020(3)) and the family size
tax credit (141.066, by modified gross income against the poverty guideline). A married couple
files jointly (one standard deduction) or separately on a combined return (one each, each
spouse's own income); the lower tax is taken. Interest, dividends and gains are split equally
between spouses, as for jointly owned accounts. Capital gains are ordinary income. Left out:
itemized deductions, government and military pensions (pre-1998 service credit), dependents
and other credits, and the trigger-dependent rate cuts after 2026.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult


def _family_rate(mgi: float, poverty: float, r: Mapping[str, Any]) -> float:
    """KRS 141.066: the credit percentage for MGI as a share of the poverty guideline (each
    band includes its upper bound)."""
    ratio = mgi / poverty
    out = r["rates"][0]
    for floor, rate in zip(r["ratio_floors"], r["rates"], strict=True):
        if ratio > floor:
            out = rate
    return float(out)


def _after_credits(base: float, personal: float, family_rate: float) -> float:
    """Personal tax credits, then the family size credit on the tax that remains."""
    remaining = max(0.0, base - min(personal, max(base, 0.0)))
    return max(0.0, remaining - family_rate * remaining)


def tax_with_shares(
    inp: StateTaxInput, rules: Mapping[str, Any], shares: Sequence[float]
) -> StateTaxResult:
    """Kentucky tax with the household's interest, dividends and gains split by `shares`."""
    investment = inp.interest + inp.dividends + inp.capital_gains + inp.other_income
    cap = rules["pension_exclusion"]["cap"]
    fed, ky = [], []
    for i in range(len(inp.ages)):
        retirement = inp.pensions[i] + inp.retirement_distributions[i]
        own = inp.wages[i] + retirement + shares[i] * investment
        fed.append(own)
        ky.append(own - min(max(0.0, retirement), cap))
    rate = rules["rate"]["flat"]
    sd = rules["standard_deduction"]["amount"]
    pc = rules["personal_credits"]
    credits = [pc["aged"] if a >= pc["aged_age"] else 0.0 for a in inp.ages]
    f = rules["family_size_credit"]
    agi = sum(ky)
    if inp.filing_status != "mfj":
        base = rate * max(0.0, agi - sd)
        mgi = max(inp.federal_agi, agi)
        tax = _after_credits(base, credits[0], _family_rate(mgi, f["poverty_one"], f))
        return StateTaxResult("KY", agi, max(0.0, agi - sd), tax)
    joint_taxable = max(0.0, agi - sd)
    joint_mgi = max(inp.federal_agi, agi)
    joint = _after_credits(rate * joint_taxable, sum(credits),
                           _family_rate(joint_mgi, f["poverty_two"], f))
    columns = [rate * max(0.0, k - sd) for k in ky]
    separate_mgi = max(sum(max(0.0, x) for x in fed) + inp.taxable_social_security,
                       sum(max(0.0, k) for k in ky))
    separate = _after_credits(
        sum(columns),
        sum(min(c, t) for c, t in zip(credits, columns, strict=True)),
        _family_rate(separate_mgi, f["poverty_two"], f),
    )
    if separate < joint:
        taxable = sum(max(0.0, k - sd) for k in ky)
        return StateTaxResult("KY", agi, taxable, separate)
    return StateTaxResult("KY", agi, joint_taxable, joint)


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Kentucky income tax after the personal and family size credits."""
    n = len(inp.ages)
    return tax_with_shares(inp, rules, [1.0 / n] * n)
