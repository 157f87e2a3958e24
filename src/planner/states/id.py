"""Idaho individual income tax (Form 40), Idaho Code Title 63 Chapter 30.

Idaho AGI is federal AGI less the Social Security included in it (Idaho Code 63-3022) and
less health insurance premiums not deducted federally (63-3022P): the planner's input carries no
premiums, so each filer 65 or older is assumed to pay the standard Medicare Part B premium for
the year (income-related surcharges, which depend on income two years back, are left out).
Idaho taxable income subtracts the federal standard deduction with its additional amount for
each filer 65 or older (63-3022(j), Form 40 line 16), and for 2025-2028 the federal senior
deduction, which Idaho adopted by H.B. 559 (2026) with its 6% phase-out over $75,000 /
$150,000 of federal AGI. The tax is 0% up to an indexed threshold and a flat rate above it
(63-3024). The $10 permanent building fund tax (63-3082, Form 40 line 33) is added for a filer
required to file (gross income over the federal standard deduction). Pensions, IRA
distributions and capital gains are taxable. Left out: the retirement benefits deduction
(government and military pensions only), the 60% deduction of gains on Idaho real property
(63-3022H; the planner's gains are on securities), itemized deductions, the aged or disabled
family member credit and the refundable grocery credit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def federal_deduction(inp: StateTaxInput, fed: Mapping[str, Any]) -> float:
    """The federal standard deduction with the 65+ additions and, in the years listed, the
    senior deduction (IRC 63(c), 63(f), 151(d)(5)(C))."""
    mfj = inp.filing_status == "mfj"
    key = "mfj" if mfj else "single"
    seniors = sum(1 for a in inp.ages if a >= fed["aged_age"])
    deduction = fed["standard"][key] + seniors * fed["additional_65"][key]
    sen = fed["senior"]
    if inp.year in sen["years"] and seniors:
        start = sen["phaseout_mfj"] if mfj else sen["phaseout_single"]
        each = sen["amount"] - sen["phaseout_rate"] * max(0.0, inp.federal_agi - start)
        deduction += seniors * max(0.0, each)
    return deduction


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Idaho income tax: flat rate above the zero bracket on AGI less the federal deduction."""
    fed = rules["federal_deduction"]
    hp = rules["health_premiums"]
    premiums = 12 * hp["part_b_monthly"] * sum(1 for a in inp.ages if a >= hp["age"])
    agi = inp.federal_agi - inp.taxable_social_security - premiums
    taxable = max(0.0, agi - federal_deduction(inp, fed))
    br = rules["brackets"]
    floors = br["mfj"] if inp.filing_status == "mfj" else br["single"]
    income_tax = bracket_tax(taxable, floors, br["rates"])
    key = "mfj" if inp.filing_status == "mfj" else "single"
    aged = sum(1 for a in inp.ages if a >= fed["aged_age"])
    gross = inp.federal_agi - min(0.0, inp.capital_gains)  # gross income counts no losses
    required = gross > fed["standard"][key] + aged * fed["additional_65"][key]
    pbf = rules["building_fund"]["amount"] if required else 0.0
    return StateTaxResult(state="ID", agi=agi, taxable_income=taxable, tax=income_tax + pbf)
