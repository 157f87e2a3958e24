"""Maryland individual income tax (Form 502), Md. Code, Tax-General Title 10. State tax only.

Maryland AGI is federal AGI less the Social Security included in it (10-207), the pension
exclusion (10-209: per filer 65 or older, pensions up to the cap less that filer's Social
Security benefits; the planner's retirement distributions are taken as IRA withdrawals, which
do not qualify) and the two-income subtraction (joint returns: the smaller spouse's income, at
most $1,200; household investment income split equally). Taxable income subtracts the standard
deduction (15% of AGI within limits through 2024, a flat indexed amount from 2025) and the
exemptions ($3,200 per filer phased out by federal AGI, $1,000 per filer 65 or older);
graduated rates; from 2025 a 2% surtax on net capital gain when AGI is over $350,000; the
nonrefundable senior tax credit. Left out: the county income tax (a local tax collected on the
same return; PolicyEngine-US leaves it out of the state tax too), 401(k)/403(b) distributions'
eligibility for the pension exclusion, military and public safety retirement, itemized
deductions, the poverty line credit and EITC (earned income) and other credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def pension_exclusion(inp: StateTaxInput, r: Mapping[str, Any]) -> list[float]:
    """Worksheet 13A, per filer."""
    return [
        min(max(0.0, inp.pensions[i]), max(0.0, r["cap"] - inp.social_security[i]))
        if age >= r["age"]
        else 0.0
        for i, age in enumerate(inp.ages)
    ]


def two_income(
    inp: StateTaxInput, rules: Mapping[str, Any], excluded: list[float], first_share: float = 0.5
) -> float:
    """Worksheet 13D: the smaller spouse's federal AGI less their subtractions, capped.
    `first_share` is the first filer's share of the household investment income."""
    if inp.filing_status != "mfj":
        return 0.0
    investment = inp.interest + inp.dividends + inp.capital_gains + inp.other_income
    shares = (investment * first_share, investment * (1.0 - first_share))
    incomes = [
        inp.wages[i] + inp.retirement_distributions[i] + inp.pensions[i] + shares[i] - excluded[i]
        for i in range(2)
    ]
    return max(0.0, min(rules["two_income_subtraction"]["cap"], min(incomes)))


def tax(inp: StateTaxInput, rules: Mapping[str, Any], first_share: float = 0.5) -> StateTaxResult:
    """Maryland state income tax after the senior tax credit."""
    mfj = inp.filing_status == "mfj"
    key = "mfj" if mfj else "single"
    excluded = pension_exclusion(inp, rules["pension_exclusion"])
    agi = (
        inp.federal_agi
        - inp.taxable_social_security
        - sum(excluded)
        - two_income(inp, rules, excluded, first_share)
    )
    sd = rules["standard_deduction"]
    deduction = min(max(sd["rate"] * agi, sd[f"{key}_min"]), sd[f"{key}_max"])
    ex = rules["exemptions"]
    per = 0.0
    for floor, amount in zip(ex[f"agi_floors_{key}"], ex["amounts"], strict=True):
        if inp.federal_agi > floor or floor == 0:
            per = float(amount)
    exemptions = per * len(inp.ages) + ex["aged"] * sum(a >= ex["aged_age"] for a in inp.ages)
    taxable = max(0.0, agi - deduction - exemptions)
    b = rules["brackets"]
    amount = bracket_tax(taxable, b[key], b[f"{key}_rates"])
    cg = rules["capital_gains_surtax"]
    if agi > cg["agi_over"]:
        amount += cg["rate"] * max(0.0, inp.capital_gains)
    sc = rules["senior_credit"]
    aged = sum(a >= sc["age"] for a in inp.ages)
    if aged and inp.federal_agi < sc[f"agi_under_{key}"]:
        amount -= sc["mfj_both"] if mfj and aged == 2 else (sc["mfj_one"] if mfj else sc["single"])
    return StateTaxResult(state="MD", agi=agi, taxable_income=taxable, tax=max(0.0, amount))
