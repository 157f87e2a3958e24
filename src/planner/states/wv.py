"""West Virginia personal income tax (Form IT-140, Schedule M), W. Va. Code 11-21.

West Virginia AGI is federal AGI less the Schedule M subtractions: the Social Security in federal
AGI (11-21-12(c)): all of it when federal AGI is at most $50,000 single / $100,000 joint,
otherwise a phased-in share (35% in 2024, 65% in 2025, all from 2026); and the senior citizen
deduction (11-21-12(c)): for each filer 65 or older, up to $8,000 of that filer's own
income, less that filer's other Schedule M subtractions (here their Social Security
subtraction). A filer's income is their wages, IRA distributions and pensions, their share of
the taxable Social Security (in proportion to benefits) and half the household investment
income on a joint return (jointly owned). Taxable income subtracts $2,000 per filer (11-21-16)
and, at federal AGI up to $10,000, the low-income earned income exclusion (11-21-10); graduated
rates (11-21-4e to 4j). The low-income family tax credit (11-21-22) reduces the tax by 100% at
income up to the federal poverty guideline, 10 points less per $300 above it. Pensions, IRA
distributions and capital gains are taxable. Left out: the exclusions for public and military
pensions, itemized deductions do not exist in West Virginia; dependants and other credits
(the refundable senior citizens' and homestead property tax credits are not income tax).
Revenue-triggered rate cuts (11-21-4h) are not modelled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def filer_incomes(inp: StateTaxInput, shares: Sequence[float]) -> list[float]:
    """Each filer's own income in federal AGI, the household investment income by `shares`."""
    investment = inp.interest + inp.dividends + inp.capital_gains + inp.other_income
    gross_ss = sum(inp.social_security)
    return [
        inp.wages[i] + inp.retirement_distributions[i] + inp.pensions[i]
        + (inp.taxable_social_security * inp.social_security[i] / gross_ss if gross_ss else 0.0)
        + shares[i] * investment
        for i in range(len(inp.ages))
    ]


def tax_with_shares(
    inp: StateTaxInput, rules: Mapping[str, Any], shares: Sequence[float]
) -> StateTaxResult:
    """West Virginia tax with the household investment income divided by `shares`."""
    key = "mfj" if inp.filing_status == "mfj" else "single"
    ss = rules["social_security"]
    fraction = 1.0 if inp.federal_agi <= ss[key] else ss["fraction_above_limit"]
    gross_ss = sum(inp.social_security)
    senior = 0.0
    sd = rules["senior_deduction"]
    for i, own in enumerate(filer_incomes(inp, shares)):
        share_ss = inp.taxable_social_security * inp.social_security[i] / gross_ss if (
            gross_ss) else 0.0
        if inp.ages[i] >= sd["age"]:
            senior += max(0.0, min(sd["cap"], own) - fraction * share_ss)
    agi = inp.federal_agi - fraction * inp.taxable_social_security - senior

    low = rules["low_income_exclusion"]
    exclusion = 0.0
    if inp.federal_agi <= low["agi_limit"]:
        exclusion = max(0.0, min(inp.federal_agi, sum(inp.wages), low["amount"]))
    exemptions = rules["exemption"]["amount"] * len(inp.ages)
    taxable = max(0.0, agi - exclusion - exemptions)
    br = rules["brackets"]
    before = bracket_tax(taxable, br["floors"], br["rates"])

    lf = rules["low_income_family_credit"]
    poverty = lf["first_person"] + lf["additional_person"] * (len(inp.ages) - 1)
    excess = inp.federal_agi - poverty
    percent = 1.0
    if excess >= 0:
        steps = int(excess // lf["step"]) + 1
        percent = max(0.0, 1.0 - lf["reduction"] * steps)
    return StateTaxResult(
        state="WV", agi=agi, taxable_income=taxable, tax=max(0.0, before * (1.0 - percent))
    )


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """West Virginia income tax after the low-income family tax credit."""
    n = len(inp.ages)
    return tax_with_shares(inp, rules, [1.0 / n] * n)
