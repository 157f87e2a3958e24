"""New York State personal income tax, Form IT-201 (resident), standard deduction.

- NY AGI: federal AGI less taxable Social Security (Tax Law §612(c)(3)(ii); IT-201 line 27) and
  the pension and annuity income exclusion (§612(c)(3-a); line 29): each filer aged 59½ or
  over excludes up to $20,000 of their own pensions, annuities and IRA distributions (Roth
  conversions included). Pensions are taken as private: NY and federal government pensions,
  fully exempt under §612(c)(3)(i), are not distinguished. A filer who reaches 59½ during the
  year is treated as 59½ for all the year's payments (see `reached_59_half`).
- Taxable income: NY AGI less the standard deduction (§614).
- Tax: the rate schedule (§601); for NY AGI over $107,650 the tax computation worksheets
  (the supplemental tax / tax benefit recapture, §601(d-1)), with the phase-in fraction rounded
  to four decimals as the worksheets do. The schedule is used at every income (the NYS tax table
  for taxable income under $65,000 rounds to $50 bands).
- Household credit (§606(b); line 40), nonrefundable, by federal AGI.

Not modelled: New York City and Yonkers taxes, itemized deductions, dependents, refundable
credits (EITC, real property tax credit) and other credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax, reached_59_half


def _recapture_tax(agi: float, taxable: float, floors: Any, rates: Any, sup: Mapping[str, Any],
                   table: Mapping[str, Any]) -> float:
    """IT-201-I tax computation worksheets (NY AGI over the supplemental floor)."""
    k = 0
    for i, (agi_over, ti_over) in enumerate(zip(table["agi_over"], table["ti_over"], strict=True)):
        if agi > agi_over and taxable > ti_over:
            k = i
    flat = taxable * table["rates"][k]
    if k == len(table["rates"]) - 1:
        return flat
    regular = bracket_tax(taxable, floors, rates)
    base = sum(b for j, b in enumerate(table["benefits"][:k]) if taxable > table["ti_floors"][j])
    fraction = min(1.0, round((agi - table["agi_over"][k]) / sup["phase_in"], 4))
    if fraction >= 1.0:
        return flat
    return regular + base + (flat - regular - base) * fraction


def _household_credit(federal_agi: float, limits: Any, amounts: Any) -> float:
    for limit, amount in zip(limits, amounts, strict=True):
        if federal_agi <= limit:
            return float(amount)
    return 0.0


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """IT-201 lines 19-46 for a resident without dependents."""
    status = inp.filing_status
    cap = rules["pension_exclusion"]["per_person"]
    exclusion = 0.0
    for i, age in enumerate(inp.ages):
        if reached_59_half(age, inp.birth_months[i]):
            eligible = max(0.0, inp.pensions[i]) + max(0.0, inp.retirement_distributions[i])
            exclusion += min(cap, eligible)
    agi = inp.federal_agi - inp.taxable_social_security - exclusion
    taxable = max(0.0, agi - rules["standard_deduction"][status])
    brackets = rules["brackets"]
    floors, rates = brackets[status], brackets["rates"]
    sup = rules["supplemental"]
    if agi > sup["agi_floor"]:
        before_credits = _recapture_tax(agi, taxable, floors, rates, sup, sup[status])
    else:
        before_credits = bracket_tax(taxable, floors, rates)
    hc = rules["household_credit"]
    credit = _household_credit(inp.federal_agi, hc[f"{status}_not_over"], hc[status])
    return StateTaxResult(state=inp.state, agi=agi, taxable_income=taxable,
                          tax=max(0.0, before_credits - credit))
