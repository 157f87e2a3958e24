"""Iowa individual income tax (IA 1040), Iowa Code chapter 422.

From 2023 Iowa taxable income starts from federal taxable income (422.7, as amended by H.F. 2317
(2022)): here federal AGI less the federal standard deduction with its 65+ additional amounts
and, for 2025-2028, the federal senior deduction. Iowa subtracts the
Social Security in it (422.7) and the retirement income of each filer 55 or older: pensions
and IRA distributions, Roth conversions included, without limit (422.7, IA 1040 Schedule
1). Graduated rates in 2024, a flat 3.8% from 2025 (422.5A). Less the exemption credit, $40 per
filer and $20 more at 65 (422.12). Low-income relief: no tax if Iowa net income is at most
$9,000 single / $13,500 otherwise ($24,000 / $32,000 if the filer or spouse is 65 or older); a
single filer's tax may not exceed the net income over $9,000 ($24,000 at 65); a married couple
may use the alternate tax on net income over $13,500 ($32,000 at 65) (422.5, IA 1040
instructions). Capital gains are taxable (the capital gain deduction is for business property).
Left out: itemized deductions, dependants, military pay and retirement, and other credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax
from planner.states.id import federal_deduction


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Iowa income tax after the exemption credit and the low-income provisions."""
    mfj = inp.filing_status == "mfj"
    key = "mfj" if mfj else "single"
    ex = rules["retirement_exclusion"]
    excluded = sum(
        p + d
        for p, d, a in zip(inp.pensions, inp.retirement_distributions, inp.ages, strict=True)
        if a >= ex["age"]
    )
    subtractions = inp.taxable_social_security + excluded
    federal_taxable = max(0.0, inp.federal_agi - federal_deduction(inp, rules["federal_deduction"]))
    taxable = max(0.0, federal_taxable - subtractions)
    net_income = inp.federal_agi - subtractions

    br = rules["brackets"]
    regular = bracket_tax(taxable, br[key], br["rates"])
    low = rules["low_income"]
    aged = max(inp.ages) >= low["age"]
    if mfj:
        floor = low["alternate_floor_aged"] if aged else low["alternate_floor"]
        regular = min(regular, max(0.0, net_income - floor) * low["alternate_rate"])

    ec = rules["exemption_credit"]
    credit = len(inp.ages) * ec["personal"] + sum(1 for a in inp.ages if a >= ec["age"]) * ec[
        "aged"]
    after = max(0.0, regular - credit)
    limits = low["exempt_mfj" if mfj else "exempt_single"]
    if net_income <= limits[1 if aged else 0]:
        after = 0.0
    if not mfj:
        threshold = low["exempt_single"][1 if inp.ages[0] >= low["age"] else 0]
        after = min(after, max(0.0, net_income - threshold))
    return StateTaxResult(state="IA", agi=inp.federal_agi, taxable_income=taxable, tax=after)
