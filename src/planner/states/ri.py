"""Rhode Island personal income tax (Form RI-1040), R.I. Gen. Laws chapter 44-30.

- RI AGI: federal AGI less the Schedule M modifications, when federal AGI is below the income
  limit and the filer or spouse has reached full retirement age (born on or before the first of
  the month FRA months before 1 January of the next year; a birthday is taken as not on the
  1st): the Social Security modification (§44-30-12(c); worksheet: the taxable Social
  Security prorated by the eligible filers' share of gross benefits) and the pension
  modification (§44-30-12(c): each spouse's taxable pensions and annuities up to the cap, so
  up to twice the cap on a joint return; IRA distributions do not qualify).
- Taxable income: RI AGI less the standard deduction and the exemptions (§44-30-2.6(c)(3)),
  both reduced by 20% for each increment (or part) of RI AGI over the phase-out start.
- Tax: the three-rate schedule, plus from 2027 the high-earner surtax (`[[scheduled]]` data).
  Capital gains are ordinary income.

Not modelled: itemized deductions, dependents, military and government pensions, the
refundable property tax relief credit and EITC, other credits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def reached_fra(inp: StateTaxInput, i: int, fra_months: int) -> bool:
    """Filer i born on or before the 1st of the month `fra_months` months before 1 January of
    the next year (a birthday within the cutoff month counts as after the 1st)."""
    birth = (inp.year - inp.ages[i]) * 12 + inp.birth_months[i] - 1
    return birth < (inp.year + 1) * 12 - fra_months


def modifications(inp: StateTaxInput, rules: Mapping[str, Any]) -> float:
    """Schedule M: the Social Security and pension modifications."""
    el = rules["eligibility"]
    if inp.federal_agi >= el[f"{inp.filing_status}_limit"]:
        return 0.0
    eligible = [reached_fra(inp, i, el["fra_months"]) for i in range(len(inp.ages))]
    cap = rules["pension_modification"]["cap"]
    pension = sum(min(max(0.0, p), cap) for p in inp.pensions) if any(eligible) else 0.0
    gross = sum(inp.social_security)
    if rules["social_security_modification"]["age_required"]:
        share = sum(s for s, ok in zip(inp.social_security, eligible, strict=True) if ok)
    else:
        share = gross
    ss = inp.taxable_social_security * share / gross if gross > 0 else 0.0
    return pension + ss


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Form RI-1040 for residents without dependents, standard deduction."""
    status = inp.filing_status
    agi = inp.federal_agi - modifications(inp, rules)
    ph = rules["phaseout"]
    steps = math.ceil(max(0.0, agi - ph["start"]) / ph["increment"] - 1e-9)
    kept = max(0.0, 1.0 - ph["percent"] * steps)
    deductions = (rules["standard_deduction"][status]
                  + len(inp.ages) * rules["exemption"]["amount"]) * kept
    taxable = max(0.0, agi - deductions)
    br = rules["brackets"]
    before = bracket_tax(taxable, br[status], br["rates"])
    he = rules["high_earner"]
    before += he["rate"] * max(0.0, taxable - he["threshold"])
    return StateTaxResult(state="RI", agi=agi, taxable_income=taxable, tax=max(0.0, before))
