"""California personal income tax, Form 540 (resident), standard deduction.

- CA AGI (Schedule CA): federal AGI less the taxable Social Security (Cal. R&TC §17087; Schedule
  CA line 6). IRA distributions, Roth conversions, pensions, interest, dividends and capital gains
  are taxed as in federal AGI (CA has no preferential rate for gains, §17041).
- Taxable income: CA AGI less the standard deduction (§17073.5).
- Tax: the rate schedule (§17041(a), (c)); the schedule is used at every income (the FTB tax
  table for taxable income up to $100,000 rounds to $100 bands and can differ by a few dollars).
  The 10.3/11.3/12.3% rates apply through 2030 (Cal. Const. art. XIII §36(f)(2), Prop. 55); the
  rules' `[[scheduled]]` entry reverts them afterwards.
- Exemption credits: personal (one per filer) and senior (one per filer aged 65+), §17054(a),
  (c); each reduced by $6 for each $2,500 (or fraction) of federal AGI over the threshold
  (§17054.1; Form 540 line 32, AGI Limitation Worksheet), not below zero.
- Mental Health Services Tax: 1% of taxable income over $1,000,000 (§17043), after credits.

Not modelled: itemized deductions, dependents, the renter's and other credits, CA AMT, and
items where CA departs from federal law that the planner's inputs do not carry (e.g. HSA
contributions, which CA does not exclude from wages).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Form 540 lines 13-64 for a resident without dependents."""
    status = inp.filing_status
    agi = inp.federal_agi - inp.taxable_social_security
    taxable = max(0.0, agi - rules["standard_deduction"][status])
    brackets = rules["brackets"]
    regular = bracket_tax(taxable, brackets[status], brackets["rates"])
    credit = rules["exemption_credit"]
    n_credits = len(inp.ages)  # personal: one per filer (the joint amount is two)
    n_senior = sum(age >= credit["senior_age"] for age in inp.ages)
    phase = rules["exemption_phaseout"]
    excess = inp.federal_agi - phase[status]
    steps = math.ceil(excess / phase["step"] - 1e-9) if excess > 0 else 0
    per_credit = max(0.0, credit["personal"] - steps * phase["reduction"])
    per_senior = max(0.0, credit["senior"] - steps * phase["reduction"])
    credits = n_credits * per_credit + n_senior * per_senior
    mhst = rules["mental_health"]
    surtax = max(0.0, taxable - mhst["threshold"]) * mhst["rate"]
    return StateTaxResult(state=inp.state, agi=agi, taxable_income=taxable,
                          tax=max(0.0, regular - credits) + surtax)
