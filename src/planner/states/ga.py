"""Georgia individual income tax (Form 500), O.C.G.A. Title 48 Chapter 7.

Georgia AGI is federal AGI less the Social Security included in it and less each filer's
retirement income exclusion (62 and older: pensions, IRA distributions, interest, dividends,
net capital gain and up to $5,000 of earned income, capped by age); taxable income subtracts
the standard deduction (no addition for age from 2024); a flat rate; the low income credit.
Interest, dividends and gains are household totals here and are split equally between spouses,
as for jointly owned accounts. Left out: dependents, itemized deductions, military retirement,
disability (under 62) and other credits. Trigger-dependent rate cuts and deduction increases
after 2026 (H.B. 463) are not modelled; the $70,000 65-and-older exclusion from 2027 is a
`[[scheduled]]` change in the 2026 file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult


def _exclusion(inp: StateTaxInput, i: int, share: float, r: Mapping[str, Any]) -> float:
    """O.C.G.A. 48-7-27(a)(5)(A): filer i's retirement income exclusion."""
    age = inp.ages[i]
    if age < r["younger_age"]:
        return 0.0
    cap = r["older_cap"] if age >= r["older_age"] else r["younger_cap"]
    income = (
        inp.pensions[i]
        + inp.retirement_distributions[i]
        + min(max(inp.wages[i], 0.0), r["earned_income_cap"])
        + share
    )
    return max(0.0, min(income, cap))


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Georgia income tax after the low income credit."""
    n = len(inp.ages)
    investment = inp.interest + inp.dividends + inp.capital_gains
    share = investment / n
    r = rules["retirement_exclusion"]
    exclusions = sum(_exclusion(inp, i, share, r) for i in range(n))
    agi = inp.federal_agi - inp.taxable_social_security - exclusions

    sd = rules["standard_deduction"]
    deduction = sd["mfj"] if inp.filing_status == "mfj" else sd["single"]
    taxable = max(0.0, agi - deduction)
    before = taxable * rules["rate"]["flat"]

    lic = rules["low_income_credit"]
    per = 0.0
    for start, amount in zip(lic["agi_from"], lic["amount"], strict=True):
        if inp.federal_agi >= start:
            per = float(amount)
    credit = per * (n + sum(a >= lic["aged_age"] for a in inp.ages))
    return StateTaxResult(
        state="GA", agi=agi, taxable_income=taxable, tax=max(0.0, before - credit)
    )
