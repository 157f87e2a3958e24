"""Nebraska individual income tax (Form 1040N, Schedule I), Neb. Rev. Stat. 77-2714 ff.

Nebraska AGI is federal AGI less the Social Security included in it (77-2716: fully from
2024). Taxable income subtracts the Nebraska standard deduction (77-2716.01(5): the smaller of
the Nebraska and federal basic amounts, plus an additional amount for each filer 65 or older);
graduated brackets (77-2715.03); less the personal exemption credit per filer (77-2716.01(1)).
The tax after nonrefundable credits is limited to the federal income tax before credits when the
Nebraska adjustments to federal AGI net to less than $5,000 (1040N instructions, Federal Tax
Liability Worksheet), as they do here (only subtractions); the federal tax is the planner's
(`planner.federal_tax`, the capital gain taken as long-term; past the last published federal
year its figures are projected at 2.5% inflation, the state module not knowing the scenario's).
Pensions, IRA distributions and capital gains are taxable. Left out: the exclusions for
military retirement and (from 2024) federal civil service pensions, the capital gains
deduction for employer stock, itemized deductions, dependants, the credit for the elderly or
disabled (100% of the federal Schedule R credit, which needs the federal tax) and other credits.
The 2027 rate cut of L.B. 754 (2023) is a `[[scheduled]]` change in the 2026 file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax, federal_return


def federal_tax_before_credits(inp: StateTaxInput) -> float:
    """Federal income tax before credits (Form 1040 line 18: tax plus AMT, without the NIIT)."""
    return federal_return(inp).income_tax


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Nebraska income tax after the personal exemption credit."""
    key = "mfj" if inp.filing_status == "mfj" else "single"
    agi = inp.federal_agi - inp.taxable_social_security
    sd = rules["standard_deduction"]
    aged = sum(1 for a in inp.ages if a >= sd["aged_age"])
    deduction = min(sd[key], sd["federal_basic"][key]) + aged * sd["additional_65"][key]
    taxable = max(0.0, agi - deduction)
    br = rules["brackets"]
    before = bracket_tax(taxable, br[key], br["rates"])
    credit = rules["exemption_credit"]["amount"] * len(inp.ages)
    tax = max(0.0, before - credit)
    limit = rules["federal_liability_limit"]
    if -inp.taxable_social_security < limit["net_adjustments_below"]:
        tax = min(tax, federal_tax_before_credits(inp))
    return StateTaxResult(state="NE", agi=agi, taxable_income=taxable, tax=tax)
