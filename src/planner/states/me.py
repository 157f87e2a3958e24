"""Maine individual income tax (Form 1040ME), 36 M.R.S. Part 8.

- Maine AGI: federal AGI less taxable Social Security (§5122(2)(C)) and the pension income
  deduction (§5122(2)(M-1); Schedule 1S, Pension Income Deduction Worksheet): per person, their
  pensions and, from age 59½, their IRA/401(k) distributions (Roth conversions included), up to
  a cap (the maximum annual Social Security benefit at full retirement age) reduced by the Social
  Security benefits the person received; from 2025 the deduction is phased out by federal AGI.
- Taxable income: Maine AGI less the standard deduction (basic plus the federal additional amount
  for each filer 65 or older, §5124-C) and the personal exemptions (§5126-A), each reduced by its
  phase-out fraction of Maine AGI.
- Tax: the three-rate schedule (§5111) plus, from 2026, the 2% surcharge on taxable income above
  the threshold. Capital gains are ordinary income.

Not modelled: itemized deductions, dependents, military and government pensions, the refundable
property and sales tax fairness credits and other credits. Maine's return to the federal
standard deduction from 2027 is approximated by indexing the 2026 Maine amount.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax, reached_59_half


def _fraction(amount: float, start: float, width: float) -> float:
    return min(1.0, max(0.0, amount - start) / width)


def pension_deduction(inp: StateTaxInput, r: Mapping[str, Any]) -> float:
    """Schedule 1S pension income deduction, after the federal AGI phase-out."""
    total = 0.0
    for i, age in enumerate(inp.ages):
        eligible = max(0.0, inp.pensions[i])
        if reached_59_half(age, inp.birth_months[i]):
            eligible += max(0.0, inp.retirement_distributions[i])
        total += min(eligible, max(0.0, r["cap"] - inp.social_security[i]))
    start = r[f"{inp.filing_status}_start"]
    return total * (1.0 - _fraction(inp.federal_agi, start, r["width"]))


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Form 1040ME for residents without dependents, standard deduction."""
    status = inp.filing_status
    agi = (inp.federal_agi - inp.taxable_social_security
           - pension_deduction(inp, rules["pension_deduction"]))
    sd = rules["standard_deduction"]
    n65 = sum(a >= sd["aged_age"] for a in inp.ages)
    aged = sd["aged_married"] if status == "mfj" else sd["aged_single"]
    ph = rules["deduction_phaseout"]
    standard = (sd[status] + n65 * aged) * (
        1.0 - _fraction(agi, ph[f"{status}_start"], ph[f"{status}_width"]))
    pe = rules["personal_exemption"]
    exemptions = len(inp.ages) * pe["amount"] * (
        1.0 - _fraction(agi, pe[f"{status}_start"], pe["width"]))
    taxable = max(0.0, agi - standard - exemptions)
    br = rules["brackets"]
    before = bracket_tax(taxable, br[status], br["rates"])
    sur = rules["surcharge"]
    before += sur["rate"] * max(0.0, taxable - sur[status])
    return StateTaxResult(state="ME", agi=agi, taxable_income=taxable, tax=max(0.0, before))
