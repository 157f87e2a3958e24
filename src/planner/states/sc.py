"""South Carolina individual income tax (Form SC1040), S.C. Code Title 12 Chapter 6.

Through 2025 South Carolina taxable income starts from federal taxable income under the Internal
Revenue Code as adopted (12-6-40; for 2025 without the One Big Beautiful Bill Act's larger
standard deduction and senior deduction), rebuilt here from federal AGI and the conforming
standard deduction with its 65-or-older additions. From 2026 (H.4216) it starts from federal AGI
and subtracts the SC Income Adjusted Deduction, phased out by federal AGI. Subtractions: taxable
Social Security (12-6-1120), the retirement deduction per filer (pensions and IRA distributions,
$3,000, or $10,000 from age 65: 12-6-1170(A)), the 65-or-older deduction ($15,000 per filer less
that filer's retirement deduction: 12-6-1170(B)), and 44% of the net capital gain (12-6-1150;
all gains are taken as long-term). Tax by the rate schedule (the exact schedule, not the $100
table bands), less the nonrefundable earned income credit (125% of the federal credit for
filers without children, 12-6-3632) and the two wage earner credit (12-6-3330). Left out:
itemized deductions and the state tax add-back, the 72(t) exclusion of penalized early
distributions from the retirement deduction, military retirement, dependents and other credits,
and the trigger-dependent rate cuts after 2026.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def _deduction(inp: StateTaxInput, rules: Mapping[str, Any], key: str) -> float:
    """The federal standard deduction as adopted (through 2025) or the SCIAD (from 2026)."""
    if "sciad" in rules:
        s = rules["sciad"]
        base = s[key]
        excess = max(0.0, inp.federal_agi - s[f"phase_out_start_{key}"])
        reduction = base * min(1.0, excess / s[f"phase_out_width_{key}"])
        reduction = math.floor(reduction / s["step"] + 1e-9) * s["step"]
        return max(0.0, base - reduction)
    f = rules["federal_deduction"]
    return f[key] + f[f"aged_{key}"] * sum(a >= 65 for a in inp.ages)


def subtractions(inp: StateTaxInput, rules: Mapping[str, Any]) -> float:
    """Social Security, the retirement and 65-or-older deductions and the capital gain
    deduction (SC1040 lines f-x)."""
    r, o = rules["retirement_deduction"], rules["age_65_deduction"]
    total = inp.taxable_social_security
    for p, d, age in zip(inp.pensions, inp.retirement_distributions, inp.ages, strict=True):
        cap = r["cap_65"] if age >= r["age"] else r["cap_under_65"]
        retirement = min(max(0.0, p + d), cap)
        total += retirement
        if age >= o["age"]:
            total += max(0.0, o["amount"] - retirement)
    total += max(0.0, inp.capital_gains) * rules["capital_gain_deduction"]["rate"]
    return total


def eitc(inp: StateTaxInput, rules: Mapping[str, Any], key: str) -> float:
    """12-6-3632: 125% of the federal earned income credit (no qualifying children, IRC 32)."""
    e = rules["eitc"]
    earned = max(0.0, sum(inp.wages))
    investment = inp.interest + inp.dividends + max(0.0, inp.capital_gains)
    if (
        earned <= 0
        or investment > e["investment_income_limit"]
        or not any(e["min_age"] <= a <= e["max_age"] for a in inp.ages)
    ):
        return 0.0
    phased_in = min(e["federal_max"], e["federal_rate"] * earned)
    excess = max(0.0, max(earned, inp.federal_agi) - e[f"phase_out_{key}"])
    return e["rate"] * max(0.0, phased_in - e["federal_rate"] * excess)


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """South Carolina income tax after the earned income and two wage earner credits."""
    key = "mfj" if inp.filing_status == "mfj" else "single"
    agi = inp.federal_agi
    start = max(0.0, agi - _deduction(inp, rules, key))
    taxable = max(0.0, start - subtractions(inp, rules))
    b = rules["brackets"]
    before = bracket_tax(taxable, b[key], b["rates"])
    credit = eitc(inp, rules, key)
    if key == "mfj":
        c = rules["two_wage_earner_credit"]
        credit += c["rate"] * min(c["cap"], max(0.0, min(inp.wages)))
    return StateTaxResult(
        state="SC", agi=agi, taxable_income=taxable, tax=max(0.0, before - credit)
    )
