"""Oregon personal income tax (Form OR-40, Schedule OR-ASC), ORS chapter 316.

Oregon income is federal AGI less the taxable Social Security (ORS 316.054) and less the federal
income tax liability up to a cap that steps down with federal AGI (ORS 316.685, 316.695(1)(b)).
The liability is Form 1040 line 22, computed with `planner.federal_tax` (the capital gain taken
as long-term; past the last published federal year at 2.5% inflation); the net investment income
tax is not part of it. Taxable income subtracts the standard deduction with its 65-or-older
additions (ORS 316.695(1)(c)-(d)); graduated rates (ORS 316.037). Nonrefundable credits: the
personal exemption credit per filer under an AGI limit (ORS 316.085) and the retirement income
credit for filers 62 or older (ORS 316.157). Pensions, IRA distributions and capital gains are
taxable. Left out: the federal pension subtraction (pre-1991 federal service), itemized
deductions, dependents, the kicker and other refundable credits, and local taxes (the Portland
Metro and Multnomah County income taxes and the statewide transit tax are separate taxes).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax, federal_return


def federal_tax_liability(inp: StateTaxInput) -> float:
    """Form 1040 line 22: income tax (with the AMT) after credits, without the NIIT."""
    return federal_return(inp).income_tax


def federal_tax_cap(inp: StateTaxInput, rules: Mapping[str, Any], key: str) -> float:
    """ORS 316.695(1)(b): the subtraction limit for the federal AGI."""
    f = rules["federal_tax_subtraction"]
    cap = 0.0
    for floor, amount in zip(f[f"agi_{key}"], f["cap"], strict=True):
        if inp.federal_agi >= floor:
            cap = float(amount)
    return cap


def retirement_credit(
    inp: StateTaxInput, rules: Mapping[str, Any], key: str, include_ira: bool = True
) -> float:
    """ORS 316.157: 9% of retirement income up to the reduced base."""
    r = rules["retirement_credit"]
    income = sum(
        p + (d if include_ira else 0.0)
        for p, d, a in zip(inp.pensions, inp.retirement_distributions, inp.ages, strict=True)
        if a >= r["age"]
    )
    if income <= 0:
        return 0.0
    household = inp.federal_agi - inp.taxable_social_security
    base = max(0.0, r[f"base_{key}"] - sum(inp.social_security))
    base = max(0.0, base - max(0.0, household - r[f"income_{key}"]))
    return r["rate"] * min(income, base)


def tax(
    inp: StateTaxInput,
    rules: Mapping[str, Any],
    federal_tax: float | None = None,
    include_ira: bool = True,
) -> StateTaxResult:
    """Oregon income tax after the exemption and retirement income credits. `federal_tax`
    overrides the computed federal liability and `include_ira=False` leaves IRA distributions
    out of the retirement income credit (PolicyEngine's conventions, for tests)."""
    key = "mfj" if inp.filing_status == "mfj" else "single"
    if federal_tax is None:
        federal_tax = federal_tax_liability(inp)
    subtraction = min(max(0.0, federal_tax), federal_tax_cap(inp, rules, key))
    agi = inp.federal_agi - inp.taxable_social_security - subtraction
    sd = rules["standard_deduction"]
    deduction = sd[key] + sd[f"aged_{key}"] * sum(a >= sd["aged_age"] for a in inp.ages)
    taxable = max(0.0, agi - deduction)
    b = rules["brackets"]
    floors = [*b[key], b[f"top_{key}"]]
    before = bracket_tax(taxable, floors, b["rates"])
    e = rules["exemption_credit"]
    credits = 0.0
    if inp.federal_agi <= e[f"agi_limit_{key}"]:
        credits += e["amount"] * len(inp.ages)
    credits += retirement_credit(inp, rules, key, include_ira)
    return StateTaxResult(state="OR", agi=agi, taxable_income=taxable,
                          tax=max(0.0, before - credits))
