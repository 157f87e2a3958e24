"""New Mexico personal income tax (Form PIT-1, Schedule PIT-ADJ), NMSA 1978 Chapter 7 Article 2.

New Mexico taxable income is federal AGI less the federal standard deduction with its 65+
additional amounts (7-2-2(U)), the medical care expense deduction of 2024 (7-2-35: 25%, 15% or
10% of unreimbursed medical expenses by federal AGI; repealed from 2025 by H.B. 252 (2024)), and
the net capital gain deduction (7-2-34: for 2024 the larger of $1,000 and 40% of the net capital
gain; from 2025 up to $2,500), less the exemptions of PIT-ADJ: the Social Security in federal
AGI when federal AGI is at most $100,000 single / $150,000 joint (7-2-5.14); $8,000 for each
filer 65 or older, reduced in $1,000 steps as federal AGI rises (7-2-5.2, the only general
retirement income relief); and the low- and middle-income exemption of $2,500 per filer,
reduced by 15% (single) or 10% (joint) of federal AGI over $20,000 / $30,000 (7-2-5.8).
Graduated rates (7-2-7). Pensions and IRA distributions are taxable. The planner's input
carries no medical expenses: each filer 65 or older is assumed to pay the standard Medicare
Part B premium (no income-related surcharge) and nothing else. Left out: itemized deductions,
dependants, the $3,000 exemption for medical expenses of $28,000 or more, the armed forces
retirement exemption, the exemption at age 100, and credits and rebates (refundable).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def _aged_exemption(agi: float, table: Mapping[str, Any]) -> float:
    """7-2-5.2: the exemption per filer 65 or older at federal AGI `agi` ("over ... but not
    over ..." bands: the first band whose top is at least `agi`)."""
    for top, amount in zip(table["agi_not_over"], table["amount"], strict=True):
        if agi <= top:
            return float(amount)
    return 0.0


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """New Mexico income tax on federal AGI less the deductions and PIT-ADJ exemptions."""
    key = "mfj" if inp.filing_status == "mfj" else "single"
    agi = inp.federal_agi
    fed = rules["federal_deduction"]
    aged = sum(1 for a in inp.ages if a >= fed["aged_age"])
    deduction = fed["standard"][key] + aged * fed["additional_65"][key]

    mc = rules["medical_care_deduction"]
    premiums = 12 * mc["part_b_monthly"] * sum(1 for a in inp.ages if a >= mc["age"])
    bands = zip(mc["agi_not_over"][key], mc["rates"], strict=True)
    rate = next((r for top, r in bands if agi <= top), 0.0)  # "over ... but not over ..."
    deduction += rate * premiums

    cg = rules["capital_gains_deduction"]
    gain = max(0.0, inp.capital_gains)
    cg_deduction = max(cg["percent"] * gain, min(gain, cg["cap"]))

    ss = rules["social_security_exemption"]
    ss_exemption = inp.taxable_social_security if agi <= ss[key] else 0.0
    age_ex = rules["aged_exemption"]
    aged_exemption = sum(1 for a in inp.ages if a >= age_ex["age"]) * _aged_exemption(
        agi, age_ex[key])
    lm = rules["low_middle_income_exemption"]
    low_middle = 0.0
    if agi <= lm["agi_limit"][key]:
        each = lm["amount"] - lm["reduction_rate"][key] * max(0.0, agi - lm["threshold"][key])
        low_middle = len(inp.ages) * each

    taxable = max(
        0.0, agi - deduction - cg_deduction - ss_exemption - aged_exemption - low_middle
    )
    br = rules["brackets"]
    return StateTaxResult(
        state="NM", agi=agi, taxable_income=taxable, tax=bracket_tax(taxable, br[key], br["rates"])
    )
