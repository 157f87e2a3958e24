"""Kansas individual income tax (Form K-40, Schedule S), K.S.A. 79-32,101 et seq.

Kansas AGI is federal AGI less the Social Security included in it (K.S.A. 79-32,117(c),
Schedule S: no income limit from 2024). Taxable income subtracts the Kansas standard
deduction with its additional amount for each filer 65 or older (79-32,119) and the personal
exemption (79-32,121); two brackets (79-32,110); less the nonrefundable food sales tax credit of
2024 ($125 per filer with federal AGI up to $30,615 and a filer 55 or older, 79-3635; repealed
from 2025). Private pensions, IRA distributions and capital gains are taxable. Left out: the
exemptions for Kansas public and federal civil service pensions and military retirement,
itemized deductions, dependants, the (refundable) earned income credit and other credits.
Revenue-triggered rate cuts are not modelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Kansas income tax: brackets on AGI less the standard deduction and exemption."""
    key = "mfj" if inp.filing_status == "mfj" else "single"
    agi = inp.federal_agi - inp.taxable_social_security
    sd = rules["standard_deduction"]
    aged = sum(1 for a in inp.ages if a >= sd["aged_age"])
    deduction = sd[key] + aged * sd["additional_65"][key]
    taxable = max(0.0, agi - deduction - rules["exemption"][key])
    br = rules["brackets"]
    before = bracket_tax(taxable, br[key], br["rates"])
    fs = rules["food_sales_tax_credit"]
    credit = 0.0
    if inp.federal_agi <= fs["agi_limit"] and max(inp.ages) >= fs["age"]:
        credit = fs["amount"] * len(inp.ages)
    tax = max(0.0, before - credit)
    return StateTaxResult(state="KS", agi=agi, taxable_income=taxable, tax=tax)
