"""Utah individual income tax (Form TC-40), Utah Code Title 59 Chapter 10.

Utah taxable income is federal AGI (59-10-103; no subtraction for Social Security or
retirement income); a flat rate (59-10-104). Nonrefundable credits: the taxpayer tax credit, 6%
of the federal standard deduction (with its 65+ additional amounts) less 1.3% of taxable income
over an indexed base (59-10-1018, TC-40 lines 11-20); then either the retirement credit, $450
for each filer born before 1953, or the Social Security benefits credit, the flat rate times the
taxable Social Security, each reduced by 2.5% of modified AGI over its threshold
(59-10-1019, 59-10-1042; the larger is claimed, as only one may be). A filer whose federal AGI
does not exceed the federal basic standard deduction owes nothing (59-10-104.1). Pensions, IRA
distributions and capital gains are taxable. Left out: itemized deductions (the credit base
uses the standard deduction), dependants, military retirement, and the other credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Utah income tax after the taxpayer, retirement and Social Security credits."""
    key = "mfj" if inp.filing_status == "mfj" else "single"
    agi = inp.federal_agi
    taxable = max(0.0, agi)
    rate = rules["rate"]["flat"]
    fed = rules["federal_deduction"]
    if agi <= fed["standard"][key]:
        return StateTaxResult(state="UT", agi=agi, taxable_income=taxable, tax=0.0)
    before = taxable * rate

    tc = rules["taxpayer_credit"]
    aged = sum(1 for a in inp.ages if a >= fed["aged_age"])
    base = fed["standard"][key] + aged * fed["additional_65"][key]
    taxpayer = max(0.0, tc["rate"] * base - tc["phaseout_rate"] * max(0.0, taxable - tc[key]))
    after = max(0.0, before - taxpayer)

    magi = agi
    rc = rules["retirement_credit"]
    eligible = sum(1 for a in inp.ages if inp.year - a <= rc["last_birth_year"])
    retirement = max(0.0, rc["amount"] * eligible - rc["phaseout_rate"] * max(0.0, magi - rc[key]))
    ss = rules["social_security_credit"]
    social = max(
        0.0,
        inp.taxable_social_security * rate - ss["phaseout_rate"] * max(0.0, magi - ss[key]),
    )
    return StateTaxResult(
        state="UT", agi=agi, taxable_income=taxable, tax=max(0.0, after - max(retirement, social))
    )
